/** Per-segment settings may name a built-in segment in either language (Champions / 冠军客户). */
import { computePlan } from '../../src/engine/plan';
import { keyedByShownSegmentNames } from '../../src/engine/segments';
import { readTransactionColumns } from '../../src/engine/transactions';
import { epochDaysFromCivil } from '../../src/engine/dates';

describe('segment names in the other language', () => {
  it('renames a built-in name to the one the rows use, keeps the rest as given', () => {
    const shown = new Set(['冠军客户', 'Important value', 'My own group']);
    expect(keyedByShownSegmentNames({ Champions: 0.2, 重要价值客户: 0.3, 'My own group': 0.1, Lost: 0.05 }, shown)).toEqual({ 冠军客户: 0.2, 'Important value': 0.3, 'My own group': 0.1, Lost: 0.05 });
    expect(keyedByShownSegmentNames(undefined, shown)).toBeUndefined();
  });

  it('refuses one segment given twice under both names', () => {
    expect(() => keyedByShownSegmentNames({ Champions: 0.2, 冠军客户: 0.3 }, new Set(['冠军客户']))).toThrow("'Champions' and '冠军客户' are the same segment; give it once");
  });

  it('a Chinese plan takes segment limits written with the English names', () => {
    // rfm8 names are Chinese by default; eight customers, two of them in the high-high-high cube.
    const customers = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'];
    const tx = readTransactionColumns({
      customers: [...customers, 'A', 'B', 'A', 'B'],
      dates: ['2025-06-20', '2025-06-25', '2025-01-02', '2025-01-05', '2025-06-01', '2025-02-01', '2025-06-10', '2025-03-01', '2025-06-21', '2025-06-26', '2025-05-01', '2025-05-02'],
      amounts: [500, 600, 20, 30, 40, 50, 60, 70, 500, 600, 400, 300],
    });
    const options = { budget: 1000, unit: 1, scheme: 'rfm8' as const, method: 'optimal' as const, saturation: 100, weightBasis: 'monetary' as const, asOf: epochDaysFromCivil(2025, 6, 30) };
    const chinese = computePlan(tx, { ...options, segmentMaxShare: { 重要价值客户: 0.3 } });
    const english = computePlan(tx, { ...options, segmentMaxShare: { 'Important value': 0.3 } });
    const top = chinese.customers.filter((c) => c.segment === '重要价值客户');
    expect(top.map((c) => c.customer)).toEqual(['A', 'B']);
    // Held at 30 % of 1,000: A and B share 300 between them.
    expect(top.reduce((s, c) => s + c.amountMinor, 0)).toBe(30_000);
    expect(english.customers.map((c) => c.amountMinor)).toEqual(chinese.customers.map((c) => c.amountMinor));
  });
});
