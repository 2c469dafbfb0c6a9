/**
 * Generate Plan (with re-plan and scenarios), once for every host: read the transactions through
 * the host (in chunks), score (and, when asked, estimate each customer's lifetime value) and
 * allocate with the engine, build the plan sheet, and hand it to the host to write as one undoable
 * unit with its log row. Nothing is written when reading or computing fails.
 */
import type { ColumnOverrides } from '../engine/headers';
import { computePlan, Plan, PlanOptions } from '../engine/plan';
import { lifetimeValuesForPlan, PlanLifetimeValues } from '../engine/clv/plan-clv';
import { InputError } from '../engine/errors';
import { localizeError } from '../i18n/errors';
import { spendToDate } from '../engine/allocation/replan';
import { toMinorUnits } from '../engine/money';
import { readTransactionTable, ReadOptions, Transactions } from '../engine/transactions';
import { Locale, t } from '../i18n';
import { buildPlanWorkbook, clvExtras, WriteContext } from '../workbook/plan-sheet';
import { buildScenarioWorkbook, infeasibleReasonText, scenarioParametersOfPlan } from '../workbook/scenario-sheet';
import { analyseScenarios } from '../engine/allocation/scenarios';
import type { WorkbookSpec } from '../workbook/spec';
import type { OptimalDetails } from '../engine/allocation/allocate';
import { DEFAULT_PLAN_CLV_MONTHS } from '../engine/clv/plan-clv';
import { describeSource, isoSeconds, PlannerHost, SourceRef, WriteReport } from './host';
import { readActualRows } from './plan-table';
import { saveRunSettings, settingsOfPlan } from './settings';
import { drive, letUiBreathe, step, Steps } from './steps';
import { RunSignal, throwIfCancelled } from './cancel';

/** Generate Plan's request: plain JSON, the same from the Excel task pane and the Sheets sidebar. */
export interface PlanRequest {
  source: SourceRef;
  options: PlanOptions;
  /**
   * Re-planning mid-year: a table or range of actual spend (customer, date, amount); each customer
   * keeps at least what it has had and the rest of the budget is allocated again.
   */
  spent?: SourceRef;
  /** Budget multipliers (e.g. 0.9, 1, 1.1): also write a Scenarios sheet with the same plan at those budgets. */
  scenarios?: readonly number[];
  locale: Locale;
  productVersion: string;
  /** How to read the source table (column names, date order, skipping bad rows). */
  reading?: ReadOptions & { columns?: ColumnOverrides };
  /**
   * Estimate each customer's lifetime value (BG/NBD + Gamma-Gamma on the same transactions, up to
   * the plan's as-of date) over this many months: it goes to the plan as `clv` (the value per
   * customer of weight basis 'clv') and to the plan sheet as a CLV column. Weight basis 'clv'
   * without values in `options.clv` estimates them over DEFAULT_PLAN_CLV_MONTHS (12).
   */
  clv?: { months: number };
  /** The run's time, ISO (default now). */
  now?: string;
}

/**
 * Progress of a run, by phase: 'read' counts rows read of the source, 'compute' reports the data rows
 * being computed (done 0 of total: the engine's pass is one step), 'write' counts cells written.
 */
export type RunPhase = 'read' | 'compute' | 'write';
export type RunProgress = (phase: RunPhase, done: number, total: number) => void;

export interface PlanRunResult {
  plan: Plan;
  sheetName: string;
  /** The Scenarios sheet, when scenarios were asked for. */
  scenarioSheetName?: string;
  /** Scenarios whose budget could not be allocated (the others are on the Scenarios sheet). */
  infeasibleScenarios?: InfeasibleScenarioSummary[];
  /** The lifetime values, when asked for: per customer, and what the fit warned about. */
  clv?: PlanLifetimeValues;
  /** Round trips: reading the source, reading names, writing. */
  syncs: { read: number; write: number };
  report: WriteReport;
}

/** A budget scenario that could not be allocated: its multiplier and budget, and why, in the run's language. */
export interface InfeasibleScenarioSummary {
  multiplier: number;
  /** Minor units. */
  budgetMinor: number;
  reason: string;
}

/** What the lifetime value estimate of a plan run reports: its horizon and the fit's caveats. */
export interface PlanClvSummary {
  months: number;
  /** Customers with a lifetime value (a purchase up to the as-of date). */
  customers: number;
  /** Refund rows (negative amounts) not counted as purchases (0: none). */
  refundRowsIgnored: number;
  /** The BG/NBD and Gamma-Gamma fits' own warnings, in the engine's words. */
  modelWarnings: string[];
}

