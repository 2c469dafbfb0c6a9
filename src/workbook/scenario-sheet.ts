/**
 * The scenario sheet as plain data (issue 6, item 4): the same plan at several budgets (e.g. 90 %,
 * 100 %, 110 %) side by side per segment, with the reserve and unallocated amount, the budget and,
 * for the optimal method, the total expected response, the gain over a proportional split and the
 * marginal return of the next currency unit at each budget; then the response-versus-budget curve
 * as a table at an even grid of budgets. Every number comes from the engine (analyseScenarios);
 * this module only converts minor units to major units and lays the numbers out.
 *
 * Charts: the curve is also given as a chart spec (response by budget). Hosts that cannot draw
 * charts (.xlsx written with ExcelJS) show its title and a note at its place, and a data bar on the
 * response column; the table itself is the curve.
 */
import { ResponseCurve, toMajor } from '../engine/allocation/allocate';
import { InfeasibleScenario, ScenarioAnalysis } from '../engine/allocation/scenarios';
import { EpochDays, formatIsoDate } from '../engine/dates';
import type { Plan } from '../engine/plan';
import { Locale, t } from '../i18n';
import { AmountOrColumn, amountOrColumnText, methodText, responseText, segmentSharesText } from './parameter-text';
import { DATE_TIME_FORMAT, dateTimeValue, moneyFormat, PERCENT_FORMAT, RESPONSE_FORMAT, RETURN_FORMAT, unitDigits, WriteContext } from './plan-sheet';
import { BlockSpec, cellAddress, ChartSpec, SheetSpec, SpecValue, TableSpec, TotalsFunction, uniqueHeaders, uniqueSheetName, uniqueTableName, WorkbookSpec } from './spec';

/** What the scenarios' spend to date was (a re-plan): customers with spend, their spend and the last day it covers. */
export interface ScenarioSpendToDate {
  customers: number;
  /** Minor units. */
  spentMinor: number;
  through?: EpochDays;
}

/**
 * What the sheet records besides the analysis, so the scenarios can be run again. Every field but
 * `analysis` and `reserve` is optional: what is not given is read from the analysis where it can be
 * (the response curve; floors and caps when they are one amount for every row), else shown as "-".
 */
export interface ScenarioSheetInput {
  analysis: ScenarioAnalysis;
  /** The reserve rate the scenarios were run with (0 when none). */
  reserve: number;
  /** optimal: the saturation spend, one amount for every row or the name of the column it came from. */
  saturation?: AmountOrColumn;
  /** optimal: the response curve (default: the one the allocation used). */
  response?: ResponseCurve;
  /** optimal: minimum and maximum share of the distributable budget per segment (0..1). */
  segmentMinShare?: Readonly<Record<string, number>>;
  segmentMaxShare?: Readonly<Record<string, number>>;
  /** shares: share of the distributable budget per segment (0..1). */
  segmentShares?: Readonly<Record<string, number>>;
  /** Floor and cap per row as given: one amount for every row, or the name of the column. */
  floor?: AmountOrColumn;
  cap?: AmountOrColumn;
  /** Set when the scenarios were re-planned from spend to date (spend to date as floors). */
  spentToDate?: ScenarioSpendToDate;
}

/** The parameters a plan's scenarios were run with (everything of ScenarioSheetInput but the analysis). */
export function scenarioParametersOfPlan(plan: Plan): Omit<ScenarioSheetInput, 'analysis'> {
  const o = plan.options;
  return {
    reserve: o.reserve ?? 0,
    saturation: o.saturation,
    response: o.response,
    segmentMinShare: o.segmentMinShare,
    segmentMaxShare: o.segmentMaxShare,
    segmentShares: o.segmentShares,
    floor: o.floor,
    cap: o.cap,
    spentToDate: plan.replan ? { customers: plan.replan.customersWithSpend, spentMinor: plan.replan.spentMinor, through: o.spentThrough } : undefined,
  };
}

export const MULTIPLIER_FORMAT = '0.0%';

/** 0.9 -> "90", 1.125 -> "112.5" (no floating-point noise). */
export function multiplierPercent(multiplier: number): string {
  return String(Number((multiplier * 100).toPrecision(10)));
}

/**
 * A floor or cap as given, else as the allocation applied it: one amount for every row, "varies by
 * row", or "-" for none (floors of 0, caps of Infinity).
 */
function boundText(given: AmountOrColumn | undefined, units: ArrayLike<number> | undefined, none: number, a: ScenarioAnalysis, locale: Locale): string {
  if (given !== undefined || units === undefined || units.length === 0) return amountOrColumnText(given, locale);
  const first = units[0];
  for (let i = 1; i < units.length; i++) if (units[i] !== first) return t(locale, 'param.perRow');
  return first === none ? '-' : String(toMajor(a, first * a.unitMinor));
}

function spentToDateText(spent: ScenarioSpendToDate | undefined, a: ScenarioAnalysis, locale: Locale): string {
  if (!spent) return t(locale, 'scenario.replan.no');
  const figures = { customers: spent.customers, spent: toMajor(a, spent.spentMinor).toFixed(a.minorDigits) };
  return spent.through === undefined ? t(locale, 'scenario.replan.value', figures) : t(locale, 'scenario.replan.through', { ...figures, date: formatIsoDate(spent.through) });
}

