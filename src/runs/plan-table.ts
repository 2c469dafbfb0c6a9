/**
 * Host-independent parts of "Track Variance": reading a plan table (as rows of cell values, header
 * first) back into plan lines, reading actual spend rows, and turning both into the engine's
 * variance inputs. The same reading as `cbp variance` does for a plan workbook, in minor units.
 */
import { CellValue, InputError } from '../engine/errors';
import { EpochDays, epochDaysFromCivil, readDate } from '../engine/dates';
import { readMoney, toMinorUnits } from '../engine/money';
import { ColumnOverrides, normaliseHeader, resolveColumns } from '../engine/headers';
import { isBlankCell, readKey } from '../engine/transactions';
import { ActualLines, computeVariance, elapsedShare, expectedFromPhasing, PlanLines, VarianceResult } from '../engine/variance';
import { Locale, t } from '../i18n';

export type VarianceKey = 'customer' | 'activity';

/** A plan table as read back, per customer: plan, period parts and activity parts (minor units). */
export interface PlanTableLines {
  customers: string[];
  planMinor: number[];
  periodRanges: [EpochDays, EpochDays][];
  periodPartsMinor: number[][];
  /** Canonical activity names (visits, events ...), whatever the table's language. */
  activityNames: string[];
  activityPartsMinor: number[][];
}

const ACTIVITIES = ['visits', 'events', 'gifts', 'service', 'training'];
const ALLOCATION_HEADERS = new Set([t('en', 'col.allocation'), t('zh-CN', 'col.allocation'), 'allocation', 'plan', 'budget', '计划', '预算'].map(normaliseHeader));
const ACTUAL_AMOUNT_HEADERS = new Set(['actual', 'spend', '实际', '实际支出'].map(normaliseHeader));
const ACTIVITY_BY_LABEL = new Map<string, string>();
for (const name of ACTIVITIES) for (const label of [name, t('en', `activity.${name}`), t('zh-CN', `activity.${name}`)]) ACTIVITY_BY_LABEL.set(normaliseHeader(label), name);

/** Inclusive day range of a period column: 2026-03 (a month) or 2026-Q1 (a quarter). */
export function periodRangeOf(name: string): [EpochDays, EpochDays] | undefined {
  const month = /^(\d{4})-(\d{2})$/.exec(name);
  if (month) return [epochDaysFromCivil(+month[1], +month[2], 1), epochDaysFromCivil(+month[1], +month[2] + 1, 1) - 1];
  const quarter = /^(\d{4})-Q([1-4])$/.exec(name);
  if (quarter) return [epochDaysFromCivil(+quarter[1], (+quarter[2] - 1) * 3 + 1, 1), epochDaysFromCivil(+quarter[1], +quarter[2] * 3 + 1, 1) - 1];
  return undefined;
}

/** Plan tables are CBP_Plan, CBP_Plan_2, ...: the number of a plan table name (1 for CBP_Plan), or -1. */
export function planTableIndex(name: string): number {
  const match = /^CBP_Plan(?:_(\d+))?$/i.exec(name);
  return match ? Number(match[1] ?? 1) : -1;
}

/** The newest plan table among `tables` (optionally only those on `sheet`), or undefined. */
export function newestPlanTable<T extends { name: string; sheet: string }>(tables: readonly T[], sheet?: string): T | undefined {
  let best: T | undefined;
  for (const table of tables) {
    if (sheet !== undefined && table.sheet.toLowerCase() !== sheet.toLowerCase()) continue;
    if (planTableIndex(table.name) > (best ? planTableIndex(best.name) : 0)) best = table;
  }
  return best;
}

function moneyCell(value: CellValue): number {
  return typeof value === 'number' ? toMinorUnits(value) : isBlankCell(value) ? 0 : readMoney(value);
}

/** Reads a plan table's rows (header first, English or Chinese headers; the totals row left out). */
export function readPlanTableRows(rows: readonly CellValue[][], tableName = 'CBP_Plan', locale: Locale = 'en'): PlanTableLines {
  const header = (rows[0] ?? []).map((h) => String(h ?? ''));
  const allocationCol = header.findIndex((h) => ALLOCATION_HEADERS.has(normaliseHeader(h)));
  if (allocationCol < 0) throw new InputError('missing-column', t(locale, 'runs.noAllocationColumn', { table: tableName }));
  const periodCols = header.map((h, c) => (periodRangeOf(h) ? c : -1)).filter((c) => c >= 0);
  const activityCols = header.map((h, c) => (ACTIVITY_BY_LABEL.has(normaliseHeader(h)) ? c : -1)).filter((c) => c >= 0);
  const lines: PlanTableLines = {
    customers: [],
    planMinor: [],
    periodRanges: periodCols.map((c) => periodRangeOf(header[c]) as [EpochDays, EpochDays]),
    periodPartsMinor: [],
    activityNames: activityCols.map((c) => ACTIVITY_BY_LABEL.get(normaliseHeader(header[c])) as string),
    activityPartsMinor: [],
  };
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r];
    if (isBlankCell(row[0]) || typeof row[allocationCol] !== 'number') continue; // a blank or totals row
    lines.customers.push(String(row[0]));
    lines.planMinor.push(moneyCell(row[allocationCol]));
    lines.periodPartsMinor.push(periodCols.map((c) => moneyCell(row[c])));
    lines.activityPartsMinor.push(activityCols.map((c) => moneyCell(row[c])));
  }
  return lines;
}

