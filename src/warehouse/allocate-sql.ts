/**
 * One SQL statement for `cbp allocate --method proportional` (src/engine/allocation/proportional.ts)
 * on a table with one row per customer and a weight column. Pure string building: no Node APIs.
 *
 * The engine solves x_i = clamp(p * s_i, floor_i, cap_i), s_i = w_i / max w, for the position p at
 * which the amounts add up to the target, by a safeguarded Newton search. SQL cannot iterate, so
 * the statement finds the same p in closed form: total(p) is piecewise linear with a break where a
 * row leaves its floor (p = floor / s, slope + s) and where it reaches its cap (p = cap / s,
 * slope - s). Running sums over the breaks in ascending order give total(p) at every break; the
 * last break at or below the target starts the piece that holds the solution, and p follows from
 * that piece's slope. Then the engine's largest-remainder rounding: whole parts, remainders in
 * millionths of a unit, one unit each to the rows with the largest remainders (ties: the larger
 * weight, then the customer first in binary order, which is the engine's "earlier row" on a table
 * sorted by customer, as `cbp sql rfm` writes it).
 *
 * What the engine refuses row by row or on the totals (a negative or missing weight, floor or cap,
 * a floor above a cap, floors above the budget, all weights 0) the statement refuses at run time:
 * the query fails with the message in its error text (DialectRules.fail: ERROR() on BigQuery,
 * raise_error() on Spark, elsewhere the message cast to a number).
 */
import { ENGINE_MESSAGES } from '../engine/error-messages';
import { Dialect, DIALECT_RULES, DialectRules, tableName } from './dialects';

/** The engine messages the statement can raise at run time. */
export type AllocateRefusalKey = 'bounds.floor' | 'bounds.cap' | 'bounds.floorAboveCap' | 'allocation.negativeWeight' | 'allocation.floorsExceed' | 'allocation.allZeroWeights';

export const ALLOCATE_REFUSAL_KEYS: readonly AllocateRefusalKey[] = ['bounds.floor', 'bounds.cap', 'bounds.floorAboveCap', 'allocation.negativeWeight', 'allocation.floorsExceed', 'allocation.allZeroWeights'];

/** How a refusal is worded: the message templates and "customer {customer}: {message}". */
export interface AllocateRefusalWording {
  messages: Readonly<Record<AllocateRefusalKey, string>>;
  atCustomer: string;
}

/** A per-row bound: the same amount for every row (major units), or a column (NULL: none). */
export type SqlBound = { amount: number } | { column: string };

export interface AllocateSqlOptions {
  dialect: Dialect;
  table: string;
  customer?: string;
  weight?: string;
  /** D, the distributable amount in whole rounding units (splitBudget in the engine). */
  distributableUnits: number;
  /** The rounding unit in minor units (1 for 0.01, 100 for 1). */
  unitMinor: number;
  minorDigits?: number;
  floor?: SqlBound;
  cap?: SqlBound;
  wording?: AllocateRefusalWording;
}

const ENGLISH_WORDING: AllocateRefusalWording = {
  messages: Object.fromEntries(ALLOCATE_REFUSAL_KEYS.map((key) => [key, ENGINE_MESSAGES[key].en])) as Record<AllocateRefusalKey, string>,
  atCustomer: 'customer {customer}: {message}',
};

function stringLiteral(text: string): string {
  return `'${text.split("'").join("''")}'`;
}

/**
 * A message template as SQL text: literal parts joined with `||` to the SQL expressions of its
 * placeholders (each as text, 'NULL' for a missing value) and to inner messages (already SQL text).
 */
function messageSql(d: DialectRules, template: string, params: Readonly<Record<string, string>>, messages: Readonly<Record<string, string>> = {}): string {
  const parts = template.split(/(\{\w+\})/).filter((part) => part !== '');
  return parts
    .map((part) => {
      const name = /^\{(\w+)\}$/.exec(part)?.[1];
      if (name !== undefined && name in messages) return `(${messages[name]})`;
      return name !== undefined && name in params ? `COALESCE(${d.text(params[name])}, 'NULL')` : stringLiteral(part);
    })
    .join(' || ');
}

