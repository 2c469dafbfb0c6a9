/**
 * The per-customer summary the probabilistic models are fitted on, as the Python package lifetimes
 * defines it (utils.summary_data_from_transaction_data with freq 'D'; weeks are its
 * freq_multiplier = 7, i.e. days / 7, not calendar weeks):
 * - purchases on the same day count once (their amounts summed);
 * - frequency x = number of repeat purchase days (purchase days after the first one);
 * - recency t_x = first to last purchase day, in `unit`;
 * - T = first purchase day to the end of observation, in `unit`;
 * - monetary = mean value of the repeat purchase days, 0 without any (the first day is left out).
 * Transactions after the end of observation are ignored; customers whose first purchase is after
 * it are left out. One deviation, stated in the result: refund rows (amount < 0) are not purchases
 * (lifetimes would count a refund day as a purchase day), and how many were ignored is reported.
 */
import { EpochDays } from '../dates';
import { fromMinorUnits } from '../money';
import { Transactions } from '../transactions';
import { engineError } from '../errors';

export type TimeUnit = 'days' | 'weeks';

export const DAYS_PER_UNIT: Readonly<Record<TimeUnit, number>> = { days: 1, weeks: 7 };

/** A duration or point in time measured in the summary's (and the fitted model's) TimeUnit. */
export type TimeInUnit = number;

export interface CustomerSummary {
  /** Unit of recency and age (T), and of every model fitted on this summary. */
  unit: TimeUnit;
  /** Last day of observation (inclusive), epoch days: the calibration end or as-of date. */
  observationEnd: EpochDays;
  customerIds: string[];
  /** Repeat purchase days (x). */
  frequency: Float64Array;
  /** First to last purchase day, in `unit` (t_x). */
  recency: Float64Array;
  /** First purchase day to the end of observation, in `unit` (T). */
  age: Float64Array;
  /** Mean value of the repeat purchase days, in major currency units (0 without repeat purchases). */
  monetary: Float64Array;
  /** Refund rows (amount < 0) up to the end of observation, not counted as purchases. */
  refundRowsIgnored: number;
}

/** The days of one customer's purchases, in a flat sorted layout (see `purchaseDaysByCustomer`). */
interface PurchaseDays {
  /** Customers with at least one purchase row up to the end, in first-seen order (indexes into tx.customerIds). */
  customers: Int32Array;
  /** Per customer k: its distinct purchase days are days[start[k] .. start[k + 1]), ascending. */
  start: Int32Array;
  days: Int32Array;
  /** Amount bought on each of those days, minor units (same-day rows summed). */
  dayAmountsMinor: Float64Array;
  refundRows: number;
}

/**
 * Distinct purchase days per customer with the amount of each day, in O(rows + days spanned):
 * a radix sort of the purchase rows, first by day, then (stably) by customer.
 */
function purchaseDaysByCustomer(tx: Transactions, fromDay: EpochDays, toDay: EpochDays): PurchaseDays {
  const rows = tx.dates.length;
  const customerCount = tx.customerIds.length;
  let refundRows = 0;
  let purchaseRows = 0;
  let minDay = Infinity;
  let maxDay = -Infinity;
  for (let i = 0; i < rows; i++) {
    const day = tx.dates[i];
    if (day < fromDay || day > toDay) continue;
    if (tx.amountsMinor[i] < 0) {
      refundRows++;
      continue;
    }
    purchaseRows++;
    if (day < minDay) minDay = day;
    if (day > maxDay) maxDay = day;
  }
  const isPurchase = (i: number) => tx.dates[i] >= fromDay && tx.dates[i] <= toDay && tx.amountsMinor[i] >= 0;
  const byDay = new Int32Array(purchaseRows);
  if (purchaseRows > 0) {
    const dayStarts = new Int32Array(maxDay - minDay + 2);
    for (let i = 0; i < rows; i++) if (isPurchase(i)) dayStarts[tx.dates[i] - minDay + 1]++;
    for (let d = 1; d < dayStarts.length; d++) dayStarts[d] += dayStarts[d - 1];
    for (let i = 0; i < rows; i++) if (isPurchase(i)) byDay[dayStarts[tx.dates[i] - minDay]++] = i;
  }
  const customerStarts = new Int32Array(customerCount + 1);
  for (let j = 0; j < purchaseRows; j++) customerStarts[tx.customerIndex[byDay[j]] + 1]++;
  for (let c = 0; c < customerCount; c++) customerStarts[c + 1] += customerStarts[c];
  const order = new Int32Array(purchaseRows);
  const fill = customerStarts.slice(0, customerCount);
  for (let j = 0; j < purchaseRows; j++) order[fill[tx.customerIndex[byDay[j]]]++] = byDay[j]; // stable: days stay ascending
  const customers: number[] = [];
  const start: number[] = [];
  const days = new Int32Array(purchaseRows);
  const dayAmountsMinor = new Float64Array(purchaseRows);
  let d = 0;
  for (let c = 0; c < customerCount; c++) {
    const from = customerStarts[c];
    const to = customerStarts[c + 1];
    if (from === to) continue;
    customers.push(c);
    start.push(d);
    for (let j = from; j < to; j++) {
      const row = order[j];
      if (j > from && tx.dates[row] === days[d - 1]) {
        dayAmountsMinor[d - 1] += tx.amountsMinor[row]; // same day: one purchase, amounts summed
      } else {
        days[d] = tx.dates[row];
        dayAmountsMinor[d] = tx.amountsMinor[row];
        d++;
      }
    }
  }
  start.push(d);
  return { customers: Int32Array.from(customers), start: Int32Array.from(start), days: days.subarray(0, d), dayAmountsMinor: dayAmountsMinor.subarray(0, d), refundRows };
}

