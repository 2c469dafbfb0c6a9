/**
 * Optimal allocation with diminishing returns (issue 6): maximise the total expected response
 *
 *   sum_i v_i (1 - exp(-x_i / s_i))      ('exp')   or   sum_i v_i ln(1 + x_i / s_i)   ('log')
 *
 * subject to sum x_i = D, floor_i <= x_i <= cap_i and, optionally, a minimum and maximum share of D
 * per segment. v is the value at stake (e.g. CLV x uplift, or any weight), s the saturation spend.
 *
 * Solved exactly from the optimality (KKT) conditions, no general-purpose solver: every customer
 * strictly between its bounds has the same marginal return lambda, or its segment's own multiplier
 * when the segment sits at a share limit. Customer i's spend at multiplier lambda is
 *   exp: x_i = clamp(s_i ln(v_i / (s_i lambda)), floor_i, cap_i)   (linear in -ln lambda)
 *   log: x_i = clamp(v_i / lambda - s_i, floor_i, cap_i)           (linear in 1 / lambda)
 * so the search is the same clamped-linear equation as the proportional method (clamped-linear.ts),
 * with one multiplier per segment held at a limit. Then largest-remainder rounding; with segment
 * limits segments first (each segment's total within its limits), then customers inside each
 * segment, so every bound still holds; and last, single-unit exchanges from the rounded plan to the
 * best whole-unit plan (integer-exchange.ts), which rounding alone can miss with coarse units.
 *
 * A customer with v = 0 gains nothing from spend and stays at its floor. Budget nobody can take
 * (every customer at its cap, or segments at their maximum shares) is reported as unallocated.
 */
import { engineError, parameterError } from '../errors';
import { asFloat64, gather } from './arrays';
import { amountsAt, ClampedLines, numberSegments, placeBySegment, SegmentStarts, settleToTarget, solveSegmented } from './clamped-linear';
import { floorsExceedError, DescribeUnits, UnallocatedReason } from './proportional';
import { improveToWholeUnitOptimum } from './integer-exchange';
import { roundGroupsLargestRemainder, roundLargestRemainder } from './rounding';
import type { ResponseCurve, SegmentLimit } from './types';

export type { ResponseCurve } from './types';

/** Expected response of spending x on a customer (x and s in the same units). */
export function response(curve: ResponseCurve, v: number, s: number, x: number): number {
  return curve === 'exp' ? v * -Math.expm1(-x / s) : v * Math.log1p(x / s);
}

/** Marginal response d/dx at x: the return of the next unit of spend. */
export function marginalResponse(curve: ResponseCurve, v: number, s: number, x: number): number {
  return curve === 'exp' ? (v / s) * Math.exp(-x / s) : v / (s + x);
}

/** Total expected response of an allocation (units of u, same as the saturation). */
export function totalResponse(curve: ResponseCurve, values: ArrayLike<number>, saturation: ArrayLike<number>, units: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < units.length; i++) sum += response(curve, values[i], saturation[i], units[i]);
  return sum;
}

/** Per row, the expected response and the marginal return at its amount, and their total; one loop per curve. */
export function responsesAt(curve: ResponseCurve, values: ArrayLike<number>, saturation: ArrayLike<number>, units: ArrayLike<number>): { expected: Float64Array; marginal: Float64Array; total: number } {
  const n = units.length;
  const expected = new Float64Array(n);
  const marginal = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    const s = saturation[i];
    if (curve === 'exp') {
      const left = Math.exp(-units[i] / s); // share of the value still to win
      expected[i] = v * (1 - left);
      marginal[i] = (v / s) * left;
    } else {
      expected[i] = v * Math.log1p(units[i] / s);
      marginal[i] = v / (s + units[i]);
    }
    total += expected[i];
  }
  return { expected, marginal, total };
}

export interface OptimalProblem {
  /** Value at stake per customer, v >= 0 (checked by the caller, allocateBudget, in the user's terms). */
  values: ArrayLike<number>;
  /** Saturation spend per customer in units of u, s > 0 (checked likewise). */
  saturation: ArrayLike<number>;
  /** The saturation column's name, for messages (default saturation). */
  saturationColumn?: string;
  /** Whole-unit bounds. */
  lower: Float64Array;
  upper: Float64Array;
  /** D in units. */
  distributableUnits: number;
  curve: ResponseCurve;
  /** Segment of each row, and minimum / maximum shares of D per segment. */
  segments?: readonly string[];
  minShare?: Readonly<Record<string, number>>;
  maxShare?: Readonly<Record<string, number>>;
  firstRow?: number;
  describe?: DescribeUnits;
}

