/** The Excel host (Office.js) against the instrumented fake: layout, text safety, batching, rollback. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTransactionsCsv } from '../../src/cli/csv-transactions';
import { computePlan } from '../../src/engine/plan';
import { readTransactionColumns } from '../../src/engine/transactions';
import { epochDaysFromCivil } from '../../src/engine/dates';
import { computeVariance } from '../../src/engine/variance';
import { buildPlanWorkbook } from '../../src/workbook/plan-sheet';
import { buildVarianceWorkbook } from '../../src/workbook/variance-sheet';
import { ExcelWriteError, writeWorkbookSpec } from '../../src/hosts/excel/write-spec';
import { FakeExcel, FakeScalar } from './fake-excel';
import { generateTransactions } from '../../src/samples/generate';

const context = (existingSheetNames: string[], existingTableNames: string[] = []) => ({
  locale: 'en' as const,
  existingSheetNames,
  existingTableNames,
  writtenAt: '2026-01-05T09:00:00Z',
  productVersion: '0.1.0',
  source: "'Data'!A1:D5001",
});
const userSheet = { name: 'Data', values: [['Customer', 'Amount'], ['=SUM(A1)', 5]] as FakeScalar[][], numberFormats: [[null, null], [null, '0.00']] };

/** Cents in a column range of a fake sheet. */
function columnCents(fake: FakeExcel, sheet: string, column: string, first: number, last: number): number {
  return fake.values(sheet, `${column}${first}:${column}${last}`).reduce((sum, [v]) => sum + Math.round((v as number) * 100), 0);
}

