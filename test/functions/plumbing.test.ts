/**
 * The argument normalisation, error mapping and result-size guard shared by every CBP.* function.
 */
import fc from 'fast-check';
import { installCustomFunctionsStub, thrownError, StubCustomFunctionsError } from './helpers/custom-functions-stub';
import { InputError } from '../../src/engine/errors';
import {
  asColumn,
  asScalar,
  firstRowIsHeader,
  isOmitted,
  optionalBoolean,
  optionalChoice,
  optionalDate,
  optionalNumber,
  optionalNumberList,
  requireSameLength,
} from '../../src/functions/cells';
import {
  MAX_RESULT_BYTES,
  NumericError,
  ResultCell,
  estimateResultBytes,
  functionMessage,
  guardResultSize,
  runFunction,
  toCustomFunctionsError,
} from '../../src/functions/results';

installCustomFunctionsStub();

/** The message an InputError from the cell helpers carries, formatted as the functions show it. */
function messageOf(call: () => unknown): string {
  try {
    call();
  } catch (error) {
    if (error instanceof InputError) return functionMessage(error);
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('argument shapes', () => {
  test('omitted optional arguments: null, undefined, an empty range or one blank cell', () => {
    expect(isOmitted(null)).toBe(true);
    expect(isOmitted(undefined)).toBe(true);
    expect(isOmitted([])).toBe(true);
    expect(isOmitted([['']])).toBe(true);
    expect(isOmitted([[null]])).toBe(true);
    expect(isOmitted(0)).toBe(false);
    expect(isOmitted([[0]])).toBe(false);
    expect(isOmitted([[''], ['']])).toBe(false);
  });

  test('a column, a row or a scalar becomes a flat list; a block is an error naming the argument', () => {
    expect(asColumn([['a'], ['b'], ['c']], 'customers')).toEqual(['a', 'b', 'c']);
    expect(asColumn([['a', 'b', 'c']], 'customers')).toEqual(['a', 'b', 'c']);
    expect(asColumn(7, 'customers')).toEqual([7]);
    expect(messageOf(() => asColumn([['a', 1], ['b', 2]], 'customers'))).toBe('customers: select a single column or row (got 2 rows × 2 columns)');
  });

  test('property: an n x 1 range round-trips through asColumn', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer(), fc.string(), fc.boolean()), { minLength: 1, maxLength: 50 }), (cells) => {
        expect(asColumn(cells.map((c) => [c]), 'x')).toEqual(cells);
        expect(asColumn([cells], 'x')).toEqual(cells);
      }),
    );
  });

  test('a scalar argument accepts a value or a 1 x 1 range only', () => {
    expect(asScalar(5, 'budget')).toBe(5);
    expect(asScalar([[5]], 'budget')).toBe(5);
    expect(messageOf(() => asScalar([[1], [2]], 'budget'))).toBe('budget: enter one value or select one cell (got 2 rows × 1 columns)');
  });

  test('optional numbers: omitted and blank give the fallback; text numbers and percentages are read', () => {
    expect(optionalNumber(null, 'unit', 0.01)).toBe(0.01);
    expect(optionalNumber('', 'unit', 0.01)).toBe(0.01);
    expect(optionalNumber(undefined, 'unit')).toBeUndefined();
    expect(optionalNumber('1,000', 'unit', 1)).toBe(1000);
    expect(optionalNumber('5%', 'reserve', 0)).toBeCloseTo(0.05, 12);
    expect(messageOf(() => optionalNumber('lots', 'unit', 1))).toBe("unit: 'lots' is not a number");
  });

  test('optional choices are case-insensitive and list the valid ones when wrong', () => {
    expect(optionalChoice(null, 'method', ['proportional', 'equal'] as const, 'proportional')).toBe('proportional');
    expect(optionalChoice(' Equal ', 'method', ['proportional', 'equal'] as const, 'proportional')).toBe('equal');
    expect(messageOf(() => optionalChoice('random', 'method', ['proportional', 'equal'] as const, 'proportional'))).toBe(
      "method: 'random' is not one of proportional, equal",
    );
  });

  test('optional booleans: TRUE/FALSE, 1/0, yes/no and 是/否', () => {
    expect(optionalBoolean(null, 'show_header', true)).toBe(true);
    expect(optionalBoolean(false, 'show_header', true)).toBe(false);
    expect(optionalBoolean(0, 'show_header', true)).toBe(false);
    expect(optionalBoolean('否', 'show_header', true)).toBe(false);
    expect(optionalBoolean('YES', 'show_header', false)).toBe(true);
    expect(messageOf(() => optionalBoolean('maybe', 'show_header', true))).toBe("show_header: 'maybe' is not TRUE or FALSE");
  });

  test('optional dates: serials, ISO and Chinese text; omitted gives undefined', () => {
    // Serial 45657 = 2024-12-31 (1899-12-30 + 45657 days) = epoch day 20088.
    expect(optionalDate(45657, 'as_of')).toBe(20088);
    expect(optionalDate('2024-12-31', 'as_of')).toBe(20088);
    expect(optionalDate('2024年12月31日', 'as_of')).toBe(20088);
    expect(optionalDate(null, 'as_of')).toBeUndefined();
    expect(messageOf(() => optionalDate('soon', 'as_of'))).toMatch(/^as_of: 'soon' is not a date/);
  });

  test('number lists from a range or from text with , ; or Chinese commas', () => {
    expect(optionalNumberList([[1, 1, 2]], 'weights')).toEqual([1, 1, 2]);
    expect(optionalNumberList([[1], [''], [3]], 'weights')).toEqual([1, 3]);
    expect(optionalNumberList('1,1,2', 'weights')).toEqual([1, 1, 2]);
    expect(optionalNumberList([['2；1；1']], 'weights')).toEqual([2, 1, 1]);
    expect(optionalNumberList('80%, 95%', 'parameters')).toEqual([0.8, 0.95]);
    expect(optionalNumberList(null, 'weights')).toBeUndefined();
    expect(messageOf(() => optionalNumberList('1,x', 'weights'))).toBe("weights: '1,x' is not a list of numbers such as 1,1,2");
  });

  test('parallel columns must have the same height', () => {
    expect(() => requireSameLength([['customers', [1, 2]], ['dates', [1, 2]]])).not.toThrow();
    expect(messageOf(() => requireSameLength([['customers', [1, 2, 3]], ['amounts', [1, 2]]]))).toBe(
      'amounts: has 2 rows but customers has 3; select ranges of the same height',
    );
  });

  test('a header row is text that is not a number in every column', () => {
    expect(firstRowIsHeader([['Recency', 1], ['Frequency', 2]])).toBe(true);
    expect(firstRowIsHeader([['Recency', 1], ['12', 2]])).toBe(false);
    expect(firstRowIsHeader([[5, 1]])).toBe(false);
  });
});