export interface OptimalSolution {
  /** Whole units per row. */
  units: Float64Array;
  /** Continuous optimum per row, before rounding (put back in row order when read: only checks need it). */
  readonly continuous: Float64Array;
  unallocatedUnits: number;
  unallocatedReason?: UnallocatedReason;
  /** Marginal return per unit of u shared by the customers between their bounds in free segments. */
  lambda: number;
  /** Segments held at a share limit, with their own multiplier. */
  segmentLimits: Record<string, SegmentLimit>;
  /** Segment names (first appearance order) and each row's segment number. */
  segmentNames: string[];
  segmentOf: Int32Array;
  /** Total response of the proportional split x = clamp(lambda v) of the same budget within the same bounds and segment limits, rounded like the plan. */
  proportionalResponse: number;
}

/** A saturation this many times the budget makes every response curve a straight line over the budget. */
const MAX_SATURATION_TO_BUDGET = 1e12;

/** Lengths, and no saturation so far above the budget that the split would be arbitrary. */
function checkInputs(p: OptimalProblem, describe: DescribeUnits): void {
  const firstRow = p.firstRow ?? 1;
  const largest = MAX_SATURATION_TO_BUDGET * Math.max(p.distributableUnits, 1);
  if (p.saturation.length !== p.values.length) throw engineError('saturation.length', { count: p.saturation.length, rows: p.values.length });
  for (let i = 0; i < p.values.length; i++) {
    const s = p.saturation[i];
    if (s > largest) {
      throw engineError('saturation.tooLarge', { value: describe(s), distributable: describe(p.distributableUnits) }, { row: firstRow + i, column: p.saturationColumn ?? 'saturation' }, s);
    }
  }
}

interface Segments {
  names: string[];
  segmentOf: Int32Array;
}

function segmentsOf(rowCount: number, segments: readonly string[] | undefined): Segments {
  if (segments !== undefined && segments.length !== rowCount) throw engineError('optimal.segmentsLength', { count: segments.length, rows: rowCount });
  return numberSegments(segments, rowCount);
}

/** Per segment, in whole units: the share limits as given, and the effective limits including floors and reach. */
interface SegmentBounds {
  shareLower: Float64Array;
  shareUpper: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
  floors: Float64Array;
  reach: Float64Array;
}

function checkShare(name: string, share: number, kind: 'minimum' | 'maximum', known: ReadonlyMap<string, number>): void {
  if (!known.has(name)) throw parameterError(`segment ${kind} share`, 'optimal.unknownSegment', { segment: name, segments: [...known.keys()].join(', ') });
  if (!Number.isFinite(share) || share < 0 || share > 1) throw parameterError(`segment ${kind} share`, kind === 'minimum' ? 'optimal.minShare' : 'optimal.maxShare', { segment: name, value: share });
}

/** Share limits of D as whole units (min rounded up, max down) and the effective limits. */
function segmentBounds(p: OptimalProblem, names: readonly string[], rows: RowsInSegmentOrder, starts: SegmentStarts, describe: DescribeUnits): SegmentBounds {
  const G = names.length;
  const D = p.distributableUnits;
  const known = new Map(names.map((g, k) => [g, k]));
  const shareLower = new Float64Array(G);
  const shareUpper = new Float64Array(G).fill(Infinity); // no maximum unless one is given
  for (const [g, share] of Object.entries(p.minShare ?? {})) {
    checkShare(g, share, 'minimum', known);
    shareLower[known.get(g)!] = Math.ceil(share * D - 1e-9);
  }
  for (const [g, share] of Object.entries(p.maxShare ?? {})) {
    checkShare(g, share, 'maximum', known);
    shareUpper[known.get(g)!] = Math.floor(share * D + 1e-9);
  }
  const floors = new Float64Array(G);
  const reach = new Float64Array(G);
  for (let g = 0; g < G; g++) {
    for (let i = starts[g]; i < starts[g + 1]; i++) {
      floors[g] += rows.lower[i];
      reach[g] += rows.upper[i];
    }
  }
  const lower = new Float64Array(G);
  const upper = new Float64Array(G);
  for (let g = 0; g < G; g++) {
    const name = names[g];
    if (shareLower[g] > shareUpper[g]) throw parameterError('segment shares', 'optimal.minAboveMax', { segment: name, min: String(p.minShare?.[name]), max: String(p.maxShare?.[name]) });
    if (floors[g] > shareUpper[g]) {
      throw engineError('optimal.floorsAboveMaxShare', { segment: name, floors: describe(floors[g]), maxShare: describe(shareUpper[g]) });
    }
    if (shareLower[g] > reach[g]) {
      throw engineError('optimal.minShareUnreachable', { segment: name, needed: describe(shareLower[g]), reach: describe(reach[g]) });
    }
    lower[g] = Math.max(shareLower[g], floors[g]);
    upper[g] = Math.min(shareUpper[g], reach[g]);
  }
  return { shareLower, shareUpper, lower, upper, floors, reach };
}

