/** `cbp plan`: transactions in, a budget plan workbook (.xlsx) out. */
import ExcelJS from 'exceljs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { rename, unlink } from 'node:fs/promises';
import { computePlan, PeriodKind, WeightBasis } from '../../engine/plan';
import { AllocationMethod } from '../../engine/allocation/allocate';
import { SegmentScheme } from '../../engine/rfm';
import { fromMinorUnits } from '../../engine/money';
import { buildPlanWorkbook } from '../../workbook/plan-sheet';
import { saveWorkbookAtomically, writeSpecToWorkbook } from '../../hosts/xlsx/write';
import { writeSpecStreaming } from '../../hosts/xlsx/write-streaming';
import { Command, UsageError } from '../io';
import { assertNotInput } from '../output';
import { choiceOption, CommandSpec, formatHelp, namedNumbersOption, numberListOption, numberOption, oneInput, OUTPUT_OPTIONS, parseCommandArgs, stringOption, TRANSACTION_COLUMN_OPTIONS } from '../options';
import { asOfOption, readTransactionsFile } from './transactions-input';
import { VERSION } from '../version';

const SPEC: CommandSpec = {
  name: 'plan',
  usage: 'cbp plan TRANSACTIONS.(csv|xlsx) --budget B --out PLAN.xlsx [options]',
  summary: [
    'Scores every customer (RFM), allocates the budget exactly (after the reserve, within floors and caps,',
    'in multiples of the unit), phases each amount over the months or quarters of the plan year and splits',
    'it across activities, and writes a plan workbook: parameters, the per-customer plan as an Excel table,',
    'totals with the reserve and any unallocated amount on their own lines, a summary by segment, and a log.',
  ].join('\n'),
  options: [
    { name: 'budget', type: 'string', value: 'B', help: 'total budget (required)' },
    { name: 'reserve', type: 'string', value: 'FRACTION', help: 'contingency reserve held back, 0 <= r < 1 (default 0)' },
    { name: 'unit', type: 'string', value: 'U', help: 'rounding unit of each allocation (default 0.01)' },
    { name: 'method', type: 'string', value: 'M', help: 'proportional (default), equal or shares' },
    { name: 'weight-basis', type: 'string', value: 'B', help: 'weight per customer: score (default), monetary or equal' },
    { name: 'floor', type: 'string', value: 'N', help: 'minimum per customer' },
    { name: 'cap', type: 'string', value: 'N', help: 'maximum per customer' },
    { name: 'shares', type: 'string', value: 'SEG=S,...', help: 'segment shares for --method shares' },
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
    { name: 'lang', type: 'string', value: 'en|zh-CN', help: 'language of the sheet (default en)' },
    ...TRANSACTION_COLUMN_OPTIONS,
    ...OUTPUT_OPTIONS.filter((o) => o.name !== 'format'),
  ],
  examples: [
    'cbp plan samples/sample.xlsx --budget 500000 --out plan.xlsx',
    'cbp plan samples/sample-zh.xlsx --budget 500000 --reserve 0.05 --unit 100 --lang zh-CN --out 预算方案.xlsx',
    'cbp plan tx.csv --budget 1200000 --periods quarters --period-weights 1,1,1,2 --activities visits=0.5,gifts=0.5 --out plan.xlsx',
  ],
};

/** Plans with more customers than this are streamed (ExcelJS holds about 1 KB per cell in memory). */
export const STREAMING_THRESHOLD_CUSTOMERS = 20_000;

