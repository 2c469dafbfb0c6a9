/**
 * The BG/NBD purchase model (Fader, Hardie and Lee 2005, "Counting Your Customers the Easy Way").
 * Assumptions: while alive, a customer buys as a Poisson process with rate lambda ~ Gamma(r, alpha);
 * after each purchase the customer drops out with probability p ~ Beta(a, b); lambda and p vary
 * independently across customers. Times are in the summary's unit (days or weeks) and every
 * function says so.
 */
import { InputError } from '../errors';
import { hyp2f1, logGamma, logSumExp } from './special-functions';
import { nelderMead } from './optimise';

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

export interface BgNbdData {
  frequency: ArrayLike<number>;
  recency: ArrayLike<number>;
  age: ArrayLike<number>;
}

/** Total log-likelihood (eq. 6 of the paper, in log form with a log-sum-exp for the two terms). */
export function bgNbdLogLikelihood({ r, alpha, a, b }: BgNbdParams, data: BgNbdData): number {
  const n = data.frequency.length;
  // Terms that depend on x only, cached per distinct x.
  const cache = new Map<number, number>();
  let total = 0;
  for (let i = 0; i < n; i++) {
    const x = data.frequency[i];
    let shared = cache.get(x);
    if (shared === undefined) {
      const a1 = logGamma(r + x) - logGamma(r) + r * Math.log(alpha);
      const a2 = logGamma(a + b) + logGamma(b + x) - logGamma(b) - logGamma(a + b + x);
      shared = a1 + a2;
      cache.set(x, shared);
    }
    const a3 = -(r + x) * Math.log(alpha + data.age[i]);
    const a4 = x > 0 ? Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + data.recency[i]) : -Infinity;
    total += shared + logSumExp(a3, a4);
  }
  return total;
}

export interface BgNbdFit {
  params: BgNbdParams;
  logLikelihood: number;
  converged: boolean;
}

/** Maximum likelihood over log-parameters, with an optional L2 penalty on the parameters (as lifetimes' penalizer_coef). */
export function fitBgNbd(data: BgNbdData, options: { penalty?: number } = {}): BgNbdFit {
  const n = data.frequency.length;
  let repeaters = 0;
  for (let i = 0; i < n; i++) if (data.frequency[i] > 0) repeaters++;
  if (n < 10 || repeaters < 3) {
    throw new InputError('no-data', `the BG/NBD model needs more history: ${n} customers, ${repeaters} with a repeat purchase; use at least a few dozen customers with repeat purchases, or the simple CLV`);
  }
  const penalty = options.penalty ?? 0;
  const objective = (theta: number[]) => {
    const params = { r: Math.exp(theta[0]), alpha: Math.exp(theta[1]), a: Math.exp(theta[2]), b: Math.exp(theta[3]) };
    const ll = bgNbdLogLikelihood(params, data);
    return -ll / n + penalty * (params.r ** 2 + params.alpha ** 2 + params.a ** 2 + params.b ** 2);
  };
  // Large data: start from a fit on an evenly spaced sample, then refine on everyone (far fewer
  // evaluations of the full likelihood).
  const start = n > 20_000 ? warmStart(data) : [0, 0, 0, 0];
  const result = nelderMead(objective, start, { tolerance: n > 20_000 ? 1e-10 : 1e-12, maxEvaluations: 20_000, step: n > 20_000 ? 0.02 : 0.5 });
  const params = { r: Math.exp(result.x[0]), alpha: Math.exp(result.x[1]), a: Math.exp(result.x[2]), b: Math.exp(result.x[3]) };
  if (!result.converged || !Object.values(params).every(Number.isFinite)) {
    throw new InputError('not-converged', 'the BG/NBD fit did not converge; check the data (enough customers with repeat purchases?) or add a small penalty');
  }
  return { params, logLikelihood: bgNbdLogLikelihood(params, data), converged: true };
}

/** Log-parameters fitted on every k-th customer (about 10,000 of them). */
function warmStart(data: BgNbdData): number[] {
  const stride = Math.ceil(data.frequency.length / 10_000);
  const pick = (values: ArrayLike<number>) => Float64Array.from({ length: Math.floor(values.length / stride) }, (_, k) => values[k * stride]);
  const sample = { frequency: pick(data.frequency), recency: pick(data.recency), age: pick(data.age) };
  const fit = fitBgNbd(sample);
  return [Math.log(fit.params.r), Math.log(fit.params.alpha), Math.log(fit.params.a), Math.log(fit.params.b)];
}

/** P(alive | x, t_x, T): 1 / (1 + [x > 0] a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r + x)). */
export function conditionalProbabilityAlive({ r, alpha, a, b }: BgNbdParams, x: number, recency: number, age: number): number {
  if (x === 0) return 1;
  const logRatio = Math.log(a / (b + x - 1)) + (r + x) * Math.log((alpha + age) / (alpha + recency));
  return 1 / (1 + Math.exp(logRatio));
}

/**
 * E[Y(t) | x, t_x, T]: expected purchases in the next t time units (eq. 10 of the paper).
 * `t`, `recency` and `age` share the fitted unit.
 */
export function conditionalExpectedPurchasesUpToTime(p: BgNbdParams, t: number, x: number, recency: number, age: number): number {
  const { r, alpha, a, b } = p;
  const lead = (a + b + x - 1) / (a - 1);
  const z = t / (alpha + age + t);
  const tail = Math.pow((alpha + age) / (alpha + age + t), r + x) * hyp2f1(r + x, b + x, a + b + x - 1, z);
  const aliveTerm = x > 0 ? (a / (b + x - 1)) * Math.pow((alpha + age) / (alpha + recency), r + x) : 0;
  return (lead * (1 - tail)) / (1 + aliveTerm);
}

/** E[X(t)]: expected purchases of a randomly chosen customer in (0, t] (eq. 9 of the paper). */
export function expectedPurchasesUpToTime({ r, alpha, a, b }: BgNbdParams, t: number): number {
  const lead = (a + b - 1) / (a - 1);
  return lead * (1 - Math.pow(alpha / (alpha + t), r) * hyp2f1(r, b, a + b - 1, t / (alpha + t)));
}
