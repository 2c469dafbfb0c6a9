/**
 * Argument normalisation for the CBP.* custom functions. Excel hands a range argument over as a
 * 2-D array (rows of cells), a scalar argument as a number, string or boolean, blank cells as ""
 * (some hosts: null) and an omitted optional argument as null (some hosts: undefined). These helpers
 * turn that into the plain cell lists the engine reads, and report a wrong shape by argument name.
 */
import { CellValue, InputError } from '../engine/errors';
import { readNumber } from '../engine/money';
import { readDate, EpochDays } from '../engine/dates';
import { isBlankCell } from '../engine/transactions';
import { t } from '../i18n';
import { functionsLocale } from './locale';

export type Cell = CellValue;
/** What Excel passes for an `any[][]` parameter. */
export type Range = Cell[][];
/** What Excel may pass for any parameter: a scalar, a range, or nothing. */
export type Argument = Cell | Range;

function argumentError(argument: string, key: string, params: Record<string, string | number> = {}): InputError {
  return new InputError('bad-parameter', t(functionsLocale(), key, params), { column: argument });
}

function shapeOf(range: Range): { rows: number; columns: number } {
  return { rows: range.length, columns: range.reduce((widest, row) => Math.max(widest, row.length), 0) };
}

/** Omitted optional arguments arrive as null or undefined; a 1 x 1 range of a blank cell counts as omitted too. */
export function isOmitted(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0 || (value.length === 1 && Array.isArray(value[0]) && value[0].length <= 1 && isBlankCell(value[0][0] as Cell));
  return false;
}

export function isBlank(cell: Cell): boolean {
  return isBlankCell(cell);
}

/**
 * A range as a flat list of cells: an n x 1 column or a 1 x n row gives its n cells, a scalar gives
 * one. A block wider and taller than one cell is an error naming the argument.
 */
export function asColumn(value: Argument, argument: string): Cell[] {
  if (!Array.isArray(value)) return [value];
  const { rows, columns } = shapeOf(value);
  if (columns <= 1) return value.map((row) => (row.length ? row[0] : ''));
  if (rows === 1) return value[0].slice();
  throw argumentError(argument, 'functions.error.notAColumn', { rows, columns });
}

function isTall(value: Argument | undefined): value is Range {
  return Array.isArray(value) && value.length > 1;
}

/**
 * Whole-column references (B:B) arrive with every blank row below the data, as "" (or null).
 * Cuts the given aligned ranges together after the last row in which any of them has a filled
 * cell, so results spill only as far as the data, as Excel's own functions do. Scalars, omitted
 * arguments and one-row ranges come back as they are; rows above the last filled one are kept.
 */
export function trimTrailingBlankRows<T extends Argument | undefined>(values: readonly T[]): T[] {
  let end = 0;
  for (const value of values) {
    if (!isTall(value)) continue;
    for (let r = value.length - 1; r >= end; r--) {
      if (value[r].some((cell) => !isBlank(cell))) {
        end = r + 1;
        break;
      }
    }
  }
  return values.map((value) => (isTall(value) && value.length > end ? (value.slice(0, Math.max(1, end)) as T) : value));
}

/** One value given as a scalar or a 1 x 1 range. */
export function asScalar(value: Argument, argument: string): Cell {
  if (!Array.isArray(value)) return value;
  const { rows, columns } = shapeOf(value);
  if (rows === 1 && columns <= 1) return value[0][0];
  throw argumentError(argument, 'functions.error.notOneCell', { rows, columns });
}

/** A rectangular 2-D range (a scalar becomes 1 x 1; ragged rows are padded with blanks). */
export function asRange(value: Argument): Range {
  if (!Array.isArray(value)) return [[value]];
  const { columns } = shapeOf(value);
  return value.map((row) => (row.length === columns ? row : [...row, ...new Array<Cell>(columns - row.length).fill('')]));
}

/** A number argument; omitted or blank gives the fallback (or undefined when there is none). */
export function optionalNumber(value: Argument, argument: string, fallback: number): number;
export function optionalNumber(value: Argument, argument: string): number | undefined;
export function optionalNumber(value: Argument, argument: string, fallback?: number): number | undefined {
  if (isOmitted(value)) return fallback;
  const cell = asScalar(value, argument);
  if (isBlank(cell)) return fallback;
  return readNumber(cell, { column: argument });
}

/** A required number argument. */
export function requiredNumber(value: Argument, argument: string): number {
  return readNumber(isOmitted(value) ? null : asScalar(value, argument), { column: argument });
}

