/**
 * Special functions for the probabilistic CLV models: log-gamma, digamma, log-sum-exp and the Gauss
 * hypergeometric function 2F1. Pure arithmetic on numbers, no dependencies.
 */
// Local aliases: global lookups (Math.*) are slow in vm contexts such as Jest's sandbox.
const { abs, exp, floor, log, log1p, pow, round, sin } = Math;


const LANCZOS_G7 = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
  9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_TWO_PI = 0.5 * log(2 * Math.PI);

/** ln Γ(x) for x > 0 (Lanczos, g = 7, relative error about 1e-15); for x < 0.5 by reflection, ln |Γ(x)|. */
export function logGamma(x: number): number {
  if (x < 0.5) return log(Math.PI / abs(sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS_G7[0];
  for (let k = 1; k < 9; k++) sum += LANCZOS_G7[k] / (z + k);
  const t = z + 7.5;
  return HALF_LOG_TWO_PI + (z + 0.5) * log(t) - t + log(sum);
}

/** Sign of Γ(x): +1 for x > 0, alternating between the poles at 0, -1, -2, ... (0 at a pole). */
export function gammaSign(x: number): number {
  if (x > 0) return 1;
  if (Number.isInteger(x)) return 0;
  return floor(x) % 2 === 0 ? 1 : -1;
}

/** 1 / Γ(x), exactly 0 at the poles x = 0, -1, -2, ... */
export function reciprocalGamma(x: number): number {
  const sign = gammaSign(x);
  return sign === 0 ? 0 : sign * exp(-logGamma(x));
}

/**
 * Digamma ψ(x) = d ln Γ(x) / dx for x > 0: upward recurrence ψ(x) = ψ(x + 1) - 1/x to x >= 10, then
 * the asymptotic series (absolute error below 1e-15 there).
 */
export function digamma(x: number): number {
  let shift = 0;
  while (x < 10) {
    shift -= 1 / x;
    x += 1;
  }
  const inv2 = 1 / (x * x);
  // ln x - 1/(2x) - sum B_2k / (2k x^2k), k = 1..6
  const tail = inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 * (1 / 132 - inv2 * (691 / 32760))))));
  return shift + log(x) - 0.5 / x - tail;
}

/** log(exp(a) + exp(b)) without overflow; -Infinity stands for a zero term. */
export function logSumExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + log1p(exp(b - a)) : b + log1p(exp(a - b));
}

const RELATIVE_TOLERANCE = 1e-16;
/** Above this z the power series of 2F1 may need thousands of terms: use the 1 - z transformation. */
const SERIES_Z_LIMIT = 0.9;
/** Terms the direct series may take above SERIES_Z_LIMIT before the transformation is used instead. */
const SERIES_TERMS_NEAR_ONE = 2000;
/** How close c - a - b may come to an integer before the 1 - z transformation is interpolated. */
const NEAR_INTEGER = 1e-4;

function isNonPositiveInteger(v: number): boolean {
  return v <= 0 && Number.isInteger(v);
}

/**
 * The power series sum_k (a)_k (b)_k / ((c)_k k!) z^k, stopped once the terms are negligible and
 * shrinking. Returns NaN when it has not converged within `maxTerms` terms.
 */
export function hyp2f1Series(a: number, b: number, c: number, z: number, maxTerms = 1_000_000): number {
  let term = 1;
  let sum = 1;
  for (let k = 0; k < maxTerms; k++) {
    const ratio = ((a + k) * (b + k) * z) / ((c + k) * (k + 1));
    term *= ratio;
    sum += term;
    if (term === 0) return sum; // a or b is a non-positive integer: a polynomial, now complete
    // Stop only where the terms shrink for good (|ratio| < 1), not at a transient small term.
    if (abs(term) <= RELATIVE_TOLERANCE * abs(sum) && abs(ratio) < 1) return sum;
    if (!Number.isFinite(sum)) return sum;
  }
  return NaN;
}

