/**
 * Writes a WorkbookSpec into an ExcelJS workbook: values (text always as text, never a formula),
 * real tables, number formats, conditional formats, column widths and protection. ExcelJS cannot
 * draw charts, so a chart becomes a data bar on its values plus a note where the chart would be.
 */
import ExcelJS from 'exceljs';
import { rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { BlockSpec, cellAddress, ConditionalFormatSpec, SheetSpec, SpecValue, TableSpec, WorkbookSpec } from '../../workbook/spec';

/** A spec value as ExcelJS takes it: dates become Date objects at UTC midnight. */
export function toExcelJsValue(value: SpecValue): ExcelJS.CellValue {
  if (value !== null && typeof value === 'object') {
    return 'date' in value ? new Date(value.date * 86_400_000) : { formula: value.formula.replace(/^=/, ''), result: value.result };
  }
  return value;
}

function writeBlock(sheet: ExcelJS.Worksheet, block: BlockSpec): void {
  block.values.forEach((row, r) =>
    row.forEach((value, c) => {
      const cell = sheet.getCell(block.row + r + 1, block.col + c + 1);
      cell.value = toExcelJsValue(value);
      const format = block.numberFormats?.[c];
      if (format) cell.numFmt = format;
      if (block.bold) cell.font = { bold: true };
    }),
  );
}

function writeTable(sheet: ExcelJS.Worksheet, table: TableSpec): void {
  const numeric = table.header.map((_, c) => table.rows.length > 0 && table.rows.every((row) => typeof row[c] === 'number'));
  sheet.addTable({
    name: table.name,
    ref: cellAddress(table.row, table.col),
    headerRow: true,
    totalsRow: table.totalsRow === true,
    style: { theme: (table.style ?? 'TableStyleMedium2') as ExcelJS.TableStyleProperties['theme'], showRowStripes: true },
    columns: table.header.map((name, c) => ({
      name,
      filterButton: true,
      ...(table.totalsRow ? (c === 0 ? { totalsRowLabel: 'Total' } : numeric[c] ? { totalsRowFunction: 'sum' as const } : { totalsRowFunction: 'none' as const }) : {}),
    })),
    rows: table.rows.map((row) => row.map(toExcelJsValue)),
  });
  table.numberFormats.forEach((format, c) => {
    if (!format) return;
    const column = sheet.getColumn(table.col + c + 1);
    const last = table.row + table.rows.length + 1 + (table.totalsRow ? 1 : 0);
    for (let r = table.row + 2; r <= last; r++) sheet.getCell(r, column.number).numFmt = format;
  });
}

function argb(hex: string): { argb: string } {
  return { argb: `FF${hex.replace('#', '').toUpperCase()}` };
}

function conditionalFormatRule(cf: ConditionalFormatSpec): ExcelJS.ConditionalFormattingRule {
  if (cf.type === 'expression') {
    return {
      type: 'expression',
      priority: cf.priority ?? 1,
      formulae: [cf.formula],
      style: { fill: { type: 'pattern', pattern: 'solid', bgColor: argb(cf.fill) }, ...(cf.fontColor ? { font: { color: argb(cf.fontColor) } } : {}) },
    };
  }
  if (cf.type === 'dataBar') {
    return { type: 'dataBar', priority: 1, cfvo: [{ type: 'min' }, { type: 'max' }], color: argb(cf.color), gradient: false } as unknown as ExcelJS.ConditionalFormattingRule;
  }
  return {
    type: 'iconSet',
    priority: 1,
    iconSet: cf.iconSet,
    reverse: cf.reverse === true,
    cfvo: [{ type: 'num', value: 0 }, { type: 'num', value: cf.thresholds[0] }, { type: 'num', value: cf.thresholds[1] }],
  } as unknown as ExcelJS.ConditionalFormattingRule;
}

/**
 * Appends rows under an existing table (the log). ExcelJS keeps no row model for tables it read
 * from a file, so the cells are written below the table and its reference is extended.
 */
function appendToTable(workbook: ExcelJS.Workbook, spec: SheetSpec): boolean {
  if (!spec.appendTo) return false;
  const sheet = workbook.getWorksheet(spec.appendTo.sheetName);
  const table = sheet?.getTable(spec.appendTo.tableName) as unknown as { table: { tableRef?: string; ref?: string; autoFilterRef?: string } } | undefined;
  const ref = table?.table.tableRef ?? table?.table.ref;
  if (!sheet || !table || !ref) return false;
  const [from, to] = ref.split(':');
  const firstCol = sheet.getColumn(from.replace(/\d+/g, '')).number;
  const lastColLetters = to.replace(/\d+/g, '');
  let lastRow = Number(to.replace(/[A-Z]+/g, ''));
  for (const row of spec.tables[0]?.rows ?? []) {
    lastRow++;
    row.forEach((value, c) => (sheet.getCell(lastRow, firstCol + c).value = toExcelJsValue(value)));
  }
  table.table.tableRef = `${from}:${lastColLetters}${lastRow}`;
  if (table.table.autoFilterRef) table.table.autoFilterRef = table.table.tableRef;
  return true;
}

/** Adds the spec's sheets to the workbook (or appends log rows where the log exists). */
export async function writeSpecToWorkbook(workbook: ExcelJS.Workbook, spec: WorkbookSpec): Promise<void> {
  for (const sheetSpec of spec.sheets) {
    if (appendToTable(workbook, sheetSpec)) continue;
    const sheet = workbook.addWorksheet(sheetSpec.name);
    sheetSpec.blocks.forEach((block) => writeBlock(sheet, block));
    sheetSpec.tables.forEach((table) => writeTable(sheet, table));
    sheetSpec.conditionalFormats.forEach((cf) => sheet.addConditionalFormatting({ ref: cf.range, rules: [conditionalFormatRule(cf)] }));
    // No chart support in ExcelJS: show the chart's values as data bars and leave a note at its place.
    for (const chart of sheetSpec.charts) {
      sheet.addConditionalFormatting({ ref: chart.values, rules: [conditionalFormatRule({ type: 'dataBar', range: chart.values, color: '2E75B6' })] });
      const note = sheet.getCell(chart.anchor);
      note.value = chart.title;
      note.font = { bold: true };
    }
    sheetSpec.columnWidths?.forEach((width, c) => (sheet.getColumn(c + 1).width = width));
    if (sheetSpec.freezeRows) sheet.views = [{ state: 'frozen', ySplit: sheetSpec.freezeRows }];
    if (sheetSpec.protect) await sheet.protect('', { selectLockedCells: true, selectUnlockedCells: true, autoFilter: true, sort: true });
  }
}

/** Saves through a temporary file in the same folder, renamed at the end: never half a file. */
export async function saveWorkbookAtomically(workbook: ExcelJS.Workbook, path: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    await workbook.xlsx.writeFile(temp);
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