/** The rows' inputs in segment order (see placeBySegment); the same arrays when there is one segment. */
interface RowsInSegmentOrder {
  values: Float64Array;
  saturation: Float64Array;
  lower: Float64Array;
  /** The cap, or the floor for a customer with value 0 (it gains nothing from more). */
  upper: Float64Array;
  /** Segment number of each row, non-decreasing. */
  segmentOf: Int32Array;
}

/** One pass copying every input to its place in segment order (sequential reads). */
function rowsInSegmentOrder(p: OptimalProblem, segmentOf: Int32Array, place: Int32Array | undefined, starts: SegmentStarts): RowsInSegmentOrder {
  const { values, saturation, lower, upper } = p;
  const n = values.length;
  if (place === undefined) {
    const gainUpper = new Float64Array(n);
    for (let i = 0; i < n; i++) gainUpper[i] = values[i] > 0 ? upper[i] : lower[i];
    return { values: asFloat64(values), saturation: asFloat64(saturation), lower, upper: gainUpper, segmentOf };
  }
  const rows: RowsInSegmentOrder = { values: new Float64Array(n), saturation: new Float64Array(n), lower: new Float64Array(n), upper: new Float64Array(n), segmentOf: new Int32Array(n) };
  for (let i = 0; i < n; i++) {
    const k = place[i];
    rows.values[k] = values[i];
    rows.saturation[k] = saturation[i];
    rows.lower[k] = lower[i];
    rows.upper[k] = values[i] > 0 ? upper[i] : lower[i];
  }
  for (let g = 0; g + 1 < starts.length; g++) rows.segmentOf.fill(g, starts[g], starts[g + 1]);
  return rows;
}

/** The response curve's lines in position p (exp: p = -ln lambda; log: p = vmax / lambda); see clamped-linear.ts. */
function responseLines(rows: RowsInSegmentOrder, curve: ResponseCurve, maxValue: number): ClampedLines {
  const n = rows.values.length;
  const slope = new Float64Array(n);
  const offset = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = rows.values[i];
    const s = rows.saturation[i];
    if (v <= 0) offset[i] = -Infinity; // never moves: stays at its floor
    else if (curve === 'exp') {
      slope[i] = s;
      offset[i] = s * Math.log(v / s);
    } else {
      slope[i] = v / maxValue;
      offset[i] = -s;
    }
  }
  return { slope, offset, lower: rows.lower, upper: rows.upper };
}

/** Turns the response lines into the proportional lines x = clamp(lambda v, floor, cap), reusing the arrays. */
function toProportionalLines(lines: ClampedLines, values: ArrayLike<number>, maxValue: number): ClampedLines {
  for (let i = 0; i < values.length; i++) lines.slope[i] = values[i] / maxValue;
  lines.offset.fill(0);
  return lines;
}

/** Marginal return per unit of u at a position. */
function lambdaAt(curve: ResponseCurve, position: number, maxValue: number): number {
  return curve === 'exp' ? Math.exp(-position) : maxValue / position;
}

/**
 * Largest-remainder rounding that keeps every bound. With segment share limits, segment totals are
 * rounded first (within their limits), then the customers of each segment to their segment's total;
 * without limits all customers are rounded together, which moves no amount further than needed.
 */
function roundWithinBounds(continuous: Float64Array, rows: RowsInSegmentOrder, bounds: SegmentBounds, total: number, hasLimits: boolean): Float64Array {
  const { segmentOf, values, lower, upper } = rows;
  if (!hasLimits) return roundLargestRemainder({ amounts: continuous, lower, upper, total, weights: values });
  const G = bounds.lower.length;
  const segmentTotals = new Float64Array(G);
  const segmentValues = new Float64Array(G);
  for (let i = 0; i < continuous.length; i++) {
    segmentTotals[segmentOf[i]] += continuous[i];
    segmentValues[segmentOf[i]] += values[i];
  }
  const segmentUnits = roundLargestRemainder({ amounts: segmentTotals, lower: bounds.lower, upper: bounds.upper, total, weights: segmentValues });
  return roundGroupsLargestRemainder({ amounts: continuous, lower, upper, weights: values, groupOf: segmentOf, totals: segmentUnits });
}

/**
 * What the next unit of budget returns when no customer in a segment free of its limits sits
 * strictly between its bounds (every segment held at a share limit, or everyone at a floor): the
 * best marginal return among customers below their cap in segments below their maximum.
 */
function nextUnitReturn(curve: ResponseCurve, rows: RowsInSegmentOrder, amounts: Float64Array, segmentState: Int8Array, bounds: SegmentBounds): number {
  let best = 0;
  for (let i = 0; i < amounts.length; i++) {
    const g = rows.segmentOf[i];
    // A segment at its maximum, or pinned (minimum = maximum), takes nothing more.
    if (segmentState[g] > 0 || bounds.lower[g] >= bounds.upper[g] || !(amounts[i] < rows.upper[i])) continue;
    best = Math.max(best, marginalResponse(curve, rows.values[i], rows.saturation[i], amounts[i]));
  }
  return best;
}

