/**
 * Errors the engine raises for bad input. Every one says what is wrong, where (row, column, cell)
 * and how to fix it; hosts translate `code` through i18n and show `message` otherwise.
 */

export type CellValue = number | string | boolean | Date | null | undefined;

/** Where a bad value sits. Rows are 1-based data rows as the user sees them (header excluded unless said). */
export interface CellLocation {
  /** 1-based row number in the source as the user sees it (header row = 1 when there is a header). */
  row?: number;
  /** Column header or argument name, e.g. "amount" or "dates". */
  column?: string;
  /** A1 address when the host knows it, e.g. "C12". */
  cell?: string;
}

export type InputErrorCode =
  | 'bad-date'
  | 'ambiguous-date'
  | 'bad-money'
  | 'bad-number'
  | 'missing-value'
  | 'missing-column'
  | 'duplicate-column'
  | 'length-mismatch'
  | 'bad-parameter'
  | 'infeasible'
  | 'no-data'
  | 'not-converged'
  /** A file that is not what its name says (an .xlsx that is not a zip package, a protected or old workbook). */
  | 'bad-file';

export class InputError extends Error {
  readonly code: InputErrorCode;
  readonly location: CellLocation;
  readonly value: CellValue;

  constructor(code: InputErrorCode, message: string, location: CellLocation = {}, value?: CellValue) {
    super(withLocation(message, location));
    this.name = 'InputError';
    this.code = code;
    this.location = location;
    this.value = value;
  }
}

/** "row 12, column amount: '12x' is not an amount" — location first so the user finds the cell. */
export function withLocation(message: string, location: CellLocation): string {
  const parts: string[] = [];
  if (location.cell) parts.push(`cell ${location.cell}`);
  if (location.row !== undefined) parts.push(`row ${location.row}`);
  if (location.column !== undefined) parts.push(`column ${location.column}`);
  return parts.length ? `${parts.join(', ')}: ${message}` : message;
}

/** Shows a cell value the way the user typed it, for messages. */
export function describeValue(value: CellValue): string {
  if (value === null || value === undefined || value === '') return '(blank)';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '(invalid date)' : value.toISOString().slice(0, 10);
  return `'${String(value)}'`;
}

export function parameterError(name: string, message: string): InputError {
  return new InputError('bad-parameter', `${name}: ${message}`);
}
