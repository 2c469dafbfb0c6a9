/**
 * CBP.SEGMENT called as Excel calls it.
 */
import { installCustomFunctionsStub, thrownError } from './helpers/custom-functions-stub';

installCustomFunctionsStub();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { SEGMENT } = require('../../src/functions/functions') as typeof import('../../src/functions/functions');

const col = (values: unknown[]): unknown[][] => values.map((v) => [v]);

describe('CBP.SEGMENT rfm8', () => {
  // Scores (5,5,5), (1,1,1), (5,1,5), (1,5,1): each mean is 3, so "high" means 5 here.
  const r = col(['R', 5, 1, 5, '', 1]);
  const f = col(['F', 5, 1, 1, '', 5]);
  const m = col(['M', 5, 1, 5, '', 1]);

  test('Chinese names with "zh": HHH, LLL, HLH, LHL; the header and the blank row stay in place', () => {
    expect(SEGMENT('rfm8', r, f, m, null as never, null, 'zh')).toEqual([['segment'], ['重要价值客户'], ['一般挽留客户'], ['重要发展客户'], [''], ['一般保持客户']]);
  });

  test('English names by default', () => {
    expect(SEGMENT('RFM8', r, f, m).map((row) => row[0])).toEqual(['segment', 'Important value', 'General win-back', 'Important develop', '', 'General retain']);
  });

  test('errors: a missing column, a bad score, an unknown method', () => {
    expect(thrownError(() => SEGMENT('rfm8', r, f)).message).toBe('values_3: the rfm8 method needs this column');
    expect(thrownError(() => SEGMENT('rfm8', col([5, 'x']), col([1, 2]), col([1, 2]))).message).toBe("values_1, row 2: 'x' is not a number");
    expect(thrownError(() => SEGMENT('kmeans', r)).message).toBe("method: 'kmeans' is not one of abc, matrix, lifecycle, rfm8");
    expect(thrownError(() => SEGMENT(null as never, r)).message).toBe('method: choose one of abc, matrix, lifecycle, rfm8');
  });
});

describe('CBP.SEGMENT abc', () => {
  test('500, 300, 150, 50: strictly larger values hold 0, 50, 80 and 95 % of the total -> A, A, B, C', () => {
    expect(SEGMENT('abc', col(['Value', 500, 300, 150, 50]))).toEqual([['segment'], ['A'], ['A'], ['B'], ['C']]);
  });

  test('limits 50%,90%: 50 % is not below 50 % -> B; 80 % -> B; 95 % -> C', () => {
    expect(SEGMENT('abc', col([500, 300, 150, 50]), null as never, null as never, [['50%,90%']]).map((r) => r[0])).toEqual(['A', 'B', 'B', 'C']);
  });

  test('ties share a class; money text is read', () => {
    // 400, 400, 200: for each 400 the strictly larger values sum to 0 -> A; for 200, 800 / 1000 = 80 % -> B.
    expect(SEGMENT('abc', col(['¥400', '400', 200])).map((r) => r[0])).toEqual(['A', 'A', 'B']);
  });
});

describe('CBP.SEGMENT matrix', () => {
  // Medians: profit (20 + 80) / 2 = 50, relationship (2 + 9) / 2 = 5.5; high means strictly above.
  const profit = col([100, 80, 20, 10]);
  const relationship = col([10, 2, 9, 1]);

  test('True Friends, Butterflies, Barnacles, Strangers', () => {
    expect(SEGMENT('matrix', profit, relationship).map((r) => r[0])).toEqual(['True Friends', 'Butterflies', 'Barnacles', 'Strangers']);
    expect(SEGMENT('matrix', profit, relationship, null as never, null as never, null, 'zh').map((r) => r[0])).toEqual(['重点维护', '重点发展', '低成本维护', '减少投入']);
  });

  test('given thresholds: profit above 90 and relationship above 1', () => {
    expect(SEGMENT('matrix', profit, relationship, null as never, [[90, 1]]).map((r) => r[0])).toEqual(['True Friends', 'Barnacles', 'Barnacles', 'Strangers']);
  });
});

describe('CBP.SEGMENT lifecycle', () => {
  // As of 2024-12-31:
  //   first 2024-11-15, last 2024-12-20: tenure 46 <= 90                 -> New
  //   first 2023-01-10, last 2024-03-01: recency 305 > 180                -> Decline
  //   first 2024-03-01, last 2024-12-01: tenure 305 <= 365, recency 30    -> Growth
  //   first 2022-05-01, last 2024-12-15: tenure 975, recency 16           -> Mature
  const first = col(['First purchase', '2024-11-15', '2023-01-10', '2024-03-01', '2022-05-01']);
  const last = col(['Last purchase', '2024-12-20', '2024-03-01', '2024-12-01', '2024-12-15']);

  test('stages as of a date, in English and Chinese; the header is recognised as text that is not a date', () => {
    expect(SEGMENT('lifecycle', first, last, null as never, null as never, '2024-12-31')).toEqual([['segment'], ['New'], ['Decline'], ['Growth'], ['Mature']]);
    expect(SEGMENT('lifecycle', first, last, null as never, null as never, '2024-12-31', 'zh').slice(1).map((r) => r[0])).toEqual(['获取期', '衰退期', '成长期', '成熟期']);
  });

  test('default as-of is the latest last purchase (2024-12-20): row 1 tenure 35 -> New, row 3 recency 19 -> Growth', () => {
    expect(SEGMENT('lifecycle', first, last).slice(1).map((r) => r[0])).toEqual(['New', 'Decline', 'Growth', 'Mature']);
  });

  test('custom day limits: new within 30 days -> row 1 (tenure 46) is Growth', () => {
    expect(SEGMENT('lifecycle', first, last, null as never, [['30,180,365']], '2024-12-31').slice(1).map((r) => r[0])).toEqual(['Growth', 'Decline', 'Growth', 'Mature']);
  });

  test('a last purchase before the first is an error naming the row', () => {
    expect(thrownError(() => SEGMENT('lifecycle', col(['2024-05-01']), col(['2024-04-01']))).message).toBe(
      'values_2, row 1: the last purchase is before the first purchase; check the two date columns',
    );
  });
});
