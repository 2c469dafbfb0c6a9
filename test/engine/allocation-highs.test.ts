/**
 * The exact optimal allocation (solveOptimal, issue 6) checked against an independent solver,
 * HiGHS (the `highs` WebAssembly build), on seeded random problems.
 *
 * Each customer's concave response f_i is replaced by a fine piecewise-linear (PWL) interpolant
 * P_i on [floor_i, reach_i]: one bounded LP column per piece, with the piece's slope as objective
 * coefficient. The slopes decrease, so the LP fills the pieces of a customer in order and its
 * optimum is the maximum of sum P_i under the budget and segment rows. Since P_i <= f_i and
 * f_i - P_i <= E_i (the interpolation error, (h^2 / 8) max |f''| on each piece),
 *
 *   LP <= f(x_HiGHS) <= f(x*) <= LP + sum E_i,
 *
 * so the exact continuous optimum must be at least as good as HiGHS's amounts on the true curve,
 * and no better than the LP objective plus the interpolation error: the test fails if
 * solveOptimal is suboptimal or if it "beats" the optimum by leaving the feasible set.
 *
 * On problems with few units, a second LP with a breakpoint at every whole unit gives the exact
 * integer optimum (the rows are sums over nested sets of columns, an interval matrix, so the LP
 * has an integral optimal vertex); the rounded plan can never beat it.
 */
import { seededRandom } from '../../src/engine/random';
import highsLoader from 'highs';
import { allocateBudget } from '../../src/engine/allocation/allocate';
import {
  marginalResponse,
  type OptimalProblem,
  type OptimalSolution,
  response,
  type ResponseCurve,
  solveOptimal,
  totalResponse,
} from '../../src/engine/allocation/optimal';

type Highs = Awaited<ReturnType<typeof highsLoader>>;

/** Pieces per customer in the fine PWL approximation. */
const PIECES = 400;
/** Integer-breakpoint LPs only up to this many distributable units. */
const INTEGER_LP_MAX_UNITS = 400;
// Presolve off: on these thousands of bound-only columns it costs 20-30 times the simplex itself.
const HIGHS_OPTIONS = {
  output_flag: false,
  presolve: 'off',
  primal_feasibility_tolerance: 1e-10,
  dual_feasibility_tolerance: 1e-10,
} as const;


const sumOf = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);

interface TestProblem extends OptimalProblem {
  values: Float64Array;
  saturation: Float64Array;
  curve: ResponseCurve;
}

/** Whole-unit segment limits (min share rounded up, max down, as SPEC "Allocation" says) and per-customer reach. */
interface Limits {
  names: string[];
  segmentOf: number[];
  shareLower: number[];
  shareUpper: number[];
  floors: number[];
  reach: number[];
  /** Most a customer can take: its cap, what the budget leaves after every floor, what its segment's maximum leaves. */
  top: Float64Array;
  /** Units the optimum places: D, or less when caps or maximum shares stop it. */
  target: number;
}

function limitsOf(p: TestProblem): Limits {
  const n = p.values.length;
  const D = p.distributableUnits;
  const names: string[] = [];
  const segmentOf = Array.from({ length: n }, (_, i) => {
    const g = p.segments?.[i] ?? '';
    if (!names.includes(g)) names.push(g);
    return names.indexOf(g);
  });
  const G = names.length;
  const shareLower = names.map((g) => Math.ceil((p.minShare?.[g] ?? 0) * D - 1e-9));
  const shareUpper = names.map((g) => Math.floor((p.maxShare?.[g] ?? 1) * D + 1e-9));
  const floors = new Array<number>(G).fill(0);
  const reach = new Array<number>(G).fill(0);
  for (let i = 0; i < n; i++) {
    floors[segmentOf[i]] += p.lower[i];
    reach[segmentOf[i]] += p.values[i] > 0 ? p.upper[i] : p.lower[i];
  }
  const floorSum = sumOf(p.lower);
  const top = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const g = segmentOf[i];
    top[i] =
      p.values[i] > 0
        ? Math.min(p.upper[i], p.lower[i] + D - floorSum, p.lower[i] + shareUpper[g] - floors[g])
        : p.lower[i];
  }
  const target = Math.min(D, sumOf(names.map((_, g) => Math.min(shareUpper[g], reach[g]))));
  return { names, segmentOf, shareLower, shareUpper, floors, reach, top, target };
}

