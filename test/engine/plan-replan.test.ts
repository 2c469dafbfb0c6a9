/** Re-planning mid-year: spend to date becomes each customer's floor and the rest is allocated again. */
import { computePlan } from '../../src/engine/plan';
import { spendToDate } from '../../src/engine/allocation/replan';
import { readTransactionColumns } from '../../src/engine/transactions';
import { epochDaysFromCivil } from '../../src/engine/dates';

// Four customers, monetary 10, 20, 30, 40 (one purchase each).
const tx = readTransactionColumns({ customers: ['A', 'B', 'C', 'D'], dates: ['2025-01-02', '2025-02-03', '2025-03-04', '2025-04-05'], amounts: [10, 20, 30, 40] });
const base = { budget: 1000, unit: 1, weightBasis: 'monetary' as const, asOf: epochDaysFromCivil(2025, 6, 30) };

describe('spend to date', () => {
  it('sums actual lines per customer up to the as-of day', () => {
    const actual = { keys: ['A', 'B', 'A', 'C'], dates: [10, 11, 12, 30], amountsMinor: [1000, 2000, 550, 700] };
    expect([...spendToDate(actual).byCustomer]).toEqual([['A', 1550], ['B', 2000], ['C', 700]]);
    expect(spendToDate(actual).throughDay).toBe(30);
    expect([...spendToDate(actual, 12).byCustomer]).toEqual([['A', 1550], ['B', 2000]]);
    expect(spendToDate(actual, 12).throughDay).toBe(12);
  });
});

describe('re-planning with spend to date as floors', () => {
  it('proportional: a customer who already had more than its share keeps it; the others share the rest by weight', () => {
    // Without spend: 100, 200, 300, 400. A has already had 250: A = 250, B:C:D = 2:3:4 of 750 = 166.67, 250, 333.33.
    const plan = computePlan(tx, { ...base, spentToDateMinor: new Map([['A', 25_000]]) });
    expect(plan.customers.map((c) => c.amountMinor / 100)).toEqual([250, 167, 250, 333]);
    expect(plan.customers[0]).toMatchObject({ atBound: 'floor', spentToDateMinor: 25_000 });
    expect(plan.customers[1].spentToDateMinor).toBe(0);
    expect(plan.replan).toEqual({ customersWithSpend: 1, spentMinor: 25_000, notInPlan: [] });
  });

  it('spend below a customer\'s share changes nothing; unknown customers are reported, not counted', () => {
    const plain = computePlan(tx, base);
    const plan = computePlan(tx, { ...base, spentToDateMinor: new Map([['B', 5_000], ['Z', 900]]) });
    expect(plan.customers.map((c) => c.amountMinor)).toEqual(plain.customers.map((c) => c.amountMinor));
    expect(plan.replan).toEqual({ customersWithSpend: 1, spentMinor: 5_000, notInPlan: ['Z'] });
  });

  it('optimal: re-optimises the remaining budget around what is spent', () => {
    // Values 10..40, saturation 100, D = 1000. D has already had 400: the other three share 600 at
    // one marginal return: x_i = 100 ln(v_i / (100 lambda)), sum 600 -> ln(100 lambda) = (ln 6000 - 6) / 3.
    const plan = computePlan(tx, { ...base, method: 'optimal', saturation: 100, spentToDateMinor: new Map([['D', 40_000]]) });
    const shift = (Math.log(10 * 20 * 30) - 6) / 3;
    const exact = [10, 20, 30].map((v) => 100 * (Math.log(v) - shift)); // 140.28, 209.59, 250.14
    expect(exact.reduce((s, x) => s + x, 0)).toBeCloseTo(600, 9);
    expect(plan.customers.slice(0, 3).map((c) => c.amountMinor / 100)).toEqual(exact.map((x) => Math.round(x)));
    expect(plan.customers[3]).toMatchObject({ amountMinor: 40_000, atBound: 'floor' });
  });

  it('phases what is spent over the months up to the re-plan day and the rest over the months after it', () => {
    // Plan year 2026, spend counted through 2026-03-31: A's 250 spent falls in Jan-Mar, the others' amounts in Apr-Dec.
    const plan = computePlan(tx, { ...base, spentToDateMinor: new Map([['A', 25_000]]), spentThrough: epochDaysFromCivil(2026, 3, 31) });
    expect(plan.periodNames[0]).toBe('2026-01');
    const [a, b] = plan.customers;
    expect(Array.from(a.periodsMinor)).toEqual([8334, 8333, 8333, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(b.periodsMinor.slice(0, 3))).toEqual([0, 0, 0]);
    expect(b.periodsMinor.reduce((x, y) => x + y, 0)).toBe(b.amountMinor); // 16,700 over Apr-Dec
    expect(Math.max(...b.periodsMinor.slice(3)) - Math.min(...b.periodsMinor.slice(3))).toBeLessThanOrEqual(1);
    // Mid-month: spend through 2026-02-14 (14 of 28 days): January's and half of February's weight take the spend.
    const mid = computePlan(tx, { ...base, spentToDateMinor: new Map([['A', 25_000]]), spentThrough: epochDaysFromCivil(2026, 2, 14) });
    const parts = Array.from(mid.customers[0].periodsMinor);
    expect(parts[0] + parts[1]).toBe(25_000); // all of A's spend, in January and February
    expect(parts[0]).toBe(16_667); // weight 1 : 0.5 -> two thirds in January
    expect(parts.slice(2).every((p) => p === 0)).toBe(true);
    expect(Array.from(mid.customers[1].periodsMinor.slice(0, 1))).toEqual([0]);
  });

  it('a customer over its cap keeps what it had and gets no more', () => {
    const plan = computePlan(tx, { ...base, cap: 300, spentToDateMinor: new Map([['A', 35_000]]) });
    expect(plan.customers[0].amountMinor).toBe(35_000);
    expect(plan.customers.reduce((s, c) => s + c.amountMinor, 0)).toBe(100_000);
  });

  it('refuses, with the figures, when spend to date is already more than the budget', () => {
    expect(() => computePlan(tx, { ...base, reserve: 0.1, spentToDateMinor: new Map([['A', 60_000], ['B', 35_000]]) })).toThrow(
      'spend to date (950.00) with the floors adds up to 950.00, more than the 900.00 to distribute: the budget is already used up; raise the budget or lower the reserve',
    );
  });
});
