/**
 * Writes a WorkbookSpec into the active spreadsheet through Apps Script's SpreadsheetApp.
 *
 * - Batched: per block (or table) one getRange, one setNumberFormats and one setValues, whatever
 *   its number of rows; formulas go in the same setValues. Text is written as text (see cells.ts).
 * - Tables become a bold, frozen header, the rows, a totals row with A1 SUBTOTAL sums and a named
 *   range over header and rows under the table's name (Apps Script has no table API under the
 *   current-document scope). The log table is a named range too: new log rows are appended under
 *   it and the named range grows.
 * - Conditional formats become SpreadsheetApp rules (newConditionalFormatRule ... build), set with
 *   one setConditionalFormatRules per sheet. Sheets has no data bars and no icon sets: a data bar is
 *   a white-to-colour gradient, an icon set three font-colour rules at the same thresholds.
 * - Charts: the chart's title and note at its anchor (the plan's numbers are all in the cells).
 * - Protection: warning-only by default, or only the owner and the running user may edit.
 * - On failure the sheets this run inserted are deleted, changed cells and protections restored and
 *   appended log rows removed; a SheetsWriteError says what happened.
 */
import { Locale, t } from '../../i18n';
import type { WriteReport, WriteSpecOptions } from '../../runs/host';
import { BlockSpec, ConditionalFormatSpec, SheetSpec, SheetUpdateSpec, SpecValue, TableSpec, uniqueSheetName, WorkbookSpec } from '../../workbook/spec';
import { columnWidthPixels, sheetsGrid, sheetsTotalsRow } from './cells';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;
type Range = GoogleAppsScript.Spreadsheet.Range;
type Rule = GoogleAppsScript.Spreadsheet.ConditionalFormatRule;

/** The services the writer calls (the globals in Apps Script, a fake in tests). */
export interface SheetsServices {
  SpreadsheetApp: GoogleAppsScript.Spreadsheet.SpreadsheetApp;
}

export type SheetsWriteErrorCode = 'sheet-exists' | 'write-failed' | 'cleanup-failed';

export class SheetsWriteError extends Error {
  constructor(
    readonly code: SheetsWriteErrorCode,
    message: string,
    override readonly cause?: unknown,
    readonly leftBehind: string[] = [],
  ) {
    super(message);
    this.name = 'SheetsWriteError';
  }
}

/** Counts the service calls this writer makes (each Apps Script call is a round trip to Sheets). */
class Calls {
  count = 0;
  add(n = 1): void {
    this.count += n;
  }
}

function gridWidth(rows: readonly SpecValue[][]): number {
  let width = 0;
  for (const row of rows) width = Math.max(width, row.length);
  return width;
}

/** Writes one 0-based rectangle with one getRange, one setNumberFormats and one setValues. */
function writeRect(sheet: Sheet, row: number, col: number, rows: readonly SpecValue[][], formatAt: (r: number, c: number) => string | null | undefined, calls: Calls): Range | undefined {
  const width = gridWidth(rows);
  if (!rows.length || width === 0) return undefined;
  const grid = sheetsGrid(rows, width, formatAt);
  const range = sheet.getRange(row + 1, col + 1, rows.length, width);
  range.setNumberFormats(grid.formats);
  range.setValues(grid.values);
  calls.add(3);
  return range;
}

function blockFormat(block: BlockSpec): (r: number, c: number) => string | null | undefined {
  return (r, c) => block.cellFormats?.[r]?.[c] ?? block.numberFormats?.[c];
}

/** Writes a table: header (bold), rows and totals in one block, and a named range over header and rows. */
function writeTable(spreadsheet: Spreadsheet, sheet: Sheet, table: TableSpec, calls: Calls): void {
  const rows: SpecValue[][] = [table.header, ...table.rows];
  if (table.totalsRow) rows.push(sheetsTotalsRow(table));
  const width = table.header.length;
  writeRect(sheet, table.row, table.col, rows, (r, c) => (r === 0 ? null : table.numberFormats[c]), calls);
  sheet.getRange(table.row + 1, table.col + 1, 1, width).setFontWeight('bold');
  calls.add(2);
  if (table.totalsRow) {
    sheet.getRange(table.row + table.rows.length + 2, table.col + 1, 1, width).setFontWeight('bold');
    calls.add(2);
  }
  spreadsheet.setNamedRange(table.name, sheet.getRange(table.row + 1, table.col + 1, table.rows.length + 1, width));
  calls.add(2);
}

