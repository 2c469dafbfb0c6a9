/**
 * The BG/NBD purchase model: Fader, Hardie and Lee (2005), "'Counting Your Customers' the Easy
 * Way: An Alternative to the Pareto/NBD Model", Marketing Science 24(2), 275-284.
 *
 * Assumptions:
 * 1. While alive, a customer buys as a Poisson process with rate lambda (purchases per time unit).
 * 2. lambda varies across customers as Gamma(shape r, rate alpha); alpha is in the data's time unit.
 * 3. After each repeat purchase a customer drops out for good with probability p.
 * 4. p varies across customers as Beta(a, b).
 * 5. lambda and p are independent across customers.
 * A customer is described by x (repeat purchases), t_x (recency) and T (age), in one time unit,
 * the summary's `unit`: every time argument here is in that unit, and alpha is per that unit
 * (alpha in days = 7 x alpha in weeks; r, a and b do not depend on the unit).
 */
import { engineError } from '../errors';
import { digamma, hyp2f1, logGamma } from './special-functions';
import { minimiseBfgs, sameOptimum } from './optimise';
import { TimeInUnit } from './summary';
// Local aliases: global lookups (Math.*) are slow in vm contexts such as Jest's sandbox.
const { abs, ceil, exp, expm1, floor, log, log1p, max } = Math;


export interface BgNbdParams {
  /** Shape of the Gamma distribution of purchase rates. */
  r: number;
  /** Rate (scale of time) of that Gamma distribution, in the data's time unit. */
  alpha: number;
  /** Beta(a, b) distribution of the dropout probability p. */
  a: number;
  b: number;
}

/** Per customer: x (repeat purchase days), t_x and T in one time unit. */
export interface BgNbdData {
  frequency: ArrayLike<number>;
  recency: ArrayLike<TimeInUnit>;
  age: ArrayLike<TimeInUnit>;
}

/**
 * Checks the summary the way lifetimes does (utils._check_inputs), naming the first bad customer:
 * x a whole number >= 0, 0 <= t_x <= T, t_x = 0 when x = 0, every value finite.
 */
export function validateBgNbdData(data: BgNbdData): void {
  const n = data.frequency.length;
  if (data.recency.length !== n || data.age.length !== n) {
    throw engineError('bgnbd.lengthMismatch', { frequency: n, recency: data.recency.length, age: data.age.length });
  }
  for (let i = 0; i < n; i++) {
    const x = data.frequency[i];
    const tx = data.recency[i];
    const T = data.age[i];
    const where = { row: i + 1 };
    if (!Number.isInteger(x) || x < 0) throw engineError('bgnbd.frequency', { value: x }, where, x);
    if (!Number.isFinite(tx) || !Number.isFinite(T) || tx < 0 || T < tx) {
      throw engineError('bgnbd.recency', { recency: tx, age: T }, where, tx);
    }
    if (x === 0 && tx !== 0) throw engineError('bgnbd.recencyWithoutRepeat', { value: tx }, where, tx);
  }
}

/**
 * Customers with identical (x, t_x, T) merged into one row with a weight (many share x = 0 and a T
 * on daily or weekly data), and the distinct values of x, so each likelihood evaluation computes
 * the log-gamma terms once per distinct x.
 */
export interface GroupedCustomers {
  frequency: Float64Array;
  recency: Float64Array;
  age: Float64Array;
  weight: Float64Array;
  /** Per row: index into distinctFrequency. */
  frequencyIndex: Int32Array;
  distinctFrequency: Float64Array;
  /** Customers before grouping (sum of weights). */
  customers: number;
  repeatCustomers: number;
  maxAge: number;
}

/**
 * Whether grouping pays: on daily or weekly summaries many customers share T (and x = 0); on
 * continuous times (simulations) none do, and the hashing would only cost time. Judged on an
 * evenly spaced sample of at most 2,000 customers.
 */
function hasRepeatedAges(age: ArrayLike<number>): boolean {
  const stride = max(1, floor(age.length / 2000));
  const seen = new Set<number>();
  let sampled = 0;
  for (let i = 0; i < age.length; i += stride, sampled++) seen.add(age[i]);
  return seen.size < 0.5 * sampled;
}

