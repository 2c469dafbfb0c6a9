/** `cbp segment`: ABC tiers, profitability matrix, lifecycle stage or the rfm8 cube. */
import { abcClasses, lifecycleStage, LIFECYCLE_ZH, MATRIX_ZH, profitabilityMatrix } from '../../engine/tiers';
import { rfm8Segments } from '../../engine/segments';
import { formatIsoDate } from '../../engine/dates';
import { latestPurchaseDate } from '../../engine/rfm';
import { Command, UsageError } from '../io';
import { formatCsvLine, CsvField } from '../csv';
import { emit } from '../output';
import { choiceOption, CommandSpec, formatHelp, numberOption, oneInput, OUTPUT_OPTIONS, parseCommandArgs, stringOption, TRANSACTION_COLUMN_OPTIONS } from '../options';
import { findColumn, InputColumns, numberColumn, plainCell, readInputColumns, fileOptions } from '../read-input';
import { asOfOption, readTransactionsFile } from './transactions-input';

const SPEC: CommandSpec = {
  name: 'segment',
  usage: 'cbp segment TABLE.(csv|xlsx) --scheme abc|matrix|lifecycle|rfm8 [options]',
  summary: [
    'abc:       ABC (Pareto) class on a value column: A below 80 % of the cumulative share of strictly',
    '           greater values, B below 95 %, else C. Adds column tier.',
    'matrix:    profitability x relationship strength (Reinartz & Kumar), split at the medians unless',
    '           thresholds are given. Adds quadrant and quadrant_zh.',
    'lifecycle: from a transaction table: New (tenure <= 90 days), Decline (recency > 180 days), Growth',
    '           (tenure <= 365 days), else Mature. One row per customer.',
    'rfm8:      the high/low cube from r_score, f_score, m_score columns (e.g. the output of cbp rfm).',
  ].join('\n'),
  options: [
    { name: 'scheme', type: 'string', value: 'S', help: 'abc, matrix, lifecycle or rfm8 (required)' },
    { name: 'value-column', type: 'string', value: 'NAME', help: 'abc: the value column (default monetary / clv / profit)' },
    { name: 'a', type: 'string', value: 'SHARE', help: 'abc: A threshold (default 0.8)' },
    { name: 'b', type: 'string', value: 'SHARE', help: 'abc: B threshold (default 0.95)' },
    { name: 'profit-column', type: 'string', value: 'NAME', help: 'matrix: profit column (default profit / margin / 利润 / monetary)' },
    { name: 'relationship-column', type: 'string', value: 'NAME', help: 'matrix: relationship strength column (default frequency / score / tenure)' },
    { name: 'profit-threshold', type: 'string', value: 'N', help: 'matrix: high profit above this (default: the median)' },
    { name: 'relationship-threshold', type: 'string', value: 'N', help: 'matrix: strong relationship above this (default: the median)' },
    { name: 'as-of', type: 'string', value: 'DATE', help: 'lifecycle: as-of date (default: the latest purchase date)' },
    { name: 'new-days', type: 'string', value: 'N', help: 'lifecycle: New when tenure <= N days (default 90)' },
    { name: 'decline-days', type: 'string', value: 'N', help: 'lifecycle: Decline when recency > N days (default 180)' },
    { name: 'growth-days', type: 'string', value: 'N', help: 'lifecycle: Growth when tenure <= N days (default 365)' },
    { name: 'lang', type: 'string', value: 'en|zh-CN', help: 'rfm8: language of the names (default zh-CN)' },
    ...TRANSACTION_COLUMN_OPTIONS,
    ...OUTPUT_OPTIONS,
  ],
  examples: [
    'cbp segment scores.csv --scheme abc --value-column monetary',
    'cbp segment scores.csv --scheme matrix --profit-column monetary --relationship-column frequency',
    'cbp segment samples/transactions.csv --scheme lifecycle --as-of 2025-12-31',
    'cbp segment scores.csv --scheme rfm8 --lang en',
  ],
};




function render(header: string[], rows: CsvField[][], json: boolean): string {
  if (json) return JSON.stringify(rows.map((r) => Object.fromEntries(header.map((h, k) => [h, r[k]]))), null, 2) + '\n';
  return [formatCsvLine(header), ...rows.map(formatCsvLine)].join('\n') + '\n';
}