const TRAFFIC = { good: '#00B050', middle: '#FFC000', bad: '#C00000' };

/** The A1 cell at a range's top-left, relative (no $), as Sheets' custom formulas read it. */
function topLeft(a1: string): string {
  return a1.split(':')[0].replace(/\$/g, '');
}

const OPERATORS = { equal: '=', notEqual: '<>', greaterThan: '>', lessThan: '<', greaterThanOrEqual: '>=', lessThanOrEqual: '<=' } as const;

function strip(formula: string): string {
  return formula.startsWith('=') ? formula.slice(1) : formula;
}

/** The spec's conditional format as Sheets rules (first rule first, as in the spec). */
export function sheetsRules(app: GoogleAppsScript.Spreadsheet.SpreadsheetApp, sheet: Sheet, cf: ConditionalFormatSpec): Rule[] {
  const range = sheet.getRange(cf.range);
  const formulaRule = (formula: string, fill: string | undefined, font: string | undefined) => {
    let builder = app.newConditionalFormatRule().whenFormulaSatisfied(`=${formula}`);
    if (fill) builder = builder.setBackground(fill);
    if (font) builder = builder.setFontColor(font);
    return builder.setRanges([range]).build();
  };
  const cell = topLeft(cf.range);
  switch (cf.type) {
    case 'expression':
      return [formulaRule(strip(cf.formula), `#${cf.fill}`, cf.fontColor && `#${cf.fontColor}`)];
    case 'cellValue': {
      const a = strip(cf.formula1);
      const b = cf.formula2 === undefined ? '' : strip(cf.formula2);
      const test =
        cf.operator === 'between' ? `AND(${cell}>=(${a}),${cell}<=(${b}))` : cf.operator === 'notBetween' ? `OR(${cell}<(${a}),${cell}>(${b}))` : `${cell}${OPERATORS[cf.operator]}(${a})`;
      return [formulaRule(test, `#${cf.fill}`, cf.fontColor && `#${cf.fontColor}`)];
    }
    case 'dataBar':
      return [app.newConditionalFormatRule().setGradientMinpoint('#FFFFFF').setGradientMaxpoint(`#${cf.color}`).setRanges([range]).build()];
    case 'iconSet': {
      // Highest band first: at or above the upper threshold, then the middle band, then below.
      const [low, high] = cf.thresholds;
      const top = cf.reverse ? TRAFFIC.bad : TRAFFIC.good;
      const bottom = cf.reverse ? TRAFFIC.good : TRAFFIC.bad;
      return [
        formulaRule(`AND(ISNUMBER(${cell}),${cell}>=${high})`, undefined, top),
        formulaRule(`AND(ISNUMBER(${cell}),${cell}>=${low})`, undefined, TRAFFIC.middle),
        formulaRule(`ISNUMBER(${cell})`, undefined, bottom),
      ];
    }
  }
}

function protect(sheet: Sheet, mode: 'warning' | 'full', calls: Calls): void {
  const protection = sheet.protect();
  calls.add();
  if (mode === 'warning') {
    protection.setWarningOnly(true);
    calls.add();
    return;
  }
  // Full: only the owner and the running user (who cannot be removed) may edit.
  protection.removeEditors(protection.getEditors());
  calls.add(2);
  if (protection.canDomainEdit()) protection.setDomainEdit(false);
  calls.add();
}

/** Rows and columns (1-based extent) a new sheet's spec needs. */
function extentOf(spec: SheetSpec): { rows: number; columns: number } {
  let rows = 1;
  let columns = 1;
  const cover = (row: number, col: number, height: number, width: number) => {
    rows = Math.max(rows, row + height);
    columns = Math.max(columns, col + width);
  };
  for (const block of spec.blocks) cover(block.row, block.col, block.values.length, gridWidth(block.values));
  for (const table of spec.tables) cover(table.row, table.col, table.rows.length + (table.totalsRow ? 2 : 1), table.header.length);
  for (const chart of spec.charts) {
    const [col, row] = anchorOf(chart.anchor);
    cover(row, col, 2, 1);
  }
  columns = Math.max(columns, spec.columnWidths?.length ?? 0);
  return { rows, columns };
}

