import fc from 'fast-check';
import { allocateBudget } from '../../src/engine/allocation/allocate';
import { InputError } from '../../src/engine/errors';

/** Allocation on extreme inputs: a plan that adds up, or a clear InputError; never a hang or an internal error. */
it('gives every method a plan within bounds that adds up, or a clear message, on wide random inputs', () => {
  const pos = fc.oneof(fc.double({ min: 1e-12, max: 1e12, noNaN: true }), fc.integer({ min: 1, max: 1000 }));
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.oneof(fc.constant(0), pos), pos, fc.constantFrom('A', 'B', 'C'), fc.option(fc.integer({ min: 0, max: 50 })), fc.option(fc.integer({ min: 1, max: 500 }))), { minLength: 1, maxLength: 25 }),
      fc.double({ min: 1, max: 1e7, noNaN: true }),
      fc.constantFrom('exp', 'log'),
      fc.constantFrom(1, 0.01, 100),
      fc.constantFrom<Record<string, number> | undefined>(undefined, { A: 0.3 }, { B: 0.05 }),
      fc.constantFrom<Record<string, number> | undefined>(undefined, { C: 0.2 }),
      fc.constantFrom('proportional', 'optimal', 'equal'),
      (rows, budget, response, unit, maxShare, minShare, method) => {
        const floor = Float64Array.from(rows, (r) => (r[3] === null ? NaN : r[3]));
        const cap = Float64Array.from(rows, (r) => (r[4] === null ? NaN : r[4]));
        try {
          const r = allocateBudget({ budget, unit, weights: rows.map((x) => x[0]), saturation: rows.map((x) => x[1]), groups: rows.map((x) => x[2]), floor, cap, method: method as 'optimal', response: response as 'exp', ...(method === 'optimal' ? { groupMaxShare: maxShare, groupMinShare: minShare } : {}) });
          let total = 0;
          r.amountsMinor.forEach((a, i) => {
            total += a;
            expect(a % r.unitMinor).toBe(0);
            expect(a / r.unitMinor).toBeGreaterThanOrEqual(r.floorUnits[i]);
            expect(a / r.unitMinor).toBeLessThanOrEqual(r.capUnits[i]);
          });
          expect(total + r.unallocatedMinor).toBe(r.distributableMinor);
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
        }
      },
    ),
    { numRuns: 500 },
  );
});

it('flat curves (saturation far above the budget) give the budget to the best value per unit of spend', () => {
  // 3 (1 - e^(-x/1e10)) is 3e-10 x over a budget of 100: a straight line; A has the best slope.
  const flat = allocateBudget({ budget: 100, unit: 1, weights: [3, 2, 1], method: 'optimal', saturation: 1e10 });
  expect(Array.from(flat.amountsMinor)).toEqual([10_000, 0, 0]);
  // Near the limit (a trillion times the budget) positions are barely resolvable; the plan still adds up.
  const flatter = allocateBudget({ budget: 100, unit: 1, weights: [3, 2, 1], method: 'optimal', saturation: 9e13 });
  expect(Array.from(flatter.amountsMinor)).toEqual([10_000, 0, 0]);
  expect(() => allocateBudget({ budget: 100, unit: 1, weights: [3, 2, 1], method: 'optimal', saturation: 1e200 })).toThrow(
    'row 1, column saturation: the saturation spend 1e+200 is more than a trillion times the budget to distribute (100.00): every response would be a straight line and the split arbitrary',
  );
});
