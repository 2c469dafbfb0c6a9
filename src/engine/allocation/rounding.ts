/**
 * Largest-remainder (Hamilton) rounding to whole units with per-row bounds (SPEC "Rounding"):
 * every result is an integer within [lower, upper] and the results add up to `total` exactly.
 *
 * Each row first gets the whole part of its amount; the units still missing go one each to the
 * rows with the largest remainders; ties go to the larger tie weight, then to the earlier row. If
 * the whole parts overshoot (only from floating-point noise in the amounts), units are taken back
 * from the smallest remainders, ties from the smaller weight, then the later row.
 *
 * Remainders are compared to a millionth of a unit: amounts computed along different paths that
 * are mathematically equal (1/3 of 10 and 4/3 of 10 both leave a third) differ in the last bits,
 * and must still tie so that the tie rules decide, not floating-point noise.
 *
 * Rows can be rounded in groups, each group to its own total (customers inside segments). The
 * remainder threshold of every group is found by counting the high 10 bits of the remainders; only
 * the few rows in the threshold's bucket are then ranked. Three sequential passes over all rows:
 * linear time, no sorting, and no jumping around memory when a group's rows are spread over the
 * table.
 */

export interface RoundingInput {
  /** Continuous amounts in units (multiples of the rounding unit), each within its bounds. */
  amounts: ArrayLike<number>;
  /** Whole-unit lower bounds (a floor already rounded up to the unit). */
  lower: ArrayLike<number>;
  /** Whole-unit upper bounds (a cap already rounded down; Infinity for none). */
  upper: ArrayLike<number>;
  /** Whole units to hand out; must lie within [sum(lower), sum(upper)]. */
  total: number;
  /** Tie-breaking weights: among equal remainders the larger weight gets the unit first. */
  weights: ArrayLike<number>;
}

/** Remainders are compared in millionths of a unit (keys 0..999999 < 2^20). */
const REMAINDER_STEPS = 1e6;
/** Keys are counted by their high part: key >> KEY_BITS, 0..976. */
const KEY_BITS = 10;
const KEY_PARTS = 1 << KEY_BITS;

/** Hamilton rounding of `amounts` to integers within bounds that add up to `total`. */
export function roundLargestRemainder({ amounts, lower, upper, total, weights }: RoundingInput): Float64Array {
  return roundGroupsLargestRemainder({ amounts, lower, upper, weights, groupOf: undefined, totals: [total] });
}

export interface GroupRoundingInput extends Omit<RoundingInput, 'total'> {
  /** Group number of each row (0..totals.length - 1); undefined: every row in group 0. */
  groupOf: Int32Array | undefined;
  /** Whole units per group. */
  totals: ArrayLike<number>;
}

/** Hamilton rounding inside each group to the group's own whole-unit total. */
export function roundGroupsLargestRemainder(input: GroupRoundingInput): Float64Array {
  const { amounts, lower, upper, weights, groupOf, totals } = input;
  const G = totals.length;
  for (let g = 0; g < G; g++) if (!Number.isFinite(totals[g]) || totals[g] !== Math.round(totals[g])) throw new Error(`cannot round to a total of ${totals[g]} units`);
  const left = new Float64Array(G);
  for (let g = 0; g < G; g++) left[g] = totals[g];
  const r = startRounding(amounts, lower, upper, groupOf, left);
  for (let pass = 0; left.some((l) => l > 0); pass++) {
    if (pass > r.rounded.length + 1) throw new Error('rounding: the totals lie outside the sums of the bounds');
    stepUpGroups(r, weights, upper, groupOf, left);
  }
  for (let g = 0; g < G; g++) {
    // Whole parts overshoot only by floating-point noise: about a unit per row at the very most.
    if (-left[g] > r.rounded.length + 1) throw new Error(`rounding: the amounts exceed their total by ${-left[g]} units`);
    while (left[g] < 0) left[g] += stepDown(r, weights, lower, rowsOfGroup(groupOf, g, r.rounded.length), -left[g]);
  }
  return r.rounded;
}

interface Rounding {
  rounded: Float64Array;
  /** Remainder in millionths of a unit, 0..999999; 0 once the row got its unit. */
  remainderSteps: Int32Array;
}

