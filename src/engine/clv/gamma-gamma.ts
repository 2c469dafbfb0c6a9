/**
 * The Gamma-Gamma spend model: Fader and Hardie (2013), "The Gamma-Gamma Model of Monetary
 * Value" (after Colombo and Jiang 1999).
 *
 * Assumptions:
 * 1. The value of each of a customer's transactions is Gamma(shape p, rate nu) around the
 *    customer's mean p / nu; values vary around it independently.
 * 2. nu varies across customers as Gamma(shape q, rate gamma).
 * 3. Spend is independent of the purchase process (check the reported correlation of frequency
 *    and spend: it should be near 0).
 * It is fitted on repeat customers (x > 0) with their mean repeat spend m_x > 0, in currency
 * units; gamma is in those currency units, p and q have none. The mean spend of the population is
 * p gamma / (q - 1), finite only for q > 1.
 */
import { engineError } from '../errors';
import { digamma, logGamma } from './special-functions';
import { minimiseBfgs, sameOptimum } from './optimise';
// Local aliases: global lookups (Math.*) are slow in vm contexts such as Jest's sandbox.
const { abs, exp, log, sqrt } = Math;


export interface GammaGammaParams {
  p: number;
  q: number;
  /** In currency units (the unit of monetary). */
  gamma: number;
}

/**
 * Repeat customers' x and m_x (the only customers the model is fitted on) with what the likelihood
 * needs besides the parameters: ln m_x per customer and the distinct values of x, so the gamma
 * functions are evaluated once per distinct x rather than once per customer.
 */
interface PreparedSpend {
  frequency: Float64Array;
  monetary: Float64Array;
  logMonetary: Float64Array;
  frequencyIndex: Int32Array;
  distinctFrequency: Float64Array;
  /** Customers per distinct x. */
  distinctCount: Float64Array;
}

function prepareSpend(frequency: ArrayLike<number>, monetary: ArrayLike<number>): PreparedSpend {
  const xs: number[] = [];
  const ms: number[] = [];
  for (let i = 0; i < frequency.length; i++) {
    if (frequency[i] > 0 && monetary[i] > 0) {
      xs.push(frequency[i]);
      ms.push(monetary[i]);
    }
  }
  const distinct = [...new Set(xs)].sort((u, v) => u - v);
  const indexOf = new Map(distinct.map((x, k) => [x, k]));
  const frequencyIndex = Int32Array.from(xs, (x) => indexOf.get(x) as number);
  const distinctCount = new Float64Array(distinct.length);
  for (const k of frequencyIndex) distinctCount[k]++;
  return {
    frequency: Float64Array.from(xs),
    monetary: Float64Array.from(ms),
    logMonetary: Float64Array.from(ms, (m) => log(m)),
    frequencyIndex,
    distinctFrequency: Float64Array.from(distinct),
    distinctCount,
  };
}

/**
 * Log-likelihood of x repeat purchases with mean value m_x, summed over customers (eq. 3 of the
 * note), split into a part that depends on x only and a part per customer:
 *   per x:        ln Γ(px + q) - ln Γ(px) - ln Γ(q) + q ln gamma + px ln x
 *   per customer: (px - 1) ln m_x - (px + q) ln(gamma + x m_x)
 * When `gradient` is given it receives dl/dp, dl/dq, dl/dgamma.
 */
function preparedLogLikelihood({ p, q, gamma }: GammaGammaParams, data: PreparedSpend, gradient?: Float64Array): number {
  const logGammaParam = log(gamma);
  const lgQ = logGamma(q);
  const psiQ = gradient ? digamma(q) : 0;
  let total = 0;
  let dp = 0;
  let dq = 0;
  let dGamma = 0;
  for (let k = 0; k < data.distinctFrequency.length; k++) {
    const x = data.distinctFrequency[k];
    const px = p * x;
    const count = data.distinctCount[k];
    total += count * (logGamma(px + q) - logGamma(px) - lgQ + q * logGammaParam + px * log(x));
    if (gradient) {
      const psiPxQ = digamma(px + q);
      dp += count * x * (psiPxQ - digamma(px) + log(x));
      dq += count * (psiPxQ - psiQ + logGammaParam);
      dGamma += (count * q) / gamma;
    }
  }
  for (let i = 0; i < data.frequency.length; i++) {
    const x = data.frequency[i];
    const px = p * x;
    const spendTotal = x * data.monetary[i];
    const logGammaPlusSpend = log(gamma + spendTotal);
    total += (px - 1) * data.logMonetary[i] - (px + q) * logGammaPlusSpend;
    if (gradient) {
      dp += x * (data.logMonetary[i] - logGammaPlusSpend);
      dq -= logGammaPlusSpend;
      dGamma -= (px + q) / (gamma + spendTotal);
    }
  }
  if (gradient) {
    gradient[0] = dp;
    gradient[1] = dq;
    gradient[2] = dGamma;
  }
  return total;
}

