/**
 * Writes a WorkbookSpec into the open workbook through the Excel JavaScript API (Office.js).
 *
 * - New sheets only: a sheet the spec adds must not exist (the builder picked a free name); the
 *   user's cells are never overwritten. Existing sheets change only through `spec.updates` (an
 *   approval stamp) and log rows appended to the log table.
 * - Values first, in row chunks whose serialised size keeps every request under the budget
 *   (default 4 MB; Excel on the web refuses 5 MB), with calculation suspended in every request.
 *   Every text cell gets the text number format '@' before its value, so text such as '=SUM(A1)',
 *   '+86 138...', '00123' or '2025-01-31' stays exactly that text (never a formula, number or date).
 * - Then tables over the written ranges (name, style, totals row with SUBTOTAL formulas), number
 *   formats, conditional formats, charts, column widths, frozen rows, protection.
 * - On failure, everything this run did is undone (its sheets deleted, appended log rows removed,
 *   updated cells and protection restored) and an ExcelWriteError says what happened.
 *
 * Enum values are passed as their string forms ("Custom", "DataBar"...), which Office.js accepts,
 * so this module needs no global `Excel` object at run time and runs against the fake in tests.
 */
import { Locale, t } from '../../i18n';
import { columnName, ConditionalFormatSpec, rangeAddress, SheetSpec, SheetUpdateSpec, SpecValue, TableSpec, tableTotalsFunctions, uniqueSheetName, WorkbookSpec, BlockSpec, ChartSpec, excelSerialFromEpochDays } from '../../workbook/spec';
import { RunCancelledError, RunSignal, throwIfCancelled } from '../../runs/cancel';
import { DEFAULT_MAX_REQUEST_BYTES, jsonBytes, OPERATION_BYTES, RequestBudget } from './request-budget';

export { DEFAULT_MAX_REQUEST_BYTES };

/** Excel.run, or a fake's run in tests. */
export interface ExcelHost {
  run<T>(batch: (context: Excel.RequestContext) => Promise<T>): Promise<T>;
}

/** The real host: the global Excel.run of Office.js. */
export function officeExcelHost(): ExcelHost {
  return { run: (batch) => Excel.run(batch) };
}

export interface ExcelWriteOptions {
  /** Largest request to send (default 4,000,000 bytes). */
  maxRequestBytes?: number;
  /** Show the first new sheet when done (default true). */
  activate?: boolean;
  /** Language of error messages (default en). */
  locale?: Locale;
  /** Called after each chunk of cells is queued: cells written so far, cells in all. */
  onProgress?: (cellsWritten: number, totalCells: number) => void;
  /** Checked before each chunk: an aborted signal undoes what was written and throws RunCancelledError. */
  signal?: RunSignal;
}

export interface ExcelWriteReport {
  sheetsAdded: string[];
  sheetsUpdated: string[];
  logRowsAppended: number;
  /** Round trips to Excel (context.sync calls) this write made. */
  syncs: number;
  /** Estimated serialised size of each request, and the largest. */
  requestBytes: number[];
  largestRequestBytes: number;
}

export type ExcelWriteErrorCode = 'sheet-exists' | 'write-failed' | 'cleanup-failed';

/** A failed write: `message` is for people (in the chosen language), `code` and `cause` for code. */
export class ExcelWriteError extends Error {
  constructor(
    readonly code: ExcelWriteErrorCode,
    message: string,
    override readonly cause?: unknown,
    /** What could not be undone (sheet names, "log rows"), when code is cleanup-failed. */
    readonly leftBehind: string[] = [],
  ) {
    super(message);
    this.name = 'ExcelWriteError';
  }
}

// ---------------------------------------------------------------------------------------------
// Cells

type OfficeInput = string | number | boolean | null;

export interface OfficeCell {
  input: OfficeInput;
  /** Number format to set before the value (null: leave the cell's format). */
  format: string | null;
  formula: boolean;
}

export const TEXT_FORMAT = '@';
const DEFAULT_DATE_FORMAT = 'yyyy-mm-dd';

/** A spec value as Office.js takes it, with the number format it needs. */
export function officeCell(value: SpecValue, format: string | null | undefined): OfficeCell {
  const numeric = format && format !== TEXT_FORMAT ? format : null;
  if (value === null || value === '') return { input: value === null ? null : '', format: null, formula: false };
  if (typeof value === 'string') return { input: value, format: TEXT_FORMAT, formula: false }; // text stays text
  if (typeof value === 'number') return Number.isFinite(value) ? { input: value, format: numeric, formula: false } : { input: '', format: null, formula: false };
  if (typeof value === 'boolean') return { input: value, format: null, formula: false };
  if ('date' in value) return { input: excelSerialFromEpochDays(value.date), format: numeric ?? DEFAULT_DATE_FORMAT, formula: false };
  return { input: value.formula.startsWith('=') ? value.formula : `=${value.formula}`, format: numeric, formula: true };
}

