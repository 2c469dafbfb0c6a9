/**
 * Writes a WorkbookSpec into the open workbook through the Excel JavaScript API (Office.js):
 * a new sheet per run (never overwriting or deleting user cells), values first in row batches whose
 * serialised size stays under a request limit (Excel on the web refuses 5 MB), text that starts
 * with = + - @ kept as text (number format '@' set before the values), then tables, number formats,
 * conditional formats and charts, with calculation suspended while writing. If anything fails, the
 * sheets this run added are deleted and the error is rethrown.
 */
import { cellAddress, ConditionalFormatSpec, looksLikeFormula, rangeAddress, SheetSpec, SpecValue, TableSpec, WorkbookSpec } from '../../workbook/spec';
import { excelSerialFromEpochDays } from '../../engine/dates';

/** Excel.run, or a fake's run in tests. */
export interface ExcelHost {
  run<T>(batch: (context: Excel.RequestContext) => Promise<T>): Promise<T>;
}

/** The real host: the global Excel.run of Office.js. */
export function officeExcelHost(): ExcelHost {
  return { run: (batch) => Excel.run(batch) };
}

export const DEFAULT_MAX_REQUEST_BYTES = 4_000_000;

type CellInput = string | number | boolean;

/** A spec value as Office.js takes it in `values` / `formulas`, and its number format. */
function cellInput(value: SpecValue): { value: CellInput; formula?: string; format?: string } {
  if (value === null) return { value: '' };
  if (typeof value === 'object') {
    if ('date' in value) return { value: excelSerialFromEpochDays(value.date), format: 'yyyy-mm-dd' };
    return { value: '', formula: value.formula.startsWith('=') ? value.formula : `=${value.formula}` };
  }
  if (typeof value === 'string' && looksLikeFormula(value)) return { value, format: '@' };
  return { value };
}

interface Grid {
  row: number;
  col: number;
  rows: SpecValue[][];
  formats?: (string | null)[];
}

/** Rough JSON size of a row of values plus formats: what one row adds to a request. */
function rowBytes(values: SpecValue[], formats?: (string | null)[]): number {
  return JSON.stringify(values).length + (formats ? JSON.stringify(formats).length : 0) + 16;
}

/** Splits grid rows into batches whose estimated request size stays under the limit. */
export function batchRows(rows: SpecValue[][], formats: (string | null)[] | undefined, maxBytes: number): [number, number][] {
  const batches: [number, number][] = [];
  let start = 0;
  let bytes = 0;
  rows.forEach((row, r) => {
    const size = rowBytes(row, formats) * 2; // values and number formats both travel per cell
    if (r > start && bytes + size > maxBytes) {
      batches.push([start, r]);
      start = r;
      bytes = 0;
    }
    bytes += size;
  });
  if (start < rows.length) batches.push([start, rows.length]);
  return batches;
}

async function writeGrid(context: Excel.RequestContext, sheet: Excel.Worksheet, grid: Grid, maxBytes: number): Promise<void> {
  if (grid.rows.length === 0) return;
  const width = Math.max(...grid.rows.map((r) => r.length));
  for (const [from, to] of batchRows(grid.rows, grid.formats, maxBytes)) {
    const slice = grid.rows.slice(from, to).map((r) => Array.from({ length: width }, (_, c) => cellInput(r[c] ?? null)));
    const range = sheet.getRange(rangeAddress(grid.row + from, grid.col, to - from, width));
    // Number formats first, so text such as '=SUM(A1)' lands in a text-formatted cell and stays text.
    range.numberFormat = slice.map((r) => r.map((cell, c) => cell.format ?? grid.formats?.[c] ?? 'General'));
    range.values = slice.map((r) => r.map((cell) => cell.value));
    const formulaCells = slice.flatMap((r, i) => r.map((cell, c) => ({ cell, i, c })).filter((x) => x.cell.formula));
    for (const { cell, i, c } of formulaCells) sheet.getRange(cellAddress(grid.row + from + i, grid.col + c)).formulas = [[cell.formula as string]];
    await context.sync();
  }
}