/** Groups a validated summary (see validateBgNbdData: x whole numbers) into weighted rows. */
export function groupCustomers(data: BgNbdData): GroupedCustomers {
  const n = data.frequency.length;
  if (!hasRepeatedAges(data.age)) {
    return withDistinctFrequencies(Float64Array.from(data.frequency), Float64Array.from(data.recency), Float64Array.from(data.age), new Float64Array(n).fill(1));
  }
  // Exact equality only: customers without repeat purchases by T alone, the others by (x, t_x, T).
  const rowOfAge = new Map<number, number>();
  const rowOfRepeatKey = new Map<string, number>();
  const frequency: number[] = [];
  const recency: number[] = [];
  const age: number[] = [];
  const weight: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = data.frequency[i];
    const tx = data.recency[i];
    const T = data.age[i];
    const key = x > 0 ? `${x} ${tx} ${T}` : undefined;
    const existing = key === undefined ? rowOfAge.get(T) : rowOfRepeatKey.get(key);
    if (existing !== undefined) {
      weight[existing]++;
      continue;
    }
    if (key === undefined) rowOfAge.set(T, frequency.length);
    else rowOfRepeatKey.set(key, frequency.length);
    frequency.push(x);
    recency.push(tx);
    age.push(T);
    weight.push(1);
  }
  return withDistinctFrequencies(Float64Array.from(frequency), Float64Array.from(recency), Float64Array.from(age), Float64Array.from(weight));
}

/** Completes grouped rows with the distinct values of x, the customer count, repeat customers and max T. */
function withDistinctFrequencies(frequency: Float64Array, recency: Float64Array, age: Float64Array, weight: Float64Array): GroupedCustomers {
  let customers = 0;
  let repeatCustomers = 0;
  let maxAge = 0;
  for (let i = 0; i < frequency.length; i++) {
    customers += weight[i];
    if (frequency[i] > 0) repeatCustomers += weight[i];
    maxAge = max(maxAge, age[i]);
  }
  // x is a whole number (validated), so an array indexed by x finds the distinct values in O(n).
  let maxFrequency = 0;
  for (let i = 0; i < frequency.length; i++) maxFrequency = max(maxFrequency, frequency[i]);
  const indexOfValue = new Int32Array(maxFrequency + 1).fill(-1);
  for (let i = 0; i < frequency.length; i++) indexOfValue[frequency[i]] = 0;
  const distinct: number[] = [];
  for (let x = 0; x <= maxFrequency; x++) if (indexOfValue[x] === 0) indexOfValue[x] = distinct.push(x) - 1;
  const frequencyIndex = new Int32Array(frequency.length);
  for (let i = 0; i < frequency.length; i++) frequencyIndex[i] = indexOfValue[frequency[i]];
  return {
    frequency,
    recency,
    age,
    weight,
    frequencyIndex,
    distinctFrequency: Float64Array.from(distinct),
    customers,
    repeatCustomers,
    maxAge,
  };
}

/** The per-distinct-x terms of the log-likelihood and of its derivatives. */
interface FrequencyTerms {
  /** A1 + A2 of the paper's eq. (6) without the T and t_x parts: the log-gamma terms and r ln alpha. */
  logGammaPart: Float64Array;
  /** ln(a / (b + x - 1)), the constant of the dropout term A4 (x > 0 only). */
  logDropoutOdds: Float64Array;
  dLogGammaPartDr: Float64Array;
  dLogGammaPartDa: Float64Array;
  dLogGammaPartDb: Float64Array;
  /** 1 / (b + x - 1) (x > 0 only). */
  inverseBPlusXMinusOne: Float64Array;
}