interface CellGrid {
  row: number;
  col: number;
  rows: SpecValue[][];
  formatAt: (r: number, c: number) => string | null | undefined;
}

function blockGrid(block: BlockSpec): CellGrid {
  return { row: block.row, col: block.col, rows: block.values, formatAt: (r, c) => block.cellFormats?.[r]?.[c] ?? block.numberFormats?.[c] };
}

function gridWidth(grid: CellGrid): number {
  let width = 0;
  for (const row of grid.rows) width = Math.max(width, row.length);
  return width;
}

interface ConvertedRow {
  inputs: OfficeInput[];
  formats: (string | null)[];
  hasFormat: boolean;
  hasFormula: boolean;
  bytes: number;
}

function convertRow(grid: CellGrid, r: number, c0: number, c1: number): ConvertedRow {
  const inputs: OfficeInput[] = [];
  const formats: (string | null)[] = [];
  let hasFormat = false;
  let hasFormula = false;
  const row = grid.rows[r];
  for (let c = c0; c < c1; c++) {
    // Cells beyond a short row are null: Office.js leaves such cells as they are.
    const cell = c < row.length ? officeCell(row[c], grid.formatAt(r, c)) : { input: null, format: null, formula: false };
    inputs.push(cell.input);
    formats.push(cell.format);
    hasFormat ||= cell.format !== null;
    hasFormula ||= cell.formula;
  }
  const bytes = jsonBytes(inputs) + 1 + (hasFormat ? jsonBytes(formats) + 1 : 0);
  return { inputs, formats, hasFormat, hasFormula, bytes };
}

/** Queues one rectangle: its number formats, then its values (or formulas when it has any). */
function queueRect(sheet: Excel.Worksheet, row: number, col: number, rows: ConvertedRow[]): void {
  const range = sheet.getRangeByIndexes(row, col, rows.length, rows[0].inputs.length);
  if (rows.some((r) => r.hasFormat)) range.numberFormat = rows.map((r) => r.formats);
  const inputs = rows.map((r) => r.inputs);
  if (rows.some((r) => r.hasFormula)) range.formulas = inputs as unknown as string[][];
  else range.values = inputs as unknown as (string | number | boolean)[][];
}

interface WriteState {
  budget: RequestBudget;
  cellsWritten: number;
  totalCells: number;
  onProgress?: (written: number, total: number) => void;
  signal?: RunSignal;
  locale: Locale;
}

/**
 * Writes a grid in row chunks, each chunk's formats and values sized to fit a request; a row too
 * wide for one request on its own is written in column pieces.
 */
async function writeGrid(sheet: Excel.Worksheet, grid: CellGrid, state: WriteState): Promise<void> {
  const width = gridWidth(grid);
  if (width === 0) return;
  const limit = state.budget.maxOperationBytes - OPERATION_BYTES;
  let chunk: ConvertedRow[] = [];
  let chunkStart = 0;
  let chunkBytes = 0;
  const flush = async () => {
    if (!chunk.length) return;
    throwIfCancelled(state.signal, state.locale);
    await state.budget.reserve(chunkBytes + OPERATION_BYTES); // two operations: formats and values
    queueRect(sheet, grid.row + chunkStart, grid.col, chunk);
    state.cellsWritten += chunk.length * width;
    state.onProgress?.(state.cellsWritten, state.totalCells);
    chunk = [];
    chunkBytes = 0;
  };
  for (let r = 0; r < grid.rows.length; r++) {
    const converted = convertRow(grid, r, 0, width);
    if (converted.bytes > limit) {
      await flush();
      await writeWideRow(sheet, grid, r, width, limit, state);
      chunkStart = r + 1;
      continue;
    }
    if (chunkBytes + converted.bytes > limit) {
      await flush();
      chunkStart = r;
    }
    if (!chunk.length) chunkStart = r;
    chunk.push(converted);
    chunkBytes += converted.bytes;
  }
  await flush();
}

