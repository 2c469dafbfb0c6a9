/**
 * The life of a plan (SPEC "Worksheets written"): Draft when written, Approved when someone signs it
 * off (the sheet is protected, the approver's name and the time are stamped), Superseded when a later
 * plan is approved. Approving is a change to existing sheets plus a log row, as plain data.
 */
import { Locale, t } from '../i18n';
import { parameterHash } from './hash';
import { dateTimeValue, DATE_TIME_FORMAT, logSheet, PLAN_STATUS_CELL, WriteContext } from './plan-sheet';
import { SheetUpdateSpec, WorkbookSpec } from './spec';

export type PlanStatus = 'draft' | 'approved' | 'superseded';

export interface PlanSheetState {
  sheetName: string;
  status: PlanStatus;
}

const STATUSES: PlanStatus[] = ['draft', 'approved', 'superseded'];

/** The status a plan sheet shows, in either language; undefined when the text is no status. */
export function planStatusFromText(text: unknown): PlanStatus | undefined {
  const wanted = String(text ?? '').trim().toLowerCase();
  for (const status of STATUSES) for (const locale of ['en', 'zh-CN'] as Locale[]) if (t(locale, `plan.status.${status}`).toLowerCase() === wanted) return status;
  return undefined;
}

export class ApprovalError extends Error {
  constructor(
    readonly key: string,
    readonly params: Record<string, string>,
    locale: Locale,
  ) {
    super(t(locale, key, params));
    this.name = 'ApprovalError';
  }
}

export interface ApprovalRequest {
  /** The plan sheet to approve. */
  sheetName: string;
  approver: string;
  /** Every plan sheet of the workbook with its current status (hosts read them). */
  plans: readonly PlanSheetState[];
}

/** The status, approver and approval-time cells of one plan sheet, as a block. */
function stateBlock(locale: Locale, status: PlanStatus, approver?: string, approvedAtIso?: string) {
  const rows = approver === undefined ? [[t(locale, `plan.status.${status}`)]] : [[t(locale, `plan.status.${status}`)], [approver], [dateTimeValue(approvedAtIso as string)]];
  return {
    row: PLAN_STATUS_CELL.row,
    col: PLAN_STATUS_CELL.col,
    values: rows,
    cellFormats: approver === undefined ? undefined : [[null], [null], [DATE_TIME_FORMAT]],
  };
}

/**
 * Approves a draft plan: its sheet shows Approved, the approver and the time (context.writtenAt),
 * and is protected; every plan that was Approved before becomes Superseded (and stays protected).
 * Drafts other than the approved one are left as they are. A log row records the approval.
 */
export function buildApprovalChange(request: ApprovalRequest, context: WriteContext): WorkbookSpec {
  const L = context.locale;
  const approver = request.approver.trim();
  if (approver === '') throw new ApprovalError('approve.noApprover', {}, L);
  const target = request.plans.find((p) => p.sheetName.toLowerCase() === request.sheetName.toLowerCase());
  if (!target) throw new ApprovalError('approve.notFound', { sheet: request.sheetName, plans: request.plans.map((p) => p.sheetName).join(', ') || '-' }, L);
  if (target.status !== 'draft') throw new ApprovalError('approve.notDraft', { sheet: target.sheetName, status: t(L, `plan.status.${target.status}`) }, L);
  const superseded = request.plans.filter((p) => p !== target && p.status === 'approved').map((p) => p.sheetName);
  const updates: SheetUpdateSpec[] = [
    { sheetName: target.sheetName, blocks: [stateBlock(L, 'approved', approver.slice(0, 255), context.writtenAt)], protect: true },
    ...superseded.map((sheetName) => ({ sheetName, blocks: [stateBlock(L, 'superseded')], protect: true })),
  ];
  const parameters = { sheet: target.sheetName, approver, superseded };
  const log = logSheet(context, 'log.action.approve', parameters, parameterHash(parameters), target.sheetName, { superseded: superseded.length });
  return { sheets: [log], updates };
}
