/**
 * Everything that differs between the warehouses the SQL builder targets, in one place. The query
 * builder only calls these functions, so a new dialect is one more entry here.
 */
export type Dialect = 'duckdb' | 'postgres' | 'bigquery' | 'snowflake' | 'spark';

export const DIALECTS: readonly Dialect[] = ['duckdb', 'postgres', 'bigquery', 'snowflake', 'spark'];

export interface DialectRules {
  /** A quoted identifier (column or table name part). */
  ident(name: string): string;
  /** Whole days from `earlier` to `later` (both DATE expressions). */
  daysBetween(earlier: string, later: string): string;
  /** A DATE literal from yyyy-mm-dd. */
  dateLiteral(iso: string): string;
  /** The expression as a 64-bit float. */
  double(expr: string): string;
  /** The expression as a 64-bit integer. */
  bigint(expr: string): string;
  /** The expression as text. */
  text(expr: string): string;
  /** A text expression compared by its bytes (code points), whatever the database's collation. */
  binary(expr: string): string;
  /**
   * A DOUBLE expression that stops the query with the text `message` in its error: the warehouse's
   * raise function where it has one, else a cast of the text to a number, which fails loudly there.
   */
  fail(message: string): string;
}

function quoteWith(open: string, close: string): (name: string) => string {
  return (name) => open + name.split(close).join(close + close) + close;
}

const doubleQuoted = quoteWith('"', '"');

export const DIALECT_RULES: Readonly<Record<Dialect, DialectRules>> = {
  duckdb: {
    ident: doubleQuoted,
    daysBetween: (earlier, later) => `date_diff('day', ${earlier}, ${later})`,
    dateLiteral: (iso) => `DATE '${iso}'`,
    double: (e) => `CAST(${e} AS DOUBLE)`,
    bigint: (e) => `CAST(${e} AS BIGINT)`,
    text: (e) => `CAST(${e} AS VARCHAR)`,
    binary: (e) => e,
    fail: (m) => `CAST(CAST(${m} AS BIGINT) AS DOUBLE)`,
  },
  postgres: {
    ident: doubleQuoted,
    daysBetween: (earlier, later) => `(${later} - ${earlier})`,
    dateLiteral: (iso) => `DATE '${iso}'`,
    double: (e) => `CAST(${e} AS DOUBLE PRECISION)`,
    bigint: (e) => `CAST(${e} AS BIGINT)`,
    text: (e) => `CAST(${e} AS TEXT)`,
    binary: (e) => `(${e} COLLATE "C")`,
    fail: (m) => `CAST(CAST(${m} AS BIGINT) AS DOUBLE PRECISION)`,
  },
  bigquery: {
    ident: quoteWith('`', '`'),
    daysBetween: (earlier, later) => `DATE_DIFF(${later}, ${earlier}, DAY)`,
    dateLiteral: (iso) => `DATE '${iso}'`,
    double: (e) => `CAST(${e} AS FLOAT64)`,
    bigint: (e) => `CAST(${e} AS INT64)`,
    text: (e) => `CAST(${e} AS STRING)`,
    binary: (e) => e,
    fail: (m) => `CAST(ERROR(${m}) AS FLOAT64)`,
  },
  snowflake: {
    ident: doubleQuoted,
    daysBetween: (earlier, later) => `DATEDIFF(day, ${earlier}, ${later})`,
    dateLiteral: (iso) => `DATE '${iso}'`,
    double: (e) => `CAST(${e} AS DOUBLE)`,
    bigint: (e) => `CAST(${e} AS BIGINT)`,
    text: (e) => `CAST(${e} AS VARCHAR)`,
    binary: (e) => e,
    fail: (m) => `CAST(CAST(${m} AS BIGINT) AS DOUBLE)`,
  },
  spark: {
    ident: quoteWith('`', '`'),
    daysBetween: (earlier, later) => `DATEDIFF(${later}, ${earlier})`,
    dateLiteral: (iso) => `DATE '${iso}'`,
    double: (e) => `CAST(${e} AS DOUBLE)`,
    bigint: (e) => `CAST(${e} AS BIGINT)`,
    text: (e) => `CAST(${e} AS STRING)`,
    binary: (e) => e,
    // A failed cast is NULL in Spark without ANSI mode (the default before Spark 4): raise_error fails in either.
    fail: (m) => `CAST(raise_error(${m}) AS DOUBLE)`,
  },
};

/** A table name, dotted parts quoted one by one (schema.table, project.dataset.table). */
export function tableName(rules: DialectRules, name: string): string {
  return name.split('.').map((part) => rules.ident(part)).join('.');
}
