/** Budget scenarios where some budgets cannot be allocated: those are reported, the others computed. */
import { allocateBudget } from '../../src/engine/allocation/allocate';
import { allocateScenarios, analyseScenarios, isInfeasible } from '../../src/engine/allocation/scenarios';

// Four customers with floors of 200 each (800 in all), weights 1:2:3:4, whole units.
const request = { budget: 1000, weights: [1, 2, 3, 4], floor: 200, unit: 1 };

describe('partial scenarios', () => {
  it('reports a budget the floors cannot fit as infeasible and computes the others exactly', () => {
    const a = analyseScenarios(request, [0.7, 1, 1.2], { partial: true });
    expect(a.multipliers).toEqual([0.7, 1, 1.2]);
    expect(a.infeasible).toEqual([
      {
        multiplier: 0.7,
        budget: 700,
        code: 'infeasible',
        message: 'the floors add up to 800.00, more than the 700.00 to distribute; lower the floors or raise the budget',
        floors: { floorsMinor: 80_000, distributableMinor: 70_000 },
      },
    ]);
    // Amounts are max(200, p w) adding up to the budget. 1,000: p = 600 / 7 (the first two at their
    // floors), 257.14 and 342.86 rounded by largest remainder to 257 and 343. 1,200: p = 1000 / 9
    // (the first at its floor), 222.22, 333.33, 444.44, the unit left over to the largest remainder.
    expect(a.scenarios.map((s) => s.multiplier)).toEqual([1, 1.2]);
    expect(Array.from(a.scenarios[0].result.amountsMinor)).toEqual([20_000, 20_000, 25_700, 34_300]);
    expect(Array.from(a.scenarios[1].result.amountsMinor)).toEqual([20_000, 22_200, 33_300, 44_500]);
    expect(a.scenarios[1].allocatedMinor).toBe(120_000);
    expect(a.groups).toEqual([{ group: '', customers: 4 }]);
  });

  it('without partial, the first infeasible budget fails the analysis and names its scenario', () => {
    expect(() => analyseScenarios(request, [0.7, 1])).toThrow('budget scenario x0.7 (budget 700): the floors add up to 800.00');
  });

  it('keeps the order asked for and tells the outcomes apart', () => {
    const outcomes = allocateScenarios(request, [1.2, 0.5, 1], { partial: true });
    expect(outcomes.map((o) => [o.multiplier, isInfeasible(o)])).toEqual([
      [1.2, false],
      [0.5, true],
      [1, false],
    ]);
  });

  it('gives the engine reason when the floors are not the cause (a segment minimum share no cap can reach)', () => {
    const segments = { budget: 1000, weights: [5, 5, 1, 1], groups: ['A', 'A', 'B', 'B'], cap: 300, unit: 1, method: 'optimal' as const, saturation: 100, groupMinShare: { B: 0.5 } };
    // At 1,000 segment B needs 500 but its two caps hold 600; at 1,300 it needs 650.
    const a = analyseScenarios(segments, [1, 1.3], { partial: true, curve: false });
    expect(a.scenarios.map((s) => s.multiplier)).toEqual([1]);
    expect(a.infeasible).toHaveLength(1);
    expect(a.infeasible[0]).toMatchObject({ multiplier: 1.3, budget: 1300, code: 'infeasible' });
    expect(a.infeasible[0].floors).toBeUndefined();
    expect(a.infeasible[0].message).toContain("segment 'B'");
    expect(() => allocateBudget({ ...segments, budget: 1300 })).toThrow(a.infeasible[0].message);
  });

  it('with every budget infeasible, still says the method and units and has no curve', () => {
    const a = analyseScenarios({ ...request, method: 'optimal', saturation: 50, minorDigits: 0 }, [0.5, 0.6], { partial: true });
    expect(a.scenarios).toEqual([]);
    expect(a.infeasible.map((s) => s.multiplier)).toEqual([0.5, 0.6]);
    expect(a.infeasible[0].floors).toEqual({ floorsMinor: 800, distributableMinor: 500 });
    expect([a.method, a.minorDigits, a.unitMinor, a.curve]).toEqual(['optimal', 0, 1, []]);
  });

  it('leaves the curve points the floors cannot fit out of the response curve', () => {
    const a = analyseScenarios({ ...request, method: 'optimal', saturation: 300 }, [0.5, 1], { partial: true });
    // Grid 0.5, 0.55, ... 1: budgets below 800 cannot hold the floors.
    expect(a.curve.map((p) => p.multiplier)).toEqual([0.8, 0.85, 0.9, 0.95, 1]);
    expect(a.curve.every((p) => p.allocatedMinor >= 80_000)).toBe(true);
    expect(a.infeasible.map((s) => s.multiplier)).toEqual([0.5]);
  });
});