export const planCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs(SPEC, argv);
  if (values.help) {
    io.stdout(formatHelp(SPEC));
    return 0;
  }
  const input = oneInput(SPEC, positionals);
  const out = stringOption(values, 'out');
  if (!out) throw new UsageError("--out PLAN.xlsx is required; see 'cbp plan --help'");
  if (extname(out).toLowerCase() !== '.xlsx') throw new UsageError(`--out must name an .xlsx file, not ${out}`);
  assertNotInput(out, [input], io.cwd);
  const budget = numberOption(values, 'budget');
  if (budget === undefined) throw new UsageError('--budget is required, e.g. --budget 500000');
  const r = numberListOption(values, 'thresholds-r');
  const f = numberListOption(values, 'thresholds-f');
  const m = numberListOption(values, 'thresholds-m');
  if ((r || f || m) && !(r && f && m)) throw new UsageError('thresholds mode needs all three of --thresholds-r, --thresholds-f and --thresholds-m');
  const weights = numberListOption(values, 'weights');
  if (weights && weights.length !== 3) throw new UsageError('--weights takes three numbers for R, F and M');
  const activities = namedNumbersOption(values, 'activities');
  const shares = namedNumbersOption(values, 'shares');
  const locale = choiceOption(values, 'lang', ['en', 'zh-CN'] as const, 'en');
  const tx = await readTransactionsFile(input, values, io.cwd);
  const plan = computePlan(tx, {
    budget,
    reserve: numberOption(values, 'reserve'),
    unit: numberOption(values, 'unit'),
    method: choiceOption(values, 'method', ['proportional', 'equal', 'shares'] as const, 'proportional') as AllocationMethod,
    weightBasis: choiceOption(values, 'weight-basis', ['score', 'monetary', 'equal'] as const, 'score') as WeightBasis,
    floor: numberOption(values, 'floor'),
    cap: numberOption(values, 'cap'),
    segmentShares: shares ? Object.fromEntries(shares) : undefined,
    asOf: asOfOption(values),
    bins: numberOption(values, 'bins'),
    thresholds: r && f && m ? { recencyDays: r, frequency: f, monetary: m } : undefined,
    weights: weights as [number, number, number] | undefined,
    scheme: choiceOption(values, 'segments', ['rfm10', 'rfm8'] as const, 'rfm10') as SegmentScheme,
    language: locale === 'en' ? 'en' : 'zh',
    periods: choiceOption(values, 'periods', ['months', 'quarters'] as const, 'months') as PeriodKind,
    year: numberOption(values, 'year'),
    periodWeights: numberListOption(values, 'period-weights'),
    activities: activities ? { names: activities.map(([n]) => n), weights: activities.map(([, w]) => w) } : undefined,
  });
  const spec = buildPlanWorkbook(plan, {
    locale,
    existingSheetNames: [],
    existingTableNames: [],
    writtenAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    productVersion: VERSION,
    source: basename(input),
  });
  const target = resolve(io.cwd, out);
  if (plan.customers.length > STREAMING_THRESHOLD_CUSTOMERS) {
    // Above this size ExcelJS's in-memory writer needs gigabytes; stream instead (no Excel table object).
    const temp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
    try {
      await writeSpecStreaming(spec, temp);
      await rename(temp, target);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    io.stderr(`note: ${plan.customers.length} customers is more than ${STREAMING_THRESHOLD_CUSTOMERS}: the plan is a filtered range, not an Excel table\n`);
  } else {
    const workbook = new ExcelJS.Workbook();
    workbook.creator = 'Customer Budget Planner';
    await writeSpecToWorkbook(workbook, spec);
    await saveWorkbookAtomically(workbook, target);
  }
  const a = plan.allocation;
  const money = (minor: number) => fromMinorUnits(minor, a.minorDigits).toFixed(a.minorDigits);
  io.stderr(
    `${out}: ${plan.customers.length} customers as of ${plan.asOfText}, plan year ${plan.year}; ` +
      `budget ${money(a.budgetMinor)} = allocated ${money(a.distributableMinor - a.unallocatedMinor)} + reserve ${money(a.reserveMinor)} + unallocated ${money(a.unallocatedMinor)}\n`,
  );
  if (plan.rfm.warnings.rowsAfterAsOf) io.stderr(`warning: ${plan.rfm.warnings.rowsAfterAsOf} rows dated after ${plan.asOfText} were left out\n`);
  if (plan.rfm.warnings.rowsSkipped) io.stderr(`warning: ${plan.rfm.warnings.rowsSkipped} rows could not be read and were skipped\n`);
  return 0;
};
