/**
 * Splitting a budget across customers exactly (SPEC "Allocation"): proportional, equal or by
 * group shares, within floors and caps, after a reserve, in multiples of the rounding unit that add
 * up to the distributable amount to the last unit.
 */
import { InputError, parameterError } from '../errors';
import { fromMinorUnits, MinorUnits, minorPerMajor } from '../money';
import { BudgetInput, BudgetSplit, boundsInUnits, splitBudget } from './budget';
import { solveClampedProportional } from './proportional';
import { roundLargestRemainder } from './rounding';
import { marginalResponse, response, ResponseCurve, solveOptimal, totalResponse } from './optimal';

export type AllocationMethod = 'proportional' | 'equal' | 'shares' | 'optimal';
export type AtBound = 'floor' | 'cap' | 'segment' | '';

export interface AllocationRequest extends BudgetInput {
  /** Per row, >= 0: a score, CLV or any value. */
  weights: ArrayLike<number>;
  /** Major units: one number for every row, or one per row (NaN for none). */
  floor?: number | ArrayLike<number>;
  cap?: number | ArrayLike<number>;
  method?: AllocationMethod;
  /** Group of each row (segment, tier, lifecycle stage), for `shares`. */
  groups?: readonly string[];
  /** Share of the distributable amount per group, adding up to 1, for `shares`. */
  groupShares?: Readonly<Record<string, number>>;
  /** How a group's budget is split inside the group (default proportional). */
  withinGroup?: 'proportional' | 'equal';
  /** Source row number of row 0, for messages (default 1). */
  firstRow?: number;
  /** optimal: saturation spend s per row (major units; a number for all rows or one per row). */
  saturation?: number | ArrayLike<number>;
  /** optimal: response curve (default exp). The weights are the values at stake v. */
  response?: ResponseCurve;
  /** optimal: minimum and maximum share of D per group (segment). */
  groupMinShare?: Readonly<Record<string, number>>;
  groupMaxShare?: Readonly<Record<string, number>>;
}

export interface OptimalDetails {
  /** The next rounding unit of budget returns about lambda (in the units of the values at stake). */
  lambdaPerUnit: number;
  totalResponse: number;
  /** The same budget split proportionally to the values, for the gain. */
  proportionalResponse: number;
  marginalReturn: Float64Array;
  expectedResponse: Float64Array;
  segmentLimits: Record<string, { limit: 'min' | 'max'; lambda: number }>;
}

export interface AllocationResult {
  method: AllocationMethod;
  budgetMinor: MinorUnits;
  unitMinor: MinorUnits;
  distributableMinor: MinorUnits;
  /** B - D, before any unallocated remainder. */
  reserveMinor: MinorUnits;
  /** Part of D no row could take because every row is at its cap; added to the reserve. */
  unallocatedMinor: MinorUnits;
  /** Per row, in minor units: multiples of the unit that add up to D - unallocated. */
  amountsMinor: Float64Array;
  /** Per row: amount / D. */
  shares: Float64Array;
  atBound: AtBound[];
  weights: Float64Array;
  minorDigits: number;
  optimal?: OptimalDetails;
}

/** Weights as numbers >= 0, naming the row of a bad one. */
function checkedWeights(weights: ArrayLike<number>, firstRow: number): Float64Array {
  const checked = new Float64Array(weights.length);
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i];
    if (!Number.isFinite(w) || w < 0) {
      throw new InputError('bad-number', `the weight ${w} must be a number of 0 or more`, { row: firstRow + i, column: 'weight' }, w);
    }
    checked[i] = w;
  }
  return checked;
}

function sum(values: Float64Array): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total;
}

interface UnitAllocation {
  units: Float64Array;
  unallocatedUnits: number;
}