/**
 * Summarises transactions up to `observationEnd` (inclusive) in `unit`. `minorDigits` converts the
 * integer minor units back to currency (2: cents).
 */
export function summariseTransactions(tx: Transactions, observationEnd: EpochDays, unit: TimeUnit = 'days', minorDigits = 2): CustomerSummary {
  const purchases = purchaseDaysByCustomer(tx, -Infinity, observationEnd);
  const n = purchases.customers.length;
  const perUnit = DAYS_PER_UNIT[unit];
  const frequency = new Float64Array(n);
  const recency = new Float64Array(n);
  const age = new Float64Array(n);
  const monetary = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const first = purchases.start[k];
    const end = purchases.start[k + 1];
    const repeatDays = end - first - 1;
    let repeatMinor = 0;
    for (let d = first + 1; d < end; d++) repeatMinor += purchases.dayAmountsMinor[d];
    frequency[k] = repeatDays;
    recency[k] = (purchases.days[end - 1] - purchases.days[first]) / perUnit;
    age[k] = (observationEnd - purchases.days[first]) / perUnit;
    monetary[k] = repeatDays > 0 ? fromMinorUnits(repeatMinor, minorDigits) / repeatDays : 0;
  }
  return {
    unit,
    observationEnd,
    customerIds: Array.from(purchases.customers, (c) => tx.customerIds[c]),
    frequency,
    recency,
    age,
    monetary,
    refundRowsIgnored: purchases.refundRows,
  };
}

export interface CalibrationHoldoutSummary {
  /** The summary up to and including `calibration.observationEnd`. */
  calibration: CustomerSummary;
  /** Last day of the holdout period (inclusive), epoch days. */
  holdoutEnd: EpochDays;
  /** Holdout length in the summary's unit: (holdout end - calibration end) / days per unit. */
  holdoutLength: number;
  /** Per calibration customer: purchase days in the holdout period (all are repeat purchases). */
  frequencyHoldout: Float64Array;
  /** Per calibration customer: mean value of the holdout purchase days (major units), 0 without any. */
  monetaryHoldout: Float64Array;
}

/**
 * lifetimes.utils.calibration_and_holdout_data: the calibration summary up to `calibrationEnd`,
 * then each of those customers' purchase days (and their mean value) from the day after
 * `calibrationEnd` to `holdoutEnd`. Customers first seen in the holdout are not part of it.
 */
export function calibrationAndHoldout(tx: Transactions, calibrationEnd: EpochDays, holdoutEnd: EpochDays, unit: TimeUnit = 'days', minorDigits = 2): CalibrationHoldoutSummary {
  if (!(holdoutEnd > calibrationEnd)) {
    throw engineError('holdout.beforeCalibration', { calibrationEnd, holdoutEnd });
  }
  const calibration = summariseTransactions(tx, calibrationEnd, unit, minorDigits);
  const holdout = purchaseDaysByCustomer(tx, calibrationEnd + 1, holdoutEnd);
  const summaryIndexOfCustomer = new Int32Array(tx.customerIds.length).fill(-1);
  const ids = new Map(calibration.customerIds.map((id, i) => [id, i]));
  tx.customerIds.forEach((id, c) => (summaryIndexOfCustomer[c] = ids.get(id) ?? -1));
  const n = calibration.customerIds.length;
  const frequencyHoldout = new Float64Array(n);
  const monetaryHoldout = new Float64Array(n);
  for (let k = 0; k < holdout.customers.length; k++) {
    const i = summaryIndexOfCustomer[holdout.customers[k]];
    if (i < 0) continue; // first bought in the holdout
    const days = holdout.start[k + 1] - holdout.start[k];
    let totalMinor = 0;
    for (let d = holdout.start[k]; d < holdout.start[k + 1]; d++) totalMinor += holdout.dayAmountsMinor[d];
    frequencyHoldout[i] = days;
    monetaryHoldout[i] = fromMinorUnits(totalMinor, minorDigits) / days;
  }
  return { calibration, holdoutEnd, holdoutLength: (holdoutEnd - calibrationEnd) / DAYS_PER_UNIT[unit], frequencyHoldout, monetaryHoldout };
}
