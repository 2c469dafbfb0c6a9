/**
 * One SQL statement for the BG/NBD summary `summariseTransactions` computes
 * (src/engine/clv/summary.ts): purchase days (amount >= 0; same-day rows are one purchase, amounts
 * summed; refunds are not purchases), x = repeat purchase days, t_x = first to last purchase day,
 * T = first purchase day to the end of observation (both in days or weeks of 7 days), and the mean
 * value of the repeat purchase days (0 without any). Pure string building: no Node APIs.
 */
import { TimeUnit } from '../engine/clv/summary';
import { Dialect, DIALECT_RULES, tableName } from './dialects';

export interface SummarySqlOptions {
  dialect: Dialect;
  table: string;
  customer?: string;
  date?: string;
  amount?: string;
  /** yyyy-mm-dd, the last day observed (inclusive); default: the latest purchase date in the table. */
  asOf?: string;
  unit?: TimeUnit;
  minorDigits?: number;
}

/** Columns customer, x, t_x, t (T), monetary, one row per customer with a purchase day. */
export function summarySql(options: SummarySqlOptions): string {
  const d = DIALECT_RULES[options.dialect];
  const customer = d.ident(options.customer ?? 'customer');
  const date = d.ident(options.date ?? 'date');
  const amount = d.ident(options.amount ?? 'amount');
  const table = tableName(d, options.table);
  const scale = 10 ** (options.minorDigits ?? 2);
  const perUnit = (options.unit ?? 'days') === 'weeks' ? 7 : 1;
  const asOf = options.asOf
    ? d.dateLiteral(options.asOf)
    : `(SELECT COALESCE(MAX(CASE WHEN ${amount} > 0 THEN ${date} END), MAX(${date})) FROM ${table})`;
  const inUnit = (days: string): string => `${d.double(days)} / ${perUnit}`;
  return [
    'WITH as_of AS (',
    `  SELECT ${asOf} AS as_of_date`,
    '), purchase_days AS (',
    `  SELECT ${d.text(`tx.${customer}`)} AS customer, tx.${date} AS day, SUM(ROUND(tx.${amount} * ${scale})) AS day_minor`,
    `  FROM ${table} AS tx CROSS JOIN as_of AS a`,
    `  WHERE tx.${date} <= a.as_of_date AND tx.${amount} >= 0`,
    `  GROUP BY ${d.text(`tx.${customer}`)}, tx.${date}`,
    '), with_first AS (',
    '  SELECT customer, day, day_minor, MIN(day) OVER (PARTITION BY customer) AS first_day',
    '  FROM purchase_days',
    '), per_customer AS (',
    '  SELECT customer, COUNT(*) - 1 AS x, MIN(first_day) AS first_day, MAX(day) AS last_day,',
    '    SUM(CASE WHEN day > first_day THEN day_minor ELSE 0 END) AS repeat_minor',
    '  FROM with_first',
    '  GROUP BY customer',
    ')',
    `SELECT p.customer, p.x, ${inUnit(d.daysBetween('p.first_day', 'p.last_day'))} AS t_x,`,
    `  ${inUnit(d.daysBetween('p.first_day', 'a.as_of_date'))} AS t,`,
    `  CASE WHEN p.x > 0 THEN ${d.double('p.repeat_minor')} / ${scale} / p.x ELSE ${d.double('0')} END AS monetary`,
    'FROM per_customer AS p CROSS JOIN as_of AS a',
    'ORDER BY p.customer',
  ].join('\n');
}
