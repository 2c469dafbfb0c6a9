import fc from 'fast-check';
import {
  improveToWholeUnitOptimum,
  type SegmentTotals,
  type WholeUnitRows,
} from '../../src/engine/allocation/integer-exchange';
import {
  response,
  type ResponseCurve,
  solveOptimal,
  totalResponse,
} from '../../src/engine/allocation/optimal';
import { roundLargestRemainder } from '../../src/engine/allocation/rounding';
import { seededRandom } from '../../src/engine/random';

const sumOf = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);

function objective(curve: ResponseCurve, rows: WholeUnitRows, units: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < units.length; i++)
    total += response(curve, rows.values[i], rows.saturation[i], units[i]);
  return total;
}

function segmentTotalsOf(units: ArrayLike<number>, segments: SegmentTotals): number[] {
  const totals = Array.from(segments.lower, () => 0);
  for (let i = 0; i < units.length; i++) totals[segments.segmentOf[i]] += units[i];
  return totals;
}

/** The best whole-unit plan by trying every one with the same total that keeps every bound. */
function bruteForceBest(
  curve: ResponseCurve,
  rows: WholeUnitRows,
  total: number,
  segments?: SegmentTotals,
): number {
  const n = rows.values.length;
  let best = -Infinity;
  const x: number[] = [];
  const search = (i: number, left: number) => {
    if (i === n - 1) {
      if (left < rows.lower[i] || left > rows.upper[i]) return;
      x[i] = left;
      if (
        segments &&
        segmentTotalsOf(x, segments).some((t, g) => t < segments.lower[g] || t > segments.upper[g])
      )
        return;
      best = Math.max(best, objective(curve, rows, x));
      return;
    }
    for (let k = rows.lower[i]; k <= Math.min(rows.upper[i], left); k++) {
      x[i] = k;
      search(i + 1, left - k);
    }
  };
  search(0, total);
  return best;
}

/** Every row whole and within its bounds, the total kept, every segment total within its bounds. */
function expectFeasible(
  units: Float64Array,
  rows: WholeUnitRows,
  total: number,
  segments?: SegmentTotals,
): void {
  // One expectation for all rows (a million calls to expect take minutes): the rows that break one.
  const broken = Array.from(units, (_, i) => i).filter(
    (i) => !Number.isInteger(units[i]) || units[i] < rows.lower[i] || units[i] > rows.upper[i],
  );
  expect(broken.map((i) => [i, units[i], rows.lower[i], rows.upper[i]])).toEqual([]);
  expect(sumOf(units)).toBe(total);
  if (segments) {
    segmentTotalsOf(units, segments).forEach((t, g) => {
      expect(t).toBeGreaterThanOrEqual(segments.lower[g]);
      expect(t).toBeLessThanOrEqual(segments.upper[g]);
    });
  }
}

/**
 * The most any single allowed move could still raise the total response, relative to what it
 * gives up, computed independently (differences of `response`, every pair of segments): 0 or less
 * at an exchange optimum.
 */
function bestMoveGain(
  curve: ResponseCurve,
  rows: WholeUnitRows,
  units: Float64Array,
  segments?: SegmentTotals,
): number {
  const G = segments ? segments.lower.length : 1;
  const gain = new Array<number>(G).fill(-Infinity);
  const loss = new Array<number>(G).fill(Infinity);
  for (let i = 0; i < units.length; i++) {
    const [v, s, x] = [rows.values[i], rows.saturation[i], units[i]];
    const g = segments ? segments.segmentOf[i] : 0;
    if (x < rows.upper[i])
      gain[g] = Math.max(gain[g], response(curve, v, s, x + 1) - response(curve, v, s, x));
    if (x > rows.lower[i])
      loss[g] = Math.min(loss[g], response(curve, v, s, x) - response(curve, v, s, x - 1));
  }
  const totals = segments ? segmentTotalsOf(units, segments) : [0];
  let best = -Infinity;
  for (let from = 0; from < G; from++) {
    for (let to = 0; to < G; to++) {
      const allowed =
        from === to || (totals[from] > segments!.lower[from] && totals[to] < segments!.upper[to]);
      if (allowed && loss[from] < Infinity && gain[to] > -Infinity)
        best = Math.max(best, (gain[to] - loss[from]) / Math.max(loss[from], 1e-12));
    }
  }
  return best;
}