/** Whether the problem has a feasible allocation (the conditions solveOptimal must accept). */
function feasible(p: TestProblem, l: Limits): boolean {
  const D = p.distributableUnits;
  if (sumOf(p.lower) > D || !p.values.some((v) => v > 0)) return false;
  let lowerSum = 0;
  for (let g = 0; g < l.names.length; g++) {
    if (l.shareLower[g] > l.shareUpper[g] || l.floors[g] > l.shareUpper[g] || l.shareLower[g] > l.reach[g])
      return false;
    lowerSum += Math.max(l.shareLower[g], l.floors[g]);
  }
  return lowerSum <= D;
}

/** A random problem: 3-12 customers, wide ranges of values and saturations, some floors, caps, zero values, segments. */
function randomProblem(rng: () => number, k: number): TestProblem {
  const int = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
  const logUniform = (lo: number, hi: number) => lo * Math.pow(hi / lo, rng());
  for (;;) {
    const n = int(3, 12);
    const curve: ResponseCurve = k % 2 === 0 ? 'exp' : 'log';
    const D = [int(20, INTEGER_LP_MAX_UNITS), int(400, 5000), int(5000, 200000)][k % 3];
    const values = Float64Array.from({ length: n }, () => (rng() < 0.1 ? 0 : logUniform(0.1, 1e4)));
    const saturation = Float64Array.from({ length: n }, () =>
      Math.max(0.2, logUniform(D / (50 * n), (5 * D) / n)),
    );
    const lower = Float64Array.from({ length: n }, () => (rng() < 0.3 ? int(0, Math.floor(D / (2 * n))) : 0));
    // Every fifth problem: caps on everyone, adding up to less than D, so part of D stays unallocated.
    const tightCaps = k % 5 === 4;
    const upper = Float64Array.from({ length: n }, (_, i) =>
      tightCaps || rng() < 0.3 ? lower[i] + int(0, Math.ceil((tightCaps ? 0.9 : 2) * (D / n))) : Infinity,
    );
    const p: TestProblem = { values, saturation, lower, upper, distributableUnits: D, curve };
    if (k % 3 !== 0) {
      const G = int(2, 3);
      const names = ['A', 'B', 'C'].slice(0, G);
      p.segments = Array.from({ length: n }, (_, i) => names[i < G ? i : int(0, G - 1)]);
      const minShare: Record<string, number> = {};
      const maxShare: Record<string, number> = {};
      for (const g of names) {
        if (rng() < 0.5) minShare[g] = rng() * 0.6;
        if (rng() < 0.5) maxShare[g] = 0.1 + rng() * 0.9;
      }
      p.minShare = minShare;
      p.maxShare = maxShare;
    }
    if (feasible(p, limitsOf(p))) return p;
  }
}

/** Chord error bound of f_i on [a, b]: (b - a)^2 / 8 times |f''| at a (|f''| decreases for both curves). */
function chordError(curve: ResponseCurve, v: number, s: number, a: number, b: number): number {
  const curvature = curve === 'exp' ? (v / (s * s)) * Math.exp(-a / s) : v / ((s + a) * (s + a));
  return ((b - a) * (b - a) * curvature) / 8;
}

/** Rise of f_i over [a, b], without cancellation. */
function rise(curve: ResponseCurve, v: number, s: number, a: number, b: number): number {
  return curve === 'exp'
    ? v * Math.exp(-a / s) * -Math.expm1(-(b - a) / s)
    : v * Math.log1p((b - a) / (s + a));
}

/** Breakpoints from floor to top, dense where the curve bends: geometric in (x - floor + o). */
function fineBreakpoints(curve: ResponseCurve, s: number, a: number, b: number): number[] {
  const o = curve === 'exp' ? s : s + a;
  const r = Math.pow(1 + (b - a) / o, 1 / PIECES);
  const x = Array.from({ length: PIECES + 1 }, (_, k) => a + o * (Math.pow(r, k) - 1));
  x[PIECES] = b;
  return x;
}

const unitBreakpoints = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, k) => a + k);

interface PwlSolution {
  /** HiGHS's amount per customer. */
  amounts: Float64Array;
  /** LP objective: sum of P_i at those amounts. */
  objective: number;
  /** Bound on sum_i max (f_i - P_i). */
  interpolationError: number;
  /** Bound on the LP objective HiGHS may leave on the table within its dual tolerance. */
  lpSlack: number;
  /** sum P_i at any amounts (the PWL interpolant; customers without pieces count at their floor). */
  value: (x: ArrayLike<number>) => number;
}

