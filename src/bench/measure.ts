/** Timing and memory helpers for `npm run bench`: figures are printed, never asserted. */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { epochDaysFromCivil } from '../engine/dates';
import { generateTransactions } from '../samples/generate';

export interface Measured<T> {
  result: T;
  ms: number;
}

export function timed<T>(run: () => T): Measured<T> {
  const start = process.hrtime.bigint();
  const result = run();
  return { result, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

export async function timedAsync<T>(run: () => Promise<T>): Promise<Measured<T>> {
  const start = process.hrtime.bigint();
  const result = await run();
  return { result, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

/** Collects the garbage of earlier runs when node runs with --expose-gc (npm run bench), so each run pays for its own. */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Wall times of n runs, in milliseconds, sorted: [0] is the best, [n >> 1] the median. */
export function runTimes(n: number, run: () => void): number[] {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    collectGarbage();
    times.push(timed(run).ms);
  }
  return times.sort((a, b) => a - b);
}

/** Best of n runs (the first warms the JIT up), in milliseconds. */
export function bestOf(n: number, run: () => void): number {
  return runTimes(n, run)[0];
}

export function mib(bytes: number): string {
  return `${(bytes / 1048576).toFixed(0)} MiB`;
}

export interface ProcessFigures {
  wallMs: number;
  peakRssBytes: number;
  exitCode: number;
  stderr: string;
}

/**
 * Runs `cbp` as its own process, the way a user does, and reads its peak resident memory from the
 * process itself at exit (process.resourceUsage), so no external `time` tool is needed.
 */
export function runCbpProcess(args: string[], cwd: string): ProcessFigures {
  const script = `
    const { main } = require(${JSON.stringify(join(__dirname, '..', 'cli', 'main.js'))});
    main(${JSON.stringify(args)}).then((code) => {
      process.stderr.write('\\n@@maxrss ' + process.resourceUsage().maxRSS + '\\n');
      process.exitCode = code;
    });`;
  const start = process.hrtime.bigint();
  const child = spawnSync(process.execPath, ['-e', script], { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const match = /@@maxrss (\d+)/.exec(child.stderr ?? '');
  return {
    wallMs,
    peakRssBytes: match ? Number(match[1]) * 1024 : NaN,
    exitCode: child.status ?? -1,
    stderr: (child.stderr ?? '').replace(/\n?@@maxrss \d+\n/, ''),
  };
}

/** Writes the seeded benchmark transaction CSV once and reuses it on later runs; rows are written as generated, so any size fits in memory. */
export function ensureTransactionCsv(folder: string, customers: number, transactions: number, seed = 42): string {
  mkdirSync(folder, { recursive: true });
  const path = join(folder, `tx-${customers}-${transactions}-${seed}.csv`);
  if (existsSync(path)) return path;
  const temp = `${path}.tmp`;
  const fd = openSync(temp, 'w');
  let lines: string[] = ['customer,order_id,date,amount'];
  generateTransactions({ customers, transactions, seed, firstDay: epochDaysFromCivil(2023, 1, 1), lastDay: epochDaysFromCivil(2024, 12, 31) }, (row) => {
    lines.push(`${row.customer},${row.orderId},${row.date},${row.amount.toFixed(2)}`);
    if (lines.length === 50_000) {
      writeSync(fd, lines.join('\n') + '\n');
      lines = [];
    }
  });
  if (lines.length > 0) writeSync(fd, lines.join('\n') + '\n');
  closeSync(fd);
  renameSync(temp, path);
  return path;
}
