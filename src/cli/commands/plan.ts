/**
 * `cbp plan`: transactions (CSV or .xlsx) in, a budget plan workbook (.xlsx) out. RFM scores ->
 * weights (score, monetary, equal or BG/NBD CLV) -> exact allocation -> phasing -> activity split ->
 * the plan sheet, its segment summary and a log sheet, written through ExcelJS's streaming writer
 * (real Excel tables at any size) to a temporary file that is renamed at the end.
 */
import { basename, extname } from 'node:path';
import { PeriodKind, Plan, planFromRfm, PlanOptions, WeightBasis } from '../../engine/plan';
import { spendToDate } from '../../engine/allocation/replan';
import { AllocationMethod } from '../../engine/allocation/allocate';
import { computeRfm, rfmFromMeasures, SegmentScheme } from '../../engine/rfm';
import { fromMinorUnits } from '../../engine/money';
import { DEFAULT_PLAN_CLV_MONTHS, lifetimeValuesForPlan, lifetimeValuesFromSummary } from '../../engine/clv';
import { buildPlanWorkbook, clvExtras, PlanExtras } from '../../workbook/plan-sheet';
import { writeSpecStreaming } from '../../hosts/xlsx/write-streaming';
import { readActualRows } from '../../runs/plan-table';
import { CliIo, Command, UsageError } from '../io';
import { assertNotInput, reportReplan, writeThroughTemporary } from '../output';
import { readInputTable, fileOptions } from '../read-input';
import { choiceOption, CommandSpec, formatHelp, namedNumbersOption, numberListOption, numberOption, oneInput, OUTPUT_OPTIONS, ParsedOptions, parseCommandArgs, stringOption, TRANSACTION_COLUMN_OPTIONS } from '../options';
import { asOfOption, readTransactionsFile } from './transactions-input';
import { VERSION } from '../version';
import { Progress } from '../progress';
import { chooseEngine, ENGINE_OPTIONS, optionsLocale, withDuckDb } from '../duckdb-engine';
import { PlanInput, readPlanSummaries } from '../summary-input';
import { t } from '../../i18n';

