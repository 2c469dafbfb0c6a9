/** `cbp clv`: customer lifetime value, simple or retention form per row of a table. */
import { readNumber } from '../../engine/money';
import { annualNetProfit, retentionClv, simpleClv } from '../../engine/clv-simple';
import { CliIo, Command, UsageError } from '../io';
import { fitAndPredictClv, holdoutValidation, summariseTransactions } from '../../engine/clv';
import { Transactions } from '../../engine/transactions';
import { formatIsoDate } from '../../engine/dates';
import { asOfOption, readTransactionsFile } from './transactions-input';
import { formatCsvLine } from '../csv';
import { emit } from '../output';
import { choiceOption, CommandSpec, formatHelp, numberOption, oneInput, OUTPUT_OPTIONS, parseCommandArgs, ParsedOptions, stringOption, TRANSACTION_COLUMN_OPTIONS } from '../options';
import { findColumn, findOptionalColumn, plainCell, readInputColumns, fileOptions } from '../read-input';
import { chooseEngine, ENGINE_OPTIONS, optionsLocale, withDuckDb } from '../duckdb-engine';
import { t } from '../../i18n';

const SPEC: CommandSpec = {
  name: 'clv',
  usage: 'cbp clv TABLE.(csv|xlsx|parquet|duckdb) --model bgnbd|simple|retention [options]',
  summary: [
    'bgnbd:     from a transaction table: BG/NBD purchases + Gamma-Gamma spend, fitted by maximum',
    '           likelihood, per customer: frequency, recency, T (in --unit), monetary, p_alive,',
    '           expected_purchases (next --purchases-horizon-days), expected_spend and clv over',
    '           --horizon-months, discounted monthly (the conventions of the Python package lifetimes).',
    'simple:    CLV = annual net profit x expected lifespan in years; annual profit from a profit column,',
    '           or revenue x margin - cost to serve. Amounts in the currency of the table.',
    'retention: CLV = sum over years t = 0..T-1 of margin x retention^t / (1 + discount)^t (margin at the',
    '           start of each year); without --years the closed form margin (1+d) / (1+d-r).',
    'Adds a clv column to the input table.',
  ].join('\n'),
  options: [
    { name: 'model', type: 'string', value: 'M', help: 'bgnbd, simple or retention (required)' },
    { name: 'as-of', type: 'string', value: 'DATE', help: 'bgnbd: end of the observation period (default: the latest transaction date)' },
    { name: 'unit', type: 'string', value: 'days|weeks', help: 'bgnbd: time unit of recency, T and the model (default days)' },
    { name: 'horizon-months', type: 'string', value: 'N', help: 'bgnbd: CLV horizon in months (default 12)' },
    { name: 'discount-monthly', type: 'string', value: 'D', help: 'bgnbd: monthly discount rate (default 0.01)' },
    { name: 'purchases-horizon-days', type: 'string', value: 'N', help: 'bgnbd: horizon of expected_purchases in days (default 90)' },
    { name: 'holdout-from', type: 'string', value: 'DATE', help: 'bgnbd: fit on the days before DATE and compare predicted with actual repeat purchases from DATE to --as-of' },
    ...TRANSACTION_COLUMN_OPTIONS,
    ...ENGINE_OPTIONS.map((o) => ({ ...o, help: `bgnbd: ${o.help}` })),
    { name: 'profit-column', type: 'string', value: 'NAME', help: 'simple: annual net profit column (default profit / 利润)' },
    { name: 'revenue-column', type: 'string', value: 'NAME', help: 'simple: annual revenue column, used with --margin' },
    { name: 'margin', type: 'string', value: 'FRACTION', help: 'simple: margin on revenue, e.g. 0.3; retention: see --margin-column' },
    { name: 'cost-column', type: 'string', value: 'NAME', help: 'simple: annual cost to serve column (optional)' },
    { name: 'years', type: 'string', value: 'N', help: 'simple: expected lifespan in years (required); retention: horizon in whole years (optional)' },
    { name: 'margin-column', type: 'string', value: 'NAME', help: 'retention: yearly margin column (default margin / profit / 利润)' },
    { name: 'retention', type: 'string', value: 'R', help: 'retention: yearly retention rate, 0 <= r < 1 (or --retention-column)' },
    { name: 'retention-column', type: 'string', value: 'NAME', help: 'retention: per-row retention rate column' },
    { name: 'discount', type: 'string', value: 'D', help: 'retention: yearly discount rate, d >= 0 (default 0.1)' },
    { name: 'lang', type: 'string', value: 'en|zh-CN', help: 'language of error messages (default en)' },
    ...OUTPUT_OPTIONS,
  ],
  examples: [
    'cbp clv samples/transactions.csv --model bgnbd --horizon-months 12 --format json', 'cbp clv sales.parquet --model bgnbd --out clv.csv','cbp clv customers.csv --model simple --profit-column profit --years 5', 'cbp clv customers.csv --model retention --margin-column margin --retention 0.8 --discount 0.1'],
};


