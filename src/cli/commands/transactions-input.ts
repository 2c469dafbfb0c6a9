/**
 * Reading the transaction table a command was given: CSV streamed through the byte fast path
 * (any size; files not in UTF-8 are read whole and transcoded), .xlsx through ExcelJS.
 */
import { extname } from 'node:path';
import { DateOrder, EpochDays, readDate } from '../../engine/dates';
import { latestPurchaseDate, rfmMeasures } from '../../engine/rfm';
import type { StreamedRfmMeasures } from '../../engine/rfm-stream';
import { readTransactionTable, Transactions } from '../../engine/transactions';
import { CsvTransactionOptions, readTransactionsCsv } from '../csv-transactions';
import { readRfmMeasuresStreamed, readTransactionsStreamed, StreamFallback } from '../csv-stream';
import { CliIo, UsageError } from '../io';
import { choiceOption, ParsedOptions, stringOption, transactionColumnOverrides } from '../options';
import { fileOptions, readCsvBytes, readInputTable } from '../read-input';

export function dateOrderOption(values: ParsedOptions): DateOrder {
  return choiceOption(values, 'date-order', ['auto', 'dmy', 'mdy'] as const, 'auto');
}

/** --as-of DATE as epoch days, read like any date cell. */
export function asOfOption(values: ParsedOptions, name = 'as-of'): number | undefined {
  const text = stringOption(values, name);
  return text === undefined ? undefined : readDate(text, { column: `--${name}` }, { dateOrder: dateOrderOption(values) });
}

function csvOptions(values: ParsedOptions, onProgress?: (records: number, fraction: number) => void): CsvTransactionOptions {
  return {
    skipInvalid: values['skip-invalid'] === true,
    dateOrder: dateOrderOption(values),
    columns: transactionColumnOverrides(values),
    ...(onProgress ? { onProgress } : {}),
  };
}

function isXlsx(path: string): boolean {
  return ['.xlsx', '.xlsm'].includes(extname(path).toLowerCase());
}

/** A CSV read whole (and transcoded to UTF-8): for the files the streaming reader leaves aside. */
async function readWholeCsv(path: string, values: ParsedOptions, io: CliIo, options: CsvTransactionOptions): Promise<Transactions> {
  return readTransactionsCsv(await readCsvBytes(path, fileOptions(values, io)), options);
}

/** Reads a transaction file; `path` is as the user typed it (for messages), resolved against the command's folder. */
export async function readTransactionsFile(path: string, values: ParsedOptions, io: CliIo, onProgress?: (records: number, fraction: number) => void): Promise<Transactions> {
  const options = csvOptions(values, onProgress);
  const files = fileOptions(values, io);
  if (isXlsx(path)) return readTransactionTable(await readInputTable(path, files), options);
  if (files.sheet !== undefined) throw new UsageError(`--sheet applies to .xlsx files only, not ${path}`);
  try {
    return await readTransactionsStreamed(path, files, options);
  } catch (error) {
    if (!(error instanceof StreamFallback)) throw error;
    return readWholeCsv(path, values, io, options);
  }
}

/** The RFM measures of a transaction file at `asOf` (default: its latest purchase date); a CSV is streamed, in memory by customers. */
export async function readRfmMeasuresFile(path: string, values: ParsedOptions, io: CliIo, asOf: EpochDays | undefined): Promise<StreamedRfmMeasures & { rowsSkipped: number }> {
  const options = csvOptions(values);
  const files = fileOptions(values, io);
  if (!isXlsx(path) && files.sheet === undefined) {
    try {
      return await readRfmMeasuresStreamed(path, files, options, asOf);
    } catch (error) {
      if (!(error instanceof StreamFallback)) throw error;
    }
  }
  // After a fallback the CSV is read whole at once (readTransactionsFile would try the stream again).
  const tx = isXlsx(path) || files.sheet !== undefined ? await readTransactionsFile(path, values, io) : await readWholeCsv(path, values, io, options);
  const at = asOf ?? latestPurchaseDate(tx);
  return { asOf: at, ...rfmMeasures(tx, at), rowsSkipped: tx.skipped.length };
}
