/**
 * The values of CustomFunctions.ErrorCode: the texts Excel shows for a function's error. Office.js
 * defines them in Excel; the Google Sheets adapter (and the tests' stand-in for Office.js) need the
 * same values where Office.js is absent.
 */
export const EXCEL_ERROR_CODES = {
  invalidValue: '#VALUE!',
  notAvailable: '#N/A',
  divisionByZero: '#DIV/0!',
  invalidNumber: '#NUM!',
  nullReference: '#NULL!',
  invalidName: '#NAME?',
  invalidReference: '#REF!',
} as const;