/** A text option, trimmed and lower-cased, checked against its choices; omitted or blank gives the fallback. */
export function optionalChoice<T extends string>(value: Argument, argument: string, choices: readonly T[], fallback: T): T {
  if (isOmitted(value)) return fallback;
  const cell = asScalar(value, argument);
  if (isBlank(cell)) return fallback;
  const text = String(cell).trim().toLowerCase();
  const match = choices.find((c) => c.toLowerCase() === text);
  if (match === undefined) {
    throw argumentError(argument, 'functions.error.notOneOf', { value: String(cell), choices: choices.join(', ') });
  }
  return match;
}

const TRUE_WORDS = ['true', 'yes', 'y', '1', '是', '真'];
const FALSE_WORDS = ['false', 'no', 'n', '0', '否', '假'];

/** TRUE/FALSE, 1/0 or yes/no (是/否); omitted or blank gives the fallback. */
export function optionalBoolean(value: Argument, argument: string, fallback: boolean): boolean {
  if (isOmitted(value)) return fallback;
  const cell = asScalar(value, argument);
  if (isBlank(cell)) return fallback;
  if (typeof cell === 'boolean') return cell;
  const text = String(cell).trim().toLowerCase();
  if (TRUE_WORDS.includes(text)) return true;
  if (FALSE_WORDS.includes(text)) return false;
  throw argumentError(argument, 'functions.error.notABoolean', { value: String(cell) });
}

/** A date argument (serial, Date or date text); omitted or blank gives undefined. */
export function optionalDate(value: Argument, argument: string): EpochDays | undefined {
  if (isOmitted(value)) return undefined;
  const cell = asScalar(value, argument);
  if (isBlank(cell)) return undefined;
  return readDate(cell, { column: argument });
}

/**
 * A list of numbers from a range (read row by row, blanks skipped) or from one text cell such as
 * "1,1,2", "1;1;2" or "1，1，2". Omitted gives undefined.
 */
export function optionalNumberList(value: Argument, argument: string): number[] | undefined {
  if (isOmitted(value)) return undefined;
  const cells = Array.isArray(value) ? value.flat() : [value];
  const nonBlank = cells.filter((c) => !isBlank(c));
  if (nonBlank.length === 1 && typeof nonBlank[0] === 'string' && /[,;，；\s]/.test(nonBlank[0].trim())) {
    return splitNumberText(nonBlank[0], argument);
  }
  return nonBlank.map((cell) => readNumber(cell, { column: argument }));
}

function splitNumberText(text: string, argument: string): number[] {
  const parts = text.split(/[,;，；\s]+/).filter((p) => p !== '');
  try {
    if (!parts.length) throw new Error('empty');
    return parts.map((part) => readNumber(part)); // readNumber also reads percentages such as 80%
  } catch {
    throw argumentError(argument, 'functions.error.notANumberList', { value: text });
  }
}

/** Checks that parallel columns have the same number of rows, naming the first that differs. */
export function requireSameLength(columns: readonly (readonly [string, readonly Cell[]])[]): void {
  const [referenceName, reference] = columns[0];
  for (const [name, column] of columns.slice(1)) {
    if (column.length !== reference.length) {
      throw new InputError(
        'length-mismatch',
        t(functionsLocale(), 'functions.error.lengthMismatch', { count: column.length, reference: referenceName, expected: reference.length }),
        { column: name },
      );
    }
  }
}

/** Text that is not a number: what a header cell looks like. */
export function isHeaderText(cell: Cell): boolean {
  if (typeof cell !== 'string' || cell.trim() === '') return false;
  try {
    readNumber(cell);
    return false;
  } catch {
    return true;
  }
}

/**
 * True when the first row is a header: in every column the first cell is text that the column's
 * reader cannot read (e.g. "Recency" for a number, "首次购买" for a date). A selection that
 * includes the header row then still works, and messages count rows as the user sees them.
 * The reader defaults to a plain number.
 */
export function firstRowIsHeader(columns: readonly (readonly Cell[])[], readers: readonly ((cell: Cell) => unknown)[] = []): boolean {
  return (
    columns.length > 0 &&
    columns.every((column, c) => {
      const first = column[0];
      if (column.length < 2 || typeof first !== 'string' || first.trim() === '') return false;
      try {
        (readers[c] ?? readNumber)(first);
        return false;
      } catch {
        return true;
      }
    })
  );
}

export function requireData(cells: readonly Cell[], argument: string): void {
  if (!cells.some((c) => !isBlank(c))) throw argumentError(argument, 'functions.error.noData');
}
