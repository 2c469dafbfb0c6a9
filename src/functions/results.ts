/**
 * Turning engine results and errors into what Excel accepts from a custom function: a 2-D array of
 * finite numbers, strings and booleans (or CustomFunctions.Error cells), within Excel's limits; or
 * one CustomFunctions.Error whose message says what is wrong and where. Nothing escapes unhandled.
 */
import { CellLocation, englishDetail, ErrorDetail, InputError, withLocation } from '../engine/errors';
import { Locale, t } from '../i18n';
import { errorBody, locationText, withLocationText } from '../i18n/errors';
import { functionsLocale } from './locale';

/** A cell of a custom function's result. */
export type ResultCell = number | string | boolean | CustomFunctions.Error;
export type ResultTable = ResultCell[][];

/** Excel's documented ceiling for the data a custom function returns is 5 MB; stay just below it. */
export const MAX_RESULT_BYTES = 5_000_000;
/** Rows in a worksheet: a taller spill can never fit. */
export const MAX_WORKSHEET_ROWS = 1_048_576;

/** A Google Sheets spreadsheet holds at most 10 million cells; Sheets documents no byte limit for a function's result. */
export const MAX_SPREADSHEET_CELLS = 10_000_000;

/** Which spreadsheet the functions answer: Excel (the default) or Google Sheets, whose limits and names differ. */
export type FunctionsHost = 'excel' | 'sheets';
let functionsHost: FunctionsHost = 'excel';

export function setFunctionsHost(host: FunctionsHost): void {
  functionsHost = host;
}

/** How the user calls the function in this host: CBP.RFM in Excel, RFM in Sheets. */
function shownName(functionName: string): string {
  return functionsHost === 'sheets' ? functionName : `CBP.${functionName}`;
}

/** A computed number that cannot be shown (NaN, Infinity): becomes #NUM! (Excel allows no message there). */
export class NumericError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NumericError';
  }
}

/**
 * "dates, row 12: 'abc' is not a date": the argument (or column) first, then the row, then what is
 * wrong, in the language of the functions (Excel's display language): engine errors are worded
 * from the i18n catalogue by their key, "weights，第 3 行：权重 -2 必须…" in Chinese.
 */
export function functionMessage(error: InputError, locale: Locale = functionsLocale()): string {
  return withLocationText(locationText(error.location, locale, 'function'), errorBody(error, locale), locale);
}

/**
 * A parameterError ("saturation: must be ...") as an error at an Excel argument: the parameter's
 * name leaves the message and the argument becomes its column; `location` adds the row or cell.
 */
export function atArgument(error: InputError, argument: string, location: CellLocation = {}): InputError {
  const at = { ...location, column: argument };
  const detail = error.detail;
  if (detail) {
    const moved: ErrorDetail = { key: detail.key, params: detail.params, ...(detail.inner ? { inner: detail.inner } : {}) };
    return new InputError(error.code, englishDetail(moved), at, error.value, moved);
  }
  const prefix = withLocation('', error.location);
  const bare = prefix && error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
  return new InputError(error.code, bare, at, error.value);
}

function isCustomFunctionsError(error: unknown): error is CustomFunctions.Error {
  return typeof CustomFunctions !== 'undefined' && error instanceof CustomFunctions.Error;
}

/**
 * Maps anything thrown while computing a function to the error Excel shows:
 * input problems -> #VALUE! with the message; a fit that did not converge or a non-finite
 * number -> #NUM! (Excel shows no custom message for #NUM!); anything unexpected -> #VALUE! saying so.
 */
export function toCustomFunctionsError(error: unknown, functionName: string): CustomFunctions.Error {
  if (isCustomFunctionsError(error)) return error;
  if (error instanceof InputError) {
    if (error.code === 'not-converged') return new CustomFunctions.Error(CustomFunctions.ErrorCode.invalidNumber);
    return new CustomFunctions.Error(CustomFunctions.ErrorCode.invalidValue, functionMessage(error));
  }
  if (error instanceof NumericError) return new CustomFunctions.Error(CustomFunctions.ErrorCode.invalidNumber);
  const detail = error instanceof Error ? error.message : String(error);
  return new CustomFunctions.Error(CustomFunctions.ErrorCode.invalidValue, t(functionsLocale(), 'functions.error.unexpected', { function: shownName(functionName), detail }));
}

/** A value as an Excel cell: non-finite numbers become #NUM!, missing values a blank. */
export function toResultCell(value: unknown): ResultCell {
  if (typeof value === 'number') return Number.isFinite(value) ? value : new CustomFunctions.Error(CustomFunctions.ErrorCode.invalidNumber);
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (value === null || value === undefined) return '';
  if (isCustomFunctionsError(value)) return value;
  return String(value);
}

const ERROR_CELL_BYTES = 48;

