/** `npm run bench` helper: a plan written through the instrumented fake, counting Office.js round trips. */
import { epochDaysFromCivil } from '../../../engine/dates';
import { computePlan } from '../../../engine/plan';
import { readTransactionColumns } from '../../../engine/transactions';
import { generateTransactions } from '../../../samples/generate';
import { buildPlanWorkbook } from '../../../workbook/plan-sheet';
import { writeWorkbookSpec } from '../write-spec';
import { createFakeExcel } from './fake-excel';

export async function benchPlanThroughFake(customers: number, transactions: number): Promise<{ syncs: number; maxRequestBytes: number; ms: number }> {
  const ids: string[] = [];
  const dates: string[] = [];
  const amounts: number[] = [];
  generateTransactions({ customers, transactions, seed: 42, firstDay: epochDaysFromCivil(2023, 1, 1), lastDay: epochDaysFromCivil(2024, 12, 31) }, (row) => {
    ids.push(row.customer);
    dates.push(row.date);
    amounts.push(row.amount);
  });
  const plan = computePlan(readTransactionColumns({ customers: ids, dates, amounts }), { budget: 5_000_000, reserve: 0.05, unit: 1 });
  const spec = buildPlanWorkbook(plan, { locale: 'en', existingSheetNames: [], existingTableNames: [], writtenAt: new Date().toISOString(), productVersion: 'bench', source: 'generated' });
  const fake = createFakeExcel({ sheets: [] });
  const start = process.hrtime.bigint();
  await writeWorkbookSpec(fake.host, spec);
  return { syncs: fake.log.syncs, maxRequestBytes: Math.max(...fake.log.requestBytes), ms: Number(process.hrtime.bigint() - start) / 1e6 };
}
