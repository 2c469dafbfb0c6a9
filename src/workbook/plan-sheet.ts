/**
 * The plan sheet and its log row, as plain data (SPEC "Worksheets written"): a parameters block,
 * the per-customer plan as a table, totals with the reserve and any unallocated amount as their own
 * lines, a per-segment summary table and a chart of allocation by segment.
 */
import { Plan, PlanCustomer } from '../engine/plan';
import { marginalReturnPerCurrencyUnit } from '../engine/allocation/allocate';
import { formatIsoDate } from '../engine/dates';
import { t, Locale } from '../i18n';
import { canonicalJson, parameterHash } from './hash';
import { methodText, schemeText, scoringText, weightBasisText } from './parameter-text';
import { BlockSpec, cellAddress, ChartSpec, columnName, ConditionalFormatSpec, epochDaysFromIsoTime, SheetSpec, SpecValue, TableSpec, TotalsFunction, uniqueHeaders, uniqueSheetName, uniqueTableName, WorkbookSpec } from './spec';

export interface WriteContext {
  locale: Locale;
  existingSheetNames: readonly string[];
  existingTableNames: readonly string[];
  /** ISO time of the run (passed in, so the layout is deterministic under test). */
  writtenAt: string;
  productVersion: string;
  /** Where the data came from: a file name, a table or a range address. */
  source: string;
}

export const MONEY_FORMAT = '#,##0.00';
export const WHOLE_MONEY_FORMAT = '#,##0';
export const PERCENT_FORMAT = '0.00%';
export const SCORE_FORMAT = '0.00';
export const DATE_FORMAT = 'yyyy-mm-dd';
/** Marginal returns: small numbers where four decimals matter. */
export const RETURN_FORMAT = '0.0000';
/** Expected responses (in the value's own units, not money, but read like it). */
export const RESPONSE_FORMAT = '#,##0.00';
export const DATE_TIME_FORMAT = 'yyyy-mm-dd hh:mm:ss';

/** Where a plan sheet keeps its state (0-based): the status, approver and approval time values. */
export const PLAN_STATUS_CELL = { row: 3, col: 1 } as const;
export const PLAN_APPROVED_BY_CELL = { row: 4, col: 1 } as const;
export const PLAN_APPROVED_AT_CELL = { row: 5, col: 1 } as const;
/** The A1 range of the status block (labels and values), read by hosts to list plans and their state. */
export const PLAN_STATE_RANGE = 'A4:B6';

/** A run's time (ISO, UTC) as a date-time cell. */
export function dateTimeValue(iso: string): SpecValue {
  return { date: epochDaysFromIsoTime(iso) };
}

/** Optional columns a caller computed alongside the plan, aligned with plan.customers. */
export interface PlanExtras {
  /** Customer lifetime value per customer, and what it is (e.g. "CLV, 12 months (BG/NBD)"). */
  clv?: { values: ArrayLike<number>; label: string };
}

/** The plan's CLV column from lifetime values per customer over `months` (0 for a customer without one). */
export function clvExtras(plan: Plan, clv: { byCustomer: ReadonlyMap<string, number>; months: number }, locale: Locale): PlanExtras {
  return { clv: { values: plan.customers.map((c) => clv.byCustomer.get(c.customer) ?? 0), label: t(locale, 'plan.clvColumn', { months: clv.months }) } };
}

function major(plan: Plan, minor: number): number {
  return minor / 10 ** plan.allocation.minorDigits;
}

/** Digits after the point of amounts that are multiples of the unit: unit 1 or 100 -> 0, 0.5 -> 1, 0.01 -> 2. */
export function unitDigits(unitMinor: number, minorDigits: number): number {
  let digits = minorDigits;
  let u = unitMinor;
  while (digits > 0 && u % 10 === 0) {
    u /= 10;
    digits--;
  }
  return digits;
}

/** A money format with this many decimals: 0 -> #,##0, 2 -> #,##0.00, 3 -> #,##0.000. */
export function moneyFormat(digits: number): string {
  return digits > 0 ? `#,##0.${'0'.repeat(digits)}` : WHOLE_MONEY_FORMAT;
}

/** Allocations are multiples of the unit: as many decimals as the unit has. */
function allocationFormat(plan: Plan): string {
  return moneyFormat(unitDigits(plan.allocation.unitMinor, plan.allocation.minorDigits));
}

