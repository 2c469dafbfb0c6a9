/** `cbp rfm`: RFM scores and segments per customer from a transaction table. */
import { rfmFromMeasures, RfmOptions, RfmResult, SegmentScheme } from '../../engine/rfm';
import { CliIo, Command } from '../io';
import { formatCsvLine } from '../csv';
import { emit, emitChunks, csvChunks } from '../output';
import {
  choiceOption,
  CommandSpec,
  formatHelp,
  numberListOption,
  numberOption,
  oneInput,
  OUTPUT_OPTIONS,
  parseCommandArgs,
  TRANSACTION_COLUMN_OPTIONS,
  ParsedOptions,
  stringOption,
} from '../options';
import { asOfOption, readRfmMeasuresFile } from './transactions-input';
import { UsageError } from '../io';
import { chooseEngine, ENGINE_OPTIONS, rfmWithDuckDb, withDuckDb } from '../duckdb-engine';

const SPEC: CommandSpec = {
  name: 'rfm',
  usage: 'cbp rfm TRANSACTIONS.(csv|xlsx|parquet|duckdb) [options]',
  summary: [
    'Recency (days since the last purchase), frequency (purchases: distinct order ids, or rows with an',
    'amount above 0) and monetary value (sum of amounts, refunds included) per customer at an as-of date,',
    'scored 1..bins by quantiles or by your cut points, with a weighted score, the RFM code and a segment.',
    'Output columns: customer, recency, frequency, monetary, r_score, f_score, m_score, rfm_code, score, segment.',
  ].join('\n'),
  options: [
    { name: 'as-of', type: 'string', value: 'DATE', help: 'score as of this date (default: the latest purchase date; always reported)' },
    { name: 'bins', type: 'string', value: 'N', help: 'quantile scores 1..N (default 5)' },
    { name: 'thresholds-r', type: 'string', value: 'D1,D2,..', help: 'recency cut points in days, ascending (thresholds mode; give all three)' },
    { name: 'thresholds-f', type: 'string', value: 'N1,N2,..', help: 'frequency cut points, ascending' },
    { name: 'thresholds-m', type: 'string', value: 'M1,M2,..', help: 'monetary cut points, ascending' },
    { name: 'weights', type: 'string', value: 'WR,WF,WM', help: 'weights of R, F and M in the score (default 1,1,1)' },
    { name: 'segments', type: 'string', value: 'rfm10|rfm8|none', help: 'segment scheme (default rfm10)' },
    { name: 'lang', type: 'string', value: 'en|zh-CN', help: 'language of segment names (default: Chinese for rfm8, English for rfm10)' },
    ...TRANSACTION_COLUMN_OPTIONS,
    ...ENGINE_OPTIONS,
    ...OUTPUT_OPTIONS,
  ],
  examples: [
    'cbp rfm samples/transactions.csv --as-of 2025-12-31 --bins 5 --weights 1,1,1 --segments rfm10',
    'cbp rfm tx.csv --thresholds-r 30,90,180,270 --thresholds-f 2,3,5,8 --thresholds-m 50,150,300,600',
    'cbp rfm 交易.xlsx --segments rfm8 --format json --out rfm.json',
    'cbp rfm sales.parquet --order-column order_id --out rfm.csv',
    'cbp rfm big.csv --engine duckdb --out rfm.csv',
    'cbp rfm shop.duckdb --table sales.tx --as-of 2025-12-31',
  ],
};

export const RFM_COLUMNS = ['customer', 'recency', 'frequency', 'monetary', 'r_score', 'f_score', 'm_score', 'rfm_code', 'score', 'segment'];

function thresholdsFrom(values: ParsedOptions) {
  const r = numberListOption(values, 'thresholds-r');
  const f = numberListOption(values, 'thresholds-f');
  const m = numberListOption(values, 'thresholds-m');
  if (!r && !f && !m) return undefined;
  if (!r || !f || !m) throw new UsageError('thresholds mode needs all three of --thresholds-r, --thresholds-f and --thresholds-m');
  return { recencyDays: r, frequency: f, monetary: m };
}

