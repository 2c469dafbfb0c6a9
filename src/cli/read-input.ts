/** Reads the `cbp` command's input files: CSV (columnar, fast) or .xlsx (via the xlsx host). */
import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import type { CellValue } from '../engine/errors';
import { detectDelimiter, parseCsv } from './csv';
import { CLI_LOCALE, CliIo, UsageError } from './io';
import { InputEncoding, INPUT_ENCODINGS, toUtf8 } from './encoding';
import { choiceOption, ParsedOptions, stringOption } from './options';
import { t } from '../i18n';
import { columnLetter, normaliseHeader } from '../engine/headers';
import { readNumber } from '../engine/money';
import type { CsvField } from './csv';

export interface InputColumns {
  header: CellValue[];
  /** columns[c][r]: data row r (header excluded). */
  columns: CellValue[][];
  rowCount: number;
}

export interface InputOptions {
  sheet?: string;
  /** Folder relative paths resolve against (default: the process's); messages keep the path as given. */
  cwd?: string;
  /** --encoding: the CSV's encoding (default: detected, see ./encoding). */
  encoding?: InputEncoding;
  /** The longest line read (default MAX_LINE_BYTES; tests set a smaller one). */
  maxLineBytes?: number;
  /** Where notes go (standard error), e.g. that a file was read as GB18030. */
  stderr?: (text: string) => void;
}

/** The options every input file is read with: the command's folder, standard error, --encoding and --sheet. */
export function fileOptions(values: ParsedOptions, io: CliIo, sheetOption = 'sheet'): InputOptions {
  const encoding = values.encoding === undefined ? undefined : choiceOption(values, 'encoding', INPUT_ENCODINGS, 'utf-8');
  return { cwd: io.cwd, stderr: io.stderr, sheet: stringOption(values, sheetOption), ...(encoding ? { encoding } : {}) };
}

function isXlsx(path: string): boolean {
  return ['.xlsx', '.xlsm'].includes(extname(path).toLowerCase());
}

/** A CSV file's bytes as UTF-8 (see ./encoding), saying on standard error when it was read as GB18030. */
export async function readCsvBytes(path: string, options: InputOptions = {}): Promise<Buffer> {
  let bytes: Buffer;
  try {
    bytes = await readFile(resolve(options.cwd ?? process.cwd(), path));
  } catch (error) {
    throw fileError(error, path);
  }
  const input = toUtf8(bytes, path, options.encoding);
  if (input.guessed) options.stderr?.(`note: ${t(CLI_LOCALE, 'input.encodingFallback', { path })}\n`);
  assertDistinctHeaderLine(input.bytes, path);
  assertLinesFit(input.bytes, path, options.maxLineBytes ?? MAX_LINE_BYTES);
  return input.bytes;
}

/** The most characters Excel holds in one cell. */
export const MAX_CELL_CHARS = 32_767;
/**
 * The longest CSV line cbp reads (1 MiB): far beyond any real row (32 cells of Excel's maximum),
 * and what a file without line breaks or with an unclosed quote looks like long before it has been
 * read into memory as one row.
 */
export const MAX_LINE_BYTES = 1 << 20;

/** A line too long to read, or a cell longer than Excel holds: row is the line's number from `firstRow`. */
export type LineProblem = { kind: 'line'; row: number } | { kind: 'cell'; row: number; column: number; length: number };

/**
 * Counts the lines of `bytes` and finds the first that is longer than `maxLineBytes`, or holds a
 * cell longer than Excel's 32,767 characters (only lines long enough to hold one are parsed for
 * this). Rows are lines; the first line of `bytes` is row `firstRow`.
 */
