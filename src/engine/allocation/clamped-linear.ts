/**
 * The one equation behind every allocation method: find the position p at which
 *
 *   total(p) = sum_i clamp(slope_i * p + offset_i, lower_i, upper_i) = target.
 *
 * - proportional: slope = weight, offset = 0, p = lambda (x = clamp(lambda w, floor, cap));
 * - equal: slope = 1, offset = 0;
 * - optimal, exp response v (1 - e^(-x/s)): slope = s, offset = s ln(v/s), p = -ln(lambda);
 * - optimal, log response v ln(1 + x/s): slope = v, offset = -s, p = 1/lambda.
 *
 * total(p) is continuous, non-decreasing and piecewise linear, so a Newton step taken with the
 * rows that are strictly between their bounds lands exactly on the solution once those rows are
 * the right ones. Steps stay inside a bracket [lo, hi] with total(lo) <= target <= total(hi), and a
 * step that does not halve the error is replaced by bisection, so the search always ends.
 *
 * With segment limits (optimal with minimum / maximum shares per segment) each segment's spend is
 * clamped to its limits, which keeps the total continuous, monotone and piecewise linear in the
 * common position; each segment held at a limit then gets its own position. All those segments are
 * solved together, one sequential pass over the rows per Newton step.
 */
import { gather, tabulate } from './arrays';

/** Per-row lines; slope 0 (or offset -Infinity) marks a row that never moves from clamp(offset). */
export interface ClampedLines {
  slope: Float64Array;
  offset: Float64Array;
  lower: ArrayLike<number>;
  upper: ArrayLike<number>;
}

/** Positions stay within +-MAX_POSITION so slope * p never overflows for a normalised slope. */
export const MAX_POSITION = 1e300;

/** A row's amount at position p. */
export function amountAt(lines: ClampedLines, i: number, p: number): number {
  const x = lines.slope[i] * p + lines.offset[i];
  const lo = lines.lower[i];
  const hi = lines.upper[i];
  return x < lo ? lo : x > hi ? hi : x;
}

interface Evaluation {
  total: number;
  /** d total / dp: the slopes of the rows strictly inside their bounds. */
  slope: number;
}

/** total(p) and its slope. */
function evaluate(lines: ClampedLines, p: number): Evaluation {
  const { slope, offset, lower, upper } = lines;
  let total = 0;
  let freeSlope = 0;
  for (let i = 0; i < slope.length; i++) {
    const x = slope[i] * p + offset[i];
    if (x <= lower[i]) total += lower[i];
    else if (x >= upper[i]) total += upper[i];
    else {
      total += x;
      freeSlope += slope[i];
    }
  }
  return { total, slope: freeSlope };
}

/**
 * A bracket [lo, hi]: at lo every moving row sits at its lower bound, at hi every moving row sits at
 * its upper bound or, when it has none, at or above `target` (so total(hi) >= min(target, reach)).
 */
export function bracketOf(lines: ClampedLines, target: number): [number, number] {
  const lo = new Float64Array(1);
  const hi = new Float64Array(1);
  segmentBrackets(lines, undefined, [target], lo, hi);
  return [lo[0], hi[0]];
}

/**
 * Per segment, the positions between which its rows move: below lo[g] every moving row is at its
 * lower bound; from hi[g] on, at its upper bound or (with none) at or above targets[g]. Segments
 * with a NaN target are skipped; a segment without moving rows gets [0, 0].
 */
function segmentBrackets(lines: ClampedLines, segmentOf: Int32Array | undefined, targets: ArrayLike<number>, lo: Float64Array, hi: Float64Array): void {
  const { slope, offset, lower, upper } = lines;
  lo.fill(Infinity);
  hi.fill(-Infinity);
  for (let i = 0; i < slope.length; i++) {
    const g = segmentOf ? segmentOf[i] : 0;
    if (!(slope[i] > 0) || !Number.isFinite(offset[i]) || Number.isNaN(targets[g])) continue;
    const top = upper[i] < Infinity ? upper[i] : Math.max(targets[g], lower[i]);
    const from = (lower[i] - offset[i]) / slope[i];
    const to = (top - offset[i]) / slope[i];
    if (from < lo[g]) lo[g] = from;
    if (to > hi[g]) hi[g] = to;
  }
  for (let g = 0; g < lo.length; g++) {
    if (lo[g] === Infinity) [lo[g], hi[g]] = [0, 0];
    else [lo[g], hi[g]] = [Math.max(-MAX_POSITION, lo[g]), Math.min(MAX_POSITION, hi[g])];
  }
}

