/**
 * A workbook change as plain data: the sheets a run adds, with blocks of values, tables, number
 * formats, conditional formats and charts. Built once from engine results and written faithfully
 * by each host (Office.js, ExcelJS), so the layout is tested once, as data.
 */
import { columnLetter } from '../engine/headers';

/**
 * A cell value. Text is always written as text, never as a formula: only an explicit
 * `{ formula }` (built by the product, never from user text) is a formula. Dates are epoch days
 * (days since 1970-01-01, UTC); a fraction of a day is a time of day (date-times such as "written at").
 */
export type SpecValue = string | number | boolean | null | { date: number } | { formula: string; result: number | string };

/** Days between Excel's 1899-12-30 epoch and 1970-01-01: an Excel serial is epoch days + this. */
export const EXCEL_EPOCH_OFFSET_DAYS = 25569;

/** The Excel serial number of epoch days (the 1900 date system; valid from 1900-03-01 on). */
export function excelSerialFromEpochDays(epochDays: number): number {
  return epochDays + EXCEL_EPOCH_OFFSET_DAYS;
}

/** Epoch days (with a fraction for the time of day) of an ISO time such as 2026-11-22T18:05:00Z. */
export function epochDaysFromIsoTime(iso: string): number {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) throw new Error(`not an ISO time: ${iso}`);
  return ms / 86_400_000;
}

/** Text a host must store as text: Excel would read it as a formula if it were typed (= + - @). */
export function isFormulaLikeText(value: SpecValue): value is string {
  return typeof value === 'string' && looksLikeFormula(value);
}

export interface BlockSpec {
  /** 0-based top-left position. */
  row: number;
  col: number;
  values: SpecValue[][];
  /** Number format per column of the block (null: General). */
  numberFormats?: (string | null)[];
  /** Number format per cell, overriding the column's (null or missing: the column's). */
  cellFormats?: (string | null | undefined)[][];
  bold?: boolean;
}

/** What a table's totals row shows under a column: the sum of the visible rows, or nothing. */
export type TotalsFunction = 'sum' | 'none';

export interface TableSpec {
  /** Excel table name: letters, digits and underscores, unique in the workbook. */
  name: string;
  row: number;
  col: number;
  header: string[];
  rows: SpecValue[][];
  numberFormats: (string | null)[];
  style?: string;
  totalsRow?: boolean;
  /** Label in the first cell of the totals row (default "Total"). */
  totalsLabel?: string;
  /** Per column (default: 'sum' for columns whose rows are all numbers, from the second column on). */
  totalsFunctions?: TotalsFunction[];
}

/** The totals function of each column of a table: explicit, or sums of the all-number columns. */
export function tableTotalsFunctions(table: TableSpec): TotalsFunction[] {
  if (table.totalsFunctions) return table.header.map((_, c) => (c === 0 ? 'none' : (table.totalsFunctions?.[c] ?? 'none')));
  return table.header.map((_, c) => (c > 0 && table.rows.length > 0 && table.rows.every((row) => typeof row[c] === 'number') ? 'sum' : 'none'));
}

/** The number a cell holds as Excel sees it: a number, or a formula's numeric cached result; else undefined. */
export function numericValue(value: SpecValue): number | undefined {
  if (typeof value === 'number') return value;
  if (value !== null && typeof value === 'object' && 'formula' in value && typeof value.result === 'number') return value.result;
  return undefined;
}

/**
 * Sum of a table column's numbers, formula cells by their cached results: the cached result of its
 * totals-row SUBTOTAL(109, ...), which Excel computes the same way (text and blanks ignored).
 */
export function columnSum(table: TableSpec, c: number): number {
  let sum = 0;
  for (const row of table.rows) sum += numericValue(row[c]) ?? 0;
  return sum;
}

export type CellValueOperator = 'between' | 'notBetween' | 'equal' | 'notEqual' | 'greaterThan' | 'lessThan' | 'greaterThanOrEqual' | 'lessThanOrEqual';

/**
 * Conditional formats on exact A1 ranges of their sheet. Colours are 6 hex digits without '#'.
 * Formulas are written without the leading '='; relative references are relative to the range's
 * top-left cell, as in Excel's own dialog.
 */
export type ConditionalFormatSpec =
  | { type: 'expression'; range: string; formula: string; fill: string; fontColor?: string; priority?: number }
  | { type: 'cellValue'; range: string; operator: CellValueOperator; formula1: string; formula2?: string; fill: string; fontColor?: string; priority?: number }
  | { type: 'dataBar'; range: string; color: string }
  | { type: 'iconSet'; range: string; iconSet: '3TrafficLights1' | '3Arrows' | '3Symbols'; thresholds: [number, number]; reverse?: boolean };