function withColumns(table: InputColumns, extra: string[], values: CsvField[][]): { header: string[]; rows: CsvField[][] } {
  const header = [...table.header.map(String), ...extra];
  const rows = Array.from({ length: table.rowCount }, (_, r) => [...table.columns.map((c) => plainCell(c[r])), ...values[r]]);
  return { header, rows };
}

export const segmentCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs(SPEC, argv);
  if (values.help) {
    io.stdout(formatHelp(SPEC));
    return 0;
  }
  const input = oneInput(SPEC, positionals);
  const scheme = choiceOption(values, 'scheme', ['abc', 'matrix', 'lifecycle', 'rfm8', ''] as const, '');
  if (scheme === '') throw new UsageError("--scheme is required: abc, matrix, lifecycle or rfm8; see 'cbp segment --help'");
  const json = choiceOption(values, 'format', ['csv', 'json'] as const, 'csv') === 'json';
  let out: { header: string[]; rows: CsvField[][] };
  if (scheme === 'lifecycle') {
    const tx = await readTransactionsFile(input, values, io);
    const asOf = asOfOption(values) ?? latestPurchaseDate(tx);
    const first = new Int32Array(tx.customerIds.length).fill(2147483647);
    const last = new Int32Array(tx.customerIds.length).fill(-2147483648);
    for (let i = 0; i < tx.dates.length; i++) {
      const c = tx.customerIndex[i];
      if (tx.dates[i] > asOf || tx.amountsMinor[i] <= 0) continue;
      first[c] = Math.min(first[c], tx.dates[i]);
      last[c] = Math.max(last[c], tx.dates[i]);
    }
    const limits = { newDays: numberOption(values, 'new-days'), declineDays: numberOption(values, 'decline-days'), growthDays: numberOption(values, 'growth-days') };
    const rows: CsvField[][] = [];
    tx.customerIds.forEach((customer, c) => {
      if (last[c] < first[c]) return; // no purchase up to as-of
      const stage = lifecycleStage(first[c], last[c], asOf, limits);
      rows.push([customer, formatIsoDate(first[c]), formatIsoDate(last[c]), asOf - first[c], asOf - last[c], stage, LIFECYCLE_ZH[stage]]);
    });
    out = { header: ['customer', 'first_purchase', 'last_purchase', 'tenure_days', 'recency_days', 'stage', 'stage_zh'], rows };
    io.stderr(`as of ${formatIsoDate(asOf)}: ${rows.length} customers\n`);
  } else {
    const table = await readInputColumns(input, fileOptions(values, io));
    if (scheme === 'abc') {
      const v = numberColumn(table, findColumn(table, stringOption(values, 'value-column'), ['monetary', 'clv', 'profit', 'value', '金额', '利润'], 'value', '--value-column'));
      const classes = abcClasses(v, numberOption(values, 'a') ?? 0.8, numberOption(values, 'b') ?? 0.95);
      out = withColumns(table, ['tier'], classes.map((c) => [c]));
    } else if (scheme === 'matrix') {
      const profit = numberColumn(table, findColumn(table, stringOption(values, 'profit-column'), ['profit', 'margin', '利润', '毛利', 'monetary'], 'profit', '--profit-column'));
      const relationship = numberColumn(table, findColumn(table, stringOption(values, 'relationship-column'), ['frequency', 'score', 'tenure', 'tenure_days'], 'relationship strength', '--relationship-column'));
      const quadrants = profitabilityMatrix(profit, relationship, { profit: numberOption(values, 'profit-threshold'), relationship: numberOption(values, 'relationship-threshold') });
      out = withColumns(table, ['quadrant', 'quadrant_zh'], quadrants.map((q) => [q, MATRIX_ZH[q]]));
    } else {
      const score = (name: string) => numberColumn(table, findColumn(table, undefined, [name], name, 'a column of that name (run cbp rfm first)'));
      const language = choiceOption(values, 'lang', ['en', 'zh-CN'] as const, 'zh-CN') === 'en' ? 'en' : 'zh';
      const names = rfm8Segments(score('r_score'), score('f_score'), score('m_score'), language);
      out = withColumns(table, ['segment_rfm8'], names.map((n) => [n]));
    }
  }
  await emit(render(out.header, out.rows, json), stringOption(values, 'out'), [input], io);
  return 0;
};