/** Proportional within bounds, rounded; at most `totalUnits`, the rest reported as unallocated. */
function allocateUnits(weights: Float64Array, lower: Float64Array, upper: Float64Array, totalUnits: number, describe: (n: number) => string): UnitAllocation {
  const floorSum = sum(lower);
  if (floorSum > totalUnits) {
    throw new InputError('infeasible', `the floors add up to ${describe(floorSum)}, more than the ${describe(totalUnits)} to distribute; lower the floors or raise the budget`);
  }
  const capSum = sum(upper);
  if (capSum <= totalUnits) return { units: Float64Array.from(upper), unallocatedUnits: totalUnits - capSum };
  let roomWeight = 0;
  for (let i = 0; i < weights.length; i++) if (upper[i] > lower[i]) roomWeight += weights[i];
  if (totalUnits > floorSum && roomWeight === 0) {
    throw new InputError('infeasible', 'every weight is 0 (or every customer with a weight is already at its cap), so there is no proportion to split by; give some customers a positive weight or use the equal method');
  }
  const { amounts } = solveClampedProportional({ weights, lower, upper, total: totalUnits });
  return { units: roundLargestRemainder({ amounts, lower, upper, total: totalUnits, weights }), unallocatedUnits: 0 };
}

/** Splits the distributable units across groups by their shares (largest remainder), then inside each group. */
function allocateByShares(request: AllocationRequest, weights: Float64Array, lower: Float64Array, upper: Float64Array, totalUnits: number, describe: (n: number) => string): UnitAllocation {
  const groups = request.groups;
  const shares = request.groupShares;
  if (!groups || groups.length !== weights.length) throw parameterError('groups', 'the shares method needs a group (segment) for every row');
  if (!shares) throw parameterError('group shares', 'the shares method needs a share per group, e.g. Champions=0.4,Others=0.6');
  const names = Object.keys(shares);
  const shareSum = names.reduce((s, g) => s + shares[g], 0);
  if (names.some((g) => !Number.isFinite(shares[g]) || shares[g] < 0) || Math.abs(shareSum - 1) > 1e-9) {
    throw parameterError('group shares', `shares must be 0 or more and add up to 1 (100 %); they add up to ${shareSum}`);
  }
  const rowsOf = new Map<string, number[]>(names.map((g) => [g, []]));
  groups.forEach((g, i) => {
    const rows = rowsOf.get(g);
    if (!rows) throw new InputError('bad-parameter', `the group '${g}' has no share; add it to the shares (e.g. ${g}=0.1)`, { row: (request.firstRow ?? 1) + i, column: 'segment' }, g);
    rows.push(i);
  });
  const groupUnits = roundLargestRemainder({
    amounts: Float64Array.from(names, (g) => shares[g] * totalUnits),
    lower: new Float64Array(names.length),
    upper: new Float64Array(names.length).fill(Infinity),
    total: totalUnits,
    weights: Float64Array.from(names, (g) => shares[g]),
  });
  const units = new Float64Array(weights.length);
  let unallocatedUnits = 0;
  names.forEach((g, k) => {
    const rows = rowsOf.get(g) as number[];
    if (rows.length === 0) {
      unallocatedUnits += groupUnits[k];
      return;
    }
    const pick = (a: Float64Array) => Float64Array.from(rows, (i) => a[i]);
    const groupWeights = request.withinGroup === 'equal' ? new Float64Array(rows.length).fill(1) : pick(weights);
    const inside = allocateUnits(groupWeights, pick(lower), pick(upper), groupUnits[k], describe);
    rows.forEach((i, j) => (units[i] = inside.units[j]));
    unallocatedUnits += inside.unallocatedUnits;
  });
  return { units, unallocatedUnits };
}