function formatPercent(share: number): string {
  return `${(share * 100).toFixed(2)}%`;
}

/** The optimal method's figures for one customer's explanation, per currency unit. */
export interface OptimalExplanation {
  marginalPerCurrencyUnit: number;
  lambdaPerCurrencyUnit: number;
}

/** Why a customer got its amount, in the user's language. */
export function explainCustomer(c: PlanCustomer, locale: Locale, optimal?: OptimalExplanation, minorDigits = 2): string {
  const weight = c.weight.toFixed(2);
  if (c.atBound === 'floor' && (c.spentToDateMinor ?? 0) > 0) return t(locale, 'explain.spent', { spent: ((c.spentToDateMinor as number) / 10 ** minorDigits).toFixed(minorDigits) });
  if (optimal) {
    const figures = { weight, marginal: formatReturn(optimal.marginalPerCurrencyUnit), lambda: formatReturn(optimal.lambdaPerCurrencyUnit) };
    return t(locale, `explain.optimal.${c.atBound || 'free'}`, figures);
  }
  if (c.atBound === 'floor') return t(locale, 'explain.floor', { weight });
  if (c.atBound === 'cap') return t(locale, 'explain.cap', { weight });
  if (c.atBound === 'segment') return t(locale, 'explain.segment', { weight, share: formatPercent(c.share) });
  return t(locale, 'explain.free', { weight, share: formatPercent(c.share) });
}

/** A return per currency unit with four significant digits (0.01234, 1.234). */
function formatReturn(value: number): string {
  return value === 0 ? '0' : Number(value.toPrecision(4)).toString();
}

function activityLabel(name: string, locale: Locale): string {
  const key = `activity.${name}`;
  const label = t(locale, key);
  return label === key ? name : label;
}

/** What a re-plan started from, in the user's language. */
function replanText(plan: Plan, locale: Locale): string {
  const replan = plan.replan as NonNullable<Plan['replan']>;
  const figures = { customers: replan.customersWithSpend, spent: major(plan, replan.spentMinor).toFixed(plan.allocation.minorDigits) };
  const through = plan.options.spentThrough;
  return through === undefined ? t(locale, 'plan.replan.value', figures) : t(locale, 'plan.replan.through', { ...figures, date: formatIsoDate(through) });
}

/** The parameters a plan was made with, as recorded in the sheet and the log. */
export function planParameters(plan: Plan, context: WriteContext): Record<string, unknown> {
  const o = plan.options;
  return {
    budget: o.budget,
    reserve: o.reserve ?? 0,
    unit: o.unit ?? 0.01,
    method: o.method ?? 'proportional',
    weightBasis: o.weightBasis ?? 'score',
    weights: o.weights ?? [1, 1, 1],
    bins: o.thresholds ? undefined : (o.bins ?? 5),
    thresholds: o.thresholds,
    scheme: typeof o.scheme === 'string' || o.scheme === undefined ? (o.scheme ?? 'rfm10') : 'custom',
    floor: o.floor,
    cap: o.cap,
    segmentShares: o.segmentShares,
    saturation: o.saturation,
    response: o.method === 'optimal' ? (o.response ?? 'exp') : undefined,
    segmentMinShare: o.segmentMinShare,
    segmentMaxShare: o.segmentMaxShare,
    periods: o.periods ?? 'months',
    periodWeights: o.periodWeights,
    activities: o.activities,
    asOf: plan.asOfText,
    spentThrough: o.spentThrough !== undefined ? formatIsoDate(o.spentThrough) : undefined,
    year: plan.year,
    source: context.source,
  };
}

