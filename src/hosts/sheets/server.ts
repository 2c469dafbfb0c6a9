/**
 * The Sheets edition's server functions: the menu, the sidebar and the runs the sidebar calls over
 * google.script.run. Each is a plain exported function; the Sheets build (dist/sheets/Code.js)
 * declares them at the top level of the script. Requests and results are the run layer's plain
 * JSON; every run goes through src/runs with the Sheets PlannerHost, exactly as the Excel task pane
 * does with the Excel one.
 *
 * The Apps Script services are the script's globals (see services.ts, where tests swap in a fake).
 */
import { Locale, pickLocale, t } from '../../i18n';
import { approvePlan as runApprove, ApproveRequest, ApproveSummary, generatePlan as runGeneratePlan, listSources as runListSources, loadSettings as runLoadSettings, PlanRequest, PlanSummary, RunSettings, trackVariance as runTrackVariance, VarianceRequest, VarianceRunSummary } from '../../runs';
import { sheetsPlannerHost } from './planner-host';
import { appsScriptServices } from './services';

/** The name of the sidebar's HTML file in the script project (dist/sheets/Sidebar.html). */
const SIDEBAR_FILE = 'Sidebar';

const services = appsScriptServices;

/** en or zh-CN from the spreadsheet's locale (zh, zh_CN, zh_TW ... -> zh-CN). */
function spreadsheetLocale(app: GoogleAppsScript.Spreadsheet.SpreadsheetApp): Locale {
  try {
    return pickLocale(app.getActiveSpreadsheet().getSpreadsheetLocale().replace('_', '-'));
  } catch {
    return 'en'; // onOpen in AuthMode.NONE may not read the spreadsheet
  }
}

/** Adds the Budget Planner menu; nothing else (onOpen runs with limited authorization). */
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- Apps Script passes the event; the menu needs none of it
export function onOpen(_event?: GoogleAppsScript.Events.SheetsOnOpen): void {
  const app = services().SpreadsheetApp;
  const L = spreadsheetLocale(app);
  app
    .getUi()
    .createMenu(t(L, 'sheets.menu'))
    .addItem(t(L, 'sheets.menu.plan'), 'showSidebar')
    .addItem(t(L, 'sheets.menu.variance'), 'showSidebar')
    .addItem(t(L, 'sheets.menu.approve'), 'showSidebar')
    .addToUi();
}

/** Opens the sidebar (the task pane's React app, one self-contained HTML file). */
export function showSidebar(): void {
  const { SpreadsheetApp: app, HtmlService: html } = services();
  app.getUi().showSidebar(html.createHtmlOutputFromFile(SIDEBAR_FILE).setTitle(t(spreadsheetLocale(app), 'sheets.sidebarTitle')));
}

/** Sheets and tables (named ranges) the sidebar offers as sources. */
export function listSources(): Promise<{ tables: string[]; sheets: string[] }> {
  return runListSources(sheetsPlannerHost(services()));
}

export function generatePlan(request: PlanRequest): Promise<PlanSummary> {
  return runGeneratePlan(sheetsPlannerHost(services()), request);
}

export function trackVariance(request: VarianceRequest): Promise<VarianceRunSummary> {
  return runTrackVariance(sheetsPlannerHost(services()), request);
}

export function approvePlan(request: ApproveRequest): Promise<ApproveSummary> {
  return runApprove(sheetsPlannerHost(services()), request);
}

/** The settings of the last runs in this spreadsheet ({} when none). */
export function loadSettings(): Promise<RunSettings> {
  return runLoadSettings(sheetsPlannerHost(services()));
}