/** Allocates a budget to rows; see AllocationRequest. */
export function allocateBudget(request: AllocationRequest): AllocationResult {
  const method = request.method ?? 'proportional';
  const minorDigits = request.minorDigits ?? 2;
  const firstRow = request.firstRow ?? 1;
  const split: BudgetSplit = splitBudget(request);
  const weights = checkedWeights(request.weights, firstRow);
  const n = weights.length;
  if (n === 0) throw new InputError('no-data', 'there are no customers to allocate to');
  const { lowerUnits, upperUnits } = boundsInUnits(n, split, request.floor, request.cap, minorDigits, firstRow);
  const describe = (units: number) => (fromMinorUnits(units * split.unitMinor, minorDigits)).toFixed(minorDigits);
  let allocation: UnitAllocation;
  let optimal: OptimalDetails | undefined;
  if (method === 'proportional') allocation = allocateUnits(weights, lowerUnits, upperUnits, split.distributableUnits, describe);
  else if (method === 'equal') allocation = allocateUnits(new Float64Array(n).fill(1), lowerUnits, upperUnits, split.distributableUnits, describe);
  else if (method === 'shares') allocation = allocateByShares(request, weights, lowerUnits, upperUnits, split.distributableUnits, describe);
  else if (method === 'optimal') ({ allocation, optimal } = allocateOptimally(request, weights, lowerUnits, upperUnits, split, describe));
  else throw parameterError('method', `must be proportional, equal, shares or optimal (got ${String(method)})`);
  const amountsMinor = new Float64Array(n);
  const shares = new Float64Array(n);
  const atBound: AtBound[] = new Array<AtBound>(n);
  for (let i = 0; i < n; i++) {
    const units = allocation.units[i];
    amountsMinor[i] = units * split.unitMinor + 0; // + 0 turns -0 into 0
    shares[i] = split.distributableUnits > 0 ? units / split.distributableUnits : 0;
    const group = request.groups?.[i];
    const atSegment = optimal !== undefined && group !== undefined && optimal.segmentLimits[group] !== undefined;
    atBound[i] = units >= upperUnits[i] ? 'cap' : units <= lowerUnits[i] && lowerUnits[i] > 0 ? 'floor' : atSegment ? 'segment' : '';
  }
  return {
    method,
    budgetMinor: split.budgetMinor,
    unitMinor: split.unitMinor,
    distributableMinor: split.distributableMinor,
    reserveMinor: split.reserveMinor,
    unallocatedMinor: allocation.unallocatedUnits * split.unitMinor,
    amountsMinor,
    shares,
    atBound,
    weights,
    minorDigits,
    ...(optimal ? { optimal } : {}),
  };
}

/** Saturation per row in whole units of u. */
function saturationInUnits(saturation: number | ArrayLike<number> | undefined, n: number, unitMinor: number, minorDigits: number): Float64Array {
  if (saturation === undefined) throw parameterError('saturation', 'the optimal method needs a saturation spend (a number or a column): the spend at which a customer\'s response is about 63 % of its value');
  const perUnit = minorPerMajor(minorDigits) / unitMinor;
  return Float64Array.from({ length: n }, (_, i) => (typeof saturation === 'number' ? saturation : saturation[i]) * perUnit);
}

function allocateOptimally(request: AllocationRequest, values: Float64Array, lower: Float64Array, upper: Float64Array, split: BudgetSplit, describe: (n: number) => string): { allocation: UnitAllocation; optimal: OptimalDetails } {
  const n = values.length;
  const curve = request.response ?? 'exp';
  const saturation = saturationInUnits(request.saturation, n, split.unitMinor, request.minorDigits ?? 2);
  const floorSum = sum(lower);
  if (floorSum > split.distributableUnits) {
    throw new InputError('infeasible', `the floors add up to ${describe(floorSum)}, more than the ${describe(split.distributableUnits)} to distribute; lower the floors or raise the budget`);
  }
  const capSum = sum(upper);
  const total = Math.min(split.distributableUnits, capSum);
  const solution = solveOptimal({ values, saturation, lower, upper, totalUnits: total, curve, segments: request.groups, minShare: request.groupMinShare, maxShare: request.groupMaxShare });
  const proportional = allocateUnits(values.some((v) => v > 0) ? values : new Float64Array(n).fill(1), lower, upper, total, describe).units;
  const marginalReturn = Float64Array.from(solution.units, (x, i) => marginalResponse(curve, values[i], saturation[i], x));
  const expectedResponse = Float64Array.from(solution.units, (x, i) => response(curve, values[i], saturation[i], x));
  return {
    allocation: { units: solution.units, unallocatedUnits: split.distributableUnits - total },
    optimal: {
      lambdaPerUnit: solution.lambda,
      totalResponse: sum(expectedResponse),
      proportionalResponse: totalResponse(curve, values, saturation, proportional),
      marginalReturn,
      expectedResponse,
      segmentLimits: solution.segmentLimits,
    },
  };
}

/** Minor units to major units for display. */
export function toMajor(result: Pick<AllocationResult, 'minorDigits'>, amountMinor: number): number {
  return amountMinor / minorPerMajor(result.minorDigits);
}
