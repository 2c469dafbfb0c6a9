/**
 * The measures `rfmMeasures` (./rfm) computes, built from rows handed over batch by batch (a file
 * read as a stream), in memory proportional to customers, plus distinct (customer, order) pairs
 * when orders are counted, instead of rows. The caller numbers customers and pairs in first-seen
 * order; the result is the same, customer for customer, as rfmMeasures on all the rows at once.
 */
import { engineError } from './errors';
import type { EpochDays } from './dates';
import type { RfmMeasures } from './rfm';

const NO_DAY = -2147483648;

/** One batch of rows: per row, the customer's number, the day, the amount and (when orders are counted) the (customer, order) pair's number. */
export interface RfmRowBatch {
  customers: Int32Array;
  dates: Int32Array;
  amountsMinor: Float64Array;
  pairs?: Int32Array;
  /** Rows used from the arrays (they may be longer). */
  count: number;
}

export interface StreamedRfmMeasures {
  asOf: EpochDays;
  measures: RfmMeasures;
  rowsAfterAsOf: number;
  customersWithoutPurchase: number;
}

function grownInt(array: Int32Array, size: number, fill: number): Int32Array {
  if (size <= array.length) return array;
  const next = new Int32Array(Math.max(size, array.length * 2)).fill(fill);
  next.set(array);
  return next;
}

function grownFloat(array: Float64Array, size: number): Float64Array {
  if (size <= array.length) return array;
  const next = new Float64Array(Math.max(size, array.length * 2));
  next.set(array);
  return next;
}

export class RfmMeasuresAccumulator {
  private lastPurchase: Int32Array = new Int32Array(1024).fill(NO_DAY);
  private purchaseRows: Int32Array = new Int32Array(1024);
  private monetaryMinor: Float64Array = new Float64Array(1024);
  private pairCustomer: Int32Array = new Int32Array(1024).fill(-1);
  /** Per pair: the first day of its purchase rows. */
  private pairFirstDay: Int32Array = new Int32Array(1024).fill(NO_DAY);
  private latestPurchase = NO_DAY;
  private latestAny = NO_DAY;
  private rowsAfterAsOf = 0;
  private anyRows = false;
  /** Without an as-of date: rows that are not purchases dated after the latest purchase so far (customer, day, amount), the only rows the final as-of date can leave out. */
  private late = { customers: [] as number[], days: [] as number[], amounts: [] as number[] };
  private lateKeptAtPrune = 0;

  /**
   * `asOf` undefined: the latest purchase date of all the rows, as computeRfm defaults it.
   * `countsOrders`: frequency is distinct orders (every batch then carries pairs), else purchase rows.
   */
  constructor(
    private readonly asOf: EpochDays | undefined,
    private readonly countsOrders: boolean,
  ) {}

  add(batch: RfmRowBatch): void {
    const { customers, dates, amountsMinor, pairs, count } = batch;
    if (this.countsOrders !== (pairs !== undefined)) throw new Error('a batch must carry order pairs exactly when orders are counted');
    const asOf = this.asOf ?? 2147483647;
    let maxCustomer = -1;
    let maxPair = -1;
    for (let i = 0; i < count; i++) {
      if (customers[i] > maxCustomer) maxCustomer = customers[i];
      if (pairs && pairs[i] > maxPair) maxPair = pairs[i];
    }
    this.lastPurchase = grownInt(this.lastPurchase, maxCustomer + 1, NO_DAY);
    this.purchaseRows = grownInt(this.purchaseRows, maxCustomer + 1, 0);
    this.monetaryMinor = grownFloat(this.monetaryMinor, maxCustomer + 1);
    if (pairs) {
      this.pairCustomer = grownInt(this.pairCustomer, maxPair + 1, -1);
      this.pairFirstDay = grownInt(this.pairFirstDay, maxPair + 1, NO_DAY);
    }
    if (count > 0) this.anyRows = true;
    const { lastPurchase, purchaseRows, monetaryMinor, pairCustomer, pairFirstDay } = this;
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
        if (pairs) {
          const p = pairs[i];
          pairCustomer[p] = c;
          if (pairFirstDay[p] === NO_DAY || day < pairFirstDay[p]) pairFirstDay[p] = day;
        }
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

  /** The measures of every customer with a purchase up to the as-of date; `customerIds[c]` is customer c's id. */
  finish(customerIds: readonly string[]): StreamedRfmMeasures {
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
    const frequency = this.countFrequency(customerCount, asOf);
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

  /** Purchase rows per customer, or with pairs its distinct orders bought up to `asOf`. */
  private countFrequency(customerCount: number, asOf: EpochDays): Int32Array {
    const frequency = new Int32Array(customerCount);
    if (!this.countsOrders) {
      frequency.set(this.purchaseRows.subarray(0, customerCount));
      return frequency;
    }
    for (let p = 0; p < this.pairCustomer.length; p++) {
      if (this.pairCustomer[p] >= 0 && this.pairFirstDay[p] <= asOf) frequency[this.pairCustomer[p]]++;
    }
    return frequency;
  }
}
