/**
 * CBP.ALLOCATE called as Excel calls it.
 */
import fc from 'fast-check';
import { installCustomFunctionsStub, StubCustomFunctionsError, thrownError } from './helpers/custom-functions-stub';

installCustomFunctionsStub();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ALLOCATE } = require('../../src/functions/functions') as typeof import('../../src/functions/functions');

const col = (values: unknown[]): unknown[][] => values.map((v) => [v]);
const amounts = (table: unknown[][]): unknown[] => table.map((r) => r[0]);
const cents = (table: unknown[][]): number => table.reduce((s: number, r) => s + (typeof r[0] === 'number' ? Math.round(r[0] * 100) : 0), 0);

describe('CBP.ALLOCATE', () => {
  test('proportional: 1000 by weights 1, 2, 3, 4 is 100, 200, 300, 400', () => {
    expect(ALLOCATE(1000, col([1, 2, 3, 4]))).toEqual(col([100, 200, 300, 400]));
  });

  test('reserve 5 % and unit 10: exact shares 95, 190, 285, 380 round to 90, 190, 290, 380', () => {
    // D = 1000 * 0.95 = 950 (a multiple of 10). Quotas 95, 190, 285, 380: floors 90, 190, 280, 380 = 940.
    // The last 10 goes to the largest remainder: rows 1 and 3 both have 5; the tie goes to the larger weight (row 3).
    expect(ALLOCATE(1000, col([1, 2, 3, 4]), null as never, null as never, null as never, 10, 0.05)).toEqual(col([90, 190, 290, 380]));
    expect(ALLOCATE(1000, col([1, 2, 3, 4]), null as never, null as never, null as never, 10, '5%' as never)).toEqual(col([90, 190, 290, 380]));
  });

  test('a floor of 150: row 1 sits at its floor, the others share 850 as 2 : 3 : 4', () => {
    // lambda = 850 / 9 = 94.44...: 188.888..., 283.333..., 377.777...; floors in cents 188.88 + 283.33 + 377.77 = 849.98;
    // the 2 cents left go to the largest remainders: .8 (row 2) and .7 (row 4).
    const out = ALLOCATE(1000, col([1, 2, 3, 4]), [[150]]);
    expect(out).toEqual(col([150, 188.89, 283.33, 377.78]));
    expect(cents(out)).toBe(100000);
  });

  test('per-row floors and caps, a header row and a blank row', () => {
    // Weights 1, (blank), 1, 2 with caps 100, -, (none), 1000 and budget 600: row 1 is capped at 100;
    // rows 3 and 4 share 500 as 1 : 2 -> 166.666... and 333.333... -> 166.67 and 333.33 (remainders .67 vs .33: row 3 gets the cent).
    const out = ALLOCATE(600, col(['Weight', 1, '', 1, 2]), null as never, col(['Cap', 100, '', '', 1000]));
    expect(out).toEqual([['allocation'], [100], [''], [166.67], [333.33]]);
  });

  test('equal method, money text budget', () => {
    // 1000.00 / 3 = 333.333...: 333.33 each and one cent left, to the earliest row (equal weights).
    expect(ALLOCATE('¥1,000.00', col([5, 1, 9]), null as never, null as never, 'equal')).toEqual(col([333.34, 333.33, 333.33]));
  });

  test('every row at its cap: the unallocated rest is stated in the header', () => {
    expect(ALLOCATE(1000, col(['Score', 1, 1]), [[300]] as never, null as never)).toEqual([['allocation'], [500], [500]]);
    expect(ALLOCATE(1000, col(['Score', 1, 1]), null as never, [[300]])).toEqual([['allocation (400.00 unallocated: every row is at its cap)'], [300], [300]]);
  });

  test('property: amounts are multiples of the unit, within bounds, and add up exactly to the distributable budget', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 100, max: 10_000_000 }),
        fc.constantFrom(0.01, 1, 100),
        fc.constantFrom(0, 0.05, 0.1),
        (weights, budgetCents, unit, reserve) => {
          // D = B (1 - reserve) rounded down to a multiple of the unit, in cents; a budget below one unit is refused.
          const unitCents = Math.round(unit * 100);
          const distributable = Math.floor(Math.floor(budgetCents * (1 - reserve) + 1e-7) / unitCents) * unitCents;
          fc.pre(weights.some((w) => w > 0) && distributable > 0);
          const out = ALLOCATE(budgetCents / 100, col(weights), null as never, null as never, null as never, unit, reserve);
          expect(cents(out)).toBe(distributable);
          for (const [amount] of out as number[][]) {
            expect(Math.round(amount * 100) % unitCents).toBe(0);
            expect(amount).toBeGreaterThanOrEqual(0);
          }
          // Monotone in weight: a larger weight never gets less (up to one unit of rounding).
          weights.forEach((w, i) =>
            weights.forEach((v, j) => {
              if (w > v) expect((out[i][0] as number) + unit + 1e-9).toBeGreaterThanOrEqual(out[j][0] as number);
            }),
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  test('errors name the argument and the row of the selection', () => {
    expect(thrownError(() => ALLOCATE(1000, col(['Weight', 1, -2]))).message).toBe('weights, row 3: the weight -2 must be 0 or more');
    expect(thrownError(() => ALLOCATE(1000, col([1, 'lots']))).message).toBe("weights, row 2: 'lots' is not a number");
    expect(thrownError(() => ALLOCATE(0, col([1, 2]))).message).toBe('budget: must be a number above 0 (got 0)');
    expect(thrownError(() => ALLOCATE(1000, col([1, 2]), null as never, null as never, null as never, null as never, 1.5)).message).toMatch(/^reserve: must be a fraction from 0 up to/);
    expect(thrownError(() => ALLOCATE(1000, col([1, 2]), [[600]])).message).toBe('the floors add up to 1200.00, more than the 1000.00 to distribute; lower the floors or raise the budget');
    expect(thrownError(() => ALLOCATE(1000, col([1, 2]), null as never, col([10, 20, 30]))).message).toBe('cap: has 3 rows but weights has 2; select ranges of the same height');
    expect(thrownError(() => ALLOCATE(1000, col([1, 2]), null as never, null as never, 'shares')).message).toBe("method: 'shares' is not one of proportional, equal, optimal");
    expect(thrownError(() => ALLOCATE(1000, col(['', '']))).message).toBe('weights: there are no weights; select the cells that hold one weight per customer');
    expect(thrownError(() => ALLOCATE(50, col([1]), null as never, null as never, null as never, 100)).message).toBe(
      'unit: the budget after the reserve is less than one rounding unit (100); lower the unit or the reserve',
    );
    expect(amounts(ALLOCATE(1000, col([0, 1])))).toEqual([0, 1000]);
  });
});

/** Arguments 3 to 12 of CBP.ALLOCATE by name; anything not given is omitted (null), as Excel passes it. */
interface Optional {
  floor?: unknown;
  cap?: unknown;
  method?: string;
  unit?: number;
  reserve?: number;
  saturation?: unknown;
  response?: string;
  segments?: unknown;
  segment_limits?: unknown;
  output?: string;
}
function allocate(budget: unknown, weights: unknown[][], o: Optional = {}): unknown[][] {
  const arg = (v: unknown) => (v === undefined ? null : v) as never;
  return ALLOCATE(budget, weights, arg(o.floor), arg(o.cap), arg(o.method), arg(o.unit), arg(o.reserve), arg(o.saturation), arg(o.response), arg(o.segments), arg(o.segment_limits), arg(o.output));
}

describe('CBP.ALLOCATE with method optimal (diminishing returns)', () => {
  // Values 200 and 100, saturation 10, budget 20, exp response v (1 - e^(-x/s)).
  // Equal marginal returns (v1/s) e^(-x1/s) = (v2/s) e^(-x2/s) give x1 - x2 = 10 ln 2 = 6.931..., and x1 + x2 = 20, so
  // x1 = 10 + 5 ln 2 = 13.4657..., x2 = 10 - 5 ln 2 = 6.5342...
  const values = col([200, 100]);
  const optimal = { method: 'optimal', saturation: [[10]] };

  test('exp, unit 0.01: 13.47 and 6.53, adding up exactly to 20', () => {
    // In cents: floors 1346 + 653 = 1999; the last cent goes to the larger remainder (.57 of row 1 against .42).
    const out = allocate(20, values, optimal);
    expect(out).toEqual(col([13.47, 6.53]));
    expect(cents(out)).toBe(2000);
    expect(13.47).toBeCloseTo(10 + 5 * Math.log(2), 2);
  });

  test('exp, unit 1: 13 and 7 (floors 13 + 6, the last unit to the larger remainder .53 of row 2)', () => {
    expect(allocate(20, values, { ...optimal, unit: 1 })).toEqual(col([13, 7]));
  });

  test('saturation as a column aligned with the weights, with a header row, gives the same plan', () => {
    expect(allocate(20, col(['Value', 200, 100]), { ...optimal, unit: 1, saturation: col(['Saturation', 10, 10]) })).toEqual([['allocation'], [13], [7]]);
  });

  test('output "marginal": the return of the next 1 spent, (v/s) e^(-x/s) at the rounded amount, the same for any unit', () => {
    const byUnit = allocate(20, values, { ...optimal, unit: 1, output: 'marginal' }) as number[][];
    expect(byUnit[0][0]).toBeCloseTo(20 * Math.exp(-1.3), 12); // 5.4506
    expect(byUnit[1][0]).toBeCloseTo(10 * Math.exp(-0.7), 12); // 4.9659
    // With cents the rounded amounts sit next to the continuous optimum, where both marginals are 20 e^(-1.3466) = 5.2026.
    const byCent = allocate(20, values, { ...optimal, output: 'marginal' }) as number[][];
    expect(byCent[0][0]).toBeCloseTo(20 * Math.exp(-1.347), 10);
    expect(byCent[1][0]).toBeCloseTo(10 * Math.exp(-0.653), 10);
    expect(Math.abs(byCent[0][0] - byCent[1][0])).toBeLessThan(0.01);
  });

  test('output "response": v (1 - e^(-x/s)) per row; a header row gets the output\'s name', () => {
    const out = allocate(20, col(['Value', 200, 100]), { ...optimal, unit: 1, output: 'response' }) as unknown[][];
    expect(out[0]).toEqual(['expected response']);
    expect(out[1][0]).toBeCloseTo(200 * (1 - Math.exp(-1.3)), 12); // 145.49
    expect(out[2][0]).toBeCloseTo(100 * (1 - Math.exp(-0.7)), 12); // 50.34
    expect(allocate(20, col(['Value', 200, 100]), { ...optimal, output: 'marginal' })[0]).toEqual(['marginal return per 1']);
  });

  test('log response: v / (s + x) equal gives 10 + x1 = 2 (10 + x2), so x1 = 16.667 and x2 = 3.333', () => {
    expect(allocate(20, values, { ...optimal, response: 'log' })).toEqual(col([16.67, 3.33]));
    expect(allocate(20, values, { ...optimal, response: 'LOG', unit: 1 })).toEqual(col([17, 3]));
    const response = allocate(20, values, { ...optimal, response: 'log', unit: 1, output: 'response' }) as number[][];
    expect(response[0][0]).toBeCloseTo(200 * Math.log(1 + 17 / 10), 12);
    expect(response[1][0]).toBeCloseTo(100 * Math.log(1 + 3 / 10), 12);
  });

  test('blank weight rows stay blank and take no budget', () => {
    expect(allocate(20, col([200, '', 100]), { ...optimal, saturation: col([10, '', 10]), unit: 1 })).toEqual(col([13, '', 7]));
  });

  describe('segments and segment limits', () => {
    // Values 200, 100, 100 in segments A, B, B, saturation 10, budget 30, unit 1.
    // Free: x2 = x3 and x1 - x2 = 10 ln 2, so x1 = 14.62 and x2 = x3 = 7.69.
    // A<=20%: A is held at 6 (20 % of 30) and B's two equal customers share 24 as 12 and 12.
    const rows = col(['Value', 200, 100, 100]);
    const segments = col(['Segment', 'A', 'B', 'B']);
    const base = { method: 'optimal', unit: 1, saturation: [[10]], segments };

    test('a maximum share that binds: A<=20% gives 6, 12, 12', () => {
      // Without limits: 14.62, 7.69, 7.69 rounded together (largest remainders .69, .69) -> 14, 8, 8.
      expect(allocate(30, rows, base)).toEqual([['allocation'], [14], [8], [8]]);
      expect(allocate(30, rows, { ...base, segment_limits: 'A<=20%' })).toEqual([['allocation'], [6], [12], [12]]);
      // The same limit as a 3-column range segment | min | max with a header row, and as text in a range of cells.
      expect(allocate(30, rows, { ...base, segment_limits: [['Segment', 'Min share', 'Max share'], ['A', '', 0.2], ['B', '', '']] })).toEqual([['allocation'], [6], [12], [12]]);
      expect(allocate(30, rows, { ...base, segment_limits: col(['A <= 0.2', '']) })).toEqual([['allocation'], [6], [12], [12]]);
    });

    test('output "bound" says which row is held by its segment; "marginal" shows A held below its free return', () => {
      expect(allocate(30, rows, { ...base, segment_limits: 'A<=20%', output: 'bound' })).toEqual([['at bound'], ['segment'], [''], ['']]);
      const marginal = allocate(30, rows, { ...base, segment_limits: 'A<=20%', output: 'marginal' }) as number[][];
      expect(marginal[1][0]).toBeCloseTo(20 * Math.exp(-0.6), 12); // 10.98: A would use more
      expect(marginal[2][0]).toBeCloseTo(10 * Math.exp(-1.2), 12); // 3.01
    });

    test('a minimum share that binds, matched without regard to case: b>=90% gives B 27 (14 and 13) and A 3', () => {
      // B's two customers split 27 as 13.5 each: the tie goes to the earlier row.
      expect(allocate(30, rows, { ...base, segment_limits: 'b>=90%' })).toEqual([['allocation'], [3], [14], [13]]);
      expect(allocate(30, rows, { ...base, segment_limits: 'B>=90%；A<=50%' })).toEqual([['allocation'], [3], [14], [13]]);
    });

    test('budget that no segment can take is reported in the header', () => {
      // Caps of 10: B takes at most 20, A at most 6 (20 %), so 4 of the 30 stay unallocated.
      expect(allocate(30, rows, { ...base, cap: [[10]], segment_limits: 'A<=20%' })).toEqual([
        ['allocation (4.00 unallocated: every segment is at its maximum share or its rows at their caps)'],
        [6],
        [10],
        [10],
      ]);
    });
  });

  test('other methods ignore saturation, response and segments: the same amounts as before', () => {
    const weights = col([1, 2, 3, 4]);
    const extras = { saturation: col([10, -5, 'x', '']), response: 'log', segments: col(['a', 'b']) };
    expect(allocate(1000, weights, extras)).toEqual(col([100, 200, 300, 400]));
    expect(allocate(1000, weights, { ...extras, method: 'proportional' })).toEqual(ALLOCATE(1000, weights));
    expect(allocate(1000, weights, { ...extras, method: 'equal' })).toEqual(col([250, 250, 250, 250]));
    expect(allocate(1000, weights, { output: 'amount' })).toEqual(col([100, 200, 300, 400]));
    // bound works with every method.
    expect(allocate(1000, col(['Weight', 1, 2, 3, 4]), { floor: [[150]], cap: [[350]], output: 'bound' })).toEqual([['at bound'], ['floor'], [''], [''], ['cap']]);
  });

  test('errors name the argument and the row, and say what to do', () => {
    const message = (o: Optional, weights = col(['Value', 200, 100])) => thrownError(() => allocate(20, weights, { method: 'optimal', unit: 1, ...o })).message;
    expect(message({})).toBe(
      "saturation: method optimal needs the saturation spend: one amount for every customer (e.g. 2000) or a column aligned with the weights. It is the spend at which a customer's response reaches about 63 % of its value",
    );
    expect(message({ saturation: col(['Saturation', 10, -5]) })).toBe(
      "saturation, row 3: the saturation spend -5 must be above 0; enter the spend at which this customer's response reaches about 63 % of its value",
    );
    expect(message({ saturation: col(['Saturation', '', 10]) })).toBe('saturation, row 2: the saturation spend is blank; enter one for every customer that has a weight, or one amount for all');
    expect(message({ saturation: col(['Saturation', 10, 'lots']) })).toBe("saturation, row 3: 'lots' is not an amount; use a number such as 1234.50, ¥1,234.50 or (123.00) for a negative");
    expect(message({ saturation: [[0]] })).toMatch(/^saturation: the saturation spend 0 must be above 0; /);
    expect(message({ saturation: col([10, 10]) })).toBe('saturation: has 2 rows but weights has 3; select ranges of the same height');
    expect(message({ saturation: [[10]], response: 'linear' })).toBe("response: 'linear' is not one of exp, log");
    expect(message({ saturation: [[10]], output: 'roi' })).toBe("output: 'roi' is not one of amount, marginal, response, bound, summary");
    expect(thrownError(() => allocate(20, col([1, 2]), { output: 'marginal' })).message).toBe('output: \'marginal\' needs method "optimal"; with proportional use amount, bound or summary');

    const seg = { saturation: [[10]], segments: col(['Segment', 'Lost', 'Champions']) };
    expect(message({ ...seg, segment_limits: 'Lost=5%' })).toBe(
      "segment_limits: 'Lost=5%' is not a segment limit; write segment<=share or segment>=share, separated by semicolons, e.g. Lost<=5%;Champions>=20%",
    );
    expect(message({ ...seg, segment_limits: 'Lost<=5%;Champions>=lots' })).toBe(
      "segment_limits: 'Champions>=lots' is not a segment limit; write segment<=share or segment>=share, separated by semicolons, e.g. Lost<=5%;Champions>=20%",
    );
    expect(message({ ...seg, segment_limits: 'Lost<=5' })).toBe("segment_limits: the share 5 for 'Lost' must be a fraction from 0 to 1, such as 20% or 0.2");
    expect(message({ ...seg, segment_limits: 'Lsot<=5%' })).toBe("segment_limits: there is no segment 'Lsot' in segments (segments: Lost, Champions); check the spelling");
    expect(message({ ...seg, segment_limits: 'Lost<=5%;Lost<=10%' })).toBe("segment_limits: 'Lost' has more than one maximum share; give each segment at most one minimum and one maximum");
    expect(message({ ...seg, segment_limits: [['Segment', 'Min', 'Max'], ['Lost', 0.1, '5%']] })).toBe(
      "segment_limits, row 2: the minimum share of 'Lost' (0.1) is above its maximum share (0.05); lower the minimum or raise the maximum",
    );
    expect(message({ ...seg, segment_limits: [['Segment', 'Min', 'Max'], ['', 0.1, '']] })).toBe(
      'segment_limits, row 2: the segment name is blank; enter the segment in the first column, or clear the shares of this row',
    );
    expect(message({ ...seg, segment_limits: [['Lost', 0.05]] })).toBe(
      'segment_limits: select three columns (segment, minimum share, maximum share) or enter text such as Lost<=5%;Champions>=20% (got 1 rows × 2 columns)',
    );
    expect(message({ saturation: [[10]], segment_limits: 'Lost<=5%' })).toBe(
      'segment_limits: segment limits need the segments argument: select the segment of each customer, a column aligned with the weights',
    );
    expect(message({ saturation: [[10]], segments: col(['Segment', 'Lost', '']) })).toBe(
      'segments, row 3: the segment is blank; enter a segment for every customer that has a weight, or leave segments out',
    );
    expect(thrownError(() => allocate(20, col([1, 2]), { segments: col(['Lost', 'Champions']), segment_limits: 'Lost<=5%' })).message).toBe(
      'segment_limits: segment limits apply to method "optimal" only; set method to "optimal" or leave segment_limits empty',
    );
  });

  test('property: optimal amounts are multiples of the unit, within the caps, and add up exactly to the budget', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 500 }), fc.constantFrom('A', 'B', 'C')), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 20_000 }),
        fc.constantFrom('exp', 'log'),
        fc.constantFrom('', 'A<=30%', 'B>=20%', 'A<=50%;C>=10%'),
        (rows, budget, response, limits) => {
          const segments: string[] = rows.map((r) => r[2]);
          fc.pre(rows.some((r) => r[0] > 0));
          fc.pre(limits.split(';').every((l) => l === '' || segments.includes(l[0])));
          const cap = 2000;
          let out: unknown[][];
          try {
            out = allocate(budget, col(rows.map((r) => r[0])), { method: 'optimal', unit: 1, cap: [[cap]], saturation: col(rows.map((r) => r[1])), response, segments: col(segments), segment_limits: limits });
          } catch (error) {
            // A minimum share nobody in the segment can take is refused with a message, never a wrong plan.
            expect(error).toBeInstanceOf(StubCustomFunctionsError);
            expect((error as StubCustomFunctionsError).message).toMatch(/minimum share|every value at stake is 0/);
            return;
          }
          const amounts = out.map((r) => r[0] as number);
          for (const a of amounts) {
            expect(Number.isInteger(a)).toBe(true);
            expect(a).toBeGreaterThanOrEqual(0);
            expect(a).toBeLessThanOrEqual(cap);
          }
          const total = amounts.reduce((x, y) => x + y, 0);
          if (!limits && rows.filter((r) => r[0] > 0).length * cap >= budget) expect(total).toBe(budget);
          else expect(total).toBeLessThanOrEqual(budget);
        },
      ),
      { numRuns: 100 },
    );
  });

  test('property: whatever lands in the new arguments, the result is a column of cells or a #VALUE! with a message', () => {
    const cell = fc.oneof(fc.integer({ min: -5, max: 50 }), fc.double(), fc.string({ maxLength: 8 }), fc.boolean(), fc.constant(''), fc.constant(null), fc.constantFrom('A', 'B', 'A<=5%', 'B>=150%', 'A<=x;B>=1%', 'exp', 'log', 'marginal', 'bound'));
    const range = fc.array(fc.array(cell, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 });
    const argument = fc.oneof(cell, range, fc.constant(undefined));
    fc.assert(
      fc.property(argument, argument, argument, argument, fc.constantFrom(undefined, 'amount', 'marginal', 'response', 'bound', 'x'), fc.constantFrom('optimal', 'proportional'), (saturation, response, segments, limits, output, method) => {
        try {
          const out = allocate(100, col(['Value', 3, 2, 1]), { method, unit: 1, saturation, response: response as string, segments, segment_limits: limits, output });
          expect(out).toHaveLength(4);
          for (const [value] of out) expect(typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(StubCustomFunctionsError);
          expect((error as StubCustomFunctionsError).code).toBe('#VALUE!');
          expect((error as StubCustomFunctionsError).message).toMatch(/^(saturation|response|segments|segment_limits|output|weights)\b|minimum share|segment '/);
        }
      }),
      { numRuns: 300 },
    );
  });

  test('messages of the function follow the display language', () => {
    inChinese(() => {
      expect(thrownError(() => allocate(20, col([1, 2]), { method: 'optimal', saturation: col([10, -5]) })).message).toBe(
        'saturation，第 2 行：饱和支出 -5 必须大于 0；请填写该客户响应达到其价值约 63% 时的支出',
      );
      expect(thrownError(() => allocate(20, col([1, 2]), { output: 'response' })).message).toBe('output：“response”需要 optimal 方法；proportional 方法请使用 amount、bound 或 summary');
    });
  });

  test("the engine's own errors in an Excel shown in Chinese come from the catalogue, location and all", () => {
    inChinese(() => {
      expect(thrownError(() => allocate(0, col([1, 2]))).message).toBe('budget：必须是大于 0 的数字（当前为 0）');
      expect(thrownError(() => allocate(1000, col([1, -2, 3]))).message).toBe('weights，第 2 行：权重 -2 必须大于或等于 0');
      expect(thrownError(() => allocate(1000, col([1, 2]), { floor: [[600]] })).message).toBe('下限合计 1200.00，超过了可分配的 1000.00；请降低下限或提高预算');
      expect(thrownError(() => allocate(1000, col([1, 'x']))).message).toBe("weights，第 2 行：'x' 不是数字");
    });
    // English stays as it always was.
    expect(thrownError(() => allocate(0, col([1, 2]))).message).toBe('budget: must be a number above 0 (got 0)');
    expect(thrownError(() => allocate(1000, col([1, 2]), { floor: [[600]] })).message).toBe('the floors add up to 1200.00, more than the 1000.00 to distribute; lower the floors or raise the budget');
  });

  test('headers and bound values follow the display language; English stays as it always was', () => {
    const rows = col(['Value', 200, 100, 100]);
    const limited = { method: 'optimal', unit: 1, saturation: [[10]], segments: col(['Segment', 'A', 'B', 'B']), segment_limits: 'A<=20%', output: 'bound' };
    const capped = { floor: [[150]], cap: [[350]], output: 'bound' };
    expect(allocate(30, rows, limited)).toEqual([['at bound'], ['segment'], [''], ['']]);
    expect(allocate(1000, col(['Weight', 1, 2, 3, 4]), capped)).toEqual([['at bound'], ['floor'], [''], [''], ['cap']]);
    inChinese(() => {
      expect(allocate(30, rows, limited)).toEqual([['所处限额'], ['分层限额'], [''], ['']]);
      expect(allocate(1000, col(['Weight', 1, 2, 3, 4]), capped)).toEqual([['所处限额'], ['下限'], [''], [''], ['上限']]);
      expect(allocate(20, col(['Value', 200, 100]), { ...limited, segments: null, segment_limits: null, output: 'marginal' })[0]).toEqual(['每 1 元边际收益']);
      expect(allocate(20, col(['Value', 200, 100]), { ...limited, segments: null, segment_limits: null, output: 'response' })[0]).toEqual(['预期响应']);
    });
  });
});

