/**
 * Whole-column references (=CBP.ALLOCATE(10000, B:B)): Excel passes all 1,048,576 rows, the blank
 * ones below the data as "". The functions spill only as far as the last filled row.
 */
import { installCustomFunctionsStub, thrownError } from './helpers/custom-functions-stub';
import { trimTrailingBlankRows } from '../../src/functions/cells';

installCustomFunctionsStub();
type Functions = typeof import('../../src/functions/functions');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ALLOCATE, SEGMENT, VARIANCE } = require('../../src/functions/functions') as Functions;

const EXCEL_ROWS = 1_048_576;
/** A whole column: `values` at the top, "" below, EXCEL_ROWS rows in all. */
const wholeColumn = (values: unknown[]): unknown[][] =>
  Array.from({ length: EXCEL_ROWS }, (_, r) => [r < values.length ? values[r] : '']);

describe('whole-column references', () => {
  test('CBP.ALLOCATE(1000, B:B) spills the header and four amounts, not a million rows', () => {
    expect(ALLOCATE(1000, wholeColumn(['Weight', 1, 2, 3, 4]))).toEqual([
      ['allocation'],
      [100],
      [200],
      [300],
      [400],
    ]);
  });

  test('CBP.ALLOCATE with weights and caps as whole columns: caps trimmed with the weights, a blank row inside kept', () => {
    expect(
      ALLOCATE(1000, wholeColumn(['Weight', 1, '', 3]), null as never, wholeColumn(['Cap', 100, '', ''])),
    ).toEqual([['allocation'], [100], [''], [900]]);
  });

  test('CBP.SEGMENT("abc", B:B) spills four classes', () => {
    expect(SEGMENT('abc', wholeColumn(['Revenue', 800, 150, 40, 10]))).toEqual([
      ['segment'],
      ['A'],
      ['B'],
      ['C'],
      ['C'],
    ]);
  });

  test('CBP.VARIANCE(B:B, C:C): the longer column decides where both end', () => {
    expect(VARIANCE(wholeColumn(['Plan', 1000, 1000]), wholeColumn(['Actual', 1100, 1000, 50]))).toEqual([
      ['status'],
      ['Over budget'],
      ['On track'],
      ['Unplanned'],
    ]);
  });

  test('every weight 0 names the weights argument', () => {
    expect(thrownError(() => ALLOCATE(1000, wholeColumn(['Weight', 0, 0]))).message).toMatch(
      /^weights: every weight is 0/,
    );
  });
});

describe('trimTrailingBlankRows', () => {
  test('cuts aligned ranges together after the last filled row of any; scalars and one-row ranges untouched', () => {
    const a = [[1], [''], [null], ['']];
    const b = [[''], [2], [''], ['']];
    expect(trimTrailingBlankRows([a, b, 5, [[1, 2, 3]], undefined])).toEqual([
      [[1], ['']],
      [[''], [2]],
      5,
      [[1, 2, 3]],
      undefined,
    ]);
  });

  test('all blank leaves one blank row (an omitted argument)', () => {
    expect(trimTrailingBlankRows([[[''], ['']]])).toEqual([[['']]]);
  });
});
