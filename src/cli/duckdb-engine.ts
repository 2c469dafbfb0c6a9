/**
 * `cbp rfm|clv|plan --engine duckdb`: DuckDB (the optional package @duckdb/node-api, loaded only
 * here and only when asked for) reads the CSV, Parquet file or .duckdb table and runs the SQL of
 * src/warehouse (duckdb dialect) for the per-customer measures and the BG/NBD summary; the engine
 * scores, fits and allocates as it does for the built-in reader. Customers come back in first-seen
 * row order, as the built-in reader interns them, so every output is the same as the built-in
 * engine's. DuckDB runs in memory with its spill folder in a temporary directory that close()
 * removes; extensions are never downloaded (Parquet and CSV are built in), so no data leaves the
 * machine.
 */
import { open } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { makeTempFolder, removeTempFolder } from './temp-folders';
import { CellValue, describeValue, engineError } from '../engine/errors';
import { EpochDays, formatIsoDate } from '../engine/dates';
import { resolveColumns } from '../engine/headers';
import { rfmFromMeasures, RfmMeasures, RfmOptions, RfmResult, RfmWarnings } from '../engine/rfm';
import type { CustomerSummary, TimeUnit } from '../engine/clv/summary';
import { Locale, t } from '../i18n';
import { DIALECT_RULES, tableName } from '../warehouse/dialects';
import { rfmMeasuresSql } from '../warehouse/rfm-sql';
import { summarySql } from '../warehouse/summary-sql';
import { CliIo, UsageError } from './io';
import { parseCsv } from './csv';
import { assertDistinctHeaders, fileError } from './read-input';
import { choiceOption, inputPath, OptionSpec, ParsedOptions, stringOption, transactionColumnOverrides } from './options';

export type Engine = 'builtin' | 'duckdb';

/** The options every command with a transactions input takes for the engine. */
export const ENGINE_OPTIONS: OptionSpec[] = [
  {
    name: 'engine',
    type: 'string',
    value: 'builtin|duckdb',
    help: 'builtin (CSV, .xlsx) or duckdb (CSV, .parquet, .duckdb; npm install @duckdb/node-api); default duckdb for .parquet and .duckdb, else builtin; same results (docs/warehouse.md)',
  },
  { name: 'table', type: 'string', value: 'NAME', help: 'the transactions table in a .duckdb input (schema.table works)' },
];

/** The part of @duckdb/node-api used here, declared locally so cbp compiles without the optional package. */
interface DuckDBResultReader {
  getColumnsJS(): unknown[][];
  getRowsJS(): unknown[][];
  columnNames(): string[];
  readonly currentRowCount: number;
}
interface DuckDBConnection {
  run(sql: string): Promise<unknown>;
  runAndReadAll(sql: string): Promise<DuckDBResultReader>;
  closeSync(): void;
}
interface DuckDBInstance {
  connect(): Promise<DuckDBConnection>;
  closeSync(): void;
}
export interface DuckDbModule {
  DuckDBInstance: { create(path: string, options?: Record<string, string>): Promise<DuckDBInstance> };
}

/** The package name, in a variable so that TypeScript does not need the package to compile cbp. */
const DUCKDB_PACKAGE = '@duckdb/node-api';

/** How the optional package is loaded; tests replace `load` to see the message when it is missing. */
export const duckDbLoader: { load: () => Promise<DuckDbModule> } = { load: async () => (await import(DUCKDB_PACKAGE)) as DuckDbModule };

/** The language of this module's messages: the command's --lang (rfm's segment language doubles as it, as in main()). */
export function optionsLocale(values: ParsedOptions): Locale {
  return values.lang === 'zh-CN' ? 'zh-CN' : 'en';
}

const DUCKDB_EXTENSIONS = ['.parquet', '.duckdb'];

/** --engine, or duckdb for .parquet and .duckdb inputs; checks that the engine can read the file. */
export function chooseEngine(input: string, values: ParsedOptions): Engine {
  const locale = optionsLocale(values);
  const ext = extname(input).toLowerCase();
  const given = values.engine === undefined ? undefined : choiceOption(values, 'engine', ['builtin', 'duckdb'] as const, 'builtin');
  const duckOnly = DUCKDB_EXTENSIONS.includes(ext);
  if (given === 'builtin' && duckOnly) throw new UsageError(t(locale, 'duckdb.builtinCannotRead', { path: input }));
  if (given === 'duckdb' && ['.xlsx', '.xlsm'].includes(ext)) throw new UsageError(t(locale, 'duckdb.duckdbCannotRead', { path: input }));
  if (stringOption(values, 'table') !== undefined && ext !== '.duckdb') throw new UsageError(t(locale, 'duckdb.tableOnlyForDuckdb', { path: input }));
  const engine = given ?? (duckOnly ? 'duckdb' : 'builtin');
  if (engine === 'duckdb' && ext === '.duckdb' && stringOption(values, 'table') === undefined) throw new UsageError(t(locale, 'duckdb.tableNeeded', { path: input }));
  return engine;
}

