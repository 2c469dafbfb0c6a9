/**
 * The Excel host (Office.js): a PlannerHost for the runs of src/runs (excelPlannerHost), and the
 * reading and writing it is made of. The instrumented fake for tests lives in test/hosts/fake-excel.
 */
export { officeExcelHost, writeWorkbookSpec, ExcelWriteError, DEFAULT_MAX_REQUEST_BYTES } from './write-spec';
export type { ExcelHost, ExcelWriteOptions, ExcelWriteReport } from './write-spec';
export { readSource } from './read-source';
export type { SourceTable } from './read-source';
export { readWorkbookNames, listPlanTables } from './workbook-info';
export { excelPlannerHost, officeDocumentSettings, SETTINGS_KEY } from './planner-host';
export type { ExcelPlannerOptions, SettingsStore } from './planner-host';