/** The position at which every moving row would be strictly between its bounds (a first guess). */
function allFreeGuess(lines: ClampedLines, target: number): number {
  let slopeSum = 0;
  let offsetSum = 0;
  for (let i = 0; i < lines.slope.length; i++) {
    if (lines.slope[i] > 0 && Number.isFinite(lines.offset[i])) {
      slopeSum += lines.slope[i];
      offsetSum += lines.offset[i];
    }
  }
  return slopeSum > 0 ? (target - offsetSum) / slopeSum : 0;
}

/** Middle of a bracket: arithmetic when the ends are of one size, else in asinh space (orders of magnitude). */
export function middleOf(lo: number, hi: number): number {
  const width = hi - lo;
  if (width <= 0.5 * Math.max(Math.abs(lo), Math.abs(hi))) return lo + 0.5 * width;
  const mid = Math.sinh(0.5 * (Math.asinh(lo) + Math.asinh(hi)));
  return mid > lo && mid < hi ? mid : lo + 0.5 * width;
}

/** How close total(p) must come to the target: well below one unit, above floating-point noise. */
export function toleranceFor(target: number): number {
  return 1e-9 + 1e-13 * Math.abs(target);
}

/** One safeguarded Newton search for total(p) = target inside [lo, hi]; fed one evaluation at a time. */
export class NewtonSearch {
  position: number;
  done: boolean;
  private previousError = Infinity;
  private best: number;
  private bestError = Infinity;
  private readonly tolerance: number;

  constructor(
    private lo: number,
    private hi: number,
    private readonly target: number,
    start: number,
  ) {
    this.tolerance = toleranceFor(target);
    this.position = start > lo && start < hi ? start : middleOf(lo, hi);
    this.best = this.position;
    this.done = !(lo < hi);
    if (this.done) this.position = lo;
  }

  /** Takes total(position) and its slope; moves `position` on, or sets `done`. */
  update(total: number, slope: number): void {
    const p = this.position;
    const error = total - this.target;
    if (Math.abs(error) < this.bestError) [this.best, this.bestError] = [p, Math.abs(error)];
    if (Math.abs(error) <= this.tolerance) {
      this.done = true;
      return;
    }
    if (error < 0) this.lo = p;
    else this.hi = p;
    let next = slope > 0 ? p - error / slope : NaN;
    // Bisect when Newton leaves the bracket or stalls (error not halved since the last step).
    if (!(next > this.lo && next < this.hi) || Math.abs(error) > 0.5 * this.previousError) next = middleOf(this.lo, this.hi);
    this.previousError = Math.abs(error);
    if (next === p || !(next > this.lo && next < this.hi)) {
      // The bracket cannot shrink any more in floating point: keep the best position seen.
      this.position = this.best;
      this.done = true;
      return;
    }
    this.position = next;
  }
}

/** At most this many evaluations per search; bisection alone needs about 2,100 to cross all doubles. */
const MAX_STEPS = 2500;

/**
 * Solves total(p) = target. `evaluateAt` defaults to the plain sum; the segment-limited solver
 * passes its own. The target must lie within the range total can reach; the result is then exact
 * up to floating-point rounding.
 */
