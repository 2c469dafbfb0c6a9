/**
 * `cbp`: Customer Budget Planner on CSV and .xlsx files. Each subcommand lives in ./commands and is
 * loaded only when used, so `cbp rfm` on a CSV never pays for loading the .xlsx library.
 */
import { InputError } from '../engine/errors';
import type { Locale } from '../i18n';
import { localizeError } from '../i18n/errors';
import { CliIo, Command, EXIT_BAD_INPUT, EXIT_FAILURE, UsageError } from './io';
import { VERSION } from './version';
import { removeTemporaries } from './output';

interface Subcommand {
  summary: string;
  load: () => Promise<Command>;
}

const SUBCOMMANDS: Record<string, Subcommand> = {
  rfm: { summary: 'recency, frequency and monetary scores and segments per customer', load: async () => (await import('./commands/rfm')).rfmCommand },
  clv: { summary: 'customer lifetime value: BG/NBD + Gamma-Gamma, simple or retention-discounted', load: async () => (await import('./commands/clv')).clvCommand },
  segment: { summary: 'ABC tiers, profitability matrix, lifecycle stage or rfm8 cube', load: async () => (await import('./commands/segment')).segmentCommand },
  plan: { summary: 'score, allocate, phase and write a budget plan workbook (.xlsx)', load: async () => (await import('./commands/plan')).planCommand },
  variance: { summary: 'compare actual spend with a plan (a plan .xlsx or a CSV)', load: async () => (await import('./commands/variance')).varianceCommand },
  sql: { summary: 'RFM, BG/NBD summary or allocation as one SQL statement for DuckDB, PostgreSQL, BigQuery, Snowflake or Spark; --check reconciles', load: async () => (await import('./commands/sql')).sqlCommand },
  allocate: { summary: 'split a budget across customers exactly (proportional, equal, shares, optimal)', load: async () => (await import('./commands/allocate')).allocateCommand },
};


function overview(): string {
  const width = Math.max(...Object.keys(SUBCOMMANDS).map((n) => n.length));
  return [
    `cbp ${VERSION}: Customer Budget Planner on CSV and .xlsx files`,
    '',
    'Usage: cbp <command> [options] FILE...',
    '',
    'Commands:',
    ...Object.entries(SUBCOMMANDS).map(([name, s]) => `  ${name.padEnd(width)}  ${s.summary}`),
    '',
    "Run 'cbp <command> --help' for the options of one command.",
    'Nothing is sent anywhere: all work happens on this machine.',
    '',
  ].join('\n');
}

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stderrStream: process.stderr,
  cwd: process.cwd(),
};

/** Exit codes after a signal, as shells report them: 128 + the signal number. */
const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * Ctrl+C or a kill during a long command: the temporary file being written is removed and the
 * process exits 130 (SIGINT) or 143 (SIGTERM); the --out file keeps its old content, or is absent.
 */
function exitCleanlyOnSignals(): void {
  for (const [signal, code] of Object.entries(SIGNAL_EXIT_CODES)) {
    process.once(signal, () => {
      removeTemporaries();
      process.stderr.write(`cbp: interrupted (${signal}); nothing was written\n`);
      process.exit(code);
    });
  }
}

/** The language of error messages: the command's --lang (en or zh-CN; anything else leaves English). */
export function messageLocale(argv: readonly string[]): Locale {
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i] === '--lang' ? argv[i + 1] : argv[i].startsWith('--lang=') ? argv[i].slice('--lang='.length) : undefined;
    if (value === 'zh-CN') return 'zh-CN';
    if (value !== undefined) return 'en';
  }
  return 'en';
}

/** Runs one `cbp` invocation and returns its exit code; bad input prints one line, never a stack. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  if (io === processIo) exitCleanlyOnSignals();
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(overview());
    return name === undefined ? EXIT_BAD_INPUT : 0;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  const subcommand = SUBCOMMANDS[name];
  if (!subcommand) {
    io.stderr(`cbp: unknown command '${name}'; the commands are ${Object.keys(SUBCOMMANDS).join(', ')}\n`);
    return EXIT_BAD_INPUT;
  }
  try {
    const command = await subcommand.load();
    return await command(rest, io);
  } catch (error) {
    if (error instanceof InputError || error instanceof UsageError) {
      io.stderr(`cbp ${name}: ${localizeError(error, messageLocale(rest))}\n`);
      return EXIT_BAD_INPUT;
    }
    io.stderr(`cbp ${name}: unexpected error: ${(error as Error).message}\n`);
    if (process.env.CBP_DEBUG) io.stderr(`${(error as Error).stack}\n`);
    return EXIT_FAILURE;
  }
}
