/**
 * Generate Plan with customer lifetime value as the value per customer (the task pane's "Customer
 * lifetime value (BG/NBD, 12 months)" weight basis) against the Excel fake: the CLV column, the
 * weights and the amounts on the plan sheet against lifetime values computed directly.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fitAndPredictClv, lifetimeValuesForPlan, summariseTransactions } from '../../src/engine/clv';
import { CellValue } from '../../src/engine/errors';
import { latestPurchaseDate } from '../../src/engine/rfm';
import { readTransactionTable } from '../../src/engine/transactions';
import { generatePlan } from '../../src/runs';
import { plannerOf } from './excel-planner';
import { createFakeExcel, FakeExcel, FakeScalar } from './fake-excel';

/** The sample CSV as cells: numbers as numbers (customer ids stay text), the rest as typed. */
function csvRows(file: string): FakeScalar[][] {
  const text = readFileSync(join(__dirname, '..', '..', 'samples', file), 'utf8').trim();
  return text.split(/\r?\n/).map((line, r) => line.split(',').map((cell) => (r > 0 && /^-?\d+(\.\d+)?$/.test(cell) && !/^C\d/.test(cell) ? Number(cell) : cell)));
}

const transactions = csvRows('transactions.csv');
const tx = readTransactionTable(transactions as CellValue[][]);
/** Lifetime values computed straight from the models, as `cbp plan --clv bgnbd` did before the engine function. */
const direct = (() => {
  const summary = summariseTransactions(tx, latestPurchaseDate(tx), 'days');
  const result = fitAndPredictClv(summary, { horizonMonths: 12 });
  return { byCustomer: new Map(result.customers.map((c) => [c.customer, c.clv])), warnings: result.warnings, refunds: summary.refundRowsIgnored };
})();

function workbook(): FakeExcel {
  return createFakeExcel({ sheets: [{ name: 'Data', values: transactions, tables: [{ name: 'Sales', address: `A1:D${transactions.length}` }] }] });
}

/** The plan table's customer rows as objects keyed by header (the totals row left out). */
function planRows(fake: FakeExcel, sheet: string): Record<string, FakeScalar>[] {
  const table = fake.sheet(sheet).tables.find((t) => /^CBP_Plan/.test(t.name))!;
  const [header, ...rows] = fake.values(sheet, table.address);
  return rows.slice(0, table.showTotals ? -1 : undefined).map((row) => Object.fromEntries(header.map((name, c) => [String(name), row[c]])));
}

describe('lifetimeValuesForPlan (the engine function behind cbp plan --clv and the task pane)', () => {
  it('gives the BG/NBD + Gamma-Gamma lifetime values of the models fitted directly, with the refund note apart', () => {
    const clv = lifetimeValuesForPlan(tx, undefined, 12);
    expect(clv.months).toBe(12);
    expect(clv.byCustomer.size).toBe(400);
    expect([...clv.byCustomer]).toEqual([...direct.byCustomer]);
    expect(clv.warnings).toEqual(direct.warnings);
    // The sample has refund rows: counted, noted last in the engine's words, and not among the model's caveats.
    expect(clv.refundRowsIgnored).toBe(direct.refunds);
    expect(clv.refundRowsIgnored).toBeGreaterThan(0);
    expect(clv.warnings[clv.warnings.length - 1]).toBe(`${clv.refundRowsIgnored} refund rows (negative amounts) were not counted as purchases`);
    expect(clv.modelWarnings).toEqual(clv.warnings.slice(0, -1));
    expect(clv.modelWarnings.some((w) => /refund/.test(w))).toBe(false);
    expect(clv.nonFiniteValues).toBe(0);
  });
});

