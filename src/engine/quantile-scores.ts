/**
 * Turning raw values into 1..k scores, the two ways the SPEC defines: quantile ranks (ties share a
 * score; the row order never matters) and fixed cut points (what the R package `rfm` does).
 */

/** How many of the ascending `sorted` values are strictly below v (binary search). */
function countBelow(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * For integer values spanning at most 4 per value: counts[v - min] = how many values are strictly
 * below v (counts has one more entry, n); undefined otherwise.
 */
function smallIntegerCountsBelow(values: ArrayLike<number>): { min: number; counts: Int32Array } | undefined {
  const n = values.length;
  if (n === 0) return undefined;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!Number.isInteger(v)) return undefined;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (max - min > 4 * n + 1024) return undefined;
  const counts = new Int32Array(max - min + 2);
  for (let i = 0; i < n; i++) counts[values[i] - min + 1]++;
  for (let k = 1; k < counts.length; k++) counts[k] += counts[k - 1];
  return { min, counts };
}

/**
 * Quantile scores: score(v) = 1 + floor(bins * L(v) / n), L(v) = how many values are strictly
 * below v. With `higherIsBetter` false (recency) it counts values strictly above instead. Found by
 * binary search in a sorted copy (a numeric sort of a Float64Array, several times faster than
 * sorting indices with a comparator at a million customers).
 */
export function quantileScores(values: ArrayLike<number>, bins: number, higherIsBetter = true): Uint8Array {
  const n = values.length;
  const scores = new Uint8Array(n);
  const below = smallIntegerCountsBelow(values);
  if (below) {
    // Days and purchase counts: integers in a short range, counted instead of sorted.
    const min = below.min;
    for (let i = 0; i < n; i++) {
      const v = values[i] - min;
      const strictlyBetterThan = higherIsBetter ? below.counts[v] : n - below.counts[v + 1];
      scores[i] = 1 + Math.floor((bins * strictlyBetterThan) / n);
    }
    return scores;
  }
  const sorted = Float64Array.from(values).sort();
  for (let i = 0; i < n; i++) {
    const strictlyBetterThan = higherIsBetter ? countBelow(sorted, values[i]) : n - countAtOrBelow(sorted, values[i]);
    scores[i] = 1 + Math.floor((bins * strictlyBetterThan) / n);
  }
  return scores;
}

/** How many of the ascending values (cut points, a sorted copy) are <= v (binary search). */
export function countAtOrBelow(sorted: ArrayLike<number>, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Threshold scores from k-1 ascending cut points: 1 + (cut points <= v), or for recency
 * (lower is better) k - (cut points <= v).
 */
export function thresholdScores(values: ArrayLike<number>, cutPoints: readonly number[], higherIsBetter = true): Uint8Array {
  const scores = new Uint8Array(values.length);
  const top = cutPoints.length + 1;
  for (let i = 0; i < values.length; i++) {
    const below = countAtOrBelow(cutPoints, values[i]);
    scores[i] = higherIsBetter ? 1 + below : top - below;
  }
  return scores;
}