export function solvePosition(lines: ClampedLines, target: number, guess?: number, evaluateAt: (p: number) => Evaluation = (p) => evaluate(lines, p)): number {
  const [lo, hi] = bracketOf(lines, target);
  const start = guess !== undefined && guess > lo && guess < hi ? guess : allFreeGuess(lines, target);
  const search = new NewtonSearch(lo, hi, target, start);
  for (let step = 0; step < MAX_STEPS && !search.done; step++) {
    const { total, slope } = evaluateAt(search.position);
    search.update(total, slope);
  }
  return search.position;
}

/** Where each segment ends up: -1 held at its lower limit, +1 at its upper limit, 0 free. */
export interface SegmentedSolution {
  /** The common position of rows in free segments. */
  position: number;
  /** Each segment's own position (equal to `position` for a free segment). */
  segmentPosition: Float64Array;
  segmentState: Int8Array;
}

/**
 * Solves sum_g clamp(S_g(p), segmentLower_g, segmentUpper_g) = target, where S_g is the sum over
 * the rows of segment g (segmentOf), then finds each clamped segment's own position. These are the
 * optimality conditions of a separable concave problem with one multiplier per binding segment
 * limit. Limits must already include each segment's floors and reach (segmentLower_g >= its floors,
 * segmentUpper_g <= what its rows can take) and the target must lie in [sum lower, sum upper].
 */
export function solveSegmented(lines: ClampedLines, segmentOf: Int32Array, segmentLower: Float64Array, segmentUpper: Float64Array, target: number): SegmentedSolution {
  const G = segmentLower.length;
  const guess = sampledGuess(lines, segmentOf, segmentLower, segmentUpper, target);
  const position = segmentedPosition(lines, segmentOf, segmentLower, segmentUpper, target, guess);
  const { sums } = segmentSums(lines, segmentOf, new Float64Array(G).fill(position));
  const segmentState = new Int8Array(G);
  const segmentTarget = new Float64Array(G);
  for (let g = 0; g < G; g++) {
    const tolerance = toleranceFor(segmentUpper[g]);
    if (sums[g] < segmentLower[g] + tolerance) [segmentState[g], segmentTarget[g]] = [-1, segmentLower[g]];
    else if (sums[g] > segmentUpper[g] - tolerance) [segmentState[g], segmentTarget[g]] = [1, segmentUpper[g]];
  }
  const segmentPosition = solveSegmentPositions(lines, segmentOf, segmentState, segmentTarget, position);
  return { position, segmentPosition, segmentState };
}

/** Per segment, the sum of its rows at the segment's position and the slope of its rows strictly inside their bounds. */
function segmentSums(lines: ClampedLines, segmentOf: Int32Array, positions: Float64Array, sums = new Float64Array(positions.length), slopes = new Float64Array(positions.length)): { sums: Float64Array; slopes: Float64Array } {
  sums.fill(0);
  slopes.fill(0);
  const { slope, offset, lower, upper } = lines;
  for (let i = 0; i < segmentOf.length; i++) {
    const g = segmentOf[i];
    const x = slope[i] * positions[g] + offset[i];
    if (x <= lower[i]) sums[g] += lower[i];
    else if (x >= upper[i]) sums[g] += upper[i];
    else {
      sums[g] += x;
      slopes[g] += slope[i];
    }
  }
  return { sums, slopes };
}

/** The common position: sum_g clamp(S_g(p), lower_g, upper_g) = target. */
function segmentedPosition(lines: ClampedLines, segmentOf: Int32Array, segmentLower: ArrayLike<number>, segmentUpper: ArrayLike<number>, target: number, guess?: number): number {
  const G = segmentLower.length;
  const positions = new Float64Array(G);
  const sums = new Float64Array(G);
  const slopes = new Float64Array(G);
  const clampedTotal = (p: number): Evaluation => {
    segmentSums(lines, segmentOf, positions.fill(p), sums, slopes);
    let total = 0;
    let slope = 0;
    for (let g = 0; g < G; g++) {
      if (sums[g] <= segmentLower[g]) total += segmentLower[g];
      else if (sums[g] >= segmentUpper[g]) total += segmentUpper[g];
      else {
        total += sums[g];
        slope += slopes[g];
      }
    }
    return { total, slope };
  };
  return solvePosition(lines, target, guess, clampedTotal);
}

