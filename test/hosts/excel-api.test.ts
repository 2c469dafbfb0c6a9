/** The runs (listSources, readSource, generatePlan, trackVariance) through the Excel host, against the fake. */
import { PLAN_SHEET, SPEND_SHEET } from '../fixtures/excel/variance-workbook';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { epochDaysFromCivil } from '../../src/engine/dates';
import { CellValue } from '../../src/engine/errors';
import { computePlan } from '../../src/engine/plan';
import { readTransactionTable } from '../../src/engine/transactions';
import { buildPlanWorkbook } from '../../src/workbook/plan-sheet';
import { rangeAddress, SpecValue } from '../../src/workbook/spec';
import { ExcelHost, ExcelWriteError } from '../../src/hosts/excel';
import { generatePlan, listSources, trackVariance, SourceRef } from '../../src/runs';
import { planLinesFor, readPlanTableRows, newestPlanTable } from '../../src/runs/plan-table';
import { plannerOf } from './excel-planner';
import { createFakeExcel, FakeScalar } from './fake-excel';
import { benchPlanThroughFake } from './host-bench';

/** The sample CSVs are plain (no quotes): numbers as numbers, the rest as the text the user typed. */
function csvRows(file: string): FakeScalar[][] {
  const text = readFileSync(join(__dirname, '..', '..', 'samples', file), 'utf8').trim();
  return text.split(/\r?\n/).map((line, r) => line.split(',').map((cell) => (r > 0 && /^-?\d+(\.\d+)?$/.test(cell) && !/^C\d/.test(cell) ? Number(cell) : cell)));
}

const transactions = csvRows('transactions.csv');
const actuals = csvRows('actuals.csv');
const PLAN_OPTIONS = { budget: 500_000, reserve: 0.05, unit: 1 };

function workbookWithSamples() {
  return createFakeExcel({
    sheets: [
      { name: 'Data', values: transactions, tables: [{ name: 'Sales', address: `A1:D${transactions.length}` }] },
      { name: 'Spend', values: actuals, tables: [{ name: 'Actuals', address: `A1:D${actuals.length}` }] },
      { name: 'Budget Plan', values: [['my notes', '=not a formula']] },
    ],
  });
}

/** A spec value as the fake reads it back (formulas are stored, not evaluated: ''). */
function asRead(value: SpecValue): FakeScalar {
  if (value === null) return '';
  if (typeof value === 'object') return 'date' in value ? value.date + 25569 : '';
  return value;
}

/** A source's rows through the Excel PlannerHost. */
async function readSourceRows(fake: { host: ExcelHost }, source: SourceRef, chunkRows?: number) {
  return (await plannerOf(fake).readSource(source, { chunkRows })).rows;
}

describe('listSources and readSourceRows', () => {
  it('lists tables and sheets in workbook order', async () => {
    const fake = workbookWithSamples();
    expect(await listSources(plannerOf(fake))).toEqual({ tables: ['Sales', 'Actuals'], sheets: ['Data', 'Spend', 'Budget Plan'], planSheets: [] });
  });

  it('reads a table in chunks of at most 700 rows and returns exactly its rows, header first', async () => {
    const fake = workbookWithSamples();
    const rows = await readSourceRows(fake, { kind: 'table', name: 'Sales' }, 700);
    expect(rows).toEqual(transactions);
    // 5,014 rows: 1 sync for the range's size, then ceil(5,014 / 700) = 8 chunks.
    expect(fake.log.syncs).toBe(9);
    expect(fake.log.calls.filter((c) => c.includes('load(values)')).length).toBe(8);
  });

  it('reads a sheet-qualified range, a range on the active sheet, and the selection', async () => {
    const fake = createFakeExcel({ sheets: [{ name: "Q1 'A'", values: [['customer', 'amount'], ['C1', 5], ['C2', 7]] }, { name: 'Other', values: [['x']] }], selection: { sheet: 'Other', address: 'A1:A1' } });
    expect(await readSourceRows(fake, { kind: 'range', address: "'Q1 ''A'''!A1:B2" })).toEqual([['customer', 'amount'], ['C1', 5]]);
    expect(await readSourceRows(fake, { kind: 'range', address: 'A2:B3' })).toEqual([['C1', 5], ['C2', 7]]);
    expect(await readSourceRows(fake, { kind: 'range', sheet: "Q1 'A'", address: 'B1:B3' })).toEqual([['amount'], [5], [7]]);
    expect(await readSourceRows(fake, { kind: 'selection' })).toEqual([['x']]);
  });
});

