/**
 * Turning raw values into 1..k scores, the two ways the SPEC defines: quantile ranks (ties share a
 * score; the row order never matters) and fixed cut points (what the R package `rfm` does).
 */

/** Indices 0..n-1 sorted by value ascending (stable). */
export function ascendingOrder(values: ArrayLike<number>): Uint32Array {
  const order = new Uint32Array(values.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => values[a] - values[b] || a - b);
}

/**
 * Quantile scores: score(v) = 1 + floor(bins * L(v) / n), L(v) = how many values are strictly
 * below v. With `higherIsBetter` false (recency) it counts values strictly above instead.
 */
export function quantileScores(values: ArrayLike<number>, bins: number, higherIsBetter = true): Uint8Array {
  const n = values.length;
  const scores = new Uint8Array(n);
  const order = ascendingOrder(values);
  let start = 0;
  while (start < n) {
    let end = start + 1;
    while (end < n && values[order[end]] === values[order[start]]) end++;
    // Values in order[start, end) are tied: `start` values lie strictly below, `n - end` strictly above.
    const strictlyBetterThan = higherIsBetter ? start : n - end;
    const score = 1 + Math.floor((bins * strictlyBetterThan) / n);
    for (let k = start; k < end; k++) scores[order[k]] = score;
    start = end;
  }
  return scores;
}

/** How many of the ascending cut points are <= v (binary search). */
export function cutPointsAtOrBelow(cutPoints: readonly number[], v: number): number {
  let lo = 0;
  let hi = cutPoints.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cutPoints[mid] <= v) lo = mid + 1;
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
    const below = cutPointsAtOrBelow(cutPoints, values[i]);
    scores[i] = higherIsBetter ? 1 + below : top - below;
  }
  return scores;
}