export function checkLines(bytes: Buffer, maxLineBytes: number, delimiter: string, firstRow = 1): { lines: number; problem?: LineProblem } {
  let row = firstRow - 1;
  for (let start = 0; start < bytes.length; ) {
    row++;
    let end = bytes.indexOf(10, start);
    if (end < 0) end = bytes.length;
    const length = end - start;
    if (length > maxLineBytes) return { lines: row - firstRow + 1, problem: { kind: 'line', row } };
    if (length > MAX_CELL_CHARS) {
      const line = parseCsv(bytes.toString('utf8', start, end), delimiter);
      for (const [c, field] of line.header.entries()) {
        if (field.length > MAX_CELL_CHARS) return { lines: row - firstRow + 1, problem: { kind: 'cell', row, column: c, length: field.length } };
      }
    }
    start = end + 1;
  }
  return { lines: row - firstRow + 1 };
}

/** The message of a line problem of `path`. */
export function lineProblemError(problem: LineProblem, path: string, maxLineBytes: number): UsageError {
  if (problem.kind === 'line') return new UsageError(t(CLI_LOCALE, 'input.lineTooLong', { path, row: problem.row, limit: maxLineBytes / (1 << 20) }));
  return new UsageError(t(CLI_LOCALE, 'input.cellTooLong', { path, row: problem.row, column: columnLetter(problem.column), length: problem.length, limit: MAX_CELL_CHARS }));
}

/** The delimiter of a CSV's first line. */
export function firstLineDelimiter(bytes: Buffer): string {
  return detectDelimiter(bytes.toString('utf8', 0, bytes.indexOf(10)));
}

/**
 * Refuses a line longer than `maxLineBytes`, and a cell longer than Excel's 32,767 characters,
 * with the row and column, before any output is written. Rows are lines, counting the header as
 * row 1.
 */
function assertLinesFit(bytes: Buffer, path: string, maxLineBytes: number): void {
  const { problem } = checkLines(bytes, maxLineBytes, firstLineDelimiter(bytes));
  if (problem) throw lineProblemError(problem, path, maxLineBytes);
}

/** assertDistinctHeaders on the first line of a CSV's UTF-8 bytes. */
export function assertDistinctHeaderLine(bytes: Buffer, path: string): void {
  const end = bytes.indexOf(10);
  assertDistinctHeaders(parseCsv(bytes.toString('utf8', 0, end < 0 ? bytes.length : end)).header, path);
}

/**
 * Two columns with the same header (after normalisation: 'Amount' and 'amount ', '金额' and '金 额')
 * are refused, naming both columns, rather than silently reading the first.
 */
export function assertDistinctHeaders(header: readonly CellValue[], path: string): void {
  const seen = new Map<string, number>();
  header.forEach((h, c) => {
    const key = normaliseHeader(h);
    if (key === '') return;
    const first = seen.get(key);
    if (first !== undefined) throw new UsageError(t(CLI_LOCALE, 'input.duplicateHeader', { path, first: `${columnLetter(first)} (${first + 1})`, second: `${columnLetter(c)} (${c + 1})`, header: String(h).trim() }));
    seen.set(key, c);
  });
}

async function readXlsxRows(path: string, sheet?: string, cwd?: string): Promise<CellValue[][]> {
  const { readXlsxTable } = await import('../hosts/xlsx/read');
  try {
    return await readXlsxTable(resolve(cwd ?? process.cwd(), path), sheet, path);
  } catch (error) {
    throw fileError(error, path);
  }
}

/** A file system error reading `path` as one line naming the file as the user gave it; other errors pass through. */
export function fileError(error: unknown, path: string): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new UsageError(`cannot read ${path}: no such file`);
  if (code === 'EACCES' || code === 'EPERM') return new UsageError(`cannot read ${path}: permission denied`);
  if (code === 'EISDIR') return new UsageError(`cannot read ${path}: it is a folder, not a file`);
  // Only files the streaming reader leaves to the whole-file one get here: those not in UTF-8.
  if (code === 'ERR_FS_FILE_TOO_LARGE') return new UsageError(t(CLI_LOCALE, 'input.tooLargeNotUtf8', { path }));
  return error;
}