function frequencyTerms({ r, alpha, a, b }: BgNbdParams, distinct: Float64Array, withGradient: boolean): FrequencyTerms {
  const m = distinct.length;
  const terms: FrequencyTerms = {
    logGammaPart: new Float64Array(m),
    logDropoutOdds: new Float64Array(m),
    dLogGammaPartDr: new Float64Array(m),
    dLogGammaPartDa: new Float64Array(m),
    dLogGammaPartDb: new Float64Array(m),
    inverseBPlusXMinusOne: new Float64Array(m),
  };
  const lgR = logGamma(r);
  const lgB = logGamma(b);
  const lgAB = logGamma(a + b);
  const logAlpha = log(alpha);
  const psiR = withGradient ? digamma(r) : 0;
  const psiB = withGradient ? digamma(b) : 0;
  const psiAB = withGradient ? digamma(a + b) : 0;
  for (let k = 0; k < m; k++) {
    const x = distinct[k];
    const a1 = logGamma(r + x) - lgR + r * logAlpha;
    const a2 = lgAB + logGamma(b + x) - lgB - logGamma(a + b + x);
    terms.logGammaPart[k] = a1 + a2;
    if (x > 0) {
      terms.logDropoutOdds[k] = log(a) - log(b + x - 1);
      terms.inverseBPlusXMinusOne[k] = 1 / (b + x - 1);
    }
    if (withGradient) {
      const psiABX = x > 0 ? digamma(a + b + x) : psiAB;
      terms.dLogGammaPartDr[k] = (x > 0 ? digamma(r + x) - psiR : 0) + logAlpha;
      terms.dLogGammaPartDa[k] = psiAB - psiABX;
      terms.dLogGammaPartDb[k] = psiAB + (x > 0 ? digamma(b + x) - psiB : 0) - psiABX;
    }
  }
  return terms;
}

/**
 * Sum of weight x log-likelihood over grouped customers (eq. 6 of the paper, in log form):
 * l = A1 + A2 + ln(exp(A3) + [x > 0] exp(A4)), with
 *   A1 = ln Γ(r + x) - ln Γ(r) + r ln alpha,
 *   A2 = ln Γ(a + b) + ln Γ(b + x) - ln Γ(b) - ln Γ(a + b + x),
 *   A3 = -(r + x) ln(alpha + T),
 *   A4 = ln a - ln(b + x - 1) - (r + x) ln(alpha + t_x),
 * the last sum by log-sum-exp. When `gradient` is given, it receives dl/dr, dl/dalpha, dl/da, dl/db.
 */
export function groupedLogLikelihood(params: BgNbdParams, data: GroupedCustomers, gradient?: Float64Array): number {
  const { r, alpha, a } = params;
  const terms = frequencyTerms(params, data.distinctFrequency, gradient !== undefined);
  let total = 0;
  let dr = 0;
  let dAlpha = 0;
  let da = 0;
  let db = 0;
  const rows = data.frequency.length;
  for (let i = 0; i < rows; i++) {
    const x = data.frequency[i];
    const k = data.frequencyIndex[i];
    const w = data.weight[i];
    const logAlphaAge = log(alpha + data.age[i]);
    const a3 = -(r + x) * logAlphaAge;
    let logSum = a3;
    let dropoutShare = 0; // exp(A4) / (exp(A3) + exp(A4)): the posterior weight of "dropped out at t_x"
    let logAlphaRecency = 0;
    if (x > 0) {
      logAlphaRecency = log(alpha + data.recency[i]);
      const a4 = terms.logDropoutOdds[k] - (r + x) * logAlphaRecency;
      const difference = a4 - a3;
      if (difference > 0) {
        const e = exp(-difference);
        logSum = a4 + log1p(e);
        dropoutShare = 1 / (1 + e);
      } else {
        const e = exp(difference);
        logSum = a3 + log1p(e);
        dropoutShare = e / (1 + e);
      }
    }
    total += w * (terms.logGammaPart[k] + logSum);
    if (gradient) {
      const aliveShare = 1 - dropoutShare;
      dr += w * (terms.dLogGammaPartDr[k] - aliveShare * logAlphaAge - dropoutShare * logAlphaRecency);
      dAlpha += w * (r / alpha - (r + x) * (aliveShare / (alpha + data.age[i]) + dropoutShare / (alpha + data.recency[i])));
      da += w * (terms.dLogGammaPartDa[k] + dropoutShare / a);
      db += w * (terms.dLogGammaPartDb[k] - dropoutShare * terms.inverseBPlusXMinusOne[k]);
    }
  }
  if (gradient) {
    gradient[0] = dr;
    gradient[1] = dAlpha;
    gradient[2] = da;
    gradient[3] = db;
  }
  return total;
}

/** Total log-likelihood of the customers (eq. 6 of the paper), times in the data's unit. */
export function bgNbdLogLikelihood(params: BgNbdParams, data: BgNbdData): number {
  validateBgNbdData(data);
  return groupedLogLikelihood(params, groupCustomers(data));
}

