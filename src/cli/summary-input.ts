/**
 * `cbp plan --summary FILE [--clv-summary FILE]`: a plan from a warehouse's per-customer result
 * instead of transactions. FILE has the columns of `cbp sql rfm` / `cbp rfm` (customer, recency,
 * frequency, monetary; other columns are ignored, scores are computed again here); the CLV file has
 * those of `cbp sql summary` (customer, x, t_x, t, monetary). Both are CSV, .xlsx or Parquet (Parquet
 * through the optional DuckDB package). A summary has no dates, so the as-of date it was computed
 * at is given with --as-of. The rows keep the file's order, which decides rounding ties as the
 * transactions' first-seen order does for `cbp plan`.
 */
import { extname } from 'node:path';
import { CellValue, InputError } from '../engine/errors';
import { EpochDays } from '../engine/dates';
import { normaliseHeader, resolveColumns } from '../engine/headers';
import { readMoney, readNumber } from '../engine/money';
import { isBlankCell, readKey } from '../engine/transactions';
import { rfmFromMeasures, RfmOptions, RfmResult } from '../engine/rfm';
import type { CustomerSummary } from '../engine/clv/summary';
import { lifetimeValuesFromSummary, PlanLifetimeValues } from '../engine/clv/plan-clv';
import { Locale, t } from '../i18n';
import { localizeError } from '../i18n/errors';
import { CliIo, UsageError } from './io';
import { ParsedOptions, stringOption } from './options';
import { fileOptions, readInputColumns } from './read-input';
import { optionsLocale, readParquetColumns } from './duckdb-engine';

/** What a plan is made from: scoring at the plan's options, and lifetime values when asked for. */
export interface PlanInput {
  rfm: (options: RfmOptions) => RfmResult;
  clv?: PlanLifetimeValues;
}

interface Table {
  header: CellValue[];
  columns: CellValue[][];
  rowCount: number;
}

async function readTable(path: string, values: ParsedOptions, io: CliIo, locale: Locale): Promise<Table> {
  if (extname(path).toLowerCase() === '.parquet') return readParquetColumns(path, io, locale);
  return readInputColumns(path, fileOptions(values, io));
}

/** Reads one summary file's rows with `read(row, cell)`; engine errors are prefixed with the file. */
class SummaryReader {
  readonly firstRow: number;
  constructor(
    readonly path: string,
    readonly table: Table,
    readonly locale: Locale,
  ) {
    // Rows as the user sees them: a CSV's or sheet's header is row 1; a Parquet file has none.
    this.firstRow = extname(path).toLowerCase() === '.parquet' ? 1 : 2;
  }

  fail(key: string, params: Record<string, string | number>): never {
    throw new UsageError(t(this.locale, key, { path: this.path, ...params }));
  }

  /** Engine errors (a cell that is not a number, a blank customer) named with the file. */
  guard<T>(read: () => T): T {
    try {
      return read();
    } catch (error) {
      if (error instanceof InputError) throw new UsageError(t(this.locale, 'summary.cell', { path: this.path, message: localizeError(error, this.locale) }));
      throw error;
    }
  }

  customerColumn(values: ParsedOptions): number {
    const override = stringOption(values, 'customer-column');
    return this.guard(() => resolveColumns(this.table.header, ['customer'] as const, [], override === undefined ? {} : { customer: override }).customer);
  }

  column(name: string, what: string): number {
    const index = this.table.header.findIndex((h) => normaliseHeader(h) === normaliseHeader(name));
    if (index < 0) this.fail('summary.missingColumn', { column: name, what, headers: this.table.header.map((h) => `'${String(h ?? '')}'`).join(', ') });
    return index;
  }

  /** Each row that is not blank in `columns`, with its number as the user sees it. */
  *rows(columns: readonly number[]): Generator<[number, number]> {
    for (let r = 0; r < this.table.rowCount; r++) {
      if (columns.every((c) => isBlankCell(this.table.columns[c][r]))) continue;
      yield [r, r + this.firstRow];
    }
  }

  cell(column: number, r: number): CellValue {
    return this.table.columns[column][r];
  }

  header(column: number): string {
    return String(this.table.header[column] ?? '');
  }

  number(column: number, r: number, row: number): number {
    return this.guard(() => readNumber(this.cell(column, r), { row, column: this.header(column) }));
  }

  wholeNumber(column: number, r: number, row: number): number {
    const n = this.number(column, r, row);
    if (!Number.isInteger(n) || n < 0) this.fail('summary.notWhole', { row, column: this.header(column), value: String(this.cell(column, r)) });
    return n;
  }

  nonNegative(column: number, r: number, row: number): number {
    const n = this.number(column, r, row);
    if (n < 0) this.fail('summary.negative', { row, column: this.header(column), value: String(this.cell(column, r)) });
    return n;
  }

