/**
 * Reads a source table from the open workbook: an Excel table, a named range, a range address or
 * the selection, as rows of cell values for the engine's readers (numbers, text, booleans, '' for
 * blanks; dates arrive as Excel serial numbers, which the engine's date reader accepts).
 *
 * Reads are chunked by rows so that no response approaches Excel on the web's 5 MB limit: a first
 * small chunk measures the bytes per row, and the following chunks are sized from the largest
 * row size seen so far. A whole-column selection (A:D) is cut to the sheet's used range first.
 */
import type { CellValue } from '../../engine/errors';
import { Locale, t } from '../../i18n';
import { jsonBytes } from './request-budget';
import type { ExcelHost } from './write-spec';
import { describeSource, splitSheetAddress, SourceRef } from '../../runs/host';
import { RunSignal, throwIfCancelled } from '../../runs/cancel';

export type { SourceRef };

export interface ReadSourceOptions {
  /** Largest response to ask for (default 4,000,000 bytes). */
  maxResponseBytes?: number;
  /** Rows in the first, measuring chunk (default 500). */
  firstChunkRows?: number;
  /** Rows per chunk, at most (default: sized from the measured bytes per row). */
  chunkRows?: number;
  locale?: Locale;
  onProgress?: (rowsRead: number, totalRows: number) => void;
  /** Checked before each chunk: an aborted signal stops the read with RunCancelledError. */
  signal?: RunSignal;
  /** Read only the first rows (a preview); `totalRows` still counts them all. */
  maxRows?: number;
}

export interface SourceTable {
  /** Header row first (for a table: its header row; its totals row is left out). */
  rows: CellValue[][];
  /** Sheet-qualified address of what was read, e.g. 'Data'!A1:D2001 (for the plan's "source" line). */
  address: string;
  chunks: number;
  syncs: number;
  /** Rows in the source (header included, totals row left out). */
  totalRows: number;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 4_000_000;

/** The range to read (and, for a table, whether its last row is a totals row). */
function sourceRange(context: Excel.RequestContext, source: SourceRef): { range: Excel.Range; table?: Excel.Table } {
  const workbook = context.workbook;
  switch (source.kind) {
    case 'table': {
      const table = workbook.tables.getItem(source.name);
      table.load('showTotals');
      return { range: table.getRange(), table };
    }
    case 'name':
      return { range: bounded(workbook.names.getItem(source.name).getRange()) };
    case 'range': {
      const { sheet, address } = splitSheetAddress(source);
      const worksheet = sheet === undefined ? workbook.worksheets.getActiveWorksheet() : workbook.worksheets.getItem(sheet);
      return { range: bounded(worksheet.getRange(address)) };
    }
    case 'selection':
      return { range: bounded(workbook.getSelectedRange()) };
  }
}

/** The part of a range inside its sheet's used range (values only), or a null object when none is. */
function bounded(range: Excel.Range): Excel.Range {
  return range.getIntersectionOrNullObject(range.worksheet.getUsedRange(true));
}

/** Reads the source in row chunks; throws a clear error when it holds nothing. */
export async function readSource(host: ExcelHost, source: SourceRef, options: ReadSourceOptions = {}): Promise<SourceTable> {
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  return host.run(async (context) => {
    const { range, table } = sourceRange(context, source);
    range.load('address,rowCount,columnCount');
    await context.sync();
    let syncs = 1;
    if (!table && range.isNullObject) throw new Error(t(options.locale ?? 'en', 'excel.sourceEmpty', { source: describeSource(source) }));
    const columns = range.columnCount;
    const totalRows = range.rowCount - (table?.showTotals ? 1 : 0);
    const rowsToRead = Math.min(totalRows, options.maxRows ?? totalRows);
    const rows: CellValue[][] = [];
    let bytesPerRow = 0;
    let chunks = 0;
    while (rows.length < rowsToRead) {
      throwIfCancelled(options.signal, options.locale);
      const bySize = chunks === 0 ? (options.firstChunkRows ?? 500) : Math.floor((0.8 * maxBytes) / Math.max(bytesPerRow, 1));
      // A fixed chunk size still yields to the measured size, so no response nears the limit.
      const wanted = options.chunkRows === undefined ? bySize : chunks === 0 ? options.chunkRows : Math.min(options.chunkRows, bySize);
      const count = Math.max(1, Math.min(rowsToRead - rows.length, wanted));
      const chunk = range.getCell(rows.length, 0).getResizedRange(count - 1, columns - 1).load('values');
      await context.sync();
      syncs++;
      chunks++;
      const values = chunk.values as CellValue[][];
      bytesPerRow = Math.max(bytesPerRow, jsonBytes(values) / count);
      for (const row of values) rows.push(row);
      options.onProgress?.(rows.length, rowsToRead);
    }
    return { rows, address: range.address, chunks, syncs, totalRows };
  });
}