/** Maximises sum P_i with HiGHS; breakpoints(i) gives customer i's breakpoints from floor to top. */
function solvePwl(
  highs: Highs,
  p: TestProblem,
  l: Limits,
  breakpoints: (i: number) => number[],
): PwlSolution {
  const n = p.values.length;
  const D = p.distributableUnits;
  const columns: { name: string; customer: number; slope: number; width: number }[] = [];
  let interpolationError = 0;
  let offset = 0;
  const pieceStart: number[] = [];
  for (let i = 0; i < n; i++) {
    offset += response(p.curve, p.values[i], p.saturation[i], p.lower[i]);
    if (!(p.values[i] > 0) || !(l.top[i] > p.lower[i])) continue;
    const x = breakpoints(i);
    expect(x[0]).toBe(p.lower[i]);
    expect(x[x.length - 1]).toBe(l.top[i]);
    let worst = 0;
    for (let k = 0; k + 1 < x.length; k++) {
      const width = x[k + 1] - x[k];
      if (!(width > 0)) continue;
      columns.push({
        name: `y${i}_${k}`,
        customer: i,
        slope: rise(p.curve, p.values[i], p.saturation[i], x[k], x[k + 1]) / width,
        width,
      });
      pieceStart.push(x[k]);
      worst = Math.max(worst, chordError(p.curve, p.values[i], p.saturation[i], x[k], x[k + 1]));
    }
    interpolationError += worst;
  }
  // Costs scaled to at most 1, so HiGHS's absolute tolerances are relative to the steepest piece.
  const maxSlope = Math.max(...columns.map((c) => c.slope));
  const terms = (cs: typeof columns, coefficient: (c: (typeof columns)[number]) => number) => {
    const parts = cs.map((c) => `${coefficient(c) === 1 ? '' : `${coefficient(c)} `}${c.name}`);
    const lines: string[] = [];
    for (let k = 0; k < parts.length; k += 8)
      lines.push(`  ${k === 0 ? '' : '+ '}${parts.slice(k, k + 8).join(' + ')}`);
    return lines.join('\n');
  };
  const rows = [`budget:\n${terms(columns, () => 1)}\n  <= ${D - sumOf(p.lower)}`];
  l.names.forEach((_, g) => {
    const inSegment = columns.filter((c) => l.segmentOf[c.customer] === g);
    const lo = l.shareLower[g] - l.floors[g];
    const hi = l.shareUpper[g] - l.floors[g];
    if (inSegment.length === 0) return void expect(lo).toBeLessThanOrEqual(0);
    if (lo > 0) rows.push(`min${g}:\n${terms(inSegment, () => 1)}\n  >= ${lo}`);
    if (hi < sumOf(inSegment.map((c) => c.width)))
      rows.push(`max${g}:\n${terms(inSegment, () => 1)}\n  <= ${hi}`);
  });
  const lp = [
    'Maximize',
    `obj:\n${terms(columns, (c) => c.slope / maxSlope)}`,
    'Subject To',
    ...rows,
    'Bounds',
    ...columns.map((c) => `  0 <= ${c.name} <= ${c.width}`),
    'End',
  ].join('\n');
  const result = highs.solve(lp, HIGHS_OPTIONS);
  expect(result.Status).toBe('Optimal');
  if (result.Status !== 'Optimal') throw new Error(`HiGHS: ${result.Status}`);
  const amounts = Float64Array.from(p.lower);
  for (const c of columns) amounts[c.customer] += result.Columns[c.name].Primal;
  const lpSlack = HIGHS_OPTIONS.dual_feasibility_tolerance * maxSlope * sumOf(columns.map((c) => c.width));
  const value = (x: ArrayLike<number>) =>
    offset +
    sumOf(columns.map((c, j) => c.slope * Math.min(Math.max(x[c.customer] - pieceStart[j], 0), c.width)));
  return {
    amounts,
    objective: offset + maxSlope * result.ObjectiveValue,
    interpolationError,
    lpSlack,
    value,
  };
}