/**
 * Actual spend rows (customer, date, amount / actual / spend, optional activity) keyed by customer
 * or activity. `dates: 'optional'` (spend to date for a re-plan) also takes a table without a date
 * column; its lines then have no date (NaN).
 */
export function readActualRows(rows: readonly CellValue[][], by: VarianceKey, sourceLabel = 'table', locale: Locale = 'en', options: { dates?: 'required' | 'optional'; columns?: ColumnOverrides } = {}): ActualLines {
  if (rows.length < 2) throw new InputError('no-data', t(locale, 'runs.noActuals', { source: sourceLabel }));
  const header = rows[0].map((h) => (ACTUAL_AMOUNT_HEADERS.has(normaliseHeader(h)) ? 'amount' : h));
  const at = options.dates === 'optional' ? resolveColumns(header, ['customer', 'amount'] as const, ['date', 'activity'], options.columns) : resolveColumns(header, ['customer', 'date', 'amount'] as const, ['activity'], options.columns);
  if (by === 'activity' && at.activity === undefined) throw new InputError('missing-column', t(locale, 'runs.needsActivity'));
  const keys: string[] = [];
  const dates: number[] = [];
  const amountsMinor: number[] = [];
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r];
    if (row.every(isBlankCell)) continue;
    const where = (c: number) => ({ row: r + 1, column: String(rows[0][c]) });
    const customer = readKey(row[at.customer], where(at.customer), 'customer');
    dates.push(at.date === undefined ? NaN : readDate(row[at.date], where(at.date)));
    amountsMinor.push(readMoney(row[at.amount], where(at.amount)));
    if (by === 'customer') keys.push(customer);
    else {
      const label = readKey(row[at.activity as number], where(at.activity as number), 'activity');
      keys.push(ACTIVITY_BY_LABEL.get(normaliseHeader(label)) ?? label);
    }
  }
  if (!keys.length) throw new InputError('no-data', t(locale, 'runs.noActuals', { source: sourceLabel }));
  return { keys, dates, amountsMinor };
}

/**
 * Share of each customer's plan expected to be spent by `asOf`: from its own period phasing, or,
 * for a plan without period columns, the elapsed share of as-of's calendar year (as `cbp variance`).
 */
export function expectedShares(plan: PlanTableLines, asOf: EpochDays): number[] {
  if (!plan.periodRanges.length) {
    const year = new Date(asOf * 86_400_000).getUTCFullYear();
    const share = elapsedShare(epochDaysFromCivil(year, 1, 1), epochDaysFromCivil(year, 12, 31), asOf);
    return plan.customers.map(() => share);
  }
  return plan.customers.map((_, i) => {
    const parts = plan.periodPartsMinor[i];
    let total = 0;
    for (const part of parts) total += part;
    return total > 0 ? expectedFromPhasing(parts, plan.periodRanges, asOf) / total : 0;
  });
}

/** Plan and expected-to-date lines per customer, or per activity (summed over customers). */
export function planLinesFor(plan: PlanTableLines, by: VarianceKey, asOf: EpochDays, locale: Locale = 'en'): PlanLines {
  const shares = expectedShares(plan, asOf);
  if (by === 'customer') return { keys: plan.customers, planMinor: plan.planMinor, expectedToDateMinor: plan.planMinor.map((p, i) => Math.round(p * shares[i])) };
  if (!plan.activityNames.length) throw new InputError('missing-column', t(locale, 'runs.needsActivity'));
  const planMinor = plan.activityNames.map(() => 0);
  const expected = plan.activityNames.map(() => 0);
  plan.activityPartsMinor.forEach((parts, i) =>
    parts.forEach((part, k) => {
      planMinor[k] += part;
      expected[k] += part * shares[i];
    }),
  );
  return { keys: plan.activityNames, planMinor, expectedToDateMinor: expected.map(Math.round) };
}

export interface VarianceThresholds {
  overTolerance: number;
  warnMargin: number;
  underMargin: number;
}

export const DEFAULT_VARIANCE_THRESHOLDS: VarianceThresholds = { overTolerance: 0, warnMargin: 0.1, underMargin: 0.5 };

/** Variance of a read-back plan against actual rows, as of `asOf` (default: the latest actual date). */
export function varianceOfPlanTable(plan: PlanTableLines, actual: ActualLines, by: VarianceKey, asOf?: EpochDays, thresholds: VarianceThresholds = DEFAULT_VARIANCE_THRESHOLDS, locale: Locale = 'en'): { result: VarianceResult; asOf: EpochDays } {
  let latest = -Infinity;
  for (let i = 0; i < actual.dates.length; i++) latest = Math.max(latest, actual.dates[i]);
  const day = asOf ?? latest;
  const result = computeVariance(planLinesFor(plan, by, day, locale), actual, { asOf: day, ...thresholds });
  return { result, asOf: day };
}

/** Number of variance rows per status (over-budget, at-risk, under-used, on-track, unplanned). */
export function statusCounts(result: VarianceResult): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const row of result.rows) counts[row.status] = (counts[row.status] ?? 0) + 1;
  return counts;
}
