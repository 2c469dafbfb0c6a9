/**
 * Splitting a budget across customers exactly (SPEC "Allocation"): proportional, equal, by group
 * shares or optimal (diminishing returns), within floors and caps, after a reserve, in multiples of
 * the rounding unit that add up to the distributable amount to the last unit.
 *
 * Everything is computed in whole units of u (see budget.ts for how floors and caps that are not
 * multiples of u are rounded), so the result is exact: amounts + unallocated = D and
 * D + reserve = B, in integers.
 */
import { engineError, parameterError } from '../errors';
import { minorPerMajor } from '../money';

import { asFloat64 } from './arrays';
import { BudgetSplit, boundsInUnits, checkLength, splitBudget } from './budget';
import { allocateEqualUnits } from './equal';
import { responsesAt, solveOptimal } from './optimal';
import { allocateProportionalUnits, DescribeUnits, UnitAllocation } from './proportional';
import { allocateSharesUnits, GroupUnits } from './shares';
import type { AllocationMethod, AllocationRequest, AllocationResult, AtBound, OptimalDetails } from './types';

export type { AllocationMethod, AllocationRequest, AllocationResult, AtBound, OptimalDetails, GroupAllocation, ResponseCurve, SegmentLimit } from './types';

const METHODS: readonly AllocationMethod[] = ['proportional', 'equal', 'shares', 'optimal'];

/** Weights as numbers >= 0, naming the row of a bad one. */
function checkedWeights(weights: ArrayLike<number>, firstRow: number, column: string): Float64Array {
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i];
    if (!Number.isFinite(w) || w < 0) {
      throw engineError('allocation.negativeWeight', { value: w }, { row: firstRow + i, column }, w);
    }
  }
  return asFloat64(weights);
}

/** Formats units as money with the minor digits, for messages: 1000 units of 0.01 -> "10.00". */
function unitDescriber(split: BudgetSplit, minorDigits: number): DescribeUnits {
  return (units) => ((units * split.unitMinor) / minorPerMajor(minorDigits)).toFixed(minorDigits);
}

/** Allocates a budget to rows; see AllocationRequest. */
export function allocateBudget(request: AllocationRequest): AllocationResult {
  const method = request.method ?? 'proportional';
  if (!METHODS.includes(method)) throw parameterError('method', 'allocation.method', { value: String(method) });
  const split = splitBudget(request);
  const n = request.weights.length;
  if (n === 0) throw engineError('allocation.noCustomers');
  const { lowerUnits, upperUnits } = boundsInUnits(n, split, request.floor, request.cap, request.minorDigits ?? 2, request.firstRow ?? 1);
  return allocateWithinBounds(request, split, lowerUnits, upperUnits);
}

/** The allocation once the budget and the per-row bounds are known in whole units. */
function allocateWithinBounds(request: AllocationRequest, split: BudgetSplit, lowerUnits: Float64Array, upperUnits: Float64Array): AllocationResult {
  const method = request.method ?? 'proportional';
  const minorDigits = request.minorDigits ?? 2;
  const firstRow = request.firstRow ?? 1;
  const weights = checkedWeights(request.weights, firstRow, request.columnNames?.weight ?? 'weight');
  const n = weights.length;
  const describe = unitDescriber(split, minorDigits);
  const D = split.distributableUnits;
  if (method !== 'optimal' && (request.groupMinShare !== undefined || request.groupMaxShare !== undefined)) {
    throw parameterError('segment shares', 'allocation.sharesNeedOptimal');
  }
  let allocation: UnitAllocation;
  let groupUnits: GroupUnits[] | undefined;
  let optimal: OptimalDetails | undefined;
  let segmentHeld: ((i: number) => boolean) | undefined;
  if (method === 'proportional') allocation = allocateProportionalUnits(weights, lowerUnits, upperUnits, D, describe);
  else if (method === 'equal') allocation = allocateEqualUnits(n, lowerUnits, upperUnits, D, describe);
  else if (method === 'shares') {
    const shares = allocateSharesUnits({ weights, lower: lowerUnits, upper: upperUnits, totalUnits: D, groups: request.groups, shares: request.groupShares, within: request.withinGroup, firstRow, describe });
    allocation = shares;
    groupUnits = shares.groups;
  } else {
    const saturation = saturationInUnits(request.saturation, n, split.unitMinor, minorDigits, firstRow, request.columnNames?.saturation ?? 'saturation');
    const curve = request.response ?? 'exp';
    if (curve !== 'exp' && curve !== 'log') throw parameterError('response', 'allocation.response', { value: String(curve) });
    const solution = solveOptimal({
      values: weights,
      saturation,
      saturationColumn: request.columnNames?.saturation,
      lower: lowerUnits,
      upper: upperUnits,
      distributableUnits: D,
      curve,
      segments: request.groups,
      minShare: request.groupMinShare,
      maxShare: request.groupMaxShare,
      firstRow,
      describe,
    });
    allocation = { units: solution.units, unallocatedUnits: solution.unallocatedUnits, unallocatedReason: solution.unallocatedReason, lambda: solution.lambda };
    const held = solution.segmentNames.map((name) => solution.segmentLimits[name] !== undefined);
    segmentHeld = (i) => held[solution.segmentOf[i]];
    const unitsPerMajor = minorPerMajor(minorDigits) / split.unitMinor;
    const responses = responsesAt(curve, weights, saturation, solution.units);
    optimal = {
      lambdaPerUnit: solution.lambda,
      lambdaPerCurrencyUnit: solution.lambda * unitsPerMajor,
      curve,
      totalResponse: responses.total,
      proportionalResponse: solution.proportionalResponse,
      ...(solution.proportionalResponse > 0 ? { gainOverProportional: responses.total / solution.proportionalResponse - 1 } : {}),
      marginalReturn: responses.marginal,
      expectedResponse: responses.expected,
      segmentLimits: solution.segmentLimits,
    };
  }
  return resultOf(method, split, minorDigits, weights, lowerUnits, upperUnits, allocation, groupUnits, optimal, segmentHeld);
}

