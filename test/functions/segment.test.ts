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
