/**
 * The Excel host (Office.js): everything the task pane calls to read sources and write plans.
 * The instrumented fake for tests lives in ./testing/fake-excel (a plain module, no Jest).
 */
export { officeExcelHost, writeWorkbookSpec, ExcelWriteError, DEFAULT_MAX_REQUEST_BYTES } from './write-spec';
export type { ExcelHost, ExcelWriteOptions, ExcelWriteReport } from './write-spec';
export { readSource, describeSource } from './read-source';
export type { SourceRef, SourceTable, ReadSourceOptions } from './read-source';
export { readWorkbookNames, listPlanSheets } from './workbook-info';
export { approvePlan } from './approve';
export { runPlanInExcel } from './plan-run';
export type { PlanRunOptions, PlanRunResult } from './plan-run';
export { listSources, readSourceRows, generatePlanInExcel, trackVarianceInExcel } from './runs';
export type { OptimalFigures, PlanClvSummary, PlanInExcelSummary, PlanRequest, VarianceRequest } from './runs';
export { readPlanTableRows, readActualRows, planLinesFor, varianceOfPlanTable, newestPlanTable, statusCounts } from './plan-table';
export type { PlanTableLines, VarianceKey } from './plan-table';