async function writeWideRow(sheet: Excel.Worksheet, grid: CellGrid, r: number, width: number, limit: number, state: WriteState): Promise<void> {
  let c0 = 0;
  while (c0 < width) {
    let c1 = c0 + 1;
    while (c1 < width && convertRow(grid, r, c0, c1 + 1).bytes <= limit) c1++;
    const piece = convertRow(grid, r, c0, c1);
    if (piece.bytes > limit) throw new Error(`cell ${columnName(grid.col + c0)}${grid.row + r + 1} alone is larger than a request may be`);
    await state.budget.reserve(piece.bytes + OPERATION_BYTES);
    queueRect(sheet, grid.row + r, grid.col + c0, [piece]);
    state.cellsWritten += c1 - c0;
    c0 = c1;
  }
}

// ---------------------------------------------------------------------------------------------
// Tables, conditional formats, charts, layout

function tableAddress(table: TableSpec): string {
  return rangeAddress(table.row, table.col, table.rows.length + 1, table.header.length);
}

/** A structured reference's column name, with [ ] # ' escaped as Excel requires. */
export function structuredColumnName(name: string): string {
  return name.replace(/['[\]#]/g, (ch) => `'${ch}`);
}

/** The totals row: the label, then SUBTOTAL(109, ...) (sum of the visible rows) where asked. */
export function totalsRowFormulas(table: TableSpec): string[] {
  const functions = tableTotalsFunctions(table);
  return table.header.map((name, c) => (c === 0 ? (table.totalsLabel ?? 'Total') : functions[c] === 'sum' ? `=SUBTOTAL(109,${table.name}[${structuredColumnName(name)}])` : ''));
}

async function addTable(sheet: Excel.Worksheet, table: TableSpec, budget: RequestBudget): Promise<void> {
  await budget.reserve(512);
  const excelTable = sheet.tables.add(tableAddress(table), true);
  excelTable.name = table.name;
  excelTable.style = table.style ?? 'TableStyleMedium2';
  excelTable.showBandedRows = true;
  if (!table.totalsRow) return;
  excelTable.showTotals = true;
  const totals = excelTable.getTotalRowRange();
  const formulas = totalsRowFormulas(table);
  totals.numberFormat = [table.header.map((_, c) => (c === 0 ? TEXT_FORMAT : (table.numberFormats[c] ?? null)))];
  await budget.reserve(jsonBytes(formulas) * 2);
  totals.formulas = [formulas];
  totals.format.font.bold = true;
}

const CELL_VALUE_OPERATORS = {
  between: 'Between',
  notBetween: 'NotBetween',
  equal: 'EqualTo',
  notEqual: 'NotEqualTo',
  greaterThan: 'GreaterThan',
  lessThan: 'LessThan',
  greaterThanOrEqual: 'GreaterThanOrEqual',
  lessThanOrEqual: 'LessThanOrEqual',
} as const;

const ICON_SETS = { '3TrafficLights1': 'ThreeTrafficLights1', '3Arrows': 'ThreeArrows', '3Symbols': 'ThreeSymbols' } as const;

function withEquals(formula: string): string {
  return formula.startsWith('=') ? formula : `=${formula}`;
}

/** Queues one conditional format, as in office-js-snippets (conditional-formatting-basic/advanced). */
export function addConditionalFormat(sheet: Excel.Worksheet, cf: ConditionalFormatSpec): void {
  const range = sheet.getRange(cf.range);
  switch (cf.type) {
    case 'expression': {
      const format = range.conditionalFormats.add('Custom');
      format.custom.rule.formula = withEquals(cf.formula);
      format.custom.format.fill.color = `#${cf.fill}`;
      if (cf.fontColor) format.custom.format.font.color = `#${cf.fontColor}`;
      return;
    }
    case 'cellValue': {
      const format = range.conditionalFormats.add('CellValue');
      format.cellValue.format.fill.color = `#${cf.fill}`;
      if (cf.fontColor) format.cellValue.format.font.color = `#${cf.fontColor}`;
      format.cellValue.rule = { formula1: withEquals(cf.formula1), ...(cf.formula2 === undefined ? {} : { formula2: withEquals(cf.formula2) }), operator: CELL_VALUE_OPERATORS[cf.operator] };
      return;
    }
    case 'dataBar': {
      const format = range.conditionalFormats.add('DataBar');
      format.dataBar.barDirection = 'LeftToRight';
      format.dataBar.positiveFormat.fillColor = `#${cf.color}`;
      format.dataBar.positiveFormat.gradientFill = false;
      return;
    }
    case 'iconSet': {
      const format = range.conditionalFormats.add('IconSet');
      format.iconSet.style = ICON_SETS[cf.iconSet];
      format.iconSet.reverseIconOrder = cf.reverse === true;
      // The first criterion is the lowest icon's and is ignored; the others are lower bounds.
      format.iconSet.criteria = [
        { type: 'Number', operator: 'GreaterThanOrEqual', formula: '=0' },
        { type: 'Number', operator: 'GreaterThanOrEqual', formula: `=${cf.thresholds[0]}` },
        { type: 'Number', operator: 'GreaterThanOrEqual', formula: `=${cf.thresholds[1]}` },
      ];
      return;
    }
  }
}