/** Whole minor units of a major amount, as toMinorUnits rounds (snapped to a millionth, then half up). */
function minorUnitsSql(value: string, minorDigits: number): string {
  return `FLOOR(FLOOR(${value} * ${10 ** minorDigits} * 1000000 + 0.5) / 1000000 + 0.5)`;
}

/** Whole minor units (an integral number) as money text with the minor digits, e.g. 12000 -> '120.00', in every dialect. */
function moneyTextSql(d: DialectRules, minor: string, minorDigits: number): string {
  if (minorDigits === 0) return d.text(d.bigint(minor));
  const scale = 10 ** minorDigits;
  const whole = `FLOOR(${minor} / ${scale})`;
  return `${d.text(d.bigint(whole))} || '.' || LPAD(${d.text(d.bigint(`${minor} - ${scale} * ${whole}`))}, ${minorDigits}, '0')`;
}

/** A bound's value per row in major units (NULL for none). */
function boundValueSql(d: DialectRules, bound: SqlBound | undefined): string {
  if (bound === undefined) return d.double('NULL');
  return 'amount' in bound ? d.double(String(bound.amount)) : d.double(`src.${d.ident(bound.column)}`);
}

/** Rows with their bounds in whole units: floors round up, caps down (budget.ts); upper_units NULL for no cap. */
function boundedRows(d: DialectRules, o: AllocateSqlOptions, wording: AllocateRefusalWording): string {
  const digits = o.minorDigits ?? 2;
  const unitText = String(o.unitMinor / 10 ** digits);
  const m = wording.messages;
  const rowMessage = (key: AllocateRefusalKey, params: Record<string, string>): string => messageSql(d, wording.atCustomer, { customer: 'customer' }, { message: messageSql(d, m[key], params) });
  return [
    '), bounded AS (',
    '  SELECT customer, weight, floor_value, cap_value,',
    `    CASE WHEN floor_value IS NULL THEN 0 ELSE CEIL(${minorUnitsSql('floor_value', digits)} / ${o.unitMinor}) END AS lower_units,`,
    `    CASE WHEN cap_value IS NULL THEN NULL ELSE FLOOR(${minorUnitsSql('cap_value', digits)} / ${o.unitMinor}) END AS upper_units,`,
    '    CASE',
    `      WHEN floor_value < 0 THEN ${rowMessage('bounds.floor', { value: 'floor_value' })}`,
    `      WHEN cap_value < 0 THEN ${rowMessage('bounds.cap', { value: 'cap_value' })}`,
    `      WHEN CEIL(${minorUnitsSql('floor_value', digits)} / ${o.unitMinor}) > FLOOR(${minorUnitsSql('cap_value', digits)} / ${o.unitMinor}) THEN ${rowMessage('bounds.floorAboveCap', { floor: 'floor_value', cap: 'cap_value', unit: stringLiteral(unitText) })}`,
    '    END AS bound_problem,',
    `    CASE WHEN weight IS NULL OR weight < 0 THEN ${rowMessage('allocation.negativeWeight', { value: 'weight' })} END AS weight_problem`,
    '  FROM source',
  ].join('\n');
}

/** The message of the first customer (binary order) with a problem in `column`, or NULL. */
function firstProblem(d: DialectRules, column: string): string {
  return `(SELECT MIN(${column}) FROM bounded WHERE ${d.binary('customer')} = (SELECT MIN(${d.binary('customer')}) FROM bounded WHERE ${column} IS NOT NULL))`;
}