/**
 * Each segment with state != 0 solves S_g(p_g) = target_g on its own; all of them advance together,
 * one sequential pass over all rows per Newton step. Free segments keep `position`.
 */
function solveSegmentPositions(lines: ClampedLines, segmentOf: Int32Array, state: Int8Array, targets: Float64Array, position: number): Float64Array {
  const G = state.length;
  const positions = new Float64Array(G).fill(position);
  if (state.every((s) => s === 0)) return positions;
  const lo = new Float64Array(G);
  const hi = new Float64Array(G);
  segmentBrackets(lines, segmentOf, tabulate(G, (g) => (state[g] === 0 ? NaN : targets[g])), lo, hi);
  const searches: (NewtonSearch | undefined)[] = [];
  for (let g = 0; g < G; g++) {
    if (state[g] === 0) continue;
    searches[g] = new NewtonSearch(lo[g], hi[g], targets[g], position);
    positions[g] = searches[g]!.position;
  }
  const sums = new Float64Array(G);
  const slopes = new Float64Array(G);
  for (let step = 0; step < MAX_STEPS && searches.some((s) => s && !s.done); step++) {
    segmentSums(lines, segmentOf, positions, sums, slopes);
    for (let g = 0; g < G; g++) {
      const search = searches[g];
      if (!search || search.done) continue;
      search.update(sums[g], slopes[g]);
      positions[g] = search.position;
    }
  }
  searches.forEach((search, g) => search && (positions[g] = search.position));
  return positions;
}

/** Rows in an evenly spaced sample that gives large problems their first guess. */
const SAMPLE_ROWS = 16_384;

/**
 * A first guess from an evenly spaced sample of the rows with every limit scaled down alike:
 * Newton from there needs two or three passes over all rows instead of six or seven.
 */
function sampledGuess(lines: ClampedLines, segmentOf: Int32Array, segmentLower: Float64Array, segmentUpper: Float64Array, target: number): number | undefined {
  const n = segmentOf.length;
  if (n < 8 * SAMPLE_ROWS) return undefined;
  const stride = Math.floor(n / SAMPLE_ROWS);
  const rows = new Int32Array(Math.ceil(n / stride));
  for (let k = 0; k < rows.length; k++) rows[k] = k * stride;
  const ratio = rows.length / n;
  const sample: ClampedLines = { slope: gather(lines.slope, rows), offset: gather(lines.offset, rows), lower: gather(lines.lower, rows), upper: gather(lines.upper, rows) };
  const sampleSegmentOf = new Int32Array(rows.length);
  for (let k = 0; k < rows.length; k++) sampleSegmentOf[k] = segmentOf[rows[k]];
  return segmentedPosition(sample, sampleSegmentOf, segmentLower.map((v) => v * ratio), segmentUpper.map((v) => v * ratio), target * ratio);
}

/** Continuous amounts for every row at its segment's position. */
export function amountsAt(lines: ClampedLines, segmentOf: Int32Array, positions: ArrayLike<number>): Float64Array {
  const n = lines.slope.length;
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = amountAt(lines, i, positions[segmentOf[i]]);
  return x;
}

/** Segment numbers 0..count-1 for row labels, in first-appearance order. */
export function numberSegments(labels: readonly string[] | undefined, rowCount: number): { names: string[]; segmentOf: Int32Array } {
  const numberOf = new Map<string, number>();
  const segmentOf = new Int32Array(rowCount);
  let previous: string | undefined;
  let previousNumber = 0;
  for (let i = 0; i < rowCount; i++) {
    const name = labels ? labels[i] : '';
    if (name !== previous) {
      let g = numberOf.get(name);
      if (g === undefined) numberOf.set(name, (g = numberOf.size));
      [previous, previousNumber] = [name, g];
    }
    segmentOf[i] = previousNumber;
  }
  if (numberOf.size === 0) numberOf.set('', 0);
  return { names: [...numberOf.keys()], segmentOf };
}
