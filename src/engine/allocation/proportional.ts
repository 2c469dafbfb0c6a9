/**
 * The continuous proportional allocation x_i = clamp(lambda * w_i, lower_i, upper_i) with
 * sum x_i = total (SPEC "proportional"). The sum is non-decreasing in lambda, so lambda is found by
 * bisection and then solved exactly from the rows that sit strictly between their bounds.
 */

export interface ClampedProblem {
  weights: ArrayLike<number>;
  lower: Float64Array;
  upper: Float64Array;
  total: number;
}

export interface ClampedSolution {
  amounts: Float64Array;
}

/** Weights divided by the largest one: the same proportions, with no overflow or denormal lambda. */
function scaledToMaxOne(weights: ArrayLike<number>): Float64Array {
  let max = 0;
  for (let i = 0; i < weights.length; i++) if (weights[i] > max) max = weights[i];
  const scaled = new Float64Array(weights.length);
  for (let i = 0; i < weights.length; i++) scaled[i] = max > 0 ? weights[i] / max : 0;
  return scaled;
}

function clampedSum(p: ClampedProblem, lambda: number): number {
  let sum = 0;
  const { weights, lower, upper } = p;
  for (let i = 0; i < weights.length; i++) {
    const x = lambda * weights[i];
    sum += x < lower[i] ? lower[i] : x > upper[i] ? upper[i] : x;
  }
  return sum;
}

/**
 * Solves for lambda; requires sum(lower) <= total <= sum(upper) and, when total > sum(lower), a
 * positive weight on some row with room above its floor.
 */
export function solveClampedProportional(problem: ClampedProblem): ClampedSolution {
  const p = { ...problem, weights: scaledToMaxOne(problem.weights) };
  // A coarse bracket usually suffices (the exact re-classification settles the rest); if it did
  // not converge, solve again from a tight one.
  const quick = solveFromBracket(p, 1e-4);
  return Math.abs(sumOf(quick.amounts) - p.total) <= 1e-7 * Math.max(1, p.total) ? quick : solveFromBracket(p, 1e-15);
}

function sumOf(values: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum;
}

function solveFromBracket(p: ClampedProblem, relativeTolerance: number): ClampedSolution {
  const n = p.weights.length;
  let lo = 0;
  let hi = 1 / Math.max(1e-300, sumOf(Float64Array.from(p.weights))) * Math.max(1, p.total);
  // Grow the bracket until the clamped sum reaches the total (or every row is at its cap).
  while (clampedSum(p, hi) < p.total && hi < 1e300) hi *= 2;
  for (let iteration = 0; iteration < 200 && hi - lo > hi * relativeTolerance; iteration++) {
    const mid = 0.5 * (lo + hi);
    if (clampedSum(p, mid) < p.total) lo = mid;
    else hi = mid;
  }
  // Exact solution: rows strictly inside their bounds share what the clamped rows leave, in
  // proportion to weight. Re-classify until stable (the bracket may be coarse for extreme weight
  // ratios); x is computed as remaining * (w / freeWeight) so no huge lambda can overflow.
  const status = new Int8Array(n); // -1 at lower, 0 free, 1 at upper
  for (let i = 0; i < n; i++) {
    const x = hi * p.weights[i];
    status[i] = x <= p.lower[i] ? -1 : x >= p.upper[i] ? 1 : 0;
  }
  const amounts = new Float64Array(n);
  for (let iteration = 0; iteration < 100; iteration++) {
    let fixed = 0;
    let freeWeight = 0;
    for (let i = 0; i < n; i++) {
      if (status[i] < 0) fixed += p.lower[i];
      else if (status[i] > 0) fixed += p.upper[i];
      else freeWeight += p.weights[i];
    }
    const remaining = p.total - fixed;
    let changed = false;
    for (let i = 0; i < n; i++) {
      const x = freeWeight > 0 && p.weights[i] > 0 ? remaining * (p.weights[i] / freeWeight) : 0;
      if (status[i] === 0 || freeWeight > 0) {
        const next = x <= p.lower[i] ? -1 : x >= p.upper[i] ? 1 : 0;
        changed ||= next !== status[i];
        status[i] = next;
      }
      amounts[i] = status[i] < 0 ? p.lower[i] : status[i] > 0 ? p.upper[i] : x;
    }
    if (!changed) break;
  }
  return { amounts };
}