/** The SQL statement; columns customer, weight, allocation (major units), share (of D), at_bound (floor, cap or ''). */
export function allocateSql(o: AllocateSqlOptions): string {
  const d = DIALECT_RULES[o.dialect];
  const wording = o.wording ?? ENGLISH_WORDING;
  const digits = o.minorDigits ?? 2;
  const D = o.distributableUnits;
  const describeUnits = (units: string): string => d.double(`${units} * ${o.unitMinor}`) + ` / ${10 ** digits}`;
  const unitsAsMoneyText = (units: string): string => moneyTextSql(d, `${units} * ${o.unitMinor}`, digits);
  const eligibleUp = '(rounding_upper IS NULL OR whole_units < rounding_upper)';
  const rounded = `whole_units + CASE WHEN left_units > 0 AND ${eligibleUp} AND up_rank <= left_units THEN 1 WHEN left_units < 0 AND whole_units > lower_units AND down_rank <= -left_units THEN -1 ELSE 0 END`;
  return [
    'WITH source AS (',
    `  SELECT ${d.text(`src.${d.ident(o.customer ?? 'customer')}`)} AS customer, ${d.double(`src.${d.ident(o.weight ?? 'score')}`)} AS weight,`,
    `    ${boundValueSql(d, o.floor)} AS floor_value, ${boundValueSql(d, o.cap)} AS cap_value`,
    `  FROM ${tableName(d, o.table)} AS src`,
    boundedRows(d, o, wording),
    '), totals AS (',
    '  -- reach: what the rows can take (caps of rows with a weight, floors of the others); uncapped rows make it unlimited',
    '  SELECT SUM(lower_units) AS floor_units, MAX(weight) AS max_weight,',
    '    SUM(CASE WHEN weight > 0 THEN upper_units ELSE lower_units END) AS reach_units,',
    '    SUM(CASE WHEN weight > 0 AND upper_units IS NULL THEN 1 ELSE 0 END) AS uncapped_rows',
    '  FROM bounded',
    '), checked AS (',
    '  SELECT floor_units, max_weight,',
    `    CASE WHEN uncapped_rows > 0 OR reach_units >= ${D} THEN ${D} ELSE reach_units END AS target_units,`,
    '    CASE',
    `      WHEN ${firstProblem(d, 'bound_problem')} IS NOT NULL THEN ${firstProblem(d, 'bound_problem')}`,
    `      WHEN ${firstProblem(d, 'weight_problem')} IS NOT NULL THEN ${firstProblem(d, 'weight_problem')}`,
    `      WHEN floor_units > ${D} THEN ${messageSql(d, wording.messages['allocation.floorsExceed'], { floors: unitsAsMoneyText('floor_units'), total: stringLiteral((D * o.unitMinor / 10 ** digits).toFixed(digits)) })}`,
    `      WHEN NOT (max_weight > 0) AND floor_units < ${D} THEN ${messageSql(d, wording.messages['allocation.allZeroWeights'], {})}`,
    '    END AS problem',
    '  FROM totals',
    '), breaks AS (',
    '  -- where a row leaves its floor (the slope of the total grows by s) and reaches its cap (shrinks by s)',
    '  SELECT b.lower_units / (b.weight / c.max_weight) AS at_position, b.weight / c.max_weight AS slope_change, -b.lower_units AS offset_change, 1 AS free_change',
    "  FROM bounded AS b CROSS JOIN checked AS c WHERE b.weight > 0",
    '  UNION ALL',
    '  SELECT b.upper_units / (b.weight / c.max_weight), -(b.weight / c.max_weight), b.upper_units, -1',
    '  FROM bounded AS b CROSS JOIN checked AS c WHERE b.weight > 0 AND b.upper_units IS NOT NULL',
    '), pieces AS (',
    '  SELECT at_position, SUM(slope_change) OVER (ORDER BY at_position) AS slope,',
    '    SUM(offset_change) OVER (ORDER BY at_position) AS offset_units, SUM(free_change) OVER (ORDER BY at_position) AS free_rows',
    '  FROM breaks',
    '), piece_totals AS (',
    '  SELECT p.at_position, p.slope, p.free_rows, c.floor_units + p.offset_units + p.at_position * p.slope AS total_at, c.target_units',
    '  FROM pieces AS p CROSS JOIN checked AS c',
    '), solution AS (',
    '  -- the piece starting at the last break whose total is at most the target holds the position',
    '  SELECT MAX(at_position + CASE WHEN free_rows > 0 THEN (target_units - total_at) / slope ELSE 0 END) AS position',
    '  FROM piece_totals',
    '  WHERE at_position = (SELECT MAX(at_position) FROM piece_totals WHERE total_at <= target_units)',
    '), amounts AS (',
    '  SELECT b.customer, b.weight, b.lower_units, b.upper_units,',
    '    CASE WHEN b.weight > 0 THEN b.upper_units ELSE b.lower_units END AS rounding_upper,',
    '    CASE WHEN b.weight > 0 THEN b.weight / c.max_weight * s.position ELSE b.lower_units END AS free_units',
    '  FROM bounded AS b CROSS JOIN checked AS c CROSS JOIN solution AS s',
    '), clamped AS (',
    '  SELECT customer, weight, lower_units, upper_units, rounding_upper,',
    '    CASE WHEN free_units < lower_units THEN lower_units WHEN upper_units IS NOT NULL AND free_units > upper_units THEN upper_units ELSE free_units END AS amount_units',
    '  FROM amounts',
    '), parts AS (',
    '  -- remainders in millionths of a unit, as the engine compares them; 2.9999999999 counts as 3',
    '  SELECT customer, weight, lower_units, upper_units, rounding_upper,',
    '    FLOOR(amount_units) + CASE WHEN FLOOR((amount_units - FLOOR(amount_units)) * 1000000 + 0.5) = 1000000 THEN 1 ELSE 0 END AS whole_raw,',
    '    CASE WHEN FLOOR((amount_units - FLOOR(amount_units)) * 1000000 + 0.5) = 1000000 THEN 0 ELSE FLOOR((amount_units - FLOOR(amount_units)) * 1000000 + 0.5) END AS remainder_raw',
    '  FROM clamped',
    '), wholes AS (',
    '  SELECT customer, weight, lower_units, upper_units, rounding_upper,',
    '    CASE WHEN whole_raw < lower_units THEN lower_units WHEN rounding_upper IS NOT NULL AND whole_raw >= rounding_upper THEN rounding_upper ELSE whole_raw END AS whole_units,',
    '    CASE WHEN whole_raw < lower_units OR (rounding_upper IS NOT NULL AND whole_raw >= rounding_upper) THEN 0 ELSE remainder_raw END AS remainder_steps',
    '  FROM parts',
    '), ranked AS (',
    '  SELECT w.*, c.target_units - SUM(w.whole_units) OVER () AS left_units,',
    `    ROW_NUMBER() OVER (ORDER BY CASE WHEN ${eligibleUp} THEN 0 ELSE 1 END, remainder_steps DESC, weight DESC, ${d.binary('customer')}) AS up_rank,`,
    `    ROW_NUMBER() OVER (ORDER BY CASE WHEN whole_units > lower_units THEN 0 ELSE 1 END, remainder_steps, weight, ${d.binary('customer')} DESC) AS down_rank`,
    '  FROM wholes AS w CROSS JOIN checked AS c',
    '), allocated AS (',
    `  SELECT customer, weight, lower_units, upper_units, ${rounded} AS units`,
    '  FROM ranked',
    ')',
    `SELECT f.customer, f.weight,`,
    `  CASE WHEN c.problem IS NULL THEN ${describeUnits('f.units')} ELSE ${d.fail('c.problem')} END AS allocation,`,
    `  ${d.double('f.units')} / ${D} AS share,`,
    "  CASE WHEN f.upper_units IS NOT NULL AND f.units >= f.upper_units THEN 'cap' WHEN f.units <= f.lower_units AND f.lower_units > 0 THEN 'floor' ELSE '' END AS at_bound",
    'FROM allocated AS f CROSS JOIN checked AS c',
    `ORDER BY ${d.binary('f.customer')}`,
  ].join('\n');
}