const SPEC: CommandSpec = {
  name: 'plan',
  usage: 'cbp plan TRANSACTIONS.(csv|xlsx|parquet|duckdb) --budget B --out PLAN.xlsx [options]\n       cbp plan --summary RFM.(csv|parquet) --as-of DATE --budget B --out PLAN.xlsx [options]',
  summary: [
    'Scores every customer (RFM), allocates the budget exactly (after the reserve, within floors and caps,',
    'in multiples of the unit), phases each amount over the months or quarters of the plan year and splits',
    'it across activities, and writes a plan workbook: parameters, the per-customer plan as an Excel table',
    'with a totals row, totals with the reserve and any unallocated amount on their own lines, a summary by',
    'segment, and a log sheet. Allocation + reserve + unallocated = budget, to the cent.',
    'The file is written to a temporary name in the same folder and renamed at the end, and is never the input.',
    'With --summary, plans from a per-customer result instead of transactions (cbp sql rfm run in a warehouse, or',
    'cbp rfm): columns customer, recency, frequency, monetary (others ignored; scores are computed again), at --as-of.',
  ].join('\n'),
  options: [
    { name: 'budget', type: 'string', value: 'B', help: 'total budget (required)' },
    { name: 'reserve', type: 'string', value: 'FRACTION', help: 'contingency reserve held back, 0 <= r < 1 (default 0)' },
    { name: 'unit', type: 'string', value: 'U', help: 'rounding unit of each allocation, e.g. 0.01, 1, 100 (default 0.01)' },
    { name: 'method', type: 'string', value: 'M', help: 'proportional (default), equal, shares or optimal' },
    { name: 'weight-basis', type: 'string', value: 'B', help: 'weight per customer: score (default), monetary, equal or clv (needs --clv bgnbd)' },
    { name: 'floor', type: 'string', value: 'N', help: 'minimum per customer' },
    { name: 'cap', type: 'string', value: 'N', help: 'maximum per customer' },
    { name: 'shares', type: 'string', value: 'SEG=S,...', help: 'segment shares for --method shares, adding up to 1' },
    { name: 'saturation', type: 'string', value: 'N', help: 'optimal: spend at which a customer gives about 63 % of its value (required with optimal)' },
    { name: 'response', type: 'string', value: 'exp|log', help: 'optimal: response curve v(1 - e^(-x/s)) (default) or v ln(1 + x/s)' },
    { name: 'segment-min-share', type: 'string', value: 'SEG=F,...', help: 'optimal: minimum share of the distributable budget per segment (built-in segment names in English or Chinese)' },
    { name: 'segment-max-share', type: 'string', value: 'SEG=F,...', help: 'optimal: maximum share of the distributable budget per segment' },
    { name: 'as-of', type: 'string', value: 'DATE', help: 'scoring date (default: the latest purchase date)' },
    { name: 'bins', type: 'string', value: 'N', help: 'quantile score bins (default 5)' },
    { name: 'thresholds-r', type: 'string', value: 'LIST', help: 'recency cut points in days (thresholds mode, with -f and -m)' },
    { name: 'thresholds-f', type: 'string', value: 'LIST', help: 'frequency cut points' },
    { name: 'thresholds-m', type: 'string', value: 'LIST', help: 'monetary cut points' },
    { name: 'weights', type: 'string', value: 'WR,WF,WM', help: 'RFM weights (default 1,1,1)' },
    { name: 'segments', type: 'string', value: 'rfm10|rfm8', help: 'segment scheme (default rfm10)' },
    { name: 'periods', type: 'string', value: 'months|quarters', help: 'phasing periods (default months)' },
    { name: 'year', type: 'string', value: 'YYYY', help: 'plan year (default: the year after the as-of date)' },
    { name: 'period-weights', type: 'string', value: 'LIST', help: 'seasonal profile, one weight per period (default equal)' },
    { name: 'activities', type: 'string', value: 'A=S,...', help: 'activity mix (default visits=0.3,events=0.2,gifts=0.15,service=0.25,training=0.1)' },
    { name: 'spent', type: 'string', value: 'FILE', help: 're-plan mid-year: actual spend to date (customer, date, actual columns, e.g. samples/actuals.csv); each customer keeps at least what it has had and the rest is allocated again' },
    { name: 'clv', type: 'string', value: 'none|bgnbd', help: 'add a CLV column: BG/NBD + Gamma-Gamma fitted on the transactions (default none)' },
    { name: 'clv-months', type: 'string', value: 'N', help: 'CLV horizon in months, discounted 1 % a month (default 12)' },
    { name: 'lang', type: 'string', value: 'en|zh-CN', help: 'language of the sheets (default en)' },
    ...TRANSACTION_COLUMN_OPTIONS,
    ...ENGINE_OPTIONS,
    { name: 'summary', type: 'string', value: 'FILE', help: 'plan from a per-customer result (CSV, .xlsx or .parquet) with customer, recency, frequency, monetary (cbp sql rfm, cbp rfm) instead of transactions; needs --as-of' },
    { name: 'clv-summary', type: 'string', value: 'FILE', help: 'with --summary and --clv bgnbd: the BG/NBD summary of the same customers (customer, x, t_x, t, monetary: cbp sql summary, in days, at --as-of)' },
    { name: 'quiet', type: 'boolean', help: 'no progress line (shown only when standard error is a terminal)', short: 'q' },
    ...OUTPUT_OPTIONS.filter((o) => o.name !== 'format'),
  ],
  examples: [
    'cbp plan samples/sample.xlsx --budget 500000 --out plan.xlsx',
    'cbp plan samples/sample-zh.xlsx --budget 500000 --reserve 0.05 --unit 100 --lang zh-CN --out 预算方案.xlsx',
    'cbp plan tx.csv --budget 1200000 --periods quarters --period-weights 1,1,1,2 --activities visits=0.5,gifts=0.5 --out plan.xlsx',
    'cbp plan samples/transactions.csv --budget 500000 --clv bgnbd --weight-basis clv --method optimal --saturation 2000 --out plan.xlsx',
    'cbp plan samples/transactions.csv --budget 500000 --method optimal --saturation 2000 --spent samples/actuals.csv --out replan.xlsx',
    'cbp plan sales.parquet --budget 500000 --clv bgnbd --weight-basis clv --out plan.xlsx',
    'cbp plan --summary rfm.csv --clv-summary summary.csv --clv bgnbd --weight-basis clv --as-of 2025-12-31 --budget 500000 --out plan.xlsx',
  ],
};

function segmentShareOption(values: ParsedOptions, name: string): Record<string, number> | undefined {
  const pairs = namedNumbersOption(values, name);
  return pairs ? Object.fromEntries(pairs) : undefined;
}

