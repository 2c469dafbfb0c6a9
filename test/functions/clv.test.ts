/**
 * CBP.CLV called as Excel calls it: the simple and retention closed forms per row.
 */
import fc from 'fast-check';
import { installCustomFunctionsStub, thrownError } from './helpers/custom-functions-stub';

installCustomFunctionsStub();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { CLV } = require('../../src/functions/functions') as typeof import('../../src/functions/functions');

const col = (values: unknown[]): unknown[][] => values.map((v) => [v]);

describe('CBP.CLV simple', () => {
  test('annual profit x years: 1200 x 3 = 3600', () => {
    expect(CLV('simple', [[1200]], [[3]])).toEqual([[3600]]);
  });

  test('per row, with one value for every row, a header and a blank row', () => {
    // 1000 x 2 = 2000; 250.50 x 2 = 501; blank stays blank.
    expect(CLV('Simple', col(['Profit', 1000, '', '¥250.50']), [[2]])).toEqual([['clv'], [2000], [''], [501]]);
  });
});

describe('CBP.CLV retention', () => {
  test('no horizon: m (1 + d) / (1 + d - r) = 1000 x 1.1 / 0.3 = 3666.67', () => {
    expect(CLV('retention', [[1000]], [[0.8]], [[0.1]])[0][0]).toBeCloseTo(1100 / 0.3, 9);
    expect(CLV('retention', [[1000]], [['80%']], [['10%']])[0][0]).toBeCloseTo(3666.6666667, 6);
  });

  test('3 years: 1000 + 1000 x 0.8 / 1.1 + 1000 x 0.64 / 1.21 = 2256.198', () => {
    expect(CLV('retention', [[1000]], [[0.8]], [[0.1]], [[3]])[0][0]).toBeCloseTo(1000 + 800 / 1.1 + 640 / 1.21, 9);
  });

  test('columns per customer; a blank years cell means no end', () => {
    const out = CLV('retention', col([1000, 500]), col([0.5, 0]), [[0]], col([2, '']));
    // Row 1: 1000 + 1000 x 0.5 = 1500. Row 2: retention 0 -> only the first year's margin, 500 x 1 / 1 = 500.
    expect(out).toEqual([[1500], [500]]);
  });

  test('property: with a horizon the value grows with the years and stays below the endless value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.double({ min: 0, max: 0.95, noNaN: true }), fc.double({ min: 0, max: 0.3, noNaN: true }), fc.integer({ min: 1, max: 30 }), (m, r, d, years) => {
        const shorter = CLV('retention', [[m]], [[r]], [[d]], [[years]])[0][0] as number;
        const longer = CLV('retention', [[m]], [[r]], [[d]], [[years + 1]])[0][0] as number;
        const endless = CLV('retention', [[m]], [[r]], [[d]])[0][0] as number;
        expect(longer).toBeGreaterThanOrEqual(shorter - 1e-9);
        expect(endless).toBeGreaterThanOrEqual(longer - 1e-6);
      }),
      { numRuns: 100 },
    );
  });
});

describe('CBP.CLV errors', () => {
  test('name the argument and row', () => {
    expect(thrownError(() => CLV('retention', col([1000, 900]), col([0.8, 1.2]), [[0.1]])).message).toBe(
      'years_retention_or_dates, row 2: must be from 0 up to (not including) 1, e.g. 0.8 for 80 % (got 1.2)',
    );
    expect(thrownError(() => CLV('retention', [[1000]], [[0.8]])).message).toBe('discount_or_amounts: enter the yearly discount rate, e.g. 10% (0 for none)');
    expect(thrownError(() => CLV('simple', col([1, 2, 3]), col([1, 2]))).message).toBe(
      'years_retention_or_dates: has 2 rows but profit_margin_or_customers has 3; select ranges of the same height',
    );
    expect(thrownError(() => CLV('simple', [['lots']], [[3]])).message).toMatch(/^profit_margin_or_customers, row 1: 'lots' is not an amount/);
    expect(thrownError(() => CLV('npv', [[1]], [[1]])).message).toBe("method: 'npv' is not one of simple, retention, bgnbd");
  });
});

describe('CBP.CLV bgnbd on the CDNOW sample (Fader, Hardie and Lee 2005)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { readFileSync } = require('fs') as typeof import('fs');
  const lines = readFileSync(`${__dirname}/../fixtures/cdnow/CDNOW_sample.txt`, 'utf8').trim().split('\n').map((line) => line.trim().split(/\s+/));
  // Columns: customer id (original), customer id (sample), date yyyymmdd, quantity, amount.
  const customers = col(['Customer', ...lines.map((l) => l[1])]);
  const dates = col(['Date', ...lines.map((l) => l[2])]);
  const amounts = col(['Amount', ...lines.map((l) => Number(l[4]))]);
  const table = CLV('bgnbd', customers, dates, amounts, [[12]], 0.01, '1997-09-30');

  test('one row per customer (2,357) under a header that states units and horizons', () => {
    expect(table).toHaveLength(2358);
    expect(table[0]).toEqual([
      'customer (as of 1997-09-30)',
      'frequency (repeat purchase days)',
      'recency (days)',
      'T (days)',
      'monetary',
      'p_alive',
      'expected_purchases (next 90 days)',
      'expected_spend',
      'clv (12 months of 30 days, 1% a month discount)',
    ]);
  });

  test('customer 0001: the published summary x = 2, t_x = 30.43 weeks, T = 38.86 weeks, in days', () => {
    const row = table.find((r) => r[0] === '0001')!;
    // First purchase 1997-01-01, last 1997-08-02 (213 days = 30.43 weeks), end 1997-09-30 (272 days = 38.86 weeks).
    expect(row.slice(1, 4)).toEqual([2, 213, 272]);
    // P(alive) = 1 / (1 + a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r + x)) with the published weekly
    // r = 0.243, alpha = 4.414, a = 0.793, b = 2.426: 0.793 / 3.426 x (43.274 / 34.844)^2.243 = 0.3763 -> 0.7266.
    // The fit in days has the same r, a, b and alpha x 7 (within 0.5 %), so the same P(alive).
    expect(row[5] as number).toBeCloseTo(0.7266, 2);
    for (const r of table.slice(1)) {
      expect(r[5] as number).toBeGreaterThan(0);
      expect(r[5] as number).toBeLessThanOrEqual(1);
      expect(r[8] as number).toBeGreaterThanOrEqual(0);
    }
  });

  test('too little history is an error that says so', () => {
    expect(thrownError(() => CLV('bgnbd', col(['A', 'A', 'B']), col(['2024-01-01', '2024-02-01', '2024-01-05']), col([10, 20, 30]))).message).toMatch(
      /^the BG\/NBD model needs more history: 2 customers, 1 with a repeat purchase/,
    );
    expect(thrownError(() => CLV('bgnbd', col(['A']), col(['2024-01-01']))).message).toBe('discount_or_amounts: enter the amount of each transaction');
  });
});
