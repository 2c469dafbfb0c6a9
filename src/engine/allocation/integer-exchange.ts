/**
 * From a rounded plan to the best whole-unit plan. Rounding the continuous optimum (optimal.ts) can
 * leave a plan a little worse than the best one in whole units: with coarse units, a unit rounded
 * onto a flat curve can be worth less than one rounded off a steep curve.
 *
 * The total response sum_i r_i(x_i) is separable and concave, and the constraints (row bounds, the
 * fixed total, segment totals within bounds) form a laminar family, so the problem is M-concave: a
 * plan is optimal among all whole-unit plans as soon as no single unit moved from one row to another
 * raises the total. So units are moved one at a time, always the move worth most, from the row whose
 * last unit loses least to the row whose next unit gains most, while the gain beats the loss by more
 * than floating-point noise. A move between segments must keep the giving segment at or above its
 * lower total and the receiving one at or below its upper total; a move inside a segment always can.
 *
 * The usual plan is already optimal or nearly: one pass finds each segment's best gain and least
 * loss and stops when no move improves (about 30 ms on a million rows). Otherwise only the rows
 * that can take part in an improving move are kept (see narrowCandidates: a few thousand of a
 * million rounded rows) and moves are chosen from heaps: per segment, its candidates by gain and by loss; over segments, their best
 * move inside and their best gain and least loss towards other segments. Each move costs
 * O(log n + log G); a plan far from the optimum takes one move per unit out of place.
 *
 * Ties: among equal gains the earliest row takes the unit, among equal losses the latest row gives.
 */
import type { ResponseCurve } from './types';

export interface WholeUnitRows {
  /** Value at stake v >= 0 per row. */
  values: Float64Array;
  /** Saturation spend s > 0 per row, in units. */
  saturation: Float64Array;
  /** Whole-unit bounds per row, lower >= 0 (upper may be Infinity). */
  lower: ArrayLike<number>;
  upper: ArrayLike<number>;
}

export interface SegmentTotals {
  /** Segment number 0..G-1 of each row. */
  segmentOf: Int32Array;
  /** Whole-unit bounds on each segment's total (G each; upper may be Infinity). */
  lower: ArrayLike<number>;
  upper: ArrayLike<number>;
}

/** A move must gain this much more than it loses (relative): far above rounding noise, so moves never cycle. */
const RELATIVE_NOISE = 1e-12;
/** ...and more than this: gains of this size have underflowed and are worth nothing. */
const NOISE_FLOOR = 1e-300;

/** What moving a unit from a row losing `loss` to a row gaining `gain` is worth beyond noise; the move improves when this is above NOISE_FLOOR. */
function excess(gain: number, loss: number): number {
  return gain - loss * (1 + RELATIVE_NOISE);
}

/**
 * Into steps[0] the response of a row's next unit, r(x + 1) - r(x), and into steps[1] that of its
 * last unit, r(x) - r(x - 1) (meaningful for x >= 1). No differences of responses, so no
 * cancellation. One function per curve, chosen once per call, so the hot loop has no branch on it.
 */
type UnitSteps = (v: number, s: number, x: number, steps: Float64Array) => void;

/** exp: the next unit v e^(-x/s) (1 - e^(-1/s)) and the last one v e^(-(x-1)/s) (1 - e^(-1/s)), each from its own start (dividing by e^(-1/s) loses it for s below a few hundredths of a unit). */
function expUnitSteps(v: number, s: number, x: number, steps: Float64Array): void {
  const h = 1 / s;
  const share = -Math.expm1(-h); // 1 - e^(-1/s): what one unit wins of what is left
  steps[0] = v * Math.exp(-x * h) * share;
  steps[1] = v * Math.exp(-(x - 1) * h) * share;
}

/** log: v ln(1 + 1/(s + x)) and v ln(1 + 1/(s + x - 1)). */
function logUnitSteps(v: number, s: number, x: number, steps: Float64Array): void {
  steps[0] = v * Math.log1p(1 / (s + x));
  steps[1] = v * Math.log1p(1 / (s + x - 1));
}

const UNIT_STEPS: Readonly<Record<ResponseCurve, UnitSteps>> = { exp: expUnitSteps, log: logUnitSteps };

/**
 * unitSteps of row i at x units, with -Infinity for the next unit when it cannot take one (at its
 * upper bound, or value 0: a gain of 0 never improves anything) and Infinity for the last unit at
 * its lower bound.
 */
