/**
 * The Sheets edition's server functions: the menu, the sidebar and the runs the sidebar calls over
 * google.script.run. Each is a plain exported function; the Sheets build (dist/sheets/Code.js)
 * declares them at the top level of the script. Requests and results are the run layer's plain
 * JSON; every run goes through src/runs with the Sheets PlannerHost, exactly as the Excel task pane
 * does with the Excel one. The runs' steps are driven synchronously (driveSync): a server function
 * returns its value, never a promise, which google.script.run would not pass on.
 *
 * The Apps Script services are the script's globals (see services.ts, where tests swap in a fake).
 */
import { Locale, pickLocale, t } from '../../i18n';
import { approvePlanSteps, ApproveRequest, ApproveSummary, driveSync, generatePlanSteps, listSourcesSteps, loadSettingsSteps, resetSettingsSteps, PlanRequest, PlanSummary, PreviewRequest, previewSourceSteps, SourcePreview, RunSettings, SourceList, trackVarianceSteps, VarianceRequest, VarianceRunSummary } from '../../runs';
import { sheetsPlannerHost } from './planner-host';
import { appsScriptServices } from './services';

/** The name of the sidebar's HTML file in the script project (dist/sheets/Sidebar.html). */
const SIDEBAR_FILE = 'Sidebar';

const services = appsScriptServices;

function host() {
  return sheetsPlannerHost(services());
}

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

/** Sheets, tables (named ranges) and plan sheets the sidebar offers. */
export function listSources(): SourceList {
  return driveSync(listSourcesSteps(host()));
}

export function generatePlan(request: PlanRequest): PlanSummary {
  return driveSync(generatePlanSteps(host(), request));
}

export function trackVariance(request: VarianceRequest): VarianceRunSummary {
  return driveSync(trackVarianceSteps(host(), request));
}

export function approvePlan(request: ApproveRequest): ApproveSummary {
  return driveSync(approvePlanSteps(host(), request));
}

/** The settings of the last runs in this spreadsheet ({} when none). */
export function loadSettings(): RunSettings {
  return driveSync(loadSettingsSteps(host()));
}

/** "Reset to defaults": the spreadsheet forgets the remembered settings. */
export function resetSettings(): void {
  driveSync(resetSettingsSteps(host()));
}

/** A source's headers, its columns and first rows as the runs will read them (the sidebar's column mapping). */
export function previewSource(request: PreviewRequest): SourcePreview {
  return driveSync(previewSourceSteps(host(), request));
}
