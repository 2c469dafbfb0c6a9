/**
 * Proportional allocation in whole units (SPEC "proportional"): x_i = clamp(lambda * w_i, floor_i,
 * cap_i) with lambda chosen so that the amounts add up to the distributable amount, then
 * largest-remainder rounding. The `equal` method is the same with every weight 1.
 *
 * Zero weights: clamp(lambda * 0, floor, cap) is the floor, so a customer with weight 0 gets its
 * floor and nothing more. When every customer with a positive weight is at its cap, the part of the
 * budget nobody can take is returned as unallocated (added to the reserve), never forced onto the
 * zero-weight customers. When every weight is 0 and there is budget beyond the floors, there is no
 * proportion to split by: that is an error (most likely the wrong weight column).
 */
import { engineError, InputError } from '../errors';
import { ClampedLines, settleToTarget, solvePosition, toleranceFor, amountAt } from './clamped-linear';
import { roundLargestRemainder } from './rounding';
import { gather, sumOf } from './arrays';

export type UnallocatedReason = 'caps' | 'zero-weights' | 'segment-limits' | 'empty-groups';

export interface UnitAllocation {
  /** Whole units per row. */
  units: Float64Array;
  /** Units nobody could take (every row that may take more is at its cap); added to the reserve. */
  unallocatedUnits: number;
  unallocatedReason?: UnallocatedReason;
  /** The proportionality factor: units per unit of weight for rows between their bounds. */
  lambda: number;
}

/** Formats a number of units as money for messages, e.g. 1000 -> "1000.00". */
export type DescribeUnits = (units: number) => string;

/** The floors need more than there is to distribute (`group`: inside one group of the shares method). */
export function floorsExceedError(floorUnits: number, totalUnits: number, describe: DescribeUnits, group?: string): InputError {
  const amounts = { floors: describe(floorUnits), total: describe(totalUnits) };
  return group === undefined ? engineError('allocation.floorsExceed', amounts) : engineError('allocation.floorsExceedInGroup', { ...amounts, group });
}

/** What the rows can take in total: caps of rows with a positive weight, floors of the others. */
function reachOf(weights: ArrayLike<number>, lower: ArrayLike<number>, upper: ArrayLike<number>): number {
  let reach = 0;
  for (let i = 0; i < weights.length; i++) reach += weights[i] > 0 ? upper[i] : lower[i];
  return reach;
}

/** Proportional split of `totalUnits` within bounds, rounded; see the file comment for zero weights. */
export function allocateProportionalUnits(weights: Float64Array, lower: Float64Array, upper: Float64Array, totalUnits: number, describe: DescribeUnits, group?: string): UnitAllocation {
  const n = weights.length;
  const floorSum = sumOf(lower);
  if (floorSum > totalUnits) throw floorsExceedError(floorSum, totalUnits, describe, group);
  const reach = reachOf(weights, lower, upper);
  const target = Math.min(totalUnits, reach);
  let unallocatedReason: UnallocatedReason | undefined;
  if (target < totalUnits) unallocatedReason = sumOf(upper) < totalUnits ? 'caps' : 'zero-weights';
  let hasWeight = false;
  for (let i = 0; i < n && !hasWeight; i++) hasWeight = weights[i] > 0;
  if (!hasWeight && totalUnits > floorSum) {
    throw group === undefined ? engineError('allocation.allZeroWeights', {}, { column: 'weight' }) : engineError('allocation.allZeroWeightsInGroup', { group }, { column: 'weight' });
  }
  const solved = solveProportional(weights, lower, upper, target);
  // A zero-weight row keeps its floor: its upper bound for rounding is its floor.
  const roundingUpper = new Float64Array(n);
  for (let i = 0; i < n; i++) roundingUpper[i] = weights[i] > 0 ? upper[i] : lower[i];
  const continuous = settleToTarget(solved.amounts, lower, roundingUpper, target);
  const lambda = solved.lambda;
  const units = roundLargestRemainder({ amounts: continuous, lower, upper: roundingUpper, total: target, weights });
  return { units, unallocatedUnits: totalUnits - target, unallocatedReason, lambda };
}

interface ContinuousSolution {
  amounts: Float64Array;
  lambda: number;
}

/**
 * The continuous solution x = clamp(lambda w, lower, upper) with sum x = target (target within
 * [sum lower, reach]). Weights are divided by the largest so lambda stays in range; if some positive
 * weights are so small (below about 1e-290 of the largest) that even the largest lambda cannot move
 * them, the rows it already moved to their caps are fixed and the rest is solved again on its own
 * scale.
 */
export function solveProportional(weights: ArrayLike<number>, lower: ArrayLike<number>, upper: ArrayLike<number>, target: number): ContinuousSolution {
  const n = weights.length;
  let maxWeight = 0;
  for (let i = 0; i < n; i++) if (weights[i] > maxWeight) maxWeight = weights[i];
  const lines: ClampedLines = { slope: new Float64Array(n), offset: new Float64Array(n), lower, upper };
  if (maxWeight === 0) return { amounts: Float64Array.from(lower), lambda: 0 };
  for (let i = 0; i < n; i++) lines.slope[i] = weights[i] / maxWeight;
  const position = solvePosition(lines, target);
  const amounts = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) total += amounts[i] = amountAt(lines, i, position);
  if (total >= target - toleranceFor(target)) return { amounts, lambda: position / maxWeight };
  return solveTinyWeightsApart(weights, lower, upper, target, amounts) ?? { amounts, lambda: position / maxWeight };
}

/** The rare case of positive weights more than ~1e290 apart: fix the capped rows, solve the rest alone. */
function solveTinyWeightsApart(weights: ArrayLike<number>, lower: ArrayLike<number>, upper: ArrayLike<number>, target: number, amounts: Float64Array): ContinuousSolution | undefined {
  const rest: number[] = [];
  let fixedTotal = 0;
  let capped = 0;
  for (let i = 0; i < weights.length; i++) {
    // Within a millionth of a unit of its cap counts as capped: the search stops just short of the cap.
    if (weights[i] > 0 && amounts[i] < upper[i] - 1e-6) rest.push(i);
    else {
      if (weights[i] > 0) amounts[i] = upper[i];
      fixedTotal += amounts[i];
      if (weights[i] > 0) capped++;
    }
  }
  if (capped === 0 || rest.length === 0) return undefined;
  const inner = solveProportional(gather(weights, rest), gather(lower, rest), gather(upper, rest), target - fixedTotal);
  rest.forEach((i, k) => (amounts[i] = inner.amounts[k]));
  return { amounts, lambda: inner.lambda };
}
