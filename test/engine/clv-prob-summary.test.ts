/**
 * The lifetimes-style customer summary (frequency, recency, T, monetary) and the calibration /
 * holdout split, on hand-checked data, on random data against a naive reference, and on CDNOW.
 */
import fc from 'fast-check';
import { calibrationAndHoldout, summariseTransactions } from '../../src/engine/clv';
import { epochDaysFromCivil } from '../../src/engine/dates';
import { seededRandom } from '../../src/engine/random';
import { readTransactionColumns, Transactions } from '../../src/engine/transactions';
import { cdnowSummaryWithSpend, cdnowTransactions, CDNOW_CALIBRATION_END, CDNOW_DATA_END } from '../fixtures/cdnow/cdnow';

const day = (iso: string) => epochDaysFromCivil(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10)));

/** Transactions from (customer, ISO date, amount) rows. */
function transactions(rows: [string, string, number][]): Transactions {
  return readTransactionColumns({ customers: rows.map((r) => r[0]), dates: rows.map((r) => r[1]), amounts: rows.map((r) => r[2]) });
}

const handExample: [string, string, number][] = [
  ['A', '2024-01-01', 10],
  ['A', '2024-01-01', 5], // same day as the first purchase: one purchase of 15
  ['B', '2024-01-10', 40],
  ['A', '2024-01-20', 30], // out of date order on purpose
  ['A', '2024-01-05', 20],
  ['A', '2024-01-21', -5], // a refund: not a purchase
  ['C', '2024-02-03', 99], // first purchase after the end: not in the summary
  ['A', '2024-02-02', 70], // after the end: ignored
];

describe('summariseTransactions, hand-checked', () => {
  it('counts purchase days, measures recency and T, and averages the repeat days', () => {
    const s = summariseTransactions(transactions(handExample), day('2024-01-31'), 'days');
    expect(s.unit).toBe('days');
    expect(s.customerIds).toEqual(['A', 'B']);
    // A: purchase days Jan 1, 5, 20 -> x = 2; t_x = 20 - 1 = 19 days; T = 31 - 1 = 30 days;
    // monetary = (20 + 30) / 2 = 25 (the first day's 15 is left out, the refund is not a purchase).
    // B: one purchase on Jan 10 -> x = 0, t_x = 0, T = 31 - 10 = 21 days, monetary 0.
    expect(Array.from(s.frequency)).toEqual([2, 0]);
    expect(Array.from(s.recency)).toEqual([19, 0]);
    expect(Array.from(s.age)).toEqual([30, 21]);
    expect(Array.from(s.monetary)).toEqual([25, 0]);
    expect(s.refundRowsIgnored).toBe(1);
  });

  it('in weeks divides the days by 7 (lifetimes freq "D" with freq_multiplier 7, not calendar weeks)', () => {
    const s = summariseTransactions(transactions(handExample), day('2024-01-31'), 'weeks');
    expect(s.unit).toBe('weeks');
    expect(Array.from(s.recency)).toEqual([19 / 7, 0]);
    expect(Array.from(s.age)).toEqual([30 / 7, 21 / 7]);
    expect(Array.from(s.frequency)).toEqual([2, 0]); // purchase days, not purchase weeks
  });

  it('sums same-day amounts of a repeat day before averaging', () => {
    const s = summariseTransactions(
      transactions([
        ['A', '2024-03-01', 1],
        ['A', '2024-03-02', 10],
        ['A', '2024-03-02', 20],
        ['A', '2024-03-04', 6],
      ]),
      day('2024-03-04'),
    );
    // repeat days: Mar 2 (10 + 20 = 30) and Mar 4 (6): monetary (30 + 6) / 2 = 18, not (10 + 20 + 6) / 3 = 12.
    expect(s.monetary[0]).toBe(18);
    expect(s.frequency[0]).toBe(2);
    expect(s.age[0]).toBe(3);
  });
});