/** Drops leading fully blank rows so the first non-blank row is the header. */
function dropLeadingBlankRows(rows: CellValue[][]): CellValue[][] {
  let first = 0;
  while (first < rows.length && rows[first].every((v) => v === '' || v === null || v === undefined)) first++;
  return first === 0 ? rows : rows.slice(first);
}

/** The rows of an .xlsx input from its header row on, its headers checked as a CSV's are. */
async function readXlsxInput(path: string, options: InputOptions): Promise<CellValue[][]> {
  const rows = dropLeadingBlankRows(await readXlsxRows(path, options.sheet, options.cwd));
  assertDistinctHeaders(rows[0] ?? [], path);
  return rows;
}

/** Header plus data as columns. CSV fields stay text; .xlsx cells keep their types. */
export async function readInputColumns(path: string, options: InputOptions = {}): Promise<InputColumns> {
  if (isXlsx(path)) {
    const rows = await readXlsxInput(path, options);
    const header = rows[0] ?? [];
    const columns = header.map((_, c) => rows.slice(1).map((row) => row[c] ?? ''));
    return { header, columns, rowCount: Math.max(0, rows.length - 1) };
  }
  if (options.sheet !== undefined) throw new UsageError(`--sheet applies to .xlsx files only, not ${path}`);
  const table = parseCsv((await readCsvBytes(path, options)).toString('utf8'));
  return { header: table.header, columns: table.columns, rowCount: table.rowCount };
}

/** Rows, header first: the shape hosts and workbook builders take. */
export async function readInputTable(path: string, options: InputOptions = {}): Promise<CellValue[][]> {
  if (isXlsx(path)) return readXlsxInput(path, options);
  const { header, columns, rowCount } = await readInputColumns(path, options);
  const rows: CellValue[][] = [header];
  for (let r = 0; r < rowCount; r++) rows.push(columns.map((column) => column[r]));
  return rows;
}

function listHeaders(table: InputColumns): string {
  return table.header.map((h) => `'${String(h)}'`).join(', ');
}

/** Index of the column named `name` (any case and spacing), else of the first fallback present; -1 if none. */
export function findOptionalColumn(table: InputColumns, name: string | undefined, fallbacks: readonly string[] = []): number {
  const headers = table.header.map(normaliseHeader);
  for (const candidate of name !== undefined ? [name] : fallbacks) {
    const index = headers.indexOf(normaliseHeader(candidate));
    if (index >= 0) return index;
  }
  return -1;
}

/** Like findOptionalColumn, but a missing column is a usage error naming the option to set. */
export function findColumn(table: InputColumns, name: string | undefined, fallbacks: readonly string[], what: string, option: string): number {
  const index = findOptionalColumn(table, name, fallbacks);
  if (index >= 0) return index;
  if (name !== undefined) throw new UsageError(`${option} '${name}' is not a column; the columns are ${listHeaders(table)}`);
  throw new UsageError(`no ${what} column found among ${listHeaders(table)}; name it with ${option}`);
}

/** A column of numbers, each read with its row and column in any message; blanks become `blankAs` when given. */
export function numberColumn(table: InputColumns, index: number, blankAs?: number): Float64Array {
  const header = String(table.header[index]);
  return Float64Array.from(table.columns[index], (value, r) => readNumber(value, { row: r + 2, column: header }, blankAs));
}

/**
 * An input cell as it goes back out: dates as ISO text, and text that is a finite number written
 * the canonical way ('1457.81', not '00123', '1e3' or 'NaN') with at most 15 significant digits
 * (what Excel keeps: a 16-digit card or account number stays text) as that number, so JSON and
 * .xlsx output carry numbers (CSV output is the same either way).
 */
export function plainCell(value: CellValue): CsvField {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'string' && isCanonicalNumber(value)) return Number(value);
  return value === undefined ? null : value;
}

function isCanonicalNumber(text: string): boolean {
  const n = Number(text);
  return text !== '' && Number.isFinite(n) && String(n) === text && text.replace(/^-?0*|\.|0+$/g, '').length <= 15;
}
