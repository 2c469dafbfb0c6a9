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
import { InputError } from '../errors';
import { digamma, logGamma } from './special-functions';
import { minimiseBfgs } from './optimise';
// Local aliases: global lookups (Math.*) are slow in vm contexts such as Jest's sandbox.
const { abs, exp, log, sqrt } = Math;


export interface GammaGammaParams {
  p: number;
  q: number;
  /** In currency units (the unit of monetary). */
  gamma: number;
}

/** Repeat customers' x and m_x, the only customers the model is fitted on. */
interface SpendData {
  frequency: Float64Array;
  monetary: Float64Array;
}

/**
 * Log-likelihood of x repeat purchases with mean value m_x, summed over customers (eq. 3 of the
 * note): ln Γ(px + q) - ln Γ(px) - ln Γ(q) + q ln gamma + (px - 1) ln m_x + px ln x - (px + q) ln(gamma + x m_x).
 * Customers with x = 0 or m_x <= 0 carry no information and are skipped. When `gradient` is given
 * it receives dl/dp, dl/dq, dl/dgamma.
 */
export function gammaGammaLogLikelihood({ p, q, gamma }: GammaGammaParams, frequency: ArrayLike<number>, monetary: ArrayLike<number>, gradient?: Float64Array): number {
  const lgQ = logGamma(q);
  const logGammaParam = log(gamma);
  const psiQ = gradient ? digamma(q) : 0;
  let total = 0;
  let dp = 0;
  let dq = 0;
  let dGamma = 0;
  for (let i = 0; i < frequency.length; i++) {
    const x = frequency[i];
    const m = monetary[i];
    if (x <= 0 || m <= 0) continue;
    const px = p * x;
    const logM = log(m);
    const logX = log(x);
    const logGammaPlusSpend = log(gamma + x * m);
    const normalising = logGamma(px + q) - logGamma(px) - lgQ + q * logGammaParam;
    total += normalising + (px - 1) * logM + px * logX - (px + q) * logGammaPlusSpend;
    if (gradient) {
      const psiPxQ = digamma(px + q);
      dp += x * (psiPxQ - digamma(px) + logM + logX - logGammaPlusSpend);
      dq += psiPxQ - psiQ + logGammaParam - logGammaPlusSpend;
      dGamma += q / gamma - (px + q) / (gamma + x * m);
    }
  }
  if (gradient) {
    gradient[0] = dp;
    gradient[1] = dq;
    gradient[2] = dGamma;
  }
  return total;
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

function repeatSpenders(frequency: ArrayLike<number>, monetary: ArrayLike<number>): SpendData & { withoutSpend: number } {
  const xs: number[] = [];
  const ms: number[] = [];
  let withoutSpend = 0;
  if (frequency.length !== monetary.length) throw new InputError('length-mismatch', `frequency and monetary must have one value per customer (got ${frequency.length} and ${monetary.length})`);
  for (let i = 0; i < frequency.length; i++) {
    if (!(frequency[i] > 0)) continue;
    if (!Number.isFinite(monetary[i])) throw new InputError('bad-number', `monetary must be a number (got ${monetary[i]})`, { row: i + 1 }, monetary[i]);
    if (monetary[i] > 0) {
      xs.push(frequency[i]);
      ms.push(monetary[i]);
    } else withoutSpend++;
  }
  return { frequency: Float64Array.from(xs), monetary: Float64Array.from(ms), withoutSpend };
}

/**
 * Maximum likelihood for the Gamma-Gamma model over log-parameters by BFGS with the analytic
 * gradient, with spend scaled by its mean during the search (gamma scaled back) so any currency is
 * well conditioned. Throws InputError 'no-data' with fewer than 3 repeat customers with spend and
 * 'not-converged' when no start converges. q <= 1 (infinite mean spend) is a warning here; the CLV
 * functions refuse it.
 */
export function fitGammaGamma(frequency: ArrayLike<number>, monetary: ArrayLike<number>, options: GammaGammaFitOptions = {}): GammaGammaFit {
  const penalty = options.penalty ?? 0;
  if (!(penalty >= 0) || !Number.isFinite(penalty)) throw new InputError('bad-parameter', `the penalty must be a number, 0 or more (got ${penalty})`);
  const data = repeatSpenders(frequency, monetary);
  const n = data.frequency.length;
  if (n < MIN_SPEND_CUSTOMERS) {
    throw new InputError('no-data', `the Gamma-Gamma spend model needs repeat customers with spend: only ${n} have a repeat purchase with a positive value; use a longer period or the simple CLV`);
  }
  let meanSpend = 0;
  for (let i = 0; i < n; i++) meanSpend += data.monetary[i] / n;
  const scaledSpend = data.monetary.map((m) => m / meanSpend);
  const objective = (theta: Float64Array, gradient: Float64Array): number => {
    const p = exp(theta[0]);
    const q = exp(theta[1]);
    const gammaScaled = exp(theta[2]);
    const gammaCurrency = gammaScaled * meanSpend;
    const ll = gammaGammaLogLikelihood({ p, q, gamma: gammaScaled }, data.frequency, scaledSpend, gradient);
    gradient[0] = p * (-gradient[0] / n + 2 * penalty * p);
    gradient[1] = q * (-gradient[1] / n + 2 * penalty * q);
    gradient[2] = gammaScaled * (-gradient[2] / n) + 2 * penalty * gammaCurrency * gammaCurrency;
    return -ll / n + penalty * (p * p + q * q + gammaCurrency * gammaCurrency);
  };
  let best: { theta: Float64Array; value: number } | undefined;
  let iterations = 0;
  for (const start of STARTS) {
    const run = minimiseBfgs(objective, [log(start.p), log(start.q), log(start.gamma)]);
    iterations += run.iterations;
    if (run.converged && (best === undefined || run.value < best.value)) best = { theta: run.x, value: run.value };
  }
  if (best === undefined) throw new InputError('not-converged', 'the Gamma-Gamma fit did not converge; check the spend values (a few extreme ones?) or add a small penalty, e.g. 0.001');
  const params = { p: exp(best.theta[0]), q: exp(best.theta[1]), gamma: exp(best.theta[2]) * meanSpend };
  const frequencySpendCorrelation = pearsonCorrelation(data.frequency, data.monetary);
  const warnings: string[] = [];
  if (data.withoutSpend > 0) warnings.push(`${data.withoutSpend} repeat customers have no positive repeat spend and were left out of the Gamma-Gamma fit`);
  if (n < FEW_SPEND_CUSTOMERS) warnings.push(`only ${n} repeat customers with spend: the Gamma-Gamma estimates are uncertain`);
  if (params.q <= 1) warnings.push(`Gamma-Gamma q = ${params.q.toFixed(3)} <= 1: the model's mean spend p gamma / (q - 1) is infinite, so expected spend is not meaningful for this data`);
  if (abs(frequencySpendCorrelation) > CORRELATION_WARNING) {
    warnings.push(`frequency and spend are correlated (Pearson r = ${frequencySpendCorrelation.toFixed(2)}); the Gamma-Gamma model assumes they are independent, so expected spend is biased`);
  }
  return {
    params,
    logLikelihood: gammaGammaLogLikelihood(params, data.frequency, data.monetary),
    customers: n,
    customersWithoutSpend: data.withoutSpend,
    frequencySpendCorrelation,
    populationMeanSpend: params.q > 1 ? (params.p * params.gamma) / (params.q - 1) : Infinity,
    iterations,
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