function addConditionalFormat(sheet: Excel.Worksheet, cf: ConditionalFormatSpec): void {
  const range = sheet.getRange(cf.range);
  if (cf.type === 'expression') {
    const format = range.conditionalFormats.add(Excel.ConditionalFormatType.custom);
    format.custom.rule.formula = `=${cf.formula}`;
    format.custom.format.fill.color = `#${cf.fill}`;
    if (cf.fontColor) format.custom.format.font.color = `#${cf.fontColor}`;
  } else if (cf.type === 'dataBar') {
    const format = range.conditionalFormats.add(Excel.ConditionalFormatType.dataBar);
    format.dataBar.barDirection = Excel.ConditionalDataBarDirection.leftToRight;
    format.dataBar.positiveFormat.fillColor = `#${cf.color}`;
  } else {
    const format = range.conditionalFormats.add(Excel.ConditionalFormatType.iconSet);
    format.iconSet.style = Excel.IconSet.threeTrafficLights1;
    format.iconSet.reverseIconOrder = cf.reverse === true;
    format.iconSet.criteria = [
      {} as Excel.ConditionalIconCriterion,
      { type: Excel.ConditionalFormatIconRuleType.number, operator: Excel.ConditionalIconCriterionOperator.greaterThanOrEqual, formula: `=${cf.thresholds[0]}` } as Excel.ConditionalIconCriterion,
      { type: Excel.ConditionalFormatIconRuleType.number, operator: Excel.ConditionalIconCriterionOperator.greaterThanOrEqual, formula: `=${cf.thresholds[1]}` } as Excel.ConditionalIconCriterion,
    ];
  }
}

function tableRange(table: TableSpec): string {
  return rangeAddress(table.row, table.col, table.rows.length + 1, table.header.length);
}

async function writeSheet(context: Excel.RequestContext, sheetSpec: SheetSpec, maxBytes: number, added: string[]): Promise<Excel.Worksheet> {
  const sheet = context.workbook.worksheets.add(sheetSpec.name);
  await context.sync();
  added.push(sheetSpec.name); // from here on this run owns the sheet, and removes it on failure
  for (const block of sheetSpec.blocks) {
    await writeGrid(context, sheet, { row: block.row, col: block.col, rows: block.values, formats: block.numberFormats }, maxBytes);
    if (block.bold) sheet.getRange(rangeAddress(block.row, block.col, block.values.length, Math.max(...block.values.map((r) => r.length)))).format.font.bold = true;
  }
  for (const table of sheetSpec.tables) {
    await writeGrid(context, sheet, { row: table.row, col: table.col, rows: [table.header], formats: table.header.map(() => '@') }, maxBytes);
    await writeGrid(context, sheet, { row: table.row + 1, col: table.col, rows: table.rows, formats: table.numberFormats }, maxBytes);
    const excelTable = sheet.tables.add(tableRange(table), true);
    excelTable.name = table.name;
    excelTable.style = table.style ?? 'TableStyleMedium2';
    excelTable.showTotals = table.totalsRow === true;
  }
  sheetSpec.conditionalFormats.forEach((cf) => addConditionalFormat(sheet, cf));
  for (const chart of sheetSpec.charts) {
    const added = sheet.charts.add(Excel.ChartType.barClustered, sheet.getRange(chart.values), Excel.ChartSeriesBy.columns);
    added.title.text = chart.title;
    added.series.getItemAt(0).setXAxisValues(sheet.getRange(chart.categories));
    added.setPosition(chart.anchor);
  }
  sheetSpec.columnWidths?.forEach((width, c) => (sheet.getRange(`${cellAddress(0, c).replace(/\d+$/, '')}:${cellAddress(0, c).replace(/\d+$/, '')}`).format.columnWidth = width * 7));
  if (sheetSpec.freezeRows) sheet.freezePanes.freezeRows(sheetSpec.freezeRows);
  if (sheetSpec.protect) sheet.protection.protect();
  await context.sync();
  return sheet;
}

/** Appends log rows to an existing table. */
async function appendRows(context: Excel.RequestContext, sheetSpec: SheetSpec): Promise<boolean> {
  if (!sheetSpec.appendTo) return false;
  const table = context.workbook.tables.getItemOrNullObject(sheetSpec.appendTo.tableName);
  await context.sync();
  if (table.isNullObject) return false;
  table.rows.add(undefined, (sheetSpec.tables[0]?.rows ?? []).map((r) => r.map((v) => cellInput(v).value)));
  await context.sync();
  return true;
}

/** Writes the spec; on failure removes every sheet this run added and rethrows. */
export async function writeWorkbookSpec(host: ExcelHost, spec: WorkbookSpec, options: { maxRequestBytes?: number } = {}): Promise<{ sheetsAdded: string[] }> {
  const maxBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
  const added: string[] = [];
  return host.run(async (context) => {
    try {
      context.application.suspendApiCalculationUntilNextSync();
      for (const sheetSpec of spec.sheets) {
        if (await appendRows(context, sheetSpec)) continue;
        await writeSheet(context, sheetSpec, maxBytes, added);
      }
      return { sheetsAdded: added };
    } catch (error) {
      // Only sheets this run created are removed; the user's sheets are never touched.
      for (const name of [...added].reverse()) context.workbook.worksheets.getItem(name).delete();
      await context.sync().catch(() => undefined);
      throw new Error(`The plan could not be written, and what was written has been removed: ${(error as Error).message}`);
    }
  });
}
