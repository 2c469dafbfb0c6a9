import fc from 'fast-check';
import { allocateBudget } from '../../src/engine/allocation/allocate';
import { splitBudget } from '../../src/engine/allocation/budget';
import { roundLargestRemainder } from '../../src/engine/allocation/rounding';
import { InputError } from '../../src/engine/errors';

const sumOf = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);

describe('splitBudget', () => {
  it('rounds the distributable amount down to the unit and keeps the rest as reserve', () => {
    // 500,000 x (1 - 0.05) = 475,000.00; unit 1000 -> 475 units of 1000; reserve 25,000.
    expect(splitBudget({ budget: 500000, reserve: 0.05, unit: 1000 })).toMatchObject({
      budgetMinor: 50_000_000,
      distributableUnits: 475,
      distributableMinor: 47_500_000,
      reserveMinor: 2_500_000,
    });
    // 1,000.55 x 0.9 = 900.495 -> 900 at unit 1; reserve 100.55.
    expect(splitBudget({ budget: 1000.55, reserve: 0.1, unit: 1 })).toMatchObject({ distributableMinor: 90_000, reserveMinor: 10_055 });
  });

  it('rejects a reserve of 100 % or a unit finer than a cent', () => {
    expect(() => splitBudget({ budget: 100, reserve: 1 })).toThrow(/reserve/);
    expect(() => splitBudget({ budget: 100, unit: 0.001 })).toThrow(/unit/);
    expect(() => splitBudget({ budget: 0 })).toThrow(/budget/);
  });
});

describe('largest remainder rounding', () => {
  it('gives the leftover units to the largest remainders, ties to the larger weight then the earlier row', () => {
    // 10 units over thirds: 3.333 each -> floors 3,3,3 and one unit left; tie broken by weight (row 1).
    const r = roundLargestRemainder({
      amounts: Float64Array.of(10 / 3, 10 / 3, 10 / 3),
      lower: new Float64Array(3),
      upper: new Float64Array(3).fill(Infinity),
      total: 10,
      weights: [1, 2, 1],
    });
    expect(Array.from(r)).toEqual([3, 4, 3]);
    const equalWeights = roundLargestRemainder({
      amounts: Float64Array.of(10 / 3, 10 / 3, 10 / 3),
      lower: new Float64Array(3),
      upper: new Float64Array(3).fill(Infinity),
      total: 10,
      weights: [1, 1, 1],
    });
    expect(Array.from(equalWeights)).toEqual([4, 3, 3]);
  });
});