/** The log-likelihood and its analytic gradient with respect to r, alpha, a and b. */
export function bgNbdLogLikelihoodGradient(params: BgNbdParams, data: BgNbdData): { logLikelihood: number; gradient: BgNbdParams } {
  validateBgNbdData(data);
  const g = new Float64Array(4);
  const logLikelihood = groupedLogLikelihood(params, groupCustomers(data), g);
  return { logLikelihood, gradient: { r: g[0], alpha: g[1], a: g[2], b: g[3] } };
}

export interface BgNbdFitOptions {
  /**
   * L2 penalty as lifetimes' penalizer_coef: the fit minimises -(log-likelihood) / customers +
   * penalty x (r^2 + alpha^2 + a^2 + b^2), with alpha measured (as lifetimes does) in a time unit
   * in which the oldest customer's T is 10. 0 (the default) is plain maximum likelihood.
   */
  penalty?: number;
}

export interface BgNbdFit {
  params: BgNbdParams;
  /** Log-likelihood at the fit (unpenalised), with times in the data's unit. */
  logLikelihood: number;
  customers: number;
  repeatCustomers: number;
  /** BFGS iterations and likelihood evaluations over all starts. */
  iterations: number;
  evaluations: number;
  /** Largest absolute gradient component of the fitted objective, per log-parameter. */
  gradientMaxAbs: number;
  warnings: string[];
}

/** Starting points (r, alpha in the scaled time unit, a, b): lifetimes' all-ones first, then two spread out. */
const STARTS: readonly BgNbdParams[] = [
  { r: 1, alpha: 1, a: 1, b: 1 },
  { r: 0.3, alpha: 1, a: 0.8, b: 2.5 },
  { r: 3, alpha: 10, a: 3, b: 10 },
];
/** Below this many repeat customers the fit is refused. */
const MIN_REPEAT_CUSTOMERS = 2;
/** Below this many repeat customers the fit comes with a warning. */
const FEW_REPEAT_CUSTOMERS = 30;
/** Log-parameters (in the scaled time unit) beyond this, i.e. a parameter above 22,000 or below 5e-5, sit at the edge of the space. */
const EDGE_LOG_PARAMETER = 10;
/**
 * Above this many grouped rows the starts run on a sample of about this many customers and only
 * the best is refined on everyone (the sample is never above the threshold, so no recursion).
 */
const SAMPLE_START_ROWS = 5_000;

/**
 * Maximum likelihood for the BG/NBD (the likelihood of eq. 6 of the paper), over log-parameters so every
 * parameter stays positive, by BFGS with the analytic gradient. Times are scaled (as lifetimes
 * does) so the oldest customer's T is 10, which keeps the problem well conditioned in any unit;
 * alpha is scaled back. Up to three starts, until two converge to the same optimum; the best wins.
 * Throws InputError 'no-data' with too few repeat customers, 'not-converged' when no start converges.
 */
