/**
 * CBP.VARIANCE called as Excel calls it.
 */
import { installCustomFunctionsStub, thrownError } from './helpers/custom-functions-stub';

installCustomFunctionsStub();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { VARIANCE } = require('../../src/functions/functions') as typeof import('../../src/functions/functions');

const col = (values: unknown[]): unknown[][] => values.map((v) => [v]);

// The documented example. Statuses, the first that applies (cost budget):
//   1000 / 1100 / expected 1000: variance % = +10 % > 0             -> Over budget
//   1000 /  600 / expected  500: 600 > 500 x 1.1 = 550              -> At risk
//   1000 /  200 / expected  500: 200 < 500 x 0.5 = 250              -> Under-used
//   1000 /  480 / expected  500: within 250..550                    -> On track
//   (none) / 50                                                     -> Unplanned
const plan = col(['Plan', 1000, 1000, 1000, 1000, '']);
const actual = col(['Actual', 1100, 600, 200, 480, 50]);
const expected = col(['Expected', 1000, 500, 500, 500, '']);

describe('CBP.VARIANCE', () => {
  test('statuses per row, header kept', () => {
    expect(VARIANCE(plan, actual, expected)).toEqual([['status'], ['Over budget'], ['At risk'], ['Under-used'], ['On track'], ['Unplanned']]);
  });

  test('Chinese status names', () => {
    expect(VARIANCE(plan, actual, expected, false, 'zh').map((r) => r[0])).toEqual(['status', '超预算', '预警', '执行不足', '正常', '计划外']);
  });

  test('details: variance, variance %, utilisation, status', () => {
    const out = VARIANCE(plan, actual, expected, true);
    expect(out[0]).toEqual(['variance', 'variance %', 'utilisation', 'status']);
    // 1100 - 1000 = 100, 100 / 1000 = 10 %, 1100 / 1000 = 110 %.
    expect(out[1]).toEqual([100, 0.1, 1.1, 'Over budget']);
    expect(out[3]).toEqual([-800, -0.8, 0.2, 'Under-used']);
    // No plan: the variance is the whole spend; % and utilisation are empty.
    expect(out[5]).toEqual([50, '', '', 'Unplanned']);
  });

  test('without expected_to_date the whole plan is expected; blank actual counts as 0; blank rows stay blank', () => {
    // 1000 / 400: 400 < 1000 x 0.5 -> Under-used. 1000 / blank -> 0 -> Under-used. 1000 / 950 -> On track.
    expect(VARIANCE(col([1000, 1000, '', 1000]), col([400, '', '', 950]))).toEqual([['Under-used'], ['Under-used'], [''], ['On track']]);
  });

  test('a plan of 0 with spend is over budget (SPEC: variance % is empty, but any spend exceeds it)', () => {
    expect(VARIANCE(col([0]), col([10]), null as never, true)).toEqual([[10, '', '', 'Over budget']]);
  });

  test('errors name the argument and row', () => {
    expect(thrownError(() => VARIANCE(col([1000, 'abc']), col([1, 2]))).message).toMatch(/^plan, row 2: 'abc' is not an amount/);
    expect(thrownError(() => VARIANCE(col([1000, -5]), col([1, 2]))).message).toBe('plan, row 2: the plan -5 must be 0 or more');
    expect(thrownError(() => VARIANCE(col([1, 2]), col([1]))).message).toBe('actual: has 1 rows but plan has 2; select ranges of the same height');
  });
});
