/**
 * Writes a WorkbookSpec into an ExcelJS workbook held in memory: values (text always as text, never
 * a formula), real tables with totals rows, number formats, conditional formats, column widths,
 * frozen rows, protection, log rows appended to an existing log table, and changes to existing
 * sheets (an approval stamp). Used for workbooks that already exist (a plan the variance is added
 * to, a plan being approved) and for small new ones; large new plans go through ./write-streaming.
 *
 * ExcelJS cannot draw charts. A chart's stand-in is a data bar on the chart's values (the segment
 * summary's allocation column) plus, at the chart's place, its title and a note saying so.
 */
import ExcelJS from 'exceljs';
import { BlockSpec, cellAddress, ChartSpec, columnSum, ConditionalFormatSpec, SheetSpec, SheetUpdateSpec, SpecValue, TableSpec, tableTotalsFunctions, WorkbookSpec } from '../../workbook/spec';

/** A spec value as ExcelJS takes it: dates become Date objects (UTC; a fraction of a day is the time). */
export function toExcelJsValue(value: SpecValue): ExcelJS.CellValue {
  if (value !== null && typeof value === 'object') {
    return 'date' in value ? new Date(Math.round(value.date * 86_400_000)) : { formula: value.formula.replace(/^=/, ''), result: value.result };
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
}

function writeBlock(sheet: ExcelJS.Worksheet, block: BlockSpec): void {
  block.values.forEach((row, r) =>
    row.forEach((value, c) => {
      const cell = sheet.getCell(block.row + r + 1, block.col + c + 1);
      cell.value = toExcelJsValue(value);
      const format = block.cellFormats?.[r]?.[c] ?? block.numberFormats?.[c];
      if (format) cell.numFmt = format;
      if (block.bold) cell.font = { bold: true };
    }),
  );
}

/** ExcelJS table columns: names, and the totals row's label and SUBTOTAL functions with their results. */
export function tableColumns(table: TableSpec): ExcelJS.TableColumnProperties[] {
  const functions = tableTotalsFunctions(table);
  return table.header.map((name, c) => {
    if (!table.totalsRow) return { name, filterButton: true };
    if (c === 0) return { name, filterButton: true, totalsRowLabel: table.totalsLabel ?? 'Total' };
    if (functions[c] === 'sum') return { name, filterButton: true, totalsRowFunction: 'sum', totalsRowResult: columnSum(table, c) } as ExcelJS.TableColumnProperties;
    return { name, filterButton: true, totalsRowFunction: 'none' };
  });
}

function writeTable(sheet: ExcelJS.Worksheet, table: TableSpec): void {
  sheet.addTable({
    name: table.name,
    displayName: table.name,
    ref: cellAddress(table.row, table.col),
    headerRow: true,
    totalsRow: table.totalsRow === true,
    style: { theme: (table.style ?? 'TableStyleMedium2') as ExcelJS.TableStyleProperties['theme'], showRowStripes: true },
    columns: tableColumns(table),
    rows: table.rows.map((row) => row.map(toExcelJsValue)),
  });
  const last = table.row + table.rows.length + 1 + (table.totalsRow ? 1 : 0);
  table.numberFormats.forEach((format, c) => {
    if (!format) return;
    for (let r = table.row + 2; r <= last; r++) sheet.getCell(r, table.col + c + 1).numFmt = format;
  });
}

function argb(hex: string): { argb: string } {
  return { argb: `FF${hex.replace('#', '').toUpperCase()}` };
}

function highlightStyle(fill: string, fontColor?: string): Partial<ExcelJS.Style> {
  return { fill: { type: 'pattern', pattern: 'solid', bgColor: argb(fill) }, ...(fontColor ? { font: { color: argb(fontColor) } } : {}) };
}

/** One conditional-format rule in ExcelJS's model (which writes the OOXML <cfRule>). */
export function conditionalFormatRule(cf: ConditionalFormatSpec, priority: number): ExcelJS.ConditionalFormattingRule {
  switch (cf.type) {
    case 'expression':
      return { type: 'expression', priority, formulae: [cf.formula], style: highlightStyle(cf.fill, cf.fontColor) };
    case 'cellValue':
      return { type: 'cellIs', priority, operator: cf.operator, formulae: cf.formula2 === undefined ? [cf.formula1] : [cf.formula1, cf.formula2], style: highlightStyle(cf.fill, cf.fontColor) } as ExcelJS.ConditionalFormattingRule;
    case 'dataBar':
      return { type: 'dataBar', priority, cfvo: [{ type: 'min' }, { type: 'max' }], color: argb(cf.color), gradient: false } as unknown as ExcelJS.ConditionalFormattingRule;
    case 'iconSet':
      return {
        type: 'iconSet',
        priority,
        iconSet: cf.iconSet,
        reverse: cf.reverse === true,
        cfvo: [{ type: 'percent', value: 0 }, { type: 'num', value: cf.thresholds[0] }, { type: 'num', value: cf.thresholds[1] }],
      } as unknown as ExcelJS.ConditionalFormattingRule;
  }
}

/**
 * The conditional formats of a sheet, with the chart stand-ins: a data bar on each chart's values
 * unless the spec already puts one there. Rules get priorities 1, 2, ... in spec order.
 */
export function sheetConditionalFormats(sheetSpec: SheetSpec): { ref: string; rule: ExcelJS.ConditionalFormattingRule }[] {
  const all: ConditionalFormatSpec[] = [...sheetSpec.conditionalFormats];
  for (const chart of sheetSpec.charts) {
    if (!all.some((cf) => cf.type === 'dataBar' && cf.range === chart.values)) all.push({ type: 'dataBar', range: chart.values, color: '2E75B6' });
  }
  return all.map((cf, k) => ({ ref: cf.range, rule: conditionalFormatRule(cf, k + 1) }));
}

/** The title and the stand-in note where the chart would be, as a block. */
export function chartSubstituteBlock(chart: ChartSpec): BlockSpec {
  const match = /^([A-Z]+)(\d+)$/.exec(chart.anchor);
  let col = 0;
  for (const ch of match?.[1] ?? 'A') col = col * 26 + ch.charCodeAt(0) - 64;
  const row = Number(match?.[2] ?? 1) - 1;
  return { row, col: col - 1, values: chart.substituteNote ? [[chart.title], [chart.substituteNote]] : [[chart.title]], bold: false };
}

/**
 * Appends rows under an existing table (the log). ExcelJS keeps no row model for tables it read
 * from a file, so the cells are written below the table and its reference is extended.
 */
function appendToTable(workbook: ExcelJS.Workbook, spec: SheetSpec): boolean {
  if (!spec.appendTo) return false;
  const { tableName } = spec.appendTo;
  // The table by its name, on whichever sheet holds it.
  const sheet = workbook.worksheets.find((s) => Object.keys((s as unknown as { tables?: Record<string, unknown> }).tables ?? {}).some((n) => n.toLowerCase() === tableName.toLowerCase()));
  const key = sheet && Object.keys((sheet as unknown as { tables: Record<string, unknown> }).tables).find((n) => n.toLowerCase() === tableName.toLowerCase());
  const table = (sheet && key ? sheet.getTable(key) : undefined) as unknown as { table: { tableRef?: string; ref?: string; autoFilterRef?: string } } | undefined;
  const ref = table?.table.tableRef ?? table?.table.ref;
  if (!sheet || !table || !ref) return false;
  const [from, to] = ref.split(':');
  const firstCol = sheet.getColumn(from.replace(/\d+/g, '')).number;
  const lastColLetters = to.replace(/\d+/g, '');
  let lastRow = Number(to.replace(/[A-Z]+/g, ''));
  const source = spec.tables[0];
  for (const row of source?.rows ?? []) {
    lastRow++;
    row.forEach((value, c) => {
      const cell = sheet.getCell(lastRow, firstCol + c);
      cell.value = toExcelJsValue(value);
      const format = source.numberFormats[c];
      if (format) cell.numFmt = format;
    });
  }
  table.table.tableRef = `${from}:${lastColLetters}${lastRow}`;
  if (table.table.autoFilterRef) table.table.autoFilterRef = table.table.tableRef;
  return true;
}

const PROTECTION = { selectLockedCells: true, selectUnlockedCells: true, autoFilter: true, sort: true, formatColumns: true };

function isProtected(sheet: ExcelJS.Worksheet): boolean {
  return Boolean((sheet as unknown as { sheetProtection?: { sheet?: boolean } }).sheetProtection?.sheet);
}

/** Changes cells of an existing sheet, unprotecting it for the change (see SheetUpdateSpec). */
async function applyUpdate(workbook: ExcelJS.Workbook, update: SheetUpdateSpec): Promise<void> {
  const sheet = workbook.getWorksheet(update.sheetName);
  if (!sheet) throw new Error(`the workbook has no sheet named '${update.sheetName}'`);
  const wasProtected = isProtected(sheet);
  if (wasProtected) sheet.unprotect();
  update.blocks.forEach((block) => writeBlock(sheet, block));
  if (update.protect ?? wasProtected) await sheet.protect('', PROTECTION);
}

/** Adds the spec's sheets to the workbook (or appends log rows where the log exists), then applies its updates. */
export async function writeSpecToWorkbook(workbook: ExcelJS.Workbook, spec: WorkbookSpec): Promise<void> {
  const logSheets: SheetSpec[] = [];
  for (const sheetSpec of spec.sheets) {
    if (sheetSpec.appendTo) {
      logSheets.push(sheetSpec);
      continue;
    }
    await addSheet(workbook, sheetSpec);
  }
  for (const update of spec.updates ?? []) await applyUpdate(workbook, update);
  // The log last, so that it records only what was written.
  for (const sheetSpec of logSheets) if (!appendToTable(workbook, sheetSpec)) await addSheet(workbook, { ...sheetSpec, appendTo: undefined });
}

async function addSheet(workbook: ExcelJS.Workbook, sheetSpec: SheetSpec): Promise<void> {
  const sheet = workbook.addWorksheet(sheetSpec.name, sheetSpec.freezeRows ? { views: [{ state: 'frozen', ySplit: sheetSpec.freezeRows }] } : {});
  sheetSpec.blocks.forEach((block) => writeBlock(sheet, block));
  sheetSpec.tables.forEach((table) => writeTable(sheet, table));
  for (const { ref, rule } of sheetConditionalFormats(sheetSpec)) sheet.addConditionalFormatting({ ref, rules: [rule] });
  for (const chart of sheetSpec.charts) {
    const block = chartSubstituteBlock(chart);
    writeBlock(sheet, block);
    sheet.getCell(block.row + 1, block.col + 1).font = { bold: true };
    if (block.values.length > 1) sheet.getCell(block.row + 2, block.col + 1).font = { italic: true, color: { argb: 'FF595959' } };
  }
  sheetSpec.columnWidths?.forEach((width, c) => (sheet.getColumn(c + 1).width = width));
  if (sheetSpec.protect) await sheet.protect('', PROTECTION);
}