export function fitBgNbd(data: BgNbdData, options: BgNbdFitOptions = {}): BgNbdFit {
  validateBgNbdData(data);
  const penalty = options.penalty ?? 0;
  if (!(penalty >= 0) || !Number.isFinite(penalty)) throw engineError('fit.penalty', { value: penalty });
  const grouped = groupCustomers(data);
  if (grouped.customers < 10 || grouped.repeatCustomers < MIN_REPEAT_CUSTOMERS) {
    throw engineError('bgnbd.tooLittleHistory', { customers: grouped.customers, repeatCustomers: grouped.repeatCustomers });
  }
  const scale = 10 / grouped.maxAge;
  const scaled: GroupedCustomers = { ...grouped, recency: grouped.recency.map((v) => v * scale), age: grouped.age.map((v) => v * scale) };
  const starts = grouped.frequency.length > SAMPLE_START_ROWS ? [sampleFitStart(data, scale, penalty), ...STARTS] : STARTS;
  const runAll = grouped.frequency.length <= SAMPLE_START_ROWS;
  let best: { theta: Float64Array; value: number; gradientMaxAbs: number } | undefined;
  let iterations = 0;
  let evaluations = 0;
  for (const start of starts) {
    const run = minimiseBfgs(penalisedObjective(scaled, penalty), [log(start.r), log(start.alpha), log(start.a), log(start.b)]);
    iterations += run.iterations;
    evaluations += run.evaluations;
    if (!run.converged) continue;
    if (best !== undefined && sameOptimum(run.value, best.value)) break; // two starts agree: enough
    if (best === undefined || run.value < best.value) best = { theta: run.x, value: run.value, gradientMaxAbs: max(...Array.from(run.gradient, Math.abs)) };
    if (!runAll) break;
  }
  if (best === undefined) {
    throw engineError('bgnbd.notConverged', { starts: starts.length });
  }
  const params = { r: exp(best.theta[0]), alpha: exp(best.theta[1]) / scale, a: exp(best.theta[2]), b: exp(best.theta[3]) };
  const warnings: string[] = [];
  if (grouped.repeatCustomers < FEW_REPEAT_CUSTOMERS) {
    warnings.push(`only ${grouped.repeatCustomers} customers have a repeat purchase: the BG/NBD estimates are uncertain; a longer history or a penalty (e.g. 0.01) helps`);
  }
  (['r', 'alpha', 'a', 'b'] as const).forEach((name, j) => {
    if (abs(best!.theta[j]) > EDGE_LOG_PARAMETER) {
      warnings.push(`BG/NBD parameter ${name} = ${params[name].toPrecision(3)} is at the edge of its range: the data do not pin it down (e.g. too few dropouts or repeat purchases); consider a penalty such as 0.001`);
    }
  });
  return {
    params,
    logLikelihood: groupedLogLikelihood(params, grouped),
    customers: grouped.customers,
    repeatCustomers: grouped.repeatCustomers,
    iterations,
    evaluations,
    gradientMaxAbs: best.gradientMaxAbs,
    warnings,
  };
}

/** -(weighted log-likelihood) / customers + L2 penalty, and its gradient, in log-parameters. */
function penalisedObjective(data: GroupedCustomers, penalty: number) {
  const g = new Float64Array(4);
  return (theta: Float64Array, gradient: Float64Array): number => {
    const values = [exp(theta[0]), exp(theta[1]), exp(theta[2]), exp(theta[3])];
    const params = { r: values[0], alpha: values[1], a: values[2], b: values[3] };
    const ll = groupedLogLikelihood(params, data, g);
    let penaltyTerm = 0;
    for (let j = 0; j < 4; j++) {
      penaltyTerm += penalty * values[j] * values[j];
      // d/d(log v) = v d/dv
      gradient[j] = values[j] * (-g[j] / data.customers + 2 * penalty * values[j]);
    }
    return -ll / data.customers + penaltyTerm;
  };
}

/** Parameters (in the scaled unit) fitted on every k-th customer, at most SAMPLE_START_ROWS of them: a close start for large data. */
function sampleFitStart(data: BgNbdData, scale: number, penalty: number): BgNbdParams {
  const stride = ceil(data.frequency.length / SAMPLE_START_ROWS);
  const pick = (values: ArrayLike<number>) => Float64Array.from({ length: floor(values.length / stride) }, (_, k) => values[k * stride]);
  try {
    const fit = fitBgNbd({ frequency: pick(data.frequency), recency: pick(data.recency), age: pick(data.age) }, { penalty });
    return { ...fit.params, alpha: fit.params.alpha * scale };
  } catch {
    return STARTS[0];
  }
}

/**
 * P(alive | x, t_x, T) (Fader, Hardie and Lee 2008, "Computing P(alive) Using the BG/NBD Model";
 * lifetimes' conditional_probability_alive):
 * 1 / (1 + [x > 0] (a / (b + x - 1)) ((alpha + T) / (alpha + t_x))^(r + x)), computed in logs.
 * `recency` and `age` in the fitted unit.
 */
export function conditionalProbabilityAlive({ r, alpha, a, b }: BgNbdParams, frequency: number, recency: TimeInUnit, age: TimeInUnit): number {
  if (frequency === 0) return 1;
  const logDeadOdds = log(a / (b + frequency - 1)) + (r + frequency) * log((alpha + age) / (alpha + recency));
  return logDeadOdds > 0 ? exp(-logDeadOdds) / (1 + exp(-logDeadOdds)) : 1 / (1 + exp(logDeadOdds));
}

