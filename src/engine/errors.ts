/**
 * Errors the engine raises for bad input. Every one says what is wrong, where (row, column, cell)
 * and how to fix it. Engine errors also carry their message as data (`detail`: a key of the
 * registry in ./error-messages and its parameters), so hosts word them in the user's language
 * through i18n; `message` is the English text, shown where nothing translates it.
 */
import { ENGINE_MESSAGES, EngineMessageKey, fillTemplate, MessageParams } from './error-messages';

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

/** An engine message as data: which message, with what values. */
export interface ErrorDetail {
  readonly key: EngineMessageKey;
  readonly params: MessageParams;
  /** The parameter a parameterError() names before the message ("budget: ..."). */
  readonly parameter?: string;
  /** The error this one wraps (a budget scenario's own error); its message fills {reason}. */
  readonly inner?: InputError;
}

export class InputError extends Error {
  readonly code: InputErrorCode;
  readonly location: CellLocation;
  readonly value: CellValue;
  /** The message as data, for translation; absent when a host worded the message itself. */
  readonly detail?: ErrorDetail;

  constructor(code: InputErrorCode, message: string, location: CellLocation = {}, value?: CellValue, detail?: ErrorDetail) {
    super(withLocation(message, location));
    this.name = 'InputError';
    this.code = code;
    this.location = location;
    this.value = value;
    this.detail = detail;
  }
}

/** The English text of a detail, without its location: "budget: must be a number above 0 (got 0)". */
export function englishDetail(detail: ErrorDetail): string {
  const params = detail.inner ? { ...detail.params, reason: detail.inner.message } : detail.params;
  const text = fillTemplate(ENGINE_MESSAGES[detail.key].en, params);
  return detail.parameter !== undefined ? `${detail.parameter}: ${text}` : text;
}

/** An engine error from the registry: its code, its English message and the message as data. */
export function engineError(key: EngineMessageKey, params: MessageParams = {}, location: CellLocation = {}, value?: CellValue): InputError {
  const detail: ErrorDetail = { key, params };
  return new InputError(ENGINE_MESSAGES[key].code, englishDetail(detail), location, value, detail);
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

/** A bad parameter (no cell): "name: message", e.g. "budget: must be a number above 0 (got 0)". */
export function parameterError(name: string, key: EngineMessageKey, params: MessageParams = {}): InputError {
  const detail: ErrorDetail = { key, params, parameter: name };
  return new InputError(ENGINE_MESSAGES[key].code, englishDetail(detail), {}, undefined, detail);
}

/** Wraps an engine error in another message whose {reason} is the wrapped error's own (its code and value kept). */
export function wrappedError(key: EngineMessageKey, params: MessageParams, inner: InputError): InputError {
  const detail: ErrorDetail = { key, params, inner };
  return new InputError(inner.code, englishDetail(detail), {}, inner.value, detail);
}
