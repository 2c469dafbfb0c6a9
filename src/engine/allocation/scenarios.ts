/**
 * The same allocation at several budgets (e.g. 90 %, 100 %, 110 %), side by side per group, with
 * the total expected response at each: the response-versus-budget curve finance asks for.
 */
import { allocateBudget, AllocationRequest, AllocationResult } from './allocate';

export interface Scenario {
  multiplier: number;
  budget: number;
  result: AllocationResult;
  /** Allocated minor units per group (all rows in one group '' when no groups are given). */
  byGroup: Map<string, number>;
  /** Total expected response (optimal method only). */
  totalResponse?: number;
}

export function allocateScenarios(request: AllocationRequest, multipliers: readonly number[]): Scenario[] {
  return multipliers.map((multiplier) => {
    const budget = request.budget * multiplier;
    const result = allocateBudget({ ...request, budget });
    const byGroup = new Map<string, number>();
    result.amountsMinor.forEach((amount, i) => {
      const group = request.groups?.[i] ?? '';
      byGroup.set(group, (byGroup.get(group) ?? 0) + amount);
    });
    return { multiplier, budget, result, byGroup, totalResponse: result.optimal?.totalResponse };
  });
}
