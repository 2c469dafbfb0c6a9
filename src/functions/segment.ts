/**
 * CBP.SEGMENT: one segment name per input row. rfm8 comes from src/engine/segments.ts; abc,
 * matrix and lifecycle from src/engine/tiers.ts (pending: until it lands they answer #VALUE!).
 */
import { InputError } from '../engine/errors';
import { readNumber } from '../engine/money';
import { rfm8Segments } from '../engine/segments';
import { Argument, Cell, asColumn, firstRowIsHeader, isBlank, isOmitted, optionalChoice, requireSameLength } from './cells';

export interface SegmentArgs {
  method: Argument;
  values_1: Argument;
  values_2?: Argument;
  values_3?: Argument;
  parameters?: Argument;
  as_of?: Argument;
  language?: Argument;
}

const METHODS = ['abc', 'matrix', 'lifecycle', 'rfm8'] as const;
type Method = (typeof METHODS)[number];

/** The value columns a method reads, by argument name. */
const COLUMNS_OF: Readonly<Record<Method, readonly string[]>> = {
  abc: ['values_1'],
  matrix: ['values_1', 'values_2'],
  lifecycle: ['values_1', 'values_2'],
  rfm8: ['values_1', 'values_2', 'values_3'],
};

/** The parallel value columns of a method, checked for shape and height. */
function valueColumns(args: SegmentArgs, method: Method): Cell[][] {
  const given: Record<string, Argument | undefined> = { values_1: args.values_1, values_2: args.values_2, values_3: args.values_3 };
  const columns = COLUMNS_OF[method].map((name) => {
    if (isOmitted(given[name] ?? null)) throw new InputError('missing-value', `the ${method} method needs this column`, { column: name });
    return asColumn(given[name] as Argument, name);
  });
  requireSameLength(columns.map((c, i) => [COLUMNS_OF[method][i], c] as const));
  return columns;
}

/** Rows that hold data: past the header, not blank in every column. */
function dataRowsOf(columns: readonly Cell[][], header: boolean): number[] {
  const rows: number[] = [];
  for (let i = header ? 1 : 0; i < columns[0].length; i++) if (!columns.every((c) => isBlank(c[i]))) rows.push(i);
  return rows;
}

function rfm8Names(columns: readonly Cell[][], dataRows: readonly number[], language: 'en' | 'zh'): string[] {
  const [r, f, m] = columns.map((column, c) => Float64Array.from(dataRows, (i) => readNumber(column[i], { row: i + 1, column: COLUMNS_OF.rfm8[c] })));
  return rfm8Segments(r, f, m, language);
}

/** CBP.SEGMENT: names aligned with the input; blank rows stay blank, a header row gets the header "segment". */
export function segmentRows(args: SegmentArgs): unknown[][] {
  if (isOmitted(args.method)) throw new InputError('missing-value', `choose one of ${METHODS.join(', ')}`, { column: 'method' });
  const method = optionalChoice(args.method, 'method', METHODS, 'rfm8');
  const language = optionalChoice(args.language ?? null, 'language', ['en', 'zh'] as const, 'en');
  const columns = valueColumns(args, method);
  const header = firstRowIsHeader(columns);
  const dataRows = dataRowsOf(columns, header);
  if (!dataRows.length) throw new InputError('no-data', 'there are no values; select the cells that hold one value per customer', { column: 'values_1' });
  let names: string[];
  if (method === 'rfm8') names = rfm8Names(columns, dataRows, language);
  else throw new InputError('bad-parameter', `the ${method} method is not available in this build yet; use rfm8`, { column: 'method' });
  const out: unknown[][] = columns[0].map(() => ['']);
  if (header) out[0] = ['segment'];
  dataRows.forEach((row, k) => {
    out[row] = [names[k]];
  });
  return out;
}
