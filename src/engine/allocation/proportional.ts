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
  const n = p.weights.length;
  let lo = 0;
  let hi = 1;
  // Grow the bracket until the clamped sum reaches the total (or every row is at its cap).
  while (clampedSum(p, hi) < p.total && hi < 1e300) hi *= 2;
  for (let iteration = 0; iteration < 200 && hi - lo > hi * 1e-15; iteration++) {
    const mid = 0.5 * (lo + hi);
    if (clampedSum(p, mid) < p.total) lo = mid;
    else hi = mid;
  }
  // Exact lambda for the rows strictly inside their bounds at the bracketed lambda.
  let fixed = 0;
  let freeWeight = 0;
  for (let i = 0; i < n; i++) {
    const x = hi * p.weights[i];
    if (x <= p.lower[i]) fixed += p.lower[i];
    else if (x >= p.upper[i]) fixed += p.upper[i];
    else freeWeight += p.weights[i];
  }
  const lambda = freeWeight > 0 ? (p.total - fixed) / freeWeight : hi;
  const amounts = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = lambda * p.weights[i];
    amounts[i] = x < p.lower[i] ? p.lower[i] : x > p.upper[i] ? p.upper[i] : x;
  }
  return { amounts };
}
