/** Special functions for the probabilistic CLV models. */

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
  9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7; relative error about 1e-15). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0];
  for (let k = 1; k < 9; k++) sum += LANCZOS[k] / (z + k);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** log(exp(a) + exp(b)) without overflow. */
export function logSumExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const max = Math.max(a, b);
  return max + Math.log(Math.exp(a - max) + Math.exp(b - max));
}

/**
 * Gauss hypergeometric 2F1(a, b; c; z) for 0 <= z < 1 by its power series, summed until the terms
 * stop mattering (the BG/NBD uses z = t / (alpha + T + t), well inside the unit disc).
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  if (z < 0 || z >= 1) throw new RangeError(`hyp2f1 needs 0 <= z < 1 (got ${z})`);
  let term = 1;
  let sum = 1;
  for (let k = 0; k < 1_000_000; k++) {
    term *= ((a + k) * (b + k) * z) / ((c + k) * (k + 1));
    sum += term;
    if (Math.abs(term) < 1e-15 * Math.abs(sum)) return sum;
  }
  return sum;
}
