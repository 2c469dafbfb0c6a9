/**
 * The add-in promises Excel requests under 4 MB. Each request of a 10,000-customer plan, measured
 * by the fake as the serialised (JSON, UTF-8) size of what it sends, stays under 4 MB less the
 * envelope headroom, so Office.js's own envelope (about 5 % more, counted independently) still
 * keeps it under 4 MB.
 */
import { computePlan } from '../../src/engine/plan';
import { readTransactionColumns } from '../../src/engine/transactions';
import { epochDaysFromCivil } from '../../src/engine/dates';
import { buildPlanWorkbook } from '../../src/workbook/plan-sheet';
import { writeWorkbookSpec } from '../../src/hosts/excel/write-spec';
import { DEFAULT_MAX_REQUEST_BYTES, ENVELOPE_HEADROOM } from '../../src/hosts/excel/request-budget';
import { FakeExcel } from './fake-excel';
import { generateTransactions } from '../../src/samples/generate';
import { writeContext } from '../workbook/context';

test('a 10,000-customer plan: every request, by serialised size, under 4 MB with the envelope headroom to spare', async () => {
  const customers: string[] = [];
  const dates: string[] = [];
  const amounts: number[] = [];
  generateTransactions(
    {
      customers: 10_000,
      transactions: 60_000,
      seed: 7,
      firstDay: epochDaysFromCivil(2024, 1, 1),
      lastDay: epochDaysFromCivil(2025, 12, 31),
    },
    (row) => {
      customers.push(row.customer);
      dates.push(row.date);
      amounts.push(row.amount);
    },
  );
  const plan = computePlan(readTransactionColumns({ customers, dates, amounts }), {
    budget: 1_000_000,
    unit: 1,
  });
  const fake = new FakeExcel({ sheets: [] });
  await writeWorkbookSpec(fake.host, buildPlanWorkbook(plan, writeContext({ source: 'tx.csv' })));
  const sizes = fake.log.requestBytes;
  expect(sizes.length).toBeGreaterThan(1);
  const largest = Math.max(...sizes);
  expect(largest).toBeLessThanOrEqual(DEFAULT_MAX_REQUEST_BYTES * (1 - ENVELOPE_HEADROOM));
  // With 5 % more for the envelope than was counted (what the independent count found), still under 4 MB.
  expect(largest * 1.05).toBeLessThan(4_000_000);
  expect(largest).toBeGreaterThan(1_000_000); // the plan really needed large requests
});
