/**
 * A whole plan run in Excel, as the task pane starts it: read the transactions (table, named range
 * or selection, in chunks), score (and, when asked, estimate each customer's lifetime value) and
 * allocate with the engine, build the plan sheet, write it to a new sheet with its log row. Nothing
 * is written when reading or computing fails; a failed write removes what it wrote (see
 * writeWorkbookSpec).
 */
import type { ColumnOverrides } from '../../engine/headers';
import { computePlan, Plan, PlanOptions } from '../../engine/plan';
import { lifetimeValuesForPlan, PlanLifetimeValues } from '../../engine/clv/plan-clv';
import { InputError } from '../../engine/errors';
import { spendToDate } from '../../engine/allocation/replan';
import { readTransactionTable, ReadOptions, Transactions } from '../../engine/transactions';
import { Locale, t } from '../../i18n';
import { buildPlanWorkbook, clvExtras, PlanExtras, WriteContext } from '../../workbook/plan-sheet';
import { buildScenarioWorkbook, scenarioParametersOfPlan } from '../../workbook/scenario-sheet';
import { analyseScenarios } from '../../engine/allocation/scenarios';
import type { WorkbookSpec } from '../../workbook/spec';
import { describeSource, readSource, SourceRef } from './read-source';
import { readActualRows } from './plan-table';
import { readWorkbookNames } from './workbook-info';
import { ExcelHost, ExcelWriteReport, writeWorkbookSpec } from './write-spec';

export interface PlanRunOptions {
  source: SourceRef;
  plan: PlanOptions;
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
   * customer of weight basis 'clv') and to the plan sheet as a CLV column.
   */
  clv?: { months: number };
  /** Optional columns computed by the caller from the plan. */
  extras?: (plan: Plan) => PlanExtras;
  now?: Date;
  maxRequestBytes?: number;
  onProgress?: (phase: 'read' | 'write', done: number, total: number) => void;
}

export interface PlanRunResult {
  plan: Plan;
  sheetName: string;
  /** The Scenarios sheet, when scenarios were asked for. */
  scenarioSheetName?: string;
  /** The lifetime values, when asked for: per customer, and what the fit warned about. */
  clv?: PlanLifetimeValues;
  /** Round trips: reading the source, reading names, writing. */
  syncs: { read: number; write: number };
  report: ExcelWriteReport;
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
    throw new InputError(error.code, t(locale, 'excelHost.clvFailed', { reason: error.message }));
  }
  if (clv.nonFiniteValues > 0) {
    const reason = [t(locale, 'excelHost.clvNotFinite', { count: clv.nonFiniteValues, customers: clv.byCustomer.size }), ...clv.modelWarnings].join('; ');
    throw new InputError('not-converged', t(locale, 'excelHost.clvFailed', { reason }));
  }
  return clv;
}

export async function runPlanInExcel(host: ExcelHost, options: PlanRunOptions): Promise<PlanRunResult> {
  const source = await readSource(host, options.source, { locale: options.locale, onProgress: (done, total) => options.onProgress?.('read', done, total) });
  const spentSource = options.spent && (await readSource(host, options.spent, { locale: options.locale }));
  const spent = spentSource && options.spent ? spendToDate(readActualRows(spentSource.rows, 'customer', describeSource(options.spent), options.locale, { dates: 'optional' })) : undefined;
  const planOptions = spent ? { ...options.plan, spentToDateMinor: spent.byCustomer, spentThrough: spent.throughDay } : options.plan;
  const tx = readTransactionTable(source.rows, options.reading ?? {});
  const clv = options.clv ? lifetimeValues(tx, options.plan.asOf, options.clv.months, options.locale) : undefined;
  const plan = computePlan(tx, clv ? { ...planOptions, clv: clv.byCustomer } : planOptions);
  const names = await readWorkbookNames(host);
  const context: WriteContext = {
    locale: options.locale,
    existingSheetNames: names.sheetNames,
    existingTableNames: names.tableNames,
    writtenAt: (options.now ?? new Date()).toISOString().replace(/\.\d+Z$/, 'Z'),
    productVersion: options.productVersion,
    source: source.address,
  };
  const clvColumn: PlanExtras = clv ? clvExtras(plan, clv, options.locale) : {};
  const planSpec = buildPlanWorkbook(plan, context, { ...clvColumn, ...options.extras?.(plan) });
  const spec = options.scenarios?.length ? withScenarioSheet(planSpec, plan, options.scenarios, context) : planSpec;
  const report = await writeWorkbookSpec(host, spec, { locale: options.locale, maxRequestBytes: options.maxRequestBytes, onProgress: (done, total) => options.onProgress?.('write', done, total) });
  return { plan, sheetName: spec.sheets[0].name, ...(spec !== planSpec ? { scenarioSheetName: spec.sheets[1].name } : {}), ...(clv ? { clv } : {}), syncs: { read: source.syncs + (spentSource ? spentSource.syncs : 0) + 1, write: report.syncs }, report };
}

/** The plan workbook with a Scenarios sheet after the plan sheet: the same plan at other budgets. */
function withScenarioSheet(planSpec: WorkbookSpec, plan: Plan, multipliers: readonly number[], context: WriteContext): WorkbookSpec {
  const analysis = analyseScenarios(plan.allocationRequest, multipliers);
  const taken = {
    existingSheetNames: [...context.existingSheetNames, ...planSpec.sheets.map((sheet) => sheet.name)],
    existingTableNames: [...context.existingTableNames, ...planSpec.sheets.flatMap((sheet) => sheet.tables.map((table) => table.name))],
  };
  const scenarios = buildScenarioWorkbook({ analysis, ...scenarioParametersOfPlan(plan) }, { ...context, ...taken });
  return { ...planSpec, sheets: [planSpec.sheets[0], ...scenarios.sheets, ...planSpec.sheets.slice(1)] };
}
