/**
 * CBP.ALLOCATE called as Excel calls it.
 */
import fc from 'fast-check';
import { installCustomFunctionsStub, thrownError } from './helpers/custom-functions-stub';

installCustomFunctionsStub();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ALLOCATE } = require('../../src/functions/functions') as typeof import('../../src/functions/functions');

const col = (values: unknown[]): unknown[][] => values.map((v) => [v]);
const amounts = (table: unknown[][]): unknown[] => table.map((r) => r[0]);
const cents = (table: unknown[][]): number => table.reduce((s: number, r) => s + (typeof r[0] === 'number' ? Math.round(r[0] * 100) : 0), 0);

describe('CBP.ALLOCATE', () => {
  test('proportional: 1000 by weights 1, 2, 3, 4 is 100, 200, 300, 400', () => {
    expect(ALLOCATE(1000, col([1, 2, 3, 4]))).toEqual(col([100, 200, 300, 400]));
  });

  test('reserve 5 % and unit 10: exact shares 95, 190, 285, 380 round to 90, 190, 290, 380', () => {
    // D = 1000 * 0.95 = 950 (a multiple of 10). Quotas 95, 190, 285, 380: floors 90, 190, 280, 380 = 940.
    // The last 10 goes to the largest remainder: rows 1 and 3 both have 5; the tie goes to the larger weight (row 3).
    expect(ALLOCATE(1000, col([1, 2, 3, 4]), null as never, null as never, null as never, 10, 0.05)).toEqual(col([90, 190, 290, 380]));
    expect(ALLOCATE(1000, col([1, 2, 3, 4]), null as never, null as never, null as never, 10, '5%' as never)).toEqual(col([90, 190, 290, 380]));
  });

  test('a floor of 150: row 1 sits at its floor, the others share 850 as 2 : 3 : 4', () => {
    // lambda = 850 / 9 = 94.44...: 188.888..., 283.333..., 377.777...; floors in cents 188.88 + 283.33 + 377.77 = 849.98;
    // the 2 cents left go to the largest remainders: .8 (row 2) and .7 (row 4).
    const out = ALLOCATE(1000, col([1, 2, 3, 4]), [[150]]);
    expect(out).toEqual(col([150, 188.89, 283.33, 377.78]));
    expect(cents(out)).toBe(100000);
  });

  test('per-row floors and caps, a header row and a blank row', () => {
    // Weights 1, (blank), 1, 2 with caps 100, -, (none), 1000 and budget 600: row 1 is capped at 100;
    // rows 3 and 4 share 500 as 1 : 2 -> 166.666... and 333.333... -> 166.67 and 333.33 (remainders .67 vs .33: row 3 gets the cent).
    const out = ALLOCATE(600, col(['Weight', 1, '', 1, 2]), null as never, col(['Cap', 100, '', '', 1000]));
    expect(out).toEqual([['allocation'], [100], [''], [166.67], [333.33]]);
  });

  test('equal method, money text budget', () => {
    // 1000.00 / 3 = 333.333...: 333.33 each and one cent left, to the earliest row (equal weights).
    expect(ALLOCATE('¥1,000.00', col([5, 1, 9]), null as never, null as never, 'equal')).toEqual(col([333.34, 333.33, 333.33]));
  });

  test('every row at its cap: the unallocated rest is stated in the header', () => {
    expect(ALLOCATE(1000, col(['Score', 1, 1]), [[300]] as never, null as never)).toEqual([['allocation'], [500], [500]]);
    expect(ALLOCATE(1000, col(['Score', 1, 1]), null as never, [[300]])).toEqual([['allocation (400.00 unallocated: every row is at its cap)'], [300], [300]]);
  });

  test('property: amounts are multiples of the unit, within bounds, and add up exactly to the distributable budget', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 100, max: 10_000_000 }),
        fc.constantFrom(0.01, 1, 100),
        fc.constantFrom(0, 0.05, 0.1),
        (weights, budgetCents, unit, reserve) => {
          // D = B (1 - reserve) rounded down to a multiple of the unit, in cents; a budget below one unit is refused.
          const unitCents = Math.round(unit * 100);
          const distributable = Math.floor(Math.floor(budgetCents * (1 - reserve) + 1e-7) / unitCents) * unitCents;
          fc.pre(weights.some((w) => w > 0) && distributable > 0);
          const out = ALLOCATE(budgetCents / 100, col(weights), null as never, null as never, null as never, unit, reserve);
          expect(cents(out)).toBe(distributable);
          for (const [amount] of out as number[][]) {
            expect(Math.round(amount * 100) % unitCents).toBe(0);
            expect(amount).toBeGreaterThanOrEqual(0);
          }
          // Monotone in weight: a larger weight never gets less (up to one unit of rounding).
          weights.forEach((w, i) =>
            weights.forEach((v, j) => {
              if (w > v) expect((out[i][0] as number) + unit + 1e-9).toBeGreaterThanOrEqual(out[j][0] as number);
            }),
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  test('errors name the argument and the row of the selection', () => {
    expect(thrownError(() => ALLOCATE(1000, col(['Weight', 1, -2]))).message).toBe('weights, row 3: the weight -2 must be 0 or more');
    expect(thrownError(() => ALLOCATE(1000, col([1, 'lots']))).message).toBe("weights, row 2: 'lots' is not a number");
    expect(thrownError(() => ALLOCATE(0, col([1, 2]))).message).toBe('budget: must be a number above 0 (got 0)');
    expect(thrownError(() => ALLOCATE(1000, col([1, 2]), null as never, null as never, null as never, null as never, 1.5)).message).toMatch(/^reserve: must be a fraction from 0 up to/);
    expect(thrownError(() => ALLOCATE(1000, col([1, 2]), [[600]])).message).toBe('the floors add up to 1200.00, more than the 1000.00 to distribute; lower the floors or raise the budget');
    expect(thrownError(() => ALLOCATE(1000, col([1, 2]), null as never, col([10, 20, 30]))).message).toBe('cap: has 3 rows but weights has 2; select ranges of the same height');
    expect(thrownError(() => ALLOCATE(1000, col([1, 2]), null as never, null as never, 'optimal')).message).toBe("method: 'optimal' is not one of proportional, equal");
    expect(thrownError(() => ALLOCATE(1000, col(['', '']))).message).toBe('weights: there are no weights; select the cells that hold one weight per customer');
    expect(thrownError(() => ALLOCATE(50, col([1]), null as never, null as never, null as never, 100)).message).toBe(
      'unit: the budget after the reserve is less than one rounding unit (100); lower the unit or the reserve',
    );
    expect(amounts(ALLOCATE(1000, col([0, 1])))).toEqual([0, 1000]);
  });
});
