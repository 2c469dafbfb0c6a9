/**
 * CBP.CLV: the closed forms per row (simple, retention) from src/engine/clv-simple.ts, and the
 * probabilistic BG/NBD + Gamma-Gamma table per customer from src/engine/clv. No arithmetic here.
 */
import { InputError } from '../engine/errors';
import { atArgument } from './results';
import { formatIsoDate } from '../engine/dates';
import { fromMinorUnits, readMoney, readNumber } from '../engine/money';
import { readTransactionColumns } from '../engine/transactions';
import { retentionClv, simpleClv } from '../engine/clv-simple';
import { fitAndPredictClv, summariseTransactions } from '../engine/clv';
import { Argument, Cell, asColumn, firstRowIsHeader, isBlank, isOmitted, optionalChoice, optionalDate, optionalNumber, requireData, requireSameLength } from './cells';
import { transactionHeaderRow } from './rfm';
import { t } from '../i18n';
import { functionsLocale } from './locale';

export interface ClvArgs {
  method: Argument;
  first: Argument;
  second: Argument;
  third?: Argument;
  fourth?: Argument;
  discount_monthly?: Argument;
  as_of?: Argument;
}

const METHODS = ['simple', 'retention', 'bgnbd'] as const;

/** A per-row input: its Excel argument name, its cells (one cell = the same for every row) and how to read one. */
interface RowInput {
  argument: string;
  cells: Cell[];
  read: (cell: Cell, where: { row: number; column: string }) => number;
  /** Blank means "not given" (e.g. years: no end) instead of an error. */
  optional?: boolean;
}

const readAmount = (cell: Cell, where: { row: number; column: string }) => fromMinorUnits(readMoney(cell, where));

/** Engine parameter names -> Excel arguments, per method. */
const ARGUMENT_OF: Readonly<Record<string, string>> = {
  'annual profit': 'profit_margin_or_customers',
  margin: 'profit_margin_or_customers',
  years: 'years_retention_or_dates',
  retention: 'years_retention_or_dates',
  'discount rate': 'discount_or_amounts',
};

function rowInput(argument: string, value: Argument, read: RowInput['read'], optional = false): RowInput | undefined {
  if (isOmitted(value ?? null)) return undefined;
  return { argument, cells: asColumn(value as Argument, argument), read, optional };
}

/** Every input is one cell (used for all rows) or a column of the same height as the others. */
function rowCount(inputs: readonly RowInput[]): number {
  const tall = inputs.filter((input) => input.cells.length > 1);
  const n = tall.length ? tall[0].cells.length : 1;
  for (const input of tall) {
    if (input.cells.length !== n) {
      throw new InputError(
        'length-mismatch',
        t(functionsLocale(), 'functions.error.lengthMismatch', { count: input.cells.length, reference: tall[0].argument, expected: n }),
        { column: input.argument },
      );
    }
  }
  return n;
}

/** Runs the per-row formula; an engine parameter error gets the row and the Excel argument name. */
function perRow(row: number, compute: () => number): number {
  try {
    return compute();
  } catch (error) {
    if (!(error instanceof InputError) || error.location.column !== undefined) throw error;
    const name = error.detail?.parameter;
    if (name === undefined) throw error;
    throw atArgument(error, ARGUMENT_OF[name] ?? name, { row });
  }
}

/**
 * Applies `formula` to every row of the inputs. A header row (text in every tall column) gets the
 * header "clv"; a row blank in every tall column stays blank.
 */
function mapRows(inputs: readonly RowInput[], formula: (values: (number | undefined)[]) => number): unknown[][] {
  const n = rowCount(inputs);
  const tall = inputs.filter((input) => input.cells.length > 1);
  const header = tall.length > 0 && firstRowIsHeader(tall.map((input) => input.cells), tall.map((input) => (cell: Cell) => input.read(cell, { row: 1, column: input.argument })));
  const out: unknown[][] = [];
  for (let i = 0; i < n; i++) {
    if (header && i === 0) {
      out.push(['clv']);
      continue;
    }
    if (tall.length && tall.every((input) => isBlank(input.cells[i]))) {
      out.push(['']);
      continue;
    }
    const values = inputs.map((input) => {
      const cell = input.cells.length > 1 ? input.cells[i] : input.cells[0];
      const row = input.cells.length > 1 ? i + 1 : 1;
      return input.optional && isBlank(cell) ? undefined : input.read(cell, { row, column: input.argument });
    });
    out.push([perRow(i + 1, () => formula(values))]);
  }
  return out;
}

/** `missing`: the message key saying what to enter. */
function required(input: RowInput | undefined, argument: string, missing: string): RowInput {
  if (!input) throw new InputError('missing-value', t(functionsLocale(), missing), { column: argument });
  return input;
}

function simpleRows(args: ClvArgs): unknown[][] {
  const profit = required(rowInput('profit_margin_or_customers', args.first, readAmount), 'profit_margin_or_customers', 'functions.clv.needProfit');
  const years = required(rowInput('years_retention_or_dates', args.second, readNumber), 'years_retention_or_dates', 'functions.clv.needYears');
  return mapRows([profit, years], ([p, y]) => simpleClv(p as number, y as number));
}

