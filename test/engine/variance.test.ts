import fc from 'fast-check';
import { computeVariance, elapsedShare, expectedFromPhasing, varianceStatus } from '../../src/engine/variance';
import { epochDaysFromCivil as day } from '../../src/engine/dates';

describe('variance', () => {
  const asOf = day(2026, 6, 30);

  it('adds actual spend per key up to as-of and computes every figure (hand-checked)', () => {
    const result = computeVariance(
      { keys: ['A', 'B', 'C', 'D'], planMinor: [100000, 100000, 100000, 0] },
      {
        keys: ['A', 'A', 'B', 'C', 'C', 'E', 'A'],
        dates: [day(2026, 1, 5), day(2026, 3, 1), day(2026, 2, 2), day(2026, 6, 1), day(2026, 6, 30), day(2026, 5, 5), day(2026, 7, 1)],
        amountsMinor: [30000, 25000, 10000, 60000, 50000, 7000, 99999],
      },
      { asOf, elapsedShare: 0.5 },
    );
    const [a, b, c, d, e] = result.rows;
    // A: actual 550.00 (the July row is after as-of), expected 500.00; 550 is not above 500 x 1.1 = 550 -> on track.
    expect(a).toMatchObject({ actualMinor: 55000, expectedToDateMinor: 50000, varianceMinor: -45000, variancePct: -0.45, utilisation: 0.55, favourable: true, status: 'on-track' });
    // B: actual 100.00 < 500 x (1 - 0.5) = 250 -> under-used.
    expect(b.status).toBe('under-used');
    // C: actual 1,100.00 on a plan of 1,000.00 -> variance % 10 % > 0 -> over budget.
    expect(c).toMatchObject({ actualMinor: 110000, varianceMinor: 10000, variancePct: 0.1, favourable: false, status: 'over-budget' });
    // D: plan 0, no spend -> on track with empty percentages.
    expect(d).toMatchObject({ variancePct: null, utilisation: null, status: 'on-track' });
    // E: not in the plan -> shown as unplanned.
    expect(e).toMatchObject({ key: 'E', planMinor: 0, actualMinor: 7000, status: 'unplanned' });
    expect(result.actualRowsAfterAsOf).toBe(1);
    expect(result.totals).toEqual({ planMinor: 300000, actualMinor: 55000 + 10000 + 110000 + 7000, unplannedMinor: 7000 });
  });

  it('warns early when spend runs ahead of the phasing', () => {
    // Plan 1,200 over 12 months; at the end of March 300 are expected; 340 spent > 300 x 1.1 = 330 -> at risk.
    expect(varianceStatus(120000, 34000, 30000, 0, 0.1, 0.5)).toBe('at-risk');
    expect(varianceStatus(120000, 33000, 30000, 0, 0.1, 0.5)).toBe('on-track');
    expect(varianceStatus(120000, 14999, 30000, 0, 0.1, 0.5)).toBe('under-used');
    // Over tolerance 5 %: 104 % spent is not yet over budget.
    expect(varianceStatus(100, 104, 100, 0.05, 0.1, 0.5)).toBe('on-track');
  });

  it('derives expected-to-date from elapsed days and from a phasing profile', () => {
    // 2026-01-01..2026-12-31 is 365 days; by 2026-03-31 90 days have elapsed.
    expect(elapsedShare(day(2026, 1, 1), day(2026, 12, 31), day(2026, 3, 31))).toBeCloseTo(90 / 365, 12);
    const months = Array.from({ length: 12 }, (_, m) => [day(2026, m + 1, 1), day(2026, m + 2, 1) - 1] as const);
    // Parts 100 each; at 2026-02-14: January whole (100) + 14/28 of February (50) = 150.
    expect(expectedFromPhasing(Array(12).fill(100), months, day(2026, 2, 14))).toBe(150);
  });

  it('never drops actual spend: planned plus unplanned equals everything up to as-of', () => {
    const key = fc.constantFrom('A', 'B', 'C', 'X', 'Y');
    fc.assert(
      fc.property(fc.array(fc.tuple(key, fc.integer({ min: 0, max: 400 }), fc.integer({ min: -1000, max: 100000 })), { maxLength: 50 }), (rows) => {
        const result = computeVariance(
          { keys: ['A', 'B', 'C'], planMinor: [1000, 2000, 0] },
          { keys: rows.map((r) => r[0]), dates: rows.map((r) => day(2026, 1, 1) + r[1]), amountsMinor: rows.map((r) => r[2]) },
          { asOf: day(2026, 1, 1) + 200, elapsedShare: 0.5 },
        );
        const expected = rows.filter((r) => r[1] <= 200).reduce((s, r) => s + r[2], 0);
        expect(result.rows.reduce((s, r) => s + r.actualMinor, 0)).toBe(expected);
        expect(result.totals.actualMinor).toBe(expected);
      }),
    );
  });
});