describe('generatePlan with the lifetime value as the value per customer', () => {
  it('optimal: the CLV column holds the engine\'s lifetime values, the weights are them, and the amounts follow their order', async () => {
    const fake = workbook();
    const summary = await generatePlan(plannerOf(fake), {
      source: { kind: 'table', name: 'Sales' },
      locale: 'en',
      options: { budget: 500_000, reserve: 0.05, unit: 1, method: 'optimal', weightBasis: 'clv', saturation: 2000 },
      clv: { months: 12 },
      productVersion: 'test',
    });
    // Budget 500,000.00 with 5 % held back: 475,000.00 to customers.
    expect(summary).toMatchObject({ customers: 400, allocatedMinor: 47_500_000, reserveMinor: 2_500_000, unallocatedMinor: 0 });
    expect(summary.clv).toEqual({ months: 12, customers: 400, refundRowsIgnored: direct.refunds, modelWarnings: direct.warnings.slice(0, -1) });
    const rows = planRows(fake, summary.sheetName);
    expect(rows).toHaveLength(400);
    expect(Object.keys(rows[0])).toContain('CLV, 12 months (BG/NBD)');
    for (const row of rows) {
      const expected = direct.byCustomer.get(String(row.Customer))!;
      expect(row['CLV, 12 months (BG/NBD)']).toBeCloseTo(expected, 9);
      expect(row.Weight).toBeCloseTo(expected, 9); // the value at stake is the lifetime value
    }
    expect(Math.round(rows.reduce((s, row) => s + (row.Allocation as number), 0) * 100)).toBe(47_500_000);
    // Same saturation for everyone: a larger value at stake never gets less (up to the unit of 1).
    const byClv = [...rows].sort((a, b) => (a.Weight as number) - (b.Weight as number));
    for (let k = 1; k < byClv.length; k++) expect(byClv[k].Allocation as number).toBeGreaterThanOrEqual((byClv[k - 1].Allocation as number) - 1);
    const top = byClv.slice(-40).reduce((s, row) => s + (row.Allocation as number), 0);
    const bottom = byClv.slice(0, 40).reduce((s, row) => s + (row.Allocation as number), 0);
    expect(top).toBeGreaterThan(bottom);
    // The expected response is money: v (1 - e^(-x/s)) per customer, v = CLV, adding up to the total.
    const response = rows.reduce((s, row) => s + (row.Weight as number) * (1 - Math.exp(-(row.Allocation as number) / 2000)), 0);
    expect(summary.optimal!.totalResponse).toBeCloseTo(response, 4);
    expect(rows.reduce((s, row) => s + (row['Expected response'] as number), 0)).toBeCloseTo(response, 4);
  });

  it('proportional, in Chinese, with the months left to the default: amounts in proportion to CLV under a Chinese column name', async () => {
    const fake = workbook();
    const summary = await generatePlan(plannerOf(fake), {
      source: { kind: 'table', name: 'Sales' },
      locale: 'zh-CN',
      options: { budget: 100_000, reserve: 0, unit: 1, weightBasis: 'clv', language: 'zh' },
      productVersion: 'test',
    });
    expect(summary.clv?.months).toBe(12);
    const rows = planRows(fake, summary.sheetName);
    const total = [...direct.byCustomer.values()].reduce((s, v) => s + v, 0);
    for (const row of rows) {
      const value = direct.byCustomer.get(String(row['客户']))!;
      expect(row['客户终身价值（12 个月，BG/NBD）']).toBeCloseTo(value, 9);
      // 100,000 split in proportion to CLV, rounded to whole units.
      expect(Math.abs((row['分配金额'] as number) - (100_000 * value) / total)).toBeLessThan(1);
    }
  });

  it('a CLV column beside another weight basis when asked for; none when not', async () => {
    const fake = workbook();
    const withColumn = await generatePlan(plannerOf(fake), { source: { kind: 'table', name: 'Sales' }, locale: 'en', options: { budget: 1000, unit: 1 }, clv: { months: 6 }, productVersion: 'test' });
    const six = lifetimeValuesForPlan(tx, undefined, 6);
    const rows = planRows(fake, withColumn.sheetName);
    for (const row of rows) expect(row['CLV, 6 months (BG/NBD)']).toBeCloseTo(six.byCustomer.get(String(row.Customer))!, 9);
    expect(rows.some((row) => row.Weight !== row['CLV, 6 months (BG/NBD)'])).toBe(true); // weights stay RFM scores
    const without = await generatePlan(plannerOf(fake), { source: { kind: 'table', name: 'Sales' }, locale: 'en', options: { budget: 1000, unit: 1 }, productVersion: 'test' });
    expect(without.clv).toBeUndefined();
    expect(Object.keys(planRows(fake, without.sheetName)[0]).some((name) => name.startsWith('CLV'))).toBe(false);
  });

  it('too little history for the models: says the lifetime values could not be estimated, in the user\'s language, and writes nothing', async () => {
    const values: FakeScalar[][] = [['customer', 'date', 'amount'], ['A', '2025-01-02', 10], ['B', '2025-02-03', 20], ['A', '2025-03-04', 30], ['D', '2025-04-05', 40]];
    for (const [locale, text] of [
      ['en', /^The customer lifetime values \(BG\/NBD\) could not be estimated from these transactions: the BG\/NBD model needs more history: 3 customers, 1 with a repeat purchase.*Choose another weight basis/],
      ['zh-CN', /^无法根据这些交易估计客户终身价值（BG\/NBD）：BG\/NBD 模型需要更多历史数据：3 位客户，其中 1 位有重复购买.*请选择其他权重依据/],
    ] as const) {
      const fake = createFakeExcel({ sheets: [{ name: 'Data', values, tables: [{ name: 'Tx', address: 'A1:C5' }] }] });
      const before = fake.snapshot();
      const run = generatePlan(plannerOf(fake), { source: { kind: 'table', name: 'Tx' }, locale, options: { budget: 100, method: 'optimal', saturation: 10, weightBasis: 'clv' }, productVersion: 'test' });
      await expect(run).rejects.toMatchObject({ name: 'InputError', code: 'no-data', message: expect.stringMatching(text) });
      expect(fake.snapshot()).toBe(before);
    }
  });

  it('a fit at the edge of its range (the first 32 sample customers) gives finite values and is written with its caveat', async () => {
    const first = transactions.slice(0, 401);
    const small = lifetimeValuesForPlan(readTransactionTable(first as CellValue[][]), undefined, 12);
    // BG/NBD a and b at the edge of their range (few dropouts): the values were NaN before the large-a form.
    expect(small.byCustomer.size).toBe(32);
    expect(small.nonFiniteValues).toBe(0);
    expect(small.modelWarnings.some((w) => /at the edge of its range/.test(w))).toBe(true);
    const fake = createFakeExcel({ sheets: [{ name: 'Data', values: first, tables: [{ name: 'Tx', address: 'A1:D401' }] }] });
    const summary = await generatePlan(plannerOf(fake), { source: { kind: 'table', name: 'Tx' }, locale: 'en', options: { budget: 10_000, method: 'optimal', saturation: 100, weightBasis: 'clv' }, productVersion: 'test' });
    expect(summary.clv?.modelWarnings.some((w) => /at the edge of its range/.test(w))).toBe(true);
    expect(summary.customers).toBe(32);
  });
});