function rowSteps(
  unitSteps: UnitSteps,
  rows: WholeUnitRows,
  i: number,
  x: number,
  steps: Float64Array,
): void {
  const v = rows.values[i];
  unitSteps(v, rows.saturation[i], x, steps);
  if (!(v > 0 && x < rows.upper[i])) steps[0] = -Infinity;
  if (!(x > rows.lower[i])) steps[1] = Infinity;
}

/** Per segment: its total, its best next-unit gain and least last-unit loss, and their rows (-1 for none). */
interface SegmentTops {
  total: Float64Array;
  gain: Float64Array;
  gainRow: Int32Array;
  loss: Float64Array;
  lossRow: Int32Array;
}

function emptyTops(segmentCount: number): SegmentTops {
  return {
    total: new Float64Array(segmentCount),
    gain: new Float64Array(segmentCount).fill(-Infinity),
    gainRow: new Int32Array(segmentCount).fill(-1),
    loss: new Float64Array(segmentCount).fill(Infinity),
    lossRow: new Int32Array(segmentCount).fill(-1),
  };
}

/** One pass over all rows: every segment's tops (earliest row on equal gains, latest on equal losses); checks the plan is whole units within the row bounds. */
function scanRows(
  units: Float64Array,
  rows: WholeUnitRows,
  unitSteps: UnitSteps,
  segmentOf: Int32Array | undefined,
  segmentCount: number,
  /** When given, each row's gain (-Infinity when it cannot take) and loss (Infinity when it cannot give), for narrowCandidates. */
  perRow?: { gain: Float64Array; loss: Float64Array },
): SegmentTops {
  const tops = emptyTops(segmentCount);
  const { total, gain, gainRow, loss, lossRow } = tops;
  const { lower, upper } = rows;
  const steps = new Float64Array(2);
  for (let i = 0; i < units.length; i++) {
    const x = units[i];
    if (!Number.isInteger(x) || x < lower[i] || x > upper[i])
      throw new Error(`row ${i}: ${x} units is not a whole number within [${lower[i]}, ${upper[i]}]`);
    const g = segmentOf ? segmentOf[i] : 0;
    total[g] += x;
    rowSteps(unitSteps, rows, i, x, steps);
    if (steps[0] > gain[g]) {
      gain[g] = steps[0];
      gainRow[g] = i;
    }
    if (steps[1] < Infinity && steps[1] <= loss[g]) {
      loss[g] = steps[1];
      lossRow[g] = i;
    }
    if (perRow) {
      perRow.gain[i] = steps[0];
      perRow.loss[i] = steps[1];
    }
  }
  return tops;
}

/** Every row's inputs, and a segment number within range for every row. */
function checkShapes(units: Float64Array, rows: WholeUnitRows, segments: SegmentTotals | undefined): void {
  const n = units.length;
  const lengths: [string, number][] = [
    ['values', rows.values.length],
    ['saturation', rows.saturation.length],
    ['lower', rows.lower.length],
    ['upper', rows.upper.length],
  ];
  if (segments) lengths.push(['segmentOf', segments.segmentOf.length]);
  for (const [name, length] of lengths)
    if (length !== n) throw new Error(`${name}: has ${length} values for ${n} rows`);
  if (!segments) return;
  const G = segments.lower.length;
  if (segments.upper.length !== G)
    throw new Error(`segment totals: ${G} lower bounds but ${segments.upper.length} upper bounds`);
  for (let i = 0; i < n; i++)
    if (!(segments.segmentOf[i] >= 0 && segments.segmentOf[i] < G))
      throw new Error(`row ${i}: segment ${segments.segmentOf[i]} is not one of the ${G} segments`);
}

function checkSegmentTotals(total: Float64Array, lower: ArrayLike<number>, upper: ArrayLike<number>): void {
  for (let g = 0; g < total.length; g++) {
    if (!(total[g] >= lower[g] && total[g] <= upper[g]))
      throw new Error(`segment ${g}: its total of ${total[g]} units lies outside [${lower[g]}, ${upper[g]}]`);
  }
}

/** A binary heap of ids ordered by `before`; `at` keeps each id's place, so an id whose key changed is put back in O(log n). */
class IndexedHeap {
  private readonly size: number;

  /** Takes `ids` over as the heap's storage. */
  constructor(
    private readonly items: Int32Array,
    private readonly at: Int32Array,
    private readonly before: (a: number, b: number) => boolean,
  ) {
    this.size = items.length;
    for (let k = 0; k < this.size; k++) at[items[k]] = k;
    for (let k = (this.size >> 1) - 1; k >= 0; k--) this.siftDown(k);
  }

  /** The first id, or -1 when empty. */
  first(): number {
    return this.size > 0 ? this.items[0] : -1;
  }

