/**
 * Plan against actual (SPEC "Variance"): actual spend added up per plan key up to the as-of date,
 * variance, variance %, utilisation, expected-to-date, and a status for a cost budget, where
 * spending less than plan is favourable. Actual spend on keys the plan does not have is
 * Unplanned: shown, never dropped.
 */
import { engineError, parameterError } from './errors';
import { EpochDays } from './dates';

export type VarianceStatus = 'over-budget' | 'at-risk' | 'under-used' | 'on-track' | 'unplanned';

export interface PlanLines {
  keys: readonly string[];
  planMinor: ArrayLike<number>;
  /** Expected spend to date per line; when omitted, plan x `elapsedShare`. */
  expectedToDateMinor?: ArrayLike<number>;
}

export interface ActualLines {
  keys: readonly string[];
  dates: ArrayLike<number>; // epoch days
  amountsMinor: ArrayLike<number>;
}

export interface VarianceOptions {
  asOf: EpochDays;
  /** Elapsed share of the plan period at as-of, 0..1, used when lines have no expected-to-date. */
  elapsedShare?: number;
  /** Over budget when variance % is above this (default 0). */
  overTolerance?: number;
  /** At risk when actual > expected x (1 + warnMargin) (default 0.10). */
  warnMargin?: number;
  /** Under-used when actual < expected x (1 - underMargin) (default 0.50). */
  underMargin?: number;
}

export interface VarianceRow {
  key: string;
  planMinor: number;
  actualMinor: number;
  expectedToDateMinor: number;
  varianceMinor: number;
  /** variance / plan; null when plan = 0. */
  variancePct: number | null;
  /** actual / plan; null when plan = 0. */
  utilisation: number | null;
  favourable: boolean;
  status: VarianceStatus;
}

export interface VarianceResult {
  rows: VarianceRow[];
  /** Actual rows dated after as-of, left out. */
  actualRowsAfterAsOf: number;
  totals: { planMinor: number; actualMinor: number; unplannedMinor: number };
}

/** Share of [start, end] (inclusive days) elapsed by the end of `asOf`, in 0..1. */
export function elapsedShare(start: EpochDays, end: EpochDays, asOf: EpochDays): number {
  if (end < start) throw parameterError('period', 'variance.periodReversed');
  return Math.min(1, Math.max(0, (asOf - start + 1) / (end - start + 1)));
}

/**
 * Expected spend to date from a phased plan: every period fully elapsed counts whole, the current
 * one pro rata by days. `periods` are inclusive [start, end] day ranges in plan order.
 */
export function expectedFromPhasing(partsMinor: ArrayLike<number>, periods: readonly (readonly [EpochDays, EpochDays])[], asOf: EpochDays): number {
  let expected = 0;
  for (let p = 0; p < periods.length; p++) expected += partsMinor[p] * elapsedShare(periods[p][0], periods[p][1], asOf);
  return Math.round(expected);
}

function checkMargin(name: string, value: number, max = Infinity): number {
  if (!Number.isFinite(value) || value < 0 || value > max) throw max < Infinity ? parameterError(name, 'variance.fractionAtMost', { max, value }) : parameterError(name, 'variance.fraction', { value });
  return value;
}

/** The status of one planned line, the first rule that applies (SPEC order). */
export function varianceStatus(planMinor: number, actualMinor: number, expectedMinor: number, over: number, warn: number, under: number): VarianceStatus {
  if (planMinor === 0 ? actualMinor > 0 : (actualMinor - planMinor) / planMinor > over) return 'over-budget';
  if (actualMinor > expectedMinor * (1 + warn)) return 'at-risk';
  if (actualMinor < expectedMinor * (1 - under)) return 'under-used';
  return 'on-track';
}

/** Compares actual spend with the plan per key. */
export function computeVariance(plan: PlanLines, actual: ActualLines, options: VarianceOptions): VarianceResult {
  const over = checkMargin('over tolerance', options.overTolerance ?? 0);
  const warn = checkMargin('warn margin', options.warnMargin ?? 0.1);
  const under = checkMargin('under margin', options.underMargin ?? 0.5, 1);
  const share = options.elapsedShare === undefined ? 1 : checkMargin('elapsed share', options.elapsedShare, 1);
  const lineOf = new Map<string, number>();
  plan.keys.forEach((key, i) => {
    if (lineOf.has(key)) throw engineError('variance.duplicateKey', { key }, { row: i + 2 }, key);
    lineOf.set(key, i);
  });
  const actualByLine = new Float64Array(plan.keys.length);
  const unplanned = new Map<string, number>();
  let actualRowsAfterAsOf = 0;
  for (let i = 0; i < actual.keys.length; i++) {
    if (actual.dates[i] > options.asOf) {
      actualRowsAfterAsOf++;
      continue;
    }
    const line = lineOf.get(actual.keys[i]);
    if (line === undefined) unplanned.set(actual.keys[i], (unplanned.get(actual.keys[i]) ?? 0) + actual.amountsMinor[i]);
    else actualByLine[line] += actual.amountsMinor[i];
  }
  const rows: VarianceRow[] = [];
  let planTotal = 0;
  let actualTotal = 0;
  plan.keys.forEach((key, i) => {
    const planMinor = plan.planMinor[i];
    const actualMinor = actualByLine[i];
    const expected = plan.expectedToDateMinor ? plan.expectedToDateMinor[i] : Math.round(planMinor * share);
    const varianceMinor = actualMinor - planMinor;
    planTotal += planMinor;
    actualTotal += actualMinor;
    rows.push({
      key,
      planMinor,
      actualMinor,
      expectedToDateMinor: expected,
      varianceMinor,
      variancePct: planMinor === 0 ? null : varianceMinor / planMinor,
      utilisation: planMinor === 0 ? null : actualMinor / planMinor,
      favourable: varianceMinor <= 0,
      status: varianceStatus(planMinor, actualMinor, expected, over, warn, under),
    });
  });
  let unplannedTotal = 0;
  for (const [key, actualMinor] of unplanned) {
    unplannedTotal += actualMinor;
    rows.push({ key, planMinor: 0, actualMinor, expectedToDateMinor: 0, varianceMinor: actualMinor, variancePct: null, utilisation: null, favourable: actualMinor <= 0, status: 'unplanned' });
  }
  return { rows, actualRowsAfterAsOf, totals: { planMinor: planTotal, actualMinor: actualTotal + unplannedTotal, unplannedMinor: unplannedTotal } };
}
