/**
 * Probabilistic CLV (SPEC "Customer lifetime value", probabilistic part): the lifetimes-style
 * customer summary, the BG/NBD purchase model and the Gamma-Gamma spend model, fitted by maximum
 * likelihood, with predictions named for what they return and the time unit explicit everywhere.
 *
 * Typical use:
 *   const summary = summariseTransactions(tx, asOfDay, 'days');
 *   const result = fitAndPredictClv(summary, { horizonMonths: 12, discountMonthly: 0.01, purchasesHorizonDays: 90 });
 *   // result.unit, result.params.bgnbd {r, alpha, a, b}, result.params.gamma_gamma {p, q, gamma},
 *   // result.log_likelihood, result.warnings, result.customers[i].{customer, frequency, recency, T,
 *   // monetary, p_alive, expected_purchases, expected_spend, clv}
 */
export * from './summary';
export * from './bgnbd';
export * from './gamma-gamma';
export * from './clv';
export * from './holdout';
export * from './simulate';
export * from './plan-clv';
export { hyp2f1, logGamma, digamma, logSumExp } from './special-functions';
export { minimiseBfgs } from './optimise';
export type { MinimiseResult, MinimiseOptions, ObjectiveWithGradient } from './optimise';