/**
 * Grows a sheet to at least `rows` x `columns` (a new sheet has 1,000 rows and 26 columns; ranges
 * beyond them are refused). Returns the rows it inserted.
 */
function ensureSize(sheet: Sheet, rows: number, columns: number, calls: Calls): { rowsBefore: number; rowsInserted: number } {
  const maxRows = sheet.getMaxRows();
  const maxColumns = sheet.getMaxColumns();
  calls.add(2);
  if (rows > maxRows) {
    sheet.insertRowsAfter(maxRows, rows - maxRows);
    calls.add();
  }
  if (columns > maxColumns) {
    sheet.insertColumnsAfter(maxColumns, columns - maxColumns);
    calls.add();
  }
  return { rowsBefore: maxRows, rowsInserted: Math.max(0, rows - maxRows) };
}

function writeNewSheet(app: GoogleAppsScript.Spreadsheet.SpreadsheetApp, spreadsheet: Spreadsheet, sheet: Sheet, spec: SheetSpec, options: WriteSpecOptions, calls: Calls): void {
  const extent = extentOf(spec);
  ensureSize(sheet, extent.rows, extent.columns, calls);
  for (const block of spec.blocks) {
    const range = writeRect(sheet, block.row, block.col, block.values, blockFormat(block), calls);
    if (block.bold && range) {
      range.setFontWeight('bold');
      calls.add();
    }
  }
  for (const table of spec.tables) writeTable(spreadsheet, sheet, table, calls);
  for (const chart of spec.charts) {
    const [col, row] = anchorOf(chart.anchor);
    writeRect(sheet, row, col, chart.substituteNote ? [[chart.title], [chart.substituteNote]] : [[chart.title]], () => null, calls);
  }
  const rules = spec.conditionalFormats.flatMap((cf) => sheetsRules(app, sheet, cf));
  calls.add(spec.conditionalFormats.length); // a getRange each; the rule builder is local
  if (rules.length) {
    sheet.setConditionalFormatRules(rules);
    calls.add();
  }
  for (const [c, width] of (spec.columnWidths ?? []).entries()) sheet.setColumnWidth(c + 1, columnWidthPixels(width));
  calls.add(spec.columnWidths?.length ?? 0);
  // Sheets has no table with a sticky header: a table at the top of its sheet (the log) gets a frozen header.
  const frozen = spec.freezeRows || (spec.tables[0]?.row === 0 ? 1 : 0);
  if (frozen) {
    sheet.setFrozenRows(frozen);
    calls.add();
  }
  if (spec.protect) protect(sheet, options.protection ?? 'warning', calls);
}

/** 0-based column and row of an A1 cell such as H12. */
function anchorOf(a1: string): [number, number] {
  const match = /^([A-Z]+)(\d+)$/i.exec(a1.replace(/\$/g, ''));
  if (!match) return [0, 0];
  let col = 0;
  for (const ch of match[1].toUpperCase()) col = col * 26 + ch.charCodeAt(0) - 64;
  return [col - 1, Number(match[2]) - 1];
}

interface PendingUpdate {
  spec: SheetUpdateSpec;
  /** Warning-only or not, when the sheet was protected before. */
  protection?: { warningOnly: boolean };
  originals: { block: BlockSpec; values: unknown[][]; formulas: string[][]; formats: string[][] }[];
}

interface PendingAppend {
  spec: SheetSpec;
  tableName: string;
  /** The named range's rows (header included) and columns before the append. */
  row: number;
  col: number;
  rows: number;
  columns: number;
  sheet: Sheet;
  /** Rows the append inserted at the end of the log sheet (removed again on failure). */
  grown?: { rowsBefore: number; rowsInserted: number };
}

interface Undo {
  sheetsAdded: string[];
  updatesStarted: PendingUpdate[];
  appendStarted?: PendingAppend;
}

function sheetProtection(app: GoogleAppsScript.Spreadsheet.SpreadsheetApp, sheet: Sheet): GoogleAppsScript.Spreadsheet.Protection | undefined {
  return sheet.getProtections(app.ProtectionType.SHEET)[0];
}

