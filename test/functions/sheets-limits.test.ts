/**
 * The result limits when the functions answer Google Sheets: a spreadsheet's 10 million cells, not
 * Excel's 5 MB and 1,048,576 rows (Sheets documents no byte limit for a custom function's result).
 * A file of its own: the host is module state of src/functions/results.ts.
 */
import { installCustomFunctionsStub, thrownError } from './helpers/custom-functions-stub';
import type { ResultCell } from '../../src/functions/results';

installCustomFunctionsStub();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { guardResultSize, setFunctionsHost, MAX_SPREADSHEET_CELLS } = require('../../src/functions/results') as typeof import('../../src/functions/results');

beforeAll(() => setFunctionsHost('sheets'));
afterAll(() => setFunctionsHost('excel'));

test('more than 5 MB and more than 1,048,576 rows pass in Sheets while they fit in 10 million cells', () => {
  const big = Array.from({ length: 60_000 }, () => Array.from({ length: 10 }, () => 'abcdefghij')); // about 7.9 MB
  expect(() => guardResultSize(big)).not.toThrow();
  expect(() => guardResultSize(new Array<ResultCell[]>(1_048_577).fill([1]))).not.toThrow();
});

test('a result of more than 10 million cells is refused, naming rows and cells and pointing to the sidebar', () => {
  expect(MAX_SPREADSHEET_CELLS).toBe(10_000_000);
  expect(() => guardResultSize(new Array<ResultCell[]>(1_000_000).fill(new Array<ResultCell>(10).fill(1)))).not.toThrow();
  const error = thrownError(() => guardResultSize(new Array<ResultCell[]>(1_000_001).fill(new Array<ResultCell>(10).fill(1))));
  expect(error.code).toBe('#VALUE!');
  expect(error.message).toBe(
    'the result (1000001 rows, 10000010 cells) is more than the 10 million cells a Google spreadsheet holds. Use the sidebar (menu Budget Planner > Generate Plan) or the cbp command line for data this large.',
  );
});
