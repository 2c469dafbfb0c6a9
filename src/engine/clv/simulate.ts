/**
 * Customers drawn from the BG/NBD process itself (seeded), for tests and benchmarks: each customer
 * buys at rate lambda ~ Gamma(r, 1/alpha) and drops out after each purchase with p ~ Beta(a, b).
 */
import { randomBeta, randomExponential, randomGamma, seededRandom } from '../random';
import { BgNbdParams } from './bgnbd';

export interface SimulatedSummary {
  frequency: Float64Array;
  recency: Float64Array;
  age: Float64Array;
}

/** `customers` summaries with first purchases spread over `acquisitionSpan` and observed until `end` (same unit). */
export function simulateBgNbd(params: BgNbdParams, customers: number, end: number, acquisitionSpan: number, seed: number): SimulatedSummary {
  const random = seededRandom(seed);
  const frequency = new Float64Array(customers);
  const recency = new Float64Array(customers);
  const age = new Float64Array(customers);
  for (let i = 0; i < customers; i++) {
    const lambda = randomGamma(random, params.r, 1 / params.alpha);
    const p = randomBeta(random, params.a, params.b);
    const first = random() * acquisitionSpan;
    const T = end - first;
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