/** The definition written out plainly, for comparison on random data. */
function naiveSummary(rows: [string, number, number][], end: number) {
  const byCustomer = new Map<string, Map<number, number>>();
  for (const [customer, d, amount] of rows) {
    if (d > end || amount < 0) continue;
    const days = byCustomer.get(customer) ?? new Map<number, number>();
    days.set(d, (days.get(d) ?? 0) + amount);
    byCustomer.set(customer, days);
  }
  return new Map(
    [...byCustomer].map(([customer, days]) => {
      const sorted = [...days.keys()].sort((u, v) => u - v);
      const repeat = sorted.slice(1).map((d) => days.get(d)!);
      return [customer, { frequency: sorted.length - 1, recency: sorted[sorted.length - 1] - sorted[0], age: end - sorted[0], monetary: repeat.length ? repeat.reduce((s, v) => s + v, 0) / repeat.length / 100 : 0 }];
    }),
  );
}

const randomRows = fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), fc.integer({ min: 19000, max: 19060 }), fc.integer({ min: -500, max: 5000 })), { minLength: 1, maxLength: 60 });

function fromEpochRows(rows: [string, number, number][]): Transactions {
  // amounts in cents, as the engine keeps them; dates as epoch days
  return {
    customerIds: [...new Set(rows.map((r) => r[0]))],
    customerIndex: Int32Array.from(rows, (r) => [...new Set(rows.map((q) => q[0]))].indexOf(r[0])),
    dates: Int32Array.from(rows, (r) => r[1]),
    amountsMinor: Float64Array.from(rows, (r) => r[2]),
    sourceRows: Int32Array.from(rows, (_, i) => i + 2),
    skipped: [],
  };
}

