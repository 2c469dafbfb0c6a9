/**
 * CBP.CLV: the closed forms per row (simple, retention) from src/engine/clv-simple.ts, and the
 * probabilistic BG/NBD + Gamma-Gamma table from src/engine/clv (pending until that module lands).
 */
import { InputError } from '../engine/errors';
import { fromMinorUnits, readMoney, readNumber } from '../engine/money';
import { retentionClv, simpleClv } from '../engine/clv-simple';
import { Argument, Cell, asColumn, firstRowIsHeader, isBlank, isOmitted, optionalChoice } from './cells';
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
    const match = /^([a-z ]+): (.*)$/s.exec(error.message);
    if (!match) throw error;
    const argument = ARGUMENT_OF[match[1]] ?? match[1];
    throw new InputError(error.code, match[2], { row, column: argument }, error.value);
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

function required(input: RowInput | undefined, argument: string, what: string): RowInput {
  if (!input) throw new InputError('missing-value', `enter ${what}`, { column: argument });
  return input;
}

function simpleRows(args: ClvArgs): unknown[][] {
  const profit = required(rowInput('profit_margin_or_customers', args.first, readAmount), 'profit_margin_or_customers', 'the annual net profit per customer');
  const years = required(rowInput('years_retention_or_dates', args.second, readNumber), 'years_retention_or_dates', 'the expected lifespan in years');
  return mapRows([profit, years], ([p, y]) => simpleClv(p as number, y as number));
}

function retentionRows(args: ClvArgs): unknown[][] {
  const margin = required(rowInput('profit_margin_or_customers', args.first, readAmount), 'profit_margin_or_customers', 'the yearly margin per customer');
  const retention = required(rowInput('years_retention_or_dates', args.second, readNumber), 'years_retention_or_dates', 'the yearly retention rate, e.g. 80%');
  const discount = required(rowInput('discount_or_amounts', args.third ?? null, readNumber), 'discount_or_amounts', 'the yearly discount rate, e.g. 10% (0 for none)');
  const years = rowInput('years_or_horizon_months', args.fourth ?? null, readNumber, true);
  const inputs = years ? [margin, retention, discount, years] : [margin, retention, discount];
  return mapRows(inputs, ([m, r, d, y]) => retentionClv(m as number, r as number, d as number, y));
}

/** CBP.CLV: simple and retention per row; bgnbd a table per customer. */
export function clvRows(args: ClvArgs): unknown[][] {
  if (isOmitted(args.method)) throw new InputError('missing-value', `choose one of ${METHODS.join(', ')}`, { column: 'method' });
  const method = optionalChoice(args.method, 'method', METHODS, 'simple');
  if (method === 'simple') return simpleRows(args);
  if (method === 'retention') return retentionRows(args);
  throw new InputError('bad-parameter', 'the bgnbd method is not available in this build yet; use simple or retention', { column: 'method' });
}