/** Plan options from the command line, checked before any file is read. */
function planOptions(values: ParsedOptions): Omit<PlanOptions, 'clv'> {
  const budget = numberOption(values, 'budget');
  if (budget === undefined) throw new UsageError('--budget is required, e.g. --budget 500000');
  const r = numberListOption(values, 'thresholds-r');
  const f = numberListOption(values, 'thresholds-f');
  const m = numberListOption(values, 'thresholds-m');
  if ((r || f || m) && !(r && f && m)) throw new UsageError('thresholds mode needs all three of --thresholds-r, --thresholds-f and --thresholds-m');
  const weights = numberListOption(values, 'weights');
  if (weights && weights.length !== 3) throw new UsageError('--weights takes three numbers for R, F and M, e.g. --weights 1,2,1');
  const activities = namedNumbersOption(values, 'activities');
  const method = choiceOption(values, 'method', ['proportional', 'equal', 'shares', 'optimal'] as const, 'proportional') as AllocationMethod;
  const saturation = numberOption(values, 'saturation');
  if (method === 'optimal' && saturation === undefined) throw new UsageError('--method optimal needs --saturation N: the spend at which a customer gives about 63 % of its value');
  if (method === 'shares' && values.shares === undefined) throw new UsageError('--method shares needs --shares SEGMENT=SHARE,..., e.g. --shares Champions=0.5,Others=0.5');
  const weightBasis = choiceOption(values, 'weight-basis', ['score', 'monetary', 'equal', 'clv'] as const, 'score') as WeightBasis;
  if (weightBasis === 'clv' && choiceOption(values, 'clv', ['none', 'bgnbd'] as const, 'none') !== 'bgnbd') throw new UsageError('--weight-basis clv needs --clv bgnbd');
  return {
    budget,
    reserve: numberOption(values, 'reserve'),
    unit: numberOption(values, 'unit'),
    method,
    weightBasis,
    floor: numberOption(values, 'floor'),
    cap: numberOption(values, 'cap'),
    segmentShares: segmentShareOption(values, 'shares'),
    saturation,
    response: choiceOption(values, 'response', ['exp', 'log'] as const, 'exp'),
    segmentMinShare: segmentShareOption(values, 'segment-min-share'),
    segmentMaxShare: segmentShareOption(values, 'segment-max-share'),
    asOf: asOfOption(values),
    bins: numberOption(values, 'bins'),
    thresholds: r && f && m ? { recencyDays: r, frequency: f, monetary: m } : undefined,
    weights: weights as [number, number, number] | undefined,
    scheme: choiceOption(values, 'segments', ['rfm10', 'rfm8'] as const, 'rfm10') as SegmentScheme,
    periods: choiceOption(values, 'periods', ['months', 'quarters'] as const, 'months') as PeriodKind,
    year: numberOption(values, 'year'),
    periodWeights: numberListOption(values, 'period-weights'),
    activities: activities ? { names: activities.map(([n]) => n), weights: activities.map(([, w]) => w) } : undefined,
  };
}

function summary(out: string, plan: Plan): string {
  const a = plan.allocation;
  const money = (minor: number) => fromMinorUnits(minor, a.minorDigits).toFixed(a.minorDigits);
  return (
    `${out}: ${plan.customers.length} customers as of ${plan.asOfText}, plan year ${plan.year}; ` +
    `budget ${money(a.budgetMinor)} = allocated ${money(a.distributableMinor - a.unallocatedMinor)} + reserve ${money(a.reserveMinor)} + unallocated ${money(a.unallocatedMinor)}\n`
  );
}

function warn(io: CliIo, plan: Plan): void {
  if (plan.rfm.warnings.rowsAfterAsOf) io.stderr(`warning: ${plan.rfm.warnings.rowsAfterAsOf} rows dated after ${plan.asOfText} were left out\n`);
  if (plan.rfm.warnings.rowsSkipped) io.stderr(`warning: ${plan.rfm.warnings.rowsSkipped} rows could not be read and were skipped\n`);
  if (plan.allocation.unallocatedMinor > 0) io.stderr('warning: every customer is at its cap; the rest is unallocated and added to the reserve\n');
  if (plan.replan) reportReplan(io, plan.replan, plan.allocation.minorDigits, 'the transactions');
}

/**
 * Scoring and lifetime values from the transactions (read by the built-in reader or by DuckDB) or
 * from --summary files; CLV only when `clvMonths` is given.
 */
