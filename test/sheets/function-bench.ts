/**
 * How large an input each custom function of the built Code.js handles in a time budget, with
 * Node's V8 on this machine as the proxy for Apps Script's (which cannot run here). Used by
 * `npm run bench`; figures are printed, never asserted. Sizes double until one call takes longer
 * than the budget or the input would exceed a spreadsheet's 10 million cells.
 */
import * as fs from 'fs';
import * as path from 'path';
import { generateTransactions } from '../../src/samples/generate';
import { epochDaysFromCivil } from '../../src/engine/dates';
import { seededRandom } from '../../src/engine/random';
import { buildSheetsProject, loadCodeJs, SheetsScript } from './apps-script-vm';

const SPREADSHEET_CELLS = 10_000_000;

export interface FunctionCapacity {
  name: string;
  /** What one input row is, e.g. "transactions". */
  unit: string;
  /** The largest number of input rows measured within the budget, and its time. */
  rows: number;
  ms: number;
  /** True when the size stopped at the spreadsheet's cell limit, not at the time budget. */
  cellLimited: boolean;
}

interface Workload {
  name: string;
  unit: string;
  columns: number;
  startRows: number;
  /** Builds the input of this size and returns the call to time. */
  prepare(script: SheetsScript, rows: number): () => unknown;
}

const col = (values: unknown[]): unknown[][] => values.map((v) => [v]);

/** Transactions as Sheets hands them over: customer ids, date cells (Dates of the script's realm), amounts. */
function transactionColumns(script: SheetsScript, rows: number): { customers: unknown[][]; dates: unknown[][]; amounts: unknown[][] } {
  const customers: unknown[][] = [['Customer']];
  const dates: unknown[][] = [['Date']];
  const amounts: unknown[][] = [['Amount']];
  const cells = new Map<string, Date>();
  generateTransactions({ customers: Math.max(1, Math.round(rows / 10)), transactions: rows, seed: 7, firstDay: epochDaysFromCivil(2023, 1, 1), lastDay: epochDaysFromCivil(2024, 12, 31) }, (row) => {
    let cell = cells.get(row.date);
    if (!cell) cells.set(row.date, (cell = script.dateCell(row.date)));
    customers.push([row.customer]);
    dates.push([cell]);
    amounts.push([row.amount]);
  });
  return { customers, dates, amounts };
}

/** A column of rows pseudo-random amounts from min to min + scale, to the cent. */
function numbers(rows: number, seed: number, scale: number, min = 0): unknown[][] {
  const random = seededRandom(seed);
  return col(Array.from({ length: rows }, () => min + Math.round(random() * scale * 100) / 100));
}

const WORKLOADS: Workload[] = [
  {
    name: 'RFM',
    unit: 'transactions (10 per customer)',
    columns: 3,
    startRows: 50_000,
    prepare: (s, n) => {
      const t = transactionColumns(s, n);
      return () => s.call('RFM', t.customers, t.dates, t.amounts);
    },
  },
  {
    name: 'RFMSCORE',
    unit: 'customers',
    columns: 3,
    startRows: 50_000,
    prepare: (s, n) => {
      const [r, f, m] = [numbers(n, 1, 365), numbers(n, 2, 20), numbers(n, 3, 5000)];
      return () => s.call('RFMSCORE', r, f, m);
    },
  },
  {
    name: 'CLV bgnbd',
    unit: 'transactions (10 per customer)',
    columns: 3,
    startRows: 50_000,
    prepare: (s, n) => {
      const t = transactionColumns(s, n);
      return () => s.call('CLV', 'bgnbd', t.customers, t.dates, t.amounts, 12, 0.01);
    },
  },
  {
    name: 'ALLOCATE proportional, floor + cap',
    unit: 'customers',
    columns: 1,
    startRows: 50_000,
    prepare: (s, n) => {
      const w = numbers(n, 4, 100);
      return () => s.call('ALLOCATE', n * 50, w, 10, 500);
    },
  },
  {
    name: 'ALLOCATE optimal (diminishing returns)',
    unit: 'customers',
    columns: 2,
    startRows: 50_000,
    prepare: (s, n) => {
      const [w, sat] = [numbers(n, 5, 1000), numbers(n, 6, 500, 50)];
      return () => s.call('ALLOCATE', n * 50, w, undefined, undefined, 'optimal', 1, undefined, sat);
    },
  },
  {
    name: 'SEGMENT abc',
    unit: 'customers',
    columns: 1,
    startRows: 50_000,
    prepare: (s, n) => {
      const v = numbers(n, 7, 10_000);
      return () => s.call('SEGMENT', 'abc', v);
    },
  },
  {
    name: 'VARIANCE with details',
    unit: 'rows',
    columns: 3,
    startRows: 50_000,
    prepare: (s, n) => {
      const [plan, actual, expected] = [numbers(n, 8, 1000), numbers(n, 9, 1000), numbers(n, 10, 1000)];
      return () => s.call('VARIANCE', plan, actual, expected, true);
    },
  },
];

function timeOnce(run: () => unknown): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

/** The capacity of every function within budgetMs, measured on the built Code.js. */
export function benchSheetsFunctions(budgetMs = 10_000): FunctionCapacity[] {
  const dir = buildSheetsProject();
  try {
    const script = loadCodeJs(fs.readFileSync(path.join(dir, 'Code.js'), 'utf8'), { timeZone: 'Asia/Shanghai', locale: 'en_US' });
    const gc = (globalThis as { gc?: () => void }).gc;
    return WORKLOADS.map((w) => {
      let best: FunctionCapacity = { name: w.name, unit: w.unit, rows: 0, ms: 0, cellLimited: false };
      for (let rows = w.startRows; ; rows *= 2) {
        if (rows * w.columns > SPREADSHEET_CELLS) {
          best.cellLimited = true;
          break;
        }
        const run = w.prepare(script, rows);
        gc?.();
        const ms = timeOnce(run);
        if (ms > budgetMs) break;
        best = { ...best, rows, ms };
        // The next size (double) would take about twice as long: stop early when it cannot fit.
        if (ms * 2.2 > budgetMs * 1.5) break;
      }
      return best;
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
