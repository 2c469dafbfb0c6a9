/**
 * Approve Plan, once for every host: the plan sheet shows Approved, the approver and the time and is
 * protected; the plan approved before becomes Superseded; a log row records it (see
 * buildApprovalChange). The host writes the change as one undoable unit.
 */
import { Locale } from '../i18n';
import { buildApprovalChange, PlanSheetState, planStatusFromText } from '../workbook/approval';
import { isoSeconds, PlannerHost, WriteReport } from './host';
import { drive, step, Steps } from './steps';

/** Approve's request: plain JSON, the same from the Excel task pane and the Sheets sidebar. */
export interface ApproveRequest {
  sheetName: string;
  /** Who approves (default: the host's signed-in user, e.g. Session.getActiveUser() in Sheets). */
  approver?: string;
  locale: Locale;
  productVersion: string;
  /** Sheets only: warning-only protection (default) or full protection. */
  protection?: 'warning' | 'full';
  /** The approval time, ISO (default now). */
  now?: string;
}

export interface ApproveSummary extends WriteReport {
  approver: string;
  superseded: string[];
}

/** Every plan sheet (a sheet holding a CBP_Plan table) with the status its status cell shows. */
export function* listPlanSheetsSteps(host: PlannerHost): Steps<PlanSheetState[]> {
  return (yield* step(host.listPlanTables())).map((p) => ({ sheetName: p.sheetName, status: planStatusFromText(p.statusText) ?? 'draft' }));
}

/** Throws ApprovalError (not a draft, no such plan, no approver) before anything is written. */
export function* approvePlanSteps(host: PlannerHost, request: ApproveRequest): Steps<ApproveSummary> {
  const plans = yield* listPlanSheetsSteps(host);
  const names = yield* step(host.readNames());
  const approver = request.approver?.trim() || (yield* step(host.currentUser()));
  const spec = buildApprovalChange(
    { sheetName: request.sheetName, approver, plans },
    {
      locale: request.locale,
      existingSheetNames: names.sheetNames,
      existingTableNames: names.tableNames,
      writtenAt: isoSeconds(request.now),
      productVersion: request.productVersion,
      source: request.sheetName,
    },
  );
  const report = yield* step(host.writeSpec(spec, { locale: request.locale, activate: false, protection: request.protection ?? 'warning' }));
  return { ...report, approver, superseded: (spec.updates ?? []).slice(1).map((u) => u.sheetName) };
}

export function listPlanSheets(host: PlannerHost): Promise<PlanSheetState[]> {
  return drive(listPlanSheetsSteps(host));
}

export function approvePlan(host: PlannerHost, request: ApproveRequest): Promise<ApproveSummary> {
  return drive(approvePlanSteps(host, request));
}
