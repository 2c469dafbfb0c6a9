/**
 * Largest-remainder (Hamilton) rounding to whole units with per-row bounds: every result is an
 * integer within [lower, upper] and the results add up to `total` exactly. Ties go to the larger
 * weight, then to the earlier row, so the outcome never depends on sort stability.
 */

export interface RoundingInput {
  /** Continuous amounts in units (multiples of the rounding unit). */
  amounts: Float64Array;
  /** Whole-unit lower bounds (already rounded up). */
  lower: Float64Array;
  /** Whole-unit upper bounds (already rounded down; Infinity for none). */
  upper: Float64Array;
  total: number;
  /** Tie-breaking weights (larger first). */
  weights: ArrayLike<number>;
}

/** Rounding error tolerance: remainders closer than this to a whole number count as whole. */
const SNAP = 1e-9;

/** Hamilton rounding; `total` must lie within [sum(lower), sum(upper)]. */
export function roundLargestRemainder({ amounts, lower, upper, total, weights }: RoundingInput): Float64Array {
  const n = amounts.length;
  if (!Number.isFinite(total)) throw new Error(`cannot round to a total of ${total}`);
  const rounded = new Float64Array(n);
  const remainder = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const snapped = Math.abs(amounts[i] - Math.round(amounts[i])) < SNAP * Math.max(1, Math.abs(amounts[i])) ? Math.round(amounts[i]) : amounts[i];
    const base = Math.min(upper[i], Math.max(lower[i], Math.floor(snapped)));
    rounded[i] = base;
    remainder[i] = snapped - base;
    sum += base;
  }
  let left = total - sum;
  if (left > 0) distribute(rounded, remainder, upper, weights, left, +1);
  else if (left < 0) distribute(rounded, remainder, lower, weights, -left, -1);
  return rounded;

  function distribute(values: Float64Array, rem: Float64Array, bound: Float64Array, w: ArrayLike<number>, count: number, step: 1 | -1): void {
    // Eligible rows: room to move towards the bound. Order: largest remainder first when adding,
    // smallest first when taking away; then larger weight; then earlier row.
    const eligible: number[] = [];
    for (let i = 0; i < n; i++) if (step > 0 ? values[i] < bound[i] : values[i] > bound[i]) eligible.push(i);
    const key = (i: number) => (step > 0 ? rem[i] : -rem[i]);
    const chosen = topK(eligible, Math.min(count, eligible.length), key, w);
    for (const i of chosen) values[i] += step;
    left = count - chosen.length;
    // Only when more units remain than rows with room (far from the usual case): keep going row by row.
    while (left > 0) {
      let moved = false;
      for (const i of chosen.length ? chosen : eligible) {
        if (left === 0) break;
        if (step > 0 ? values[i] < bound[i] : values[i] > bound[i]) {
          values[i] += step;
          left--;
          moved = true;
        }
      }
      if (!moved) throw new Error('rounding bounds cannot hold the total');
    }
  }
}

/** The k best rows by (key desc, weight desc, index asc), found in linear time plus a sort of ties. */
function topK(rows: number[], k: number, key: (i: number) => number, weights: ArrayLike<number>): number[] {
  if (k <= 0) return [];
  if (k >= rows.length) return rows;
  const keys = new Float64Array(rows.length);
  for (let j = 0; j < rows.length; j++) keys[j] = key(rows[j]);
  const threshold = kthLargest(Float64Array.from(keys), k);
  const chosen: number[] = [];
  const tied: number[] = [];
  for (let j = 0; j < rows.length; j++) {
    if (keys[j] > threshold) chosen.push(rows[j]);
    else if (keys[j] === threshold) tied.push(rows[j]);
  }
  tied.sort((a, b) => weights[b] - weights[a] || a - b);
  for (let j = 0; chosen.length < k && j < tied.length; j++) chosen.push(tied[j]);
  return chosen;
}

/** The k-th largest value (1-based) by quickselect; reorders `values`. */
export function kthLargest(values: Float64Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  const target = k - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1];
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
