/** The .xlsx host (ExcelJS): read a sheet into cells, write a WorkbookSpec in memory or streamed. */
export { readXlsxTable, excelJsToCell } from './read';
export { writeSpecToWorkbook, toExcelJsValue } from './write';
export { temporaryPathFor } from './temporary';
export { writeSpecStreaming, tablePartXml, structuredColumnName } from './write-streaming';