describe('allocateBudget', () => {
  it('splits proportionally, exact to the cent (hand-checked)', () => {
    // D = 100.00; weights 1:2:3 -> 16.666.., 33.333.., 50.00 -> cents 1666.67 rounds: 1667, 3333, 5000.
    const result = allocateBudget({ budget: 100, weights: [1, 2, 3] });
    expect(Array.from(result.amountsMinor)).toEqual([1667, 3333, 5000]);
    expect(sumOf(result.amountsMinor)).toBe(10000);
  });

  it('clamps at floors and caps and re-spreads the rest', () => {
    // D = 1000 (unit 1): weights 1,1,8 -> 100,100,800 but cap 500 on row 3 -> 300 over to rows 1-2:
    // lambda solves 2*lambda + 500 = 1000 -> 250 each.
    const result = allocateBudget({ budget: 1000, unit: 1, weights: [1, 1, 8], cap: [NaN, NaN, 500] });
    expect(Array.from(result.amountsMinor)).toEqual([25000, 25000, 50000]);
    expect(result.atBound).toEqual(['', '', 'cap']);
    // Floor 300 on a zero-weight row: it gets its floor, the rest 700 goes 1:8... wait weights 0,1,8 -> 700/9.
    const floored = allocateBudget({ budget: 1000, unit: 1, weights: [0, 1, 8], floor: [300, 0, 0] });
    // 700 * 1/9 = 77.78 -> 78; 700 * 8/9 = 622.22 -> 622.
    expect(Array.from(floored.amountsMinor)).toEqual([30000, 7800, 62200]);
    expect(floored.atBound[0]).toBe('floor');
  });

  it('reports what no one can take when every row is at its cap', () => {
    const result = allocateBudget({ budget: 1000, unit: 1, weights: [1, 1], cap: 300 });
    expect(Array.from(result.amountsMinor)).toEqual([30000, 30000]);
    expect(result.unallocatedMinor).toBe(40000);
    expect(result.reserveMinor + result.unallocatedMinor + sumOf(result.amountsMinor)).toBe(100000);
  });

  it('states both numbers when the floors exceed the distributable amount', () => {
    expect(() => allocateBudget({ budget: 1000, reserve: 0.1, unit: 1, weights: [1, 1], floor: 500 })).toThrow(
      'the floors add up to 1000.00, more than the 900.00 to distribute',
    );
  });

  it('names the row of a negative weight', () => {
    expect(() => allocateBudget({ budget: 10, weights: [1, -2], firstRow: 2 })).toThrow(InputError);
    expect(() => allocateBudget({ budget: 10, weights: [1, -2], firstRow: 2 })).toThrow('row 3, column weight');
  });

  it('splits equally within bounds', () => {
    // 1000 over 3 at unit 1: 333.33 each -> one extra unit to the earliest row.
    expect(Array.from(allocateBudget({ budget: 1000, unit: 1, weights: [5, 1, 1], method: 'equal' }).amountsMinor)).toEqual([33400, 33300, 33300]);
  });

  it('splits by group shares first, then proportionally inside each group', () => {
    // D = 1000: A gets 600 (rows 1,2 weights 1:2 -> 200, 400), B gets 400 (row 3).
    const result = allocateBudget({ budget: 1000, unit: 1, weights: [1, 2, 5], method: 'shares', groups: ['A', 'A', 'B'], groupShares: { A: 0.6, B: 0.4 } });
    expect(Array.from(result.amountsMinor)).toEqual([20000, 40000, 40000]);
    expect(() => allocateBudget({ budget: 10, weights: [1], method: 'shares', groups: ['C'], groupShares: { A: 1 } })).toThrow(/group 'C' has no share/);
  });

  const problem = fc.record({
    weights: fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { minLength: 1, maxLength: 40 }),
    budget: fc.integer({ min: 1, max: 10_000_000 }).map((c) => c / 100),
    reserve: fc.constantFrom(0, 0.05, 0.1),
    unit: fc.constantFrom(0.01, 1, 100),
    floor: fc.constantFrom(undefined, 0, 1, 25.5),
    cap: fc.constantFrom(undefined, 1000, 50000),
  });

  it('always adds up to the distributable amount exactly, in whole units, within floors and caps', () => {
    fc.assert(
      fc.property(problem, (p) => {
        if (Math.max(...p.weights) === 0) p.weights[0] = 1;
        let result;
        try {
          result = allocateBudget(p);
        } catch (error) {
          expect((error as Error).message).toMatch(/floors add up|every weight is 0|less than one rounding unit/);
          return;
        }
        const total = sumOf(result.amountsMinor);
        expect(total + result.unallocatedMinor).toBe(result.distributableMinor);
        expect(result.distributableMinor + result.reserveMinor).toBe(result.budgetMinor);
        for (const a of result.amountsMinor) {
          expect(a % result.unitMinor).toBe(0);
          if (p.floor !== undefined) expect(a).toBeGreaterThanOrEqual(p.floor * 100);
          if (p.cap !== undefined) expect(a).toBeLessThanOrEqual(p.cap * 100);
        }
      }),
    );
  });

  it('is monotone in weight: a larger weight never gets less', () => {
    fc.assert(
      fc.property(problem, (p) => {
        if (Math.max(...p.weights) === 0) p.weights[0] = 1;
        try {
          const result = allocateBudget(p);
          for (let i = 0; i < p.weights.length; i++)
            for (let j = 0; j < p.weights.length; j++)
              if (p.weights[i] > p.weights[j]) expect(result.amountsMinor[i]).toBeGreaterThanOrEqual(result.amountsMinor[j]);
        } catch (error) {
          expect((error as Error).message).toMatch(/floors add up|every weight is 0|less than one rounding unit/);
        }
      }),
    );
  });

  it('does not depend on row order (shuffling permutes the result)', () => {
    fc.assert(
      fc.property(problem, fc.integer(), (p, seed) => {
        const weights = p.weights.map((w, i) => w + i * 1e-6); // distinct weights: no order-based ties
        const order = weights.map((_, i) => i).sort((a, b) => ((a * 7919 + seed) % 13) - ((b * 7919 + seed) % 13) || a - b);
        try {
          const base = allocateBudget({ ...p, weights });
          const shuffled = allocateBudget({ ...p, weights: order.map((i) => weights[i]) });
          order.forEach((i, k) => expect(shuffled.amountsMinor[k]).toBe(base.amountsMinor[i]));
        } catch (error) {
          expect((error as Error).message).toMatch(/floors add up|every weight is 0|less than one rounding unit/);
        }
      }),
    );
  });
});

import { monthNames, quarterNames, splitAmount, splitAmounts, splitByGroupProfiles, normaliseProfile } from '../../src/engine/allocation/phasing';

describe('phasing and activity split', () => {
  it('splits 1,000.00 over 12 months exactly (hand-checked)', () => {
    // 100000 cents / 12 = 8333.33: floors 8333 x 12 = 99996, the 4 leftover cents go to Jan-Apr.
    const parts = splitAmount(100000, normaliseProfile({ names: monthNames(2026), weights: Array(12).fill(1) }));
    expect(Array.from(parts)).toEqual([8334, 8334, 8334, 8334, 8333, 8333, 8333, 8333, 8333, 8333, 8333, 8333]);
    expect(quarterNames(2026)).toEqual(['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4']);
  });

  it('follows a seasonal profile', () => {
    // 40/30/20/10 of 999 cents: 399.6, 299.7, 199.8, 99.9 -> floors 399,299,199,99 (996); the 3 leftover
    // cents go to the largest remainders .9 (Q4), .8 (Q3), .7 (Q2).
    expect(Array.from(splitAmount(999, normaliseProfile({ names: ['Q1', 'Q2', 'Q3', 'Q4'], weights: [4, 3, 2, 1] })))).toEqual([399, 300, 200, 100]);
  });

  it('uses a per-segment activity mix where one is given', () => {
    const rows = splitByGroupProfiles([1000, 1000], ['Champions', 'Lost'], { names: ['visits', 'gifts'], weights: [1, 1] }, { Champions: { names: ['visits', 'gifts'], weights: [3, 1] } });
    expect(rows.map((r) => Array.from(r))).toEqual([
      [750, 250],
      [500, 500],
    ]);
  });

  it('keeps every phased row adding up exactly', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1e9 }), { minLength: 1, maxLength: 20 }),
        fc.array(fc.double({ min: 0, max: 10, noNaN: true }), { minLength: 1, maxLength: 12 }).filter((w) => w.some((x) => x > 0)),
        (amounts, weights) => {
          const rows = splitAmounts(amounts, { names: weights.map((_, i) => `p${i}`), weights });
          rows.forEach((parts, i) => {
            expect(sumOf(parts)).toBe(amounts[i]);
            parts.forEach((p) => expect(Number.isInteger(p) && p >= 0).toBe(true));
          });
        },
      ),
    );
  });
});
