import fc from 'fast-check';
import { allocateBudget } from '../../src/engine/allocation/allocate';
import { response, solveOptimal } from '../../src/engine/allocation/optimal';

const sumOf = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);

describe('optimal allocation with diminishing returns', () => {
  it('equalises marginal returns (hand-checked)', () => {
    // v = 200, 100; s = 10, 10; D = 20 units. 20 e^(-x1/10) = 10 e^(-x2/10) and x1 + x2 = 20
    // -> x1 - x2 = 10 ln 2 = 6.9315 -> x1 = 13.466, x2 = 6.534 -> units 13 and 7 (.534 > .466).
    const result = allocateBudget({ budget: 20, unit: 1, weights: [200, 100], method: 'optimal', saturation: 10 });
    expect(Array.from(result.amountsMinor)).toEqual([1300, 700]);
    const o = result.optimal!;
    expect(o.lambdaPerUnit).toBeCloseTo(20 * Math.exp(-1.34657), 3);
    expect(o.totalResponse).toBeCloseTo(200 * (1 - Math.exp(-1.3)) + 100 * (1 - Math.exp(-0.7)), 9);
    // Proportional 2:1 gives 13.33 / 6.67 -> 13 / 7 as well here; the optimum is never worse.
    expect(o.totalResponse).toBeGreaterThanOrEqual(o.proportionalResponse - 1e-9);
  });

  it('without segments: lambda is the marginal return of every customer between its bounds, and nobody is held by a segment', () => {
    // v = 200, 100, 1; s = 10; D = 20. The third customer's first unit returns at most 1/10, below
    // lambda, so it gets 0; the other two: 10 ln(200/(10 l)) + 10 ln(100/(10 l)) = 20 -> l = sqrt(200) / e = 5.2026.
    const result = allocateBudget({ budget: 20, unit: 1, weights: [200, 100, 1], method: 'optimal', saturation: 10 });
    const o = result.optimal!;
    expect(o.lambdaPerUnit).toBeCloseTo(Math.sqrt(200) / Math.E, 9);
    expect(o.segmentLimits).toEqual({});
    expect(result.atBound).toEqual(['', '', '']);
    expect(Array.from(result.amountsMinor)).toEqual([1300, 700, 0]);
  });

  it('when every segment is held at a share limit, lambda is what the next unit returns in a segment held at its minimum', () => {
    // A may take at most 30 %, B must take at least 70 %: both held, no free segment. The next unit
    // can only go to B, where it returns B's own multiplier.
    const result = allocateBudget({ budget: 100, unit: 1, weights: [500, 400, 10, 20], groups: ['A', 'A', 'B', 'B'], method: 'optimal', saturation: 20, groupMaxShare: { A: 0.3 }, groupMinShare: { B: 0.7 } });
    const o = result.optimal!;
    expect(Object.keys(o.segmentLimits).sort()).toEqual(['A', 'B']);
    // B: 20 ln(10/(20 l)) + 20 ln(20/(20 l)) = 70 -> ln(l) = (ln 0.5 + ln 1 - 3.5) / 2.
    expect(o.segmentLimits.B.lambda).toBeCloseTo(Math.exp((Math.log(0.5) - 3.5) / 2), 9);
    expect(o.lambdaPerUnit).toBeCloseTo(o.segmentLimits.B.lambda, 9);
    expect(sumOf(result.amountsMinor.slice(0, 2))).toBe(3000);
  });

  it('with every segment pinned (minimum = maximum share), nothing can take the next unit: lambda 0', () => {
    const result = allocateBudget({ budget: 100, unit: 1, weights: [500, 400, 10, 20], groups: ['A', 'A', 'B', 'B'], method: 'optimal', saturation: 20, groupMinShare: { A: 0.5, B: 0.5 }, groupMaxShare: { A: 0.5, B: 0.5 } });
    expect(sumOf(result.amountsMinor.slice(0, 2))).toBe(5000);
    expect(result.optimal!.lambdaPerUnit).toBe(0);
  });

  it('refuses a budget beyond the floors when every value at stake is 0', () => {
    expect(() => allocateBudget({ budget: 1, unit: 1, weights: [0, 0], method: 'optimal', saturation: 1 })).toThrow(/every value at stake is 0/);
    // Nothing beyond the floors to place: no refusal, everyone at the floor.
    expect(Array.from(allocateBudget({ budget: 2, unit: 1, weights: [0, 0], floor: 1, method: 'optimal', saturation: 1 }).amountsMinor)).toEqual([100, 100]);
  });

  it('log response: x = v / lambda - s', () => {
    // v = 100, 50; s = 10, 10; D = 40: 100/(10+x1) = 50/(10+x2), x1 + x2 = 40 -> x1 = 30, x2 = 10.
    const result = allocateBudget({ budget: 40, unit: 1, weights: [100, 50], method: 'optimal', saturation: 10, response: 'log' });
    expect(Array.from(result.amountsMinor)).toEqual([3000, 1000]);
    expect(result.optimal!.marginalReturn[0]).toBeCloseTo(2.5, 12); // 100 / 40
  });

  it('equals the best of every whole-unit split of tiny problems (brute force)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 1, max: 8 })), { minLength: 2, maxLength: 3 }),
        fc.integer({ min: 1, max: 12 }),
        fc.constantFrom<'exp' | 'log'>('exp', 'log'),
        (rows, total, curve) => {
          const values = rows.map((r) => r[0]);
          const saturation = rows.map((r) => r[1]);
          fc.pre(values.some((v) => v > 0)); // all zero is refused (see 'every value at stake is 0')
          const solution = solveOptimal({ values, saturation, lower: new Float64Array(rows.length), upper: new Float64Array(rows.length).fill(Infinity), distributableUnits: total, curve });
          expect(sumOf(solution.units)).toBe(total);
          const value = (x: number[]) => x.reduce((s, xi, i) => s + response(curve, values[i], saturation[i], xi), 0);
          let best = -Infinity;
          const search = (prefix: number[], left: number) => {
            if (prefix.length === rows.length - 1) return void (best = Math.max(best, value([...prefix, left])));
            for (let k = 0; k <= left; k++) search([...prefix, k], left - k);
          };
          search([], total);
          expect(value(Array.from(solution.units))).toBeGreaterThanOrEqual(best - 1e-12 * Math.max(best, 1));
        },
      ),
    );
  });

  it('never does worse than the proportional split of the same budget, and keeps every bound', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 500 })), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 100, max: 100000 }),
        (rows, budget) => {
          if (rows.every((r) => r[0] === 0)) rows[0][0] = 1;
          const result = allocateBudget({ budget, unit: 1, weights: rows.map((r) => r[0]), saturation: rows.map((r) => r[1]), method: 'optimal', floor: 1, cap: budget / 2 });
          expect(sumOf(result.amountsMinor) + result.unallocatedMinor).toBe(result.distributableMinor);
          result.amountsMinor.forEach((a) => expect(a >= 100 && a <= (budget / 2) * 100 && a % 100 === 0).toBe(true));
          expect(result.optimal!.totalResponse).toBeGreaterThanOrEqual(result.optimal!.proportionalResponse * (1 - 1e-6) - 1e-6 * rows.length);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('holds segment share limits, and says which customers sit at one', () => {
    // Two segments of equal customers; A's value is much higher, but A may take at most 60 %.
    const result = allocateBudget({
      budget: 1000,
      unit: 1,
      weights: [1000, 1000, 10, 10],
      saturation: 100,
      method: 'optimal',
      groups: ['A', 'A', 'B', 'B'],
      groupMaxShare: { A: 0.6 },
    });
    expect(result.amountsMinor[0] + result.amountsMinor[1]).toBe(60000);
    expect(result.amountsMinor[2] + result.amountsMinor[3]).toBe(40000);
    expect(result.atBound.slice(0, 2)).toEqual(['segment', 'segment']);
    expect(result.optimal!.segmentLimits.A.limit).toBe('max');
    expect(() => allocateBudget({ budget: 10, weights: [1], method: 'optimal' })).toThrow(/saturation/);
  });
});
