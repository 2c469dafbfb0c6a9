/**
 * The task pane's entry points into Excel, as small summaries: list the sources, read one as rows,
 * generate a plan, track variance. Each composes the host's reading and writing with the engine and
 * the workbook builders; nothing is written when reading or computing fails, and a failed write
 * removes what it wrote (see writeWorkbookSpec).
 */
import type { CellValue } from '../../engine/errors';
import type { PlanOptions } from '../../engine/plan';
import type { OptimalDetails } from '../../engine/allocation/allocate';
import { DEFAULT_PLAN_CLV_MONTHS } from '../../engine/clv/plan-clv';
import { Locale, t } from '../../i18n';
import { buildVarianceWorkbook } from '../../workbook/variance-sheet';
import { runPlanInExcel } from './plan-run';
import { newestPlanTable, planTableIndex, readActualRows, readPlanTableRows, statusCounts, DEFAULT_VARIANCE_THRESHOLDS, varianceOfPlanTable, VarianceKey, VarianceThresholds } from './plan-table';
import { describeSource, readSource, SourceRef } from './read-source';
import { readWorkbookNames } from './workbook-info';
import { ExcelHost, writeWorkbookSpec } from './write-spec';

/** Tables and sheets of the open workbook, in workbook order (the product's own CBP_ tables included). */
export async function listSources(host: ExcelHost): Promise<{ tables: string[]; sheets: string[] }> {
  const names = await readWorkbookNames(host);
  return { tables: names.tableNames, sheets: names.sheetNames };
}

/** A source's rows, header first, read in chunks of at most `chunkRows` rows (default 5,000) per sync. */
export async function readSourceRows(host: ExcelHost, source: SourceRef, chunkRows = 5_000): Promise<CellValue[][]> {
  return (await readSource(host, source, { chunkRows })).rows;
}

export interface PlanRequest {
  source: SourceRef;
  /** Re-plan mid-year from this actual spend (customer, date, amount): spend to date becomes each customer's floor. */
  spent?: SourceRef;
  /** Budget multipliers (e.g. 0.9, 1, 1.1) for a Scenarios sheet beside the plan. */
  scenarios?: readonly number[];
  locale: 'en' | 'zh-CN';
  options: PlanOptions;
  /**
   * Estimate each customer's lifetime value (BG/NBD + Gamma-Gamma) over this many months, for
   * weight basis 'clv' and a CLV column on the plan sheet. Weight basis 'clv' without values in
   * `options.clv` estimates them over DEFAULT_PLAN_CLV_MONTHS (12) when this is not given.
   */
  clv?: { months: number };
  productVersion: string;
  onProgress?: (phase: 'read' | 'write', done: number, total: number) => void;
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

export interface PlanInExcelSummary {
  sheetName: string;
  /** The Scenarios sheet written beside the plan, when asked for. */
  scenarioSheetName?: string;
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

/** Reads the transactions, computes the plan and writes it (with its log row) to a new sheet. */
export async function generatePlanInExcel(host: ExcelHost, request: PlanRequest): Promise<PlanInExcelSummary> {
  const clvMonths = request.clv?.months ?? (request.options.weightBasis === 'clv' && !request.options.clv ? DEFAULT_PLAN_CLV_MONTHS : undefined);
  const run = await runPlanInExcel(host, {
    source: request.source,
    spent: request.spent,
    scenarios: request.scenarios,
    plan: request.options,
    ...(clvMonths !== undefined ? { clv: { months: clvMonths } } : {}),
    locale: request.locale,
    productVersion: request.productVersion,
    onProgress: request.onProgress,
  });
  const clv = run.clv;
  const allocation = run.plan.allocation;
  const o = allocation.optimal;
  return {
    sheetName: run.sheetName,
    ...(run.scenarioSheetName ? { scenarioSheetName: run.scenarioSheetName } : {}),
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

export interface VarianceRequest {
  /** Sheet holding the plan table (default: the newest CBP_Plan table of the workbook). */
  planSheet?: string;
  actuals: SourceRef;
  /** Compare up to this day, epoch days (default: the latest actual date). */
  asOf?: number;
  locale: 'en' | 'zh-CN';
  by?: 'customer' | 'activity';
  /** Over-budget tolerance and at-risk / under-used margins (default 0, 10 %, 50 %). */
  thresholds?: VarianceThresholds;
  productVersion: string;
}

export interface VarianceInExcelSummary {
  sheetName: string;
  /** Rows per status (over-budget, at-risk, ...). */
  counts: Record<string, number>;
  /** The day compared up to, epoch days. */
  asOf: number;
  syncs: number;
}

/** Every plan table (CBP_Plan, CBP_Plan_2 ...) with the sheet it sits on. */
async function planTablesWithSheets(host: ExcelHost): Promise<{ name: string; sheet: string }[]> {
  return host.run(async (context) => {
    const tables = context.workbook.tables.load('items/name');
    await context.sync();
    const plans = tables.items.filter((table) => planTableIndex(table.name) > 0).map((table) => ({ name: table.name, sheet: table.worksheet.load('name') }));
    if (!plans.length) return [];
    await context.sync();
    return plans.map((plan) => ({ name: plan.name, sheet: plan.sheet.name }));
  });
}

/** The newest plan table's name (on `planSheet` when given); a clear error when there is none. */
async function findPlanTable(host: ExcelHost, planSheet: string | undefined, locale: Locale): Promise<string> {
  const found = newestPlanTable(await planTablesWithSheets(host), planSheet);
  if (!found) throw new Error(t(locale, 'excelHost.noPlanTable', { where: planSheet === undefined ? '' : t(locale, 'excelHost.onSheet', { sheet: planSheet }) }));
  return found.name;
}

/** Reads the plan table and the actual spend, compares them and writes a variance sheet. */
export async function trackVarianceInExcel(host: ExcelHost, request: VarianceRequest): Promise<VarianceInExcelSummary> {
  const locale = request.locale;
  const by: VarianceKey = request.by ?? 'customer';
  const planTable = await findPlanTable(host, request.planSheet, locale);
  const planSource = await readSource(host, { kind: 'table', name: planTable }, { locale });
  const plan = readPlanTableRows(planSource.rows, planTable, locale);
  const actualSource = await readSource(host, request.actuals, { locale });
  const actual = readActualRows(actualSource.rows, by, describeSource(request.actuals), locale);
  const thresholds = request.thresholds ?? DEFAULT_VARIANCE_THRESHOLDS;
  const { result, asOf } = varianceOfPlanTable(plan, actual, by, request.asOf, thresholds, locale);
  const names = await readWorkbookNames(host);
  const spec = buildVarianceWorkbook(
    { result, asOf, ...thresholds, minorDigits: 2, keyLabel: t(locale, by === 'customer' ? 'col.customer' : 'col.activity') },
    {
      locale,
      existingSheetNames: names.sheetNames,
      existingTableNames: names.tableNames,
      writtenAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      productVersion: request.productVersion,
      source: `${planSource.address} + ${actualSource.address}`,
    },
  );
  const report = await writeWorkbookSpec(host, spec, { locale });
  // Round trips: finding the plan table (2), reading both sources, reading names (1), writing.
  const syncs = 2 + planSource.syncs + actualSource.syncs + 1 + report.syncs;
  return { sheetName: report.sheetsAdded[0] ?? spec.sheets[0].name, counts: statusCounts(result), asOf, syncs };
}
