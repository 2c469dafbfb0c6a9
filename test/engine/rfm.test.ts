import fc from 'fast-check';
import { computeRfm, scoreRfmValues, segmentScores } from '../../src/engine/rfm';
import { quantileScores, thresholdScores } from '../../src/engine/quantile-scores';
import { readTransactionTable } from '../../src/engine/transactions';
import { epochDaysFromCivil as day } from '../../src/engine/dates';
import { rfm8Segments, RFM10_RULES, RFM10_ZH } from '../../src/engine/segments';

describe('quantile scores', () => {
  it('follows score = 1 + floor(bins x L(v) / n), ties sharing (hand-checked)', () => {
    // n = 5, bins = 5: values 10, 20, 20, 30, 40 -> L = 0, 1, 1, 3, 4 -> scores 1, 2, 2, 4, 5
    expect(Array.from(quantileScores([20, 10, 40, 20, 30], 5))).toEqual([2, 1, 5, 2, 4]);
    // Recency (lower is better): G(v) = values strictly above: 5 days -> 4 above -> 5; 50 -> 0 -> 1
    expect(Array.from(quantileScores([5, 50, 20, 20, 30], 5, false))).toEqual([5, 1, 3, 3, 2]);
  });

  it('thresholds: F/M 1 + cut points <= v, R k - cut points <= v', () => {
    expect(Array.from(thresholdScores([1, 4, 5, 9], [4, 5, 6, 8]))).toEqual([1, 2, 3, 5]);
    expect(Array.from(thresholdScores([10, 115, 300, 500], [115, 181, 297, 482], false))).toEqual([5, 4, 2, 1]);
  });

  it('keeps scores in 1..bins and never depends on row order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 80 }), fc.integer({ min: 2, max: 9 }), (values, bins) => {
        const scores = quantileScores(values, bins);
        scores.forEach((s) => expect(s >= 1 && s <= bins).toBe(true));
        const reversed = quantileScores([...values].reverse(), bins);
        expect(Array.from(reversed)).toEqual(Array.from(scores).reverse());
        values.forEach((v, i) => values.forEach((w, j) => v > w && expect(scores[i]).toBeGreaterThanOrEqual(scores[j])));
      }),
    );
  });
});

test('quantile scores equal the definition counted directly, for integers (counted) and decimals (sorted), both directions', () => {
  const direct = (values: number[], bins: number, higherIsBetter: boolean) =>
    values.map((v) => 1 + Math.floor((bins * values.filter((w) => (higherIsBetter ? w < v : w > v)).length) / values.length));
  const values = fc.oneof(
    fc.array(fc.integer({ min: -30, max: 30 }), { minLength: 1, maxLength: 60 }),
    fc.array(fc.integer({ min: 0, max: 1e9 }), { minLength: 1, maxLength: 60 }), // too wide a range to count
    fc.array(fc.double({ min: -1000, max: 1000, noNaN: true }), { minLength: 1, maxLength: 60 }),
  );
  fc.assert(
    fc.property(values, fc.integer({ min: 2, max: 9 }), fc.boolean(), (list, bins, higherIsBetter) => {
      expect(Array.from(quantileScores(list, bins, higherIsBetter))).toEqual(direct(list, bins, higherIsBetter));
    }),
    { numRuns: 300 },
  );
});

