/**
 * What a user interface (the Excel task pane, the Sheets sidebar) calls to run the product: the
 * runs behind one promise-based client. In Excel the runs execute in the pane over the Excel host
 * (localRunClient); in Sheets they execute on the server and the sidebar reaches them through
 * google.script.run (src/hosts/sheets/sidebar-client.ts). Same requests, same results.
 */
import type { PlanSheetState } from '../workbook/approval';
import { approvePlan, listPlanSheetsSteps, type ApproveRequest, type ApproveSummary } from './approve';
import type { PlannerHost } from './host';
import type { RunSignal } from './cancel';
import { generatePlan, type PlanRequest, type PlanSummary, type RunProgress } from './plan';
import { loadSettings, resetSettings, type RunSettings } from './settings';
import { drive, step, Steps } from './steps';
import { previewSource, type PreviewRequest, type SourcePreview } from './preview';
import { trackVariance, type VarianceRequest, type VarianceRunSummary } from './variance';

/** What the user can pick from: tables (named ranges in Sheets), sheets, and the plan sheets with their status. */
export interface SourceList {
  tables: string[];
  sheets: string[];
  planSheets: PlanSheetState[];
}

export interface RunClient {
  listSources(): Promise<SourceList>;
  /** `signal` cancels the run where the runs execute here (Excel); the Sheets sidebar cannot cancel a server call. */
  generatePlan(request: PlanRequest, onProgress?: RunProgress, signal?: RunSignal): Promise<PlanSummary>;
  trackVariance(request: VarianceRequest): Promise<VarianceRunSummary>;
  approvePlan(request: ApproveRequest): Promise<ApproveSummary>;
  loadSettings(): Promise<RunSettings>;
  /** Forgets the remembered settings of this document. */
  resetSettings(): Promise<void>;
  /** Whether `generatePlan` honours its signal (Excel: yes; a Sheets server call cannot be stopped). */
  readonly canCancel: boolean;
  /** A source's headers, its columns and first rows as the runs will read them (column mapping). */
  previewSource(request: PreviewRequest): Promise<SourcePreview>;
}

export function* listSourcesSteps(host: PlannerHost): Steps<SourceList> {
  const names = yield* step(host.readNames());
  const planSheets = yield* listPlanSheetsSteps(host);
  return { tables: names.tableNames, sheets: names.sheetNames, planSheets };
}

export function listSources(host: PlannerHost): Promise<SourceList> {
  return drive(listSourcesSteps(host));
}

/** The runs executed here, over `host` (the Excel task pane). */
export function localRunClient(host: PlannerHost): RunClient {
  return {
    listSources: () => listSources(host),
    generatePlan: (request, onProgress, signal) => generatePlan(host, request, onProgress, signal),
    trackVariance: (request) => trackVariance(host, request),
    approvePlan: (request) => approvePlan(host, request),
    loadSettings: () => loadSettings(host),
    resetSettings: () => resetSettings(host),
    canCancel: true,
    previewSource: (request) => previewSource(host, request),
  };
}
