/**
 * A whole plan run in Excel, as the task pane starts it: read the transactions (table, named range
 * or selection, in chunks), score and allocate with the engine, build the plan sheet, write it to a
 * new sheet with its log row. Nothing is written when reading or computing fails; a failed write
 * removes what it wrote (see writeWorkbookSpec).
 */
import type { ColumnOverrides } from '../../engine/headers';
import { computePlan, Plan, PlanOptions } from '../../engine/plan';
import { spendToDate } from '../../engine/allocation/replan';
import { readTransactionTable, ReadOptions } from '../../engine/transactions';
import { Locale } from '../../i18n';
import { buildPlanWorkbook, PlanExtras, WriteContext } from '../../workbook/plan-sheet';
import { buildScenarioWorkbook } from '../../workbook/scenario-sheet';
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
  /** Optional columns computed by the caller from the plan (e.g. CLV). */
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
  /** Round trips: reading the source, reading names, writing. */
  syncs: { read: number; write: number };
  report: ExcelWriteReport;
}

export async function runPlanInExcel(host: ExcelHost, options: PlanRunOptions): Promise<PlanRunResult> {
  const source = await readSource(host, options.source, { locale: options.locale, onProgress: (done, total) => options.onProgress?.('read', done, total) });
  const spentSource = options.spent && (await readSource(host, options.spent, { locale: options.locale }));
  const spent = spentSource && options.spent ? spendToDate(readActualRows(spentSource.rows, 'customer', describeSource(options.spent), options.locale, { dates: 'optional' })) : undefined;
  const planOptions = spent ? { ...options.plan, spentToDateMinor: spent.byCustomer, spentThrough: spent.throughDay } : options.plan;
  const plan = computePlan(readTransactionTable(source.rows, options.reading ?? {}), planOptions);
  const names = await readWorkbookNames(host);
  const context: WriteContext = {
    locale: options.locale,
    existingSheetNames: names.sheetNames,
    existingTableNames: names.tableNames,
    writtenAt: (options.now ?? new Date()).toISOString().replace(/\.\d+Z$/, 'Z'),
    productVersion: options.productVersion,
    source: source.address,
  };
  const planSpec = buildPlanWorkbook(plan, context, options.extras?.(plan) ?? {});
  const spec = options.scenarios?.length ? withScenarioSheet(planSpec, plan, options.scenarios, context) : planSpec;
  const report = await writeWorkbookSpec(host, spec, { locale: options.locale, maxRequestBytes: options.maxRequestBytes, onProgress: (done, total) => options.onProgress?.('write', done, total) });
  return { plan, sheetName: spec.sheets[0].name, ...(spec !== planSpec ? { scenarioSheetName: spec.sheets[1].name } : {}), syncs: { read: source.syncs + (spentSource ? spentSource.syncs : 0) + 1, write: report.syncs }, report };
}

/** The plan workbook with a Scenarios sheet after the plan sheet: the same plan at other budgets. */
function withScenarioSheet(planSpec: WorkbookSpec, plan: Plan, multipliers: readonly number[], context: WriteContext): WorkbookSpec {
  const analysis = analyseScenarios(plan.allocationRequest, multipliers);
  const taken = {
    existingSheetNames: [...context.existingSheetNames, ...planSpec.sheets.map((sheet) => sheet.name)],
    existingTableNames: [...context.existingTableNames, ...planSpec.sheets.flatMap((sheet) => sheet.tables.map((table) => table.name))],
  };
  const scenarios = buildScenarioWorkbook({ analysis, reserve: plan.options.reserve ?? 0 }, { ...context, ...taken });
  return { ...planSpec, sheets: [planSpec.sheets[0], ...scenarios.sheets, ...planSpec.sheets.slice(1)] };
}