/**
 * Log-likelihood of the Gamma-Gamma model (eq. 3 of the note), summed over customers:
 * ln Γ(px + q) - ln Γ(px) - ln Γ(q) + q ln gamma + (px - 1) ln m_x + px ln x - (px + q) ln(gamma + x m_x).
 * Customers with x = 0 or m_x <= 0 carry no information and are skipped. When `gradient` is given
 * it receives dl/dp, dl/dq, dl/dgamma.
 */
export function gammaGammaLogLikelihood(params: GammaGammaParams, frequency: ArrayLike<number>, monetary: ArrayLike<number>, gradient?: Float64Array): number {
  return preparedLogLikelihood(params, prepareSpend(frequency, monetary), gradient);
}

/** Pearson correlation of two equally long samples (0 when either is constant). */
export function pearsonCorrelation(xs: ArrayLike<number>, ys: ArrayLike<number>): number {
  const n = xs.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i] / n;
    my += ys[i] / n;
  }
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / sqrt(sxx * syy) : 0;
}

export interface GammaGammaFitOptions {
  /** L2 penalty as lifetimes' penalizer_coef: minimises -(log-likelihood) / customers + penalty (p^2 + q^2 + gamma^2). */
  penalty?: number;
}

export interface GammaGammaFit {
  params: GammaGammaParams;
  logLikelihood: number;
  /** Repeat customers with a positive mean spend: the ones the model was fitted on. */
  customers: number;
  /** Repeat customers left out because their mean repeat spend is 0 (or negative). */
  customersWithoutSpend: number;
  /** Pearson correlation of frequency and mean spend among those customers (the model assumes none). */
  frequencySpendCorrelation: number;
  /** Population mean spend p gamma / (q - 1) (Infinity when q <= 1). */
  populationMeanSpend: number;
  /** BFGS iterations over all starts (on the sample and on everyone). */
  iterations: number;
  warnings: string[];
}

const MIN_SPEND_CUSTOMERS = 3;
const FEW_SPEND_CUSTOMERS = 30;
/** Above this absolute correlation of frequency and spend, the independence assumption is in doubt. */
const CORRELATION_WARNING = 0.3;
const STARTS: readonly GammaGammaParams[] = [
  { p: 1, q: 1, gamma: 1 },
  { p: 5, q: 3, gamma: 1 },
  { p: 0.5, q: 5, gamma: 5 },
];

/** Repeat customers with a positive mean spend (checked), and how many repeat customers have none. */
function repeatSpenders(frequency: ArrayLike<number>, monetary: ArrayLike<number>): { frequency: Float64Array; monetary: Float64Array; withoutSpend: number } {
  const xs: number[] = [];
  const ms: number[] = [];
  let withoutSpend = 0;
  if (frequency.length !== monetary.length) throw engineError('gammaGamma.lengthMismatch', { frequency: frequency.length, monetary: monetary.length });
  for (let i = 0; i < frequency.length; i++) {
    if (!(frequency[i] > 0)) continue;
    if (!Number.isFinite(monetary[i])) throw engineError('gammaGamma.monetary', { value: monetary[i] }, { row: i + 1 }, monetary[i]);
    if (monetary[i] > 0) {
      xs.push(frequency[i]);
      ms.push(monetary[i]);
    } else withoutSpend++;
  }
  return { frequency: Float64Array.from(xs), monetary: Float64Array.from(ms), withoutSpend };
}

/** -(log-likelihood) / customers + L2 penalty over log(p, q, gamma / meanSpend), and its gradient. */
function penalisedObjective(data: PreparedSpend, meanSpend: number, penalty: number) {
  const n = data.frequency.length;
  return (theta: Float64Array, gradient: Float64Array): number => {
    const p = exp(theta[0]);
    const q = exp(theta[1]);
    const gammaScaled = exp(theta[2]);
    const gammaCurrency = gammaScaled * meanSpend;
    const ll = preparedLogLikelihood({ p, q, gamma: gammaScaled }, data, gradient);
    // d/d(log v) = v d/dv; the penalty is on gamma in currency units, as lifetimes'.
    gradient[0] = p * (-gradient[0] / n + 2 * penalty * p);
    gradient[1] = q * (-gradient[1] / n + 2 * penalty * q);
    gradient[2] = gammaScaled * (-gradient[2] / n) + 2 * penalty * gammaCurrency * gammaCurrency;
    return -ll / n + penalty * (p * p + q * q + gammaCurrency * gammaCurrency);
  };
}

/** Above this many customers the starts run on a sample and only the best is refined on everyone. */
const SAMPLE_START_CUSTOMERS = 5_000;

/** Every k-th value, at most `count` of them. */
function everyKth(values: Float64Array, count: number): Float64Array {
  const stride = Math.ceil(values.length / count);
  return Float64Array.from({ length: Math.floor(values.length / stride) }, (_, k) => values[k * stride]);
}

