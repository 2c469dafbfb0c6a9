/**
 * `cbp sql`: the RFM, BG/NBD summary or proportional allocation of `cbp` as one SQL statement for
 * the user's warehouse; with --check, the warehouse's result on a sample compared with cbp's.
 */
import { allocateBudget } from '../../engine/allocation/allocate';
import { splitBudget } from '../../engine/allocation/budget';
import { epochDaysFromCivil, isValidCivilDate } from '../../engine/dates';
import { scoreRfmValues, segmentScores } from '../../engine/rfm';
import { Locale, t } from '../../i18n';
import { CliIo, Command, UsageError } from '../io';
import { choiceOption, CommandSpec, formatHelp, numberListOption, numberOption, numberText, parseCommandArgs, ParsedOptions, stringOption } from '../options';
import { fileOptions, findColumn, numberColumn, readInputColumns } from '../read-input';
import { ALLOCATE_REFUSAL_KEYS, AllocateRefusalWording, allocateSql, SqlBound } from '../../warehouse/allocate-sql';
import { Dialect, DIALECTS } from '../../warehouse/dialects';
import { rfmSql, RfmSqlOptions } from '../../warehouse/rfm-sql';
import { summarySql } from '../../warehouse/summary-sql';
import { boundOption } from './allocate';
import { allocateExpected, compareResult, ExpectedResult, formatReport, rfmExpected, summaryExpected } from './sql-check';
import { readTransactionsFile } from './transactions-input';

const QUERIES = ['rfm', 'summary', 'allocate'] as const;
type Query = (typeof QUERIES)[number];

const SPEC: CommandSpec = {
  name: 'sql',
  usage: 'cbp sql rfm|summary|allocate --dialect duckdb|postgres|bigquery|snowflake|spark --table NAME [options]',
  summary: [
    'Prints one SQL statement that computes in the warehouse what cbp computes from a file:',
    "rfm:      the columns of cbp rfm, one row per customer (quantile scores with ties sharing a score,",
    '          or thresholds; rfm10, rfm8 or no segments); score is not rounded.',
    'summary:  the BG/NBD summary per customer: x (repeat purchase days), t_x, t (T) and monetary',
    '          (mean value of the repeat purchase days), as cbp clv fits it.',
    'allocate: cbp allocate --method proportional on a table with one row per customer (customer and',
    '          weight columns): customer, weight, allocation, share (of D) and at_bound; amounts are',
    '          multiples of --unit within floors and caps that add up to D exactly, ties broken by the',
    '          larger weight, then the customer (binary order). What cbp would refuse (a negative or',
    '          missing weight, floors above the budget, ...) makes the statement fail with the message.',
    'rfm and summary need a customer column, a DATE column and a numeric amount column.',
    '',
    'Reconciliation: run the statement on a sample in the warehouse, export the result as CSV, then run',
    'the same command with --check RESULT.csv and the sample (--transactions for rfm and summary,',
    '--customers for allocate): cbp computes the same on the sample and reports every customer and',
    'column that differs. Exit code 0 when everything matches, 1 when not. See docs/warehouse.md.',
  ].join('\n'),
  options: [
    { name: 'dialect', type: 'string', value: 'D', help: 'duckdb, postgres, bigquery, snowflake or spark (required unless --check)' },
    { name: 'table', type: 'string', value: 'NAME', help: 'the table, e.g. sales.transactions; for allocate one row per customer (required unless --check)' },
    { name: 'customer', type: 'string', value: 'COL', help: 'customer column (default customer)' },
    { name: 'date', type: 'string', value: 'COL', help: 'rfm, summary: date column, of type DATE (default date)' },
    { name: 'amount', type: 'string', value: 'COL', help: 'rfm, summary: amount column in major units (default amount)' },
    { name: 'order', type: 'string', value: 'COL', help: 'rfm: order id column; frequency counts distinct orders (default: purchase rows)' },
    { name: 'as-of', type: 'string', value: 'DATE', help: 'rfm, summary: as-of date / end of observation (default: the latest purchase date in the table)' },
    { name: 'bins', type: 'string', value: 'N', help: 'rfm: quantile scores 1..N (default 5)' },
    { name: 'thresholds-r', type: 'string', value: 'D1,D2,..', help: 'rfm: recency cut points in days, ascending (thresholds mode; give all three)' },
    { name: 'thresholds-f', type: 'string', value: 'N1,N2,..', help: 'rfm: frequency cut points, ascending' },
    { name: 'thresholds-m', type: 'string', value: 'M1,M2,..', help: 'rfm: monetary cut points, ascending' },
    { name: 'weights', type: 'string', value: 'WR,WF,WM', help: 'rfm: weights of R, F and M in the score (default 1,1,1)' },
    { name: 'segments', type: 'string', value: 'rfm10|rfm8|none', help: 'rfm: segment scheme (default rfm10)' },
    { name: 'lang', type: 'string', value: 'en|zh-CN', help: "rfm: language of segment names (default: Chinese for rfm8, English for rfm10); allocate: of the statement's refusals; also of these messages" },
    { name: 'unit', type: 'string', value: 'U', help: 'summary: days or weeks, the unit of t_x and T (default days); allocate: rounding unit 0.01 (default), 1, 100 ...' },
    { name: 'budget', type: 'string', value: 'B', help: 'allocate: total budget, e.g. 500000 (required)' },
    { name: 'weight', type: 'string', value: 'COL', help: 'allocate: weight column, numbers >= 0 (default score)' },
    { name: 'reserve', type: 'string', value: 'FRACTION', help: 'allocate: share held back as a contingency reserve, 0 <= r < 1 (default 0)' },
    { name: 'floor', type: 'string', value: 'N|COL', help: 'allocate: minimum per customer: a number for every row, or a column (NULL: none)' },
    { name: 'cap', type: 'string', value: 'N|COL', help: 'allocate: maximum per customer: a number, or a column (NULL: none)' },
    { name: 'check', type: 'string', value: 'RESULT.csv', help: "instead of printing the statement: compare the warehouse's result on a sample with cbp's" },
    { name: 'transactions', type: 'string', value: 'SAMPLE.csv', help: 'rfm, summary --check: the transactions the statement ran on (CSV or .xlsx, the table\'s columns)' },
    { name: 'customers', type: 'string', value: 'SAMPLE.csv', help: 'allocate --check: the per-customer table the statement ran on' },
    { name: 'help', type: 'boolean', help: 'show this help', short: 'h' },
  ],
  examples: [
    'cbp sql rfm --dialect postgres --table sales.transactions --order order_id > rfm.sql',
    'cbp sql rfm --dialect bigquery --table shop.sales.tx --customer client_id --date sold_on --amount net',
    'cbp sql summary --dialect snowflake --table SALES.TX --as-of 2025-12-31 --unit weeks',
    'cbp sql allocate --dialect postgres --table crm.scores --weight score --budget 500000 --floor 100 --cap 20000 --reserve 0.05 --unit 1',
    'cbp sql rfm --order order_id --as-of 2025-12-31 --check warehouse.csv --transactions sample.csv',
    'cbp sql allocate --budget 50000 --floor min_budget --unit 1 --check allocation.csv --customers sample.csv',
  ],
};

