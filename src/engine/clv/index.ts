/**
 * Probabilistic CLV: fit BG/NBD (purchases) and Gamma-Gamma (spend) on a customer summary and
 * predict per customer, with the same conventions as the Python package lifetimes so results compare
 * one to one: CLV over a horizon in months, each month 30 days (or 4.345 weeks), discounted monthly.
 */
import { conditionalExpectedPurchasesUpToTime, conditionalProbabilityAlive, fitBgNbd, BgNbdParams } from './bgnbd';
import { conditionalExpectedAverageSpend, fitGammaGamma, GammaGammaParams } from './gamma-gamma';
import { CustomerSummary, DAYS_PER_UNIT, TimeUnit } from './summary';

export * from './summary';
export * from './bgnbd';
export * from './gamma-gamma';

/** lifetimes' month length per unit: 30 days, or 4.345 weeks. */
export const UNITS_PER_MONTH: Readonly<Record<TimeUnit, number>> = { days: 30, weeks: 4.345 };

export interface ClvOptions {
  horizonMonths?: number; // default 12
  discountMonthly?: number; // default 0.01
  purchasesHorizonDays?: number; // default 90
  penalty?: number;
}

export interface ClvCustomer {
  customer: string;
  frequency: number;
  recency: number;
  T: number;
  monetary: number;
  p_alive: number;
  expected_purchases: number;
  expected_spend: number;
  clv: number;
}

export interface ClvModelResult {
  unit: TimeUnit;
  purchasesHorizonDays: number;
  horizonMonths: number;
  params: { bgnbd: BgNbdParams; gamma_gamma: GammaGammaParams };
  log_likelihood: number;
  frequency_spend_correlation: number;
  warnings: string[];
  customers: ClvCustomer[];
}

/**
 * CLV = sum over months m = 1..H of E[spend] x (E[Y(m)] - E[Y(m - 1)]) / (1 + d)^m, as
 * lifetimes.GammaGammaFitter.customer_lifetime_value computes it.
 */
export function discountedClv(p: BgNbdParams, unit: TimeUnit, x: number, recency: number, age: number, spend: number, horizonMonths: number, discountMonthly: number): number {
  const month = UNITS_PER_MONTH[unit];
  let clv = 0;
  let before = 0;
  for (let m = 1; m <= horizonMonths; m++) {
    const upTo = conditionalExpectedPurchasesUpToTime(p, m * month, x, recency, age);
    clv += (spend * (upTo - before)) / (1 + discountMonthly) ** m;
    before = upTo;
  }
  return clv;
}

/** Fits both models on the summary and predicts every customer. */
export function fitAndPredictClv(summary: CustomerSummary, options: ClvOptions = {}): ClvModelResult {
  const horizonMonths = options.horizonMonths ?? 12;
  const discountMonthly = options.discountMonthly ?? 0.01;
  const purchasesHorizonDays = options.purchasesHorizonDays ?? 90;
  const bg = fitBgNbd({ frequency: summary.frequency, recency: summary.recency, age: summary.age }, { penalty: options.penalty });
  const gg = fitGammaGamma(summary.frequency, summary.monetary);
  const horizon = purchasesHorizonDays / DAYS_PER_UNIT[summary.unit];
  const customers = summary.customerIds.map<ClvCustomer>((customer, i) => {
    const x = summary.frequency[i];
    const recency = summary.recency[i];
    const age = summary.age[i];
    const spend = conditionalExpectedAverageSpend(gg.params, x, summary.monetary[i]);
    return {
      customer,
      frequency: x,
      recency,
      T: age,
      monetary: summary.monetary[i],
      p_alive: conditionalProbabilityAlive(bg.params, x, recency, age),
      expected_purchases: conditionalExpectedPurchasesUpToTime(bg.params, horizon, x, recency, age),
      expected_spend: spend,
      clv: discountedClv(bg.params, summary.unit, x, recency, age, spend, horizonMonths, discountMonthly),
    };
  });
  return {
    unit: summary.unit,
    purchasesHorizonDays,
    horizonMonths,
    params: { bgnbd: bg.params, gamma_gamma: gg.params },
    log_likelihood: bg.logLikelihood,
    frequency_spend_correlation: gg.frequencySpendCorrelation,
    warnings: gg.warnings,
    customers,
  };
}
export * from './simulate';
export * from './holdout';
