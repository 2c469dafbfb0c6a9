/**
 * The built dist/sheets/Code.js in a bare Node vm context holding only what Apps Script's V8
 * runtime has for a custom function: the JavaScript built-ins (no require, process, setTimeout,
 * TextDecoder, DOM), and fakes of SpreadsheetApp.getActive() (the spreadsheet's time zone and
 * locale), Utilities.formatDate and Logger. Dates are made inside the context, as Sheets makes them.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vm from 'vm';
import { spawnSync } from 'child_process';
import { formatDate, midnightIn } from '../hosts/fake-utilities';

export { midnightIn };

/** The project folder (this file also runs compiled, from dist/bench-hosts, for npm run bench). */
function projectRoot(from: string): string {
  let dir = from;
  while (!fs.existsSync(path.join(dir, 'webpack.sheets.config.js'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`webpack.sheets.config.js not found above ${from}`);
    dir = parent;
  }
  return dir;
}

const ROOT = projectRoot(__dirname);

/** Builds the Apps Script project once into a temporary folder; returns the folder. */
export function buildSheetsProject(): string {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cbp-sheets-build-'));
  const webpackCli = require.resolve('webpack-cli/bin/cli.js', { paths: [ROOT] });
  const run = spawnSync(process.execPath, [webpackCli, '--config', 'webpack.sheets.config.js', '--mode', 'production'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CBP_SHEETS_OUTPUT_DIR: out },
    timeout: 120_000,
  });
  if (run.status !== 0) throw new Error(`webpack.sheets.config.js failed:\n${run.stdout}\n${run.stderr}`);
  return out;
}

export interface SheetsScript {
  /** Calls a top-level function of Code.js as Sheets would. */
  call(name: string, ...args: unknown[]): unknown;
  /** A date cell of this spreadsheet: a Date of the script's realm at the day's midnight in the spreadsheet's zone. */
  dateCell(isoDay: string): Date;
  /** A Date of the script's realm at an instant (a date-time cell). */
  instant(ms: number): Date;
  context: vm.Context;
}

export function loadCodeJs(code: string, spreadsheet: { timeZone: string; locale: string }): SheetsScript {
  const context = vm.createContext({
    SpreadsheetApp: { getActive: () => ({ getSpreadsheetTimeZone: () => spreadsheet.timeZone, getSpreadsheetLocale: () => spreadsheet.locale }) },
    Utilities: { formatDate },
    Logger: { log: () => undefined },
    console: { log: () => undefined, warn: () => undefined, error: () => undefined, info: () => undefined },
  });
  vm.runInContext(code, context, { filename: 'Code.js' });
  const makeDate = vm.runInContext('(ms) => new Date(ms)', context) as (ms: number) => Date;
  return {
    call: (name, ...args) => (context[name] as (...a: unknown[]) => unknown)(...args),
    dateCell: (isoDay) => makeDate(midnightIn(isoDay, spreadsheet.timeZone)),
    instant: makeDate,
    context,
  };
}