const CHART_TYPES = { bar: 'BarClustered', column: 'ColumnClustered', pie: 'Pie' } as const;

function addChart(sheet: Excel.Worksheet, chart: ChartSpec): void {
  const added = sheet.charts.add(CHART_TYPES[chart.type], sheet.getRange(chart.values), 'Columns');
  added.title.text = chart.title;
  if (chart.type !== 'pie') added.legend.visible = false;
  added.series.getItemAt(0).setXAxisValues(sheet.getRange(chart.categories));
  added.setPosition(chart.anchor);
}

/** Width in characters of the default font to points (Calibri 11: 7 pixels a character plus 5 of padding). */
export function columnWidthPoints(characters: number): number {
  return (characters * 7 + 5) * 0.75;
}

const PROTECTION_OPTIONS = { allowAutoFilter: true, allowSort: true, allowFormatColumns: true };

function cellCount(spec: WorkbookSpec): number {
  let cells = 0;
  const grid = (rows: SpecValue[][]) => rows.reduce((n, r) => n + r.length, 0);
  for (const sheet of spec.sheets) {
    for (const block of sheet.blocks) cells += grid(block.values);
    for (const table of sheet.tables) cells += grid(table.rows) + table.header.length;
  }
  for (const update of spec.updates ?? []) for (const block of update.blocks) cells += grid(block.values);
  return cells;
}

async function writeNewSheet(sheet: Excel.Worksheet, spec: SheetSpec, state: WriteState): Promise<void> {
  const { budget } = state;
  for (const block of spec.blocks) {
    await writeGrid(sheet, blockGrid(block), state);
    if (block.bold) {
      await budget.reserve(0);
      sheet.getRange(rangeAddress(block.row, block.col, block.values.length, Math.max(1, gridWidth(blockGrid(block))))).format.font.bold = true;
    }
  }
  for (const table of spec.tables) {
    await writeGrid(sheet, { row: table.row, col: table.col, rows: [table.header], formatAt: () => TEXT_FORMAT }, state);
    await writeGrid(sheet, { row: table.row + 1, col: table.col, rows: table.rows, formatAt: (_, c) => table.numberFormats[c] }, state);
  }
  for (const table of spec.tables) await addTable(sheet, table, budget);
  // Each add goes to the top of Excel's priority list: add in reverse so the spec's first rule ends on top.
  for (const cf of [...spec.conditionalFormats].reverse()) {
    await budget.reserve(jsonBytes(cf) * 2);
    addConditionalFormat(sheet, cf);
  }
  for (const chart of spec.charts) {
    await budget.reserve(jsonBytes(chart) * 2);
    addChart(sheet, chart);
  }
  for (const [c, width] of (spec.columnWidths ?? []).entries()) {
    await budget.reserve(32);
    sheet.getRange(`${columnName(c)}:${columnName(c)}`).format.columnWidth = columnWidthPoints(width);
  }
  if (spec.freezeRows) sheet.freezePanes.freezeRows(spec.freezeRows);
  if (spec.protect) sheet.protection.protect(PROTECTION_OPTIONS);
  await budget.reserve(0);
}

// ---------------------------------------------------------------------------------------------
// The run

interface PendingUpdate {
  spec: SheetUpdateSpec;
  wasProtected: boolean;
  originals: { grid: CellGrid; formulas: unknown[][]; formats: string[][] }[];
}

interface PendingAppend {
  spec: SheetSpec;
  tableName: string;
  rowsBefore: number;
  columns: number;
}


/** What this run has changed so far, so that a failure can undo exactly that. */
interface Undo {
  sheetsAdded: string[];
  updatesStarted: PendingUpdate[];
  appendStarted?: PendingAppend;
}

function gridOfUpdateBlock(block: BlockSpec): CellGrid {
  return blockGrid(block);
}