function retentionRows(args: ClvArgs): unknown[][] {
  const margin = required(rowInput('profit_margin_or_customers', args.first, readAmount), 'profit_margin_or_customers', 'functions.clv.needMargin');
  const retention = required(rowInput('years_retention_or_dates', args.second, readNumber), 'years_retention_or_dates', 'functions.clv.needRetention');
  const discount = required(rowInput('discount_or_amounts', args.third ?? null, readNumber), 'discount_or_amounts', 'functions.clv.needDiscount');
  const years = rowInput('years_or_horizon_months', args.fourth ?? null, readNumber, true);
  const inputs = years ? [margin, retention, discount, years] : [margin, retention, discount];
  return mapRows(inputs, ([m, r, d, y]) => retentionClv(m as number, r as number, d as number, y));
}

/** Defaults of the probabilistic form, as `cbp clv --model bgnbd`. */
const DEFAULT_HORIZON_MONTHS = 12;
const DEFAULT_DISCOUNT_MONTHLY = 0.01;
const PURCHASES_HORIZON_DAYS = 90;

/**
 * bgnbd: BG/NBD + Gamma-Gamma fitted on the transactions, one row per customer, times in days.
 * The header states every unit and horizon, and any warning of the fit (e.g. frequency and spend
 * correlated), so nothing is silent.
 */
function probabilisticRows(args: ClvArgs): unknown[][] {
  const customers = asColumn(args.first, 'profit_margin_or_customers');
  const dates = asColumn(args.second, 'years_retention_or_dates');
  if (isOmitted(args.third ?? null)) throw new InputError('missing-value', t(functionsLocale(), 'functions.clv.needAmounts'), { column: 'discount_or_amounts' });
  const amounts = asColumn(args.third as Argument, 'discount_or_amounts');
  requireSameLength([
    ['profit_margin_or_customers', customers],
    ['years_retention_or_dates', dates],
    ['discount_or_amounts', amounts],
  ]);
  const skip = transactionHeaderRow(dates, amounts) ? 1 : 0;
  requireData(customers.slice(skip), 'profit_margin_or_customers');
  const horizonMonths = optionalNumber(args.fourth ?? null, 'years_or_horizon_months', DEFAULT_HORIZON_MONTHS);
  if (!Number.isInteger(horizonMonths) || horizonMonths < 1) {
    throw new InputError('bad-parameter', t(functionsLocale(), 'functions.clv.horizon', { value: horizonMonths }), { column: 'years_or_horizon_months' });
  }
  const discountMonthly = optionalNumber(args.discount_monthly ?? null, 'discount_monthly', DEFAULT_DISCOUNT_MONTHLY);
  if (!(discountMonthly >= 0)) throw new InputError('bad-parameter', t(functionsLocale(), 'functions.clv.discountMonthly', { value: discountMonthly }), { column: 'discount_monthly' });
  const asOf = optionalDate(args.as_of ?? null, 'as_of');
  const tx = readTransactionColumns(
    { customers: customers.slice(skip), dates: dates.slice(skip), amounts: amounts.slice(skip) },
    {},
    skip + 1,
    { customers: 'profit_margin_or_customers', dates: 'years_retention_or_dates', amounts: 'discount_or_amounts' },
  );
  // Default end of observation: the latest transaction date, as `cbp clv`.
  let end = asOf ?? -Infinity;
  if (asOf === undefined) for (let i = 0; i < tx.dates.length; i++) if (tx.dates[i] > end) end = tx.dates[i];
  const result = fitAndPredictClv(summariseTransactions(tx, end, 'days'), { horizonMonths, discountMonthly, purchasesHorizonDays: PURCHASES_HORIZON_DAYS });
  const warnings = result.warnings.length ? ` — warning: ${result.warnings.join('; ')}` : '';
  const header = [
    `customer (as of ${formatIsoDate(end)})`,
    'frequency (repeat purchase days)',
    'recency (days)',
    'T (days)',
    'monetary',
    'p_alive',
    `expected_purchases (next ${result.purchasesHorizonDays} days)`,
    'expected_spend',
    `clv (${result.horizonMonths} months of 30 days, ${Number((discountMonthly * 100).toPrecision(12))}% a month discount)${warnings}`,
  ];
  return [header, ...result.customers.map((c) => [c.customer, c.frequency, c.recency, c.T, c.monetary, c.p_alive, c.expected_purchases, c.expected_spend, c.clv])];
}

/** CBP.CLV: simple and retention per row; bgnbd a table per customer. */
export function clvRows(args: ClvArgs): unknown[][] {
  if (isOmitted(args.method)) throw new InputError('missing-value', t(functionsLocale(), 'functions.error.chooseOne', { choices: METHODS.join(', ') }), { column: 'method' });
  const method = optionalChoice(args.method, 'method', METHODS, 'simple');
  if (method === 'simple') return simpleRows(args);
  if (method === 'retention') return retentionRows(args);
  return probabilisticRows(args);
}
