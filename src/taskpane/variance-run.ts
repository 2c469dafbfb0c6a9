/**
 * "Track Variance" in Excel: read a plan sheet's CBP_Plan table and the actual spend, compare them
 * with the engine's computeVariance, and write a variance sheet through the Excel host. Plain module
 * (no React). It mirrors `cbp variance` for a plan workbook; the Excel host had no variance run yet.
 */
import type { CellValue } from '../engine/errors';
import { InputError } from '../engine/errors';
import { epochDaysFromCivil, EpochDays, formatIsoDate, readDate } from '../engine/dates';
import { readMoney, toMinorUnits } from '../engine/money';
import { normaliseHeader, resolveColumns } from '../engine/headers';
import { isBlankCell, readKey } from '../engine/transactions';
import {
  computeVariance,
  expectedFromPhasing,
  PlanLines,
  ActualLines,
  VarianceStatus,
} from '../engine/variance';
import { ExcelHost, readSource, readWorkbookNames, writeWorkbookSpec } from '../hosts/excel';
import { PLAN_TABLE_NAME } from '../hosts/excel/workbook-info';
import { buildVarianceWorkbook } from '../workbook/variance-sheet';
import { Locale, t } from '../i18n';
import type { VarianceSettings } from './form';
import { PRODUCT_VERSION } from './actions';

const ACTIVITIES = ['visits', 'events', 'gifts', 'service', 'training'];
const ALLOCATION_HEADERS = new Set(
  [t('en', 'col.allocation'), t('zh-CN', 'col.allocation'), 'allocation', 'plan', 'budget'].map(
    normaliseHeader,
  ),
);
const ACTUAL_AMOUNT_HEADERS = new Set(['actual', 'spend', '实际', '实际支出'].map(normaliseHeader));
const ACTIVITY_BY_LABEL = new Map<string, string>();
for (const name of ACTIVITIES) {
  for (const label of [name, t('en', `activity.${name}`), t('zh-CN', `activity.${name}`)])
    ACTIVITY_BY_LABEL.set(normaliseHeader(label), name);
}

/** A plan table as read back: per customer, plan, period parts and activity parts (minor units). */
export interface PlanTableLines {
  customers: string[];
  planMinor: number[];
  periodRanges: [EpochDays, EpochDays][];
  periodPartsMinor: number[][];
  activityNames: string[];
  activityPartsMinor: number[][];
}

/** Inclusive day range of a period column: 2026-03 or 2026-Q1. */
export function periodRangeOf(name: string): [EpochDays, EpochDays] | undefined {
  const month = /^(\d{4})-(\d{2})$/.exec(name);
  if (month)
    return [epochDaysFromCivil(+month[1], +month[2], 1), epochDaysFromCivil(+month[1], +month[2] + 1, 1) - 1];
  const quarter = /^(\d{4})-Q([1-4])$/.exec(name);
  if (quarter)
    return [
      epochDaysFromCivil(+quarter[1], (+quarter[2] - 1) * 3 + 1, 1),
      epochDaysFromCivil(+quarter[1], +quarter[2] * 3 + 1, 1) - 1,
    ];
  return undefined;
}

function moneyCell(value: CellValue): number {
  return typeof value === 'number' ? toMinorUnits(value) : isBlankCell(value) ? 0 : readMoney(value);
}

/** Reads the rows of a CBP_Plan table (header first, in English or Chinese). */
export function readPlanTable(rows: readonly CellValue[][]): PlanTableLines {
  const header = rows[0].map((h) => String(h ?? ''));
  const allocationCol = header.findIndex((h) => ALLOCATION_HEADERS.has(normaliseHeader(h)));
  if (allocationCol < 0)
    throw new InputError(
      'missing-column',
      'the plan table has no allocation column; choose a sheet written by Generate Plan',
    );
  const periodCols = header.map((h, c) => (periodRangeOf(h) ? c : -1)).filter((c) => c >= 0);
  const activityCols = header
    .map((h, c) => (ACTIVITY_BY_LABEL.has(normaliseHeader(h)) ? c : -1))
    .filter((c) => c >= 0);
  const lines: PlanTableLines = {
    customers: [],
    planMinor: [],
    periodRanges: periodCols.map((c) => periodRangeOf(header[c]) as [EpochDays, EpochDays]),
    periodPartsMinor: [],
    activityNames: activityCols.map((c) => ACTIVITY_BY_LABEL.get(normaliseHeader(header[c])) as string),
    activityPartsMinor: [],
  };
  rows.slice(1).forEach((row) => {
    if (isBlankCell(row[0]) || typeof row[allocationCol] !== 'number') return;
    lines.customers.push(String(row[0]).trim());
    lines.planMinor.push(moneyCell(row[allocationCol]));
    lines.periodPartsMinor.push(periodCols.map((c) => moneyCell(row[c])));
    lines.activityPartsMinor.push(activityCols.map((c) => moneyCell(row[c])));
  });
  return lines;
}

