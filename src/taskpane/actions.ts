/**
 * What the task pane's buttons do, as plain async functions over a RunClient: the components call
 * these and show their results; the runs are src/runs (the same for Excel and Sheets), executed in
 * the pane (Excel) or on the server (the Sheets sidebar); every number comes from the engine.
 */
import { formatIsoDate } from '../engine/dates';
import type { ColumnOverrides } from '../engine/headers';
import type { PlanOptions } from '../engine/plan';
import type { VarianceStatus } from '../engine/variance';
import { ExcelWriteError } from '../hosts/excel';
import type { OptimalFigures, PlanClvSummary, PlanSummary, RunClient, RunPhase, RunSignal, SourceRef } from '../runs';
import { RunCancelledError } from '../runs';
import type { PlanSheetState } from '../workbook/approval';
import { multiplierPercent } from '../workbook/scenario-sheet';
import { Locale, t } from '../i18n';
import { localizeError } from '../i18n/errors';
import type { VarianceSettings } from './form';
import packageJson from '../../package.json';

export const PRODUCT_VERSION: string = packageJson.version;

export interface WorkbookChoices {
  /** Tables that can hold transactions (the product's own CBP_ tables are left out). */
  tables: string[];
  planSheets: PlanSheetState[];
}

/** Tables the product writes itself (plans, variance, log): never a transaction source. */
const PRODUCT_TABLE = /^CBP_/i;

export async function loadWorkbookChoices(runs: RunClient): Promise<WorkbookChoices> {
  const sources = await runs.listSources();
  return { tables: sources.tables.filter((name) => !PRODUCT_TABLE.test(name)), planSheets: sources.planSheets };
}

export type Progress = { phase: RunPhase; done: number; total: number };

export type { PlanSummary };

/** Generate Plan: the host's whole plan run, with progress for the spinner. */
export function generatePlan(
  runs: RunClient,
  request: {
    source: SourceRef;
    spent?: SourceRef;
    scenarios?: readonly number[];
    /** Estimate each customer's lifetime value over this many months (weight basis 'clv'). */
    clv?: { months: number };
    /** The source's column mapping (see ColumnMapping). */
    columns?: ColumnOverrides;
    options: PlanOptions;
    locale: Locale;
    onProgress?: (progress: Progress) => void;
    /** Cancel (where runs.canCancel): the run stops and removes what it had written. */
    signal?: RunSignal;
  },
): Promise<PlanSummary> {
  return runs.generatePlan(
    {
      source: request.source,
      ...(request.spent ? { spent: request.spent } : {}),
      ...(request.scenarios ? { scenarios: request.scenarios } : {}),
      ...(request.clv ? { clv: request.clv } : {}),
      ...(request.columns && Object.keys(request.columns).length ? { reading: { columns: request.columns } } : {}),
      options: request.options,
      locale: request.locale,
      productVersion: PRODUCT_VERSION,
    },
    (phase, done, total) => request.onProgress?.({ phase, done, total }),
    request.signal,
  );
}

/**
 * The optimal plan's line of the result message: what the next 1 of budget returns (three
 * significant digits), the total expected response and its gain over a proportional split.
 */
export function optimalResultText(figures: OptimalFigures, locale: Locale): string {
  const lambda = new Intl.NumberFormat(locale, { maximumSignificantDigits: 3 }).format(
    figures.lambdaPerCurrencyUnit,
  );
  const total = new Intl.NumberFormat(locale, {
    maximumFractionDigits: Math.abs(figures.totalResponse) >= 100 ? 0 : 2,
  }).format(figures.totalResponse);
  if (figures.gainOverProportional === undefined) return t(locale, 'tp.plan.done.optimalNoGain', { lambda, total });
  // One decimal of a percent; a gain that rounds to 0 shows as +0.0 %.
  const percent = Math.round(figures.gainOverProportional * 1000) / 10;
  const digits = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const gain = `${percent < 0 ? '-' : '+'}${digits.format(Math.abs(percent))} %`;
  return t(locale, 'tp.plan.done.optimal', { lambda, total, gain });
}

/**
 * The lifetime values' lines of the result: where they are on the plan sheet, and what the fit
 * warned about (refund rows left out in the pane's language; the models' own caveats as the engine
 * words them, marked as the model's).
 */
export function clvResultTexts(clv: PlanClvSummary, locale: Locale): { line: string; warnings: string[] } {
  const column = t(locale, 'plan.clvColumn', { months: clv.months });
  return {
    line: t(locale, 'tp.plan.clv', { months: clv.months, column }),
    warnings: [
      ...(clv.refundRowsIgnored > 0 ? [t(locale, 'tp.plan.clv.refunds', { count: clv.refundRowsIgnored })] : []),
      ...clv.modelWarnings.map((warning) => t(locale, 'tp.plan.clv.model', { warning })),
    ],
  };
}

