/**
 * Value tiers and other segmentations (SPEC "Value tiers and other segmentations"): ABC (Pareto),
 * the profitability matrix after Reinartz and Kumar, and lifecycle stage.
 */
import { parameterError } from './errors';
import { EpochDays } from './dates';

export type AbcClass = 'A' | 'B' | 'C';

/**
 * ABC class per value: sort descending; a value's class comes from the cumulative share of all
 * strictly greater values: A below `a` (0.8), B below `b` (0.95), else C. Ties share a class.
 * Shares are of the positive values only, and a value of 0 or less is C: a customer who lost money
 * adds no value, and counting its loss in the total would push good customers down a class.
 */
export function abcClasses(values: ArrayLike<number>, a = 0.8, b = 0.95): AbcClass[] {
  if (!(a > 0 && a < b && b <= 1)) throw parameterError('ABC thresholds', 'abc.thresholds', { a, b });
  const n = values.length;
  let total = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(values[i])) throw parameterError('ABC values', 'abc.notANumber', { row: i + 1, value: values[i] });
    if (values[i] > 0) total += values[i];
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => values[y] - values[x]);
  const classes = new Array<AbcClass>(n);
  let greaterSum = 0; // sum of values strictly greater than the current one
  for (let k = 0; k < n; ) {
    let end = k;
    let tiedSum = 0;
    while (end < n && values[order[end]] === values[order[k]]) tiedSum += values[order[end++]];
    const share = greaterSum / total;
    const cls: AbcClass = values[order[k]] <= 0 ? 'C' : share < a ? 'A' : share < b ? 'B' : 'C';
    for (let j = k; j < end; j++) classes[order[j]] = cls;
    greaterSum += tiedSum;
    k = end;
  }
  return classes;
}

export function median(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  if (n === 0) return NaN;
  return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

export type MatrixQuadrant = 'True Friends' | 'Butterflies' | 'Barnacles' | 'Strangers';

/** Chinese practice names for the four quadrants. */
export const MATRIX_ZH: Readonly<Record<MatrixQuadrant, string>> = {
  'True Friends': '重点维护',
  Butterflies: '重点发展',
  Barnacles: '低成本维护',
  Strangers: '减少投入',
};

/**
 * Profitability x relationship strength (Reinartz & Kumar): high when strictly above the threshold
 * (the median unless given).
 */
export function profitabilityMatrix(
  profit: ArrayLike<number>,
  relationship: ArrayLike<number>,
  thresholds: { profit?: number; relationship?: number } = {},
): MatrixQuadrant[] {
  if (profit.length !== relationship.length) throw parameterError('matrix', 'matrix.lengthMismatch', { profit: profit.length, relationship: relationship.length });
  const profitCut = thresholds.profit ?? median(profit);
  const relationshipCut = thresholds.relationship ?? median(relationship);
  return Array.from({ length: profit.length }, (_, i) => {
    const highProfit = profit[i] > profitCut;
    const strong = relationship[i] > relationshipCut;
    return highProfit ? (strong ? 'True Friends' : 'Butterflies') : strong ? 'Barnacles' : 'Strangers';
  });
}

export type LifecycleStage = 'New' | 'Growth' | 'Mature' | 'Decline';

export const LIFECYCLE_ZH: Readonly<Record<LifecycleStage, string>> = { New: '获取期', Growth: '成长期', Mature: '成熟期', Decline: '衰退期' };

export interface LifecycleLimits {
  newDays?: number; // tenure <= this: New (default 90)
  declineDays?: number; // recency > this: Decline (default 180)
  growthDays?: number; // tenure <= this: Growth (default 365)
}

/** Lifecycle from first and last purchase: New, then Decline, then Growth, else Mature. */
export function lifecycleStage(firstPurchase: EpochDays, lastPurchase: EpochDays, asOf: EpochDays, limits: LifecycleLimits = {}): LifecycleStage {
  const tenureDays = asOf - firstPurchase;
  const recencyDays = asOf - lastPurchase;
  if (tenureDays <= (limits.newDays ?? 90)) return 'New';
  if (recencyDays > (limits.declineDays ?? 180)) return 'Decline';
  if (tenureDays <= (limits.growthDays ?? 365)) return 'Growth';
  return 'Mature';
}