/** Whole parts within bounds, and the remainders that decide who gets the units still missing; takes the whole parts off each group's `left`. */
function startRounding(amounts: ArrayLike<number>, lower: ArrayLike<number>, upper: ArrayLike<number>, groupOf: Int32Array | undefined, left: Float64Array): Rounding {
  const n = amounts.length;
  const rounded = new Float64Array(n);
  const remainderSteps = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const amount = amounts[i];
    let whole = Math.floor(amount);
    let remainder = Math.floor((amount - whole) * REMAINDER_STEPS + 0.5); // Math.round, without its slower path for negatives
    if (remainder === REMAINDER_STEPS) {
      whole += 1; // 2.9999999999 counts as 3 with no remainder
      remainder = 0;
    }
    if (!Number.isFinite(whole)) throw new Error(`cannot round the amount ${amount}`);
    if (whole < lower[i]) {
      whole = lower[i];
      remainder = 0;
    } else if (whole >= upper[i]) {
      whole = upper[i];
      remainder = 0;
    }
    rounded[i] = whole;
    remainderSteps[i] = remainder;
    left[groupOf ? groupOf[i] : 0] -= whole;
  }
  return { rounded, remainderSteps };
}

/**
 * One round of handing out units: in every group still short of `left[g]` units, one unit each to
 * the rows with the largest remainders among those below their upper bound (ties: larger weight,
 * then earlier row), or to every such row when there are no more of them than units missing.
 */
function stepUpGroups(r: Rounding, weights: ArrayLike<number>, upper: ArrayLike<number>, groupOf: Int32Array | undefined, left: Float64Array): void {
  const { rounded, remainderSteps } = r;
  const n = rounded.length;
  const G = left.length;
  // Pass 1: per group, how many rows can take a unit and how their keys spread over the high part.
  const high = new Int32Array(G * KEY_PARTS);
  const eligible = new Float64Array(G);
  for (let i = 0; i < n; i++) {
    const g = groupOf ? groupOf[i] : 0;
    if (left[g] > 0 && rounded[i] < upper[i]) {
      high[g * KEY_PARTS + (remainderSteps[i] >> KEY_BITS)]++;
      eligible[g]++;
    }
  }
  // Per group: every eligible row (-1), or the high part holding the threshold and the count above it.
  const bucket = new Int32Array(G).fill(-2);
  const above = new Float64Array(G);
  for (let g = 0; g < G; g++) {
    if (!(left[g] > 0)) continue;
    if (eligible[g] === 0) throw new Error('rounding: the total lies outside the sum of the bounds');
    if (eligible[g] <= left[g]) {
      bucket[g] = -1;
      continue;
    }
    let b = KEY_PARTS - 1;
    for (; b > 0 && above[g] + high[g * KEY_PARTS + b] < left[g]; b--) above[g] += high[g * KEY_PARTS + b];
    bucket[g] = b;
  }
  // Pass 2: a unit for every row above its group's threshold bucket (or for every eligible row);
  // rows in the bucket are collected, in row order, for the tie rules.
  const inBucket: Int32Array[] = [];
  for (let g = 0; g < G; g++) if (bucket[g] >= 0) inBucket[g] = new Int32Array(high[g * KEY_PARTS + bucket[g]]);
  const collected = new Int32Array(G);
  for (let i = 0; i < n; i++) {
    const g = groupOf ? groupOf[i] : 0;
    if (bucket[g] === -2 || !(rounded[i] < upper[i])) continue;
    const part = remainderSteps[i] >> KEY_BITS;
    if (part > bucket[g]) {
      rounded[i] += 1;
      remainderSteps[i] = 0;
    } else if (part === bucket[g]) inBucket[g][collected[g]++] = i;
  }
  for (let g = 0; g < G; g++) {
    if (bucket[g] === -2) continue;
    if (bucket[g] === -1) {
      left[g] -= eligible[g];
      continue;
    }
    // In the bucket: larger remainder first, then larger weight, then the earlier row.
    const rows = inBucket[g];
    const keys = new Float64Array(rows.length);
    const rowWeights = new Float64Array(rows.length);
    for (let t = 0; t < rows.length; t++) [keys[t], rowWeights[t]] = [remainderSteps[rows[t]], weights[rows[t]]];
    const chosen = selectBest(keys, rowWeights, left[g] - above[g]);
    for (let c = 0; c < chosen.length; c++) {
      rounded[rows[chosen[c]]] += 1;
      remainderSteps[rows[chosen[c]]] = 0;
    }
    left[g] = 0;
  }
}