  /** Puts `id` back in order after its key changed. */
  update(id: number): void {
    this.siftDown(this.siftUp(this.at[id]));
  }

  private place(k: number, id: number): void {
    this.items[k] = id;
    this.at[id] = k;
  }

  private siftUp(k: number): number {
    const id = this.items[k];
    while (k > 0) {
      const parent = (k - 1) >> 1;
      if (!this.before(id, this.items[parent])) break;
      this.place(k, this.items[parent]);
      k = parent;
    }
    this.place(k, id);
    return k;
  }

  private siftDown(k: number): void {
    const id = this.items[k];
    for (;;) {
      let child = 2 * k + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && this.before(this.items[child + 1], this.items[child])) child++;
      if (!this.before(this.items[child], id)) break;
      this.place(k, this.items[child]);
      k = child;
    }
    this.place(k, id);
  }
}

/** The best move found: its worth beyond noise (see `excess`), the segment giving the unit and the one taking it. */
interface Move {
  excess: number;
  from: number;
  to: number;
}

/**
 * The best allowed move from the segments' tops, in O(1), kept up to date in O(log G) per changed
 * segment: a heap of the segments by their best move inside, one by their best gain among those
 * below their upper total (can take a unit from another segment), one by their least loss among
 * those above their lower total (can give one).
 */
class SegmentMoves {
  private readonly inside: Float64Array;
  private readonly taking: Float64Array;
  private readonly giving: Float64Array;
  private readonly insideHeap: IndexedHeap;
  private readonly takingHeap: IndexedHeap;
  private readonly givingHeap: IndexedHeap;

  constructor(
    private readonly tops: SegmentTops,
    private readonly lower: ArrayLike<number>,
    private readonly upper: ArrayLike<number>,
  ) {
    const G = tops.total.length;
    this.inside = new Float64Array(G);
    this.taking = new Float64Array(G);
    this.giving = new Float64Array(G);
    for (let g = 0; g < G; g++) this.setKeys(g);
    const { inside, taking, giving } = this;
    const { gainRow, lossRow } = tops;
    const all = () => Int32Array.from({ length: G }, (_, g) => g);
    this.insideHeap = new IndexedHeap(
      all(),
      new Int32Array(G),
      (a, b) => inside[a] > inside[b] || (inside[a] === inside[b] && a < b),
    );
    this.takingHeap = new IndexedHeap(
      all(),
      new Int32Array(G),
      (a, b) => taking[a] > taking[b] || (taking[a] === taking[b] && gainRow[a] < gainRow[b]),
    );
    this.givingHeap = new IndexedHeap(
      all(),
      new Int32Array(G),
      (a, b) => giving[a] < giving[b] || (giving[a] === giving[b] && lossRow[a] > lossRow[b]),
    );
  }

  /** After segment g's total or tops changed. */
  refresh(g: number): void {
    this.setKeys(g);
    this.insideHeap.update(g);
    this.takingHeap.update(g);
    this.givingHeap.update(g);
  }

  /**
   * The allowed move worth most: inside a segment, or from the best giving segment to the best
   * taking one. When those are one segment, no move between segments beats the move inside it
   * (its gain is the best, its loss the least), so there is no runner-up to look for.
   */
  best(): Move {
    const w = this.insideHeap.first();
    const to = this.takingHeap.first();
    const from = this.givingHeap.first();
    const across = excess(this.taking[to], this.giving[from]);
    return from !== to && across > this.inside[w]
      ? { excess: across, from, to }
      : { excess: this.inside[w], from: w, to: w };
  }

  private setKeys(g: number): void {
    const { total, gain, gainRow, loss, lossRow } = this.tops;
    // One row best at both ends: its gain is below its own loss (concavity), so every gain in the segment is below every loss.
    this.inside[g] = gainRow[g] !== lossRow[g] ? excess(gain[g], loss[g]) : -Infinity;
    this.taking[g] = total[g] < this.upper[g] ? gain[g] : -Infinity;
    this.giving[g] = total[g] > this.lower[g] ? loss[g] : Infinity;
  }
}

/**
 * Rows that can take part in an improving move as long as the moves allowed stay those allowed at
 * the start: a row takes only with a gain above the least loss of a segment that may give to its
 * own, and gives only with a loss below the best gain of a segment that may take from its own.
 * With segments at their limits these are a few rows per segment, where one threshold for all
 * would keep every row of a segment whose multiplier differs from the others'. The other rows'
 * best gain and least loss per segment come along, to check at the end that none can move.
 */
