import fc from 'fast-check';
import { roundGroupsLargestRemainder } from '../../src/engine/allocation/rounding';

/**
 * The rounding rule written the slow, obvious way (SPEC "Rounding"): in each group, while units are
 * missing, the rows below their upper bound ranked by remainder (millionths of a unit), then larger
 * weight, then earlier row, take one unit each, down the ranking.
 */
function referenceRounding(amounts: number[], lower: number[], upper: number[], weights: number[], groupOf: number[], totals: number[]): number[] {
  const rounded: number[] = [];
  const key: number[] = [];
  amounts.forEach((a, i) => {
    let whole = Math.floor(a);
    let steps = Math.round((a - whole) * 1e6);
    if (steps === 1e6) [whole, steps] = [whole + 1, 0]; // 2.9999999 is 3
    rounded[i] = Math.min(upper[i], Math.max(lower[i], whole));
    key[i] = whole < lower[i] || whole >= upper[i] ? 0 : steps;
  });
  totals.forEach((total, g) => {
    const rows = groupOf.map((h, i) => (h === g ? i : -1)).filter((i) => i >= 0);
    let left = total - rows.reduce((s, i) => s + rounded[i], 0);
    while (left > 0) {
      const ranked = rows.filter((i) => rounded[i] < upper[i]).sort((a, b) => key[b] - key[a] || weights[b] - weights[a] || a - b);
      for (const i of ranked.slice(0, left)) {
        rounded[i] += 1;
        key[i] = 0;
        left--;
      }
    }
  });
  return rounded;
}

/** Amounts with many exact ties (thirds, quarters, the same remainder in one bucket) and bounds around them. */
const problem = fc
  .record({
    groups: fc.integer({ min: 1, max: 4 }),
    rows: fc.array(
      fc.record({
        whole: fc.integer({ min: 0, max: 20 }),
        fraction: fc.oneof(fc.constantFrom(0, 1 / 3, 2 / 3, 0.25, 0.5, 0.75, 0.5004, 0.5007, 0.9999999), fc.double({ min: 0, max: 0.999, noNaN: true })),
        weight: fc.constantFrom(0, 1, 2, 3),
        group: fc.nat(),
        room: fc.constantFrom(0, 1, 2, Infinity),
        floorBelow: fc.constantFrom(0, 1),
        slack: fc.double({ min: 0, max: 1, noNaN: true }),
      }),
      { minLength: 1, maxLength: 60 },
    ),
  })
  .map(({ groups, rows }) => {
    const amounts = rows.map((r) => r.whole + r.fraction);
    const lower = rows.map((r) => Math.max(0, r.whole - r.floorBelow));
    const upper = rows.map((r) => (r.room === Infinity ? Infinity : r.whole + r.room));
    // keep each amount within its bounds
    amounts.forEach((a, i) => (amounts[i] = Math.min(upper[i], Math.max(lower[i], a))));
    const groupOf = rows.map((r) => r.group % groups);
    const totals = Array.from({ length: groups }, (_, g) => {
      const inGroup = rows.map((_, i) => i).filter((i) => groupOf[i] === g);
      const sum = inGroup.reduce((s, i) => s + amounts[i], 0);
      const low = inGroup.reduce((s, i) => s + lower[i], 0);
      const high = inGroup.reduce((s, i) => s + upper[i], 0);
      // a whole total near the amounts' sum, within what the group's bounds allow
      return Math.min(high, Math.max(low, Math.round(sum)));
    });
    return { amounts, lower, upper, weights: rows.map((r) => r.weight), groupOf, totals };
  });

describe('largest remainder rounding in groups', () => {
  it('matches the rule written as a sort, group by group, ties included', () => {
    fc.assert(
      fc.property(problem, (p) => {
        const rounded = roundGroupsLargestRemainder({ amounts: p.amounts, lower: p.lower, upper: p.upper, weights: p.weights, groupOf: Int32Array.from(p.groupOf), totals: p.totals });
        const sumsUp = p.totals.every((total, g) => p.groupOf.reduce((s, h, i) => s + (h === g ? rounded[i] : 0), 0) === total);
        const expected = referenceRounding(p.amounts, p.lower, p.upper, p.weights, p.groupOf, p.totals);
        // The reference only hands units out; when whole parts overshoot a group's total, compare the totals alone.
        const overshoots = p.totals.some((total, g) => p.groupOf.reduce((s, h, i) => s + (h === g ? expected[i] : 0), 0) > total);
        return sumsUp && (overshoots || Array.from(rounded).every((x, i) => x === expected[i]));
      }),
      { numRuns: 400 },
    );
  });

  it('ranks thousands of rows whose remainders share one counting bucket (hand-checked winners)', () => {
    // 3,000 rows with remainders 0.5000, 0.5001, 0.5002 (all in one high-part bucket); 1,000 units
    // missing go to the 1,000 rows with remainder 0.5002, and none to the others.
    const n = 3000;
    const amounts = Array.from({ length: n }, (_, i) => 10 + 0.5 + (i % 3) * 0.0001);
    const rounded = roundGroupsLargestRemainder({ amounts, lower: new Float64Array(n), upper: new Float64Array(n).fill(Infinity), weights: new Float64Array(n).fill(1), groupOf: undefined, totals: [n * 10 + 1000] });
    for (let i = 0; i < n; i++) expect(rounded[i]).toBe(i % 3 === 2 ? 11 : 10);
  });

  it('breaks a tie inside a bucket by weight, then by the earlier row', () => {
    const amounts = [1.5, 1.5, 1.5, 1.5];
    const rounded = roundGroupsLargestRemainder({ amounts, lower: [0, 0, 0, 0], upper: [9, 9, 9, 9], weights: [1, 2, 1, 2], groupOf: undefined, totals: [7] });
    // 4 whole units + 3 missing: both weight-2 rows, then the earlier weight-1 row.
    expect(Array.from(rounded)).toEqual([2, 2, 1, 2]);
  });
});