/** Saturation per row in units of u; a bad one is named as given (major units), in its row or as the option. */
function saturationInUnits(saturation: number | ArrayLike<number> | undefined, n: number, unitMinor: number, minorDigits: number, firstRow: number, column: string): Float64Array {
  if (saturation === undefined) throw parameterError('saturation', 'saturation.required');
  checkLength(saturation, n, 'saturation');
  const unitsPerMajor = minorPerMajor(minorDigits) / unitMinor;
  if (typeof saturation === 'number') {
    if (!(Number.isFinite(saturation) && saturation > 0)) throw parameterError('saturation', 'saturation.notPositive', { value: saturation });
    return new Float64Array(n).fill(saturation * unitsPerMajor);
  }
  for (let i = 0; i < n; i++) {
    const s = saturation[i];
    if (!(Number.isFinite(s) && s > 0)) throw engineError('saturation.rowNotPositive', { value: s }, { row: firstRow + i, column }, s);
  }
  if (unitsPerMajor === 1 && saturation instanceof Float64Array) return saturation; // read only from here on
  const units = new Float64Array(n);
  for (let i = 0; i < n; i++) units[i] = saturation[i] * unitsPerMajor;
  return units;
}

function atBoundOf(units: number, lower: number, upper: number, heldBySegment: boolean): AtBound {
  if (units >= upper) return 'cap';
  if (units <= lower && lower > 0) return 'floor';
  return heldBySegment ? 'segment' : '';
}

function resultOf(
  method: AllocationMethod,
  split: BudgetSplit,
  minorDigits: number,
  weights: Float64Array,
  lowerUnits: Float64Array,
  upperUnits: Float64Array,
  allocation: UnitAllocation,
  groupUnits: GroupUnits[] | undefined,
  optimal: OptimalDetails | undefined,
  segmentHeld: ((i: number) => boolean) | undefined,
): AllocationResult {
  const n = weights.length;
  const u = split.unitMinor;
  const amountsMinor = new Float64Array(n);
  const shares = new Float64Array(n);
  const atBound: AtBound[] = new Array<AtBound>(n);
  for (let i = 0; i < n; i++) {
    const units = allocation.units[i];
    amountsMinor[i] = units * u + 0; // + 0 turns -0 into 0
    shares[i] = units / split.distributableUnits;
    atBound[i] = atBoundOf(units, lowerUnits[i], upperUnits[i], segmentHeld !== undefined && segmentHeld(i));
  }
  return {
    method,
    budgetMinor: split.budgetMinor,
    unitMinor: u,
    distributableMinor: split.distributableMinor,
    reserveMinor: split.reserveMinor,
    unallocatedMinor: allocation.unallocatedUnits * u,
    ...(allocation.unallocatedReason && allocation.unallocatedUnits > 0 ? { unallocatedReason: allocation.unallocatedReason } : {}),
    amountsMinor,
    shares,
    atBound,
    weights,
    floorUnits: lowerUnits,
    capUnits: upperUnits,
    minorDigits,
    ...(method === 'proportional' || method === 'equal' ? { lambda: allocation.lambda * u } : {}),
    ...(groupUnits ? { groups: groupUnits.map((g) => ({ group: g.group, customers: g.customers, budgetMinor: g.budgetUnits * u, allocatedMinor: g.allocatedUnits * u, unallocatedMinor: (g.budgetUnits - g.allocatedUnits) * u })) } : {}),
    ...(optimal ? { optimal } : {}),
  };
}

/** Marginal return of the next 1 of currency (¥1, $1) at a row's amount, whatever the rounding unit (optimal method). */
export function marginalReturnPerCurrencyUnit(result: AllocationResult, row: number): number {
  const o = result.optimal;
  if (!o) throw new Error('marginal returns exist for the optimal method only');
  return o.marginalReturn[row] * (minorPerMajor(result.minorDigits) / result.unitMinor);
}

/** Minor units to major units for display. */
export function toMajor(result: Pick<AllocationResult, 'minorDigits'>, amountMinor: number): number {
  return amountMinor / minorPerMajor(result.minorDigits);
}
