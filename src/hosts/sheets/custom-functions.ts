/**
 * The six custom functions in Google Sheets: the same src/functions layer as CBP.* in Excel, behind
 * an adapter for what Sheets hands over and how it shows errors. Nothing is computed here.
 *
 * What differs from Excel:
 * - a date cell is a Date at its midnight in the spreadsheet's time zone: it becomes the serial
 *   number Excel would pass for the same cell, its day read in that zone;
 * - an omitted argument is undefined (Excel: null); a single cell given for a range is a scalar
 *   (Excel: a 1x1 matrix);
 * - an error is a thrown Error, shown as #ERROR! with its message (Excel: a CustomFunctions.Error);
 * - the language of messages is the spreadsheet's locale (zh_CN -> Chinese);
 * - a result is limited by the spreadsheet's 10 million cells, not by Excel's 5 MB and 1,048,576 rows.
 *
 * The generated top-level stubs in Code.js call callCustomFunction with the function's id, the
 * dimensionality of each parameter (from the same metadata as Excel's functions.json) and the
 * arguments as Sheets passed them.
 */
import * as excelFunctions from '../../functions/functions';
import { EXCEL_ERROR_CODES } from '../../functions/error-codes';
import { setFunctionsLanguageSource } from '../../functions/locale';
import { setFunctionsHost } from '../../functions/results';
import { isDateValue, spreadsheetSerial } from './dates';

export type Dimensionality = 'scalar' | 'matrix';
type FunctionId = 'RFM' | 'RFMSCORE' | 'CLV' | 'ALLOCATE' | 'SEGMENT' | 'VARIANCE';

/** The Apps Script services a custom function may use (they need no authorization). */
export interface FunctionServices {
  SpreadsheetApp: Pick<GoogleAppsScript.Spreadsheet.SpreadsheetApp, 'getActive'>;
  Utilities: Pick<GoogleAppsScript.Utilities.Utilities, 'formatDate'>;
}

class SheetsFunctionError {
  constructor(
    public code: string,
    public message?: string,
  ) {}
}

/** Gives the shared layer the CustomFunctions.Error it raises; Office.js defines it in Excel. */
function installErrorValues(): void {
  const holder = globalThis as unknown as { CustomFunctions?: Record<string, unknown> };
  holder.CustomFunctions = { associate: () => undefined, ...holder.CustomFunctions, Error: SheetsFunctionError, ErrorCode: EXCEL_ERROR_CODES };
}

function isErrorValue(value: unknown): value is SheetsFunctionError {
  return value instanceof SheetsFunctionError;
}

/** #NUM! carries no message in Excel; Sheets shows one, so say what the code means. */
const CODE_MEANINGS: Record<string, string> = {
  '#NUM!': 'the result is not a finite number (for CLV bgnbd: the model did not converge on this data)',
};

function errorText(error: SheetsFunctionError): string {
  return error.message || `${error.code} ${CODE_MEANINGS[error.code] ?? ''}`.trim();
}

let services: () => FunctionServices = () => ({ SpreadsheetApp, Utilities });

/** Tests and the bench: the services to read the spreadsheet's zone and locale from. */
export function setFunctionServices(source: () => FunctionServices): void {
  services = source;
}

function toExcelCell(value: unknown, serialOf: (date: Date) => number): unknown {
  return isDateValue(value) ? serialOf(value) : value;
}

/** One argument as Excel would pass it. */
function toExcelArgument(value: unknown, dimensionality: Dimensionality, serialOf: (date: Date) => number): unknown {
  if (value === undefined) return null;
  if (Array.isArray(value)) return value.map((row: unknown) => (Array.isArray(row) ? row.map((cell: unknown) => toExcelCell(cell, serialOf)) : [toExcelCell(row, serialOf)]));
  const cell = toExcelCell(value, serialOf);
  return dimensionality === 'matrix' ? [[cell]] : cell;
}

/** A result cell Sheets can show: an error value inside a table becomes its code as text. */
function toSheetsCell(value: unknown): unknown {
  return isErrorValue(value) ? value.code : value;
}

/** Runs one of the six functions for Sheets: arguments adapted, the shared layer called, errors thrown with their message. */
export function callCustomFunction(id: FunctionId, dimensionalities: readonly Dimensionality[], args: readonly unknown[]): unknown[][] {
  installErrorValues();
  setFunctionsHost('sheets');
  const { SpreadsheetApp: app, Utilities: utilities } = services();
  const spreadsheet = app.getActive();
  setFunctionsLanguageSource(() => spreadsheet.getSpreadsheetLocale());
  const serialOf = spreadsheetSerial(utilities, spreadsheet.getSpreadsheetTimeZone());
  const excelArgs = dimensionalities.map((dimensionality, i) => toExcelArgument(args[i], dimensionality, serialOf));
  const fn = excelFunctions[id] as (...values: unknown[]) => unknown[][];
  try {
    return fn(...excelArgs).map((row) => row.map(toSheetsCell));
  } catch (error) {
    if (isErrorValue(error)) throw new Error(errorText(error));
    throw error;
  }
}
