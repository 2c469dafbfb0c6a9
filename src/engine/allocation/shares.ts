/**
 * Allocation by group shares (SPEC "shares"): the distributable units are first split across groups
 * (segment, tier, lifecycle stage) by the given shares with largest-remainder rounding (ties to the
 * larger share, then to the group listed first), then inside each group proportionally to the
 * weights or equally, within floors and caps.
 *
 * A group's floors above its budget is an error naming the group; a group whose customers are all
 * at their caps, or a group with a share but no customers, leaves its rest unallocated (added to the
 * reserve and reported per group), never moved silently to another group. A row whose group has no
 * share is an error naming the row.
 */
import { engineError, parameterError } from '../errors';
import { gather, rowsByGroup } from './arrays';
import { allocateEqualUnits } from './equal';
import { allocateProportionalUnits, DescribeUnits, UnallocatedReason, UnitAllocation } from './proportional';
import { roundLargestRemainder } from './rounding';

export interface SharesProblem {
  weights: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
  totalUnits: number;
  /** Group of each row. */
  groups: readonly string[] | undefined;
  /** Share of the distributable amount per group; must add up to 1 (100 %). */
  shares: Readonly<Record<string, number>> | undefined;
  within?: 'proportional' | 'equal';
  firstRow?: number;
  describe: DescribeUnits;
}

export interface GroupUnits {
  group: string;
  customers: number;
  budgetUnits: number;
  allocatedUnits: number;
}

/** Checks the shares and returns them as fractions adding up to exactly 1, in the order given. */
export function checkedShares(shares: Readonly<Record<string, number>> | undefined): { names: string[]; fractions: Float64Array } {
  if (!shares || Object.keys(shares).length === 0) throw parameterError('group shares', 'shares.missing');
  const names = Object.keys(shares);
  for (const g of names) {
    if (!Number.isFinite(shares[g]) || shares[g] < 0) throw parameterError('group shares', 'shares.negative', { group: g, value: shares[g] });
  }
  const total = names.reduce((s, g) => s + shares[g], 0);
  if (Math.abs(total - 1) > 1e-6) throw parameterError('group shares', 'shares.total', { total });
  return { names, fractions: Float64Array.from(names, (g) => shares[g] / total) };
}

/** Group number of each row, naming the row of a group without a share. */
function groupNumbers(groups: readonly string[], names: readonly string[], firstRow: number): Int32Array {
  const numberOf = new Map(names.map((g, k) => [g, k]));
  const groupOf = new Int32Array(groups.length);
  for (let i = 0; i < groups.length; i++) {
    const k = numberOf.get(groups[i]);
    if (k === undefined) throw engineError('shares.groupWithoutShare', { group: groups[i] }, { row: firstRow + i, column: 'segment' }, groups[i]);
    groupOf[i] = k;
  }
  return groupOf;
}

export function allocateSharesUnits(p: SharesProblem): UnitAllocation & { groups: GroupUnits[] } {
  const n = p.weights.length;
  if (!p.groups || p.groups.length !== n) throw parameterError('groups', 'shares.groupsLength', { groups: p.groups?.length ?? 0, rows: n });
  const { names, fractions } = checkedShares(p.shares);
  const rowsOf = rowsByGroup(groupNumbers(p.groups, names, p.firstRow ?? 1), names.length);
  const groupBudgets = roundLargestRemainder({
    amounts: Float64Array.from(fractions, (f) => f * p.totalUnits),
    lower: new Float64Array(names.length),
    upper: new Float64Array(names.length).fill(Infinity),
    total: p.totalUnits,
    weights: fractions,
  });
  const units = new Float64Array(n);
  const groups: GroupUnits[] = [];
  let unallocatedUnits = 0;
  let unallocatedReason: UnallocatedReason | undefined;
  names.forEach((group, k) => {
    const rows = rowsOf[k];
    const pick = (values: Float64Array) => gather(values, rows);
    const budgetUnits = groupBudgets[k];
    if (rows.length === 0) {
      groups.push({ group, customers: 0, budgetUnits, allocatedUnits: 0 });
      if (budgetUnits > 0) [unallocatedUnits, unallocatedReason] = [unallocatedUnits + budgetUnits, unallocatedReason ?? 'empty-groups'];
      return;
    }
    const inside =
      p.within === 'equal'
        ? allocateEqualUnits(rows.length, pick(p.lower), pick(p.upper), budgetUnits, p.describe, group)
        : allocateProportionalUnits(pick(p.weights), pick(p.lower), pick(p.upper), budgetUnits, p.describe, group);
    rows.forEach((i, j) => (units[i] = inside.units[j]));
    groups.push({ group, customers: rows.length, budgetUnits, allocatedUnits: budgetUnits - inside.unallocatedUnits });
    if (inside.unallocatedUnits > 0) [unallocatedUnits, unallocatedReason] = [unallocatedUnits + inside.unallocatedUnits, unallocatedReason ?? inside.unallocatedReason];
  });
  return { units, unallocatedUnits, unallocatedReason, lambda: NaN, groups };
}