export interface ChartSpec {
  type: 'bar' | 'column' | 'pie';
  title: string;
  /** Category labels range and values range, A1 on the same sheet. */
  categories: string;
  values: string;
  /** Top-left cell where the chart is placed. */
  anchor: string;
  /** Shown at the anchor by hosts that cannot draw charts (.xlsx via ExcelJS), saying what stands in for it. */
  substituteNote?: string;
}

export interface SheetSpec {
  name: string;
  blocks: BlockSpec[];
  tables: TableSpec[];
  conditionalFormats: ConditionalFormatSpec[];
  charts: ChartSpec[];
  /** Widths in characters of the default font, from column A. */
  columnWidths?: number[];
  freezeRows?: number;
  /** Protected (an approved plan); no password: the protection guards against slips, not people. */
  protect?: boolean;
  /** Where a log sheet gets new rows appended instead of being created anew. */
  appendTo?: { sheetName: string; tableName: string };
}

/**
 * Cells changed on a sheet that already exists (an approval stamp, a superseded status). A
 * protected sheet is unprotected for the change; afterwards it is protected when `protect` is true,
 * unprotected when false, and left as it was when undefined.
 */
export interface SheetUpdateSpec {
  sheetName: string;
  blocks: BlockSpec[];
  protect?: boolean;
}

export interface WorkbookSpec {
  sheets: SheetSpec[];
  /** Changes to existing sheets, applied after the new sheets are written. */
  updates?: SheetUpdateSpec[];
}

/** Spreadsheet column letters for a 0-based index: 0 -> A, 27 -> AB. */
export const columnName = columnLetter;

/** A1 address of a 0-based cell. */
export function cellAddress(row: number, col: number): string {
  return `${columnName(col)}${row + 1}`;
}

/** A1 range of a 0-based rectangle. */
export function rangeAddress(row: number, col: number, rows: number, cols: number): string {
  return `${cellAddress(row, col)}:${cellAddress(row + rows - 1, col + cols - 1)}`;
}

const FORBIDDEN_SHEET_CHARS = /[\\/?*[\]:]/g;
export const MAX_SHEET_NAME = 31;

/** At most `max` UTF-16 units, never splitting a surrogate pair. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/**
 * A sheet name Excel accepts: forbidden characters (\ / ? * [ ] :) become spaces, no apostrophe at
 * either end, at most 31 characters, not empty and not the reserved name "History".
 */
export function cleanSheetName(base: string): string {
  const ends = /^[\s']+|[\s']+$/g;
  const clean = clip(base.replace(FORBIDDEN_SHEET_CHARS, ' ').replace(ends, ''), MAX_SHEET_NAME).replace(ends, '');
  return clean === '' ? 'Sheet' : clean;
}

/**
 * A sheet name not in `existing` (compared case-insensitively, as Excel does): the base, then
 * "base (2)", "base (3)" ... shortened so the whole name stays within Excel's 31 characters.
 */
export function uniqueSheetName(base: string, existing: readonly string[]): string {
  const clean = cleanSheetName(base);
  const taken = new Set(existing.map((n) => n.toLowerCase()));
  taken.add('history');
  if (!taken.has(clean.toLowerCase())) return clean;
  for (let k = 2; ; k++) {
    const suffix = ` (${k})`;
    const candidate = clip(clean, MAX_SHEET_NAME - suffix.length).trimEnd() + suffix;
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
}

/**
 * Header names made unique (Excel tables need unique column names): a repeat gets " (2)", " (3)"...
 * A blank name becomes `blankName` (pass the sheet's language's word for "Column").
 */
export function uniqueHeaders(names: readonly string[], blankName = 'Column'): string[] {
  const taken = new Set<string>();
  return names.map((name) => {
    const base = name.trim() === '' ? blankName : name;
    let candidate = base;
    for (let k = 2; taken.has(candidate.toLowerCase()); k++) candidate = `${base} (${k})`;
    taken.add(candidate.toLowerCase());
    return candidate;
  });
}

/** A table name unique among `existing`, from a base such as CBP_Plan. */
export function uniqueTableName(base: string, existing: readonly string[]): string {
  const taken = new Set(existing.map((n) => n.toLowerCase()));
  if (!taken.has(base.toLowerCase())) return base;
  for (let k = 2; ; k++) if (!taken.has(`${base}_${k}`.toLowerCase())) return `${base}_${k}`;
}

/** Text that Excel would read as a formula if typed: = + - @ at the start. */
export function looksLikeFormula(text: string): boolean {
  return /^[=+\-@]/.test(text);
}
