/**
 * Seeded pseudo-random numbers for generated test, sample and benchmark data (never for results):
 * the same seed gives the same data on every machine.
 */

export type Random = () => number;

/** mulberry32: a small, fast 32-bit generator with a full period; uniform in [0, 1). */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Integer in [min, max]. */
export function randomInt(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** Standard normal by Box-Muller. */
export function randomNormal(random: Random): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Gamma(shape, scale) by Marsaglia and Tsang (with the shape < 1 boost). */
export function randomGamma(random: Random, shape: number, scale: number): number {
  if (shape < 1) return randomGamma(random, shape + 1, scale) * Math.pow(1 - random(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = randomNormal(random);
    const v = (1 + c * z) ** 3;
    if (v <= 0) continue;
    if (Math.log(1 - random()) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v * scale;
  }
}

/** Beta(a, b) from two gammas. */
export function randomBeta(random: Random, a: number, b: number): number {
  const x = randomGamma(random, a, 1);
  return x / (x + randomGamma(random, b, 1));
}

/** Exponential with the given rate. */
export function randomExponential(random: Random, rate: number): number {
  return -Math.log(1 - random()) / rate;
}
