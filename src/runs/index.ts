/** The user's actions, once, host-neutral: each reads through a PlannerHost, calls the engine and hands a WorkbookSpec to the host. */
export type { PlannerHost, SourceRef, SourceRows, WorkbookNames, PlanTableRef, WriteSpecOptions, WriteReport, ReadSourceOptions } from './host';
export { describeSource, splitSheetAddress } from './host';
export { runPlan, runPlanSteps, generatePlan, generatePlanSteps } from './plan';
export type { PlanRequest, PlanRunResult, PlanSummary, PlanClvSummary, OptimalFigures, RunPhase, RunProgress, InfeasibleScenarioSummary } from './plan';
export { trackVariance, trackVarianceSteps } from './variance';
export type { VarianceRequest, VarianceRunSummary } from './variance';
export { approvePlan, approvePlanSteps, listPlanSheets, listPlanSheetsSteps } from './approve';
export type { ApproveRequest, ApproveSummary } from './approve';
export { loadSettings, loadSettingsSteps, resetSettings, resetSettingsSteps, saveRunSettings } from './settings';
export { drive, driveSync, letUiBreathe, step } from './steps';
export type { Awaitable, Steps } from './steps';
export type { RunSettings } from './settings';
export { readPlanTableRows, readActualRows, planLinesFor, varianceOfPlanTable, newestPlanTable, statusCounts, DEFAULT_VARIANCE_THRESHOLDS } from './plan-table';
export type { PlanTableLines, VarianceKey, VarianceThresholds } from './plan-table';

export { listSources, listSourcesSteps, localRunClient } from './client';
export type { RunClient, SourceList } from './client';
export { RunCancelledError, throwIfCancelled } from './cancel';
export type { RunSignal } from './cancel';
export { previewSource, previewSourceSteps, MAPPED_ROLES, PREVIEW_READ_ROWS } from './preview';
export type { PreviewRequest, PreviewRow, SourcePreview, MappedRole } from './preview';