/** Best converged BFGS run over the starts (log-parameters), stopping once two agree; or undefined. */
function bestOfStarts(objective: ReturnType<typeof penalisedObjective>, starts: readonly number[][]): { theta: Float64Array; value: number; iterations: number } | undefined {
  let best: { theta: Float64Array; value: number; iterations: number } | undefined;
  let iterations = 0;
  for (const start of starts) {
    const run = minimiseBfgs(objective, start);
    iterations += run.iterations;
    if (!run.converged) continue;
    if (best !== undefined && sameOptimum(run.value, best.value)) break; // two starts agree: enough
    if (best === undefined || run.value < best.value) best = { theta: run.x, value: run.value, iterations: 0 };
  }
  return best && { ...best, iterations };
}

/**
 * Maximum likelihood for the Gamma-Gamma model over log-parameters by BFGS with the analytic
 * gradient, with spend scaled by its mean during the search (gamma scaled back) so any currency is
 * well conditioned; three starts (on a sample of about 5,000 customers for large data, the best
 * then refined on everyone). Throws InputError 'no-data' with fewer than 3 repeat customers with
 * spend and 'not-converged' when no start converges. q <= 1 (infinite mean spend) is a warning
 * here; fitClvModel refuses it.
 */
export function fitGammaGamma(frequency: ArrayLike<number>, monetary: ArrayLike<number>, options: GammaGammaFitOptions = {}): GammaGammaFit {
  const penalty = options.penalty ?? 0;
  if (!(penalty >= 0) || !Number.isFinite(penalty)) throw engineError('fit.penalty', { value: penalty });
  const spenders = repeatSpenders(frequency, monetary);
  const n = spenders.frequency.length;
  if (n < MIN_SPEND_CUSTOMERS) {
    throw engineError('gammaGamma.tooFewSpenders', { count: n });
  }
  let meanSpend = 0;
  for (let i = 0; i < n; i++) meanSpend += spenders.monetary[i] / n;
  const scaledSpend = spenders.monetary.map((m) => m / meanSpend);
  const starts = STARTS.map((s) => [log(s.p), log(s.q), log(s.gamma)]);
  const everyone = penalisedObjective(prepareSpend(spenders.frequency, scaledSpend), meanSpend, penalty);
  let best: { theta: Float64Array; value: number; iterations: number } | undefined;
  if (n > SAMPLE_START_CUSTOMERS) {
    const sample = penalisedObjective(prepareSpend(everyKth(spenders.frequency, SAMPLE_START_CUSTOMERS), everyKth(scaledSpend, SAMPLE_START_CUSTOMERS)), meanSpend, penalty);
    const fromSample = bestOfStarts(sample, starts);
    const refined = fromSample && bestOfStarts(everyone, [Array.from(fromSample.theta)]);
    if (fromSample && refined) best = { ...refined, iterations: fromSample.iterations + refined.iterations };
  }
  best ??= bestOfStarts(everyone, starts);
  if (best === undefined) throw engineError('gammaGamma.notConverged');
  const params = { p: exp(best.theta[0]), q: exp(best.theta[1]), gamma: exp(best.theta[2]) * meanSpend };
  const frequencySpendCorrelation = pearsonCorrelation(spenders.frequency, spenders.monetary);
  const warnings: string[] = [];
  if (spenders.withoutSpend > 0) warnings.push(`${spenders.withoutSpend} repeat customers have no positive repeat spend and were left out of the Gamma-Gamma fit`);
  if (n < FEW_SPEND_CUSTOMERS) warnings.push(`only ${n} repeat customers with spend: the Gamma-Gamma estimates are uncertain`);
  if (params.q <= 1) warnings.push(`Gamma-Gamma q = ${params.q.toFixed(3)} <= 1: the model's mean spend p gamma / (q - 1) is infinite, so expected spend is not meaningful for this data`);
  if (abs(frequencySpendCorrelation) > CORRELATION_WARNING) {
    warnings.push(`frequency and spend are correlated (Pearson r = ${frequencySpendCorrelation.toFixed(2)}); the Gamma-Gamma model assumes they are independent, so expected spend is biased`);
  }
  return {
    params,
    logLikelihood: gammaGammaLogLikelihood(params, spenders.frequency, spenders.monetary),
    customers: n,
    customersWithoutSpend: spenders.withoutSpend,
    frequencySpendCorrelation,
    populationMeanSpend: params.q > 1 ? (params.p * params.gamma) / (params.q - 1) : Infinity,
    iterations: best.iterations,
    warnings,
  };
}

/**
 * E[M | x, m_x]: expected value of a customer's future transactions (eq. 5 of the note; lifetimes'
 * conditional_expected_average_profit), a weighted mean of the population mean p gamma / (q - 1)
 * and the customer's own mean m_x:
 *   weight = p x / (p x + q - 1);  E[M] = (1 - weight) p gamma / (q - 1) + weight m_x = p (gamma + x m_x) / (p x + q - 1).
 * For x = 0 it is the population mean. Currency units as monetary.
 */
export function conditionalExpectedAverageSpend({ p, q, gamma }: GammaGammaParams, frequency: number, monetary: number): number {
  return (p * (gamma + frequency * monetary)) / (p * frequency + q - 1);
}
