/**
 * CBP.RFM and CBP.RFMSCORE called as Excel calls them: ranges as 2-D arrays, omitted optionals as
 * null, errors as CustomFunctions.Error.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import fc from 'fast-check';
import { installCustomFunctionsStub, thrownError } from './helpers/custom-functions-stub';
import { parseCsv } from '../../src/cli/csv';

installCustomFunctionsStub();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { RFM, RFMSCORE } = require('../../src/functions/functions') as typeof import('../../src/functions/functions');

/** A list as Excel passes a one-column range. */
const col = (values: unknown[]): unknown[][] => values.map((v) => [v]);

// The worked example of docs/excel-addin.md. As of the latest purchase, 2024-12-31:
//   A: purchases 2024-12-01 (100) and 2024-12-20 (50): recency 11, frequency 2, monetary 150
//   B: 2024-06-15 (300): recency 199 (Jun 15 -> Dec 31 = 15 + 31 + 31 + 30 + 31 + 30 + 31), frequency 1, monetary 300
//   C: 2024-11-30, 12-10, 12-31 (20 each): recency 0, frequency 3, monetary 60
// 5 quantile bins over n = 3 customers: F, M score = 1 + floor(5 L / 3), L = customers strictly below;
// R score = 1 + floor(5 G / 3), G = customers with a strictly longer recency.
//   A: R G=1 -> 2, F L=1 -> 2, M L=1 (60) -> 2: 222, score 2, Loyal Customers (R, F, M all in 2-4)
//   B: R G=0 -> 1, F L=0 -> 1, M L=2 -> 1 + floor(10/3) = 4: 114, score 2, Lost (R = 1)
//   C: R G=2 -> 4, F L=2 -> 4, M L=0 -> 1: 441, score 3, Others (M = 1 fails Potential Loyalist and Loyal; F = 4 fails New Customers)
const customers = ['A', 'A', 'B', 'C', 'C', 'C'];
const dates = ['2024-12-01', '2024-12-20', '2024-06-15', '2024-11-30', '2024-12-10', '2024-12-31'];
const amounts = [100, 50, 300, 20, 20, 20];
const EXPECTED_ROWS = [
  ['A', 11, 2, 150, 2, 2, 2, '222', 2, 'Loyal Customers'],
  ['B', 199, 1, 300, 1, 1, 4, '114', 2, 'Lost'],
  ['C', 0, 3, 60, 4, 4, 1, '441', 3, 'Others'],
];

