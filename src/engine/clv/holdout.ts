/**
 * Holdout validation: fit on a calibration period, then compare predicted with actual repeat
 * purchases in the holdout period, per customer and in total (as lifetimes'
 * calibration_and_holdout_data: holdout purchases are distinct purchase days).
 */
import { EpochDays } from '../dates';
import { Transactions } from '../transactions';
import { conditionalExpectedPurchasesUpToTime, fitBgNbd, BgNbdParams } from './bgnbd';
import { DAYS_PER_UNIT, summariseTransactions, TimeUnit } from './summary';

export interface HoldoutCustomer {
  customer: string;
  frequency: number;
  recency: number;
  T: number;
  predicted: number;
  actual: number;
}

export interface HoldoutResult {
  unit: TimeUnit;
  calibrationEnd: EpochDays;
  holdoutEnd: EpochDays;
  /** Holdout length in `unit`. */
  holdoutLength: number;
  params: BgNbdParams;
  customers: HoldoutCustomer[];
  totalPredicted: number;
  totalActual: number;
}

/** Fits on transactions up to the day before `holdoutFrom`, predicts purchases up to `holdoutEnd`. */
export function holdoutValidation(tx: Transactions, holdoutFrom: EpochDays, holdoutEnd: EpochDays, unit: TimeUnit = 'days'): HoldoutResult {
  const calibrationEnd = holdoutFrom - 1;
  const summary = summariseTransactions(tx, calibrationEnd, unit);
  const { params } = fitBgNbd({ frequency: summary.frequency, recency: summary.recency, age: summary.age });
  // Actual purchase days in the holdout, per customer known in calibration.
  const indexOf = new Map(summary.customerIds.map((id, i) => [id, i]));
  const seen = new Set<string>();
  const actual = new Float64Array(summary.customerIds.length);
  for (let i = 0; i < tx.dates.length; i++) {
    const day = tx.dates[i];
    if (day < holdoutFrom || day > holdoutEnd || tx.amountsMinor[i] < 0) continue;
    const k = indexOf.get(tx.customerIds[tx.customerIndex[i]]);
    if (k === undefined) continue; // first bought in the holdout: not part of the calibration cohort
    const key = `${k}:${day}`;
    if (seen.has(key)) continue;
    seen.add(key);
    actual[k]++;
  }
  const holdoutLength = (holdoutEnd - calibrationEnd) / DAYS_PER_UNIT[unit];
  const customers = summary.customerIds.map<HoldoutCustomer>((customer, i) => ({
    customer,
    frequency: summary.frequency[i],
    recency: summary.recency[i],
    T: summary.age[i],
    predicted: conditionalExpectedPurchasesUpToTime(params, holdoutLength, summary.frequency[i], summary.recency[i], summary.age[i]),
    actual: actual[i],
  }));
  return {
    unit,
    calibrationEnd,
    holdoutEnd,
    holdoutLength,
    params,
    customers,
    totalPredicted: customers.reduce((s, c) => s + c.predicted, 0),
    totalActual: customers.reduce((s, c) => s + c.actual, 0),
  };
}