/** Rows of group g in order (all rows when there are no groups). */
function rowsOfGroup(groupOf: Int32Array | undefined, g: number, n: number): Int32Array {
  let count = 0;
  for (let i = 0; i < n; i++) if ((groupOf ? groupOf[i] : 0) === g) count++;
  const rows = new Int32Array(count);
  count = 0;
  for (let i = 0; i < n; i++) if ((groupOf ? groupOf[i] : 0) === g) rows[count++] = i;
  return rows;
}

/**
 * Takes one unit back from up to `count` rows above their lower bound: smallest remainder first,
 * then the smaller weight, then the later row. Only floating-point noise makes whole parts
 * overshoot, so this path is rare and kept simple. Returns how many rows gave a unit back.
 */
function stepDown(r: Rounding, weights: ArrayLike<number>, lower: ArrayLike<number>, rows: Int32Array, count: number): number {
  const candidates: number[] = [];
  for (let k = rows.length - 1; k >= 0; k--) if (r.rounded[rows[k]] > lower[rows[k]]) candidates.push(rows[k]);
  if (candidates.length === 0) throw new Error('rounding: the total lies outside the sum of the bounds');
  const primary = Float64Array.from(candidates, (i) => -r.remainderSteps[i]);
  const secondary = Float64Array.from(candidates, (i) => -weights[i]);
  const chosen = selectBest(primary, secondary, Math.min(count, candidates.length));
  for (let c = 0; c < chosen.length; c++) r.rounded[candidates[chosen[c]]] -= 1;
  return chosen.length;
}

/**
 * Positions of the `k` best candidates ordered by (primary desc, secondary desc, position asc),
 * in linear time: a quickselect threshold on the primary key, another on the secondary key among
 * the primary ties, and the earliest positions among the remaining ties.
 */
export function selectBest(primary: Float64Array, secondary: ArrayLike<number>, k: number): Int32Array {
  const n = primary.length;
  if (k >= n) {
    const all = new Int32Array(n);
    for (let j = 0; j < n; j++) all[j] = j;
    return all;
  }
  const chosen = new Int32Array(Math.max(0, k));
  if (k <= 0) return chosen;
  let count = 0;
  const threshold = kthLargest(primary.slice(), k);
  let tiedCount = 0;
  for (let j = 0; j < n; j++) if (primary[j] === threshold) tiedCount++;
  const tied = new Int32Array(tiedCount);
  tiedCount = 0;
  for (let j = 0; j < n; j++) {
    if (primary[j] > threshold) chosen[count++] = j;
    else if (primary[j] === threshold) tied[tiedCount++] = j;
  }
  const tiedSecondary = new Float64Array(tied.length);
  for (let t = 0; t < tied.length; t++) tiedSecondary[t] = secondary[tied[t]];
  let stillNeeded = k - count;
  const secondThreshold = kthLargest(tiedSecondary.slice(), stillNeeded);
  for (let t = 0; t < tied.length; t++) {
    if (tiedSecondary[t] > secondThreshold) {
      chosen[count++] = tied[t];
      stillNeeded--;
    }
  }
  for (let t = 0; t < tied.length && stillNeeded > 0; t++) {
    if (tiedSecondary[t] === secondThreshold) {
      chosen[count++] = tied[t];
      stillNeeded--;
    }
  }
  return chosen;
}

/** The k-th largest value (1-based) by quickselect (Hoare partition); reorders `values`. */
export function kthLargest(values: Float64Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  const target = k - 1;
  while (lo < hi) {
    const pivot = medianOfThree(values[lo], values[(lo + hi) >>> 1], values[hi]);
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] > pivot) i++;
      while (values[j] < pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  return values[target];
}

function medianOfThree(a: number, b: number, c: number): number {
  return a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
}

/** floor(a / b) for non-negative integers, exact even where a / b rounds to a whole number. */
export function floorDivide(a: number, b: number): number {
  let q = Math.floor(a / b);
  if (q * b > a) q--;
  else if ((q + 1) * b <= a) q++;
  return q;
}

/** ceil(a / b) for non-negative integers, exact. */
export function ceilDivide(a: number, b: number): number {
  const q = floorDivide(a, b);
  return q * b === a ? q : q + 1;
}
