/**
 * One SQL statement that computes what `computeRfm` computes (src/engine/rfm.ts), for a
 * transactions table in the user's warehouse. Pure string building: no Node APIs.
 *
 * Tie rule: score = 1 + floor(bins × L / n), L = customers strictly worse; with rank() over the
 * ascending values (descending for recency), L = rank − 1, so tied customers share a score and the
 * row order never matters (ntile() would split ties by row order).
 */
import { RFM10_RULES, RFM10_ZH, RFM8_NAMES } from '../engine/segments';
import { Dialect, DIALECT_RULES, DialectRules, tableName } from './dialects';

export interface RfmSqlOptions {
  dialect: Dialect;
  table: string;
  customer?: string;
  date?: string;
  amount?: string;
  /** Order id column: frequency counts distinct orders of purchase rows. */
  order?: string;
  /** yyyy-mm-dd; default: the latest purchase date in the table. */
  asOf?: string;
  bins?: number;
  thresholds?: { recencyDays: readonly number[]; frequency: readonly number[]; monetary: readonly number[] };
  weights?: readonly [number, number, number];
  scheme?: 'rfm10' | 'rfm8' | 'none';
  language?: 'zh' | 'en';
  minorDigits?: number;
}

function stringLiteral(text: string): string {
  return `'${text.split("'").join("''")}'`;
}

function numberLiteral(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  return String(value);
}

/** Threshold score: 1 + (cut points <= v), or for recency top − (cut points <= v). */
function thresholdScore(value: string, cutPoints: readonly number[], higherIsBetter: boolean): string {
  const atOrBelow = cutPoints.map((c) => `CASE WHEN ${value} >= ${numberLiteral(c)} THEN 1 ELSE 0 END`).join(' + ');
  return higherIsBetter ? `(1 + ${atOrBelow})` : `(${cutPoints.length + 1} - (${atOrBelow}))`;
}

function quantileScore(d: DialectRules, bins: number, rankExpr: string): string {
  return `(1 + ${d.bigint(`FLOOR(${d.double(`${bins} * (${rankExpr} - 1)`)} / ${d.double('COUNT(*) OVER ()')})`)})`;
}

function segmentExpression(scheme: 'rfm10' | 'rfm8' | 'none', language: 'zh' | 'en' | undefined): string {
  if (scheme === 'none') return "''";
  if (scheme === 'rfm8') {
    const lang = language ?? 'zh';
    const high = (s: string): string => `${s} * COUNT(*) OVER () > SUM(${s}) OVER ()`;
    const cases = Object.entries(RFM8_NAMES).map(([key, names]) => {
      const cond = ['r', 'f', 'm'].map((s, i) => (key[i] === 'H' ? high(s) : `NOT (${high(s)})`)).join(' AND ');
      return `WHEN ${cond} THEN ${stringLiteral(names[lang])}`;
    });
    return `CASE ${cases.join(' ')} END`;
  }
  const name = (n: string): string => stringLiteral(language === 'zh' ? RFM10_ZH[n] : n);
  const cases = RFM10_RULES.map(
    (rule) => `WHEN r BETWEEN ${rule.r[0]} AND ${rule.r[1]} AND f BETWEEN ${rule.f[0]} AND ${rule.f[1]} AND m BETWEEN ${rule.m[0]} AND ${rule.m[1]} THEN ${name(rule.name)}`,
  );
  return `CASE ${cases.join(' ')} ELSE ${name('Others')} END`;
}

type MeasuresSqlOptions = Pick<RfmSqlOptions, 'dialect' | 'table' | 'customer' | 'date' | 'amount' | 'order' | 'asOf' | 'minorDigits'>;