/**
 * 2F1(a, b; c; z) for 0.9 < z < 1 by the 1 - z connection formula (Abramowitz and Stegun 15.3.6):
 * F = G1 F(a, b; a+b-c+1; 1-z) + (1-z)^(c-a-b) G2 F(c-a, c-b; c-a-b+1; 1-z), with
 * G1 = Γ(c) Γ(c-a-b) / (Γ(c-a) Γ(c-b)) and G2 = Γ(c) Γ(a+b-c) / (Γ(a) Γ(b)). Both series converge
 * like (1 - z)^k. The formula is singular when c - a - b is an integer; near one, F (analytic in c)
 * is interpolated (cubic Lagrange) from c shifted by -2, -1, +1, +2 x NEAR_INTEGER around the integer.
 */
export function hyp2f1OneMinusZ(a: number, b: number, c: number, z: number): number {
  const m = c - a - b;
  const offset = m - round(m);
  if (abs(offset) >= NEAR_INTEGER) return connectionFormula(a, b, c, z);
  const atInteger = c - offset;
  const s = offset / NEAR_INTEGER; // position in (-1, 1) between the nodes -2, -1, 1, 2
  const nodes = [-2, -1, 1, 2];
  let value = 0;
  for (const node of nodes) {
    let weight = 1;
    for (const other of nodes) if (other !== node) weight *= (s - other) / (node - other);
    value += weight * connectionFormula(a, b, atInteger + node * NEAR_INTEGER, z);
  }
  return value;
}

/** The two terms of A&S 15.3.6, for c - a - b not an integer. */
function connectionFormula(a: number, b: number, c: number, z: number): number {
  const m = c - a - b;
  const w = 1 - z;
  const first = gammaRatio([c, m], [c - a, c - b]) * hyp2f1Series(a, b, 1 - m, w);
  const second = gammaRatio([c, -m], [a, b]);
  const secondTerm = second === 0 ? 0 : second * pow(w, m) * hyp2f1Series(c - a, c - b, m + 1, w);
  return first + secondTerm;
}

/** Γ(n1) Γ(n2) / (Γ(d1) Γ(d2)), in logs with signs; 0 when a denominator argument is a pole. */
function gammaRatio(numerator: [number, number], denominator: [number, number]): number {
  const signs = gammaSign(numerator[0]) * gammaSign(numerator[1]) * gammaSign(denominator[0]) * gammaSign(denominator[1]);
  if (gammaSign(denominator[0]) === 0 || gammaSign(denominator[1]) === 0) return 0;
  const logMagnitude = logGamma(numerator[0]) + logGamma(numerator[1]) - logGamma(denominator[0]) - logGamma(denominator[1]);
  return signs * exp(logMagnitude);
}

/**
 * The Gauss hypergeometric function 2F1(a, b; c; z) for real z < 1 and c not a non-positive integer.
 * - z < 0: Pfaff's transformation (1-z)^(-a) 2F1(a, c-b; c; z/(z-1)) maps it into [0, 1).
 * - 0 <= z <= 0.9: the power series (terms shrink at least like z^k once k passes |a|, |b|).
 * - 0.9 < z < 1: the series when it converges within 2,000 terms (large c, or a polynomial), else
 *   the 1 - z connection formula, whose series converge like (1 - z)^k.
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  if (!(z < 1)) throw new RangeError(`hyp2f1 needs z < 1 (got ${z})`);
  if (isNonPositiveInteger(c) && !(isNonPositiveInteger(a) && a > c) && !(isNonPositiveInteger(b) && b > c)) {
    throw new RangeError(`hyp2f1 is undefined for c = ${c} (a pole)`);
  }
  if (z === 0) return 1;
  if (z < 0) return pow(1 - z, -a) * hyp2f1(a, c - b, c, z / (z - 1));
  if (z <= SERIES_Z_LIMIT) return hyp2f1Series(a, b, c, z);
  const direct = hyp2f1Series(a, b, c, z, SERIES_TERMS_NEAR_ONE);
  return Number.isNaN(direct) ? hyp2f1OneMinusZ(a, b, c, z) : direct;
}
