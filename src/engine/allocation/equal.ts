/**
 * Equal allocation (SPEC "equal"): the same amount for everyone, within floor and cap. It is the
 * proportional split with every weight 1: x = clamp(lambda, floor, cap). Leftover units after
 * rounding go to the earliest rows (every remainder and weight ties).
 */
import { allocateProportionalUnits, DescribeUnits, UnitAllocation } from './proportional';

export function allocateEqualUnits(rowCount: number, lower: Float64Array, upper: Float64Array, totalUnits: number, describe: DescribeUnits, group?: string): UnitAllocation {
  return allocateProportionalUnits(new Float64Array(rowCount).fill(1), lower, upper, totalUnits, describe, group);
}