/** One line per budget scenario that could not be allocated: its percentage, budget and reason. */
export function infeasibleScenarioTexts(summary: PlanSummary, locale: Locale): string[] {
  return (summary.infeasibleScenarios ?? []).map((s) =>
    t(locale, 'tp.plan.infeasible', {
      pct: multiplierPercent(s.multiplier),
      budget: formatMoney(s.budgetMinor, summary.minorDigits, locale),
      reason: s.reason,
    }),
  );
}

/** Money for display: minor units in the locale's grouping, with the currency's decimals. */
export function formatMoney(amountMinor: number, minorDigits: number, locale: Locale): string {
  const major = amountMinor / 10 ** minorDigits;
  return new Intl.NumberFormat(locale, {
    minimumFractionDigits: minorDigits,
    maximumFractionDigits: minorDigits,
  }).format(major);
}

export interface RunFailure {
  /** Message key of the title: nothing changed, or (cleanup failed) sheets were left behind. */
  titleKey: 'tp.error.title' | 'tp.error.leftBehind' | 'tp.cancelled.title';
  /** A cancellation the user asked for: shown as information, not as an error. */
  cancelled?: boolean;
  message: string;
}

/** What to tell the user about any thrown value (engine InputError, ExcelWriteError, Office errors), in the pane's language. */
export function describeFailure(error: unknown, locale: Locale = 'en'): RunFailure {
  if (error instanceof RunCancelledError) return { titleKey: 'tp.cancelled.title', message: t(locale, 'run.cancelled'), cancelled: true };
  const leftBehind = error instanceof ExcelWriteError && error.code === 'cleanup-failed';
  return { titleKey: leftBehind ? 'tp.error.leftBehind' : 'tp.error.title', message: errorText(error, locale) };
}

/** An engine error is worded from the i18n catalogue by its key (location included); anything else shows its own message. */
export function errorText(error: unknown, locale: Locale = 'en'): string {
  return localizeError(error, locale);
}

export interface VarianceSummary {
  sheetName: string;
  /** The plan sheet compared with. */
  planSheet: string;
  asOfText: string;
  counts: Partial<Record<VarianceStatus, number>>;
}

/** "Track Variance": the plan table on the chosen sheet against the actual spend, with the pane's tolerances. */
export async function trackVariance(runs: RunClient, settings: VarianceSettings, locale: Locale, columns: ColumnOverrides = {}): Promise<VarianceSummary> {
  const run = await runs.trackVariance({
    ...(Object.keys(columns).length ? { columns } : {}),
    planSheet: settings.planSheet,
    actuals: settings.actuals,
    asOf: settings.asOf,
    locale,
    by: settings.by,
    thresholds: { overTolerance: settings.overTolerance, warnMargin: settings.warnMargin, underMargin: settings.underMargin },
    productVersion: PRODUCT_VERSION,
  });
  return { sheetName: run.sheetName, planSheet: run.planSheet, asOfText: formatIsoDate(run.asOf), counts: run.counts };
}

export interface ApproveSettings {
  sheetName: string;
  /** Blank: the host's signed-in user (Google Sheets). */
  approver: string;
  fullProtection: boolean;
}

export interface ApproveResult {
  sheetName: string;
  approver: string;
  superseded: string[];
}

/** "Approve Plan": stamps and protects the chosen draft, supersedes the plan approved before. */
export async function approvePlan(runs: RunClient, settings: ApproveSettings, locale: Locale): Promise<ApproveResult> {
  const run = await runs.approvePlan({
    sheetName: settings.sheetName,
    ...(settings.approver.trim() ? { approver: settings.approver.trim() } : {}),
    protection: settings.fullProtection ? 'full' : 'warning',
    locale,
    productVersion: PRODUCT_VERSION,
  });
  return { sheetName: settings.sheetName, approver: run.approver, superseded: run.superseded };
}

/** The plan sheet Track Variance preselects: the approved plan, else the newest plan sheet. */
export function defaultPlanSheet(planSheets: readonly PlanSheetState[]): string | undefined {
  const approved = planSheets.filter((p) => p.status === 'approved');
  const pool = approved.length ? approved : planSheets;
  return pool.length ? pool[pool.length - 1].sheetName : undefined;
}

/** The plan sheet Approve Plan preselects: the newest draft. */
export function defaultDraftSheet(planSheets: readonly PlanSheetState[]): string {
  const drafts = planSheets.filter((p) => p.status === 'draft');
  return drafts.length ? drafts[drafts.length - 1].sheetName : '';
}

/**
 * The signed-in user's display name where Office gives it (Office.context.userProfile is missing in
 * many hosts and platforms); blank otherwise. The approver field stays editable.
 */
export function officeUserName(): string {
  try {
    const office = (globalThis as { Office?: { context?: { userProfile?: { displayName?: unknown } } } }).Office;
    const name = office?.context?.userProfile?.displayName;
    return typeof name === 'string' ? name.trim() : '';
  } catch {
    return '';
  }
}
