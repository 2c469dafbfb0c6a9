/** `cbp sql`: the RFM or BG/NBD summary of `cbp` as one SQL statement for the user's warehouse. */
import { scoreRfmValues, segmentScores } from '../../engine/rfm';
import { isValidCivilDate } from '../../engine/dates';
import { t } from '../../i18n';
import { CLI_LOCALE, Command, UsageError } from '../io';
import { choiceOption, CommandSpec, formatHelp, numberListOption, numberOption, parseCommandArgs, ParsedOptions, stringOption } from '../options';
import { Dialect, DIALECTS } from '../../warehouse/dialects';
import { rfmSql } from '../../warehouse/rfm-sql';
import { summarySql } from '../../warehouse/summary-sql';

const QUERIES = ['rfm', 'summary'] as const;

const SPEC: CommandSpec = {
  name: 'sql',
  usage: 'cbp sql rfm|summary --dialect duckdb|postgres|bigquery|snowflake|spark --table NAME [options]',
  summary: [
    'Prints one SQL statement that computes in the warehouse what cbp computes from a file:',
    "rfm:     the columns of cbp rfm, one row per customer (quantile scores with ties sharing a score,",
    '         or thresholds; rfm10, rfm8 or no segments); score is not rounded.',
    'summary: the BG/NBD summary per customer: x (repeat purchase days), t_x, t (T) and monetary',
    '         (mean value of the repeat purchase days), as cbp clv fits it.',
    'The table needs a customer column, a DATE column and a numeric amount column. See docs/warehouse.md.',
  ].join('\n'),
  options: [
    { name: 'dialect', type: 'string', value: 'D', help: 'duckdb, postgres, bigquery, snowflake or spark (required)' },
    { name: 'table', type: 'string', value: 'NAME', help: 'the transactions table, e.g. sales.transactions (required)' },
    { name: 'customer', type: 'string', value: 'COL', help: 'customer column (default customer)' },
    { name: 'date', type: 'string', value: 'COL', help: 'date column, of type DATE (default date)' },
    { name: 'amount', type: 'string', value: 'COL', help: 'amount column in major units (default amount)' },
    { name: 'order', type: 'string', value: 'COL', help: 'rfm: order id column; frequency counts distinct orders (default: purchase rows)' },
    { name: 'as-of', type: 'string', value: 'DATE', help: 'as-of date / end of observation (default: the latest purchase date in the table)' },
    { name: 'bins', type: 'string', value: 'N', help: 'rfm: quantile scores 1..N (default 5)' },
    { name: 'thresholds-r', type: 'string', value: 'D1,D2,..', help: 'rfm: recency cut points in days, ascending (thresholds mode; give all three)' },
    { name: 'thresholds-f', type: 'string', value: 'N1,N2,..', help: 'rfm: frequency cut points, ascending' },
    { name: 'thresholds-m', type: 'string', value: 'M1,M2,..', help: 'rfm: monetary cut points, ascending' },
    { name: 'weights', type: 'string', value: 'WR,WF,WM', help: 'rfm: weights of R, F and M in the score (default 1,1,1)' },
    { name: 'segments', type: 'string', value: 'rfm10|rfm8|none', help: 'rfm: segment scheme (default rfm10)' },
    { name: 'lang', type: 'string', value: 'en|zh-CN', help: 'rfm: language of segment names (default: Chinese for rfm8, English for rfm10)' },
    { name: 'unit', type: 'string', value: 'days|weeks', help: 'summary: unit of t_x and T (default days)' },
    { name: 'help', type: 'boolean', help: 'show this help', short: 'h' },
  ],
  examples: [
    'cbp sql rfm --dialect postgres --table sales.transactions --order order_id > rfm.sql',
    'cbp sql rfm --dialect bigquery --table shop.sales.tx --customer client_id --date sold_on --amount net',
    'cbp sql summary --dialect snowflake --table SALES.TX --as-of 2025-12-31 --unit weeks',
  ],
};

function asOfText(values: ParsedOptions): string | undefined {
  const text = stringOption(values, 'as-of');
  if (text === undefined) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!m || !isValidCivilDate(Number(m[1]), Number(m[2]), Number(m[3]))) throw new UsageError(t(CLI_LOCALE, 'sql.badDate', { value: text }));
  return text.trim();
}

export const sqlCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs(SPEC, argv);
  if (values.help) {
    io.stdout(formatHelp(SPEC));
    return 0;
  }
  const query = positionals[0] ?? '';
  if (!(QUERIES as readonly string[]).includes(query) || positionals.length > 1) {
    throw new UsageError(t(CLI_LOCALE, 'sql.unknownQuery', { query: positionals.join(' '), queries: QUERIES.join(', ') }));
  }
  const dialectText = stringOption(values, 'dialect');
  if (dialectText === undefined) throw new UsageError(t(CLI_LOCALE, 'sql.missingDialect', { dialects: DIALECTS.join('|') }));
  if (!(DIALECTS as readonly string[]).includes(dialectText)) throw new UsageError(t(CLI_LOCALE, 'sql.unknownDialect', { dialect: dialectText, dialects: DIALECTS.join('|') }));
  const dialect = dialectText as Dialect;
  const table = stringOption(values, 'table');
  if (table === undefined || table.trim() === '') throw new UsageError(t(CLI_LOCALE, 'sql.missingTable'));
  const columns = { customer: stringOption(values, 'customer'), date: stringOption(values, 'date'), amount: stringOption(values, 'amount') };
  const asOf = asOfText(values);
  if (query === 'summary') {
    const unit = choiceOption(values, 'unit', ['days', 'weeks'] as const, 'days');
    io.stdout(summarySql({ dialect, table, ...columns, asOf, unit }) + ';\n');
    return 0;
  }
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
  io.stdout(rfmSql({ dialect, table, ...columns, order: stringOption(values, 'order'), asOf, bins, thresholds, weights, scheme, language }) + ';\n');
  return 0;
};