const SERIES_TERMS_BEFORE_TRANSFORM = 2000;

/**
 * Expected purchases in (T, T + t] of a customer who is alive at T with x repeat purchases (the
 * paper's eq. 10 without its P(alive) factor):
 *   (a + b + x - 1) / (a - 1) x [1 - ((alpha + T) / (alpha + T + t))^(r + x) 2F1(r + x, b + x; a + b + x - 1; z)],
 * z = t / (alpha + T + t). Euler's transformation turns the tail into (1 - z)^(a - 1) 2F1(c1 - (r + x),
 * a - 1; c1; z), c1 = a + b + x - 1, whose first two parameters do not grow with x; writing
 * 2F1 = 1 + (a - 1) S / c1 removes the 0/0 at a = 1 and at c1 = 0:
 *   result = c1 E1 - (1 - z)^(a - 1) S,   E1 = (1 - (1 - z)^(a - 1)) / (a - 1)  (-ln(1 - z) at a = 1),
 *   S = sum_k>=1 (c1 - r - x)_k (a)_(k-1) z^k / ((c1 + 1)_(k-1) k!).
 * For z near 1, where S needs thousands of terms, S comes from 2F1 by its 1 - z transformation.
 */
export function expectedPurchasesIfAlive({ r, alpha, a, b }: BgNbdParams, t: TimeInUnit, frequency: number, age: TimeInUnit): number {
  if (t <= 0) return 0;
  const x = frequency;
  // Few dropouts (a large b) and a horizon long beside alpha + T: both series forms below lose
  // their accuracy without a sign (43 % off at b = 500, z = 0.96), while the integral stays exact.
  if (b + x >= 100 && t >= 9 * (alpha + age) && a < LARGE_A) return expectedPurchasesByIntegral(r + x, alpha + age, a, b + x, t);
  const c1 = a + b + x - 1;
  const a1 = c1 - r - x; // = a + b - 1 - r
  const alphaAge = alpha + age;
  const z = t / (alphaAge + t);
  const logOneMinusZ = -log1p(t / alphaAge);
  const aMinusOne = a - 1;
  const e1 = aMinusOne === 0 ? -logOneMinusZ : -expm1(aMinusOne * logOneMinusZ) / aMinusOne;
  let s = eulerTailSeries(a1, a, c1, z, SERIES_TERMS_BEFORE_TRANSFORM);
  if (Number.isNaN(s)) {
    const regular = abs(aMinusOne) >= 1e-3 && abs(c1) >= 1e-3;
    s = regular ? (c1 * (hyp2f1(a1, aMinusOne, c1, z) - 1)) / aMinusOne : eulerTailSeries(a1, a, c1, z, 10_000_000);
  }
  const first = c1 * e1;
  const result = first - exp(aMinusOne * logOneMinusZ) * s;
  // A live customer makes at most what it would with no dropout at all: (r + x) t / (alpha + T).
  const noDropout = ((r + x) * t) / alphaAge;
  const plausible = (value: number) => value >= 0 && value <= noDropout * (1 + 1e-9);
  // Trusted unless the two terms cancel to a millionth of their size (long horizons with a large b).
  if (plausible(result) && abs(first) <= 1e6 * result) return result;
  // Large a (few dropouts, a of 1,000 or more): S overflows while (1 - z)^(a - 1) underflows. Then the
  // paper's own form is well conditioned: c1 / (a - 1) [1 - (1 - z)^(r + x) 2F1(r + x, b + x; c1; z)].
  const paper = (c1 / aMinusOne) * (1 - exp((r + x) * logOneMinusZ) * hyp2f1(r + x, b + x, c1, z));
  if (a >= LARGE_A && plausible(paper)) return paper;
  return expectedPurchasesByIntegral(r + x, alphaAge, a, b + x, t);
}

/** From this a on, the paper's form of E[Y | alive] is accurate (checked against mpmath to 1e-15). */
const LARGE_A = 700;

/** Gauss-Legendre nodes and weights on [-1, 1], 8 points. */
const GL_NODES = [-0.9602898564975363, -0.7966664774136267, -0.525532409916329, -0.1834346424956498, 0.1834346424956498, 0.525532409916329, 0.7966664774136267, 0.9602898564975363];
const GL_WEIGHTS = [0.1012285362903763, 0.2223810344533745, 0.3137066458778873, 0.362683783378362, 0.362683783378362, 0.3137066458778873, 0.2223810344533745, 0.1012285362903763];
const INTEGRAL_PANELS = 48;