interface TinyRow {
  value: number;
  saturation: number;
  lower: number;
  /** Units the row can take above its lower bound; undefined: no upper bound. */
  room: number | undefined;
  /** Units above its lower bound in the starting plan (at most `room`). */
  start: number;
  segment: number;
}

const tinyRow = fc.record({
  value: fc.oneof(
    fc.constant(0),
    fc.integer({ min: 1, max: 1000 }).map((k) => k / 10),
  ),
  saturation: fc.oneof(
    fc.integer({ min: 1, max: 80 }).map((k) => k / 4),
    fc.constantFrom(0.01, 0.02, 0.05),
  ), // tiny: the curve saturates within one unit
  lower: fc.integer({ min: 0, max: 1 }),
  room: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
  start: fc.integer({ min: 0, max: 3 }),
  segment: fc.integer({ min: 0, max: 2 }),
});

/** Rows, a feasible starting plan and (optionally) 2 or 3 segments with total bounds around the plan's segment totals. */
function tinyProblem(
  tiny: TinyRow[],
  segmentCount: number,
  slack: number[],
): { rows: WholeUnitRows; units: Float64Array; segments?: SegmentTotals } {
  const rows: WholeUnitRows = {
    values: Float64Array.from(tiny, (r) => r.value),
    saturation: Float64Array.from(tiny, (r) => r.saturation),
    lower: Float64Array.from(tiny, (r) => r.lower),
    upper: Float64Array.from(tiny, (r) => (r.room === undefined ? Infinity : r.lower + r.room)),
  };
  const units = Float64Array.from(tiny, (r) => r.lower + Math.min(r.start, r.room ?? Infinity));
  if (segmentCount < 2) return { rows, units };
  const segmentOf = Int32Array.from(tiny, (r) => r.segment % segmentCount);
  const totals = segmentTotalsOf(units, {
    segmentOf,
    lower: new Float64Array(segmentCount),
    upper: new Float64Array(segmentCount),
  });
  // slack[2g], slack[2g + 1]: how far below and above its starting total a segment may go (3: no upper bound).
  const lower = Float64Array.from(totals, (t, g) => Math.max(0, t - slack[2 * g]));
  const upper = Float64Array.from(totals, (t, g) =>
    slack[2 * g + 1] === 3 ? Infinity : t + slack[2 * g + 1],
  );
  return { rows, units, segments: { segmentOf, lower, upper } };
}

