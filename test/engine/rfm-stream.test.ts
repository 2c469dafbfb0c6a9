/** The streamed RFM measures equal rfmMeasures on the same rows, whatever the batches. */
import fc from 'fast-check';
import { latestPurchaseDate, rfmMeasures } from '../../src/engine/rfm';
import { countsAsPurchase, RfmMeasuresAccumulator } from '../../src/engine/rfm-stream';
import { Transactions } from '../../src/engine/transactions';

interface Row {
  customer: number;
  day: number;
  amountMinor: number;
  order: number;
}

function transactionsOf(rows: Row[], withOrders: boolean): Transactions {
  const ids = new Map<number, number>();
  const customerIndex = Int32Array.from(rows, (r) => ids.get(r.customer) ?? (ids.set(r.customer, ids.size), ids.size - 1));
  return {
    customerIds: [...ids.keys()].map((c) => `C${c}`),
    customerIndex,
    dates: Int32Array.from(rows, (r) => r.day),
    amountsMinor: Float64Array.from(rows, (r) => r.amountMinor),
    sourceRows: Int32Array.from(rows, (_, i) => i + 2),
    skipped: [],
    ...(withOrders ? { orderIndex: Int32Array.from(rows, (r) => r.order) } : {}),
  };
}

/** Feeds the rows in batches cut at `cuts`, counting distinct (customer, order) pairs of the rows the accumulator counts. */
function streamed(tx: Transactions, asOf: number | undefined, cuts: number[]) {
  const accumulator = new RfmMeasuresAccumulator(asOf);
  const pairs = new Set<string>();
  const distinctOrders = new Int32Array(tx.customerIds.length);
  const bounds = [0, ...cuts.filter((c) => c < tx.dates.length).sort((a, b) => a - b), tx.dates.length];
  for (let b = 0; b + 1 < bounds.length; b++) {
    const [from, to] = [bounds[b], bounds[b + 1]];
    for (let i = from; i < to && tx.orderIndex; i++) {
      const key = `${tx.customerIndex[i]}|${tx.orderIndex[i]}`;
      if (!countsAsPurchase(tx.dates[i], tx.amountsMinor[i], asOf) || pairs.has(key)) continue;
      pairs.add(key);
      distinctOrders[tx.customerIndex[i]]++;
    }
    accumulator.add({ customers: tx.customerIndex.slice(from, to), dates: tx.dates.slice(from, to), amountsMinor: tx.amountsMinor.slice(from, to), count: to - from });
  }
  return accumulator.finish(tx.customerIds, tx.orderIndex ? distinctOrders : undefined);
}

const rowArbitrary = fc.record({
  customer: fc.integer({ min: 0, max: 12 }),
  day: fc.integer({ min: 20000, max: 20060 }),
  amountMinor: fc.oneof(fc.integer({ min: -5000, max: 20000 }), fc.constant(0)),
  order: fc.integer({ min: 0, max: 25 }), // few order ids: shared across customers and repeated
});

test('streamed measures equal rfmMeasures, with and without orders, with and without an as-of date', () => {
  fc.assert(
    fc.property(
      fc.array(rowArbitrary, { minLength: 1, maxLength: 120 }),
      fc.boolean(),
      fc.option(fc.integer({ min: 20010, max: 20070 }), { nil: undefined }),
      fc.array(fc.integer({ min: 0, max: 120 }), { maxLength: 6 }),
      (rows, withOrders, asOf, cuts) => {
        const tx = transactionsOf(rows, withOrders);
        const expectedAsOf = asOf ?? latestPurchaseDate(tx);
        const expected = rfmMeasures(tx, expectedAsOf);
        const actual = streamed(tx, asOf, cuts);
        expect(actual.asOf).toBe(expectedAsOf);
        expect(actual.rowsAfterAsOf).toBe(expected.rowsAfterAsOf);
        expect(actual.customersWithoutPurchase).toBe(expected.customersWithoutPurchase);
        expect(actual.measures.customerIds).toEqual(expected.measures.customerIds);
        expect(Array.from(actual.measures.recencyDays)).toEqual(Array.from(expected.measures.recencyDays));
        expect(Array.from(actual.measures.frequency)).toEqual(Array.from(expected.measures.frequency));
        expect(Array.from(actual.measures.monetaryMinor)).toEqual(Array.from(expected.measures.monetaryMinor));
      },
    ),
    { numRuns: 400 },
  );
});

test('a hand-checked case: a refund after the last purchase is left out when the as-of date defaults', () => {
  // C1 buys on day 100 (order A, two lines) and 105 (order B); C2 buys on 103 and is refunded on 110.
  const tx = transactionsOf(
    [
      { customer: 1, day: 100, amountMinor: 1000, order: 1 },
      { customer: 1, day: 100, amountMinor: 500, order: 1 },
      { customer: 2, day: 103, amountMinor: 2000, order: 2 },
      { customer: 1, day: 105, amountMinor: 700, order: 3 },
      { customer: 2, day: 110, amountMinor: -2000, order: 4 },
    ],
    true,
  );
  const result = streamed(tx, undefined, [2, 4]);
  expect(result.asOf).toBe(105);
  expect(result.rowsAfterAsOf).toBe(1);
  expect(result.measures.customerIds).toEqual(['C1', 'C2']);
  expect(Array.from(result.measures.recencyDays)).toEqual([0, 2]);
  expect(Array.from(result.measures.frequency)).toEqual([2, 1]);
  expect(Array.from(result.measures.monetaryMinor)).toEqual([2200, 2000]);
});

test('no rows at all is the engine error of computeRfm', () => {
  expect(() => new RfmMeasuresAccumulator(undefined).finish([])).toThrow('no transactions');
});

test('many late refunds (the pruned list) give the same measures as rfmMeasures', () => {
  // Refunds run ahead of the purchases, so the late list grows past its pruning point several times.
  const rows: Row[] = [];
  for (let k = 0; k < 30_000; k++) {
    rows.push({ customer: k % 97, day: 20000 + Math.floor(k / 10), amountMinor: 1000 + (k % 13), order: k });
    rows.push({ customer: (k * 7) % 101, day: 20000 + Math.floor(k / 5) + 400, amountMinor: -(k % 17), order: k + 1_000_000 });
  }
  const tx = transactionsOf(rows, false);
  const expected = rfmMeasures(tx, latestPurchaseDate(tx));
  const actual = streamed(tx, undefined, Array.from({ length: 59 }, (_, b) => (b + 1) * 1000));
  expect(actual.rowsAfterAsOf).toBe(expected.rowsAfterAsOf);
  expect(actual.rowsAfterAsOf).toBeGreaterThan(10_000);
  expect(Array.from(actual.measures.monetaryMinor)).toEqual(Array.from(expected.measures.monetaryMinor));
  expect(Array.from(actual.measures.frequency)).toEqual(Array.from(expected.measures.frequency));
});
