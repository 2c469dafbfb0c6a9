/**
 * Holdout validation: fit the BG/NBD on a calibration period, then compare each customer's
 * predicted repeat purchases in the holdout period with what happened (purchase days, as lifetimes'
 * calibration_and_holdout_data counts them), per customer, by calibration frequency (the paper's
 * figure 4) and in total.
 */
import { EpochDays } from '../dates';
import { engineError } from '../errors';
import { Transactions } from '../transactions';
import { BgNbdFitOptions, BgNbdParams, conditionalExpectedPurchasesUpToTime, fitBgNbd } from './bgnbd';
import { calibrationAndHoldout, TimeUnit } from './summary';

export interface HoldoutCustomer {
  customer: string;
  /** Calibration summary, times in the result's unit. */
  frequency: number;
  recency: number;
  T: number;
  /** Expected purchase days in the holdout period. */
  predicted: number;
  /** Purchase days in the holdout period. */
  actual: number;
}

/** Customers grouped by their calibration frequency x (the last group is "x or more"). */
export interface HoldoutByFrequency {
  frequency: number;
  orMore: boolean;
  customers: number;
  meanPredicted: number;
  meanActual: number;
}

export interface HoldoutResult {
  unit: TimeUnit;
  calibrationEnd: EpochDays;
  holdoutEnd: EpochDays;
  /** Holdout length in `unit`. */
  holdoutLength: number;
  params: BgNbdParams;
  logLikelihood: number;
  warnings: string[];
  customers: HoldoutCustomer[];
  byFrequency: HoldoutByFrequency[];
  totalPredicted: number;
  totalActual: number;
}

/** Calibration frequencies 0..6 get a group each, 7 and more share one (as the paper's figure 4). */
const LAST_FREQUENCY_GROUP = 7;

/**
 * Fits on the transactions before `holdoutFrom` (calibration end = the day before) and predicts the
 * purchases from `holdoutFrom` to `holdoutEnd` inclusive, in `unit`.
 */
export function holdoutValidation(tx: Transactions, holdoutFrom: EpochDays, holdoutEnd: EpochDays, unit: TimeUnit = 'days', options: BgNbdFitOptions = {}): HoldoutResult {
  if (holdoutEnd < holdoutFrom) throw engineError('holdout.reversed', { from: holdoutFrom, to: holdoutEnd });
  const calibrationEnd = holdoutFrom - 1;
  const split = calibrationAndHoldout(tx, calibrationEnd, holdoutEnd, unit);
  const summary = split.calibration;
  const fit = fitBgNbd({ frequency: summary.frequency, recency: summary.recency, age: summary.age }, options);
  const customers = summary.customerIds.map<HoldoutCustomer>((customer, i) => ({
    customer,
    frequency: summary.frequency[i],
    recency: summary.recency[i],
    T: summary.age[i],
    predicted: conditionalExpectedPurchasesUpToTime(fit.params, split.holdoutLength, summary.frequency[i], summary.recency[i], summary.age[i]),
    actual: split.frequencyHoldout[i],
  }));
  let totalPredicted = 0;
  let totalActual = 0;
  for (const c of customers) {
    totalPredicted += c.predicted;
    totalActual += c.actual;
  }
  return {
    unit,
    calibrationEnd,
    holdoutEnd,
    holdoutLength: split.holdoutLength,
    params: fit.params,
    logLikelihood: fit.logLikelihood,
    warnings: fit.warnings,
    customers,
    byFrequency: groupByFrequency(customers),
    totalPredicted,
    totalActual,
  };
}

function groupByFrequency(customers: HoldoutCustomer[]): HoldoutByFrequency[] {
  const groups = Array.from({ length: LAST_FREQUENCY_GROUP + 1 }, (_, x) => ({ frequency: x, orMore: x === LAST_FREQUENCY_GROUP, customers: 0, meanPredicted: 0, meanActual: 0 }));
  for (const c of customers) {
    const group = groups[Math.min(c.frequency, LAST_FREQUENCY_GROUP)];
    group.customers++;
    group.meanPredicted += c.predicted;
    group.meanActual += c.actual;
  }
  return groups
    .filter((g) => g.customers > 0)
    .map((g) => ({ ...g, meanPredicted: g.meanPredicted / g.customers, meanActual: g.meanActual / g.customers }));
}