/** The package, or a UsageError saying how to install it. `what` names what needs it (e.g. "--engine duckdb"). */
export async function loadDuckDb(locale: Locale, what: string): Promise<DuckDbModule> {
  try {
    return await duckDbLoader.load();
  } catch (error) {
    const reason = String((error as Error)?.message ?? error).split('\n')[0];
    throw new UsageError(t(locale, 'duckdb.notInstalled', { what, reason }));
  }
}

function sqlString(text: string): string {
  return `'${text.split("'").join("''")}'`;
}

const ident = DIALECT_RULES.duckdb.ident;

/** DuckDB's error text, first line, for a message. */
function reasonOf(error: unknown): string {
  return String((error as Error)?.message ?? error).split('\n')[0];
}

/** An in-memory DuckDB with its spill folder in a fresh temporary directory, extensions never fetched. */
async function openDatabase(duck: DuckDbModule): Promise<{ instance: DuckDBInstance; connection: DuckDBConnection; folder: string }> {
  const folder = makeTempFolder('cbp-duckdb-');
  try {
    const instance = await duck.DuckDBInstance.create(':memory:', {
      temp_directory: folder,
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    });
    return { instance, connection: await instance.connect(), folder };
  } catch (error) {
    removeTempFolder(folder);
    throw error;
  }
}

type Problem = 'text' | 'date' | 'amount';
/** What each problem code (1 customer, 2 date, 3 amount, 4 order id) could not be read as. */
const PROBLEMS: Problem[] = ['text', 'date', 'amount', 'text'];

/**
 * One transactions input loaded into DuckDB: a table `staged` of every data row in file order
 * (its rowid is the row's place in the file), and the view `tx_ok` of the readable rows with
 * columns rn (first-seen order), customer, date, amount, order_id.
 */
