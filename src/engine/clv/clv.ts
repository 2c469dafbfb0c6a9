/**
 * Customer lifetime value from BG/NBD purchases and Gamma-Gamma spend, with the conventions of the
 * Python package lifetimes (GammaGammaFitter.customer_lifetime_value) so results compare one to one:
 * the horizon is in months of 30 days on daily data or 4.345 weeks on weekly data, and each month's
 * expected purchases (the difference of the cumulative expectation at its end and at its start)
 * times the expected spend is discounted by (1 + d)^month.
 *
 * High-level entry points (used by `cbp clv --model bgnbd` and CBP.CLV):
 * - fitClvModel(summary, options): fits both models, with warnings and diagnostics;
 * - predictClv(model, summary, options): per customer p_alive, expected purchases, spend and CLV;
 * - fitAndPredictClv(summary, options): both in one call.
 */
import { engineError } from '../errors';
import { BgNbdParams, conditionalProbabilityAlive, expectedPurchasesIfAlive, fitBgNbd } from './bgnbd';
import { conditionalExpectedAverageSpend, fitGammaGamma, GammaGammaParams } from './gamma-gamma';
import { CustomerSummary, DAYS_PER_UNIT, TimeInUnit, TimeUnit } from './summary';

/** lifetimes' month length per unit: 30 days, or 4.345 weeks (its factor for freq 'D' and 'W'). */
export const UNITS_PER_MONTH: Readonly<Record<TimeUnit, number>> = { days: 30, weeks: 4.345 };

/**
 * CLV = sum over months m = 1..H of spend x (E[Y(m M)] - E[Y((m - 1) M)]) / (1 + d)^m, with M the
 * month length in `unit` (UNITS_PER_MONTH), E[Y(t)] the conditional expected purchases of a customer
 * with x repeat purchases, recency and age (in `unit`), and `expectedSpend` per purchase (currency).
 */
export function customerLifetimeValue(
  params: BgNbdParams,
  unit: TimeUnit,
  frequency: number,
  recency: TimeInUnit,
  age: TimeInUnit,
  expectedSpend: number,
  horizonMonths: number,
  discountMonthly: number,
): number {
  const monthLength = UNITS_PER_MONTH[unit];
  const probabilityAlive = conditionalProbabilityAlive(params, frequency, recency, age);
  let clv = 0;
  let purchasesBefore = 0;
  for (let month = 1; month <= horizonMonths; month++) {
    const purchasesToMonthEnd = expectedPurchasesIfAlive(params, month * monthLength, frequency, age);
    clv += (expectedSpend * probabilityAlive * (purchasesToMonthEnd - purchasesBefore)) / (1 + discountMonthly) ** month;
    purchasesBefore = purchasesToMonthEnd;
  }
  return clv;
}

export interface ClvFitOptions {
  /** BG/NBD L2 penalty (lifetimes' penalizer_coef); default 0. */
  penalty?: number;
  /** Gamma-Gamma L2 penalty (lifetimes' penalizer_coef); default 0. */
  spendPenalty?: number;
}

export interface ClvModel {
  /** Time unit of the summary the model was fitted on; alpha is per this unit. */
  unit: TimeUnit;
  params: { bgnbd: BgNbdParams; gamma_gamma: GammaGammaParams };
  /** BG/NBD log-likelihood at the fit (times in `unit`). */
  log_likelihood: number;
  gamma_gamma_log_likelihood: number;
  /** Customers the BG/NBD was fitted on, and how many of them have a repeat purchase. */
  customer_count: number;
  repeat_customers: number;
  /** Pearson correlation of frequency and mean spend among repeat customers (Gamma-Gamma assumes 0). */
  frequency_spend_correlation: number;
  warnings: string[];
}

/**
 * Fits BG/NBD on every customer and Gamma-Gamma on the repeat customers of the summary. Throws
 * InputError: 'no-data' (too few repeat customers), 'not-converged', or 'bad-parameter' when the
 * Gamma-Gamma q <= 1 (the mean spend, hence every CLV, would be infinite).
 */