/** Actual spend rows keyed by customer or activity. */
export function readActualRows(rows: readonly CellValue[][], by: 'customer' | 'activity'): ActualLines {
  if (rows.length < 2)
    throw new InputError(
      'no-data',
      'the actual spend has no rows; choose a table with customer, date and amount columns',
    );
  const header = rows[0].map((h) => (ACTUAL_AMOUNT_HEADERS.has(normaliseHeader(h)) ? 'amount' : h));
  const at = resolveColumns(header, ['customer', 'date', 'amount'] as const, ['activity']);
  if (by === 'activity' && at.activity === undefined)
    throw new InputError(
      'missing-column',
      'comparing by activity needs an activity column in the actual spend',
    );
  const keys: string[] = [];
  const dates: number[] = [];
  const amountsMinor: number[] = [];
  rows.slice(1).forEach((row, i) => {
    if (row.every(isBlankCell)) return;
    const where = (c: number) => ({ row: i + 2, column: String(rows[0][c]) });
    const customer = readKey(row[at.customer], where(at.customer), 'customer');
    dates.push(readDate(row[at.date], where(at.date)));
    amountsMinor.push(readMoney(row[at.amount], where(at.amount)));
    if (by === 'customer') keys.push(customer);
    else {
      const label = readKey(row[at.activity as number], where(at.activity as number), 'activity');
      keys.push(ACTIVITY_BY_LABEL.get(normaliseHeader(label)) ?? label);
    }
  });
  return { keys, dates, amountsMinor };
}

/** Plan and expected-to-date lines per customer or per activity, from the plan's phasing. */
export function planLinesFor(plan: PlanTableLines, by: 'customer' | 'activity', asOf: EpochDays): PlanLines {
  // Expected share of each customer's plan spent by as-of, from its own phasing.
  const expectedShare = plan.customers.map((_, i) => {
    const parts = plan.periodPartsMinor[i];
    const total = parts.reduce((s, v) => s + v, 0);
    return total > 0 ? expectedFromPhasing(parts, plan.periodRanges, asOf) / total : 0;
  });
  if (by === 'customer')
    return {
      keys: plan.customers,
      planMinor: plan.planMinor,
      expectedToDateMinor: plan.planMinor.map((p, i) => Math.round(p * expectedShare[i])),
    };
  if (!plan.activityNames.length)
    throw new InputError(
      'missing-column',
      'the plan table has no activity columns; compare by customer instead',
    );
  const planMinor = plan.activityNames.map((_, k) =>
    plan.activityPartsMinor.reduce((s, parts) => s + parts[k], 0),
  );
  const expectedMinor = plan.activityNames.map((_, k) =>
    Math.round(plan.activityPartsMinor.reduce((s, parts, i) => s + parts[k] * expectedShare[i], 0)),
  );
  return { keys: plan.activityNames, planMinor, expectedToDateMinor: expectedMinor };
}

/** The CBP_Plan table on a plan sheet. */
async function planTableOn(host: ExcelHost, sheetName: string): Promise<string> {
  const names = await host.run(async (context) => {
    const tables = context.workbook.worksheets.getItem(sheetName).tables.load('items/name');
    await context.sync();
    return tables.items.map((table) => table.name);
  });
  const name = names.find((n) => PLAN_TABLE_NAME.test(n));
  if (!name)
    throw new InputError(
      'missing-column',
      `the sheet '${sheetName}' has no plan table (CBP_Plan); choose a sheet written by Generate Plan`,
    );
  return name;
}

export interface VarianceSummary {
  sheetName: string;
  asOfText: string;
  counts: Partial<Record<VarianceStatus, number>>;
}

export async function trackVariance(
  host: ExcelHost,
  settings: VarianceSettings,
  locale: Locale,
): Promise<VarianceSummary> {
  const planTable = await planTableOn(host, settings.planSheet);
  const plan = readPlanTable((await readSource(host, { kind: 'table', name: planTable }, { locale })).rows);
  const actualSource = await readSource(host, settings.actuals, { locale });
  const actuals = readActualRows(actualSource.rows, settings.by);
  const asOf = settings.asOf ?? Math.max(...Array.from(actuals.dates));
  const options = {
    asOf,
    overTolerance: settings.overTolerance,
    warnMargin: settings.warnMargin,
    underMargin: settings.underMargin,
  };
  const result = computeVariance(planLinesFor(plan, settings.by, asOf), actuals, options);
  const names = await readWorkbookNames(host);
  const spec = buildVarianceWorkbook(
    {
      result,
      ...options,
      minorDigits: 2,
      keyLabel: settings.by === 'customer' ? t(locale, 'col.customer') : t(locale, 'tp.variance.by.activity'),
    },
    {
      locale,
      existingSheetNames: names.sheetNames,
      existingTableNames: names.tableNames,
      writtenAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      productVersion: PRODUCT_VERSION,
      source: `${settings.planSheet} + ${actualSource.address}`,
    },
  );
  await writeWorkbookSpec(host, spec, { locale });
  const counts: Partial<Record<VarianceStatus, number>> = {};
  for (const row of result.rows) counts[row.status] = (counts[row.status] ?? 0) + 1;
  return { sheetName: spec.sheets[0].name, asOfText: formatIsoDate(asOf), counts };
}