/** Reads what the run needs to know first: existing names, log tables, the sheets it will update. */
async function prepare(context: Excel.RequestContext, spec: WorkbookSpec) {
  const worksheets = context.workbook.worksheets.load('items/name');
  const logTables = spec.sheets.filter((s) => s.appendTo).map((s) => ({ spec: s, table: context.workbook.tables.getItemOrNullObject((s.appendTo as { tableName: string }).tableName) }));
  const updates = (spec.updates ?? []).map((update) => {
    const sheet = context.workbook.worksheets.getItem(update.sheetName);
    const protection = sheet.protection.load('protected');
    const originals = update.blocks.map((block) => {
      const grid = gridOfUpdateBlock(block);
      const range = sheet.getRangeByIndexes(block.row, block.col, block.values.length, Math.max(1, gridWidth(grid))).load('formulas,numberFormat');
      return { grid, range };
    });
    return { update, protection, originals };
  });
  await context.sync();
  let syncs = 1;
  const appends: PendingAppend[] = [];
  const missingLogs: SheetSpec[] = [];
  const counts = logTables.map(({ spec: s, table }) => (table.isNullObject ? null : { s, rows: table.rows.load('count'), range: table.getRange().load('columnCount') }));
  if (counts.some((c) => c !== null)) {
    await context.sync();
    syncs++;
  }
  logTables.forEach(({ spec: s }, i) => {
    const found = counts[i];
    if (found) appends.push({ spec: s, tableName: (s.appendTo as { tableName: string }).tableName, rowsBefore: found.rows.count, columns: found.range.columnCount });
    else missingLogs.push(s);
  });
  return {
    syncs,
    sheetNames: worksheets.items.map((w) => w.name),
    appends,
    missingLogs,
    updates: updates.map(({ update, protection, originals }) => ({
      spec: update,
      wasProtected: protection.protected,
      originals: originals.map(({ grid, range }) => ({ grid, formulas: range.formulas, formats: range.numberFormat as string[][] })),
    })),
  };
}

async function applyUpdate(context: Excel.RequestContext, pending: PendingUpdate, state: WriteState): Promise<void> {
  const sheet = context.workbook.worksheets.getItem(pending.spec.sheetName);
  if (pending.wasProtected) sheet.protection.unprotect();
  for (const block of pending.spec.blocks) await writeGrid(sheet, blockGrid(block), state);
  if (pending.spec.protect ?? pending.wasProtected) sheet.protection.protect(PROTECTION_OPTIONS);
  await state.budget.reserve(0);
}

async function appendLogRows(context: Excel.RequestContext, pending: PendingAppend, state: WriteState): Promise<number> {
  const source = pending.spec.tables[0];
  const rows = (source?.rows ?? []).map((row) => Array.from({ length: pending.columns }, (_, c) => row[c] ?? ''));
  if (!rows.length) return 0;
  const table = context.workbook.tables.getItem(pending.tableName);
  // Blank rows first, then formats and values: rows.add would read text as typed input.
  await state.budget.reserve(jsonBytes(rows.map((r) => r.map(() => ''))));
  const added = table.rows.add(undefined, rows.map((r) => r.map(() => '')));
  const target = added.getRange().getResizedRange(rows.length - 1, 0);
  const converted = rows.map((_, r) => convertRow({ row: 0, col: 0, rows, formatAt: (_r, c) => source.numberFormats[c] }, r, 0, pending.columns));
  await state.budget.reserve(converted.reduce((n, r) => n + r.bytes, 0));
  const inputs = converted.map((r) => r.inputs);
  target.numberFormat = converted.map((r) => r.formats);
  if (converted.some((r) => r.hasFormula)) target.formulas = inputs as unknown as string[][];
  else target.values = inputs as unknown as (string | number | boolean)[][];
  return rows.length;
}