export function fitClvModel(summary: CustomerSummary, options: ClvFitOptions = {}): ClvModel {
  const purchases = fitBgNbd({ frequency: summary.frequency, recency: summary.recency, age: summary.age }, { penalty: options.penalty });
  const spend = fitGammaGamma(summary.frequency, summary.monetary, { penalty: options.spendPenalty });
  if (spend.params.q <= 1) {
    throw engineError('clv.infiniteMeanSpend', { q: spend.params.q.toFixed(3) });
  }
  const warnings = [...purchases.warnings, ...spend.warnings];
  if (summary.refundRowsIgnored > 0) warnings.push(`${summary.refundRowsIgnored} refund rows (negative amounts) were not counted as purchases`);
  return {
    unit: summary.unit,
    params: { bgnbd: purchases.params, gamma_gamma: spend.params },
    log_likelihood: purchases.logLikelihood,
    gamma_gamma_log_likelihood: spend.logLikelihood,
    customer_count: purchases.customers,
    repeat_customers: purchases.repeatCustomers,
    frequency_spend_correlation: spend.frequencySpendCorrelation,
    warnings,
  };
}

export interface ClvPredictOptions {
  /** CLV horizon in whole months; default 12. */
  horizonMonths?: number;
  /** Monthly discount rate, e.g. 0.01 for 1 % a month (about 12.7 % a year); default 0.01. */
  discountMonthly?: number;
  /** Horizon of expected_purchases, in days (converted to the summary's unit); default 90. */
  purchasesHorizonDays?: number;
}

/** One customer's row of the CLV table. Times in the result's `unit`, money in currency units. */
export interface ClvCustomer {
  customer: string;
  frequency: number;
  recency: number;
  T: number;
  monetary: number;
  p_alive: number;
  /** Expected purchase days in the next `purchasesHorizonDays` days. */
  expected_purchases: number;
  /** Expected value per future purchase (Gamma-Gamma). */
  expected_spend: number;
  /** Discounted expected spend over the next `horizonMonths` months. */
  clv: number;
}

export interface ClvModelResult extends ClvModel {
  purchasesHorizonDays: number;
  horizonMonths: number;
  discountMonthly: number;
  customers: ClvCustomer[];
}

function checkPredictOptions(options: ClvPredictOptions): Required<ClvPredictOptions> {
  const horizonMonths = options.horizonMonths ?? 12;
  const discountMonthly = options.discountMonthly ?? 0.01;
  const purchasesHorizonDays = options.purchasesHorizonDays ?? 90;
  if (!Number.isInteger(horizonMonths) || horizonMonths < 0 || horizonMonths > 1200) {
    throw engineError('clv.horizonMonths', { value: horizonMonths });
  }
  if (!Number.isFinite(discountMonthly) || discountMonthly < 0) throw engineError('clv.discountMonthly', { value: discountMonthly });
  if (!Number.isFinite(purchasesHorizonDays) || purchasesHorizonDays < 0) throw engineError('clv.purchasesHorizon', { value: purchasesHorizonDays });
  return { horizonMonths, discountMonthly, purchasesHorizonDays };
}

/** Predicts every customer of `summary` (in the model's unit) with a fitted model. */
export function predictClv(model: ClvModel, summary: CustomerSummary, options: ClvPredictOptions = {}): ClvModelResult {
  if (summary.unit !== model.unit) throw engineError('clv.unitMismatch', { summaryUnit: summary.unit, modelUnit: model.unit });
  const { horizonMonths, discountMonthly, purchasesHorizonDays } = checkPredictOptions(options);
  const { bgnbd, gamma_gamma } = model.params;
  const purchasesHorizon = purchasesHorizonDays / DAYS_PER_UNIT[summary.unit];
  const customers = summary.customerIds.map<ClvCustomer>((customer, i) => {
    const x = summary.frequency[i];
    const recency = summary.recency[i];
    const age = summary.age[i];
    const probabilityAlive = conditionalProbabilityAlive(bgnbd, x, recency, age);
    const spend = conditionalExpectedAverageSpend(gamma_gamma, x, summary.monetary[i]);
    return {
      customer,
      frequency: x,
      recency,
      T: age,
      monetary: summary.monetary[i],
      p_alive: probabilityAlive,
      expected_purchases: probabilityAlive * expectedPurchasesIfAlive(bgnbd, purchasesHorizon, x, age),
      expected_spend: spend,
      clv: customerLifetimeValue(bgnbd, summary.unit, x, recency, age, spend, horizonMonths, discountMonthly),
    };
  });
  return { ...model, warnings: [...model.warnings], purchasesHorizonDays, horizonMonths, discountMonthly, customers };
}

/** fitClvModel then predictClv on the same summary. */
export function fitAndPredictClv(summary: CustomerSummary, options: ClvFitOptions & ClvPredictOptions = {}): ClvModelResult {
  checkPredictOptions(options); // fail before the fit on a bad option
  return predictClv(fitClvModel(summary, options), summary, options);
}