const BGNBD_COLUMNS = ['customer', 'frequency', 'recency', 'T', 'monetary', 'p_alive', 'expected_purchases', 'expected_spend', 'clv'] as const;

/** Rounds model outputs for display without float noise. */
function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

async function probabilisticClv(input: string, values: ParsedOptions, io: CliIo): Promise<number> {
  const unit = choiceOption(values, 'unit', ['days', 'weeks'] as const, 'days');
  const clvOptions = {
    horizonMonths: numberOption(values, 'horizon-months'),
    discountMonthly: numberOption(values, 'discount-monthly'),
    purchasesHorizonDays: numberOption(values, 'purchases-horizon-days'),
  };
  const asOf = asOfOption(values);
  const holdoutFrom = asOfOption(values, 'holdout-from');
  let summary;
  if (chooseEngine(input, values) === 'duckdb') {
    if (holdoutFrom !== undefined) throw new UsageError(t(optionsLocale(values), 'duckdb.optionBuiltinOnly', { option: '--holdout-from' }));
    summary = await withDuckDb(input, values, io, async (db) => db.summary(asOf ?? (await db.latestDate('any')), unit));
  } else {
    const tx = await readTransactionsFile(input, values, io);
    const last = asOf ?? Math.max(...tx.dates);
    if (holdoutFrom !== undefined) return holdoutReport(input, values, io, tx, holdoutFrom, last, unit);
    summary = summariseTransactions(tx, last, unit);
  }
  const end = summary.observationEnd;
  const result = fitAndPredictClv(summary, clvOptions);
  const rows = result.customers.map((c) => BGNBD_COLUMNS.map((k) => (k === 'customer' ? c.customer : round6(c[k]))));
  const json = choiceOption(values, 'format', ['csv', 'json'] as const, 'csv') === 'json';
  const text = json
    ? JSON.stringify({ unit: result.unit, as_of: formatIsoDate(end), horizon_months: result.horizonMonths, purchases_horizon_days: result.purchasesHorizonDays, params: result.params, log_likelihood: result.log_likelihood, frequency_spend_correlation: result.frequency_spend_correlation, warnings: result.warnings, customers: rows.map((r) => Object.fromEntries(BGNBD_COLUMNS.map((k, i) => [k, r[i]]))) }, null, 2) + '\n'
    : [BGNBD_COLUMNS.join(','), ...rows.map(formatCsvLine)].join('\n') + '\n';
  await emit(text, stringOption(values, 'out'), [input], io);
  const { r, alpha, a, b } = result.params.bgnbd;
  const { p, q, gamma } = result.params.gamma_gamma;
  io.stderr(`observation end ${formatIsoDate(end)}, unit ${unit}: BG/NBD r=${r.toFixed(4)} alpha=${alpha.toFixed(4)} a=${a.toFixed(4)} b=${b.toFixed(4)} (log-likelihood ${result.log_likelihood.toFixed(1)}); Gamma-Gamma p=${p.toFixed(4)} q=${q.toFixed(4)} gamma=${gamma.toFixed(4)}\n`);
  for (const warning of result.warnings) io.stderr(`warning: ${warning}\n`);
  return 0;
}

const HOLDOUT_COLUMNS = ['customer', 'frequency', 'recency', 'T', 'predicted_holdout', 'actual_holdout'] as const;

