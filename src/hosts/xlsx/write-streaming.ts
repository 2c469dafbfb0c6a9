/**
 * Writes a WorkbookSpec to a new .xlsx file with ExcelJS's streaming writer, for plans too large for
 * the in-memory writer (ExcelJS needs about 1 KB of memory per cell there: 3 GB for a 100,000-customer
 * plan). The streaming writer cannot write Excel tables, so each table becomes a header row with an
 * AutoFilter, its number formats and a totals row of SUBTOTAL formulas; a note above says so.
 */
import ExcelJS from 'exceljs';
import { cellAddress, columnName, SheetSpec, TableSpec, WorkbookSpec } from '../../workbook/spec';
import { toExcelJsValue } from './write';

export const TABLE_NOTE = 'Large plan: written as a filtered range instead of an Excel table (Home > Format as Table turns it into one).';

interface PendingCell {
  value: ExcelJS.CellValue;
  numFmt?: string;
  bold?: boolean;
}

/** Cells of one sheet by 0-based row, so rows can be streamed in order. */
function cellsByRow(sheet: SheetSpec): Map<number, Map<number, PendingCell>> {
  const rows = new Map<number, Map<number, PendingCell>>();
  const put = (r: number, c: number, cell: PendingCell) => {
    let row = rows.get(r);
    if (!row) rows.set(r, (row = new Map()));
    row.set(c, cell);
  };
  for (const block of sheet.blocks) {
    block.values.forEach((values, r) => values.forEach((v, c) => put(block.row + r, block.col + c, { value: toExcelJsValue(v), numFmt: block.numberFormats?.[c] ?? undefined, bold: block.bold })));
  }
  for (const table of sheet.tables) addTableCells(table, put);
  return rows;
}

function addTableCells(table: TableSpec, put: (r: number, c: number, cell: PendingCell) => void): void {
  table.header.forEach((name, c) => put(table.row, table.col + c, { value: name, bold: true }));
  table.rows.forEach((values, r) => values.forEach((v, c) => put(table.row + 1 + r, table.col + c, { value: toExcelJsValue(v), numFmt: table.numberFormats[c] ?? undefined })));
  if (!table.totalsRow || table.rows.length === 0) return;
  const totalsRow = table.row + 1 + table.rows.length;
  put(totalsRow, table.col, { value: 'Total', bold: true });
  table.header.forEach((_, c) => {
    if (c === 0 || !table.rows.every((row) => typeof row[c] === 'number')) return;
    const column = columnName(table.col + c);
    const formula = `SUBTOTAL(109,${column}${table.row + 2}:${column}${totalsRow})`;
    const result = table.rows.reduce((s, row) => s + (row[c] as number), 0);
    put(totalsRow, table.col + c, { value: { formula, result }, numFmt: table.numberFormats[c] ?? undefined, bold: true });
  });
}

export async function writeSpecStreaming(spec: WorkbookSpec, path: string): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true, useSharedStrings: true });
  for (const sheetSpec of spec.sheets) {
    const sheet = workbook.addWorksheet(sheetSpec.name);
    sheetSpec.columnWidths?.forEach((width, c) => (sheet.getColumn(c + 1).width = width));
    const main = sheetSpec.tables.reduce<TableSpec | undefined>((big, t) => (!big || t.rows.length > big.rows.length ? t : big), undefined);
    if (main) {
      sheet.autoFilter = `${cellAddress(main.row, main.col)}:${cellAddress(main.row + main.rows.length, main.col + main.header.length - 1)}`;
      sheetSpec.blocks.push({ row: Math.max(0, main.row - 1), col: 0, values: [[TABLE_NOTE]] });
    }
    const rows = cellsByRow(sheetSpec);
    for (const r of [...rows.keys()].sort((a, b) => a - b)) {
      const row = sheet.getRow(r + 1);
      for (const [c, cell] of rows.get(r) as Map<number, PendingCell>) {
        const target = row.getCell(c + 1);
        target.value = cell.value;
        if (cell.numFmt) target.numFmt = cell.numFmt;
        if (cell.bold) target.font = { bold: true };
      }
      row.commit();
    }
    for (const cf of sheetSpec.conditionalFormats) {
      if (cf.type === 'dataBar') sheet.addConditionalFormatting({ ref: cf.range, rules: [{ type: 'dataBar', priority: 1, cfvo: [{ type: 'min' }, { type: 'max' }], color: { argb: `FF${cf.color}` }, gradient: false } as unknown as ExcelJS.ConditionalFormattingRule] });
      if (cf.type === 'expression') sheet.addConditionalFormatting({ ref: cf.range, rules: [{ type: 'expression', priority: cf.priority ?? 1, formulae: [cf.formula], style: { fill: { type: 'pattern', pattern: 'solid', bgColor: { argb: `FF${cf.fill}` } } } }] });
    }
    sheet.commit();
  }
  await workbook.commit();
}