describe('CBP.RFM', () => {
  test('the documented example, with the as-of date in the header', () => {
    expect(RFM(col(customers), col(dates), col(amounts), null, null as never, null as never, null as never, null as never)).toEqual([
      ['customer', 'recency (as of 2024-12-31)', 'frequency', 'monetary', 'r_score', 'f_score', 'm_score', 'rfm_code', 'score', 'segment'],
      ...EXPECTED_ROWS,
    ]);
  });

  test('a selection with the header row, Excel date serials and money text gives the same rows', () => {
    // 2024-12-01 is serial 45627 (1899-12-30 + 45627 days); the others follow by day differences.
    const serials = [45627, 45646, 45458, 45626, 45636, 45657];
    const table = RFM(col(['客户', ...customers]), col(['日期', ...serials]), col(['金额', '¥100.00', '50', '300', '20', '20', '20']));
    expect(table.slice(1)).toEqual(EXPECTED_ROWS);
  });

  test('show_header FALSE drops the header; an as-of date leaves later rows out and says so', () => {
    expect(RFM(col(customers), col(dates), col(amounts), undefined, undefined, undefined, undefined, false)).toEqual(EXPECTED_ROWS);
    // As of 2024-12-15: A's 12-20 and C's 12-31 purchases are left out (2 rows); A: recency 14 (12-01), B: 183, C: 5 (12-10).
    const table = RFM(col(customers), col(dates), col(amounts), '2024-12-15');
    expect(table[0][1]).toBe('recency (as of 2024-12-15; 2 later rows left out)');
    expect(table.slice(1).map((r) => [r[0], r[1], r[2], r[3]])).toEqual([
      ['A', 14, 1, 100],
      ['B', 183, 1, 300],
      ['C', 5, 2, 40],
    ]);
  });

  test('weights and the rfm8 scheme', () => {
    // Weights 1,1,2: A (2+2+4)/4 = 2, B (1+1+8)/4 = 2.5, C (4+4+2)/4 = 2.5.
    const weighted = RFM(col(customers), col(dates), col(amounts), null, null as never, [['1,1,2']], 'rfm8', false);
    expect(weighted.map((r) => r[8])).toEqual([2, 2.5, 2.5]);
    // rfm8: mean R = (2+1+4)/3 = 7/3, mean F = 7/3, mean M = 7/3. A: L L L; B: L L H; C: H H L.
    expect(weighted.map((r) => r[9])).toEqual(['一般挽留客户', '重要挽留客户', '一般价值客户']);
  });

  test('the R package rfm thresholds reference: all 995 customers match', () => {
    const fixtures = join(__dirname, '..', 'fixtures', 'rfm');
    const orders = parseCsv(readFileSync(join(fixtures, 'rfm_data_orders.csv'), 'utf8'));
    const expected = parseCsv(readFileSync(join(fixtures, 'rfm_thresholds_expected_2006-12-31.csv'), 'utf8'));
    const column = (table: typeof orders, name: string) => table.columns[table.header.indexOf(name)];
    // The whole columns, header included, as a user would select them.
    const thresholds = [
      [115, 181, 297, 482],
      [4, 5, 6, 8],
      [256, 382, 506, 666],
    ];
    const table = RFM(
      col(['customer_id', ...column(orders, 'customer_id')]),
      col(['order_date', ...column(orders, 'order_date')]),
      col(['revenue', ...column(orders, 'revenue')]),
      '2006-12-31',
      thresholds,
      null as never,
      'rfm10',
      true,
    );
    expect(table).toHaveLength(996);
    const got = new Map(table.slice(1).map((r) => [r[0], [r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[9]].map(String).join('|')]));
    const names = ['recency_days', 'transaction_count', 'amount', 'recency_score', 'frequency_score', 'monetary_score', 'rfm_score', 'segment'];
    const mismatches = column(expected, 'customer_id').filter((id, i) => got.get(id) !== names.map((n) => column(expected, n)[i]).join('|'));
    expect(mismatches).toEqual([]);
    // The same cut points given as text.
    const fromText = RFM(col(column(orders, 'customer_id')), col(column(orders, 'order_date')), col(column(orders, 'revenue')), '2006-12-31', [['115,181,297,482;4,5,6,8;256,382,506,666']], null as never, null as never, false);
    expect(fromText).toEqual(table.slice(1));
  });

  test('property: shuffling the transaction rows changes no customer row', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray([0, 1, 2, 3, 4, 5], { minLength: 6, maxLength: 6 }), (order) => {
        const table = RFM(col(order.map((i) => customers[i])), col(order.map((i) => dates[i])), col(order.map((i) => amounts[i])), null, null as never, null as never, null as never, false);
        expect([...table].sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual(EXPECTED_ROWS);
      }),
      { numRuns: 50 },
    );
  });

  test('errors name the argument and the row of the selection', () => {
    const badDate = thrownError(() => RFM(col(['Customer', 'A', 'B']), col(['Date', '2024-01-02', 'abc']), col(['Amount', 10, 20])));
    expect(badDate.code).toBe('#VALUE!');
    expect(badDate.message).toBe("dates, row 3: 'abc' is not a date; use a date cell or text such as 2025-01-31 or 2025年1月31日");
    const badAmount = thrownError(() => RFM(col(['A', 'B']), col(['2024-01-02', '2024-01-03']), col([10, '12x'])));
    expect(badAmount.message).toMatch(/^amounts, row 2: '12x' is not an amount/);
    expect(thrownError(() => RFM(col(['A', 'B']), col(['2024-01-02']), col([10, 20]))).message).toBe('dates: has 1 rows but customers has 2; select ranges of the same height');
    expect(thrownError(() => RFM([['A', 'B'], ['C', 'D']], col(['2024-01-02', '2024-01-03']), col([1, 2]))).message).toBe('customers: select a single column or row (got 2 rows × 2 columns)');
    expect(thrownError(() => RFM(col(customers), col(dates), col(amounts), null, 12 as never)).message).toBe('bins_or_thresholds: must be a whole number from 2 to 9 (got 12)');
    expect(thrownError(() => RFM(col(customers), col(dates), col(amounts), null, null as never, [[1, 1]])).message).toBe('weights: give three weights for R, F and M, e.g. 1,1,1 (got 2)');
    expect(thrownError(() => RFM(col(customers), col(dates), col(amounts), null, null as never, null as never, 'rfm99')).message).toBe("scheme: 'rfm99' is not one of rfm10, rfm8, none");
    expect(thrownError(() => RFM(col(customers), col(dates), col(amounts), '01/02/2025')).message).toMatch(/^as_of: '01\/02\/2025' could be day\/month or month\/day/);
  });
});