/** Options of one query only: given to another, they are a usage error rather than silently ignored. */
const TRANSACTION_ONLY = ['date', 'amount', 'as-of'];
const RFM_ONLY = ['order', 'bins', 'thresholds-r', 'thresholds-f', 'thresholds-m', 'weights', 'segments'];
const ALLOCATE_ONLY = ['budget', 'weight', 'reserve', 'floor', 'cap'];

/** The language of cbp sql's messages: --lang zh-CN (or zh), else English. */
function messageLocale(values: ParsedOptions): Locale {
  const lang = stringOption(values, 'lang');
  return lang === 'zh-CN' || lang === 'zh' ? 'zh-CN' : 'en';
}

function asOfText(values: ParsedOptions, locale: Locale): string | undefined {
  const text = stringOption(values, 'as-of');
  if (text === undefined) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!m || !isValidCivilDate(Number(m[1]), Number(m[2]), Number(m[3]))) throw new UsageError(t(locale, 'sql.badDate', { value: text }));
  return text.trim();
}

function epochDaysOf(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number);
  return epochDaysFromCivil(y, m, d);
}

/** The rfm options as the builder takes them, checked by the engine's own checks on no customers. */
function rfmOptions(values: ParsedOptions, locale: Locale): Omit<RfmSqlOptions, 'dialect' | 'table'> {
  const r = numberListOption(values, 'thresholds-r');
  const f = numberListOption(values, 'thresholds-f');
  const m = numberListOption(values, 'thresholds-m');
  if ((r || f || m) && !(r && f && m)) throw new UsageError('thresholds mode needs all three of --thresholds-r, --thresholds-f and --thresholds-m');
  const thresholds = r && f && m ? { recencyDays: r, frequency: f, monetary: m } : undefined;
  const weightList = numberListOption(values, 'weights');
  if (weightList && weightList.length !== 3) throw new UsageError('--weights needs three numbers: WR,WF,WM');
  const weights = weightList ? ([weightList[0], weightList[1], weightList[2]] as [number, number, number]) : undefined;
  const scheme = choiceOption(values, 'segments', ['rfm10', 'rfm8', 'none'] as const, 'rfm10');
  const lang = stringOption(values, 'lang');
  const language = lang === undefined ? undefined : choiceOption(values, 'lang', ['en', 'zh-CN', 'zh'] as const, 'en') === 'en' ? 'en' : 'zh';
  const bins = numberOption(values, 'bins');
  // The engine's own checks (bins 2..9, ascending cut points, weights, rfm10 needs 5 scores) on no customers.
  segmentScores(scoreRfmValues([], [], [], { bins, thresholds, weights }), scheme, language);
  return { ...columnsOf(values), order: stringOption(values, 'order'), asOf: asOfText(values, locale), bins, thresholds, weights, scheme, language };
}

