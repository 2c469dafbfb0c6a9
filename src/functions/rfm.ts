/**
 * CBP.RFM and CBP.RFMSCORE: cells -> engine RFM -> a spilled table. No arithmetic here: measures,
 * scores and segments all come from src/engine/rfm.ts.
 */
import { InputError } from '../engine/errors';
import { t } from '../i18n';
import { functionsLocale } from './locale';
import { readDate } from '../engine/dates';
import { readMoney, readNumber, fromMinorUnits } from '../engine/money';
import { readTransactionColumns } from '../engine/transactions';
import { RfmOptions, RfmThresholds, computeRfm, scoreRfmValues } from '../engine/rfm';
import {
  Argument,
  Cell,
  asColumn,
  asRange,
  firstRowIsHeader,
  isBlank,
  isOmitted,
  optionalBoolean,
  optionalChoice,
  optionalDate,
  optionalNumberList,
  requireData,
  requireSameLength,
} from './cells';
import { withSourceRows } from './results';

/** Engine parameter names -> the Excel arguments they come from, for messages. */
const SCORING_ARGUMENTS: Readonly<Record<string, string>> = {
  bins: 'bins_or_thresholds',
  thresholds: 'bins_or_thresholds',
  'recency thresholds': 'bins_or_thresholds',
  'frequency thresholds': 'bins_or_thresholds',
  'monetary thresholds': 'bins_or_thresholds',
  weights: 'weights',
  segments: 'scheme',
};

export const RFM_COLUMNS = ['customer', 'recency', 'frequency', 'monetary', 'r_score', 'f_score', 'm_score', 'rfm_code', 'score', 'segment'] as const;

type Scoring = Pick<RfmOptions, 'bins' | 'thresholds' | 'weights'>;

function cutPointRow(cells: readonly Cell[], rowNumber: number): number[] {
  return cells.filter((c) => !isBlank(c)).map((c) => readNumber(c, { row: rowNumber, column: 'bins_or_thresholds' }));
}

function thresholdsFromText(text: string): RfmThresholds | undefined {
  const parts = text.split(/[;；\n]/).map((p) => p.trim());
  if (parts.length !== 3) return undefined;
  const [recencyDays, frequency, monetary] = parts.map((p) => optionalNumberList(p, 'bins_or_thresholds') ?? []);
  return { recencyDays, frequency, monetary };
}

/**
 * bins_or_thresholds: one number of bins; or three lists of ascending cut points (recency days,
 * frequency, monetary) as 3 rows, 3 columns, or text "115,181,297;4,5,6;256,382,506".
 */
export function readBinsOrThresholds(value: Argument): Pick<RfmOptions, 'bins' | 'thresholds'> {
  if (isOmitted(value)) return {};
  const range = asRange(value);
  const cells = range.flat().filter((c) => !isBlank(c));
  if (cells.length === 1) {
    const only = cells[0];
    const fromText = typeof only === 'string' ? thresholdsFromText(only) : undefined;
    if (fromText) return { thresholds: fromText };
    return { bins: readNumber(only, { column: 'bins_or_thresholds' }) };
  }
  if (range.length === 3) {
    const [recencyDays, frequency, monetary] = range.map((row, i) => cutPointRow(row, i + 1));
    return { thresholds: { recencyDays, frequency, monetary } };
  }
  if (range[0].length === 3) {
    const [recencyDays, frequency, monetary] = [0, 1, 2].map((c) => cutPointRow(range.map((row) => row[c]), c + 1));
    return { thresholds: { recencyDays, frequency, monetary } };
  }
  throw new InputError(
    'bad-parameter',
    t(functionsLocale(), 'functions.rfm.binsShape', { rows: range.length, columns: range[0].length }),
    { column: 'bins_or_thresholds' },
  );
}

/** weights: three numbers for R, F and M, from cells or text such as "1,1,2". */
export function readWeights(value: Argument): RfmOptions['weights'] {
  const weights = optionalNumberList(value, 'weights');
  if (weights === undefined) return undefined;
  if (weights.length !== 3) throw new InputError('bad-parameter', t(functionsLocale(), 'functions.rfm.threeWeights', { count: weights.length }), { column: 'weights' });
  return [weights[0], weights[1], weights[2]];
}

function readScoring(binsOrThresholds: Argument, weights: Argument): Scoring {
  return { ...readBinsOrThresholds(binsOrThresholds), weights: readWeights(weights) };
}

/** True when the first row holds headers: a date cell and an amount cell that are text and neither a date nor an amount. */
export function transactionHeaderRow(dates: readonly Cell[], amounts: readonly Cell[]): boolean {
  if (dates.length < 2 || typeof dates[0] !== 'string' || typeof amounts[0] !== 'string' || isBlank(dates[0]) || isBlank(amounts[0])) return false;
  const fails = (read: () => unknown) => {
    try {
      read();
      return false;
    } catch {
      return true;
    }
  };
  return fails(() => readDate(dates[0])) && fails(() => readMoney(amounts[0]));
}