/** The plan sheet plus a log sheet row (SheetSpec with appendTo when the log exists). */
export function buildPlanWorkbook(plan: Plan, context: WriteContext, extras: PlanExtras = {}): WorkbookSpec {
  if (extras.clv && extras.clv.values.length !== plan.customers.length) throw new Error(`CLV values for ${extras.clv.values.length} customers, but the plan has ${plan.customers.length}`);
  const L = context.locale;
  const a = plan.allocation;
  const money = MONEY_FORMAT;
  const allocationMoney = allocationFormat(plan);
  const parameters = planParameters(plan, context);
  const hash = parameterHash(parameters);
  const sheetName = uniqueSheetName(t(L, 'sheet.plan'), context.existingSheetNames);
  const tableNames = [...context.existingTableNames];
  const planTable = uniqueTableName('CBP_Plan', tableNames);
  tableNames.push(planTable);
  const summaryTable = uniqueTableName('CBP_Segments', tableNames);
  tableNames.push(summaryTable);

  const o = plan.options;
  const paramRows: [string, SpecValue, string | null][] = [
    [t(L, 'plan.status'), t(L, 'plan.status.draft'), null],
    [t(L, 'plan.approvedBy'), '', null],
    [t(L, 'plan.approvedAt'), '', DATE_TIME_FORMAT],
    [t(L, 'plan.budget'), major(plan, a.budgetMinor), money],
    [t(L, 'plan.reserveRate'), o.reserve ?? 0, PERCENT_FORMAT],
    [t(L, 'plan.distributable'), major(plan, a.distributableMinor), money],
    // Displayed in the user's language; the code words stay in `parameters` (the log and the hash).
    [t(L, 'plan.method'), methodText(a.method, L), null],
    [t(L, 'plan.unit'), o.unit ?? 0.01, null],
    [t(L, 'plan.weightBasis'), weightBasisText(String(parameters.weightBasis), L), null],
    [t(L, 'plan.weights'), (o.weights ?? [1, 1, 1]).join(', '), null],
    [t(L, 'plan.scoring'), scoringText(o, L), null],
    [t(L, 'plan.segments'), schemeText(String(parameters.scheme), L), null],
    [t(L, 'plan.floorCap'), `${o.floor ?? '-'} / ${o.cap ?? '-'}`, null],
    ...(plan.replan ? [[t(L, 'plan.replan'), replanText(plan, L), null] as [string, SpecValue, string | null]] : []),
    [t(L, 'plan.asOf'), { date: plan.asOf }, DATE_FORMAT],
    [t(L, 'plan.year'), plan.year, '0'],
    [t(L, 'plan.source'), context.source, null],
    [t(L, 'plan.writtenAt'), dateTimeValue(context.writtenAt), DATE_TIME_FORMAT],
    [t(L, 'plan.version'), context.productVersion, null],
    [t(L, 'plan.hash'), hash, null],
  ];
  const blocks: BlockSpec[] = [
    { row: 0, col: 0, values: [[t(L, 'plan.title')]], bold: true },
    { row: 2, col: 0, values: [[t(L, 'plan.parameters')]], bold: true },
  ];
  paramRows.forEach(([label, value, format], k) => {
    blocks.push({ row: 3 + k, col: 0, values: [[label, value]], numberFormats: [null, format] });
  });

  // Segment summary beside the parameters, with a chart beside it.
  const summaryRow = 3;
  const summaryCol = 3;
  blocks.push({ row: summaryRow - 1, col: summaryCol, values: [[t(L, 'plan.segmentSummary')]], bold: true });
  const summary: TableSpec = {
    name: summaryTable,
    row: summaryRow,
    col: summaryCol,
    header: [t(L, 'col.segment'), t(L, 'col.customers'), t(L, 'col.allocation'), t(L, 'col.share')],
    rows: plan.segments.map((s) => [s.segment, s.customers, major(plan, s.amountMinor), s.share]),
    numberFormats: [null, '0', allocationMoney, PERCENT_FORMAT],
    style: 'TableStyleLight9',
    totalsRow: false,
  };
  const summaryFirst = summaryRow + 1;
  const summaryLast = summaryRow + plan.segments.length;
  const chart: ChartSpec = {
    type: 'bar',
    title: t(L, 'plan.chartTitle'),
    categories: `${cellAddress(summaryFirst, summaryCol)}:${cellAddress(summaryLast, summaryCol)}`,
    values: `${cellAddress(summaryFirst, summaryCol + 2)}:${cellAddress(summaryLast, summaryCol + 2)}`,
    anchor: cellAddress(summaryRow - 1, summaryCol + 5),
    substituteNote: t(L, 'plan.chartNote'),
  };

  // Totals: allocated + reserve + unallocated = budget, each its own line.
  const totalsRow = Math.max(3 + paramRows.length, summaryLast + 1) + 1;
  const allocatedMinor = a.distributableMinor - a.unallocatedMinor;
  blocks.push({ row: totalsRow, col: 0, values: [[t(L, 'plan.totals')]], bold: true });
  const totals: [string, number][] = [
    [t(L, 'plan.allocated'), major(plan, allocatedMinor)],
    [t(L, 'plan.reserve'), major(plan, a.reserveMinor)],
    [t(L, 'plan.unallocated'), major(plan, a.unallocatedMinor)],
    [t(L, 'plan.budget'), major(plan, a.budgetMinor)],
  ];
  totals.forEach(([label, value], k) => blocks.push({ row: totalsRow + 1 + k, col: 0, values: [[label, value]], numberFormats: [null, money] }));

  // Optimal method: what the next unit of budget returns, and the gain over a proportional split.
  const optimal = a.optimal;
  const optimalRows: [string, SpecValue, string | null][] = optimal
    ? [
        [t(L, 'plan.response'), t(L, `plan.response.${optimal.curve}`, { saturation: o.saturation ?? '' }), null],
        [t(L, 'plan.lambda'), optimal.lambdaPerCurrencyUnit, RETURN_FORMAT],
        [t(L, 'plan.totalResponse'), optimal.totalResponse, RESPONSE_FORMAT],
        [t(L, 'plan.proportionalResponse'), optimal.proportionalResponse, RESPONSE_FORMAT],
        [t(L, 'plan.responseGain'), optimal.gainOverProportional ?? '', PERCENT_FORMAT],
      ]
    : [];
  const optimalRow = totalsRow + totals.length + 2;
  if (optimal) {
    blocks.push({ row: optimalRow, col: 0, values: [[t(L, 'plan.optimal')]], bold: true });
    optimalRows.forEach(([label, value, format], k) => blocks.push({ row: optimalRow + 1 + k, col: 0, values: [[label, value]], numberFormats: [null, format] }));
  }

  // The per-customer plan table.
  const tableRow = optimal ? optimalRow + optimalRows.length + 2 : totalsRow + totals.length + 2;
  const explanationOf = (c: PlanCustomer, i: number) =>
    explainCustomer(c, L, optimal && { marginalPerCurrencyUnit: marginalReturnPerCurrencyUnit(a, i), lambdaPerCurrencyUnit: optimal.lambdaPerCurrencyUnit }, a.minorDigits);
  const replan = plan.replan;
  const clv = extras.clv;
  const header = uniqueHeaders([
    t(L, 'col.customer'),
    t(L, 'col.segment'),
    t(L, 'col.tier'),
    t(L, 'col.recency'),
    t(L, 'col.frequency'),
    t(L, 'col.monetary'),
    t(L, 'col.r'),
    t(L, 'col.f'),
    t(L, 'col.m'),
    t(L, 'col.score'),
    ...(clv ? [clv.label] : []),
    t(L, 'col.weight'),
    t(L, 'col.allocation'),
    t(L, 'col.share'),
    t(L, 'col.atBound'),
    t(L, 'col.explanation'),
    ...(optimal ? [t(L, 'col.marginalReturn'), t(L, 'col.expectedResponse')] : []),
    ...(replan ? [t(L, 'col.spentToDate'), t(L, 'col.remaining')] : []),
    ...plan.periodNames,
    ...plan.activityNames.map((n) => activityLabel(n, L)),
  ], t(L, 'col.blank'));
  const rows: SpecValue[][] = plan.customers.map((c, i) => [
    c.customer,
    c.segment,
    c.tier,
    c.recencyDays,
    c.frequency,
    c.monetary,
    c.r,
    c.f,
    c.m,
    c.score,
    ...(clv ? [clv.values[i]] : []),
    c.weight,
    major(plan, c.amountMinor),
    c.share,
    c.atBound ? t(L, `bound.${c.atBound}`) : '',
    explanationOf(c, i),
    ...(optimal ? [marginalReturnPerCurrencyUnit(a, i), optimal.expectedResponse[i]] : []),
    ...(replan ? [major(plan, c.spentToDateMinor ?? 0), major(plan, c.amountMinor - (c.spentToDateMinor ?? 0))] : []),
    ...Array.from(c.periodsMinor, (v) => major(plan, v)),
    ...Array.from(c.activitiesMinor, (v) => major(plan, v)),
  ]);
  const numberFormats: (string | null)[] = [
    null, null, null, '0', '0', MONEY_FORMAT, '0', '0', '0', SCORE_FORMAT, ...(clv ? [MONEY_FORMAT] : []), SCORE_FORMAT, allocationMoney, PERCENT_FORMAT, null, null,
    ...(optimal ? [RETURN_FORMAT, RESPONSE_FORMAT] : []),
    ...(replan ? [MONEY_FORMAT, MONEY_FORMAT] : []),
    ...plan.periodNames.map(() => MONEY_FORMAT),
    ...plan.activityNames.map(() => MONEY_FORMAT),
  ];
  // Sums where a sum means something: money and shares; not scores, days or counts.
  const totalsFunctions: TotalsFunction[] = [
    'none', 'none', 'none', 'none', 'none', 'sum', 'none', 'none', 'none', 'none', ...(clv ? ['sum' as const] : []), 'none', 'sum', 'sum', 'none', 'none',
    ...(optimal ? ['none' as const, 'sum' as const] : []),
    ...(replan ? ['sum' as const, 'sum' as const] : []),
    ...plan.periodNames.map(() => 'sum' as const),
    ...plan.activityNames.map(() => 'sum' as const),
  ];
  const table: TableSpec = { name: planTable, row: tableRow, col: 0, header, rows, numberFormats, style: 'TableStyleMedium2', totalsRow: true, totalsLabel: t(L, 'plan.totalRow'), totalsFunctions };
  const allocationCol = columnName(clv ? 12 : 11);
  const conditionalFormats: ConditionalFormatSpec[] = [
    { type: 'dataBar', range: `${allocationCol}${tableRow + 2}:${allocationCol}${tableRow + 1 + rows.length}`, color: '2E75B6' },
    { type: 'dataBar', range: `${columnName(summaryCol + 2)}${summaryFirst + 1}:${columnName(summaryCol + 2)}${summaryLast + 1}`, color: '70AD47' },
  ];
  const planSheet: SheetSpec = {
    name: sheetName,
    blocks,
    tables: [summary, table],
    conditionalFormats,
    charts: plan.segments.length ? [chart] : [],
    columnWidths: [34, 18, 6, 14, 10, 12, 4, 4, 4, 8, ...(clv ? [14] : []), 8, 12, 9, 10, 44, ...(optimal ? [12, 12] : []), ...(replan ? [12, 12] : []), ...plan.periodNames.map(() => 11), ...plan.activityNames.map(() => 11)],
    freezeRows: 0,
  };
  const logTotals = { budget: major(plan, a.budgetMinor), allocated: major(plan, allocatedMinor), reserve: major(plan, a.reserveMinor), unallocated: major(plan, a.unallocatedMinor), customers: plan.customers.length };
  return { sheets: [planSheet, logSheet(context, 'log.action.plan', parameters, hash, sheetName, logTotals)] };
}