export class DuckDbTransactions {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly folder: string,
    readonly hasOrder: boolean,
    /** Rows left out with --skip-invalid. */
    readonly rowsSkipped: number,
  ) {}

  /** Loads `path` (as typed; relative to io.cwd) with the command's column options. Throws UsageError/InputError for what cannot be read. */
  static async open(path: string, values: ParsedOptions, io: CliIo): Promise<DuckDbTransactions> {
    const locale = optionsLocale(values);
    const encoding = stringOption(values, 'encoding');
    if (encoding !== undefined && encoding.toLowerCase() !== 'utf-8') throw new UsageError(t(locale, 'duckdb.encodingUtf8Only', { path, encoding }));
    if (values['date-order'] !== undefined && values['date-order'] !== 'auto') throw new UsageError(t(locale, 'duckdb.optionBuiltinOnly', { option: '--date-order' }));
    if (stringOption(values, 'sheet') !== undefined) throw new UsageError(t(locale, 'duckdb.optionBuiltinOnly', { option: '--sheet' }));
    const duck = await loadDuckDb(locale, '--engine duckdb');
    const { instance, connection, folder } = await openDatabase(duck);
    try {
      const loaded = await load(connection, path, inputPath(io.cwd, path), values, locale);
      return new DuckDbTransactions(instance, connection, folder, loaded.hasOrder, loaded.rowsSkipped);
    } catch (error) {
      closeAll(instance, connection, folder);
      throw error;
    }
  }

  close(): void {
    closeAll(this.instance, this.connection, this.folder);
  }

  /** A result's columns (empty ones when there are no rows). */
  private async columns(sql: string): Promise<unknown[][]> {
    const reader = await this.connection.runAndReadAll(sql);
    const columns = reader.getColumnsJS();
    return columns.length ? columns : reader.columnNames().map(() => []);
  }

  /** The latest purchase date (amount > 0; of any row when there is none), or the latest date of any row. */
  async latestDate(kind: 'purchase' | 'any'): Promise<EpochDays> {
    const latest = kind === 'purchase' ? 'COALESCE(MAX(CASE WHEN amount > 0 THEN date END), MAX(date))' : 'MAX(date)';
    const [[day], [rows]] = await this.columns(`SELECT CAST(date_diff('day', DATE '1970-01-01', ${latest}) AS INTEGER), CAST(COUNT(*) AS DOUBLE) FROM tx_ok`);
    if (rows === 0) throw engineError('rfm.noTransactions');
    return day as number;
  }

  /** What `rfmMeasures` computes, by rfmMeasuresSql, in first-seen order, with the same warnings. */
  async rfmMeasures(asOf: EpochDays): Promise<{ measures: RfmMeasures; warnings: RfmWarnings }> {
    const sql = rfmMeasuresSql({ dialect: 'duckdb', table: 'tx_ok', customer: 'customer', date: 'date', amount: 'amount', order: this.hasOrder ? 'order_id' : undefined, asOf: formatIsoDate(asOf) });
    const [customers, recency, frequency, monetary] = await this.columns(
      `SELECT m.customer, CAST(m.recency_days AS INTEGER), CAST(m.frequency AS INTEGER), CAST(m.monetary_minor AS DOUBLE)\nFROM (${sql}) AS m JOIN (SELECT customer, MIN(rn) AS first_rn FROM tx_ok GROUP BY customer) AS f ON f.customer = m.customer\nORDER BY f.first_rn`,
    );
    const [[after], [customerCount]] = await this.columns(`SELECT CAST(COUNT(*) FILTER (WHERE date > DATE '${formatIsoDate(asOf)}') AS DOUBLE), CAST(COUNT(DISTINCT customer) AS DOUBLE) FROM tx_ok`);
    const measures: RfmMeasures = {
      customerIds: customers as string[],
      recencyDays: Int32Array.from(recency as number[]),
      frequency: Int32Array.from(frequency as number[]),
      monetaryMinor: Float64Array.from(monetary as number[]),
    };
    return {
      measures,
      warnings: { rowsAfterAsOf: after as number, customersWithoutPurchase: (customerCount as number) - customers.length, rowsSkipped: this.rowsSkipped },
    };
  }

  /** What `summariseTransactions` computes, by summarySql, in first-seen order. */
  async summary(end: EpochDays, unit: TimeUnit): Promise<CustomerSummary> {
    const iso = formatIsoDate(end);
    const sql = summarySql({ dialect: 'duckdb', table: 'tx_ok', customer: 'customer', date: 'date', amount: 'amount', asOf: iso, unit });
    const [customers, x, tx, age, monetary] = await this.columns(
      `SELECT s.customer, CAST(s.x AS DOUBLE), CAST(s.t_x AS DOUBLE), CAST(s.t AS DOUBLE), CAST(s.monetary AS DOUBLE)\nFROM (${sql}) AS s JOIN (SELECT customer, MIN(rn) AS first_rn FROM tx_ok GROUP BY customer) AS f ON f.customer = s.customer\nORDER BY f.first_rn`,
    );
    const [[refunds]] = await this.columns(`SELECT CAST(COUNT(*) AS DOUBLE) FROM tx_ok WHERE date <= DATE '${iso}' AND amount < 0`);
    return {
      unit,
      observationEnd: end,
      customerIds: customers as string[],
      frequency: Float64Array.from(x as number[]),
      recency: Float64Array.from(tx as number[]),
      age: Float64Array.from(age as number[]),
      monetary: Float64Array.from(monetary as number[]),
      refundRowsIgnored: refunds as number,
    };
  }
}

function closeAll(instance: DuckDBInstance, connection: DuckDBConnection, folder: string): void {
  try {
    connection.closeSync();
    instance.closeSync();
  } finally {
    removeTempFolder(folder);
  }
}

/** The FROM item of an input: read_csv with every column as text, read_parquet, or a table of an attached .duckdb file. */
async function sourceOf(connection: DuckDBConnection, absolute: string, values: ParsedOptions): Promise<string> {
  const ext = extname(absolute).toLowerCase();
  if (ext === '.parquet') return `read_parquet(${sqlString(absolute)})`;
  if (ext === '.duckdb') {
    await connection.run(`ATTACH ${sqlString(absolute)} AS source_db (READ_ONLY)`);
    return `source_db.${tableName(DIALECT_RULES.duckdb, stringOption(values, 'table') as string)}`;
  }
  return `read_csv(${sqlString(absolute)}, header = true, all_varchar = true)`;
}