  /** The customer of a row, refusing one seen on an earlier row. */
  customer(column: number, r: number, row: number, seen: Map<string, number>): string {
    const customer = this.guard(() => readKey(this.cell(column, r), { row, column: this.header(column) }, 'customer'));
    const first = seen.get(customer);
    if (first !== undefined) this.fail('summary.duplicate', { row, customer, first });
    seen.set(customer, row);
    return customer;
  }
}

/** Per-customer recency, frequency and monetary from a `cbp sql rfm` / `cbp rfm` result, scored at the plan's options. */
async function readRfmSummary(path: string, values: ParsedOptions, io: CliIo, asOf: EpochDays, locale: Locale): Promise<(options: RfmOptions) => RfmResult> {
  const file = new SummaryReader(path, await readTable(path, values, io, locale), locale);
  const customer = file.customerColumn(values);
  const recency = file.column('recency', 'days from the last purchase to the as-of date');
  const frequency = file.column('frequency', 'purchases');
  const monetary = file.column('monetary', 'sum of the amounts, in currency units');
  const ids: string[] = [];
  const recencyDays: number[] = [];
  const frequencies: number[] = [];
  const monetaryMinor: number[] = [];
  const seen = new Map<string, number>();
  for (const [r, row] of file.rows([customer, recency, frequency, monetary])) {
    ids.push(file.customer(customer, r, row, seen));
    recencyDays.push(file.wholeNumber(recency, r, row));
    frequencies.push(file.wholeNumber(frequency, r, row));
    monetaryMinor.push(file.guard(() => readMoney(file.cell(monetary, r), { row, column: file.header(monetary) })));
  }
  if (ids.length === 0) file.fail('summary.empty', {});
  const measures = { customerIds: ids, recencyDays: Int32Array.from(recencyDays), frequency: Int32Array.from(frequencies), monetaryMinor: Float64Array.from(monetaryMinor) };
  return (options) => rfmFromMeasures(measures, asOf, { rowsAfterAsOf: 0, customersWithoutPurchase: 0, rowsSkipped: 0 }, options);
}

/** The BG/NBD summary in days of `cbp sql summary` (customer, x, t_x, t, monetary). */
async function readClvSummary(path: string, values: ParsedOptions, io: CliIo, asOf: EpochDays, locale: Locale): Promise<CustomerSummary> {
  const file = new SummaryReader(path, await readTable(path, values, io, locale), locale);
  const customer = file.customerColumn(values);
  const x = file.column('x', 'repeat purchase days');
  const tx = file.column('t_x', 'days from the first to the last purchase');
  const age = file.column('t', 'days from the first purchase to the as-of date');
  const monetary = file.column('monetary', 'mean value of the repeat purchase days');
  const summary: { ids: string[]; x: number[]; tx: number[]; age: number[]; monetary: number[] } = { ids: [], x: [], tx: [], age: [], monetary: [] };
  const seen = new Map<string, number>();
  for (const [r, row] of file.rows([customer, x, tx, age, monetary])) {
    summary.ids.push(file.customer(customer, r, row, seen));
    summary.x.push(file.wholeNumber(x, r, row));
    const first = file.nonNegative(tx, r, row);
    const last = file.nonNegative(age, r, row);
    if (last < first) file.fail('summary.tAfterTx', { row, t: last, tx: first });
    summary.tx.push(first);
    summary.age.push(last);
    summary.monetary.push(file.nonNegative(monetary, r, row));
  }
  if (summary.ids.length === 0) file.fail('summary.empty', {});
  return {
    unit: 'days',
    observationEnd: asOf,
    customerIds: summary.ids,
    frequency: Float64Array.from(summary.x),
    recency: Float64Array.from(summary.tx),
    age: Float64Array.from(summary.age),
    monetary: Float64Array.from(summary.monetary),
    refundRowsIgnored: 0,
  };
}

/**
 * The plan's input from --summary (and --clv-summary when `clvMonths` is given). `asOf` is the
 * plan's --as-of, required here.
 */
export async function readPlanSummaries(summaryPath: string, values: ParsedOptions, io: CliIo, asOf: EpochDays | undefined, clvMonths: number | undefined): Promise<PlanInput> {
  const locale = optionsLocale(values);
  if (asOf === undefined) throw new UsageError(t(locale, 'summary.asOfNeeded'));
  const clvPath = stringOption(values, 'clv-summary');
  if (clvMonths !== undefined && clvPath === undefined) throw new UsageError(t(locale, 'summary.clvSummaryNeeded'));
  const rfm = await readRfmSummary(summaryPath, values, io, asOf, locale);
  if (clvMonths === undefined || clvPath === undefined) return { rfm };
  return { rfm, clv: lifetimeValuesFromSummary(await readClvSummary(clvPath, values, io, asOf, locale), clvMonths) };
}