/** Undoes what `undo` records; returns what could not be undone. */
async function rollback(context: Excel.RequestContext, undo: Undo): Promise<string[]> {
  const left: string[] = [];
  const attempt = async (what: string, step: () => Promise<void>) => {
    try {
      await step();
    } catch {
      left.push(what);
    }
  };
  if (undo.appendStarted) {
    const append = undo.appendStarted;
    await attempt(`rows added to ${append.tableName}`, async () => {
      const rows = context.workbook.tables.getItem(append.tableName).rows.load('count');
      await context.sync();
      for (let i = rows.count - 1; i >= append.rowsBefore; i--) context.workbook.tables.getItem(append.tableName).rows.getItemAt(i).delete();
      await context.sync();
    });
  }
  for (const update of undo.updatesStarted) {
    await attempt(`cells changed on ${update.spec.sheetName}`, async () => {
      const sheet = context.workbook.worksheets.getItem(update.spec.sheetName);
      const protection = sheet.protection.load('protected');
      await context.sync();
      if (protection.protected) sheet.protection.unprotect();
      for (const original of update.originals) {
        const range = sheet.getRangeByIndexes(original.grid.row, original.grid.col, original.formulas.length, original.formulas[0]?.length ?? 1);
        range.numberFormat = original.formats;
        range.formulas = original.formulas as string[][];
      }
      if (update.wasProtected) sheet.protection.protect(PROTECTION_OPTIONS);
      await context.sync();
    });
  }
  if (undo.sheetsAdded.length) {
    await attempt(undo.sheetsAdded.join(', '), async () => {
      const sheets = undo.sheetsAdded.map((name) => context.workbook.worksheets.getItemOrNullObject(name));
      await context.sync();
      sheets.forEach((sheet) => !sheet.isNullObject && sheet.delete());
      await context.sync();
    });
  }
  return left;
}

function reasonOf(error: unknown): string {
  const e = error as { code?: string; message?: string };
  return e.code && !String(e.message).startsWith(e.code) ? `${e.code}: ${e.message}` : String(e.message ?? error);
}

/**
 * Writes the spec (see the module comment). Returns what was done and how many round trips it
 * took; throws ExcelWriteError after undoing everything if anything fails.
 */
export async function writeWorkbookSpec(host: ExcelHost, spec: WorkbookSpec, options: ExcelWriteOptions = {}): Promise<ExcelWriteReport> {
  const locale = options.locale ?? 'en';
  return host.run(async (context) => {
    const undo: Undo = { sheetsAdded: [], updatesStarted: [] };
    let budget: RequestBudget | undefined;
    let appended = 0;
    try {
      const known = await prepare(context, spec);
      const taken = new Set(known.sheetNames.map((n) => n.toLowerCase()));
      const newSheets = spec.sheets.filter((s) => !s.appendTo);
      for (const sheet of newSheets) if (taken.has(sheet.name.toLowerCase())) throw new ExcelWriteError('sheet-exists', t(locale, 'excel.sheetExists', { sheet: sheet.name }));
      // A log that has gone since the spec was built is written afresh, under a free name.
      const logsToCreate = known.missingLogs.map((s) => ({ ...s, appendTo: undefined, name: uniqueSheetName(s.name, [...known.sheetNames, ...newSheets.map((n) => n.name)]) }));
      budget = new RequestBudget(context, options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES);
      const state: WriteState = { budget, cellsWritten: 0, totalCells: cellCount(spec), onProgress: options.onProgress, signal: options.signal, locale };
      for (const sheetSpec of [...newSheets, ...logsToCreate]) {
        await budget.reserve(jsonBytes(sheetSpec.name));
        const sheet = context.workbook.worksheets.add(sheetSpec.name);
        undo.sheetsAdded.push(sheetSpec.name); // from here on the run owns the sheet and removes it on failure
        await writeNewSheet(sheet, sheetSpec, state);
      }
      // Undo records go in before the operations are queued: undoing what was never applied is harmless.
      for (const update of known.updates) {
        undo.updatesStarted.push(update);
        await applyUpdate(context, update, state);
      }
      // The log last, so that it records only what was written.
      for (const append of known.appends) {
        undo.appendStarted = append;
        appended += await appendLogRows(context, append, state);
      }
      if (options.activate !== false && newSheets.length) context.workbook.worksheets.getItem(newSheets[0].name).activate();
      await budget.finish();
      return {
        sheetsAdded: undo.sheetsAdded,
        sheetsUpdated: known.updates.map((u) => u.spec.sheetName),
        logRowsAppended: appended,
        syncs: known.syncs + budget.syncs,
        requestBytes: budget.requestBytes,
        largestRequestBytes: budget.largestRequestBytes,
      };
    } catch (error) {
      if (error instanceof ExcelWriteError) throw error;
      const left = await rollback(context, undo);
      const reason = reasonOf(error);
      if (error instanceof RunCancelledError && !left.length) throw error; // a cancel, cleanly undone
      if (left.length) throw new ExcelWriteError('cleanup-failed', t(locale, 'excel.cleanupFailed', { reason, left: left.join('; ') }), error, left);
      throw new ExcelWriteError('write-failed', t(locale, 'excel.writeFailed', { reason }), error);
    }
  });
}
