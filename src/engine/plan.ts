/**
 * A budget plan from a transaction table: RFM scores and segments, ABC tier, a weight per customer,
 * the exact allocation, its phasing over months or quarters and its split across activities, and a
 * per-segment summary. Every host (the task pane, `cbp plan`) builds its plan sheet from this.
 */
import { parameterError } from './errors';
import { civilFromEpochDays, epochDaysFromCivil, EpochDays, formatIsoDate } from './dates';
import { Transactions } from './transactions';
import { computeRfm, RfmOptions, RfmResult } from './rfm';
import { abcClasses, AbcClass } from './tiers';
import { keyedByShownSegmentNames } from './segments';
import { allocateBudget, AllocationMethod, AllocationRequest, AllocationResult, AtBound } from './allocation/allocate';
import { Replan, replanBounds } from './allocation/replan';
import type { ResponseCurve } from './allocation/optimal';
import { elapsedProfiles, equalProfile, monthNames, normaliseProfile, Profile, quarterNames, splitAmount, splitAroundDay, splitByGroupProfiles } from './allocation/phasing';

export type WeightBasis = 'score' | 'monetary' | 'equal' | 'clv';
export type PeriodKind = 'months' | 'quarters';

export interface PlanOptions extends RfmOptions {
  budget: number;
  reserve?: number;
  unit?: number;
  method?: AllocationMethod;
  /** What each customer's weight is (default: the RFM score). */
  weightBasis?: WeightBasis;
  floor?: number;
  cap?: number;
  /** Shares per segment for method `shares`. */
  segmentShares?: Readonly<Record<string, number>>;
  /** weightBasis 'clv': each customer's lifetime value (customers missing from the map weigh 0). */
  clv?: ReadonlyMap<string, number>;
  /** optimal: saturation spend per customer (major units), response curve, segment share limits. */
  saturation?: number;
  response?: ResponseCurve;
  segmentMinShare?: Readonly<Record<string, number>>;
  segmentMaxShare?: Readonly<Record<string, number>>;
  /**
   * Re-planning mid-year: spend to date per customer (minor units). Each customer's floor becomes at
   * least what it has already had, and the rest of the budget is allocated again around it.
   */
  spentToDateMinor?: ReadonlyMap<string, number>;
  /**
   * Re-planning: the last day the spend to date covers. Each customer's spend is then phased over
   * the periods up to that day and the rest of its amount over the periods after it, so the plan
   * expects what was spent so far and nothing more.
   */
  spentThrough?: EpochDays;
  periods?: PeriodKind;
  /** Plan year (default: the year after the as-of date). */
  year?: number;
  /** Seasonal weights per period (default equal). */
  periodWeights?: readonly number[];
  /** Activity mix (default visits 30 %, events 20 %, gifts 15 %, service 25 %, training 10 %). */
  activities?: Profile;
  /** Per-segment activity mixes. */
  segmentActivities?: Readonly<Record<string, Profile>>;
}

export const DEFAULT_ACTIVITIES: Profile = { names: ['visits', 'events', 'gifts', 'service', 'training'], weights: [0.3, 0.2, 0.15, 0.25, 0.1] };

export interface PlanCustomer {
  customer: string;
  segment: string;
  tier: AbcClass;
  recencyDays: number;
  frequency: number;
  monetary: number;
  r: number;
  f: number;
  m: number;
  score: number;
  weight: number;
  amountMinor: number;
  share: number;
  atBound: AtBound;
  periodsMinor: Float64Array;
  activitiesMinor: Float64Array;
  /** Re-planning: what the customer has already had (minor units; 0 when nothing). */
  spentToDateMinor?: number;
}

export interface SegmentSummary {
  segment: string;
  customers: number;
  amountMinor: number;
  share: number;
}

export interface Plan {
  asOf: EpochDays;
  asOfText: string;
  year: number;
  periodNames: string[];
  /** Inclusive [start, end] epoch days of each period. */
  periodRanges: [EpochDays, EpochDays][];
  activityNames: string[];
  customers: PlanCustomer[];
  segments: SegmentSummary[];
  allocation: AllocationResult;
  /** The request the allocation was made from: the same plan at other budgets is this with another budget. */
  allocationRequest: AllocationRequest;
  rfm: RfmResult;
  options: PlanOptions;
  replan?: Replan;
}

/** Inclusive day ranges of the 12 months or 4 quarters of a year. */
export function periodRanges(year: number, kind: PeriodKind): [EpochDays, EpochDays][] {
  const monthsPer = kind === 'months' ? 1 : 3;
  return Array.from({ length: 12 / monthsPer }, (_, p) => [epochDaysFromCivil(year, p * monthsPer + 1, 1), epochDaysFromCivil(year, (p + 1) * monthsPer + 1, 1) - 1]);
}

function weightsFor(rfm: RfmResult, basis: WeightBasis, clv?: ReadonlyMap<string, number>): Float64Array {
  if (basis === 'equal') return new Float64Array(rfm.rows.length).fill(1);
  if (basis === 'clv') {
    if (!clv) throw parameterError('weightBasis', 'plan.clvNeeded');
    return Float64Array.from(rfm.rows, (r) => Math.max(0, clv.get(r.customer) ?? 0));
  }
  if (basis === 'monetary') return Float64Array.from(rfm.rows, (r) => Math.max(0, r.monetary));
  return Float64Array.from(rfm.rows, (r) => r.score);
}

