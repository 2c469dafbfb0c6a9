/**
 * Customers drawn from the BG/NBD and Gamma-Gamma processes themselves (seeded), for tests and
 * benchmarks (`npm run bench` reuses it): the same seed gives the same customers everywhere.
 */
import { randomBeta, randomExponential, randomGamma, seededRandom } from '../random';
import { BgNbdParams } from './bgnbd';
import { GammaGammaParams } from './gamma-gamma';

export interface SimulatedSummary {
  frequency: Float64Array;
  recency: Float64Array;
  age: Float64Array;
}

/**
 * `customers` summaries: each customer's first purchase falls uniformly in [0, acquisitionSpan),
 * observation ends at `end` (both in one time unit, which the parameters' alpha is per). While
 * alive, a customer buys at rate lambda ~ Gamma(r, rate alpha) and after each repeat purchase drops
 * out with probability p ~ Beta(a, b), exactly the model's assumptions.
 */
export function simulateBgNbd(params: BgNbdParams, customers: number, end: number, acquisitionSpan: number, seed: number): SimulatedSummary {
  const random = seededRandom(seed);
  const frequency = new Float64Array(customers);
  const recency = new Float64Array(customers);
  const age = new Float64Array(customers);
  for (let i = 0; i < customers; i++) {
    const lambda = randomGamma(random, params.r, 1 / params.alpha);
    const p = randomBeta(random, params.a, params.b);
    const T = end - random() * acquisitionSpan;
    let t = 0;
    let x = 0;
    let last = 0;
    for (;;) {
      t += randomExponential(random, lambda);
      if (t > T) break;
      x++;
      last = t;
      if (random() < p) break; // dropped out after this purchase
    }
    frequency[i] = x;
    recency[i] = last;
    age[i] = T;
  }
  return { frequency, recency, age };
}

/**
 * Mean repeat spend per customer under the Gamma-Gamma model: nu ~ Gamma(q, rate gamma), each of the
 * x purchases ~ Gamma(p, rate nu), so their mean is Gamma(p x, rate nu) / x; 0 when x = 0.
 */
export function simulateGammaGammaSpend(params: GammaGammaParams, frequency: ArrayLike<number>, seed: number): Float64Array {
  const random = seededRandom(seed);
  const monetary = new Float64Array(frequency.length);
  for (let i = 0; i < frequency.length; i++) {
    const x = frequency[i];
    if (x <= 0) continue;
    const nu = randomGamma(random, params.q, 1 / params.gamma);
    monetary[i] = randomGamma(random, params.p * x, 1 / nu) / x;
  }
  return monetary;
}
