/**
 * `npm run bench` helper (built by tsconfig.bench.json, beside the test doubles it uses): a whole task-pane plan run through the instrumented fake Excel: the
 * transactions are read from an Excel table in chunks, the plan computed and written to a new
 * sheet. Reports the Office.js round trips (syncs) and the largest request, as the fake measured them;
 * and the same plan through the Sheets host and the Apps Script fake (service calls, cells).
 */
import { epochDaysFromCivil } from '../../src/engine/dates';
import { generateTransactions } from '../../src/samples/generate';
import { runPlan } from '../../src/runs/plan';
import { excelPlannerHost } from '../../src/hosts/excel/planner-host';
import { memorySettings } from './excel-planner';
import { FakeExcel, FakeScalar } from './fake-excel';
import { FakeAppsScript, FakeNamedRange, FakeSheetsValue } from './fake-sheets';
import { sheetsPlannerHost } from '../../src/hosts/sheets/planner-host';

export interface OfficeBench {
  /** All round trips of the run (reading + writing). */
  syncs: number;
  readSyncs: number;
  writeSyncs: number;
  /** Largest request and response the fake measured, in bytes. */
  maxRequestBytes: number;
  maxResponseBytes: number;
  /** Wall time of the run against the fake (no network: the fake answers at once). */
  ms: number;
}

/** A workbook holding `transactions` rows for `customers` customers as the Excel table Transactions. */
export function fakeWorkbookWithTransactions(customers: number, transactions: number, seed = 42): FakeExcel {
  const values: FakeScalar[][] = [['Customer', 'Order ID', 'Date', 'Amount']];
  generateTransactions({ customers, transactions, seed, firstDay: epochDaysFromCivil(2023, 1, 1), lastDay: epochDaysFromCivil(2024, 12, 31) }, (row) => {
    values.push([row.customer, row.orderId, row.date, row.amount]);
  });
  return new FakeExcel({ sheets: [{ name: 'Data', values, tables: [{ name: 'Transactions', address: `A1:D${values.length}` }] }] });
}

export async function benchPlanThroughFake(customers: number, transactions: number): Promise<OfficeBench> {
  const fake = fakeWorkbookWithTransactions(customers, transactions);
  const start = performance.now();
  const result = await runPlan(excelPlannerHost(fake.host, { settings: memorySettings() }), {
    source: { kind: 'table', name: 'Transactions' },
    options: { budget: 5_000_000, reserve: 0.05, unit: 1 },
    locale: 'en',
    productVersion: 'bench',
  });
  const ms = performance.now() - start;
  return {
    syncs: fake.log.syncs,
    readSyncs: result.syncs.read,
    writeSyncs: result.syncs.write,
    maxRequestBytes: Math.max(...fake.log.requestBytes),
    maxResponseBytes: Math.max(...fake.log.responseBytes),
    ms,
  };
}

export interface SheetsBench {
  /** Apps Script service calls of the whole run, and of its write. */
  calls: number;
  writeCalls: number;
  /** Cells read (the source) and written (setValues), and the setValues calls. */
  cellsRead: number;
  cellsWritten: number;
  setValuesCalls: number;
  /** Wall time of the run against the fake (no network: the fake answers at once). */
  ms: number;
}

/** A whole Generate Plan through the Sheets host and the Apps Script fake, from a named range of transactions. */
export async function benchSheetsPlanThroughFake(customers: number, transactions: number): Promise<SheetsBench> {
  const fake = new FakeAppsScript({ timeZone: 'Asia/Shanghai', sheets: [] });
  const values: FakeSheetsValue[][] = [['Customer', 'Order ID', 'Date', 'Amount']];
  const dates = new Map<string, Date>();
  generateTransactions({ customers, transactions, seed: 42, firstDay: epochDaysFromCivil(2023, 1, 1), lastDay: epochDaysFromCivil(2024, 12, 31) }, (row) => {
    let date = dates.get(row.date);
    if (!date) {
      const [y, m, d] = row.date.split('-').map(Number);
      dates.set(row.date, (date = fake.dateOf(epochDaysFromCivil(y, m, d) + 25569)));
    }
    values.push([row.customer, row.orderId, date, row.amount]);
  });
  const sheet = fake.spreadsheet.addSheetQuietly('Data');
  sheet.load(values);
  fake.spreadsheet.namedRanges.push(new FakeNamedRange(fake, 'Transactions', sheet.rangeOfA1(`A1:D${values.length}`)));
  let cellsWritten = 0;
  let setValuesCalls = 0;
  const services = fake.services();
  const start = performance.now();
  const run = await runPlan(sheetsPlannerHost(services), { source: { kind: 'table', name: 'Transactions' }, options: { budget: 5_000_000, reserve: 0.05, unit: 1 }, locale: 'en', productVersion: 'bench' });
  const ms = performance.now() - start;
  for (const s of fake.spreadsheet.sheets) if (s.name !== 'Data') cellsWritten += s.cells.size;
  setValuesCalls = fake.callLog.filter((c) => c === 'Range.setValues').length;
  return { calls: fake.calls, writeCalls: run.syncs.write, cellsRead: values.length * 4, cellsWritten, setValuesCalls, ms };
}