async function holdoutReport(input: string, values: ParsedOptions, io: CliIo, tx: Transactions, holdoutFrom: number, end: number, unit: 'days' | 'weeks'): Promise<number> {
  if (holdoutFrom > end) throw new UsageError(`--holdout-from ${formatIsoDate(holdoutFrom)} is after the end of the data (${formatIsoDate(end)})`);
  const result = holdoutValidation(tx, holdoutFrom, end, unit);
  const rows = result.customers.map((c) => [c.customer, round6(c.frequency), round6(c.recency), round6(c.T), round6(c.predicted), c.actual]);
  const json = choiceOption(values, 'format', ['csv', 'json'] as const, 'csv') === 'json';
  const text = json
    ? JSON.stringify({ unit, calibration_end: formatIsoDate(result.calibrationEnd), holdout_end: formatIsoDate(result.holdoutEnd), holdout_length: result.holdoutLength, params: { bgnbd: result.params }, total_predicted: result.totalPredicted, total_actual: result.totalActual, customers: rows.map((r) => Object.fromEntries(HOLDOUT_COLUMNS.map((k, i) => [k, r[i]]))) }, null, 2) + '\n'
    : [HOLDOUT_COLUMNS.join(','), ...rows.map(formatCsvLine)].join('\n') + '\n';
  await emit(text, stringOption(values, 'out'), [input], io);
  io.stderr(`calibration to ${formatIsoDate(result.calibrationEnd)}, holdout to ${formatIsoDate(result.holdoutEnd)} (${result.holdoutLength.toFixed(2)} ${unit}): predicted ${result.totalPredicted.toFixed(1)} repeat purchases, actual ${result.totalActual}\n`);
  return 0;
}

export const clvCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs(SPEC, argv);
  if (values.help) {
    io.stdout(formatHelp(SPEC));
    return 0;
  }
  const input = oneInput(SPEC, positionals);
  choiceOption(values, 'lang', ['en', 'zh-CN'] as const, 'en'); // checked here; main() words errors in it
  const model = choiceOption(values, 'model', ['bgnbd', 'simple', 'retention', ''] as const, '');
  if (model === '') throw new UsageError("--model is required: bgnbd, simple or retention; see 'cbp clv --help'");
  if (model === 'bgnbd') return probabilisticClv(input, values, io);
  const table = await readInputColumns(input, fileOptions(values, io));
  const cell = (index: number, r: number): number => readNumber(table.columns[index][r], { row: r + 2, column: String(table.header[index]) });
  const clv = new Float64Array(table.rowCount);
  if (model === 'simple') {
    const years = numberOption(values, 'years');
    if (years === undefined) throw new UsageError('--years is required for the simple model, e.g. --years 5');
    const profitIndex = stringOption(values, 'revenue-column') === undefined ? findColumn(table, stringOption(values, 'profit-column'), ['profit', 'annual_profit', '利润', '毛利'], 'profit', '--profit-column') : -1;
    const revenueIndex = profitIndex < 0 ? findColumn(table, stringOption(values, 'revenue-column'), [], 'revenue', '--revenue-column') : -1;
    const costIndex = findOptionalColumn(table, stringOption(values, 'cost-column'), stringOption(values, 'cost-column') ? [] : ['cost', 'cost_to_serve', '成本']);
    const margin = numberOption(values, 'margin');
    for (let r = 0; r < table.rowCount; r++) {
      const profit = profitIndex >= 0 ? cell(profitIndex, r) : annualNetProfit({ revenue: cell(revenueIndex, r), margin, costToServe: costIndex >= 0 ? cell(costIndex, r) : 0 });
      clv[r] = simpleClv(profit, years);
    }
  } else {
    const marginIndex = findColumn(table, stringOption(values, 'margin-column'), ['margin', 'profit', '利润', '毛利'], 'margin', '--margin-column');
    const retentionIndex = stringOption(values, 'retention-column') !== undefined ? findColumn(table, stringOption(values, 'retention-column'), [], 'retention', '--retention-column') : -1;
    const retention = numberOption(values, 'retention');
    if (retentionIndex < 0 && retention === undefined) throw new UsageError('give --retention R or --retention-column NAME for the retention model');
    const discount = numberOption(values, 'discount') ?? 0.1;
    const years = numberOption(values, 'years');
    for (let r = 0; r < table.rowCount; r++) clv[r] = retentionClv(cell(marginIndex, r), retentionIndex >= 0 ? cell(retentionIndex, r) : (retention as number), discount, years);
  }
  const header = [...table.header.map(String), 'clv'];
  const rows = Array.from({ length: table.rowCount }, (_, r) => [...table.columns.map((c) => plainCell(c[r])), Math.round(clv[r] * 100) / 100]);
  const json = choiceOption(values, 'format', ['csv', 'json'] as const, 'csv') === 'json';
  const text = json
    ? JSON.stringify({ model, customers: rows.map((row) => Object.fromEntries(header.map((h, k) => [h, row[k]]))) }, null, 2) + '\n'
    : [formatCsvLine(header), ...rows.map(formatCsvLine)].join('\n') + '\n';
  await emit(text, stringOption(values, 'out'), [input], io);
  return 0;
};
