/** Reading the transaction table a command was given: CSV through the byte fast path, .xlsx through ExcelJS. */
import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { DateOrder, readDate } from '../../engine/dates';
import { readTransactionTable, Transactions } from '../../engine/transactions';
import { readTransactionsCsv } from '../csv-transactions';
import { UsageError } from '../io';
import { choiceOption, ParsedOptions, stringOption, transactionColumnOverrides } from '../options';
import { readInputTable } from '../read-input';

export function dateOrderOption(values: ParsedOptions): DateOrder {
  return choiceOption(values, 'date-order', ['auto', 'dmy', 'mdy'] as const, 'auto');
}

/** --as-of DATE as epoch days, read like any date cell. */
export function asOfOption(values: ParsedOptions, name = 'as-of'): number | undefined {
  const text = stringOption(values, name);
  return text === undefined ? undefined : readDate(text, { column: `--${name}` }, { dateOrder: dateOrderOption(values) });
}

/** Reads a transaction file; `path` is as the user typed it (for messages), resolved against `cwd`. */
export async function readTransactionsFile(path: string, values: ParsedOptions, cwd = process.cwd()): Promise<Transactions> {
  const options = {
    skipInvalid: values['skip-invalid'] === true,
    dateOrder: dateOrderOption(values),
    columns: transactionColumnOverrides(values),
  };
  if (['.xlsx', '.xlsm'].includes(extname(path).toLowerCase())) {
    return readTransactionTable(await readInputTable(path, { sheet: stringOption(values, 'sheet'), cwd }), options);
  }
  if (stringOption(values, 'sheet') !== undefined) throw new UsageError(`--sheet applies to .xlsx files only, not ${path}`);
  let bytes: Buffer;
  try {
    bytes = await readFile(resolve(cwd, path));
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  return readTransactionsCsv(bytes, options);
}