/** What the optimal plan says about the budget as a whole. */
export type OptimalFigures = Pick<OptimalDetails, 'lambdaPerCurrencyUnit' | 'totalResponse' | 'proportionalResponse' | 'gainOverProportional'>;

/** What a finished plan run reports (plain JSON). */
export interface PlanSummary {
  sheetName: string;
  /** The Scenarios sheet written beside the plan, when asked for. */
  scenarioSheetName?: string;
  /** Scenarios that could not be allocated, with the reason (the others are on the Scenarios sheet). */
  infeasibleScenarios?: InfeasibleScenarioSummary[];
  customers: number;
  budgetMinor: number;
  allocatedMinor: number;
  reserveMinor: number;
  unallocatedMinor: number;
  minorDigits: number;
  /** Round trips of the whole run: reading the source and names, and writing. */
  syncs: number;
  /** The optimal method's figures (absent for the other methods). */
  optimal?: OptimalFigures;
  /** A re-plan: customers with spend to date, their spend (minor units) and customers with spend not in the plan. */
  replan?: { customersWithSpend: number; spentMinor: number; notInPlan: number };
  /** Lifetime values estimated for the plan (weight basis 'clv', or a CLV column asked for). */
  clv?: PlanClvSummary;
}

/**
 * The lifetime values for the plan. A model that cannot be fitted, or that gives values that are
 * not numbers, is refused as the CLV's problem (with what to do), before anything is written.
 */
function lifetimeValues(tx: Transactions, asOf: number | undefined, months: number, locale: Locale): PlanLifetimeValues {
  let clv: PlanLifetimeValues;
  try {
    clv = lifetimeValuesForPlan(tx, asOf, months);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    throw new InputError(error.code, t(locale, 'runs.clvFailed', { reason: localizeError(error, locale) }));
  }
  if (clv.nonFiniteValues > 0) {
    const reason = [t(locale, 'runs.clvNotFinite', { count: clv.nonFiniteValues, customers: clv.byCustomer.size }), ...clv.modelWarnings].join('; ');
    throw new InputError('not-converged', t(locale, 'runs.clvFailed', { reason }));
  }
  return clv;
}

/** Reads, computes and writes the plan (see the module comment). */
export function* runPlanSteps(host: PlannerHost, request: PlanRequest, onProgress?: RunProgress, signal?: RunSignal): Steps<PlanRunResult> {
  const { locale } = request;
  const clvMonths = request.clv?.months ?? (request.options.weightBasis === 'clv' && !request.options.clv ? DEFAULT_PLAN_CLV_MONTHS : undefined);
  const source = yield* step(host.readSource(request.source, { locale, signal, onProgress: (done, total) => onProgress?.('read', done, total) }));
  const spentSource = request.spent && (yield* step(host.readSource(request.spent, { locale })));
  const spent = spentSource && request.spent ? spendToDate(readActualRows(spentSource.rows, 'customer', describeSource(request.spent), locale, { dates: 'optional' })) : undefined;
  const planOptions = spent ? { ...request.options, spentToDateMinor: spent.byCustomer, spentThrough: spent.throughDay } : request.options;
  throwIfCancelled(signal, locale);
  onProgress?.('compute', 0, Math.max(0, source.rows.length - 1));
  yield* letUiBreathe();
  const tx = readTransactionTable(source.rows, request.reading ?? {});
  const clv = clvMonths !== undefined ? lifetimeValues(tx, request.options.asOf, clvMonths, locale) : undefined;
  const plan = computePlan(tx, clv ? { ...planOptions, clv: clv.byCustomer } : planOptions);
  yield* letUiBreathe();
  throwIfCancelled(signal, locale);
  const names = yield* step(host.readNames());
  const context: WriteContext = {
    locale,
    existingSheetNames: names.sheetNames,
    existingTableNames: names.tableNames,
    writtenAt: isoSeconds(request.now),
    productVersion: request.productVersion,
    source: source.address,
  };
  const planSpec = buildPlanWorkbook(plan, context, clv ? clvExtras(plan, clv, locale) : {});
  const scenarios = request.scenarios?.length ? withScenarioSheet(planSpec, plan, request.scenarios, context) : undefined;
  const spec = scenarios?.spec ?? planSpec;
  const report = yield* step(host.writeSpec(spec, { locale, signal, onProgress: (done, total) => onProgress?.('write', done, total) }));
  yield* saveRunSettings(host, { locale, plan: { source: request.source, options: settingsOfPlan(request.options), ...(request.spent ? { spent: request.spent } : {}), ...(request.scenarios ? { scenarios: [...request.scenarios] } : {}), ...(request.clv ? { clv: request.clv } : {}), ...(request.reading?.columns ? { columns: request.reading.columns } : {}) } });
  return {
    plan,
    sheetName: spec.sheets[0].name,
    ...(scenarios ? { scenarioSheetName: spec.sheets[1].name } : {}),
    ...(scenarios?.infeasible.length ? { infeasibleScenarios: scenarios.infeasible } : {}),
    ...(clv ? { clv } : {}),
    syncs: { read: source.syncs + (spentSource ? spentSource.syncs : 0) + 1, write: report.syncs },
    report,
  };
}