/**
 * E[Y(t) | alive] as the integral it is: given alive, the purchase rate is Gamma(shape, rateTime)
 * and the dropout probability p is Beta(a, bPosterior), and a customer with both makes
 * (1 - e^(-lambda p t)) / p purchases on average, so
 *   E = int_0^1 Beta(p; a, bPosterior) (1 - (rateTime / (rateTime + p t))^shape) / p dp,
 * integrated over w = ln p (Gauss-Legendre panels around the density's peak), where the series
 * forms cancel to noise: a large b with a horizon long beside alpha + T.
 */
function expectedPurchasesByIntegral(shape: number, rateTime: number, a: number, bPosterior: number, t: number): number {
  const logNorm = logGamma(a + bPosterior) - logGamma(a) - logGamma(bPosterior);
  const logDensityTimesP = (w: number) => a * w + (bPosterior - 1) * log1p(-exp(w)) + logNorm;
  const perCustomer = (p: number) => -expm1(-shape * log1p((p * t) / rateTime)) / p;
  // The peak of the density in w, and its width; the left tail falls like e^(a w).
  const peak = bPosterior > 1 ? log(a / (a + bPosterior - 1)) : 0;
  const width = bPosterior > 1 ? Math.sqrt((1 - exp(peak)) / a) : 1;
  const from = max(-700, peak - max(40 / a, 20 * width));
  const to = bPosterior > 1 ? Math.min(-1e-300, peak + 20 * width) : -1e-300;
  const panel = (to - from) / INTEGRAL_PANELS;
  let sum = 0;
  for (let k = 0; k < INTEGRAL_PANELS; k++) {
    const middle = from + (k + 0.5) * panel;
    for (let j = 0; j < GL_NODES.length; j++) {
      const w = middle + 0.5 * panel * GL_NODES[j];
      sum += GL_WEIGHTS[j] * exp(logDensityTimesP(w)) * perCustomer(exp(w));
    }
  }
  return 0.5 * panel * sum;
}

/** S = sum_k>=1 (a1)_k (a)_(k-1) z^k / ((c1 + 1)_(k-1) k!), or NaN if not converged within maxTerms. */
function eulerTailSeries(a1: number, a: number, c1: number, z: number, maxTerms: number): number {
  let term = a1 * z;
  let sum = term;
  for (let k = 1; k < maxTerms; k++) {
    const ratio = ((a1 + k) * (a + k - 1) * z) / ((c1 + k) * (k + 1));
    term *= ratio;
    sum += term;
    if (term === 0 || (abs(term) <= 1e-17 * abs(sum) && abs(ratio) < 1)) return sum;
  }
  return term === 0 || sum === 0 ? sum : NaN;
}

/**
 * E[Y(t) | x, t_x, T]: expected purchases in the next t time units of a customer with x repeat
 * purchases, recency t_x and age T (eq. 10 of the paper; lifetimes'
 * conditional_expected_number_of_purchases_up_to_time) = P(alive) x expectedPurchasesIfAlive.
 * `t`, `recency` and `age` are all in the fitted unit.
 */
export function conditionalExpectedPurchasesUpToTime(params: BgNbdParams, t: TimeInUnit, frequency: number, recency: TimeInUnit, age: TimeInUnit): number {
  return conditionalProbabilityAlive(params, frequency, recency, age) * expectedPurchasesIfAlive(params, t, frequency, age);
}

/**
 * E[X(t)]: expected purchases in (0, t] by a customer picked at random at their first purchase
 * (eq. 9 of the paper; lifetimes' expected_number_of_purchases_up_to_time):
 * (a + b - 1) / (a - 1) [1 - (alpha / (alpha + t))^r 2F1(r, b; a + b - 1; t / (alpha + t))], which is
 * the conditional expectation with x = 0 and T = 0. `t` in the fitted unit.
 */
export function expectedPurchasesUpToTime(params: BgNbdParams, t: TimeInUnit): number {
  return expectedPurchasesIfAlive(params, t, 0, 0);
}
