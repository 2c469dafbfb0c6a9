import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTransactionsCsv } from '../../src/cli/csv-transactions';
import { computePlan } from '../../src/engine/plan';
import { readTransactionColumns } from '../../src/engine/transactions';
import { epochDaysFromCivil } from '../../src/engine/dates';
import { buildPlanWorkbook } from '../../src/workbook/plan-sheet';
import { writeWorkbookSpec } from '../../src/hosts/excel/write-spec';
import { createFakeExcel } from '../../src/hosts/excel/testing/fake-excel';
import { generateTransactions } from '../../src/samples/generate';

const context = (existingSheetNames: string[]) => ({ locale: 'en' as const, existingSheetNames, existingTableNames: [], writtenAt: '2026-01-05T09:00:00Z', productVersion: '0.1.0', source: 'Transactions' });
const userSheet = { name: 'Data', values: [['Customer', 'Amount'], ['=SUM(A1)', 5]] as (string | number)[][] };

describe('Excel host (Office.js) against the instrumented fake', () => {
  const tx = readTransactionsCsv(readFileSync(join(__dirname, '..', '..', 'samples', 'transactions.csv')));
  const plan = computePlan(tx, { budget: 500000, reserve: 0.05, unit: 1 });

  it('writes the plan to a new sheet, next to the user sheets, with its tables, formats, rules and chart', async () => {
    const fake = createFakeExcel({ sheets: [userSheet, { name: 'Budget Plan', values: [['mine']] }] });
    const spec = buildPlanWorkbook(plan, context(['Data', 'Budget Plan']));
    const result = await writeWorkbookSpec(fake.host, spec);
    expect(result.sheetsAdded).toEqual(['Budget Plan (2)', 'CBP Log']);
    expect(fake.state.sheets.map((s) => s.name)).toEqual(['Data', 'Budget Plan', 'Budget Plan (2)', 'CBP Log']);
    expect(fake.cell('Budget Plan', 'A1')!.value).toBe('mine'); // the user's sheet is untouched
    const sheet = fake.state.sheets[2];
    const planTable = sheet.tables.find((t) => t.name === 'CBP_Plan')!;
    const specTable = spec.sheets[0].tables[1];
    expect(planTable.address).toBe(`A${specTable.row + 1}:AF${specTable.row + 1 + 400}`);
    expect(planTable.showTotals).toBe(true);
    // Allocation column (L) adds up to the distributable 475,000 exactly.
    let total = 0;
    for (let r = specTable.row + 2; r <= specTable.row + 401; r++) total += Math.round((fake.cell('Budget Plan (2)', `L${r}`)!.value as number) * 100);
    expect(total).toBe(47_500_000);
    expect(fake.cell('Budget Plan (2)', `L${specTable.row + 2}`)!.numberFormat).toBe('#,##0');
    expect(sheet.conditionalFormats.map((c) => c.type)).toEqual(['DataBar', 'DataBar']);
    expect(sheet.charts).toHaveLength(1);
    expect(fake.log.calls).toContain('suspendApiCalculationUntilNextSync');
  });

  it('keeps text that looks like a formula as text', async () => {
    const tricky = readTransactionColumns({ customers: ['=SUM(A1)', '+1', '@x'], dates: ['2025-01-02', '2025-01-03', '2025-01-04'], amounts: [10, 20, 30] });
    const fake = createFakeExcel({ sheets: [] });
    await writeWorkbookSpec(fake.host, buildPlanWorkbook(computePlan(tricky, { budget: 100, asOf: epochDaysFromCivil(2025, 1, 31) }), context([])));
    const cells = [...fake.state.sheets[0].cells.values()].filter((c) => typeof c.value === 'string' && /^[=+@]/.test(c.value));
    expect(cells.length).toBe(3);
    for (const cell of cells) {
      expect(cell.numberFormat).toBe('@');
      expect(cell.formula).toBeUndefined();
    }
  });

  it('leaves the workbook exactly as it was when a sync fails half-way', async () => {
    const fake = createFakeExcel({ sheets: [userSheet] });
    const spec = buildPlanWorkbook(plan, context(['Data']));
    const counting = createFakeExcel({ sheets: [userSheet] });
    await writeWorkbookSpec(counting.host, spec);
    fake.failAtSync(Math.ceil(counting.log.syncs / 2));
    await expect(writeWorkbookSpec(fake.host, spec)).rejects.toThrow(/could not be written, and what was written has been removed: GeneralException: injected failure/);
    expect(fake.state.sheets.map((s) => s.name)).toEqual(['Data']);
    expect(fake.cell('Data', 'A2')!.value).toBe('=SUM(A1)');
  });

  it('writes a 100,000-customer plan in requests that each stay under 4 MB', async () => {
    const customers: string[] = [];
    const dates: string[] = [];
    const amounts: number[] = [];
    generateTransactions({ customers: 100_000, transactions: 200_000, seed: 3, firstDay: epochDaysFromCivil(2024, 1, 1), lastDay: epochDaysFromCivil(2025, 12, 31) }, (row) => {
      customers.push(row.customer);
      dates.push(row.date);
      amounts.push(row.amount);
    });
    const big = computePlan(readTransactionColumns({ customers, dates, amounts }), { budget: 5_000_000, unit: 1 });
    const fake = createFakeExcel({ sheets: [] });
    await writeWorkbookSpec(fake.host, buildPlanWorkbook(big, context([])));
    const max = Math.max(...fake.log.requestBytes);
    expect(max).toBeLessThan(4_000_000);
    expect(fake.log.syncs).toBeGreaterThan(5); // the rows really were split
    console.log(`100,000-customer plan: ${fake.log.syncs} syncs, largest request ${(max / 1e6).toFixed(2)} MB`);
  }, 120_000);
});