describe('generatePlan (Excel)', () => {
  it('writes the sample plan next to an existing Budget Plan sheet, every table cell equal to the spec', async () => {
    const fake = workbookWithSamples();
    const before = fake.describeSheet('Budget Plan');
    const summary = await generatePlan(plannerOf(fake), { source: { kind: 'table', name: 'Sales' }, locale: 'en', options: PLAN_OPTIONS, productVersion: 'test' });
    // Budget 500,000.00 = 50,000,000 cents; reserve 5 % = 2,500,000; allocated 47,500,000; nothing left unallocated.
    expect(summary).toMatchObject({ sheetName: 'Budget Plan (2)', customers: 400, budgetMinor: 50_000_000, allocatedMinor: 47_500_000, reserveMinor: 2_500_000, unallocatedMinor: 0 });
    expect(summary.syncs).toBe(fake.log.syncs);
    expect(fake.describeSheet('Budget Plan')).toEqual(before); // the user's sheet untouched
    expect(fake.cell('Budget Plan', 'B1')).toMatchObject({ value: '=not a formula', formula: undefined });

    // The same spec, built independently from the same rows and names.
    const plan = computePlan(readTransactionTable(transactions as CellValue[][]), PLAN_OPTIONS);
    const spec = buildPlanWorkbook(plan, { locale: 'en', existingSheetNames: ['Data', 'Spend', 'Budget Plan'], existingTableNames: ['Sales', 'Actuals'], writtenAt: '2026-01-05T09:00:00Z', productVersion: 'test', source: 'x' });
    const sheet = fake.sheet('Budget Plan (2)');
    for (const table of spec.sheets[0].tables) {
      const written = sheet.tables.find((t) => t.name === table.name)!;
      const rows = table.rows.length + 1 + (table.totalsRow ? 1 : 0);
      expect(written.address).toBe(rangeAddress(table.row, table.col, rows, table.header.length));
      expect(fake.values('Budget Plan (2)', rangeAddress(table.row, table.col, 1 + table.rows.length, table.header.length))).toEqual([table.header, ...table.rows.map((row) => row.map(asRead))]);
      table.numberFormats.forEach((format, c) => {
        if (format !== null) expect(fake.cell('Budget Plan (2)', rangeAddress(table.row + 1, table.col + c, 1, 1).split(':')[0]).numberFormat).toBe(format);
      });
    }
    expect(sheet.conditionalFormats.map((c) => [c.type, c.address])).toEqual(spec.sheets[0].conditionalFormats.map((c) => ['DataBar', c.range]));
    expect(sheet.charts.map((c) => [c.type, c.categories, c.source])).toEqual(spec.sheets[0].charts.map((c) => ['BarClustered', c.categories, c.values]));
  });

  it('keeps formula-looking customer names as text', async () => {
    const names = ['=HYPERLINK("x")', '+44 20', '-1', '@me'];
    const values: FakeScalar[][] = [['customer', 'date', 'amount'], ...names.map((n, i) => [n, '2025-06-01', 100 + i])];
    const fake = createFakeExcel({ sheets: [{ name: 'Data', values, tables: [{ name: 'Tx', address: 'A1:C5' }] }] });
    await generatePlan(plannerOf(fake), { source: { kind: 'table', name: 'Tx' }, locale: 'en', options: { budget: 100 }, productVersion: 'test' });
    const table = fake.sheet('Budget Plan').tables.find((t) => t.name === 'CBP_Plan')!;
    const first = table.rect.r0 + 2;
    const cells = [0, 1, 2, 3].map((i) => fake.cell('Budget Plan', `A${first + i}`));
    expect(cells.map((c) => c.value).sort()).toEqual([...names].sort());
    for (const cell of cells) expect(cell).toMatchObject({ formula: undefined, numberFormat: '@' });
  });

  it('re-plans from a spend table: spend to date becomes each customer\'s floor', async () => {
    const tx: FakeScalar[][] = [['customer', 'date', 'amount'], ['A', '2025-01-02', 10], ['B', '2025-02-03', 20], ['C', '2025-03-04', 30], ['D', '2025-04-05', 40]];
    const spent: FakeScalar[][] = [['客户', '日期', '实际支出'], ['A', '2026-01-10', 200], ['A', '2026-02-10', 50], ['Z', '2026-02-11', 9]];
    const fake = createFakeExcel({ sheets: [{ name: 'Data', values: tx, tables: [{ name: 'Tx', address: 'A1:C5' }] }, { name: 'Spend', values: spent, tables: [{ name: 'Spent', address: 'A1:C4' }] }] });
    const summary = await generatePlan(plannerOf(fake), { source: { kind: 'table', name: 'Tx' }, spent: { kind: 'table', name: 'Spent' }, locale: 'en', options: { budget: 1000, unit: 1, weightBasis: 'monetary' }, productVersion: 'test' });
    expect(summary.replan).toEqual({ customersWithSpend: 1, spentMinor: 25_000, notInPlan: 1 });
    expect(summary.syncs).toBe(fake.log.syncs);
    const table = fake.sheet('Budget Plan').tables.find((t) => t.name === 'CBP_Plan')!;
    const first = table.rect.r0 + 2;
    const header = fake.values('Budget Plan', `A${table.rect.r0 + 1}:Z${table.rect.r0 + 1}`)[0];
    const at = (name: string) => String.fromCharCode(65 + header.indexOf(name));
    // A keeps the 250 it has had; B, C, D share 750 as 2:3:4.
    expect(fake.values('Budget Plan', `${at('Allocation')}${first}:${at('Allocation')}${first + 3}`).flat()).toEqual([250, 167, 250, 333]);
    expect(fake.values('Budget Plan', `${at('Spent to date')}${first}:${at('Still to spend')}${first}`)).toEqual([[250, 0]]);
    expect(fake.sheetNames()).toEqual(['Data', 'Spend', 'Budget Plan', 'CBP Log']);
  });

  it('writes a Scenarios sheet beside the plan: the same plan at 90 %, 100 % and 110 % of the budget', async () => {
    const tx: FakeScalar[][] = [['customer', 'date', 'amount'], ['A', '2025-01-02', 10], ['B', '2025-02-03', 20], ['C', '2025-03-04', 30], ['D', '2025-04-05', 40]];
    const fake = createFakeExcel({ sheets: [{ name: 'Data', values: tx, tables: [{ name: 'Tx', address: 'A1:C5' }] }] });
    const summary = await generatePlan(plannerOf(fake), { source: { kind: 'table', name: 'Tx' }, scenarios: [0.9, 1, 1.1], locale: 'en', options: { budget: 1000, unit: 1, weightBasis: 'monetary' }, productVersion: 'test' });
    expect(summary.scenarioSheetName).toBe('Scenarios');
    expect(fake.sheetNames()).toEqual(['Data', 'Budget Plan', 'Scenarios', 'CBP Log']);
    const table = fake.sheet('Scenarios').tables.find((t) => t.name === 'CBP_Scenarios')!;
    const rows = fake.values('Scenarios', table.address);
    expect(rows[0].slice(2)).toEqual(['Budget 90%', 'Budget 100%', 'Budget 110%']);
    // Monetary weights 10:20:30:40 -> every segment's allocation is its share of 900 / 1,000 / 1,100.
    const body = rows.slice(1).filter((row) => typeof row[2] === 'number' && row[0] !== 'Allocated to customers');
    const sums = [2, 3, 4].map((c) => body.reduce((s, row) => s + (row[c] as number), 0));
    expect(sums).toEqual([900, 1000, 1100]);
    expect(summary.syncs).toBe(fake.log.syncs);
  });

  it('records the optimal parameters on the Scenarios sheet (saturation, response curve)', async () => {
    const tx: FakeScalar[][] = [['customer', 'date', 'amount'], ['A', '2025-01-02', 10], ['B', '2025-02-03', 20], ['C', '2025-03-04', 30], ['D', '2025-04-05', 40]];
    const fake = createFakeExcel({ sheets: [{ name: 'Data', values: tx, tables: [{ name: 'Tx', address: 'A1:C5' }] }] });
    await generatePlan(plannerOf(fake), { source: { kind: 'table', name: 'Tx' }, scenarios: [0.9, 1.1], locale: 'en', options: { budget: 1000, unit: 1, weightBasis: 'monetary', method: 'optimal', saturation: 150, response: 'log' }, productVersion: 'test' });
    const parameters = new Map(fake.values('Scenarios', 'A1:B20').map((row) => [String(row[0]), row[1]]));
    expect(parameters.get('Saturation spend')).toBe(150);
    expect(String(parameters.get('Response curve'))).toMatch(/ln\(1 \+/);
  });

  it('leaves the workbook exactly as it was when a write sync fails half-way', async () => {
    const counting = workbookWithSamples();
    await generatePlan(plannerOf(counting), { source: { kind: 'table', name: 'Sales' }, locale: 'en', options: PLAN_OPTIONS, productVersion: 'test' });
    const total = counting.log.syncs;
    const fake = workbookWithSamples();
    const before = fake.snapshot();
    fake.failAtSync(total - 1, { afterOperations: 1 }); // the last-but-one sync: well into the writing
    const run = generatePlan(plannerOf(fake), { source: { kind: 'table', name: 'Sales' }, locale: 'en', options: PLAN_OPTIONS, productVersion: 'test' });
    await expect(run).rejects.toBeInstanceOf(ExcelWriteError);
    await expect(run).rejects.toThrow(/workbook is as it was/);
    expect(fake.snapshot()).toBe(before);
    expect(fake.sheetNames()).toEqual(['Data', 'Spend', 'Budget Plan']);
  });

  it('runs a 100,000-customer / 300,000-row plan through the fake in requests under 4 MB', async () => {
    const bench = await benchPlanThroughFake(100_000, 300_000);
    expect(bench.maxRequestBytes).toBeLessThan(4_000_000);
    expect(bench.syncs).toBe(bench.readSyncs + bench.writeSyncs);
    console.log(`benchPlanThroughFake(100,000, 300,000): ${bench.syncs} syncs (${bench.readSyncs} read, ${bench.writeSyncs} write), largest request ${(bench.maxRequestBytes / 1e6).toFixed(2)} MB, ${Math.round(bench.ms)} ms`);
  }, 240_000);
});

describe('trackVariance (Excel)', () => {
  // A hand-made plan: A 1,200 phased 600 / 600 over Jan / Feb 2026, B 100 phased 50 / 50.
  const planSheet = PLAN_SHEET;
  const spend = SPEND_SHEET;

  it('compares per customer as of 2026-01-31 and writes a variance sheet', async () => {
    const fake = createFakeExcel({ sheets: [planSheet, spend] });
    const result = await trackVariance(plannerOf(fake), { actuals: { kind: 'table', name: 'Actuals' }, asOf: epochDaysFromCivil(2026, 1, 31), locale: 'en', productVersion: 'test' });
    // A: expected by Jan 31 = 600 (January fully elapsed); actual 700 > 600 x 1.1 = 660 -> at risk (not over: 700 < 1,200).
    // B: expected 50; actual 10 < 50 x 0.5 = 25 -> under-used. C: not in the plan -> unplanned.
    expect(result.counts).toEqual({ 'at-risk': 1, 'under-used': 1, unplanned: 1 });
    expect(result.syncs).toBe(fake.log.syncs);
    const table = fake.sheet(result.sheetName).tables.find((t) => t.name === 'CBP_Variance')!;
    const first = table.rect.r0 + 2;
    // key, plan, actual, expected to date.
    expect(fake.values(result.sheetName, `A${first}:D${first + 2}`)).toEqual([
      ['A', 1200, 700, 600],
      ['B', 100, 10, 50],
      ['C', 0, 5, 0],
    ]);
    expect(fake.sheetNames()).toEqual(['My Plan', 'Spend', result.sheetName, 'CBP Log']);
  });

  it('refuses actual spend without rows, writing nothing', async () => {
    const blank = { name: 'Spend', values: [['customer', 'date', 'actual'], [null, null, null]] as (FakeScalar | null)[][], tables: [{ name: 'Actuals', address: 'A1:C2' }] };
    const fake = createFakeExcel({ sheets: [planSheet, blank] });
    const before = fake.snapshot();
    await expect(trackVariance(plannerOf(fake), { actuals: { kind: 'table', name: 'Actuals' }, locale: 'en', productVersion: 'test' })).rejects.toThrow('The actual spend table Actuals has no rows');
    expect(fake.snapshot()).toBe(before);
  });

  it('compares per activity, summing the plan over customers', async () => {
    const fake = createFakeExcel({ sheets: [planSheet, spend] });
    const result = await trackVariance(plannerOf(fake), { planSheet: 'My Plan', actuals: { kind: 'table', name: 'Actuals' }, by: 'activity', asOf: epochDaysFromCivil(2026, 1, 31), locale: 'en', productVersion: 'test' });
    // visits: plan 1,300, expected 600 + 50 = 650, actual 715 (<= 650 x 1.1 = 715, not above) -> on track.
    expect(result.counts).toEqual({ 'on-track': 1 });
  });

  it('works on a plan written by generatePlan, and says so when there is no plan', async () => {
    const fake = workbookWithSamples();
    await expect(trackVariance(plannerOf(fake), { actuals: { kind: 'table', name: 'Actuals' }, locale: 'en', productVersion: 'test' })).rejects.toThrow('No plan table (CBP_Plan) was found; generate a plan first');
    await expect(trackVariance(plannerOf(fake), { actuals: { kind: 'table', name: 'Actuals' }, locale: 'zh-CN', productVersion: 'test' })).rejects.toThrow('未找到计划表');
    const plan = await generatePlan(plannerOf(fake), { source: { kind: 'table', name: 'Sales' }, locale: 'en', options: PLAN_OPTIONS, productVersion: 'test' });
    const byCustomer = await trackVariance(plannerOf(fake), { planSheet: plan.sheetName, actuals: { kind: 'table', name: 'Actuals' }, locale: 'en', productVersion: 'test' });
    const keys = new Set(actuals.slice(1).map((row) => row[0]));
    const unplanned = [...keys].filter((k) => !transactions.some((row) => row[0] === k)).length;
    // One line per planned customer (400), plus one per customer with spend but no plan line.
    expect(Object.values(byCustomer.counts).reduce((a, b) => a + b, 0)).toBe(400 + unplanned);
    const byActivity = await trackVariance(plannerOf(fake), { actuals: { kind: 'table', name: 'Actuals' }, by: 'activity', locale: 'en', productVersion: 'test' });
    expect(Object.values(byActivity.counts).reduce((a, b) => a + b, 0)).toBe(5); // visits, events, gifts, service, training
    expect(fake.sheetNames().slice(3)).toEqual(['Budget Plan (2)', 'CBP Log', 'Variance', 'Variance (2)']);
  });
});

describe('plan table helpers', () => {
  it('reads a Chinese plan table in cents', () => {
    const lines = readPlanTableRows([
      ['客户', '分配金额', '2026-Q1', '拜访'],
      ['张三', 10.5, 10.5, 10.5],
    ]);
    expect(lines.customers).toEqual(['张三']);
    expect(lines.planMinor).toEqual([1050]);
    expect(lines.periodRanges).toEqual([[epochDaysFromCivil(2026, 1, 1), epochDaysFromCivil(2026, 3, 31)]]);
    expect(lines.activityNames).toEqual(['visits']);
    // As of Feb 14: 31 + 14 = 45 of Q1's 90 days elapsed -> expected 1,050 x 45 / 90 = 525 cents.
    expect(planLinesFor(lines, 'customer', epochDaysFromCivil(2026, 2, 14)).expectedToDateMinor).toEqual([525]);
  });

  it('picks the newest plan table, on a given sheet when asked', () => {
    const tables = [{ name: 'CBP_Plan', sheet: 'P1' }, { name: 'CBP_Plan_3', sheet: 'P3' }, { name: 'CBP_Plan_2', sheet: 'P2' }, { name: 'CBP_Planning', sheet: 'X' }];
    expect(newestPlanTable(tables)?.name).toBe('CBP_Plan_3');
    expect(newestPlanTable(tables, 'p2')?.name).toBe('CBP_Plan_2');
    expect(newestPlanTable(tables, 'X')).toBeUndefined();
  });
});
