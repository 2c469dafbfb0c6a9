/**
 * A workbook change as plain data: the sheets a run adds, with blocks of values, tables, number
 * formats, conditional formats and charts. Built once from engine results and written faithfully
 * by each host (Office.js, ExcelJS), so the layout is tested once, as data.
 */

/**
 * A cell value. Text is always written as text, never as a formula: only an explicit
 * `{ formula }` (built by the product, never from user text) is a formula. Dates are epoch days.
 */
export type SpecValue = string | number | boolean | null | { date: number } | { formula: string; result: number | string };

export interface BlockSpec {
  /** 0-based top-left position. */
  row: number;
  col: number;
  values: SpecValue[][];
  /** Number format per column of the block (null: General). */
  numberFormats?: (string | null)[];
  bold?: boolean;
}

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
}

export type ConditionalFormatSpec =
  | { type: 'expression'; range: string; formula: string; fill: string; fontColor?: string; priority?: number }
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
}

export interface SheetSpec {
  name: string;
  blocks: BlockSpec[];
  tables: TableSpec[];
  conditionalFormats: ConditionalFormatSpec[];
  charts: ChartSpec[];
  columnWidths?: number[];
  freezeRows?: number;
  /** Protected (an approved plan); no password: the protection guards against slips, not people. */
  protect?: boolean;
  /** Where a log sheet gets new rows appended instead of being created anew. */
  appendTo?: { sheetName: string; tableName: string };
}

export interface WorkbookSpec {
  sheets: SheetSpec[];
}

/** Spreadsheet column letters for a 0-based index: 0 -> A, 27 -> AB. */
export function columnName(index: number): string {
  let n = index + 1;
  let name = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    name = String.fromCharCode(65 + rem) + name;
    n = Math.floor((n - 1) / 26);
  }
  return name;
}

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

/**
 * A sheet name not in `existing`: the base, then "base (2)", "base (3)" ... within Excel's
 * 31-character limit and without the characters Excel forbids.
 */
export function uniqueSheetName(base: string, existing: readonly string[]): string {
  const clean = base.replace(FORBIDDEN_SHEET_CHARS, ' ').trim().slice(0, MAX_SHEET_NAME) || 'Sheet';
  const taken = new Set(existing.map((n) => n.toLowerCase()));
  if (!taken.has(clean.toLowerCase())) return clean;
  for (let k = 2; ; k++) {
    const suffix = ` (${k})`;
    const candidate = clean.slice(0, MAX_SHEET_NAME - suffix.length) + suffix;
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
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
