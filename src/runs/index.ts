/** The user's actions, once, host-neutral: each reads through a PlannerHost, calls the engine and hands a WorkbookSpec to the host. */
import type { PlannerHost } from './host';
import { drive, step, Steps } from './steps';

export type { PlannerHost, SourceRef, SourceRows, WorkbookNames, PlanTableRef, WriteSpecOptions, WriteReport, ReadSourceOptions } from './host';
export { describeSource, splitSheetAddress } from './host';
export { runPlan, runPlanSteps, generatePlan, generatePlanSteps } from './plan';
export type { PlanRequest, PlanRunResult, PlanSummary, PlanClvSummary, OptimalFigures, RunProgress } from './plan';
export { trackVariance, trackVarianceSteps } from './variance';
export type { VarianceRequest, VarianceRunSummary } from './variance';
export { approvePlan, approvePlanSteps, listPlanSheets, listPlanSheetsSteps } from './approve';
export type { ApproveRequest, ApproveSummary } from './approve';
export { loadSettings, loadSettingsSteps, saveRunSettings } from './settings';
export { drive, driveSync, step } from './steps';
export type { Awaitable, Steps } from './steps';
export type { RunSettings } from './settings';
export { readPlanTableRows, readActualRows, planLinesFor, varianceOfPlanTable, newestPlanTable, statusCounts, DEFAULT_VARIANCE_THRESHOLDS } from './plan-table';
export type { PlanTableLines, VarianceKey, VarianceThresholds } from './plan-table';

/** Sources the user can pick: every table and sheet of the document, in order. */
export function* listSourcesSteps(host: PlannerHost): Steps<{ tables: string[]; sheets: string[] }> {
  const names = yield* step(host.readNames());
  return { tables: names.tableNames, sheets: names.sheetNames };
}

export function listSources(host: PlannerHost): Promise<{ tables: string[]; sheets: string[] }> {
  return drive(listSourcesSteps(host));
}
