/**
 * Optimal allocation with diminishing returns (issue 6): maximise the total expected response
 * sum_i v_i (1 - exp(-x_i / s_i)) (or v_i ln(1 + x_i / s_i)) subject to sum x_i = D, floors, caps and
 * optional minimum / maximum shares per segment. Solved exactly from the optimality conditions: every
 * customer not at a bound has the same marginal return lambda (one per segment held at a limit),
 * found by bisection; then rounded to whole units, segments first, so every bound still holds.
 */
import { InputError, parameterError } from '../errors';
import { roundLargestRemainder } from './rounding';

export type ResponseCurve = 'exp' | 'log';

export interface OptimalProblem {
  /** Value at stake per customer (v >= 0). */
  values: ArrayLike<number>;
  /** Saturation spend per customer, in units of u (s > 0). */
  saturation: ArrayLike<number>;
  lower: Float64Array;
  upper: Float64Array;
  totalUnits: number;
  curve: ResponseCurve;
  /** Segment of each row and min / max shares of the total per segment. */
  segments?: readonly string[];
  minShare?: Readonly<Record<string, number>>;
  maxShare?: Readonly<Record<string, number>>;
}

export interface OptimalSolution {
  /** Whole units per row. */
  units: Float64Array;
  /** Continuous optimum per row, before rounding. */
  continuous: Float64Array;
  /** The common marginal return: the next unit of budget returns about lambda. */
  lambda: number;
  /** Segments held at a share limit, with their own marginal return. */
  segmentLimits: Record<string, { limit: 'min' | 'max'; lambda: number }>;
}

/** Expected response of spending x on a customer. */
export function response(curve: ResponseCurve, v: number, s: number, x: number): number {
  return curve === 'exp' ? v * (1 - Math.exp(-x / s)) : v * Math.log1p(x / s);
}

/** Marginal response d/dx at x. */
export function marginalResponse(curve: ResponseCurve, v: number, s: number, x: number): number {
  return curve === 'exp' ? (v / s) * Math.exp(-x / s) : v / (s + x);
}

/** The spend at which the marginal response falls to lambda, clamped to the row's bounds. */
function spendAt(curve: ResponseCurve, v: number, s: number, lambda: number, lo: number, hi: number): number {
  let x: number;
  if (v <= 0) x = 0;
  else if (curve === 'exp') x = v / s > lambda ? s * Math.log(v / (s * lambda)) : 0;
  else x = v / lambda - s;
  return x < lo ? lo : x > hi ? hi : x;
}

function totalAt(p: OptimalProblem, rows: ArrayLike<number>, lambda: number): number {
  return totalAndSlope(p, rows, lambda)[0];
}

/**
 * Total spend at lambda and its derivative with respect to ln(lambda). Within a fixed set of rows at
 * their bounds the total is linear in ln(lambda) (exp curve) or in 1/lambda (log curve), so Newton
 * steps on ln(lambda) land almost exactly.
 */
function totalAndSlope(p: OptimalProblem, rows: ArrayLike<number>, lambda: number): [number, number] {
  let total = 0;
  let slope = 0;
  const exp = p.curve === 'exp';
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    const x = spendAt(p.curve, p.values[i], p.saturation[i], lambda, p.lower[i], p.upper[i]);
    total += x;
    if (x > p.lower[i] && x < p.upper[i] && x > 0) slope -= exp ? p.saturation[i] : p.values[i] / lambda;
  }
  return [total, slope];
}

/** lambda such that the rows' spends add up to `target` (spend falls as lambda rises): safeguarded Newton on ln(lambda). */
function solveLambda(p: OptimalProblem, rows: ArrayLike<number>, target: number, guess = 1): number {
  let lo = 0; // total(lo) >= target
  let hi = Infinity; // total(hi) <= target
  let lambda = guess > 0 && Number.isFinite(guess) ? guess : 1;
  for (let iteration = 0; iteration < 300; iteration++) {
    const [total, slope] = totalAndSlope(p, rows, lambda);
    if (Math.abs(total - target) <= 1e-10 * Math.max(1, target)) return lambda;
    if (total > target) lo = lambda;
    else hi = lambda;
    let next = slope < 0 ? lambda * Math.exp((total - target) / -slope) : NaN;
    if (!(next > lo && next < hi)) next = hi === Infinity ? lambda * 4 : lo === 0 ? lambda / 4 : Math.sqrt(lo * hi);
    if (next === lambda || (hi !== Infinity && lo > 0 && hi / lo - 1 < 1e-15)) return next;
    lambda = next;
  }
  return lambda;
}

function checkInputs(p: OptimalProblem): void {
  for (let i = 0; i < p.values.length; i++) {
    if (!(p.values[i] >= 0) || !Number.isFinite(p.values[i])) throw new InputError('bad-number', `the value at stake ${p.values[i]} must be 0 or more`, { row: i + 2, column: 'value' });
    if (!(p.saturation[i] > 0) || !Number.isFinite(p.saturation[i])) throw new InputError('bad-number', `the saturation spend ${p.saturation[i]} must be above 0`, { row: i + 2, column: 'saturation' });
  }
}