/** A column as DuckDB reads it from its declared type: text is trimmed first; floats are rounded to 6 decimals as the engine snaps them. */
function parsedDate(column: string, type: string): string {
  if (type === 'DATE') return column;
  if (type.startsWith('TIMESTAMP')) return `CAST(${column} AS DATE)`;
  return type === 'VARCHAR' ? `TRY_CAST(trim(${column}) AS DATE)` : `TRY_CAST(${column} AS DATE)`;
}

function parsedAmount(column: string, type: string): string {
  if (type === 'VARCHAR') return `TRY_CAST(trim(${column}) AS DECIMAL(18,6))`;
  if (type === 'DOUBLE' || type === 'FLOAT') return `TRY_CAST(ROUND(${column}, 6) AS DECIMAL(18,6))`;
  return `TRY_CAST(${column} AS DECIMAL(18,6))`;
}

function blank(column: string): string {
  return `(${column} IS NULL OR trim(CAST(${column} AS VARCHAR)) = '')`;
}

/**
 * A CSV file's header row as the built-in reader sees it (DuckDB renames a repeated header, which
 * would hide two columns both headed 'amount'); a missing file gets the built-in reader's message.
 */
async function assertCsvHeaders(path: string, absolute: string): Promise<void> {
  let text: string;
  try {
    const handle = await open(absolute, 'r');
    try {
      const buffer = Buffer.alloc(1 << 20);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      text = buffer.toString('utf8', 0, bytesRead).replace(/^\uFEFF/, '');
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw fileError(error, path);
  }
  const end = text.indexOf('\n');
  assertDistinctHeaders(parseCsv(end < 0 ? text : text.slice(0, end)).header, path);
}

/**
 * CREATE TABLE staged: every data row in file order with its parsed customer, date, amount and
 * order id, and `problem`: -1 a blank row (skipped, as the built-in reader skips it), 0 readable,
 * else the first unreadable cell in the built-in reader's order (1 customer, 2 date, 3 amount,
 * 4 order id) with its text in bad_value. `roles` are the column indexes of customer, date, amount
 * and (optional) order id.
 */
function stagingSql(source: string, names: readonly string[], types: readonly string[], roles: readonly number[]): string {
  const col = (i: number) => ident(names[i]);
  const [customer, dateColumn, amountColumn, order] = roles;
  const problem = [
    `CASE WHEN ${roles.map((_i, k) => blank(`raw_${k + 1}`)).join(' AND ')} THEN -1`,
    "WHEN p_customer IS NULL OR p_customer = '' THEN 1",
    'WHEN p_date IS NULL THEN 2',
    'WHEN p_amount IS NULL THEN 3',
    ...(order !== undefined ? ["WHEN p_order IS NULL OR p_order = '' THEN 4"] : []),
    'ELSE 0 END',
  ].join(' ');
  const raw = roles.map((i, k) => `${col(i)} AS raw_${k + 1}`).join(', ');
  const badValue = `CASE ${roles.map((_i, k) => `WHEN problem = ${k + 1} THEN CAST(raw_${k + 1} AS VARCHAR)`).join(' ')} END`;
  // Each cell is parsed once (innermost), checked once (middle), and kept with the first bad value of its row.
  return [
    `CREATE TABLE staged AS SELECT p_customer AS customer, p_date AS date, p_amount AS amount, p_order AS order_id, problem, ${badValue} AS bad_value FROM (`,
    `  SELECT *, ${problem} AS problem FROM (`,
    `    SELECT trim(CAST(${col(customer)} AS VARCHAR)) AS p_customer, ${parsedDate(col(dateColumn), types[dateColumn])} AS p_date, ${parsedAmount(col(amountColumn), types[amountColumn])} AS p_amount,`,
    `      ${order !== undefined ? `trim(CAST(${col(order)} AS VARCHAR))` : 'CAST(NULL AS VARCHAR)'} AS p_order, ${raw}`,
    `    FROM ${source}`,
    '  )',
    ')',
  ].join('\n');
}

async function load(connection: DuckDBConnection, path: string, absolute: string, values: ParsedOptions, locale: Locale): Promise<{ hasOrder: boolean; rowsSkipped: number }> {
  if (!DUCKDB_EXTENSIONS.includes(extname(absolute).toLowerCase())) await assertCsvHeaders(path, absolute);
  let described: unknown[][];
  let source: string;
  try {
    source = await sourceOf(connection, absolute, values);
    described = (await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`)).getColumnsJS();
  } catch (error) {
    throw new UsageError(t(locale, 'duckdb.readFailed', { path, reason: reasonOf(error) }));
  }
  const names = described[0] as string[];
  const types = described[1] as string[];
  const at = resolveColumns(names, ['customer', 'date', 'amount'] as const, ['orderId'], transactionColumnOverrides(values));
  const hasOrder = at.orderId !== undefined;
  const roles = [at.customer, at.date, at.amount, ...(hasOrder ? [at.orderId as number] : [])];
  const isCsv = !DUCKDB_EXTENSIONS.includes(extname(absolute).toLowerCase());
  let staged = false;
  if (isCsv) {
    // Fast path: DuckDB's CSV reader converts the date (ISO only) and amount columns itself. Any
    // cell it refuses fails the whole read, which is then done again as text, cell by cell below.
    const typed = `read_csv(${sqlString(absolute)}, header = true, all_varchar = true, dateformat = '%Y-%m-%d', types = {${sqlString(names[at.date])}: 'DATE', ${sqlString(names[at.amount])}: 'DECIMAL(18,6)'})`;
    const typedTypes = types.map((type, i) => (i === at.date ? 'DATE' : i === at.amount ? 'DECIMAL(18,6)' : type));
    try {
      await connection.run(stagingSql(typed, names, typedTypes, roles));
      staged = true;
    } catch {
      await connection.run('DROP TABLE IF EXISTS staged');
    }
  }
  if (!staged) {
    try {
      await connection.run(stagingSql(source, names, types, roles));
    } catch (error) {
      throw new UsageError(t(locale, 'duckdb.readFailed', { path, reason: reasonOf(error) }));
    }
  }
  await connection.run('CREATE VIEW tx_ok AS SELECT rowid AS rn, customer, date, amount, order_id FROM staged WHERE problem = 0');
  const found = (
    await connection.runAndReadAll('SELECT CAST(COUNT(*) OVER () AS DOUBLE), CAST(rowid AS DOUBLE), problem, bad_value FROM staged WHERE problem > 0 ORDER BY rowid LIMIT 1')
  ).getRowsJS();
  if (found.length === 0) return { hasOrder, rowsSkipped: 0 };
  const [badCount, badRow, kind, bad] = found[0];
  if (values['skip-invalid'] === true) return { hasOrder, rowsSkipped: badCount as number };
  const k = (kind as number) - 1;
  // Rows as the user sees them: the header is row 1 of a CSV; a Parquet file or table has none.
  const row = (badRow as number) + (DUCKDB_EXTENSIONS.includes(extname(path).toLowerCase()) ? 1 : 2);
  const type = t(locale, `duckdb.type${PROBLEMS[k][0].toUpperCase()}${PROBLEMS[k].slice(1)}`);
  throw new UsageError(t(locale, 'duckdb.badCell', { path, row, column: names[roles[k]], value: describeValue(bad as CellValue), type }));
}

/** A Parquet file's columns as cells, for `cbp plan --summary` (bigints as numbers). */
export async function readParquetColumns(path: string, io: CliIo, locale: Locale): Promise<{ header: string[]; columns: CellValue[][]; rowCount: number }> {
  const duck = await loadDuckDb(locale, `${path} (Parquet)`);
  const { instance, connection, folder } = await openDatabase(duck);
  try {
    let reader: DuckDBResultReader;
    try {
      reader = await connection.runAndReadAll(`SELECT * FROM read_parquet(${sqlString(resolve(io.cwd, path))})`);
    } catch (error) {
      throw new UsageError(t(locale, 'duckdb.readFailed', { path, reason: reasonOf(error) }));
    }
    const columns = reader.getColumnsJS().map((column) => column.map(toCell));
    return { header: reader.columnNames(), columns, rowCount: reader.currentRowCount };
  } finally {
    closeAll(instance, connection, folder);
  }
}

function toCell(value: unknown): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean' || value instanceof Date) return value;
  return String(value);
}

/** Opens `path` in DuckDB, runs `work` and closes it (and removes its temporary folder), also on errors. */
export async function withDuckDb<T>(path: string, values: ParsedOptions, io: CliIo, work: (db: DuckDbTransactions) => Promise<T>): Promise<T> {
  const db = await DuckDbTransactions.open(path, values, io);
  try {
    return await work(db);
  } finally {
    db.close();
  }
}

/** computeRfm on DuckDB's measures: the as-of date defaults to the latest purchase date, as computeRfm's does. */
export async function rfmWithDuckDb(db: DuckDbTransactions, options: RfmOptions): Promise<RfmResult> {
  const asOf = options.asOf ?? (await db.latestDate('purchase'));
  const { measures, warnings } = await db.rfmMeasures(asOf);
  return rfmFromMeasures(measures, asOf, warnings, options);
}