/** How far amounts are outside the feasible set, in units (floors, tops, segment limits, sum to at most D). */
function violation(p: TestProblem, l: Limits, x: ArrayLike<number>): number {
  let out = Math.max(0, sumOf(x) - p.distributableUnits);
  const totals = new Array<number>(l.names.length).fill(0);
  for (let i = 0; i < x.length; i++) {
    out += Math.max(0, p.lower[i] - x[i], x[i] - l.top[i]);
    totals[l.segmentOf[i]] += x[i];
  }
  totals.forEach((t, g) => (out += Math.max(0, l.shareLower[g] - t, t - l.shareUpper[g])));
  return out;
}

/** Checks the rounded plan: whole units within every floor, cap and segment limit, adding up to the target. */
function expectRoundedPlanFeasible(p: TestProblem, l: Limits, solution: OptimalSolution): void {
  const { units } = solution;
  expect(solution.unallocatedUnits).toBe(p.distributableUnits - l.target);
  expect(solution.unallocatedReason === undefined).toBe(l.target === p.distributableUnits);
  expect(sumOf(units)).toBe(l.target);
  const totals = new Array<number>(l.names.length).fill(0);
  for (let i = 0; i < units.length; i++) {
    expect(Number.isInteger(units[i])).toBe(true);
    expect(units[i]).toBeGreaterThanOrEqual(p.lower[i]);
    expect(units[i]).toBeLessThanOrEqual(p.upper[i]);
    if (p.values[i] === 0) expect(units[i]).toBe(p.lower[i]);
    totals[l.segmentOf[i]] += units[i];
  }
  totals.forEach((t, g) => {
    expect(t).toBeGreaterThanOrEqual(l.shareLower[g]);
    expect(t).toBeLessThanOrEqual(l.shareUpper[g]);
  });
}

/** Checks the continuous optimum is feasible up to floating-point noise and places the target. */
function expectContinuousFeasible(p: TestProblem, l: Limits, continuous: Float64Array): void {
  const noise = 1e-9 * p.distributableUnits;
  expect(Math.abs(sumOf(continuous) - l.target)).toBeLessThanOrEqual(noise);
  expect(violation(p, l, continuous)).toBeLessThanOrEqual(noise);
  for (let i = 0; i < continuous.length; i++) if (p.values[i] === 0) expect(continuous[i]).toBe(p.lower[i]);
}

const PROBLEMS = (() => {
  const rng = seededRandom(20240606);
  return Array.from({ length: 24 }, (_, k) => randomProblem(rng, k));
})();

const describeProblem = (p: TestProblem) => {
  const segments = p.segments
    ? `, segments (min ${JSON.stringify(p.minShare)}, max ${JSON.stringify(p.maxShare)})`
    : '';
  return `${p.curve}, ${p.values.length} customers, D = ${p.distributableUnits}${segments}`;
};

