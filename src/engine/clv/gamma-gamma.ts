/**
 * The Gamma-Gamma spend model (Fader and Hardie 2013, "The Gamma-Gamma Model of Monetary Value").
 * Assumptions: a customer's purchase values are Gamma(p, nu) around the customer's mean, nu ~
 * Gamma(q, gamma) across customers, and spend is independent of purchase frequency (check the
 * reported correlation). Fitted on repeat customers (frequency > 0) with their mean spend.
 */
import { InputError } from '../errors';
import { logGamma } from './special-functions';
import { nelderMead } from './optimise';

export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

/** Log-likelihood over repeat customers: x repeat purchases with mean value m. */
export function gammaGammaLogLikelihood({ p, q, gamma }: GammaGammaParams, frequency: ArrayLike<number>, monetary: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < frequency.length; i++) {
    const x = frequency[i];
    const m = monetary[i];
    if (x <= 0 || m <= 0) continue;
    total +=
      logGamma(p * x + q) - logGamma(p * x) - logGamma(q) + q * Math.log(gamma) + (p * x - 1) * Math.log(m) + p * x * Math.log(x) - (p * x + q) * Math.log(gamma + x * m);
  }
  return total;
}

export interface GammaGammaFit {
  params: GammaGammaParams;
  logLikelihood: number;
  customers: number;
  /** Pearson correlation of frequency and mean spend among repeat customers (the model assumes none). */
  frequencySpendCorrelation: number;
  warnings: string[];
}

function correlation(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((s, v) => s + v, 0) / n;
  const my = ys.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}

export function fitGammaGamma(frequency: ArrayLike<number>, monetary: ArrayLike<number>): GammaGammaFit {
  const xs: number[] = [];
  const ms: number[] = [];
  for (let i = 0; i < frequency.length; i++) {
    if (frequency[i] > 0 && monetary[i] > 0) {
      xs.push(frequency[i]);
      ms.push(monetary[i]);
    }
  }
  if (xs.length < 10) throw new InputError('no-data', `the Gamma-Gamma spend model needs repeat customers: only ${xs.length} have a repeat purchase with a positive value`);
  const objective = (theta: number[]) => -gammaGammaLogLikelihood({ p: Math.exp(theta[0]), q: Math.exp(theta[1]), gamma: Math.exp(theta[2]) }, xs, ms) / xs.length;
  const result = nelderMead(objective, [0, 0, 0], { tolerance: 1e-12 });
  const params = { p: Math.exp(result.x[0]), q: Math.exp(result.x[1]), gamma: Math.exp(result.x[2]) };
  if (!result.converged) throw new InputError('not-converged', 'the Gamma-Gamma fit did not converge; check the spend values');
  const warnings: string[] = [];
  if (params.q <= 1) warnings.push(`q = ${params.q.toFixed(3)} <= 1: the model's mean spend is infinite; expected spend is not meaningful for this data`);
  const frequencySpendCorrelation = correlation(xs, ms);
  if (Math.abs(frequencySpendCorrelation) > 0.3) warnings.push(`frequency and spend are correlated (r = ${frequencySpendCorrelation.toFixed(2)}); the Gamma-Gamma model assumes they are not`);
  return { params, logLikelihood: gammaGammaLogLikelihood(params, xs, ms), customers: xs.length, frequencySpendCorrelation, warnings };
}

/** E[M | x, m_x]: expected average purchase value (population mean p gamma / (q - 1) for x = 0). */
export function conditionalExpectedAverageSpend({ p, q, gamma }: GammaGammaParams, x: number, monetary: number): number {
  return (p * (gamma + x * monetary)) / (p * x + q - 1);
}
