/**
 * The measures `rfmMeasures` (./rfm) computes, built from rows handed over batch by batch (a file
 * read as a stream), in memory proportional to customers instead of rows. The caller numbers
 * customers in first-seen order and, when frequency counts orders, counts each customer's distinct
 * orders among the rows `countsAsPurchase` accepts (a set of (customer, order) pairs, which it can
 * keep as it likes). The result is the same, customer for customer, as rfmMeasures on all rows.
 */
import { engineError } from './errors';
import type { EpochDays } from './dates';
import type { RfmMeasures } from './rfm';
import { grownArray } from './typed-arrays';

const NO_DAY = -2147483648;

/** One batch of rows: per row, the customer's number, the day and the amount. */
export interface RfmRowBatch {
  customers: Int32Array;
  dates: Int32Array;
  amountsMinor: Float64Array;
  /** Rows used from the arrays (they may be longer). */
  count: number;
}

export interface StreamedRfmMeasures {
  asOf: EpochDays;
  measures: RfmMeasures;
  rowsAfterAsOf: number;
  customersWithoutPurchase: number;
}

/** Whether a row's order counts in frequency: a purchase (amount above 0) up to the as-of date, which without a date is every purchase. */
export function countsAsPurchase(day: EpochDays, amountMinor: number, asOf: EpochDays | undefined): boolean {
  return amountMinor > 0 && (asOf === undefined || day <= asOf);
}

export class RfmMeasuresAccumulator {
  private lastPurchase: Int32Array = new Int32Array(1024).fill(NO_DAY);
  private purchaseRows: Int32Array = new Int32Array(1024);
  private monetaryMinor: Float64Array = new Float64Array(1024);
  private latestPurchase = NO_DAY;
  private latestAny = NO_DAY;
  private rowsAfterAsOf = 0;
  private anyRows = false;
  /** Without an as-of date: rows that are not purchases dated after the latest purchase so far (customer, day, amount), the only rows the final as-of date can leave out. */
  private late = { customers: [] as number[], days: [] as number[], amounts: [] as number[] };
  private lateKeptAtPrune = 0;

  /** `asOf` undefined: the latest purchase date of all the rows, as computeRfm defaults it. */
  constructor(private readonly asOf: EpochDays | undefined) {}

  add(batch: RfmRowBatch): void {
    const { customers, dates, amountsMinor, count } = batch;
    const asOf = this.asOf ?? 2147483647;
    let maxCustomer = -1;
    for (let i = 0; i < count; i++) if (customers[i] > maxCustomer) maxCustomer = customers[i];
    this.lastPurchase = grownArray(this.lastPurchase, maxCustomer + 1, NO_DAY);
    this.purchaseRows = grownArray(this.purchaseRows, maxCustomer + 1);
    this.monetaryMinor = grownArray(this.monetaryMinor, maxCustomer + 1);
    if (count > 0) this.anyRows = true;
    const { lastPurchase, purchaseRows, monetaryMinor } = this;
    for (let i = 0; i < count; i++) {
      const day = dates[i];
      if (day > asOf) {
        this.rowsAfterAsOf++;
        continue;
      }
      const c = customers[i];
      const amount = amountsMinor[i];
      monetaryMinor[c] += amount;
      if (day > this.latestAny) this.latestAny = day;
      if (amount > 0) {
        if (day > lastPurchase[c]) lastPurchase[c] = day;
        if (day > this.latestPurchase) this.latestPurchase = day;
        purchaseRows[c]++;
      } else if (this.asOf === undefined && day > this.latestPurchase) {
        this.late.customers.push(c);
        this.late.days.push(day);
        this.late.amounts.push(amount);
      }
    }
    if (this.late.days.length > 2 * this.lateKeptAtPrune + 4096) this.pruneLate();
  }

  /** Drops late rows the latest purchase has since caught up with. */
  private pruneLate(): void {
    const { customers, days, amounts } = this.late;
    let kept = 0;
    for (let k = 0; k < days.length; k++) {
      if (days[k] <= this.latestPurchase) continue;
      customers[kept] = customers[k];
      days[kept] = days[k];
      amounts[kept] = amounts[k];
      kept++;
    }
    customers.length = days.length = amounts.length = kept;
    this.lateKeptAtPrune = kept;
  }

  /**
   * The measures of every customer with a purchase up to the as-of date; `customerIds[c]` is
   * customer c's id. Frequency is `distinctOrders[c]` when given (its distinct orders among the
   * rows countsAsPurchase accepted), else its purchase rows.
   */
  finish(customerIds: readonly string[], distinctOrders?: Int32Array): StreamedRfmMeasures {
    if (!this.anyRows) throw engineError('rfm.noTransactions');
    const asOf = this.asOf ?? (this.latestPurchase !== NO_DAY ? this.latestPurchase : this.latestAny);
    const { lastPurchase, monetaryMinor } = this;
    const customerCount = customerIds.length;
    const { customers, days, amounts } = this.late;
    for (let k = 0; k < days.length; k++) {
      if (days[k] <= asOf) continue;
      monetaryMinor[customers[k]] -= amounts[k]; // integers in doubles: exact, as if never added
      this.rowsAfterAsOf++;
    }
    const frequency = new Int32Array(customerCount);
    frequency.set((distinctOrders ?? this.purchaseRows).subarray(0, customerCount));
    let kept = 0;
    for (let c = 0; c < customerCount; c++) if (c < lastPurchase.length && lastPurchase[c] !== NO_DAY) kept++;
    const measures: RfmMeasures = { customerIds: new Array<string>(kept), recencyDays: new Int32Array(kept), frequency: new Int32Array(kept), monetaryMinor: new Float64Array(kept) };
    for (let c = 0, k = 0; c < customerCount; c++) {
      if (c >= lastPurchase.length || lastPurchase[c] === NO_DAY) continue;
      measures.customerIds[k] = customerIds[c];
      measures.recencyDays[k] = asOf - lastPurchase[c];
      measures.frequency[k] = frequency[c];
      measures.monetaryMinor[k] = monetaryMinor[c];
      k++;
    }
    return { asOf, measures, rowsAfterAsOf: this.rowsAfterAsOf, customersWithoutPurchase: customerCount - kept };
  }
}