describe('error mapping', () => {
  test('an engine InputError becomes #VALUE! with "argument, row N: problem"', () => {
    const error = new InputError('bad-date', "'abc' is not a date", { row: 12, column: 'dates' }, 'abc');
    expect(error.message).toBe("row 12, column dates: 'abc' is not a date");
    const mapped = toCustomFunctionsError(error, 'RFM') as unknown as StubCustomFunctionsError;
    expect(mapped.code).toBe('#VALUE!');
    expect(mapped.message).toBe("dates, row 12: 'abc' is not a date");
  });

  test('a fit that did not converge and non-finite numbers become #NUM! (Excel shows no message there)', () => {
    const notConverged = toCustomFunctionsError(new InputError('not-converged', 'the fit did not converge'), 'CLV') as unknown as StubCustomFunctionsError;
    expect(notConverged.code).toBe('#NUM!');
    expect((toCustomFunctionsError(new NumericError('NaN'), 'CLV') as unknown as StubCustomFunctionsError).code).toBe('#NUM!');
  });

  test('an unexpected exception is still a #VALUE! that names the function', () => {
    const mapped = toCustomFunctionsError(new TypeError('x is undefined'), 'ALLOCATE') as unknown as StubCustomFunctionsError;
    expect(mapped.code).toBe('#VALUE!');
    expect(mapped.message).toBe('CBP.ALLOCATE failed unexpectedly (x is undefined). Please report it with the inputs that cause it.');
  });

  test('runFunction throws the mapped error and cleans every cell', () => {
    const error = thrownError(() =>
      runFunction('RFM', () => {
        throw new InputError('bad-money', "'12x' is not an amount", { row: 3, column: 'amounts' });
      }),
    );
    expect(error.message).toBe("amounts, row 3: '12x' is not an amount");
    const table = runFunction('X', () => [[1, NaN, null, undefined, 'a', true]]);
    expect(table[0][0]).toBe(1);
    expect((table[0][1] as unknown as StubCustomFunctionsError).code).toBe('#NUM!');
    expect(table[0].slice(2)).toEqual(['', '', 'a', true]);
  });
});

describe('result size guard', () => {
  const cell = fc.oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    fc.string({ unit: 'grapheme' }),
    fc.string({ unit: 'binary' }),
    fc.boolean(),
  );

  test('property: the estimate equals the bytes of JSON.stringify for numbers, text and booleans', () => {
    fc.assert(
      fc.property(fc.array(fc.array(cell, { maxLength: 6 }), { maxLength: 6 }), (table: ResultCell[][]) => {
        expect(estimateResultBytes(table)).toBe(Buffer.byteLength(JSON.stringify(table), 'utf8'));
      }),
      { numRuns: 300 },
    );
  });

  test('hand-checked sizes: [[1,"客户"],[true]] is 21 bytes', () => {
    // [[1,"客户"],[true]]: outer 2 brackets + 1 comma between rows = 3;
    // row 1: 2 brackets + 1 comma + '1' + 2 quotes + 6 (two 3-byte characters) = 12; row 2: 2 + 'true' = 6. Total 21.
    expect(estimateResultBytes([[1, '客户'], [true]])).toBe(21);
    expect(Buffer.byteLength(JSON.stringify([[1, '客户'], [true]]))).toBe(21);
  });

  test('a result over 5 MB is refused with a message pointing to the task pane', () => {
    // 60,000 rows of ten 10-character strings: each row 2 + 9 + 10 * 12 = 131 bytes, about 7.9 MB in all.
    const big = Array.from({ length: 60_000 }, () => Array.from({ length: 10 }, () => 'abcdefghij'));
    const error = thrownError(() => guardResultSize(big));
    expect(error.code).toBe('#VALUE!');
    expect(error.message).toContain("Excel's 5 MB limit");
    expect(error.message).toContain('Home > Budget Planner');
    expect(error.message).toContain('60000 rows, about 7.9 MB');
    expect(MAX_RESULT_BYTES).toBe(5_000_000);
  });

  test('a result just under the limit passes', () => {
    expect(() => guardResultSize([['x'.repeat(100)]], 106)).not.toThrow(); // [["x"*100]] is 2 + 2 + 102 = 106 bytes
    expect(() => guardResultSize([['x'.repeat(100)]], 105)).toThrow();
  });

  test('more rows than a worksheet holds is refused before measuring', () => {
    const rows = new Array<ResultCell[]>(1_048_577).fill([1]);
    expect(thrownError(() => guardResultSize(rows)).message).toContain('1,048,576');
  });
});
