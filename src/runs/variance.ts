/**
 * Track Variance, once for every host: find the newest plan table (on the chosen sheet), read it
 * back and the actual spend through the host, compare them with the engine and hand the variance
 * sheet (with its status rules and log row) to the host to write as one undoable unit.
 */
import type { ColumnOverrides } from '../engine/headers';
import { Locale, t } from '../i18n';
import { planStatusFromText } from '../workbook/approval';
import { buildVarianceWorkbook } from '../workbook/variance-sheet';
import { describeSource, isoSeconds, PlannerHost, SourceRef } from './host';
import { newestPlanTable, readActualRows, readPlanTableRows, statusCounts, DEFAULT_VARIANCE_THRESHOLDS, varianceOfPlanTable, VarianceKey, VarianceThresholds } from './plan-table';
import { saveRunSettings } from './settings';
import { drive, step, Steps } from './steps';

/** Track Variance's request: plain JSON, the same from the Excel task pane and the Sheets sidebar. */
export interface VarianceRequest {
  /** Sheet holding the plan table (default: the approved plan, else the newest CBP_Plan table). */
  planSheet?: string;
  actuals: SourceRef;
  /** The actual spend's column mapping (customer, date, amount): a header name or a 0-based index. */
  columns?: ColumnOverrides;
  /** Compare up to this day, epoch days (default: the latest actual date). */
  asOf?: number;
  locale: Locale;
  by?: VarianceKey;
  /** Over-budget tolerance and at-risk / under-used margins (default 0, 10 %, 50 %). */
  thresholds?: VarianceThresholds;
  productVersion: string;
  /** The run's time, ISO (default now). */
  now?: string;
}

export interface VarianceRunSummary {
  sheetName: string;
  /** The plan sheet compared with (the approved plan unless one was chosen). */
  planSheet: string;
  /** Rows per status (over-budget, at-risk, ...). */
  counts: Record<string, number>;
  /** The day compared up to, epoch days. */
  asOf: number;
  syncs: number;
}

/**
 * The plan table to compare with: the newest on `planSheet` when given, else the approved plan's
 * (the newest table on a sheet stamped Approved), else the newest of the workbook; a clear error
 * when there is none.
 */
function* findPlanTable(host: PlannerHost, planSheet: string | undefined, locale: Locale): Steps<{ name: string; sheet: string }> {
  const tables = (yield* step(host.listPlanTables())).map((p) => ({ name: p.tableName, sheet: p.sheetName, status: planStatusFromText(p.statusText) }));
  const approved = planSheet === undefined ? newestPlanTable(tables.filter((p) => p.status === 'approved')) : undefined;
  const found = approved ?? newestPlanTable(tables, planSheet);
  if (!found) throw new Error(t(locale, 'runs.noPlanTable', { where: planSheet === undefined ? '' : t(locale, 'runs.onSheet', { sheet: planSheet }) }));
  return found;
}

/** Reads the plan table and the actual spend, compares them and writes a variance sheet. */
export function* trackVarianceSteps(host: PlannerHost, request: VarianceRequest): Steps<VarianceRunSummary> {
  const locale = request.locale;
  const by: VarianceKey = request.by ?? 'customer';
  const planTable = yield* findPlanTable(host, request.planSheet, locale);
  const planSource = yield* step(host.readSource({ kind: 'table', name: planTable.name }, { locale }));
  const plan = readPlanTableRows(planSource.rows, planTable.name, locale);
  const actualSource = yield* step(host.readSource(request.actuals, { locale }));
  const actual = readActualRows(actualSource.rows, by, describeSource(request.actuals), locale, { columns: request.columns });
  const thresholds = request.thresholds ?? DEFAULT_VARIANCE_THRESHOLDS;
  const { result, asOf } = varianceOfPlanTable(plan, actual, by, request.asOf, thresholds, locale);
  const names = yield* step(host.readNames());
  const spec = buildVarianceWorkbook(
    { result, asOf, ...thresholds, minorDigits: 2, keyLabel: t(locale, by === 'customer' ? 'col.customer' : 'col.activity') },
    {
      locale,
      existingSheetNames: names.sheetNames,
      existingTableNames: names.tableNames,
      writtenAt: isoSeconds(request.now),
      productVersion: request.productVersion,
      source: `${planSource.address} + ${actualSource.address}`,
    },
  );
  const report = yield* step(host.writeSpec(spec, { locale }));
  yield* saveRunSettings(host, { locale: request.locale, variance: { actuals: request.actuals, by, thresholds, ...(request.columns ? { columns: request.columns } : {}), ...(request.planSheet !== undefined ? { planSheet: request.planSheet } : {}) } });
  // Round trips: finding the plan table (2), reading both sources, reading names (1), writing.
  const syncs = 2 + planSource.syncs + actualSource.syncs + 1 + report.syncs;
  return { sheetName: report.sheetsAdded[0] ?? spec.sheets[0].name, planSheet: planTable.sheet, counts: statusCounts(result), asOf, syncs };
}

export function trackVariance(host: PlannerHost, request: VarianceRequest): Promise<VarianceRunSummary> {
  return drive(trackVarianceSteps(host, request));
}