/** Back from segment order to the rows' own order. */
function inRowOrder(sorted: Float64Array, place: Int32Array | undefined): Float64Array {
  return place === undefined ? sorted : gather(sorted, place);
}

/** Solves the optimal allocation (continuous, then rounded) and the proportional comparison. */
export function solveOptimal(p: OptimalProblem): OptimalSolution {
  const describe = p.describe ?? ((units: number) => String(units));
  checkInputs(p, describe);
  const n = p.values.length;
  const D = p.distributableUnits;
  const segments = segmentsOf(n, p.segments);
  // Rows sorted by segment (stable, so rounding ties still go to the earlier row) make every
  // per-segment sum one contiguous loop; results are put back in the rows' order at the end.
  const { place: segmentPlace, starts } = placeBySegment(segments.segmentOf, segments.names.length);
  const place = segments.names.length > 1 ? segmentPlace : undefined;
  const rows = rowsInSegmentOrder(p, segments.segmentOf, place, starts);
  const bounds = segmentBounds(p, segments.names, rows, starts, describe);
  const floorSum = bounds.floors.reduce((s, f) => s + f, 0);
  if (floorSum > D) throw floorsExceedError(floorSum, D, describe);
  const lowerSum = bounds.lower.reduce((s, f) => s + f, 0);
  if (lowerSum > D) throw engineError('optimal.minSharesExceed', { lower: describe(lowerSum), total: describe(D) });
  const upperSum = bounds.upper.reduce((s, f) => s + f, 0);
  const reachSum = bounds.reach.reduce((s, f) => s + f, 0);
  const target = Math.min(D, upperSum);
  let maxValue = 0;
  for (let i = 0; i < n; i++) if (rows.values[i] > maxValue) maxValue = rows.values[i];
  if (maxValue === 0 && D > floorSum) throw engineError('optimal.allValuesZero');
  const unallocatedReason: UnallocatedReason | undefined = target === D ? undefined : reachSum >= D ? 'segment-limits' : 'caps';

  const lines = responseLines(rows, p.curve, maxValue || 1);
  const solution = solveSegmented(lines, starts, bounds.lower, bounds.upper, target);
  const continuous = settleToTarget(amountsAt(lines, starts, solution.segmentPosition), rows.lower, rows.upper, target);
  const hasLimits = Object.keys(p.minShare ?? {}).length + Object.keys(p.maxShare ?? {}).length > 0;
  const units = roundWithinBounds(continuous, rows, bounds, target, hasLimits);
  // Rounding can leave a unit on a flat curve that a steep one would use better: exchange to the whole-unit optimum.
  const segmentTotals = hasLimits ? { segmentOf: rows.segmentOf, lower: bounds.lower, upper: bounds.upper } : undefined;
  improveToWholeUnitOptimum(units, rows, p.curve, segmentTotals, { gain: lines.slope, loss: lines.offset }); // the lines are rebuilt below

  // The comparison is rounded the same way as the plan, so the gain shown is between two plans a
  // user could actually run (with few units, rounding alone can move the response noticeably).
  const plain = toProportionalLines(lines, rows.values, maxValue || 1);
  const plainSolution = solveSegmented(plain, starts, bounds.lower, bounds.upper, target);
  const proportionalUnits = roundWithinBounds(settleToTarget(amountsAt(plain, starts, plainSolution.segmentPosition), rows.lower, rows.upper, target), rows, bounds, target, hasLimits);

  const segmentLimits: Record<string, SegmentLimit> = {};
  segments.names.forEach((name, g) => {
    const state = solution.segmentState[g];
    const fromShare = state < 0 ? bounds.shareLower[g] > bounds.floors[g] : state > 0 && bounds.shareUpper[g] < bounds.reach[g];
    if (fromShare) segmentLimits[name] = { limit: state < 0 ? 'min' : 'max', lambda: lambdaAt(p.curve, solution.segmentPosition[g], maxValue) };
  });
  return {
    units: inRowOrder(units, place),
    get continuous() {
      return inRowOrder(continuous, place);
    },
    unallocatedUnits: D - target,
    unallocatedReason,
    // Budget left unallocated is not a binding constraint: the next unit of it returns nothing.
    lambda: target < D ? 0 : solution.freeRowsMove ? lambdaAt(p.curve, solution.position, maxValue) : nextUnitReturn(p.curve, rows, continuous, solution.segmentState, bounds),
    segmentLimits,
    segmentNames: segments.names,
    segmentOf: segments.segmentOf,
    proportionalResponse: totalResponse(p.curve, rows.values, rows.saturation, proportionalUnits),
  };
}