function narrowCandidates(
  steps: { gain: Float64Array; loss: Float64Array },
  segmentOf: Int32Array | undefined,
  tops: SegmentTops,
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
): { candidates: Int32Array; others: SegmentTops } {
  const G = tops.total.length;
  const takeAbove = new Float64Array(G).fill(Infinity);
  const giveBelow = new Float64Array(G).fill(-Infinity);
  for (let to = 0; to < G; to++) {
    for (let from = 0; from < G; from++) {
      if (from !== to && !(tops.total[from] > lower[from] && tops.total[to] < upper[to])) continue;
      takeAbove[to] = Math.min(takeAbove[to], tops.loss[from]);
      giveBelow[from] = Math.max(giveBelow[from], tops.gain[to]);
    }
  }
  const others = emptyTops(G);
  const candidates: number[] = [];
  const { gain, loss } = steps;
  for (let i = 0; i < gain.length; i++) {
    const g = segmentOf ? segmentOf[i] : 0;
    if (gain[i] > takeAbove[g] || loss[i] < giveBelow[g]) candidates.push(i);
    else {
      if (gain[i] > others.gain[g]) [others.gain[g], others.gainRow[g]] = [gain[i], i];
      if (loss[i] <= others.loss[g]) [others.loss[g], others.lossRow[g]] = [loss[i], i];
    }
  }
  return { candidates: Int32Array.from(candidates), others };
}

/** Every row that can ever take part in an improving move: a gain above the least loss of all rows, or a loss below the best gain. */
function allCandidates(steps: { gain: Float64Array; loss: Float64Array }, tops: SegmentTops): Int32Array {
  let leastLoss = Infinity;
  let bestGain = -Infinity;
  for (let g = 0; g < tops.total.length; g++) {
    leastLoss = Math.min(leastLoss, tops.loss[g]);
    bestGain = Math.max(bestGain, tops.gain[g]);
  }
  const candidates: number[] = [];
  for (let i = 0; i < steps.gain.length; i++)
    if (steps.gain[i] > leastLoss || steps.loss[i] < bestGain) candidates.push(i);
  return Int32Array.from(candidates);
}

/** The candidate rows with their gain and loss, in two heaps per segment: by gain (largest first, earliest row on ties) and by loss (least first, latest row on ties). */
class CandidateHeaps {
  private readonly segment: Int32Array;
  private readonly gain: Float64Array;
  private readonly loss: Float64Array;
  private readonly taking: IndexedHeap[] = [];
  private readonly giving: IndexedHeap[] = [];
  private readonly steps = new Float64Array(2);

  /** `rows` ascending, so candidate order is row order. */
  constructor(
    private readonly rows: Int32Array,
    private readonly units: Float64Array,
    private readonly inputs: WholeUnitRows,
    private readonly unitSteps: UnitSteps,
    segmentOf: Int32Array | undefined,
    segmentCount: number,
  ) {
    const C = rows.length;
    this.segment = new Int32Array(C);
    this.gain = new Float64Array(C);
    this.loss = new Float64Array(C);
    const sizes = new Int32Array(segmentCount);
    for (let c = 0; c < C; c++) {
      this.segment[c] = segmentOf ? segmentOf[rows[c]] : 0;
      sizes[this.segment[c]]++;
      this.setKeys(c);
    }
    const members = Array.from(sizes, (size) => new Int32Array(size));
    const filled = new Int32Array(segmentCount);
    for (let c = 0; c < C; c++) members[this.segment[c]][filled[this.segment[c]]++] = c;
    const { gain, loss } = this;
    const byGain = (a: number, b: number) => gain[a] > gain[b] || (gain[a] === gain[b] && a < b);
    const byLoss = (a: number, b: number) => loss[a] < loss[b] || (loss[a] === loss[b] && a > b);
    const takingAt = new Int32Array(C);
    const givingAt = new Int32Array(C);
    for (let g = 0; g < segmentCount; g++) {
      this.taking.push(new IndexedHeap(members[g].slice(), takingAt, byGain));
      this.giving.push(new IndexedHeap(members[g], givingAt, byLoss));
    }
  }

  /** Moves one unit from the best giver of segment `from` to the best taker of segment `to`. */
  move(from: number, to: number): void {
    const giver = this.giving[from].first();
    const taker = this.taking[to].first();
    this.units[this.rows[giver]] -= 1;
    this.units[this.rows[taker]] += 1;
    this.reorder(giver);
    this.reorder(taker);
  }