export interface RfmArgs {
  customers: Argument;
  dates: Argument;
  amounts: Argument;
  as_of?: Argument;
  bins_or_thresholds?: Argument;
  weights?: Argument;
  scheme?: Argument;
  show_header?: Argument;
}

/** The recency header says which date recency counts to, and what was left out (SPEC: the as-of date is always shown). */
function recencyHeader(asOfText: string, rowsAfterAsOf: number): string {
  return rowsAfterAsOf > 0 ? `recency (as of ${asOfText}; ${rowsAfterAsOf} later rows left out)` : `recency (as of ${asOfText})`;
}

function customerHeader(customersWithoutPurchase: number): string {
  return customersWithoutPurchase > 0 ? `customer (${customersWithoutPurchase} with no purchase left out)` : 'customer';
}

/** CBP.RFM: one row per customer with purchases up to the as-of date. */
export function rfmTable(args: RfmArgs): unknown[][] {
  const customers = asColumn(args.customers, 'customers');
  const dates = asColumn(args.dates, 'dates');
  const amounts = asColumn(args.amounts, 'amounts');
  requireSameLength([
    ['customers', customers],
    ['dates', dates],
    ['amounts', amounts],
  ]);
  const skip = transactionHeaderRow(dates, amounts) ? 1 : 0;
  requireData(customers.slice(skip), 'customers');
  const options: RfmOptions = {
    asOf: optionalDate(args.as_of ?? null, 'as_of'),
    ...readScoring(args.bins_or_thresholds ?? null, args.weights ?? null),
    scheme: optionalChoice(args.scheme ?? null, 'scheme', ['rfm10', 'rfm8', 'none'] as const, 'rfm10'),
  };
  const showHeader = optionalBoolean(args.show_header ?? null, 'show_header', true);
  const tx = readTransactionColumns(
    { customers: customers.slice(skip), dates: dates.slice(skip), amounts: amounts.slice(skip) },
    {},
    skip + 1,
    { customers: 'customers', dates: 'dates', amounts: 'amounts' },
  );
  const result = withSourceRows((row) => row, SCORING_ARGUMENTS, () => computeRfm(tx, options));
  const rows: unknown[][] = result.rows.map((r) => [r.customer, r.recencyDays, r.frequency, r.monetary, r.r, r.f, r.m, r.code, r.score, r.segment]);
  if (!showHeader) return rows;
  const header: string[] = [...RFM_COLUMNS];
  header[0] = customerHeader(result.warnings.customersWithoutPurchase);
  header[1] = recencyHeader(result.asOfText, result.warnings.rowsAfterAsOf);
  return [header, ...rows];
}

export interface RfmScoreArgs {
  recency: Argument;
  frequency: Argument;
  monetary: Argument;
  bins_or_thresholds?: Argument;
  weights?: Argument;
}

export const RFMSCORE_COLUMNS = ['R', 'F', 'M', 'score'] as const;

/** CBP.RFMSCORE: scores per input row; blank rows stay blank, a header row gets a header. */
export function rfmScoreRows(args: RfmScoreArgs): unknown[][] {
  const recency = asColumn(args.recency, 'recency');
  const frequency = asColumn(args.frequency, 'frequency');
  const monetary = asColumn(args.monetary, 'monetary');
  requireSameLength([
    ['recency', recency],
    ['frequency', frequency],
    ['monetary', monetary],
  ]);
  const header = firstRowIsHeader([recency, frequency, monetary], [(c) => readNumber(c), (c) => readNumber(c), (c) => readMoney(c)]);
  const scoring = readScoring(args.bins_or_thresholds ?? null, args.weights ?? null);
  const dataRows: number[] = [];
  for (let i = header ? 1 : 0; i < recency.length; i++) {
    if (!(isBlank(recency[i]) && isBlank(frequency[i]) && isBlank(monetary[i]))) dataRows.push(i);
  }
  if (!dataRows.length) requireData([], 'recency');
  const r = Float64Array.from(dataRows, (i) => readNumber(recency[i], { row: i + 1, column: 'recency' }));
  const f = Float64Array.from(dataRows, (i) => readNumber(frequency[i], { row: i + 1, column: 'frequency' }));
  const m = Float64Array.from(dataRows, (i) => fromMinorUnits(readMoney(monetary[i], { row: i + 1, column: 'monetary' })));
  const scores = withSourceRows((row) => dataRows[row - 1] + 1, SCORING_ARGUMENTS, () => scoreRfmValues(r, f, m, scoring));
  const out: unknown[][] = recency.map(() => ['', '', '', '']);
  if (header) out[0] = [...RFMSCORE_COLUMNS];
  dataRows.forEach((row, k) => {
    out[row] = [scores.r[k], scores.f[k], scores.m[k], scores.score[k]];
  });
  return out;
}