/**
 * Why a scenario's budget cannot be allocated, in the user's language: the floors against what the
 * budget leaves to distribute when they are the cause, else the engine's own reason.
 */
export function infeasibleReasonText(scenario: InfeasibleScenario, minorDigits: number, locale: Locale): string {
  const money = (minor: number) => toMajor({ minorDigits }, minor).toFixed(minorDigits);
  if (scenario.floors) return t(locale, 'scenario.infeasible.floors', { floors: money(scenario.floors.floorsMinor), available: money(scenario.floors.distributableMinor) });
  return t(locale, 'scenario.infeasible.other', { reason: scenario.message });
}

export function buildScenarioWorkbook(input: ScenarioSheetInput, context: WriteContext): WorkbookSpec {
  const L = context.locale;
  const a = input.analysis;
  const major = (minor: number) => toMajor(a, minor);
  const budgetMoney = moneyFormat(a.minorDigits);
  const allocationMoney = moneyFormat(unitDigits(a.unitMinor, a.minorDigits));
  const sheetName = uniqueSheetName(t(L, 'sheet.scenarios'), context.existingSheetNames);
  const tableNames = [...context.existingTableNames];
  const scenarioTable = uniqueTableName('CBP_Scenarios', tableNames);
  tableNames.push(scenarioTable);
  const curveTable = uniqueTableName('CBP_ResponseCurve', tableNames);
  const optimal = a.method === 'optimal' && a.scenarios.every((s) => s.totalResponse !== undefined);

  // Parameters: everything needed to run the scenarios again, in the user's language.
  const base = a.scenarios[0]?.result;
  const bounds = `${boundText(input.floor, base?.floorUnits, 0, a, L)} / ${boundText(input.cap, base?.capUnits, Infinity, a, L)}`;
  const response = input.response ?? base?.optimal?.curve ?? 'exp';
  const optimalRows: [string, SpecValue, string | null][] =
    a.method === 'optimal'
      ? [
          [t(L, 'plan.response'), responseText(response, L), null],
          [t(L, 'param.saturation'), typeof input.saturation === 'number' ? input.saturation : amountOrColumnText(input.saturation, L), null],
          [t(L, 'param.segmentMinShare'), segmentSharesText(input.segmentMinShare, L), null],
          [t(L, 'param.segmentMaxShare'), segmentSharesText(input.segmentMaxShare, L), null],
        ]
      : [];
  const paramRows: [string, SpecValue, string | null][] = [
    [t(L, 'plan.method'), methodText(a.method, L), null],
    [t(L, 'scenario.baseBudget'), a.baseBudget, budgetMoney],
    [t(L, 'plan.reserveRate'), input.reserve, PERCENT_FORMAT],
    [t(L, 'plan.unit'), major(a.unitMinor), null],
    [t(L, 'plan.floorCap'), bounds, null],
    ...(a.method === 'shares' ? [[t(L, 'param.segmentShares'), segmentSharesText(input.segmentShares, L), null] as [string, SpecValue, string | null]] : []),
    ...optimalRows,
    [t(L, 'plan.replan'), spentToDateText(input.spentToDate, a, L), null],
    [t(L, 'scenario.multipliers'), a.multipliers.map((m) => `${multiplierPercent(m)}%`).join(', '), null],
    [t(L, 'plan.source'), context.source, null],
    [t(L, 'plan.writtenAt'), dateTimeValue(context.writtenAt), DATE_TIME_FORMAT],
    [t(L, 'plan.version'), context.productVersion, null],
  ];
  const blocks: BlockSpec[] = [
    { row: 0, col: 0, values: [[t(L, 'scenario.title')]], bold: true },
    { row: 2, col: 0, values: [[t(L, 'plan.parameters')]], bold: true },
  ];
  paramRows.forEach(([label, value, format], k) => blocks.push({ row: 3 + k, col: 0, values: [[label, value]], numberFormats: [null, format] }));

  // Segments side by side per budget multiplier, with the totals row (allocated to customers).
  const tableRow = 3 + paramRows.length + 2;
  blocks.push({ row: tableRow - 1, col: 0, values: [[t(L, 'scenario.bySegment')]], bold: true });
  const segmentName = (group: string) => (group !== '' ? group : a.grouped ? t(L, 'scenario.blank') : t(L, 'scenario.allCustomers'));
  const scenarioColumns = a.scenarios.map((s) => t(L, 'scenario.column', { pct: multiplierPercent(s.multiplier) }));
  const table: TableSpec = {
    name: scenarioTable,
    row: tableRow,
    col: 0,
    header: uniqueHeaders([t(L, 'col.segment'), t(L, 'col.customers'), ...scenarioColumns]),
    rows: a.groups.map((g) => [segmentName(g.group), g.customers, ...a.scenarios.map((s) => major(s.byGroup.get(g.group) ?? 0))]),
    numberFormats: [null, '0', ...a.scenarios.map(() => allocationMoney)],
    style: 'TableStyleMedium2',
    totalsRow: true,
    totalsLabel: t(L, 'plan.allocated'),
    totalsFunctions: ['none', 'sum', ...a.scenarios.map((): TotalsFunction => 'sum')],
  };

  // Lines under the table, aligned with the scenario columns: allocated (totals row) + held back = budget.
  const linesRow = tableRow + table.rows.length + 2;
  const lines: [string, (number | undefined)[], string][] = [
    [t(L, 'scenario.heldBack'), a.scenarios.map((s) => major(s.heldBackMinor)), budgetMoney],
    [t(L, 'scenario.budget'), a.scenarios.map((s) => major(s.result.budgetMinor)), budgetMoney],
  ];
  if (optimal) {
    lines.push(
      [t(L, 'scenario.totalResponse'), a.scenarios.map((s) => s.totalResponse), RESPONSE_FORMAT],
      [t(L, 'scenario.proportionalResponse'), a.scenarios.map((s) => s.proportionalResponse), RESPONSE_FORMAT],
      [t(L, 'scenario.gain'), a.scenarios.map((s) => s.responseGain), RESPONSE_FORMAT],
      [t(L, 'scenario.gainPct'), a.scenarios.map((s) => s.responseGainRatio), PERCENT_FORMAT],
      [t(L, 'scenario.lambda'), a.scenarios.map((s) => s.lambdaPerCurrencyUnit), RETURN_FORMAT],
    );
  }
  lines.forEach(([label, values, format], k) =>
    blocks.push({ row: linesRow + k, col: 0, values: [[label, null, ...values.map((v) => v ?? null)]], numberFormats: [null, null, ...values.map(() => format)] }),
  );

  // Budgets that cannot be allocated: one row each, with the reason; the others are above.
  let nextRow = linesRow + lines.length + 1;
  if (a.infeasible.length) {
    blocks.push({ row: nextRow, col: 0, values: [[t(L, 'scenario.infeasibleTitle')]], bold: true });
    blocks.push({ row: nextRow + 1, col: 0, values: [[t(L, 'scenario.multiplier'), null, t(L, 'scenario.budget'), t(L, 'scenario.status'), t(L, 'scenario.reason')]], bold: true });
    a.infeasible.forEach((s, k) =>
      blocks.push({
        row: nextRow + 2 + k,
        col: 0,
        values: [[t(L, 'scenario.column', { pct: multiplierPercent(s.multiplier) }), null, s.budget, t(L, 'scenario.infeasible'), infeasibleReasonText(s, a.minorDigits, L)]],
        numberFormats: [null, null, budgetMoney, null, null],
      }),
    );
    nextRow += 2 + a.infeasible.length + 1;
  }

  // The response-versus-budget curve.
  const curveTitleRow = nextRow;
  blocks.push({ row: curveTitleRow, col: 0, values: [[t(L, 'scenario.curve')]], bold: true });
  blocks.push({ row: curveTitleRow + 1, col: 0, values: [[t(L, optimal && a.curve.length > 0 ? 'scenario.curveNote' : 'scenario.noCurve')]] });
  const tables: TableSpec[] = [table];
  const charts: ChartSpec[] = [];
  if (optimal && a.curve.length > 0) {
    const curveRow = curveTitleRow + 2;
    tables.push({
      name: curveTable,
      row: curveRow,
      col: 0,
      header: [
        t(L, 'scenario.multiplier'),
        t(L, 'scenario.budget'),
        t(L, 'scenario.allocated'),
        t(L, 'scenario.totalResponse'),
        t(L, 'scenario.proportionalResponse'),
        t(L, 'scenario.gain'),
        t(L, 'scenario.lambda'),
        t(L, 'scenario.incremental'),
        t(L, 'scenario.isScenario'),
      ],
      rows: a.curve.map((p) => [p.multiplier, p.budget, major(p.allocatedMinor), p.totalResponse, p.proportionalResponse, p.responseGain, p.marginalReturn, p.incrementalReturn ?? null, p.isScenario ? '✓' : '']),
      numberFormats: [MULTIPLIER_FORMAT, budgetMoney, allocationMoney, RESPONSE_FORMAT, RESPONSE_FORMAT, RESPONSE_FORMAT, RETURN_FORMAT, RETURN_FORMAT, null],
      style: 'TableStyleLight9',
      totalsRow: false,
    });
    const first = curveRow + 1;
    const last = curveRow + a.curve.length;
    charts.push({
      type: 'column',
      title: t(L, 'scenario.chartTitle'),
      categories: `${cellAddress(first, 1)}:${cellAddress(last, 1)}`,
      values: `${cellAddress(first, 3)}:${cellAddress(last, 3)}`,
      anchor: cellAddress(curveRow, 10),
      substituteNote: t(L, 'scenario.chartNote'),
    });
  }
  const sheet: SheetSpec = {
    name: sheetName,
    blocks,
    tables,
    conditionalFormats: [],
    charts,
    columnWidths: [44, 14, ...Array.from({ length: Math.max(7, a.scenarios.length) }, () => 16)],
    freezeRows: 0,
  };
  return { sheets: [sheet] };
}