function prepareUpdate(app: GoogleAppsScript.Spreadsheet.SpreadsheetApp, spreadsheet: Spreadsheet, update: SheetUpdateSpec, calls: Calls): PendingUpdate {
  const sheet = spreadsheet.getSheetByName(update.sheetName);
  calls.add();
  if (!sheet) throw new Error(`no sheet ${update.sheetName}`);
  const existing = sheetProtection(app, sheet);
  calls.add(existing ? 2 : 1);
  const originals = update.blocks.map((block) => {
    const range = sheet.getRange(block.row + 1, block.col + 1, block.values.length, Math.max(1, gridWidth(block.values)));
    calls.add(4);
    return { block, values: range.getValues(), formulas: range.getFormulas(), formats: range.getNumberFormats() };
  });
  return { spec: update, ...(existing ? { protection: { warningOnly: existing.isWarningOnly() } } : {}), originals };
}

function applyUpdate(app: GoogleAppsScript.Spreadsheet.SpreadsheetApp, spreadsheet: Spreadsheet, pending: PendingUpdate, options: WriteSpecOptions, calls: Calls): void {
  const sheet = spreadsheet.getSheetByName(pending.spec.sheetName) as Sheet;
  calls.add();
  if (pending.protection) {
    sheetProtection(app, sheet)?.remove();
    calls.add(2);
  }
  for (const block of pending.spec.blocks) writeRect(sheet, block.row, block.col, block.values, blockFormat(block), calls);
  const protectAfter = pending.spec.protect ?? pending.protection !== undefined;
  if (protectAfter) protect(sheet, pending.spec.protect ? (options.protection ?? 'warning') : pending.protection?.warningOnly === false ? 'full' : 'warning', calls);
}

function findNamedRange(spreadsheet: Spreadsheet, name: string): GoogleAppsScript.Spreadsheet.NamedRange | undefined {
  return spreadsheet.getNamedRanges().find((n) => n.getName().toLowerCase() === name.toLowerCase());
}

function prepareAppend(spreadsheet: Spreadsheet, spec: SheetSpec, calls: Calls): PendingAppend | undefined {
  const tableName = (spec.appendTo as { tableName: string }).tableName;
  const named = findNamedRange(spreadsheet, tableName);
  calls.add();
  if (!named) return undefined;
  const range = named.getRange();
  calls.add(6);
  return { spec, tableName: named.getName(), sheet: range.getSheet(), row: range.getRow(), col: range.getColumn(), rows: range.getNumRows(), columns: range.getNumColumns() };
}

function appendLogRows(spreadsheet: Spreadsheet, pending: PendingAppend, calls: Calls): number {
  const source = pending.spec.tables[0];
  const rows = (source?.rows ?? []).map((row) => Array.from({ length: pending.columns }, (_, c) => row[c] ?? ''));
  if (!rows.length) return 0;
  pending.grown = ensureSize(pending.sheet, pending.row - 1 + pending.rows + rows.length, pending.col - 1 + pending.columns, calls);
  writeRect(pending.sheet, pending.row - 1 + pending.rows, pending.col - 1, rows, (_r, c) => source.numberFormats[c], calls);
  (findNamedRange(spreadsheet, pending.tableName) as GoogleAppsScript.Spreadsheet.NamedRange).setRange(pending.sheet.getRange(pending.row, pending.col, pending.rows + rows.length, pending.columns));
  calls.add(3);
  return rows.length;
}

