/** Requests and results of a budget allocation (SPEC "Allocation"; issue 6 for `optimal`). */
import { MinorUnits } from '../money';
import { BudgetInput, RowValues } from './budget';
import type { UnallocatedReason } from './proportional';

export type AllocationMethod = 'proportional' | 'equal' | 'shares' | 'optimal';

/** Why a row got its amount: at its floor, at its cap, held by its segment's share limit, or none. */
export type AtBound = 'floor' | 'cap' | 'segment' | '';

/** Response curve of the optimal method: v (1 - e^(-x/s)) ('exp') or v ln(1 + x/s) ('log'). */
export type ResponseCurve = 'exp' | 'log';

export interface AllocationRequest extends BudgetInput {
  /** Per row, >= 0: a score, CLV or any value; for `optimal`, the value at stake v. */
  weights: ArrayLike<number>;
  /** Major units: one number for every row, or one per row (NaN for none). */
  floor?: RowValues;
  cap?: RowValues;
  method?: AllocationMethod;
  /** Group of each row (segment, tier, lifecycle stage): for `shares`, and segment limits of `optimal`. */
  groups?: readonly string[];
  /** Share of the distributable amount per group, adding up to 1, for `shares`. */
  groupShares?: Readonly<Record<string, number>>;
  /** How a group's budget is split inside the group (default proportional). */
  withinGroup?: 'proportional' | 'equal';
  /** Source row number of row 0, for messages (default 1). */
  firstRow?: number;
  /** The source's names of the weight (value) and saturation columns, for messages (default: weight, saturation). */
  columnNames?: { weight?: string; saturation?: string };
  /** optimal: saturation spend s per row (major units; a number for all rows or one per row), > 0. */
  saturation?: number | ArrayLike<number>;
  /** optimal: response curve (default exp). */
  response?: ResponseCurve;
  /** optimal: minimum and maximum share of the distributable amount per group (segment), 0..1. */
  groupMinShare?: Readonly<Record<string, number>>;
  groupMaxShare?: Readonly<Record<string, number>>;
}

/** A segment whose share limit binds in the optimal plan. */
export interface SegmentLimit {
  limit: 'min' | 'max';
  /** The segment's own marginal return per rounding unit (above lambda at a max: it would take more; below it at a min). */
  lambda: number;
}

export interface OptimalDetails {
  /** The next rounding unit of budget returns about this much response (marginal return of free rows). */
  lambdaPerUnit: number;
  /** The same per one major currency unit (per ¥1 / $1). */
  lambdaPerCurrencyUnit: number;
  curve: ResponseCurve;
  /** Total expected response of the rounded plan. */
  totalResponse: number;
  /** Total response of the same budget split proportionally to the values within the same floors, caps and segment limits. */
  proportionalResponse: number;
  /** totalResponse / proportionalResponse - 1: the gain over a proportional split (undefined when that split returns nothing). */
  gainOverProportional?: number;
  /** Per row: marginal response per rounding unit at the rounded amount. */
  marginalReturn: Float64Array;
  /** Per row: expected response at the rounded amount. */
  expectedResponse: Float64Array;
  /** Segments held at a share limit. */
  segmentLimits: Record<string, SegmentLimit>;
}

/** Per group of the shares method: its budget and what it could not place. */
export interface GroupAllocation {
  group: string;
  customers: number;
  budgetMinor: MinorUnits;
  allocatedMinor: MinorUnits;
  unallocatedMinor: MinorUnits;
}

export interface AllocationResult {
  method: AllocationMethod;
  budgetMinor: MinorUnits;
  unitMinor: MinorUnits;
  distributableMinor: MinorUnits;
  /** B - D, before any unallocated remainder. */
  reserveMinor: MinorUnits;
  /** Part of D no row could take (every row that may take more is at a cap or limit); added to the reserve. */
  unallocatedMinor: MinorUnits;
  unallocatedReason?: UnallocatedReason;
  /** Per row, in minor units: multiples of the unit that add up to D - unallocated. */
  amountsMinor: Float64Array;
  /** Per row: amount / D. */
  shares: Float64Array;
  atBound: AtBound[];
  weights: Float64Array;
  /** Per row, the floor and cap actually applied, in whole units of u (floors rounded up, caps down; Infinity for none). */
  floorUnits: Float64Array;
  capUnits: Float64Array;
  minorDigits: number;
  /** The proportionality factor of proportional / equal: minor units per unit of weight for rows between bounds. */
  lambda?: number;
  groups?: GroupAllocation[];
  optimal?: OptimalDetails;
}