/** The CTEs as_of and measures (customer, recency_days, frequency, monetary_minor), without the closing parenthesis of measures. */
function measuresCtes(options: MeasuresSqlOptions): string[] {
  const d = DIALECT_RULES[options.dialect];
  const customer = d.ident(options.customer ?? 'customer');
  const date = d.ident(options.date ?? 'date');
  const amount = d.ident(options.amount ?? 'amount');
  const scale = 10 ** (options.minorDigits ?? 2);
  const asOf = options.asOf
    ? d.dateLiteral(options.asOf)
    : `(SELECT COALESCE(MAX(CASE WHEN ${amount} > 0 THEN ${date} END), MAX(${date})) FROM ${tableName(d, options.table)})`;
  const frequency = options.order
    ? `COUNT(DISTINCT CASE WHEN tx.${amount} > 0 THEN tx.${d.ident(options.order)} END)`
    : `SUM(CASE WHEN tx.${amount} > 0 THEN 1 ELSE 0 END)`;
  return [
    'WITH as_of AS (',
    `  SELECT ${asOf} AS as_of_date`,
    '), measures AS (',
    `  SELECT ${d.text(`tx.${customer}`)} AS customer,`,
    `    ${d.daysBetween(`MAX(CASE WHEN tx.${amount} > 0 THEN tx.${date} END)`, 'MAX(a.as_of_date)')} AS recency_days,`,
    `    ${frequency} AS frequency,`,
    `    SUM(ROUND(tx.${amount} * ${scale})) AS monetary_minor`,
    `  FROM ${tableName(d, options.table)} AS tx CROSS JOIN as_of AS a`,
    `  WHERE tx.${date} <= a.as_of_date`,
    `  GROUP BY ${d.text(`tx.${customer}`)}`,
    `  HAVING MAX(CASE WHEN tx.${amount} > 0 THEN 1 ELSE 0 END) = 1`,
  ];
}

/**
 * The measures `rfmMeasures` computes (src/engine/rfm.ts), before scoring: customer,
 * recency_days, frequency, monetary_minor, one row per customer with a purchase up to the as-of
 * date, in no particular order. `cbp --engine duckdb` runs it and scores with the engine.
 */
export function rfmMeasuresSql(options: MeasuresSqlOptions): string {
  return [...measuresCtes(options), ')', 'SELECT customer, recency_days, frequency, monetary_minor FROM measures'].join('\n');
}

/** The SQL statement; the columns of `cbp rfm`: customer, recency, frequency, monetary, r_score, f_score, m_score, rfm_code, score (unrounded), segment. */
export function rfmSql(options: RfmSqlOptions): string {
  const d = DIALECT_RULES[options.dialect];
  const scale = 10 ** (options.minorDigits ?? 2);
  const bins = options.bins ?? 5;
  const scheme = options.scheme ?? 'rfm10';
  const [wR, wF, wM] = options.weights ?? [1, 1, 1];
  const total = wR + wF + wM;
  const t = options.thresholds;
  const rScore = t ? thresholdScore('recency_days', t.recencyDays, false) : quantileScore(d, bins, 'RANK() OVER (ORDER BY recency_days DESC)');
  const fScore = t ? thresholdScore('frequency', t.frequency, true) : quantileScore(d, bins, 'RANK() OVER (ORDER BY frequency)');
  const mScore = t ? thresholdScore(`${d.double('monetary_minor')} / ${scale}`, t.monetary, true) : quantileScore(d, bins, 'RANK() OVER (ORDER BY monetary_minor)');
  return [
    ...measuresCtes(options),
    '), scored AS (',
    `  SELECT customer, recency_days, frequency, monetary_minor,`,
    `    ${rScore} AS r,`,
    `    ${fScore} AS f,`,
    `    ${mScore} AS m`,
    '  FROM measures',
    ')',
    `SELECT customer, recency_days AS recency, frequency, ${d.double('monetary_minor')} / ${scale} AS monetary, r AS r_score, f AS f_score, m AS m_score,`,
    `  ${d.text('r')} || ${d.text('f')} || ${d.text('m')} AS rfm_code,`,
    `  (${d.double(numberLiteral(wR))} * r + ${d.double(numberLiteral(wF))} * f + ${d.double(numberLiteral(wM))} * m) / ${d.double(numberLiteral(total))} AS score,`,
    `  ${segmentExpression(scheme, options.language)} AS segment`,
    'FROM scored',
    'ORDER BY customer',
  ].join('\n');
}