function rollback(app: GoogleAppsScript.Spreadsheet.SpreadsheetApp, spreadsheet: Spreadsheet, undo: Undo): string[] {
  const left: string[] = [];
  const attempt = (what: string, step: () => void) => {
    try {
      step();
    } catch {
      left.push(what);
    }
  };
  const append = undo.appendStarted;
  if (append) {
    attempt(`rows added to ${append.tableName}`, () => {
      const count = append.spec.tables[0]?.rows.length ?? 0;
      if (count) append.sheet.getRange(append.row + append.rows, append.col, count, append.columns).clear();
      const named = findNamedRange(spreadsheet, append.tableName);
      named?.setRange(append.sheet.getRange(append.row, append.col, append.rows, append.columns));
      if (append.grown?.rowsInserted) append.sheet.deleteRows(append.grown.rowsBefore + 1, append.grown.rowsInserted);
    });
  }
  for (const update of undo.updatesStarted) {
    attempt(`cells changed on ${update.spec.sheetName}`, () => {
      const sheet = spreadsheet.getSheetByName(update.spec.sheetName);
      if (!sheet) return;
      sheetProtection(app, sheet)?.remove();
      for (const original of update.originals) {
        const range = sheet.getRange(original.block.row + 1, original.block.col + 1, original.formulas.length, original.formulas[0]?.length ?? 1);
        range.setNumberFormats(original.formats);
        range.setValues(original.formulas.map((row, r) => row.map((formula, c) => (formula !== '' ? formula : restoredValue(original.values[r][c])))));
      }
      if (update.protection) sheet.protect().setWarningOnly(update.protection.warningOnly);
    });
  }
  for (const name of [...undo.sheetsAdded].reverse()) {
    attempt(name, () => {
      const sheet = spreadsheet.getSheetByName(name);
      if (sheet) spreadsheet.deleteSheet(sheet);
    });
  }
  return left;
}

/** A value read with getValues, written back as it was (text as text). */
function restoredValue(value: unknown): string | number | boolean | Date {
  if (typeof value === 'string') return value === '' ? '' : `'${value}`;
  if (typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
  return '';
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Writes the spec (see the module comment); on failure undoes what it did and throws SheetsWriteError. */
export function writeSpecToSheets(services: SheetsServices, spec: WorkbookSpec, options: WriteSpecOptions): WriteReport {
  const app = services.SpreadsheetApp;
  const locale: Locale = options.locale;
  const calls = new Calls();
  const spreadsheet = app.getActiveSpreadsheet();
  const sheetNames = spreadsheet.getSheets().map((s) => s.getName());
  calls.add(2 + sheetNames.length);
  const taken = new Set(sheetNames.map((n) => n.toLowerCase()));
  const newSheets = spec.sheets.filter((s) => !s.appendTo);
  for (const sheet of newSheets) if (taken.has(sheet.name.toLowerCase())) throw new SheetsWriteError('sheet-exists', t(locale, 'excel.sheetExists', { sheet: sheet.name }));
  const undo: Undo = { sheetsAdded: [], updatesStarted: [] };
  let appended = 0;
  try {
    const appends: PendingAppend[] = [];
    const logsToCreate: SheetSpec[] = [];
    for (const s of spec.sheets.filter((sheet) => sheet.appendTo)) {
      const pending = prepareAppend(spreadsheet, s, calls);
      if (pending) appends.push(pending);
      else logsToCreate.push({ ...s, appendTo: undefined, name: uniqueSheetName(s.name, [...sheetNames, ...newSheets.map((n) => n.name)]) });
    }
    const updates = (spec.updates ?? []).map((update) => prepareUpdate(app, spreadsheet, update, calls));
    for (const sheetSpec of [...newSheets, ...logsToCreate]) {
      const sheet = spreadsheet.insertSheet(sheetSpec.name, spreadsheet.getNumSheets());
      calls.add(2);
      undo.sheetsAdded.push(sheetSpec.name); // from here on the run owns the sheet and deletes it on failure
      writeNewSheet(app, spreadsheet, sheet, sheetSpec, options, calls);
      options.onProgress?.(undo.sheetsAdded.length, newSheets.length + logsToCreate.length);
    }
    for (const update of updates) {
      undo.updatesStarted.push(update);
      applyUpdate(app, spreadsheet, update, options, calls);
    }
    for (const append of appends) {
      undo.appendStarted = append;
      appended += appendLogRows(spreadsheet, append, calls);
    }
    if (options.activate !== false && newSheets.length) {
      (spreadsheet.getSheetByName(newSheets[0].name) as Sheet).activate();
      calls.add(2);
    }
    return { sheetsAdded: undo.sheetsAdded, sheetsUpdated: updates.map((u) => u.spec.sheetName), logRowsAppended: appended, syncs: calls.count };
  } catch (error) {
    const left = rollback(app, spreadsheet, undo);
    const reason = reasonOf(error);
    if (left.length) throw new SheetsWriteError('cleanup-failed', t(locale, 'excel.cleanupFailed', { reason, left: left.join('; ') }), error, left);
    throw new SheetsWriteError('write-failed', t(locale, 'excel.writeFailed', { reason }), error);
  }
}

