/**
 * Reads a sheet of an .xlsx file into rows of host cell values (numbers, text, booleans, Dates,
 * '' for blanks), the form the engine's readers take. Formula cells give their cached result.
 */
import ExcelJS from 'exceljs';
import type { CellValue } from '../../engine/errors';

/** Converts one ExcelJS cell value to an engine cell value. */
export function excelJsToCell(value: ExcelJS.CellValue): CellValue {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value;
  if (typeof value === 'object') {
    if ('result' in value) return excelJsToCell((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
    if ('richText' in value) return (value as ExcelJS.CellRichTextValue).richText.map((run) => run.text).join('');
    if ('text' in value) return String((value as ExcelJS.CellHyperlinkValue).text);
    if ('error' in value) return String((value as ExcelJS.CellErrorValue).error);
  }
  return String(value);
}

/** Names the sheets of a workbook, for messages. */
function sheetNames(workbook: ExcelJS.Workbook): string {
  return workbook.worksheets.map((s) => `'${s.name}'`).join(', ');
}

/** Rows of the first sheet (or the named one), trimmed to the used width; blank rows kept as ''. */
export async function readXlsxTable(path: string, sheet?: string): Promise<CellValue[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  const worksheet = sheet === undefined ? workbook.worksheets[0] : workbook.getWorksheet(sheet);
  if (!worksheet) {
    throw new Error(
      sheet === undefined
        ? `${path} has no worksheets`
        : `${path} has no sheet named '${sheet}'; its sheets are ${sheetNames(workbook)}`,
    );
  }
  const width = worksheet.actualColumnCount > 0 ? worksheet.columnCount : 0;
  const rows: CellValue[][] = [];
  worksheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
    const cells: CellValue[] = new Array(width);
    for (let c = 1; c <= width; c++) cells[c - 1] = excelJsToCell(row.getCell(c).value);
    rows[rowNumber - 1] = cells;
  });
  for (let r = 0; r < rows.length; r++) if (!rows[r]) rows[r] = new Array<CellValue>(width).fill('');
  return rows;
}