/** Solves the continuous problem with segment share limits by an active set over segments. */
export function solveOptimal(p: OptimalProblem): OptimalSolution {
  checkInputs(p);
  const n = p.values.length;
  const segments = p.segments ?? new Array<string>(n).fill('');
  const names = [...new Set(segments)];
  const rowsOf = new Map(names.map((g) => [g, [] as number[]]));
  segments.forEach((g, i) => rowsOf.get(g)!.push(i));
  for (const [g, share] of Object.entries({ ...p.minShare, ...p.maxShare })) {
    if (!rowsOf.has(g)) throw parameterError('segment shares', `there is no segment '${g}'`);
    if (!(share >= 0 && share <= 1)) throw parameterError('segment shares', `the share for '${g}' must be from 0 to 1`);
  }
  const min = (g: string) => (p.minShare?.[g] ?? 0) * p.totalUnits;
  const max = (g: string) => (p.maxShare?.[g] ?? 1) * p.totalUnits;
  const fixed = new Map<string, 'min' | 'max'>();
  let lambda = 1;
  const segmentLambda = new Map<string, number>();
  for (let round = 0; round < 2 * names.length + 2; round++) {
    const free = names.filter((g) => !fixed.has(g));
    const fixedTotal = [...fixed].reduce((s, [g, limit]) => s + (limit === 'min' ? min(g) : max(g)), 0);
    const freeRows = free.flatMap((g) => rowsOf.get(g)!);
    lambda = freeRows.length ? solveLambda(p, freeRows, p.totalUnits - fixedTotal, lambda) : lambda;
    for (const [g, limit] of fixed) segmentLambda.set(g, solveLambda(p, rowsOf.get(g)!, limit === 'min' ? min(g) : max(g), segmentLambda.get(g) ?? lambda));
    let changed = false;
    for (const g of free) {
      const total = totalAt(p, rowsOf.get(g)!, lambda);
      const limit = total > max(g) + 1e-9 ? 'max' : total < min(g) - 1e-9 ? 'min' : undefined;
      if (limit) {
        fixed.set(g, limit);
        changed = true;
      }
    }
    // A segment held at its maximum that no longer wants more (or at its minimum that wants more) is released.
    for (const [g, limit] of [...fixed]) {
      const own = segmentLambda.get(g)!;
      if ((limit === 'max' && own < lambda) || (limit === 'min' && own > lambda)) {
        fixed.delete(g);
        changed = true;
      }
    }
    if (!changed) break;
  }
  const continuous = new Float64Array(n);
  for (const g of names) {
    const l = fixed.has(g) ? segmentLambda.get(g)! : lambda;
    for (const i of rowsOf.get(g)!) continuous[i] = spendAt(p.curve, p.values[i], p.saturation[i], l, p.lower[i], p.upper[i]);
  }
  // Round segment totals first (within their share limits), then customers inside each segment.
  const segmentTotals = Float64Array.from(names, (g) => rowsOf.get(g)!.reduce((s, i) => s + continuous[i], 0));
  const segmentUnits = roundLargestRemainder({
    amounts: segmentTotals,
    lower: Float64Array.from(names, (g) => Math.max(Math.ceil(min(g) - 1e-9), rowsOf.get(g)!.reduce((s, i) => s + p.lower[i], 0))),
    upper: Float64Array.from(names, (g) => Math.min(Math.floor(max(g) + 1e-9), rowsOf.get(g)!.reduce((s, i) => s + p.upper[i], 0))),
    total: p.totalUnits,
    weights: segmentTotals,
  });
  const units = new Float64Array(n);
  names.forEach((g, k) => {
    const rows = rowsOf.get(g)!;
    const rounded = roundLargestRemainder({
      amounts: Float64Array.from(rows, (i) => continuous[i]),
      lower: Float64Array.from(rows, (i) => p.lower[i]),
      upper: Float64Array.from(rows, (i) => p.upper[i]),
      total: segmentUnits[k],
      weights: Float64Array.from(rows, (i) => p.values[i]),
    });
    rows.forEach((i, j) => (units[i] = rounded[j]));
  });
  const segmentLimits: OptimalSolution['segmentLimits'] = {};
  for (const [g, limit] of fixed) segmentLimits[g] = { limit, lambda: segmentLambda.get(g)! };
  return { units, continuous, lambda, segmentLimits };
}

/** Total expected response of an allocation (units of u, same as the saturation). */
export function totalResponse(curve: ResponseCurve, values: ArrayLike<number>, saturation: ArrayLike<number>, units: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < units.length; i++) sum += response(curve, values[i], saturation[i], units[i]);
  return sum;
}
