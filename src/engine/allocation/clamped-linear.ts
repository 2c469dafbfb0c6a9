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
import { gather } from './arrays';

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

/** The total of rows from .. to - 1 at position p, and the slope of those strictly inside their bounds. */
function sumRange(lines: ClampedLines, from: number, to: number, p: number): Evaluation {
  const { slope, offset, lower, upper } = lines;
  let total = 0;
  let freeSlope = 0;
  for (let i = from; i < to; i++) {
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

/** total(p) and its slope. */
function evaluate(lines: ClampedLines, p: number): Evaluation {
  return sumRange(lines, 0, lines.slope.length, p);
}

/**
 * A bracket [lo, hi]: at lo every moving row sits at its lower bound, at hi every moving row sits at
 * its upper bound or, when it has none, at or above `target` (so total(hi) >= min(target, reach)).
 */
export function bracketOf(lines: ClampedLines, target: number): [number, number] {
  const { slope, offset, lower, upper } = lines;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < slope.length; i++) {
    if (!(slope[i] > 0) || !Number.isFinite(offset[i])) continue;
    const top = upper[i] < Infinity ? upper[i] : Math.max(target, lower[i]);
    const from = (lower[i] - offset[i]) / slope[i];
    const to = (top - offset[i]) / slope[i];
    if (from < lo) lo = from;
    if (to > hi) hi = to;
  }
  return lo === Infinity ? [0, 0] : [Math.max(-MAX_POSITION, lo), Math.min(MAX_POSITION, hi)];
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
class NewtonSearch {
  position: number;
  done: boolean;
  /** Done because total(position) is within tolerance of the target (not because the bracket could shrink no more). */
  converged = false;
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
      this.done = this.converged = true;
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

/** Newton steps tried from a guess before the bracketed search. */
const QUICK_STEPS = 6;

/** At most this many evaluations per search; bisection alone needs about 2,100 to cross all doubles. */
const MAX_STEPS = 2500;

/**
 * Solves total(p) = target. `evaluateAt` defaults to the plain sum; the segment-limited solver
 * passes its own. The target must lie within the range total can reach; the result is then exact
 * up to floating-point rounding.
 */
export function solvePosition(lines: ClampedLines, target: number, guess?: number, evaluateAt: (p: number) => Evaluation = (p) => evaluate(lines, p)): number {
  if (guess !== undefined && Number.isFinite(guess)) {
    // A guess from a sample usually lands in two or three Newton steps: the pass finding the bracket is needed only when it does not.
    const quick = new NewtonSearch(-MAX_POSITION, MAX_POSITION, target, guess);
    for (let step = 0; step < QUICK_STEPS && !quick.done; step++) {
      const { total, slope } = evaluateAt(quick.position);
      quick.update(total, slope);
    }
    if (quick.converged) return quick.position;
  }
  const [lo, hi] = bracketOf(lines, target);
  const start = guess !== undefined && guess > lo && guess < hi ? guess : allFreeGuess(lines, target);
  const search = new NewtonSearch(lo, hi, target, start);
  for (let step = 0; step < MAX_STEPS && !search.done; step++) {
    const { total, slope } = evaluateAt(search.position);
    search.update(total, slope);
  }
  return search.position;
}

/**
 * Rows ordered by segment: segment g holds rows start[g] .. start[g + 1] - 1 of the lines, so every
 * per-segment sum is a tight loop over contiguous memory with one position.
 */
export type SegmentStarts = Int32Array;

/** Where each segment ends up: -1 held at its lower limit, +1 at its upper limit, 0 free. */
export interface SegmentedSolution {
  /** The common position of rows in free segments. */
  position: number;
  /** Each segment's own position (equal to `position` for a free segment). */
  segmentPosition: Float64Array;
  segmentState: Int8Array;
  /** Whether some row of a free segment is strictly between its bounds: only then does `position` carry a marginal value. */
  freeRowsMove: boolean;
}

/**
 * Solves sum_g clamp(S_g(p), segmentLower_g, segmentUpper_g) = target, where S_g is the sum over
 * the rows of segment g, then finds each clamped segment's own position. These are the optimality
 * conditions of a separable concave problem with one multiplier per binding segment limit. Limits
 * must already include each segment's floors and reach (segmentLower_g >= its floors,
 * segmentUpper_g <= what its rows can take) and the target must lie in [sum lower, sum upper].
 */
export function solveSegmented(lines: ClampedLines, starts: SegmentStarts, segmentLower: Float64Array, segmentUpper: Float64Array, target: number): SegmentedSolution {
  const G = segmentLower.length;
  const fromSample = sampledSolution(lines, starts, segmentLower, segmentUpper, target);
  const { position, sums, slopes } = segmentedPosition(lines, starts, segmentLower, segmentUpper, target, fromSample?.position);
  const segmentState = new Int8Array(G);
  const segmentPosition = new Float64Array(G).fill(position);
  // Every segment sum is at most the target, so the target's tolerance serves them all (limits may be infinite).
  const tolerance = toleranceFor(target);
  let freeRowsMove = false;
  for (let g = 0; g < G; g++) {
    if (sums[g] < segmentLower[g] + tolerance) segmentState[g] = -1;
    else if (sums[g] > segmentUpper[g] - tolerance) segmentState[g] = 1;
    else {
      freeRowsMove ||= slopes[g] > 0;
      continue;
    }
    // A segment held at a limit solves its own equation on its own rows, from the sample's answer when it agrees.
    const range = sliceLines(lines, starts[g], starts[g + 1]);
    const guess = fromSample && fromSample.segmentState[g] === segmentState[g] ? fromSample.segmentPosition[g] : position;
    segmentPosition[g] = solvePosition(range, segmentState[g] < 0 ? segmentLower[g] : segmentUpper[g], guess);
  }
  return { position, segmentPosition, segmentState, freeRowsMove };
}

/** Rows from .. to - 1 as lines of their own (views, no copy). */
function sliceLines(lines: ClampedLines, from: number, to: number): ClampedLines {
  return {
    slope: lines.slope.subarray(from, to),
    offset: lines.offset.subarray(from, to),
    lower: (lines.lower as Float64Array).subarray(from, to),
    upper: (lines.upper as Float64Array).subarray(from, to),
  };
}

/** Per segment, the sum of its rows at the segment's position and the slope of its rows strictly inside their bounds. */
function segmentSums(lines: ClampedLines, starts: SegmentStarts, positions: Float64Array, sums = new Float64Array(positions.length), slopes = new Float64Array(positions.length)): { sums: Float64Array; slopes: Float64Array } {
  for (let g = 0; g < positions.length; g++) {
    const { total, slope } = sumRange(lines, starts[g], starts[g + 1], positions[g]);
    sums[g] = total;
    slopes[g] = slope;
  }
  return { sums, slopes };
}

/** The common position p with sum_g clamp(S_g(p), lower_g, upper_g) = target, and every S_g at p. */
function segmentedPosition(lines: ClampedLines, starts: SegmentStarts, segmentLower: ArrayLike<number>, segmentUpper: ArrayLike<number>, target: number, guess?: number): { position: number; sums: Float64Array; slopes: Float64Array } {
  const G = segmentLower.length;
  const positions = new Float64Array(G);
  const sums = new Float64Array(G);
  const slopes = new Float64Array(G);
  let evaluatedAt = NaN;
  const clampedTotal = (p: number): Evaluation => {
    segmentSums(lines, starts, positions.fill(p), sums, slopes);
    evaluatedAt = p;
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
  const position = solvePosition(lines, target, guess, clampedTotal);
  // The search usually ends where it last evaluated; otherwise one more pass.
  if (position !== evaluatedAt) segmentSums(lines, starts, positions.fill(position), sums, slopes);
  return { position, sums, slopes };
}

/** Rows in an evenly spaced sample that gives large problems their first guess. */
const SAMPLE_ROWS = 16_384;

/**
 * The same problem on an evenly spaced sample of the rows with every limit scaled down alike: its
 * positions are close first guesses, so Newton on all rows needs two or three passes instead of six
 * or seven (undefined for problems small enough to solve directly).
 */
function sampledSolution(lines: ClampedLines, starts: SegmentStarts, segmentLower: Float64Array, segmentUpper: Float64Array, target: number): SegmentedSolution | undefined {
  const n = lines.slope.length;
  if (n < 8 * SAMPLE_ROWS) return undefined;
  const stride = Math.floor(n / SAMPLE_ROWS);
  const G = segmentLower.length;
  const sampleStarts = new Int32Array(G + 1);
  const rows: number[] = [];
  for (let g = 0; g < G; g++) {
    for (let i = starts[g]; i < starts[g + 1]; i += stride) rows.push(i);
    sampleStarts[g + 1] = rows.length;
  }
  const ratio = rows.length / n;
  const sample: ClampedLines = { slope: gather(lines.slope, rows), offset: gather(lines.offset, rows), lower: gather(lines.lower, rows), upper: gather(lines.upper, rows) };
  return solveSegmented(sample, sampleStarts, segmentLower.map((v) => v * ratio), segmentUpper.map((v) => v * ratio), target * ratio);
}

/** Continuous amounts for every row at its segment's position. */
export function amountsAt(lines: ClampedLines, starts: SegmentStarts, positions: ArrayLike<number>): Float64Array {
  const x = new Float64Array(lines.slope.length);
  for (let g = 0; g + 1 < starts.length; g++) for (let i = starts[g]; i < starts[g + 1]; i++) x[i] = amountAt(lines, i, positions[g]);
  return x;
}

/**
 * A stable order of the rows by segment (counting sort): row i moves to place[i], and segment g
 * holds places start[g] .. start[g + 1] - 1, its rows in their original order. Places, not an
 * order of rows, because copying rows to their places reads the inputs sequentially, which is
 * about twice as fast on a million rows as gathering them through an order.
 */
export function placeBySegment(segmentOf: Int32Array, count: number): { place: Int32Array; starts: SegmentStarts } {
  const starts = new Int32Array(count + 1);
  for (let i = 0; i < segmentOf.length; i++) starts[segmentOf[i] + 1]++;
  for (let g = 0; g < count; g++) starts[g + 1] += starts[g];
  const next = starts.slice(0, count);
  const place = new Int32Array(segmentOf.length);
  for (let i = 0; i < segmentOf.length; i++) place[i] = next[segmentOf[i]]++;
  return { place, starts };
}

/** A sum this far from its target is not rounding noise (which rounding absorbs) but an unresolved position. */
const SETTLE_THRESHOLD = 0.5;

/**
 * Makes continuous amounts add up to `target` within their bounds, in place. The solver's answer
 * already does, up to floating-point noise; but when the response curves are so flat (saturation
 * far above the budget) or so steep that no position is resolvable in floating point, its amounts
 * can miss the target by much more, or overflow. Then the difference is spread over the rows with
 * room, in proportion to that room, or equally over the rows without an upper bound. The target
 * must lie within [sum lower, sum upper].
 */
export function settleToTarget(amounts: Float64Array, lower: ArrayLike<number>, upper: ArrayLike<number>, target: number): Float64Array {
  let total = 0;
  for (let i = 0; i < amounts.length; i++) {
    const x = amounts[i];
    amounts[i] = Number.isNaN(x) || x < lower[i] ? lower[i] : x > upper[i] ? upper[i] : x;
    if (!Number.isFinite(amounts[i])) amounts[i] = lower[i]; // +Infinity with no upper bound: no usable position
    total += amounts[i];
  }
  const missing = target - total;
  if (Math.abs(missing) <= SETTLE_THRESHOLD) return amounts;
  // Scale each row's distance from the bound it moves away from (a ratio, so no cancellation).
  let lowerSum = 0;
  let aboveLower = 0;
  let upperSum = 0;
  let belowUpper = 0;
  let unbounded = 0;
  for (let i = 0; i < amounts.length; i++) {
    lowerSum += lower[i];
    aboveLower += amounts[i] - lower[i];
    if (upper[i] === Infinity) unbounded++;
    else {
      upperSum += upper[i];
      belowUpper += upper[i] - amounts[i];
    }
  }
  if (missing < 0) {
    const keep = (target - lowerSum) / aboveLower;
    for (let i = 0; i < amounts.length; i++) amounts[i] = lower[i] + (amounts[i] - lower[i]) * keep;
  } else if (unbounded > 0) {
    for (let i = 0; i < amounts.length; i++) if (upper[i] === Infinity) amounts[i] += missing / unbounded;
  } else {
    const keep = (upperSum - target) / belowUpper;
    for (let i = 0; i < amounts.length; i++) amounts[i] = upper[i] - (upper[i] - amounts[i]) * keep;
  }
  return amounts;
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