export const LOG_TABLE = 'CBP_Log';

/** One log row; hosts append it to the log table when the log sheet already exists. */
export function logSheet(context: WriteContext, actionKey: string, parameters: unknown, hash: string, sheetName: string, totals: Record<string, number>): SheetSpec {
  const L = context.locale;
  const name = t(L, 'sheet.log');
  return {
    name,
    blocks: [],
    tables: [
      {
        name: LOG_TABLE,
        row: 0,
        col: 0,
        header: [t(L, 'log.time'), t(L, 'log.action'), t(L, 'log.sheet'), t(L, 'log.parameters'), t(L, 'log.hash'), t(L, 'log.version'), t(L, 'log.totals')],
        rows: [[dateTimeValue(context.writtenAt), t(L, actionKey), sheetName, canonicalJson(parameters), hash, context.productVersion, canonicalJson(totals)]],
        numberFormats: [DATE_TIME_FORMAT, null, null, null, null, null, null],
        style: 'TableStyleLight1',
      },
    ],
    conditionalFormats: [],
    charts: [],
    columnWidths: [22, 16, 18, 60, 18, 10, 60],
    // The log table is found by its name, wherever it is (a log begun in the other language included).
    appendTo: context.existingTableNames.some((n) => n.toLowerCase() === LOG_TABLE.toLowerCase()) || context.existingSheetNames.includes(name) ? { sheetName: name, tableName: LOG_TABLE } : undefined,
  };
}
