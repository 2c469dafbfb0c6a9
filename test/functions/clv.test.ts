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