function columnsOf(values: ParsedOptions): { customer?: string; date?: string; amount?: string } {
  return { customer: stringOption(values, 'customer'), date: stringOption(values, 'date'), amount: stringOption(values, 'amount') };
}

function allocateNumber(values: ParsedOptions, name: string, locale: Locale): number | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  const n = numberText(text);
  if (n === undefined) throw new UsageError(t(locale, 'sql.allocate.badNumber', { option: name, value: text }));
  return n;
}

/** --floor 100 (every row) or --floor min_budget (a column). */
function sqlBound(values: ParsedOptions, name: 'floor' | 'cap'): SqlBound | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  const n = numberText(text);
  return n !== undefined ? { amount: n } : { column: text };
}

interface AllocateParameters {
  budget: number;
  reserve?: number;
  unit?: number;
  floor?: SqlBound;
  cap?: SqlBound;
}

/** The allocate parameters, checked by the engine on one customer: budget, reserve, unit, a number floor or cap, a floor above the cap or above the budget. */
function allocateParameters(values: ParsedOptions, locale: Locale): AllocateParameters {
  const budget = allocateNumber(values, 'budget', locale);
  if (budget === undefined) throw new UsageError(t(locale, 'sql.allocate.missingBudget'));
  const p = { budget, reserve: allocateNumber(values, 'reserve', locale), unit: allocateNumber(values, 'unit', locale), floor: sqlBound(values, 'floor'), cap: sqlBound(values, 'cap') };
  const amount = (b: SqlBound | undefined) => (b !== undefined && 'amount' in b ? b.amount : undefined);
  allocateBudget({ budget, reserve: p.reserve, unit: p.unit, weights: [1], floor: amount(p.floor), cap: amount(p.cap), method: 'proportional' });
  return p;
}

function refusalWording(locale: Locale): AllocateRefusalWording {
  return {
    messages: Object.fromEntries(ALLOCATE_REFUSAL_KEYS.map((key) => [key, t(locale, `engine.${key}`)])) as AllocateRefusalWording['messages'],
    atCustomer: t(locale, 'sql.allocate.atCustomer'),
  };
}

/** Options that belong to other queries than this one, as a usage error. */
function refuseOtherOptions(query: Query, values: ParsedOptions, locale: Locale): void {
  const given = (names: readonly string[]) => names.find((name) => values[name] !== undefined);
  const other = query === 'allocate' ? given([...TRANSACTION_ONLY, ...RFM_ONLY]) : given(ALLOCATE_ONLY);
  if (other !== undefined) throw new UsageError(t(locale, query === 'allocate' ? 'sql.allocate.onlyForQuery' : 'sql.allocate.notForQuery', { option: other }));
}