function weightsFrom(values: ParsedOptions): [number, number, number] | undefined {
  const weights = numberListOption(values, 'weights');
  if (weights && weights.length !== 3) throw new UsageError(`--weights takes three numbers for R, F and M, e.g. 1,1,1 (got ${weights.length})`);
  return weights as [number, number, number] | undefined;
}

/** Rounds a score for output: enough digits to be exact for thirds, no float noise. */
export function roundScore(score: number): number {
  return Math.round(score * 1e6) / 1e6;
}

export function rfmSummary(result: RfmResult) {
  return {
    as_of: result.asOfText,
    customers: result.rows.length,
    rows_after_as_of: result.warnings.rowsAfterAsOf,
    customers_without_purchase: result.warnings.customersWithoutPurchase,
    rows_skipped: result.warnings.rowsSkipped,
  };
}

/** One stderr line per thing the user should know: the as-of date always, warnings when they apply. */
export function reportRfmNotes(result: RfmResult, io: CliIo): void {
  const w = result.warnings;
  io.stderr(`as of ${result.asOfText}: ${result.rows.length} customers scored\n`);
  if (w.rowsAfterAsOf) io.stderr(`warning: ${w.rowsAfterAsOf} rows dated after ${result.asOfText} were left out\n`);
  if (w.customersWithoutPurchase) io.stderr(`warning: ${w.customersWithoutPurchase} customers with no purchase (amount above 0) up to ${result.asOfText} were left out\n`);
  if (w.rowsSkipped) io.stderr(`warning: ${w.rowsSkipped} rows could not be read and were skipped (--skip-invalid)\n`);
}

/** The built-in engine: a CSV streamed into per-customer measures (memory by customers), an .xlsx read whole. */
async function rfmWithBuiltin(input: string, values: ParsedOptions, io: CliIo, options: RfmOptions): Promise<RfmResult> {
  const read = await readRfmMeasuresFile(input, values, io, options.asOf);
  const warnings = { rowsAfterAsOf: read.rowsAfterAsOf, customersWithoutPurchase: read.customersWithoutPurchase, rowsSkipped: read.rowsSkipped };
  return rfmFromMeasures(read.measures, read.asOf, warnings, options);
}

export const rfmCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs(SPEC, argv);
  if (values.help) {
    io.stdout(formatHelp(SPEC));
    return 0;
  }
  const input = oneInput(SPEC, positionals);
  const format = choiceOption(values, 'format', ['csv', 'json'] as const, 'csv');
  const scheme = choiceOption(values, 'segments', ['rfm10', 'rfm8', 'none'] as const, 'rfm10') as SegmentScheme;
  const language = values.lang === undefined ? undefined : choiceOption(values, 'lang', ['en', 'zh-CN'] as const, 'zh-CN') === 'en' ? 'en' : 'zh';
  // Options are checked before the (possibly large) file is read.
  const rfmOptions = { asOf: asOfOption(values), bins: numberOption(values, 'bins'), thresholds: thresholdsFrom(values), weights: weightsFrom(values), scheme, language } as const;
  const result = chooseEngine(input, values) === 'duckdb' ? await withDuckDb(input, values, io, (db) => rfmWithDuckDb(db, rfmOptions)) : await rfmWithBuiltin(input, values, io, rfmOptions);
  const cells = (i: number) => {
    const r = result.rows[i];
    return [r.customer, r.recencyDays, r.frequency, r.monetary, r.r, r.f, r.m, r.code, roundScore(r.score), r.segment] as const;
  };
  if (format === 'json') {
    const customers = result.rows.map((_, i) => Object.fromEntries(RFM_COLUMNS.map((c, k) => [c, cells(i)[k]])));
    await emit(JSON.stringify({ summary: rfmSummary(result), customers }, null, 2) + '\n', stringOption(values, 'out'), [input], io);
  } else {
    await emitChunks(csvChunks(RFM_COLUMNS.join(','), result.rows.length, (i) => formatCsvLine(cells(i))), stringOption(values, 'out'), [input], io);
  }
  reportRfmNotes(result, io);
  return 0;
};
