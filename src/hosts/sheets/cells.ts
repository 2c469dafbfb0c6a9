/**
 * Spec values as Google Sheets takes them through Range.setValues, and A1 translations of what
 * only Excel understands.
 *
 * setValues parses strings as if typed: '=SUM(A1)' becomes a formula, '00123' and '+86 138' become
 * numbers, '2025-01-31' a date. A leading apostrophe makes Sheets keep the rest as text (the
 * apostrophe itself is not part of the value), so every text cell is written as "'" + text:
 * text from the user's data starting with = + - @ stays text, never a formula. Formulas the
 * product builds ({ formula }) go in the same setValues as '=...' strings. Dates are serial numbers
 * with a date number format (Sheets' serials share Excel's 1899-12-30 epoch).
 */
import { columnName, excelSerialFromEpochDays, SpecValue, TableSpec, tableTotalsFunctions } from '../../workbook/spec';

export type SheetsInput = string | number | boolean;

export const TEXT_PREFIX = "'";
const DEFAULT_DATE_FORMAT = 'yyyy-mm-dd';
/** Sheets' "Automatic" number format. */
export const GENERAL_FORMAT = 'General';

/** One cell: what setValues gets and the number format to set with setNumberFormats. */
export function sheetsCell(value: SpecValue, format: string | null | undefined): { input: SheetsInput; format: string } {
  const numeric = format && format !== '@' ? format : GENERAL_FORMAT;
  if (value === null || value === '') return { input: '', format: GENERAL_FORMAT };
  if (typeof value === 'string') return { input: TEXT_PREFIX + value, format: GENERAL_FORMAT };
  if (typeof value === 'number') return Number.isFinite(value) ? { input: value, format: numeric } : { input: '', format: GENERAL_FORMAT };
  if (typeof value === 'boolean') return { input: value, format: GENERAL_FORMAT };
  if ('date' in value) return { input: excelSerialFromEpochDays(value.date), format: format && format !== '@' ? format : DEFAULT_DATE_FORMAT };
  return { input: value.formula.startsWith('=') ? value.formula : `=${value.formula}`, format: numeric };
}

/** A 0-based rectangle's rows as setValues / setNumberFormats grids (short rows padded with blanks). */
export function sheetsGrid(rows: readonly SpecValue[][], width: number, formatAt: (r: number, c: number) => string | null | undefined): { values: SheetsInput[][]; formats: string[][] } {
  const values: SheetsInput[][] = new Array(rows.length);
  const formats: string[][] = new Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    const inputs: SheetsInput[] = new Array(width);
    const rowFormats: string[] = new Array(width);
    for (let c = 0; c < width; c++) {
      const cell = c < row.length ? sheetsCell(row[c], formatAt(r, c)) : { input: '', format: GENERAL_FORMAT };
      inputs[c] = cell.input;
      rowFormats[c] = cell.format;
    }
    values[r] = inputs;
    formats[r] = rowFormats;
  }
  return { values, formats };
}

/**
 * A table's totals row for Sheets: Excel writes SUBTOTAL(109, Table[Column]) (a structured
 * reference); Sheets has no tables, so the same sum of the visible rows over the column's A1 range.
 */
export function sheetsTotalsRow(table: TableSpec): SpecValue[] {
  const functions = tableTotalsFunctions(table);
  const first = table.row + 2;
  const last = table.row + 1 + table.rows.length;
  return table.header.map((_, c) => {
    if (c === 0) return table.totalsLabel ?? 'Total';
    if (functions[c] !== 'sum' || !table.rows.length) return '';
    const column = columnName(table.col + c);
    let sum = 0;
    for (const row of table.rows) if (typeof row[c] === 'number') sum += row[c] as number;
    return { formula: `=SUBTOTAL(109,${column}${first}:${column}${last})`, result: sum };
  });
}

/** Column width in pixels for a width in characters of the default font (Arial 10: about 7 px a character). */
export function columnWidthPixels(characters: number): number {
  return Math.round(characters * 7 + 5);
}
