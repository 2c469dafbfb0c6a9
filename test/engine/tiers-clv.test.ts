import fc from 'fast-check';
import { abcClasses, lifecycleStage, profitabilityMatrix, median, MATRIX_ZH, LIFECYCLE_ZH } from '../../src/engine/tiers';
import { annualNetProfit, retentionClv, simpleClv } from '../../src/engine/clv-simple';

describe('ABC', () => {
  it('classes by the share of strictly greater values (hand-checked)', () => {
    // total 100: 50 -> 0 % before it (A); 30 -> 50 % (A); 10 -> 80 % (B, not below 80); 5 -> 90 % (B); 5 tie -> 90 % (B); 0 -> 100 % (C)
    expect(abcClasses([10, 50, 5, 30, 5, 0])).toEqual(['B', 'A', 'B', 'A', 'B', 'C']);
  });

  it('takes shares of the positive values only: a loss does not push good customers down', () => {
    // Positive total 100: 60 -> 0 % (A), 30 -> 60 % (A), 10 -> 90 % (B); -50 is a loss (C).
    // Counting the loss (total 50) would make 30 a C at 120 %.
    expect(abcClasses([60, 30, 10, -50])).toEqual(['A', 'A', 'B', 'C']);
    expect(abcClasses([0, -1, 0])).toEqual(['C', 'C', 'C']);
    // Adding a loss-making customer never changes anyone else's class.
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 40 }), fc.integer({ min: -5000, max: 0 }), (values, loss) => {
        expect(abcClasses([...values, loss]).slice(0, -1)).toEqual(abcClasses(values));
      }),
    );
  });

  it('is monotone: a larger value never gets a worse class, and the order of rows does not matter', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 60 }), (values) => {
        const classes = abcClasses(values);
        const rank = { A: 0, B: 1, C: 2 };
        values.forEach((v, i) => values.forEach((w, j) => v > w && expect(rank[classes[i]]).toBeLessThanOrEqual(rank[classes[j]])));
        const reversed = abcClasses([...values].reverse());
        expect(reversed).toEqual([...classes].reverse());
      }),
    );
  });
});

describe('profitability matrix and lifecycle', () => {
  it('splits at the medians (hand-checked)', () => {
    // profit median 25, relationship median 5
    expect(median([10, 20, 30, 40])).toBe(25);
    expect(profitabilityMatrix([10, 20, 30, 40], [9, 1, 2, 8])).toEqual(['Barnacles', 'Strangers', 'Butterflies', 'True Friends']);
    expect(MATRIX_ZH['True Friends']).toBe('重点维护');
  });

  it('stages by tenure and recency', () => {
    expect(lifecycleStage(0, 80, 90)).toBe('New'); // tenure 90 <= 90
    expect(lifecycleStage(0, 0, 200)).toBe('Decline'); // recency 200 > 180
    expect(lifecycleStage(0, 300, 365)).toBe('Growth');
    expect(lifecycleStage(0, 700, 730)).toBe('Mature');
    expect(LIFECYCLE_ZH.Decline).toBe('衰退期');
  });
});

describe('CLV closed forms', () => {
  it('simple: annual profit x years, profit from revenue x margin - cost', () => {
    // 10,000 x 0.3 - 500 = 2,500 a year; x 4 years = 10,000
    expect(simpleClv(annualNetProfit({ revenue: 10000, margin: 0.3, costToServe: 500 }), 4)).toBe(10000);
  });

  it('retention: finite sum and closed form (hand-checked)', () => {
    // m=100, r=0.8, d=0.1, T=3: 100 + 100x0.8/1.1 + 100x0.64/1.21 = 100 + 72.7273 + 52.8926 = 225.6198
    expect(retentionClv(100, 0.8, 0.1, 3)).toBeCloseTo(225.6198347, 6);
    // infinite: 100 x 1.1 / (1.1 - 0.8) = 366.6667
    expect(retentionClv(100, 0.8, 0.1)).toBeCloseTo(366.6666667, 6);
    expect(retentionClv(100, 0.8, 0.1, 2000)).toBeCloseTo(retentionClv(100, 0.8, 0.1), 6);
    expect(() => retentionClv(100, 1, 0.1)).toThrow(/retention/);
    expect(() => retentionClv(100, 0.5, -0.1)).toThrow(/discount/);
  });
});
