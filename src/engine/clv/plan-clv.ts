/**
 * Customer lifetime value as a plan's value per customer (`cbp plan --clv bgnbd`, the task pane's
 * "Customer lifetime value" weight basis): BG/NBD + Gamma-Gamma fitted on the plan's own
 * transactions up to its as-of date, each customer's discounted expected spend over `months`.
 */
import type { EpochDays } from '../dates';
import { latestPurchaseDate } from '../rfm';
import type { Transactions } from '../transactions';
import { fitAndPredictClv } from './clv';
import { CustomerSummary, summariseTransactions } from './summary';

/** The default horizon of a plan's lifetime values, in months (`cbp plan --clv-months`, the task pane). */
export const DEFAULT_PLAN_CLV_MONTHS = 12;

export interface PlanLifetimeValues {
  /** Each customer's lifetime value (currency units); customers with no purchase up to the as-of date are absent. */
  byCustomer: Map<string, number>;
  /** The horizon, in months. */
  months: number;
  /** Everything the fit warned about, in the engine's words (the refund note last), as `cbp plan` prints them. */
  warnings: string[];
  /** Refund rows (negative amounts) up to the as-of date, not counted as purchases (0: none). */
  refundRowsIgnored: number;
  /** The models' own caveats (BG/NBD, Gamma-Gamma): `warnings` without the refund note. */
  modelWarnings: string[];
  /**
   * Customers whose lifetime value is not a finite number. A fit with parameters at the edge of
   * their range (see modelWarnings) can give NaN for everyone; such values cannot weigh a plan.
   */
  nonFiniteValues: number;
}

/**
 * BG/NBD + Gamma-Gamma CLV per customer over `months` months (discounted 1 % a month), at the plan's
 * as-of date (default: the latest purchase date, as the plan's RFM scoring uses). Throws InputError
 * when the models cannot be fitted (too little history, no convergence, infinite mean spend).
 */
export function lifetimeValuesForPlan(tx: Transactions, asOfDay: EpochDays | undefined, months: number): PlanLifetimeValues {
  return lifetimeValuesFromSummary(summariseTransactions(tx, asOfDay ?? latestPurchaseDate(tx), 'days'), months);
}

/** The same from a summary in days at the plan's as-of date, wherever it was computed (summariseTransactions, or a database). */
export function lifetimeValuesFromSummary(summary: CustomerSummary, months: number): PlanLifetimeValues {
  const result = fitAndPredictClv(summary, { horizonMonths: months });
  // fitClvModel appends its refund note after the models' warnings.
  const refundNotes = summary.refundRowsIgnored > 0 ? 1 : 0;
  let nonFiniteValues = 0;
  for (const c of result.customers) if (!Number.isFinite(c.clv)) nonFiniteValues++;
  return {
    byCustomer: new Map(result.customers.map((c) => [c.customer, c.clv])),
    months: result.horizonMonths,
    warnings: result.warnings,
    refundRowsIgnored: summary.refundRowsIgnored,
    modelWarnings: result.warnings.slice(0, result.warnings.length - refundNotes),
    nonFiniteValues,
  };
}