  /** Segment g's best gain and least loss among the candidates, into `tops`. */
  topsOf(g: number, tops: SegmentTops): void {
    const taker = this.taking[g].first();
    const giver = this.giving[g].first();
    tops.gain[g] = taker < 0 ? -Infinity : this.gain[taker];
    tops.gainRow[g] = taker < 0 ? -1 : this.rows[taker];
    tops.loss[g] = giver < 0 ? Infinity : this.loss[giver];
    tops.lossRow[g] = giver < 0 ? -1 : this.rows[giver];
  }

  /** After candidate c's units changed: its new gain and loss, and its places in its segment's heaps. */
  private reorder(c: number): void {
    this.setKeys(c);
    this.taking[this.segment[c]].update(c);
    this.giving[this.segment[c]].update(c);
  }

  private setKeys(c: number): void {
    const i = this.rows[c];
    rowSteps(this.unitSteps, this.inputs, i, this.units[i], this.steps);
    this.gain[c] = this.steps[0];
    this.loss[c] = this.steps[1];
  }
}

/**
 * Moves whole units between rows, in place, while a move raises the total response; returns the
 * number of units moved. `units` must be a whole-unit plan within the row bounds and, with
 * segments, every segment's total within its bounds; the result keeps them all and the total, and
 * is optimal among all such plans. Rows with value 0 only ever give units.
 */
export function improveToWholeUnitOptimum(
  units: Float64Array,
  rows: WholeUnitRows,
  curve: ResponseCurve,
  segments?: SegmentTotals,
  /** Two arrays of the rows' length that may be overwritten, to save allocating them on large plans. */
  scratch?: { gain: Float64Array; loss: Float64Array },
): number {
  const segmentOf = segments?.segmentOf;
  const segmentCount = segments ? segments.lower.length : 1;
  const lower = segments?.lower ?? [-Infinity];
  const upper = segments?.upper ?? [Infinity];
  checkShapes(units, rows, segments);
  const unitSteps = UNIT_STEPS[curve];
  const steps = scratch ?? { gain: new Float64Array(units.length), loss: new Float64Array(units.length) };
  const tops = scanRows(units, rows, unitSteps, segmentOf, segmentCount, steps);
  checkSegmentTotals(tops.total, lower, upper);
  if (!(new SegmentMoves(tops, lower, upper).best().excess > NOISE_FLOOR)) return 0;
  const narrow = narrowCandidates(steps, segmentOf, tops, lower, upper);
  const exchange = (candidates: Int32Array, start: SegmentTops) =>
    moveWhileImproving(
      new CandidateHeaps(candidates, units, rows, unitSteps, segmentOf, segmentCount),
      start,
      lower,
      upper,
    );
  const moved = exchange(narrow.candidates, tops);
  // Segment totals moved, so a move with one of the other rows may now be allowed: then every row that can ever
  // move. (A safety net: no such case turned up in 20,000 random problems with segment limits.)
  if (!(new SegmentMoves(bestOfBoth(tops, narrow.others), lower, upper).best().excess > NOISE_FLOOR))
    return moved;
  const fresh = scanRows(units, rows, unitSteps, segmentOf, segmentCount, steps);
  return moved + exchange(allCandidates(steps, fresh), fresh);
}

/** Repeats the move worth most among the candidates while it improves; `tops` (totals in, candidates' tops out) follows along. */
function moveWhileImproving(
  candidates: CandidateHeaps,
  tops: SegmentTops,
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
): number {
  for (let g = 0; g < tops.total.length; g++) candidates.topsOf(g, tops);
  const moves = new SegmentMoves(tops, lower, upper);
  let moved = 0;
  for (let move = moves.best(); move.excess > NOISE_FLOOR; move = moves.best()) {
    const { from, to } = move;
    candidates.move(from, to);
    tops.total[from] -= 1;
    tops.total[to] += 1;
    candidates.topsOf(from, tops);
    moves.refresh(from);
    if (to !== from) {
      candidates.topsOf(to, tops);
      moves.refresh(to);
    }
    moved++;
  }
  return moved;
}

/** Per segment, the better of two tops (the totals of the first). */
function bestOfBoth(first: SegmentTops, second: SegmentTops): SegmentTops {
  const both = emptyTops(first.total.length);
  both.total.set(first.total);
  for (let g = 0; g < first.total.length; g++) {
    const [gain, gainRow] =
      second.gain[g] > first.gain[g]
        ? [second.gain[g], second.gainRow[g]]
        : [first.gain[g], first.gainRow[g]];
    const [loss, lossRow] =
      second.loss[g] < first.loss[g]
        ? [second.loss[g], second.lossRow[g]]
        : [first.loss[g], first.lossRow[g]];
    [both.gain[g], both.gainRow[g], both.loss[g], both.lossRow[g]] = [gain, gainRow, loss, lossRow];
  }
  return both;
}