/** Bytes of a string inside JSON: UTF-8, plus the escapes JSON.stringify writes. */
function jsonStringBytes(text: string): number {
  let bytes = 2; // the quotes
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x22 || code === 0x5c || code === 0x08 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d) bytes += 2;
    else if (code < 0x20) bytes += 6; // \u00XX
    else if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4; // a surrogate pair is one 4-byte character
      i++;
    } else if (code >= 0xd800 && code <= 0xdfff) bytes += 6; // a lone surrogate is escaped as \uXXXX
    else bytes += 3;
  }
  return bytes;
}

/**
 * The size of a result serialised as JSON (what crosses from the runtime to Excel), in bytes:
 * exact for numbers, strings and booleans, an upper estimate for error cells. Stops counting past `limit`.
 */
export function estimateResultBytes(table: readonly (readonly ResultCell[])[], limit = Infinity): number {
  let bytes = 2 + Math.max(0, table.length - 1); // outer brackets and the commas between rows
  for (const row of table) {
    bytes += 2 + Math.max(0, row.length - 1);
    for (const cell of row) {
      if (typeof cell === 'number') bytes += String(cell).length;
      else if (typeof cell === 'string') bytes += jsonStringBytes(cell);
      else if (typeof cell === 'boolean') bytes += cell ? 4 : 5;
      else bytes += ERROR_CELL_BYTES + jsonStringBytes(cell.message ?? '');
    }
    if (bytes > limit) return bytes;
  }
  return bytes;
}

/** Throws a #VALUE! that points to the task pane when a result cannot reach the sheet. */
export function guardResultSize(table: readonly (readonly ResultCell[])[], maxBytes = MAX_RESULT_BYTES): void {
  const locale = functionsLocale();
  if (functionsHost === 'sheets') {
    const cells = table.length * Math.max(0, ...table.slice(0, 1).map((row) => row.length));
    if (cells > MAX_SPREADSHEET_CELLS) throw new CustomFunctions.Error(CustomFunctions.ErrorCode.invalidValue, t(locale, 'functions.error.tooManyCells', { rows: table.length, cells }));
    return;
  }
  if (table.length > MAX_WORKSHEET_ROWS) {
    throw new CustomFunctions.Error(CustomFunctions.ErrorCode.invalidValue, t(locale, 'functions.error.tooManyRows', { rows: table.length }));
  }
  const bytes = estimateResultBytes(table, maxBytes);
  if (bytes > maxBytes) {
    const fullBytes = estimateResultBytes(table);
    throw new CustomFunctions.Error(
      CustomFunctions.ErrorCode.invalidValue,
      t(locale, 'functions.error.tooLarge', { rows: table.length, megabytes: (fullBytes / 1_000_000).toFixed(1) }),
    );
  }
}

/**
 * Runs a function body: every cell made Excel-safe, the size checked, and every failure turned
 * into a CustomFunctions.Error thrown to Excel (never an unhandled exception).
 */
export function runFunction(functionName: string, body: () => readonly (readonly unknown[])[]): ResultTable {
  try {
    const table = body().map((row) => row.map(toResultCell));
    guardResultSize(table);
    return table;
  } catch (error) {
    throw toCustomFunctionsError(error, functionName);
  }
}

/**
 * Re-labels an engine error for the sheet: the engine counts rows among the values it was given
 * (1-based) and names its own columns; the function knows which row of the selection each value
 * came from and what the argument is called in Excel. Other errors pass through.
 */
export function relocateError(error: unknown, sourceRowOf: (engineRow: number) => number, argumentNames: Readonly<Record<string, string>> = {}): unknown {
  if (!(error instanceof InputError)) return error;
  const { row, column, cell } = error.location;
  const prefix = withLocation('', error.location);
  let bare = prefix && error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
  // parameterError() writes "name: message" with no location: rename the parameter to the Excel argument.
  const parameter = error.detail?.parameter;
  if (column === undefined && parameter !== undefined && parameter in argumentNames) {
    return atArgument(error, argumentNames[parameter], cell ? { cell } : {});
  }
  for (const [engineName, argument] of Object.entries(argumentNames)) {
    if (column === undefined && bare.startsWith(`${engineName}: `)) {
      return new InputError(error.code, bare.slice(engineName.length + 2), { column: argument, ...(cell ? { cell } : {}) }, error.value);
    }
  }
  if (row === undefined && column === undefined) return error;
  const location = {
    ...(row !== undefined ? { row: sourceRowOf(row) } : {}),
    ...(column !== undefined ? { column: argumentNames[column] ?? column } : {}),
    ...(cell ? { cell } : {}),
  };
  bare = bare.trim();
  return new InputError(error.code, bare, location, error.value, error.detail);
}

/** Runs an engine call, re-labelling its errors with relocateError. */
export function withSourceRows<T>(sourceRowOf: (engineRow: number) => number, argumentNames: Readonly<Record<string, string>>, call: () => T): T {
  try {
    return call();
  } catch (error) {
    throw relocateError(error, sourceRowOf, argumentNames);
  }
}