describe('optimal allocation against HiGHS', () => {
  let highs: Highs;
  beforeAll(async () => {
    highs = await highsLoader();
  });

  it('the problems cover both curves, floors, caps, zero values, segment limits and unallocated budget', () => {
    expect(PROBLEMS.filter((p) => p.curve === 'exp').length).toBeGreaterThanOrEqual(10);
    expect(PROBLEMS.filter((p) => p.curve === 'log').length).toBeGreaterThanOrEqual(10);
    expect(PROBLEMS.some((p) => p.lower.some((f) => f > 0))).toBe(true);
    expect(PROBLEMS.some((p) => p.upper.some((c) => Number.isFinite(c)))).toBe(true);
    expect(PROBLEMS.some((p) => p.values.some((v) => v === 0))).toBe(true);
    expect(PROBLEMS.some((p) => Object.keys(p.minShare ?? {}).length > 0)).toBe(true);
    expect(PROBLEMS.some((p) => Object.keys(p.maxShare ?? {}).length > 0)).toBe(true);
    expect(PROBLEMS.some((p) => limitsOf(p).target < p.distributableUnits)).toBe(true);
  });

  it.each(PROBLEMS.map((p, k) => [k, describeProblem(p), p] as const))(
    'problem %i (%s): exact optimum between the PWL LP and LP + interpolation error',
    (_k, _name, p) => {
      const l = limitsOf(p);
      const solution = solveOptimal(p);
      expectContinuousFeasible(p, l, solution.continuous);
      expectRoundedPlanFeasible(p, l, solution);

      const pwl = solvePwl(highs, p, l, (i) =>
        fineBreakpoints(p.curve, p.saturation[i], p.lower[i], l.top[i]),
      );
      const f = (x: ArrayLike<number>) => totalResponse(p.curve, p.values, p.saturation, x);
      const exact = f(solution.continuous);
      const rounded = f(solution.units);
      const atHighs = f(pwl.amounts);
      // Scale of the objective: what every customer would return at its top.
      const scale = sumOf(Array.from(p.values, (v, i) => response(p.curve, v, p.saturation[i], l.top[i])));
      let steepest = 0;
      p.values.forEach(
        (v, i) =>
          (steepest = Math.max(
            steepest,
            v > 0 ? marginalResponse(p.curve, v, p.saturation[i], p.lower[i]) : 0,
          )),
      );
      // HiGHS's amounts may break a limit by its primal tolerance; moving that much changes f by at most steepest times it.
      const tolerance =
        1e-9 * scale + steepest * (violation(p, l, pwl.amounts) + 1e-9 * p.distributableUnits);

      // The interpolation is fine enough for the comparison to mean something.
      expect(pwl.interpolationError).toBeLessThanOrEqual(1e-4 * exact);
      // P <= f: the LP objective under-approximates the true value of HiGHS's amounts.
      expect(atHighs).toBeGreaterThanOrEqual(pwl.objective - tolerance);
      // The exact solution is at least as good as HiGHS's amounts on the true curve ...
      expect(exact).toBeGreaterThanOrEqual(atHighs - tolerance);
      // ... and no better than the PWL maximum allows: f(x*) <= P(x*) + E <= LP + E.
      expect(exact).toBeLessThanOrEqual(pwl.objective + pwl.interpolationError + pwl.lpSlack + tolerance);
      // Sharper: the exact solution is feasible, so its own PWL value cannot exceed the PWL maximum.
      expect(pwl.value(solution.continuous)).toBeLessThanOrEqual(pwl.objective + pwl.lpSlack + tolerance);
      // The rounded plan is feasible for the continuous problem, so cannot beat its optimum.
      expect(rounded).toBeLessThanOrEqual(exact + 1e-9 * scale);
    },
  );

  const small = PROBLEMS.filter((p) => p.distributableUnits <= INTEGER_LP_MAX_UNITS);

  it.each(small.map((p) => [describeProblem(p), p] as const))(
    'whole units (%s): the plan is the integer optimum, and the continuous optimum no worse',
    (_name, p) => {
      const l = limitsOf(p);
      const solution = solveOptimal(p);
      // A breakpoint at every whole unit: the LP's optimal vertex is integral, and P = f at integers.
      const integer = solvePwl(highs, p, l, (i) => unitBreakpoints(p.lower[i], l.top[i]));
      integer.amounts.forEach((x) => expect(Math.abs(x - Math.round(x))).toBeLessThan(1e-7));
      const f = (x: ArrayLike<number>) => totalResponse(p.curve, p.values, p.saturation, x);
      const best = f(integer.amounts.map(Math.round));
      const scale = Math.max(best, 1e-300);
      expect(Math.abs(best - integer.objective)).toBeLessThanOrEqual(1e-9 * scale + integer.lpSlack);
      expect(f(solution.units)).toBeLessThanOrEqual(best + 1e-9 * scale);
      expect(f(solution.units)).toBeGreaterThanOrEqual(best - 1e-9 * scale);
      expect(f(solution.continuous)).toBeGreaterThanOrEqual(best - 1e-9 * scale);
    },
  );

  it('allocateBudget passes the same problem through (unit 1, no minor digits: units are currency units)', () => {
    for (const p of PROBLEMS.slice(0, 8)) {
      const result = allocateBudget({
        budget: p.distributableUnits,
        unit: 1,
        minorDigits: 0,
        weights: p.values,
        method: 'optimal',
        saturation: p.saturation,
        response: p.curve,
        floor: Array.from(p.lower),
        cap: Array.from(p.upper, (c) => (Number.isFinite(c) ? c : NaN)),
        groups: p.segments,
        groupMinShare: p.minShare,
        groupMaxShare: p.maxShare,
      });
      const solution = solveOptimal(p);
      expect(Array.from(result.amountsMinor)).toEqual(Array.from(solution.units));
      expect(result.optimal!.totalResponse).toBeCloseTo(
        totalResponse(p.curve, p.values, p.saturation, solution.units),
        6,
      );
    }
  });
});