describe('Excel host (Office.js) against the instrumented fake', () => {
  const tx = readTransactionsCsv(readFileSync(join(__dirname, '..', '..', 'samples', 'transactions.csv')));
  const plan = computePlan(tx, { budget: 500000, reserve: 0.05, unit: 1 });

  it('writes the plan to a new sheet beside the user sheets: table with totals, formats, rules, chart, log', async () => {
    const fake = new FakeExcel({ sheets: [userSheet, { name: 'Budget Plan', values: [['mine']] }] });
    const before = JSON.stringify([fake.describeSheet('Data'), fake.describeSheet('Budget Plan')]);
    const spec = buildPlanWorkbook(plan, context(['Data', 'Budget Plan']));
    const report = await writeWorkbookSpec(fake.host, spec);
    expect(report.sheetsAdded).toEqual(['Budget Plan (2)', 'CBP Log']);
    expect(fake.sheetNames()).toEqual(['Data', 'Budget Plan', 'Budget Plan (2)', 'CBP Log']);
    expect(JSON.stringify([fake.describeSheet('Data'), fake.describeSheet('Budget Plan')])).toBe(before); // user sheets untouched
    expect(report.syncs).toBe(fake.log.syncs);

    const sheet = fake.sheet('Budget Plan (2)');
    const specTable = spec.sheets[0].tables[1];
    const header = specTable.row + 1; // 1-based sheet row of the header
    const planTable = sheet.tables.find((t) => t.name === 'CBP_Plan')!;
    // 400 customers, header + 400 rows + totals; 15 plan columns + 12 months + 5 activities = 32 (A..AF).
    expect(planTable.address).toBe(`A${header}:AF${header + 401}`);
    expect(planTable).toMatchObject({ showTotals: true, style: 'TableStyleMedium2' });
    // The allocation column (L) adds up to D = 500,000 x (1 - 0.05) = 475,000.00 exactly.
    expect(columnCents(fake, 'Budget Plan (2)', 'L', header + 1, header + 400)).toBe(47_500_000);
    expect(fake.cell('Budget Plan (2)', `L${header + 1}`).numberFormat).toBe('#,##0');
    expect(fake.cell('Budget Plan (2)', `L${header + 401}`)).toMatchObject({ formula: '=SUBTOTAL(109,CBP_Plan[Allocation])', numberFormat: '#,##0' });
    expect(fake.cell('Budget Plan (2)', `A${header + 401}`).value).toBe('Total');
    expect(fake.cell('Budget Plan (2)', `D${header + 401}`).formula).toBeUndefined(); // no sum of recency days
    // Reserve and budget lines.
    const labels = new Map(fake.values('Budget Plan (2)', `A1:B${header - 1}`).map(([label, value]) => [label, value]));
    expect(labels.get('Reserve')).toBe(25000);
    expect(labels.get('Unallocated (added to the reserve)')).toBe(0);
    expect(labels.get('Status')).toBe('Draft');
    // Written at 2026-01-05T09:00Z: 20,458 days + 0.375 after 1970-01-01, serial 46,027.375.
    expect(labels.get('Written at (UTC)')).toBe(46027.375);
    // Data bars on the allocation column and on the segment summary; a bar chart of the summary.
    const segments = plan.segments.length;
    expect(sheet.conditionalFormats.map((c) => [c.type, c.address])).toEqual([
      ['DataBar', `L${header + 1}:L${header + 400}`],
      ['DataBar', `F5:F${4 + segments}`],
    ]);
    expect(sheet.conditionalFormats[0].props).toMatchObject({ 'dataBar.positiveFormat.fillColor': '#2E75B6', 'dataBar.positiveFormat.gradientFill': false });
    expect(sheet.charts).toEqual([{ type: 'BarClustered', source: `F5:F${4 + segments}`, seriesBy: 'Columns', title: 'Allocation by segment', legendVisible: false, categories: `D5:D${4 + segments}`, position: 'I3' }]);
    expect(sheet.columnWidths.get(0)).toBe((34 * 7 + 5) * 0.75);
    // Every request suspended calculation and stayed under the 4 MB budget.
    for (const request of fake.log.requests.slice(1)) expect(request.calculationSuspended).toBe(true);
    expect(Math.max(...fake.log.requestBytes)).toBeLessThan(4_000_000);
    expect(report.largestRequestBytes).toBeGreaterThanOrEqual(Math.max(...fake.log.requestBytes.slice(1)));
    // The log row.
    const log = fake.sheet('CBP Log');
    expect(log.tables[0]).toMatchObject({ name: 'CBP_Log', address: 'A1:G2' });
    expect(fake.values('CBP Log', 'B2:C2')).toEqual([['Generate plan', 'Budget Plan (2)']]);
    expect(fake.cell('CBP Log', 'A2')).toMatchObject({ value: 46027.375, numberFormat: 'yyyy-mm-dd hh:mm:ss' });
  });

  it('writes every text as text: formula-like, number-like, date-like and boolean-like customers', async () => {
    const names = ['=SUM(A1)', '+86 138 0000', '-x', '@x', '00123', '2025-01-31', 'TRUE', '1,234'];
    const tricky = readTransactionColumns({ customers: names, dates: names.map(() => '2025-01-02'), amounts: names.map((_, i) => 10 + i) });
    const fake = new FakeExcel({ sheets: [] });
    const spec = buildPlanWorkbook(computePlan(tricky, { budget: 100, asOf: epochDaysFromCivil(2025, 1, 31) }), context([]));
    await writeWorkbookSpec(fake.host, spec);
    const first = spec.sheets[0].tables[1].row + 2;
    const written = fake.values('Budget Plan', `A${first}:A${first + names.length - 1}`).map(([v]) => v);
    expect([...written].sort()).toEqual([...names].sort());
    for (let r = first; r < first + names.length; r++) expect(fake.cell('Budget Plan', `A${r}`)).toMatchObject({ formula: undefined, numberFormat: '@' });
  });

  it('leaves the workbook exactly as it was when a sync fails half-way, before or after some operations', async () => {
    const spec = buildPlanWorkbook(plan, context(['Data']));
    const options = { maxRequestBytes: 60_000 }; // small requests, so that the plan takes several
    const counting = new FakeExcel({ sheets: [userSheet] });
    await writeWorkbookSpec(counting.host, spec, options);
    expect(counting.log.syncs).toBeGreaterThanOrEqual(5);
    const half = Math.ceil(counting.log.syncs / 2);
    for (const afterOperations of [0, 2]) {
      const fake = new FakeExcel({ sheets: [userSheet] });
      const before = fake.snapshot();
      fake.failAtSync(half, { afterOperations });
      const error = await writeWorkbookSpec(fake.host, spec, options).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ExcelWriteError);
      expect(error).toMatchObject({ code: 'write-failed' });
      expect((error as Error).message).toMatch(/^The sheets could not be written \(GeneralException: injected failure at sync \d+ after \d+ operations\)\. Everything this run wrote was removed/);
      expect(fake.snapshot()).toBe(before);
      expect(fake.sheetNames()).toEqual(['Data']);
    }
  });

  it('appends to the log on a second run and removes the appended row when that run fails', async () => {
    const fake = new FakeExcel({ sheets: [userSheet] });
    await writeWorkbookSpec(fake.host, buildPlanWorkbook(plan, context(['Data'])));
    const second = buildPlanWorkbook(plan, context(['Data', 'Budget Plan', 'CBP Log'], ['CBP_Plan', 'CBP_Segments', 'CBP_Log']));
    expect(second.sheets.map((s) => s.name)).toEqual(['Budget Plan (2)', 'CBP Log']);
    expect(second.sheets[0].tables.map((t) => t.name)).toEqual(['CBP_Segments_2', 'CBP_Plan_2']);
    const before = fake.snapshot();
    const syncsBefore = fake.log.syncs;
    // Count the syncs of a clean second run on a copy, then fail the last one of the real run (the log row's).
    const copy = new FakeExcel({ sheets: [userSheet] });
    await writeWorkbookSpec(copy.host, buildPlanWorkbook(plan, context(['Data'])));
    const copySyncs = copy.log.syncs;
    await writeWorkbookSpec(copy.host, second);
    fake.failAtSync(syncsBefore + (copy.log.syncs - copySyncs), { afterOperations: 1_000_000 }); // all applied, then the answer is lost
    await expect(writeWorkbookSpec(fake.host, second)).rejects.toMatchObject({ code: 'write-failed' });
    expect(fake.snapshot()).toBe(before);
    const report = await writeWorkbookSpec(fake.host, second);
    expect(report.logRowsAppended).toBe(1);
    expect(fake.sheet('CBP Log').tables[0].address).toBe('A1:G3');
    expect(fake.values('CBP Log', 'C2:C3')).toEqual([['Budget Plan'], ['Budget Plan (2)']]);
    expect(fake.cell('CBP Log', 'A3').numberFormat).toBe('yyyy-mm-dd hh:mm:ss');
  });

  it('refuses to write over a sheet created since the spec was built, writing nothing', async () => {
    const fake = new FakeExcel({ sheets: [userSheet, { name: 'budget plan' }] });
    const before = fake.snapshot();
    await expect(writeWorkbookSpec(fake.host, buildPlanWorkbook(plan, context(['Data'])))).rejects.toMatchObject({ code: 'sheet-exists', message: expect.stringContaining('A sheet named Budget Plan already exists') });
    expect(fake.snapshot()).toBe(before);
  });

  it('writes the variance sheet with live formulas, status colour rules, a data bar and an icon set', async () => {
    const result = computeVariance({ keys: ['A', 'B', '=C'], planMinor: [10000, 20000, 0], expectedToDateMinor: [5000, 10000, 0] }, { keys: ['A', 'B', 'Z'], dates: [20000, 20000, 20000], amountsMinor: [12000, 2000, 500] }, { asOf: 20001 });
    const spec = buildVarianceWorkbook({ result, asOf: 20001, overTolerance: 0, warnMargin: 0.1, underMargin: 0.5, minorDigits: 2, keyLabel: 'Customer' }, context(['Data']));
    const fake = new FakeExcel({ sheets: [userSheet] });
    await writeWorkbookSpec(fake.host, spec);
    const sheet = fake.sheet('Variance');
    const table = sheet.tables[0];
    const first = spec.sheets[0].tables[0].row + 2;
    expect(table).toMatchObject({ name: 'CBP_Variance', showTotals: true });
    expect(fake.cell('Variance', `E${first}`)).toMatchObject({ formula: `=C${first}-B${first}`, numberFormat: '#,##0.00' });
    expect(fake.cell('Variance', `I${first}`).formula).toMatch(/^=IF\(B\d+=0/);
    expect(fake.cell('Variance', `A${first + 2}`)).toMatchObject({ value: '=C', formula: undefined }); // a key that looks like a formula
    const last = first + result.rows.length - 1;
    const types = sheet.conditionalFormats.map((c) => [c.type, c.address]);
    expect(types).toContainEqual(['DataBar', `G${first}:G${last}`]);
    expect(types).toContainEqual(['IconSet', `F${first}:F${last}`]);
    const rules = sheet.conditionalFormats.filter((c) => c.type === 'Custom');
    expect(rules).toHaveLength(5);
    // The first spec rule (over budget) is on top, as written in reverse order.
    expect(rules[0].props).toMatchObject({ 'custom.rule.formula': `=$I${first}="Over budget"`, 'custom.format.fill.color': '#FFC7CE', 'custom.format.font.color': '#9C0006' });
    expect(rules.every((r) => r.address === `A${first}:I${last}`)).toBe(true);
    const icons = sheet.conditionalFormats.find((c) => c.type === 'IconSet')!;
    expect(icons.props['iconSet.style']).toBe('ThreeTrafficLights1');
    expect((icons.props['iconSet.criteria'] as { formula: string }[]).map((c) => c.formula)).toEqual(['=0', '=-0.1', '=0']);
  });

  it('writes a 100,000-customer plan in requests that each stay under 4 MB (and under 1 MB when asked)', async () => {
    const customers: string[] = [];
    const dates: string[] = [];
    const amounts: number[] = [];
    generateTransactions({ customers: 100_000, transactions: 200_000, seed: 3, firstDay: epochDaysFromCivil(2024, 1, 1), lastDay: epochDaysFromCivil(2025, 12, 31) }, (row) => {
      customers.push(row.customer);
      dates.push(row.date);
      amounts.push(row.amount);
    });
    const big = computePlan(readTransactionColumns({ customers, dates, amounts }), { budget: 5_000_000, unit: 1 });
    const spec = buildPlanWorkbook(big, context([]));
    const fake = new FakeExcel({ sheets: [] });
    const report = await writeWorkbookSpec(fake.host, spec);
    const max = Math.max(...fake.log.requestBytes);
    expect(max).toBeLessThan(4_000_000);
    expect(report.syncs).toBe(fake.log.syncs);
    const header = spec.sheets[0].tables[1].row + 1;
    expect(columnCents(fake, 'Budget Plan', 'L', header + 1, header + 100_000)).toBe(500_000_000);
    const small = new FakeExcel({ sheets: [], maxRequestBytes: 1_000_000 });
    const tight = await writeWorkbookSpec(small.host, spec, { maxRequestBytes: 900_000 });
    expect(Math.max(...small.log.requestBytes)).toBeLessThan(900_000);
    expect(tight.syncs).toBeGreaterThan(report.syncs);
    console.log(`100,000-customer plan through the fake: ${report.syncs} syncs, largest request ${(max / 1e6).toFixed(2)} MB; with a 0.9 MB budget: ${tight.syncs} syncs`);
  }, 180_000);
});