async function planInput(input: string, values: ParsedOptions, io: CliIo, asOf: number | undefined, clvMonths: number | undefined, progress: Progress): Promise<PlanInput> {
  if (stringOption(values, 'summary') !== undefined) return readPlanSummaries(input, values, io, asOf, clvMonths);
  if (chooseEngine(input, values) === 'duckdb') {
    return withDuckDb(input, values, io, async (db) => {
      const end = asOf ?? (await db.latestDate('purchase'));
      const { measures, warnings } = await db.rfmMeasures(end);
      const clv = clvMonths === undefined ? undefined : lifetimeValuesFromSummary(await db.summary(end, 'days'), clvMonths);
      return { rfm: (options) => rfmFromMeasures(measures, end, warnings, options), clv };
    });
  }
  const tx = await readTransactionsFile(input, values, io, (records, fraction) => progress.update(records, fraction));
  return { rfm: (options) => computeRfm(tx, options), clv: clvMonths === undefined ? undefined : lifetimeValuesForPlan(tx, asOf, clvMonths) };
}

export const planCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs(SPEC, argv);
  if (values.help) {
    io.stdout(formatHelp(SPEC));
    return 0;
  }
  const summaryFile = stringOption(values, 'summary');
  if (summaryFile !== undefined && positionals.length > 0) throw new UsageError(t(optionsLocale(values), 'summary.noTransactions'));
  const input = summaryFile ?? oneInput(SPEC, positionals);
  const clvSummary = stringOption(values, 'clv-summary');
  if (clvSummary !== undefined && (summaryFile === undefined || values.clv !== 'bgnbd')) throw new UsageError(t(optionsLocale(values), 'summary.clvSummaryAlone'));
  const out = stringOption(values, 'out');
  if (!out) throw new UsageError("--out PLAN.xlsx is required; see 'cbp plan --help'");
  if (extname(out).toLowerCase() !== '.xlsx') throw new UsageError(`--out must name an .xlsx file, not ${out}`);
  assertNotInput(out, [input, ...(clvSummary === undefined ? [] : [clvSummary])], io.cwd);
  const options = planOptions(values);
  const locale = choiceOption(values, 'lang', ['en', 'zh-CN'] as const, 'en');
  const clvModel = choiceOption(values, 'clv', ['none', 'bgnbd'] as const, 'none');
  const clvMonths = numberOption(values, 'clv-months') ?? DEFAULT_PLAN_CLV_MONTHS;
  if (!Number.isInteger(clvMonths) || clvMonths < 1 || clvMonths > 120) throw new UsageError(`--clv-months must be a whole number of months from 1 to 120, not ${clvMonths}`);

  const spentFile = stringOption(values, 'spent');
  if (spentFile !== undefined) assertNotInput(out, [input, spentFile], io.cwd);
  const progress = new Progress(io.stderrStream, { quiet: values.quiet === true });
  try {
    progress.phase(`reading ${input}`);
    const source = await planInput(input, values, io, options.asOf, clvModel === 'bgnbd' ? clvMonths : undefined, progress);
    progress.phase('scoring and allocating');
    const spent = spentFile === undefined ? undefined : spendToDate(readActualRows(await readInputTable(spentFile, { ...fileOptions(values, io), sheet: undefined }), 'customer', spentFile, 'en', { dates: 'optional' }));
    const clv = source.clv;
    for (const warning of clv?.warnings ?? []) io.stderr(`warning: CLV: ${warning}\n`);
    const planOptionsAll: PlanOptions = { ...options, clv: clv?.byCustomer, spentToDateMinor: spent?.byCustomer, spentThrough: spent?.throughDay, language: locale === 'en' ? 'en' : 'zh' };
    const plan = planFromRfm(source.rfm(planOptionsAll), planOptionsAll);
    const extras: PlanExtras = clv ? clvExtras(plan, clv, locale) : {};
    const spec = buildPlanWorkbook(
      plan,
      { locale, existingSheetNames: [], existingTableNames: [], writtenAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), productVersion: VERSION, source: basename(input) },
      extras,
    );
    progress.phase(`writing ${out}`);
    await writeThroughTemporary(out, io.cwd, (temp) => writeSpecStreaming(spec, temp, (rows, total) => progress.update(rows, rows / total)));
    progress.done();
    io.stderr(summary(out, plan));
    warn(io, plan);
    return 0;
  } finally {
    progress.done(); // also when the command stops with an error, so its message starts on a clean line
  }
};