describe('whole-unit optimum by unit exchanges (improveToWholeUnitOptimum)', () => {
  it('reaches the brute-force whole-unit maximum from any feasible plan, with and without segment totals', () => {
    fc.assert(
      fc.property(
        fc.array(tinyRow, { minLength: 2, maxLength: 5 }),
        fc.constantFrom<ResponseCurve>('exp', 'log'),
        fc.constantFrom(1, 2, 3),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 6, maxLength: 6 }),
        (tiny, curve, segmentCount, slack) => {
          const { rows, units, segments } = tinyProblem(tiny, segmentCount, slack);
          const start = units.slice();
          const total = sumOf(units);
          const best = bruteForceBest(curve, rows, total, segments);
          const moved = improveToWholeUnitOptimum(units, rows, curve, segments);
          expectFeasible(units, rows, total, segments);
          const reached = objective(curve, rows, units);
          expect(Math.abs(reached - best)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(best)));
          // Every move shifts one unit: at least half the distance travelled; value-0 rows only give.
          const distance = sumOf(units.map((x, i) => Math.abs(x - start[i])));
          expect(moved).toBeGreaterThanOrEqual(distance / 2);
          units.forEach((x, i) => {
            if (rows.values[i] === 0) expect(x).toBeLessThanOrEqual(start[i]);
          });
          // Optimal now: a second call moves nothing.
          expect(improveToWholeUnitOptimum(units, rows, curve, segments)).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reaches it from the largest-remainder rounding of the continuous optimum', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: 1, max: 1000 }),
            fc.integer({ min: 1, max: 40 }),
            fc.integer({ min: 0, max: 2 }),
            fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
          ),
          { minLength: 2, maxLength: 5 },
        ),
        fc.integer({ min: 1, max: 12 }),
        fc.constantFrom<ResponseCurve>('exp', 'log'),
        (tiny, extra, curve) => {
          const rows: WholeUnitRows = {
            values: Float64Array.from(tiny, (r) => r[0] / 10),
            saturation: Float64Array.from(tiny, (r) => r[1] / 4),
            lower: Float64Array.from(tiny, (r) => r[2]),
            upper: Float64Array.from(tiny, (r) => (r[3] === undefined ? Infinity : r[2] + r[3])),
          };
          const total = Math.min(sumOf(rows.lower) + extra, sumOf(rows.upper));
          const { continuous } = solveOptimal({
            values: rows.values,
            saturation: rows.saturation,
            lower: rows.lower as Float64Array,
            upper: rows.upper as Float64Array,
            distributableUnits: total,
            curve,
          });
          const units = roundLargestRemainder({
            amounts: continuous,
            lower: rows.lower,
            upper: rows.upper,
            total,
            weights: rows.values,
          });
          const rounded = objective(curve, rows, units);
          improveToWholeUnitOptimum(units, rows, curve);
          expectFeasible(units, rows, total);
          const best = bruteForceBest(curve, rows, total);
          expect(Math.abs(objective(curve, rows, units) - best)).toBeLessThanOrEqual(
            1e-9 * Math.max(1, best),
          );
          expect(objective(curve, rows, units)).toBeGreaterThanOrEqual(rounded - 1e-12 * rounded);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('moves the unit rounding put on a flat curve to a steep one (6 customers, hand-checked)', () => {
    // Budget 17 units of 1,000; value at stake v and saturation s in thousands, exp response.
    // Continuous optimum (lambda 0.99897): 0, 5.4973, 5.0083, 1.0036, 4.0081, 1.4826. Whole parts
    // add up to 16; the 17th unit goes to the largest remainder, .4973 (customer 2) over .4826
    // (customer 6): rounded plan 0, 6, 5, 1, 4, 1.
    // Customer 6 (v 4.4, s 1) gains 4.4 (e^-1 - e^-2) = 1.02319 from a second unit; customer 2
    // (v 26.3, s 20) loses 26.3 (e^-0.25 - e^-0.30) = 0.99894 with its sixth: moving it raises the
    // response from 27.88809 to 27.91235. Then the best next unit gains 0.99894 (customer 2) and
    // the cheapest last unit loses 1.02319 (customer 6): no move improves; brute force over every
    // split of 17 units agrees.
    const rows: WholeUnitRows = {
      values: Float64Array.of(0, 26.3, 13.6, 3.3, 11.4, 4.4),
      saturation: Float64Array.of(5, 20, 5, 2, 3, 1),
      lower: new Float64Array(6),
      upper: new Float64Array(6).fill(Infinity), // no cap, not even for customer 1 (value 0)
    };
    const units = Float64Array.of(0, 6, 5, 1, 4, 1);
    expect(objective('exp', rows, units)).toBeCloseTo(27.88809, 5);
    expect(improveToWholeUnitOptimum(units, rows, 'exp')).toBe(1);
    expect(Array.from(units)).toEqual([0, 5, 5, 1, 4, 2]);
    expect(objective('exp', rows, units)).toBeCloseTo(27.91235, 5);
    expect(objective('exp', rows, units)).toBeCloseTo(bruteForceBest('exp', rows, 17), 12);
    // The continuous optimum behind the rounded plan.
    const { continuous, units: solved } = solveOptimal({
      values: rows.values,
      saturation: rows.saturation,
      lower: new Float64Array(6),
      upper: new Float64Array(6).fill(Infinity),
      distributableUnits: 17,
      curve: 'exp',
    });
    expect(Array.from(continuous, (x) => Number(x.toFixed(4)))).toEqual([
      0, 5.4973, 5.0083, 1.0036, 4.0081, 1.4826,
    ]);
    expect(sumOf(solved)).toBe(17);
  });

  it('gets the last unit back from a curve that saturates within a fraction of a unit (s = 0.02)', () => {
    // One customer saturates at 0.02 units: its one unit returns almost all of its 0.85. Thirteen
    // others (v = 11.13, s = 10) would each return 1.6 more from a second unit: that unit belongs there.
    const values = Float64Array.from([
      0.02 * Math.exp(0.075 / 0.02),
      ...Array<number>(13).fill(10 * Math.exp((14 - 0.075) / 13 / 10)),
    ]);
    const saturation = Float64Array.from([0.02, ...Array<number>(13).fill(10)]);
    const units = Float64Array.from(Array<number>(14).fill(1));
    const rows = {
      values,
      saturation,
      lower: new Float64Array(14),
      upper: new Float64Array(14).fill(Infinity),
    };
    expect(improveToWholeUnitOptimum(units, rows, 'exp')).toBe(1);
    expect(Array.from(units)).toEqual([0, 2, ...Array<number>(12).fill(1)]);
    expect(totalResponse('exp', values, saturation, units)).toBeCloseTo(14.7283, 4);
  });

  it('moves nothing on an optimal plan', () => {
    const rows: WholeUnitRows = {
      values: Float64Array.of(0, 26.3, 13.6, 3.3, 11.4, 4.4),
      saturation: Float64Array.of(5, 20, 5, 2, 3, 1),
      lower: new Float64Array(6),
      upper: new Float64Array(6).fill(Infinity),
    };
    const units = Float64Array.of(0, 5, 5, 1, 4, 2);
    expect(improveToWholeUnitOptimum(units, rows, 'exp')).toBe(0);
    expect(Array.from(units)).toEqual([0, 5, 5, 1, 4, 2]);
    // log: v = 100, 50, s = 10: the continuous optimum 30, 10 is whole already.
    const log: WholeUnitRows = {
      values: Float64Array.of(100, 50),
      saturation: Float64Array.of(10, 10),
      lower: new Float64Array(2),
      upper: new Float64Array(2).fill(Infinity),
    };
    const split = Float64Array.of(30, 10);
    expect(improveToWholeUnitOptimum(split, log, 'log')).toBe(0);
    expect(Array.from(split)).toEqual([30, 10]);
    // One unit off in either direction is moved back, and only that unit.
    split.set([31, 9]);
    expect(improveToWholeUnitOptimum(split, log, 'log')).toBe(1);
    expect(Array.from(split)).toEqual([30, 10]);
  });

  it('breaks ties deterministically: the earliest row takes, the latest row gives', () => {
    const same = (n: number): WholeUnitRows => ({
      values: new Float64Array(n).fill(10),
      saturation: new Float64Array(n).fill(2),
      lower: new Float64Array(n),
      upper: new Float64Array(n).fill(Infinity),
    });
    // Rows 0 and 2 lose as much with their second unit: the later one, row 2, gives it to row 1.
    const three = Float64Array.of(2, 0, 2);
    expect(improveToWholeUnitOptimum(three, same(3), 'exp')).toBe(1);
    expect(Array.from(three)).toEqual([2, 1, 1]);
    // Rows 0, 2 and 4 gain as much from a first unit: rows 3 and 1 give theirs to rows 0 and 2.
    const five = Float64Array.of(0, 2, 0, 2, 0);
    expect(improveToWholeUnitOptimum(five, same(5), 'log')).toBe(2);
    expect(Array.from(five)).toEqual([1, 1, 1, 1, 0]);
  });

  it('never gives a unit to a row with value 0, even one with no cap', () => {
    const rows: WholeUnitRows = {
      values: Float64Array.of(0, 5, 0),
      saturation: Float64Array.of(1, 1, 1),
      lower: Float64Array.of(0, 0, 1),
      upper: Float64Array.of(Infinity, 2, Infinity),
    };
    // Row 1 is at its cap; moving units into the value-0 rows gains nothing, so nothing moves.
    const units = Float64Array.of(0, 2, 1);
    expect(improveToWholeUnitOptimum(units, rows, 'exp')).toBe(0);
    expect(Array.from(units)).toEqual([0, 2, 1]);
    // Value-0 rows holding units give them to the row that gains from them, down to their floors.
    units.set([2, 0, 1]);
    expect(improveToWholeUnitOptimum(units, rows, 'log')).toBe(2);
    expect(Array.from(units)).toEqual([0, 2, 1]);
  });

  it('moves between segments only within their totals', () => {
    // Rows 0 and 1 in segment 0, row 2 in segment 1, s = 5, a = 1 - e^(-1/5). Row 2 (v = 100) gains
    // 100 a e^(-x/5) >= 36.8 a from each unit up to its sixth; rows 0 and 1 (v = 10) lose at most
    // 10 a with any unit. But segment 1 is at its upper total of 2 units.
    const rows: WholeUnitRows = {
      values: Float64Array.of(10, 10, 100),
      saturation: Float64Array.of(5, 5, 5),
      lower: new Float64Array(3),
      upper: new Float64Array(3).fill(Infinity),
    };
    const segments: SegmentTotals = {
      segmentOf: Int32Array.of(0, 0, 1),
      lower: Float64Array.of(0, 0),
      upper: Float64Array.of(Infinity, 2),
    };
    const units = Float64Array.of(6, 0, 2);
    // Inside segment 0 units go from row 0 to row 1 until they are level; none can go to row 2.
    expect(improveToWholeUnitOptimum(units, rows, 'exp', segments)).toBe(3);
    expect(Array.from(units)).toEqual([3, 3, 2]);
    // Segment 1 may grow to 6 units: row 2 takes 4, alternately from rows 1 and 0.
    const wider: SegmentTotals = { ...segments, upper: Float64Array.of(Infinity, 6) };
    expect(improveToWholeUnitOptimum(units, rows, 'exp', wider)).toBe(4);
    expect(Array.from(units)).toEqual([1, 1, 6]);
    // Segment 0 may not go below 4 units: row 2 gets only 2 of them.
    const floor: SegmentTotals = {
      ...segments,
      lower: Float64Array.of(4, 0),
      upper: Float64Array.of(Infinity, Infinity),
    };
    units.set([3, 3, 2]);
    expect(improveToWholeUnitOptimum(units, rows, 'exp', floor)).toBe(2);
    expect(Array.from(units)).toEqual([2, 2, 4]);
  });

  it('refuses a plan that breaks a bound', () => {
    const rows: WholeUnitRows = {
      values: Float64Array.of(1, 1),
      saturation: Float64Array.of(1, 1),
      lower: Float64Array.of(1, 0),
      upper: Float64Array.of(3, 3),
    };
    expect(() => improveToWholeUnitOptimum(Float64Array.of(0, 2), rows, 'exp')).toThrow(/row 0: 0 units/);
    expect(() => improveToWholeUnitOptimum(Float64Array.of(1.5, 2), rows, 'exp')).toThrow(/whole number/);
    const segments: SegmentTotals = {
      segmentOf: Int32Array.of(0, 1),
      lower: Float64Array.of(0, 0),
      upper: Float64Array.of(3, 1),
    };
    expect(() => improveToWholeUnitOptimum(Float64Array.of(1, 2), rows, 'exp', segments)).toThrow(
      /segment 1: its total of 2 units/,
    );
    expect(() =>
      improveToWholeUnitOptimum(Float64Array.of(1, 2), rows, 'exp', {
        ...segments,
        segmentOf: Int32Array.of(0, 2),
      }),
    ).toThrow(/row 1: segment 2 is not one of the 2 segments/);
    expect(() => improveToWholeUnitOptimum(Float64Array.of(1, 2, 0), rows, 'exp')).toThrow(
      /values: has 2 values for 3 rows/,
    );
  });

  describe('200,000 rows', () => {
    const n = 200_000;
    const random = seededRandom(20_261_202);
    const lower = new Float64Array(n);
    const upper = Float64Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 60 : Infinity));
    const rows: WholeUnitRows = {
      values: Float64Array.from({ length: n }, () => 1 + 999 * random()),
      saturation: Float64Array.from({ length: n }, () => 50 + 500 * random()),
      lower,
      upper,
    };
    const total = 100 * n;
    const crudePlans = new Map<ResponseCurve, Float64Array>();
    /**
     * The continuous optimum rounded down, then the missing units to the first rows below their caps:
     * far more moves than largest remainder needs. Solved once per curve (most of these tests' time).
     */
    function crudePlan(curve: ResponseCurve): Float64Array {
      if (!crudePlans.has(curve)) {
        const { continuous } = solveOptimal({
          values: rows.values,
          saturation: rows.saturation,
          lower,
          upper,
          distributableUnits: total,
          curve,
        });
        const units = continuous.map(Math.floor);
        let missing = total - sumOf(units);
        for (let i = 0; missing > 0; i++) {
          if (units[i] < upper[i]) {
            units[i]++;
            missing--;
          }
        }
        crudePlans.set(curve, units);
      }
      return crudePlans.get(curve)!.slice();
    }

    it.each<ResponseCurve>(['exp', 'log'])('%s: ends where no single move raises the response', (curve) => {
      const units = crudePlan(curve);
      const before = objective(curve, rows, units);
      const moved = improveToWholeUnitOptimum(units, rows, curve);
      expect(moved).toBeGreaterThan(10_000); // far from optimal
      expectFeasible(units, rows, total);
      expect(bestMoveGain(curve, rows, units)).toBeLessThanOrEqual(1e-9);
      expect(objective(curve, rows, units)).toBeGreaterThan(before);
      expect(improveToWholeUnitOptimum(units, rows, curve)).toBe(0);
    });

    it('with five segments whose totals bind', () => {
      const curve = 'exp';
      const units = crudePlan(curve);
      const segmentOf = Int32Array.from({ length: n }, (_, i) => Math.floor((i * 5) / n)); // the crude units sit in segment 0
      const totals = segmentTotalsOf(units, {
        segmentOf,
        lower: new Float64Array(5),
        upper: new Float64Array(5),
      });
      // Segment 0 may give only 1,000 of its extra units, segment 4 take only 500.
      const segments: SegmentTotals = {
        segmentOf,
        lower: Float64Array.from(totals, (t, g) => (g === 0 ? t - 1000 : 0)),
        upper: Float64Array.from(totals, (t, g) => (g === 4 ? t + 500 : Infinity)),
      };
      const moved = improveToWholeUnitOptimum(units, rows, curve, segments);
      expect(moved).toBeGreaterThan(10_000);
      expectFeasible(units, rows, total, segments);
      const after = segmentTotalsOf(units, segments);
      expect(after[0]).toBe(segments.lower[0]);
      expect(after[4]).toBe(segments.upper[4]);
      expect(bestMoveGain(curve, rows, units, segments)).toBeLessThanOrEqual(1e-9);
      expect(improveToWholeUnitOptimum(units, rows, curve, segments)).toBe(0);
    });
  });
});
