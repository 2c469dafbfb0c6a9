/**
 * What the task pane's buttons do, as plain async functions over an ExcelHost: the components call
 * these and show their results; every Excel call happens in src/hosts/excel (or, for variance, in
 * ./variance-run), every number comes from the engine.
 */
import type { PlanOptions } from '../engine/plan';
import {
  ExcelWriteError,
  listPlanSheets,
  readWorkbookNames,
  runPlanInExcel,
  ExcelHost,
  SourceRef,
} from '../hosts/excel';
import type { PlanSheetState } from '../workbook/approval';
import type { Locale } from '../i18n';
import packageJson from '../../package.json';

export const PRODUCT_VERSION: string = packageJson.version;

export interface WorkbookChoices {
  /** Tables that can hold transactions (the product's own CBP_ tables are left out). */
  tables: string[];
  planSheets: PlanSheetState[];
}

/** Tables the product writes itself (plans, variance, log): never a transaction source. */
const PRODUCT_TABLE = /^CBP_/i;

export async function loadWorkbookChoices(host: ExcelHost): Promise<WorkbookChoices> {
  const names = await readWorkbookNames(host);
  const planSheets = await listPlanSheets(host);
  return { tables: names.tableNames.filter((name) => !PRODUCT_TABLE.test(name)), planSheets };
}

export type Progress = { phase: 'read' | 'write'; done: number; total: number };

export interface PlanSummary {
  sheetName: string;
  customers: number;
  budgetMinor: number;
  allocatedMinor: number;
  reserveMinor: number;
  unallocatedMinor: number;
  minorDigits: number;
  syncs: number;
}

export async function generatePlan(
  host: ExcelHost,
  request: {
    source: SourceRef;
    options: PlanOptions;
    locale: Locale;
    onProgress?: (progress: Progress) => void;
  },
): Promise<PlanSummary> {
  const result = await runPlanInExcel(host, {
    source: request.source,
    plan: request.options,
    locale: request.locale,
    productVersion: PRODUCT_VERSION,
    onProgress: (phase, done, total) => request.onProgress?.({ phase, done, total }),
  });
  const allocation = result.plan.allocation;
  return {
    sheetName: result.sheetName,
    customers: result.plan.customers.length,
    budgetMinor: allocation.budgetMinor,
    // D = allocated + unallocated, B = D + reserve (SPEC "Allocation").
    allocatedMinor: allocation.distributableMinor - allocation.unallocatedMinor,
    reserveMinor: allocation.reserveMinor,
    unallocatedMinor: allocation.unallocatedMinor,
    minorDigits: allocation.minorDigits,
    syncs: result.syncs.read + result.syncs.write,
  };
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
  titleKey: 'tp.error.title' | 'tp.error.leftBehind';
  message: string;
}

/** What to tell the user about any thrown value (engine InputError, ExcelWriteError, Office errors). */
export function describeFailure(error: unknown): RunFailure {
  const leftBehind = error instanceof ExcelWriteError && error.code === 'cleanup-failed';
  return { titleKey: leftBehind ? 'tp.error.leftBehind' : 'tp.error.title', message: errorText(error) };
}

export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
