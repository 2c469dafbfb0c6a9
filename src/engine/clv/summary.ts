/**
 * The per-customer summary the probabilistic models are fitted on, exactly as the Python package
 * lifetimes defines it (utils.summary_data_from_transaction_data): purchases on the same day count
 * once (their amounts summed); frequency = repeat purchase days; recency = days from the first to
 * the last purchase; T = days from the first purchase to the end of the observation period;
 * monetary = mean value of the repeat purchase days (0 without any). Times are in `unit`.
 */
import { EpochDays } from '../dates';
import { Transactions } from '../transactions';

export type TimeUnit = 'days' | 'weeks';

export const DAYS_PER_UNIT: Readonly<Record<TimeUnit, number>> = { days: 1, weeks: 7 };

export interface CustomerSummary {
  unit: TimeUnit;
  observationEnd: EpochDays;
  customerIds: string[];
  /** Repeat purchase days (x). */
  frequency: Float64Array;
  /** First to last purchase, in `unit` (t_x). */
  recency: Float64Array;
  /** First purchase to the end of observation, in `unit` (T). */
  age: Float64Array;
  /** Mean value of the repeat purchase days, in major units. */
  monetary: Float64Array;
}

/**
 * Summarises transactions up to `observationEnd` (inclusive). Customers whose first purchase is after
 * it are left out; refund rows (amount < 0) are not purchases.
 */
export function summariseTransactions(tx: Transactions, observationEnd: EpochDays, unit: TimeUnit = 'days', minorDigits = 2): CustomerSummary {
  // Sort purchase rows by (customer, day) so each customer's days are consecutive.
  const rows: number[] = [];
  // As in lifetimes, every transaction row is a purchase, zero-value ones included; refunds (negative) are not.
  for (let i = 0; i < tx.dates.length; i++) if (tx.amountsMinor[i] >= 0 && tx.dates[i] <= observationEnd) rows.push(i);
  rows.sort((i, j) => tx.customerIndex[i] - tx.customerIndex[j] || tx.dates[i] - tx.dates[j]);
  const perUnit = DAYS_PER_UNIT[unit];
  const scale = 10 ** minorDigits;
  const ids: string[] = [];
  const frequency: number[] = [];
  const recency: number[] = [];
  const age: number[] = [];
  const monetary: number[] = [];
  for (let k = 0; k < rows.length; ) {
    const customer = tx.customerIndex[rows[k]];
    const first = tx.dates[rows[k]];
    let last = first;
    let repeatDays = 0;
    let repeatSum = 0;
    let dayTotal = 0;
    let day = first;
    for (; k < rows.length && tx.customerIndex[rows[k]] === customer; k++) {
      const d = tx.dates[rows[k]];
      if (d !== day) {
        if (day !== first) repeatSum += dayTotal;
        day = d;
        dayTotal = 0;
        repeatDays++;
        last = d;
      }
      dayTotal += tx.amountsMinor[rows[k]];
    }
    if (day !== first) repeatSum += dayTotal;
    ids.push(tx.customerIds[customer]);
    frequency.push(repeatDays);
    recency.push((last - first) / perUnit);
    age.push((observationEnd - first) / perUnit);
    monetary.push(repeatDays > 0 ? repeatSum / repeatDays / scale : 0);
  }
  return {
    unit,
    observationEnd,
    customerIds: ids,
    frequency: Float64Array.from(frequency),
    recency: Float64Array.from(recency),
    age: Float64Array.from(age),
    monetary: Float64Array.from(monetary),
  };
}