/** --check RESULT.csv: cbp's result on the sample against the warehouse's; exit 0 when they match, 1 otherwise. */
async function checkResult(query: Query, check: string, sample: string, values: ParsedOptions, io: CliIo, locale: Locale): Promise<number> {
  let expected: ExpectedResult;
  if (query === 'allocate') {
    const p = allocateParameters(values, locale);
    const table = await readInputColumns(sample, fileOptions(values, io));
    const customerAt = findColumn(table, stringOption(values, 'customer') ?? 'customer', [], 'customer', '--customer');
    const weightAt = findColumn(table, stringOption(values, 'weight') ?? 'score', [], 'weight', '--weight');
    expected = allocateExpected(
      table.columns[customerAt].map((c) => String(c ?? '').trim()),
      { budget: p.budget, reserve: p.reserve, unit: p.unit, weights: numberColumn(table, weightAt), floor: boundOption(values, 'floor', table), cap: boundOption(values, 'cap', table), method: 'proportional', firstRow: 2, columnNames: { weight: String(table.header[weightAt]) } },
    );
  } else {
    const options = query === 'rfm' ? rfmOptions(values, locale) : { ...columnsOf(values), asOf: asOfText(values, locale) };
    const unit = query === 'summary' ? choiceOption(values, 'unit', ['days', 'weeks'] as const, 'days') : 'days';
    // The sample has the table's columns: the statement's column names, not cbp's header recognition.
    const columnValues: ParsedOptions = {
      ...values,
      'customer-column': options.customer ?? 'customer',
      'date-column': options.date ?? 'date',
      'amount-column': options.amount ?? 'amount',
      'order-column': query === 'rfm' ? stringOption(values, 'order') : undefined,
    };
    const read = await readTransactionsFile(sample, columnValues, io);
    // Without --order the statement counts purchase rows, even when the sample has an order id column.
    const tx = query === 'rfm' && values.order === undefined ? { ...read, orderIndex: undefined, orderIds: undefined } : read;
    const asOf = options.asOf === undefined ? undefined : epochDaysOf(options.asOf);
    if (query === 'rfm') {
      const o = options as Omit<RfmSqlOptions, 'dialect' | 'table'>;
      expected = rfmExpected(tx, { asOf, bins: o.bins, thresholds: o.thresholds, weights: o.weights, scheme: o.scheme, language: o.language });
    } else {
      expected = summaryExpected(tx, asOf, unit);
    }
  }
  const result = await readInputColumns(check, fileOptions(values, io));
  const report = compareResult(result, check, expected, locale);
  io.stdout(formatReport(report, { query, result: check, sample }, locale));
  return report.matches ? 0 : 1;
}

export const sqlCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs(SPEC, argv);
  if (values.help) {
    io.stdout(formatHelp(SPEC));
    return 0;
  }
  const locale = messageLocale(values);
  choiceOption(values, 'lang', ['en', 'zh-CN', 'zh'] as const, 'en');
  const queryText = positionals[0] ?? '';
  if (!(QUERIES as readonly string[]).includes(queryText) || positionals.length > 1) {
    throw new UsageError(t(locale, 'sql.unknownQuery', { query: positionals.join(' '), queries: QUERIES.join(', ') }));
  }
  const query = queryText as Query;
  refuseOtherOptions(query, values, locale);
  const check = stringOption(values, 'check');
  const [sampleOption, otherSample] = query === 'allocate' ? ['customers', 'transactions'] : ['transactions', 'customers'];
  if (values[otherSample] !== undefined) throw new UsageError(t(locale, 'sql.check.wrongSample', { option: `--${otherSample}`, query, expected: `--${sampleOption}` }));
  const sample = stringOption(values, sampleOption);
  if (check === undefined && sample !== undefined) throw new UsageError(t(locale, 'sql.check.sampleWithoutCheck', { option: `--${sampleOption}`, sample }));
  if (check !== undefined && sample === undefined) throw new UsageError(t(locale, 'sql.check.needsSample', { result: check, option: `--${sampleOption}` }));
  const dialectText = stringOption(values, 'dialect');
  if (dialectText === undefined && check === undefined) throw new UsageError(t(locale, 'sql.missingDialect', { dialects: DIALECTS.join('|') }));
  if (dialectText !== undefined && !(DIALECTS as readonly string[]).includes(dialectText)) throw new UsageError(t(locale, 'sql.unknownDialect', { dialect: dialectText, dialects: DIALECTS.join('|') }));
  const table = stringOption(values, 'table');
  if ((table === undefined || table.trim() === '') && check === undefined) throw new UsageError(t(locale, query === 'allocate' ? 'sql.allocate.missingTable' : 'sql.missingTable'));
  if (check !== undefined && sample !== undefined) return checkResult(query, check, sample, values, io, locale);
  const dialect = dialectText as Dialect;
  const name = table as string;
  if (query === 'allocate') {
    const p = allocateParameters(values, locale);
    const split = splitBudget(p);
    const customer = stringOption(values, 'customer');
    const weight = stringOption(values, 'weight');
    io.stdout(allocateSql({ dialect, table: name, customer, weight, distributableUnits: split.distributableUnits, unitMinor: split.unitMinor, floor: p.floor, cap: p.cap, wording: refusalWording(locale) }) + ';\n');
    return 0;
  }
  if (query === 'summary') {
    const unit = choiceOption(values, 'unit', ['days', 'weeks'] as const, 'days');
    io.stdout(summarySql({ dialect, table: name, ...columnsOf(values), asOf: asOfText(values, locale), unit }) + ';\n');
    return 0;
  }
  io.stdout(rfmSql({ dialect, table: name, ...rfmOptions(values, locale) }) + ';\n');
  return 0;
};