describe('computeRfm', () => {
  const table = [
    ['Customer', 'Order ID', 'Date', 'Amount'],
    ['A', 'o1', '2025-01-01', '100'],
    ['A', 'o1', '2025-01-01', '50'], // second line of the same order: one purchase
    ['A', 'o2', '2025-03-01', '(30.00)'], // refund: reduces monetary, not a purchase
    ['B', 'o3', '2025-02-15', '200'],
    ['C', 'o4', '2025-03-01', '10'],
    ['C', 'o5', '2025-04-01', '10'], // after the as-of date below
    ['D', 'o6', '2025-01-20', '-5'], // no purchase at all
  ];

  it('measures recency, frequency (distinct orders) and monetary (refunds included) at as-of', () => {
    const result = computeRfm(readTransactionTable(table), { asOf: day(2025, 3, 31), scheme: 'none' });
    expect(result.asOfText).toBe('2025-03-31');
    const byCustomer = Object.fromEntries(result.rows.map((r) => [r.customer, r]));
    // A: last purchase 2025-01-01 -> 89 days; 1 order; 100 + 50 - 30 = 120
    expect(byCustomer.A).toMatchObject({ recencyDays: 89, frequency: 1, monetary: 120 });
    expect(byCustomer.B).toMatchObject({ recencyDays: 44, frequency: 1, monetary: 200 });
    expect(byCustomer.C).toMatchObject({ recencyDays: 30, frequency: 1, monetary: 10 });
    expect(byCustomer.D).toBeUndefined();
    expect(result.warnings).toEqual({ rowsAfterAsOf: 1, customersWithoutPurchase: 1, rowsSkipped: 0 });
  });

  it('defaults as-of to the latest purchase and counts rows without order ids', () => {
    const result = computeRfm(readTransactionTable(table.map((r) => [r[0], r[2], r[3]])), { scheme: 'none' });
    expect(result.asOfText).toBe('2025-04-01');
    expect(result.rows.find((r) => r.customer === 'A')!.frequency).toBe(2); // two rows with amount > 0
  });

  it('weights the composite score and builds the RFM code', () => {
    const scores = scoreRfmValues([1, 10], [5, 1], [100, 10], { bins: 2, weights: [2, 1, 1] });
    // customer 0: R 2, F 2, M 2 -> 2; customer 1: R 1, F 1, M 1 -> 1; weights only matter when scores differ
    expect(Array.from(scores.score)).toEqual([2, 1]);
    const mixed = scoreRfmValues([1, 10], [1, 5], [10, 100], { bins: 2, weights: [2, 1, 1] });
    // customer 0: R2 F1 M1 -> (4 + 1 + 1) / 4 = 1.5
    expect(mixed.score[0]).toBe(1.5);
    expect(() => scoreRfmValues([1], [1], [1], { weights: [0, 0, 0] })).toThrow(/weights/);
  });

  it('segments by rfm10, rfm8 (above the mean is high) and user rules', () => {
    const scores = { r: Uint8Array.of(5, 1, 3), f: Uint8Array.of(5, 1, 4), m: Uint8Array.of(5, 2, 1), score: new Float64Array(3), maxScore: 5 };
    expect(segmentScores(scores, 'rfm10')).toEqual(['Champions', 'Lost', 'Others']);
    // means: R 3, F 3.33, M 2.67 -> (H,H,H), (L,L,L), (L,H,L)
    expect(rfm8Segments(scores.r, scores.f, scores.m)).toEqual(['重要价值客户', '一般挽留客户', '一般保持客户']);
    expect(rfm8Segments(scores.r, scores.f, scores.m, 'en')).toEqual(['Important value', 'General win-back', 'General retain']);
    expect(segmentScores(scores, [{ name: 'VIP', r: [4, 5], f: [4, 5], m: [1, 5] }])).toEqual(['VIP', 'Others', 'Others']);
    expect(() => segmentScores({ ...scores, maxScore: 4 }, 'rfm10')).toThrow(/rfm10 rules are defined for scores 1 to 5/);
  });

  it('names rfm10 segments in Chinese when asked, English (the R rfm names) by default; user rule names as written', () => {
    const scores = { r: Uint8Array.of(5, 1, 3), f: Uint8Array.of(5, 1, 4), m: Uint8Array.of(5, 2, 1), score: new Float64Array(3), maxScore: 5 };
    expect(segmentScores(scores, 'rfm10', 'zh')).toEqual(['冠军客户', '已流失客户', '其他客户']);
    expect(segmentScores(scores, 'rfm10', 'en')).toEqual(['Champions', 'Lost', 'Others']);
    expect(segmentScores(scores, 'rfm8')).toEqual(['重要价值客户', '一般挽留客户', '一般保持客户']);
    expect(segmentScores(scores, [{ name: 'VIP', r: [4, 5], f: [4, 5], m: [1, 5] }], 'zh')).toEqual(['VIP', 'Others', 'Others']);
    // Every rfm10 name, and Others, has a distinct Chinese name.
    expect(new Set(Object.values(RFM10_ZH)).size).toBe(RFM10_RULES.length + 1);
    for (const rule of RFM10_RULES) expect(RFM10_ZH[rule.name]).toMatch(/客户$/);
  });

  it('gives the same result whatever the row order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('A', 'B', 'C', 'D', 'E'), fc.integer({ min: 0, max: 300 }), fc.integer({ min: -50, max: 500 })), { minLength: 1, maxLength: 40 }),
        (rows) => {
          if (!rows.some((r) => r[2] > 0)) rows.push(['A', 0, 10]);
          const toTable = (rs: typeof rows) => [['customer', 'date', 'amount'], ...rs.map(([c, d, a]) => [c, day(2025, 1, 1) + d + 25569, a])];
          const one = computeRfm(readTransactionTable(toTable(rows)));
          const two = computeRfm(readTransactionTable(toTable([...rows].reverse())));
          const sort = (r: typeof one.rows) => [...r].sort((x, y) => (x.customer < y.customer ? -1 : 1));
          expect(sort(two.rows)).toEqual(sort(one.rows));
        },
      ),
    );
  });
});