describe('CBP.RFMSCORE', () => {
  test('scores aligned with the input rows; a header row and blank rows are kept in place', () => {
    // The measures of the RFM example above give the same scores.
    expect(RFMSCORE(col(['Recency', 11, '', 199, 0]), col(['Frequency', 2, '', 1, 3]), col(['Monetary', 150, '', '¥300', 60]))).toEqual([
      ['R', 'F', 'M', 'score'],
      [2, 2, 2, 2],
      ['', '', '', ''],
      [1, 1, 4, 2],
      [4, 4, 1, 3],
    ]);
  });

  test('thresholds mode: F and M score 1 + (cut points <= v), R score k - (cut points <= v)', () => {
    // Cut points R 30,90 / F 2,5 / M 100,500 (k = 3). Row 1: recency 10 -> 3 - 0 = 3, F 2 -> 1 + 1 = 2, M 500 -> 1 + 2 = 3, score 8/3.
    // Row 2: recency 90 -> 3 - 2 = 1, F 1 -> 1, M 99.99 -> 1, score 1.
    const out = RFMSCORE(col([10, 90]), col([2, 1]), col([500, 99.99]), [
      [30, 90],
      [2, 5],
      [100, 500],
    ]);
    expect(out.map((r) => r.slice(0, 3))).toEqual([
      [3, 2, 3],
      [1, 1, 1],
    ]);
    expect(out[0][3]).toBeCloseTo(8 / 3, 12);
    expect(out[1][3]).toBe(1);
  });

  test('property: every score is within 1..bins and the score is their weighted mean', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(1000), fc.nat(50), fc.nat(100000)), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 2, max: 9 }),
        (rows, bins) => {
          const out = RFMSCORE(col(rows.map((r) => r[0])), col(rows.map((r) => r[1])), col(rows.map((r) => r[2] / 100)), bins as never);
          for (const [r, f, m, score] of out as number[][]) {
            for (const s of [r, f, m]) expect(s >= 1 && s <= bins && Number.isInteger(s)).toBe(true);
            expect(score).toBeCloseTo((r + f + m) / 3, 12);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  test('a bad value names its column and row', () => {
    expect(thrownError(() => RFMSCORE(col([1, 2]), col([1, 'x']), col([1, 2]))).message).toBe("frequency, row 2: 'x' is not a number");
    expect(thrownError(() => RFMSCORE(col([1, 2]), col([1, 2]), col([1, 2]), [[1, 2]])).message).toMatch(/^bins_or_thresholds: give a number of bins/);
  });
});