/** Per-segment customer counts and amounts, largest amount first. */
export function summariseSegments(segments: readonly string[], amountsMinor: ArrayLike<number>, distributableMinor: number): SegmentSummary[] {
  const bySegment = new Map<string, SegmentSummary>();
  segments.forEach((segment, i) => {
    const entry = bySegment.get(segment) ?? { segment, customers: 0, amountMinor: 0, share: 0 };
    entry.customers++;
    entry.amountMinor += amountsMinor[i];
    bySegment.set(segment, entry);
  });
  const list = [...bySegment.values()];
  for (const s of list) s.share = distributableMinor > 0 ? s.amountMinor / distributableMinor : 0;
  return list.sort((a, b) => b.amountMinor - a.amountMinor || (a.segment < b.segment ? -1 : 1));
}

/** Scores, allocates, phases and splits a budget across the customers of a transaction table. */
export function computePlan(tx: Transactions, options: PlanOptions): Plan {
  return planFromRfm(computeRfm(tx, options), options);
}

/** Allocates, phases and splits a budget across customers already scored (by computeRfm or rfmFromMeasures with the same options). */
export function planFromRfm(rfm: RfmResult, options: PlanOptions): Plan {
  const periods = options.periods ?? 'months';
  const year = options.year ?? civilFromEpochDays(rfm.asOf).year + 1;
  if (!Number.isInteger(year) || year < 1900 || year > 9999) throw parameterError('year', 'plan.year', { value: year });
  const periodNames = periods === 'months' ? monthNames(year) : quarterNames(year);
  const periodProfile = options.periodWeights ? normaliseProfile({ names: periodNames, weights: options.periodWeights }, 'period weights') : equalProfile(periodNames);
  const segments = rfm.rows.map((r) => r.segment || 'All');
  const shownSegments = new Set(segments);
  const bySegment = <T>(settings: Readonly<Record<string, T>> | undefined) => keyedByShownSegmentNames(settings, shownSegments);
  const weights = weightsFor(rfm, options.weightBasis ?? 'score', options.clv);
  const customerIds = rfm.rows.map((r) => r.customer);
  const fromSpend = options.spentToDateMinor ? replanBounds(customerIds, options.spentToDateMinor, options) : undefined;
  const allocationRequest: AllocationRequest = {
    budget: options.budget,
    reserve: options.reserve,
    unit: options.unit,
    weights,
    floor: fromSpend ? fromSpend.floors : options.floor,
    cap: fromSpend?.caps ?? options.cap,
    method: options.method,
    groups: segments,
    groupShares: bySegment(options.segmentShares),
    minorDigits: options.minorDigits,
    saturation: options.saturation,
    response: options.response,
    groupMinShare: bySegment(options.segmentMinShare),
    groupMaxShare: bySegment(options.segmentMaxShare),
  };
  const allocation = allocateBudget(allocationRequest);
  const activities = options.activities ?? DEFAULT_ACTIVITIES;
  const activitySplit = splitByGroupProfiles(allocation.amountsMinor, segments, activities, bySegment(options.segmentActivities));
  const tiers = abcClasses(Float64Array.from(rfm.rows, (r) => r.monetary));
  const replanPhasing = options.spentToDateMinor && options.spentThrough !== undefined ? elapsedProfiles(periodProfile, periodRanges(year, periods), options.spentThrough) : undefined;
  const customers = rfm.rows.map<PlanCustomer>((r, i) => ({
    customer: r.customer,
    segment: segments[i],
    tier: tiers[i],
    recencyDays: r.recencyDays,
    frequency: r.frequency,
    monetary: r.monetary,
    r: r.r,
    f: r.f,
    m: r.m,
    score: r.score,
    weight: weights[i],
    amountMinor: allocation.amountsMinor[i],
    share: allocation.shares[i],
    atBound: allocation.atBound[i],
    periodsMinor: replanPhasing
      ? splitAroundDay(allocation.amountsMinor[i], Math.min(allocation.amountsMinor[i], Math.max(0, options.spentToDateMinor?.get(r.customer) ?? 0)), replanPhasing)
      : splitAmount(allocation.amountsMinor[i], periodProfile),
    activitiesMinor: activitySplit[i],
    ...(options.spentToDateMinor ? { spentToDateMinor: options.spentToDateMinor.get(r.customer) ?? 0 } : {}),
  }));
  return {
    asOf: rfm.asOf,
    asOfText: formatIsoDate(rfm.asOf),
    year,
    periodNames,
    periodRanges: periodRanges(year, periods),
    activityNames: [...activities.names],
    customers,
    segments: summariseSegments(segments, allocation.amountsMinor, allocation.distributableMinor),
    allocation,
    allocationRequest,
    rfm,
    options,
    ...(fromSpend ? { replan: fromSpend.replan } : {}),
  };
}