describe('summariseTransactions, properties', () => {
  it('equals the plain definition on random data, in any row order', () => {
    fc.assert(
      fc.property(randomRows, fc.integer({ min: 19000, max: 19070 }), (rows, end) => {
        const s = summariseTransactions(fromEpochRows(rows), end, 'days');
        const expected = naiveSummary(rows, end);
        expect(s.customerIds.length).toBe(expected.size);
        s.customerIds.forEach((id, i) => {
          const e = expected.get(id)!;
          expect([s.frequency[i], s.recency[i], s.age[i]]).toEqual([e.frequency, e.recency, e.age]);
          expect(s.monetary[i]).toBeCloseTo(e.monetary, 10);
        });
        const reversed = summariseTransactions(fromEpochRows([...rows].reverse()), end, 'days');
        const order = new Map(reversed.customerIds.map((id, i) => [id, i]));
        s.customerIds.forEach((id, i) => {
          const j = order.get(id)!;
          expect([reversed.frequency[j], reversed.recency[j], reversed.age[j]]).toEqual([s.frequency[i], s.recency[i], s.age[i]]);
          expect(reversed.monetary[j]).toBeCloseTo(s.monetary[i], 10);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('keeps 0 <= recency <= T, and weeks are days / 7', () => {
    fc.assert(
      fc.property(randomRows, fc.integer({ min: 19000, max: 19070 }), (rows, end) => {
        const days = summariseTransactions(fromEpochRows(rows), end, 'days');
        const weeks = summariseTransactions(fromEpochRows(rows), end, 'weeks');
        days.customerIds.forEach((_, i) => {
          expect(days.recency[i]).toBeGreaterThanOrEqual(0);
          expect(days.recency[i]).toBeLessThanOrEqual(days.age[i]);
          expect(weeks.recency[i]).toBe(days.recency[i] / 7);
          expect(weeks.age[i]).toBe(days.age[i] / 7);
          expect(weeks.frequency[i]).toBe(days.frequency[i]);
        });
      }),
    );
  });
});

describe('CDNOW: summary from CDNOW_sample.txt', () => {
  it('equals cdnow_customers_summary_with_transactions.csv (x, t_x, T, zbar to 2 decimals) for all 2,357 customers', () => {
    const summary = summariseTransactions(cdnowTransactions(), CDNOW_CALIBRATION_END, 'weeks');
    const published = cdnowSummaryWithSpend();
    expect(summary.customerIds).toHaveLength(2357);
    expect(summary.refundRowsIgnored).toBe(0);
    const index = new Map(summary.customerIds.map((id, i) => [id, i]));
    const mismatches: string[] = [];
    published.id.forEach((id, k) => {
      const i = index.get(String(id))!;
      const round2 = (v: number) => Math.round(v * 100 + 1e-9) / 100;
      const ours = [summary.frequency[i], round2(summary.recency[i]), round2(summary.age[i]), round2(summary.monetary[i])];
      const theirs = [published.frequency[k], published.recency[k], published.age[k], published.monetary[k]];
      if (ours.some((v, j) => Math.abs(v - theirs[j]) > 1e-9)) mismatches.push(`${id}: ${ours} vs ${theirs}`);
    });
    expect(mismatches).toEqual([]);
  });
});

describe('calibrationAndHoldout', () => {
  it('splits a hand example: calibration summary, then purchase days and their mean in the holdout', () => {
    const split = calibrationAndHoldout(
      transactions([
        ['A', '2024-01-01', 10],
        ['A', '2024-01-10', 20],
        ['A', '2024-02-05', 30],
        ['A', '2024-02-05', 12], // same holdout day: one purchase of 42
        ['A', '2024-02-20', 8],
        ['B', '2024-01-25', 5],
        ['C', '2024-02-10', 50], // first seen in the holdout: not part of it
      ]),
      day('2024-01-31'),
      day('2024-02-29'),
      'days',
    );
    expect(split.calibration.customerIds).toEqual(['A', 'B']);
    expect(Array.from(split.calibration.frequency)).toEqual([1, 0]);
    expect(split.holdoutLength).toBe(29); // Feb 1..29
    // A: holdout days Feb 5 (42) and Feb 20 (8) -> 2 purchases, mean (42 + 8) / 2 = 25.
    expect(Array.from(split.frequencyHoldout)).toEqual([2, 0]);
    expect(Array.from(split.monetaryHoldout)).toEqual([25, 0]);
  });

  it('on CDNOW counts 1,882 purchase days in weeks 40 to 78, a holdout of 39 weeks', () => {
    const split = calibrationAndHoldout(cdnowTransactions(), CDNOW_CALIBRATION_END, CDNOW_DATA_END, 'weeks');
    expect(split.holdoutLength).toBe(273 / 7); // Oct 1, 1997 to Jun 30, 1998: 273 days
    expect(split.frequencyHoldout.reduce((s, v) => s + v, 0)).toBe(1882);
    expect(split.calibration.customerIds).toHaveLength(2357);
  });

  it('refuses a holdout that ends before it starts', () => {
    expect(() => calibrationAndHoldout(transactions(handExample), day('2024-01-31'), day('2024-01-31'))).toThrow(/holdout must end after the calibration/);
  });
});

describe('summariseTransactions at scale', () => {
  it('summarises 1,000,000 rows of 100,000 customers in random date order in well under 3 seconds', () => {
    const rows = 1_000_000;
    const next = seededRandom(7);
    const tx: Transactions = {
      customerIds: Array.from({ length: 100_000 }, (_, i) => `C${i}`),
      customerIndex: Int32Array.from({ length: rows }, () => Math.floor(next() * 100_000)),
      dates: Int32Array.from({ length: rows }, () => 19000 + Math.floor(next() * 730)),
      amountsMinor: Float64Array.from({ length: rows }, () => Math.floor(next() * 10_000)),
      sourceRows: new Int32Array(rows),
      skipped: [],
    };
    const start = performance.now();
    const s = summariseTransactions(tx, 19729, 'days');
    const ms = performance.now() - start;
    expect(s.customerIds.length).toBe(new Set(tx.customerIndex).size); // 99,995: a few of the 100,000 drew no row
    // every row is a purchase: total purchase days = rows minus same-day duplicates (about 1e6 x 10 / 2 / 730 ~ 6,800 of them)
    const days = s.frequency.reduce((sum, x) => sum + x + 1, 0);
    expect(days).toBeLessThan(rows);
    expect(days).toBeGreaterThan(rows - 10_000);
    expect(ms).toBeLessThan(3000); // measured about 0.2 s under Jest on the 2-core development machine
  });
});