/** The whole plan run (the engine's plan included), for callers in code, on an asynchronous host. */
export function runPlan(host: PlannerHost, request: PlanRequest, onProgress?: RunProgress, signal?: RunSignal): Promise<PlanRunResult> {
  return drive(runPlanSteps(host, request, onProgress, signal));
}

/** Generate Plan as the task pane calls it, on an asynchronous host: the run summed up as plain JSON. */
export function generatePlan(host: PlannerHost, request: PlanRequest, onProgress?: RunProgress, signal?: RunSignal): Promise<PlanSummary> {
  return drive(generatePlanSteps(host, request, onProgress, signal));
}

/** Generate Plan's steps (driveSync runs them on the Sheets host): the run summed up as plain JSON. */
export function* generatePlanSteps(host: PlannerHost, request: PlanRequest, onProgress?: RunProgress, signal?: RunSignal): Steps<PlanSummary> {
  const run = yield* runPlanSteps(host, request, onProgress, signal);
  const clv = run.clv;
  const allocation = run.plan.allocation;
  const o = allocation.optimal;
  return {
    sheetName: run.sheetName,
    ...(run.scenarioSheetName ? { scenarioSheetName: run.scenarioSheetName } : {}),
    ...(run.infeasibleScenarios ? { infeasibleScenarios: run.infeasibleScenarios } : {}),
    customers: run.plan.customers.length,
    budgetMinor: allocation.budgetMinor,
    allocatedMinor: allocation.distributableMinor - allocation.unallocatedMinor,
    reserveMinor: allocation.reserveMinor,
    unallocatedMinor: allocation.unallocatedMinor,
    minorDigits: allocation.minorDigits,
    syncs: run.syncs.read + run.syncs.write,
    ...(o ? { optimal: { lambdaPerCurrencyUnit: o.lambdaPerCurrencyUnit, totalResponse: o.totalResponse, proportionalResponse: o.proportionalResponse, gainOverProportional: o.gainOverProportional } } : {}),
    ...(run.plan.replan ? { replan: { customersWithSpend: run.plan.replan.customersWithSpend, spentMinor: run.plan.replan.spentMinor, notInPlan: run.plan.replan.notInPlan.length } } : {}),
    ...(clv ? { clv: { months: clv.months, customers: clv.byCustomer.size, refundRowsIgnored: clv.refundRowsIgnored, modelWarnings: [...clv.modelWarnings] } } : {}),
  };
}

/**
 * The plan workbook with a Scenarios sheet after the plan sheet: the same plan at other budgets. A
 * budget that cannot be allocated is shown as such on that sheet (and returned) instead of failing the run.
 */
function withScenarioSheet(planSpec: WorkbookSpec, plan: Plan, multipliers: readonly number[], context: WriteContext): { spec: WorkbookSpec; infeasible: InfeasibleScenarioSummary[] } {
  const analysis = analyseScenarios(plan.allocationRequest, multipliers, { partial: true });
  const taken = {
    existingSheetNames: [...context.existingSheetNames, ...planSpec.sheets.map((sheet) => sheet.name)],
    existingTableNames: [...context.existingTableNames, ...planSpec.sheets.flatMap((sheet) => sheet.tables.map((table) => table.name))],
  };
  const scenarios = buildScenarioWorkbook({ analysis, ...scenarioParametersOfPlan(plan) }, { ...context, ...taken });
  const infeasible = analysis.infeasible.map((s) => ({
    multiplier: s.multiplier,
    budgetMinor: toMinorUnits(s.budget, analysis.minorDigits),
    reason: infeasibleReasonText(s, analysis.minorDigits, context.locale),
  }));
  return { spec: { ...planSpec, sheets: [planSpec.sheets[0], ...scenarios.sheets, ...planSpec.sheets.slice(1)] }, infeasible };
}