/** Runs `body` as in an Excel whose display language is Simplified Chinese. */
function inChinese(body: () => void): void {
  const global = globalThis as unknown as { Office?: unknown };
  global.Office = { context: { displayLanguage: 'zh-CN' } };
  try {
    body();
  } finally {
    delete global.Office;
  }
}

describe('CBP.ALLOCATE output "summary": the plan in label | value rows', () => {
  // Values 200 and 100, saturation 10, budget 25 with a 20 % reserve: distributable 20, reserve 5.
  // The continuous optimum (see above) is x1 = 10 + 5 ln 2 = 13.4657, x2 = 6.5343, where both marginal returns are
  // lambda = 20 e^(-x1/10) = 20 e^(-1.34657) = 10 sqrt(2) / e = 5.2026 per 1 spent, whatever the rounding unit.
  // In cents the plan is 13.47 and 6.53; the proportional split 2 : 1 of the same 20 is 13.33 and 6.67 (remainders .33 and .67).
  const values = col([200, 100]);
  const plan = { method: 'optimal', saturation: [[10]], reserve: 0.2, output: 'summary' };
  const lambda = (10 * Math.SQRT2) / Math.E; // 5.2026
  const total = 200 * (1 - Math.exp(-1.347)) + 100 * (1 - Math.exp(-0.653)); // 195.948
  const proportional = 200 * (1 - Math.exp(-1.333)) + 100 * (1 - Math.exp(-0.667)); // 195.938
  const EN = ['return of the next 1 of budget', 'total expected response', 'expected response of a proportional split', 'gain over proportional', 'distributable', 'reserve', 'unallocated'];
  const ZH = ['预算再增加 1 元的边际收益', '预期总响应', '按比例分配的预期总响应', '相对按比例分配的提升', '可分配金额', '准备金', '未分配金额'];

  /** Checks a 7-row optimal summary against the hand-computed figures above. */
  function expectPlanFigures(out: unknown[][], labels: string[]): void {
    expect(out.map((row) => row.length)).toEqual([2, 2, 2, 2, 2, 2, 2]);
    expect(out.map((row) => row[0])).toEqual(labels);
    const figure = out.map((row) => row[1] as number);
    expect(figure[0]).toBeCloseTo(lambda, 9);
    expect(figure[0]).toBeCloseTo(20 * Math.exp(-1.34657), 4);
    expect(figure[1]).toBeCloseTo(total, 9);
    expect(figure[2]).toBeCloseTo(proportional, 9);
    expect(figure[3]).toBeCloseTo(total / proportional - 1, 12); // 4.89e-5, as a fraction
    expect(figure[3]).toBeGreaterThan(4.8e-5);
    expect(figure[3]).toBeLessThan(4.95e-5);
    expect(figure.slice(4)).toEqual([20, 5, 0]);
  }

  test('optimal, unit 0.01: lambda per 1, total and proportional response, the gain, then distributable, reserve and unallocated', () => {
    expectPlanFigures(allocate(25, values, plan), EN);
  });

  test('the same plan in an Excel shown in Chinese: Chinese labels, the same numbers', () => {
    inChinese(() => expectPlanFigures(allocate(25, values, plan), ZH));
  });

  test('lambda is per 1 of currency, not per rounding unit; with unit 1 both splits are 13 and 7, so the gain is 0', () => {
    const out = allocate(25, values, { ...plan, unit: 1 });
    expect(out[0][1]).toBeCloseTo(lambda, 9);
    expect(out[1][1]).toBeCloseTo(200 * (1 - Math.exp(-1.3)) + 100 * (1 - Math.exp(-0.7)), 9);
    expect(out[2][1]).toBeCloseTo(out[1][1] as number, 12);
    expect(out[3][1]).toBe(0);
  });

  test('a header row and blank rows in the weights do not change the table', () => {
    expect(allocate(25, col(['Value', 200, '', 100]), { ...plan, saturation: col(['Saturation', 10, '', 10]) })).toEqual(allocate(25, values, plan));
  });

  test('other methods: the money rows only, with what no row could take', () => {
    // Distributable 900 after a 10 % reserve of 1000; two rows capped at 300 take 600, so 300 is unallocated.
    expect(allocate(1000, col([1, 1]), { cap: [[300]], reserve: 0.1, output: 'summary' })).toEqual([
      ['distributable', 900],
      ['reserve', 100],
      ['unallocated', 300],
    ]);
    expect(allocate(1000, col([1, 3]), { method: 'equal', unit: 10, output: 'SUMMARY' })).toEqual([
      ['distributable', 1000],
      ['reserve', 0],
      ['unallocated', 0],
    ]);
    inChinese(() =>
      expect(allocate(1000, col([1, 1]), { cap: [[300]], reserve: 0.1, output: 'summary' })).toEqual([
        ['可分配金额', 900],
        ['准备金', 100],
        ['未分配金额', 300],
      ]),
    );
  });
});
