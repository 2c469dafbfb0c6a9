/**
 * `npm run bench` helper (built by tsconfig.bench.json, beside the test doubles it uses): a whole task-pane plan run through the instrumented fake Excel: the
 * transactions are read from an Excel table in chunks, the plan computed and written to a new
 * sheet. Reports the Office.js round trips (syncs) and the largest request, as the fake measured them.
 */
import { epochDaysFromCivil } from '../../src/engine/dates';
import { generateTransactions } from '../../src/samples/generate';
import { runPlan } from '../../src/runs/plan';
import { excelPlannerHost } from '../../src/hosts/excel/planner-host';
import { FakeExcel, FakeScalar } from './fake-excel';

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
  const result = await runPlan(excelPlannerHost(fake.host, { settings: { get: async () => undefined, set: async () => undefined } }), {
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
