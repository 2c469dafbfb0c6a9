/** Reading the transaction table a command was given: CSV through the byte fast path, .xlsx through ExcelJS. */
import { extname } from 'node:path';
import { DateOrder, readDate } from '../../engine/dates';
import { readTransactionTable, Transactions } from '../../engine/transactions';
import { readTransactionsCsv } from '../csv-transactions';
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

/** Reads a transaction file; `path` is as the user typed it (for messages), resolved against the command's folder. */
export async function readTransactionsFile(path: string, values: ParsedOptions, io: CliIo, onProgress?: (records: number, fraction: number) => void): Promise<Transactions> {
  const options = {
    skipInvalid: values['skip-invalid'] === true,
    dateOrder: dateOrderOption(values),
    columns: transactionColumnOverrides(values),
    ...(onProgress ? { onProgress } : {}),
  };
  const files = fileOptions(values, io);
  if (['.xlsx', '.xlsm'].includes(extname(path).toLowerCase())) {
    return readTransactionTable(await readInputTable(path, files), options);
  }
  if (files.sheet !== undefined) throw new UsageError(`--sheet applies to .xlsx files only, not ${path}`);
  return readTransactionsCsv(await readCsvBytes(path, files), options);
}
