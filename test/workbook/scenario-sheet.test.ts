/** The Scenarios sheet as plain data, and the scenario analysis it is built from (issue 6, item 4). */
import { writeContext } from './context';
import ExcelJS from 'exceljs';
import { analyseScenarios, curveMultipliers } from '../../src/engine/allocation/scenarios';
import { AllocationRequest } from '../../src/engine/allocation/allocate';
import { writeSpecToWorkbook } from '../../src/hosts/xlsx/write';
import { WriteContext } from '../../src/workbook/plan-sheet';
import { buildScenarioWorkbook, multiplierPercent, scenarioParametersOfPlan } from '../../src/workbook/scenario-sheet';
import { computePlan } from '../../src/engine/plan';
import { readTransactionColumns } from '../../src/engine/transactions';
import { epochDaysFromCivil } from '../../src/engine/dates';
import { moneyFormat, unitDigits } from '../../src/workbook/plan-sheet';
import { BlockSpec, SpecValue } from '../../src/workbook/spec';

const context = (overrides: Partial<WriteContext> = {}): WriteContext => writeContext({ source: 'scores.csv', ...overrides });

/** Label in column A -> the values from column C on, of the blocks under the scenario table. */
function lines(blocks: BlockSpec[]): Map<string, SpecValue[]> {
  return new Map(blocks.filter((b) => b.col === 0 && b.values[0].length > 2).map((b) => [String(b.values[0][0]), b.values[0].slice(2)]));
}

// Weights 1, 3 (North) and 2, 4 (South): North gets 40 % of D, South 60 %.
const proportional = (overrides: Partial<AllocationRequest> = {}): AllocationRequest => ({
  budget: 100000,
  weights: [1, 3, 2, 4],
  groups: ['North', 'North', 'South', 'South'],
  unit: 1,
  minorDigits: 0,
  ...overrides,
});

describe('scenario analysis (engine)', () => {
  it('JPY-like (0 minor digits, unit 1): segment sums at 0.9, 1 and 1.1 in whole yen, by hand', () => {
    const a = analyseScenarios(proportional(), [0.9, 1, 1.1]);
    expect(a.minorDigits).toBe(0);
    expect(a.groups).toEqual([
      { group: 'North', customers: 2 },
      { group: 'South', customers: 2 },
    ]);
    // 0 minor digits: minor units are yen.
    expect(a.scenarios.map((s) => s.budget)).toEqual([90000, 100000, 110000]);
    expect(a.scenarios.map((s) => s.byGroup.get('North'))).toEqual([36000, 40000, 44000]);
    expect(a.scenarios.map((s) => s.byGroup.get('South'))).toEqual([54000, 60000, 66000]);
    expect(a.scenarios.map((s) => s.heldBackMinor)).toEqual([0, 0, 0]);
    expect(a.curve).toEqual([]); // no response model for proportional
  });

  it('3 minor digits (e.g. KWD, unit 0.001): amounts to the fils', () => {
    const a = analyseScenarios(proportional({ budget: 1000.5, unit: 0.001, minorDigits: 3 }), [1, 2]);
    // 1000.5 x 40 % = 400.2, x 60 % = 600.3; twice that at 2.
    expect(a.scenarios[0].byGroup.get('North')).toBe(400200);
    expect(a.scenarios[0].byGroup.get('South')).toBe(600300);
    expect(a.scenarios[1].byGroup.get('North')).toBe(800400);
    expect(a.scenarios[1].budget).toBe(2001);
  });

  it('the curve grid: the given multipliers plus 11 even steps, ascending, without repeats', () => {
    expect(curveMultipliers([0.9, 1, 1.1])).toEqual([0.9, 0.92, 0.94, 0.96, 0.98, 1, 1.02, 1.04, 1.06, 1.08, 1.1]);
    expect(curveMultipliers([1.5, 0.5, 1.05], 3)).toEqual([0.5, 1, 1.05, 1.5]);
    expect(curveMultipliers([1])).toEqual([1]);
    expect(() => analyseScenarios(proportional(), [])).toThrow('at least one budget multiplier');
    expect(() => analyseScenarios(proportional(), [1, -0.5])).toThrow('above 0');
  });

  it('optimal: the response rises with the budget, concavely; the marginal return falls', () => {
    const a = analyseScenarios(
      { budget: 2000, weights: [1000, 600, 50, 20], groups: ['Top', 'Top', 'Rest', 'Rest'], unit: 1, method: 'optimal', saturation: [300, 200, 100, 50] },
      [0.5, 1, 1.5],
    );
    expect(a.curve.map((p) => p.multiplier)).toEqual([0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.2, 1.3, 1.4, 1.5]);
    expect(a.curve.filter((p) => p.isScenario).map((p) => p.multiplier)).toEqual([0.5, 1, 1.5]);
    const increments = a.curve.slice(1).map((p, k) => p.totalResponse - a.curve[k].totalResponse);
    increments.forEach((d) => expect(d).toBeGreaterThan(0));
    for (let k = 1; k < increments.length; k++) expect(increments[k]).toBeLessThanOrEqual(increments[k - 1] + 1e-9);
    for (let k = 1; k < a.curve.length; k++) expect(a.curve[k].marginalReturn).toBeLessThan(a.curve[k - 1].marginalReturn);
    for (const s of a.scenarios) {
      expect(s.responseGain).toBeCloseTo(s.totalResponse! - s.proportionalResponse!, 9);
      expect(s.responseGain!).toBeGreaterThanOrEqual(-1e-9); // optimal never does worse than proportional
      expect(s.allocatedMinor + s.heldBackMinor).toBe(s.result.budgetMinor);
    }
    // The scenarios on the grid are reused, not recomputed differently.
    expect(a.curve[5].totalResponse).toBe(a.scenarios[1].totalResponse);
  });
});

describe('Scenarios sheet (spec)', () => {
  it('number formats follow the minor digits and the unit', () => {
    expect(unitDigits(1, 0)).toBe(0);
    expect(unitDigits(100, 2)).toBe(0);
    expect(unitDigits(50, 2)).toBe(1);
    expect(unitDigits(1, 2)).toBe(2);
    expect(unitDigits(1, 3)).toBe(3);
    expect(moneyFormat(0)).toBe('#,##0');
    expect(moneyFormat(3)).toBe('#,##0.000');
    expect(multiplierPercent(0.9)).toBe('90');
    expect(multiplierPercent(1.125)).toBe('112.5');
  });

  it('JPY-like: segments side by side per multiplier, totals, held back and budget in whole yen', () => {
    const spec = buildScenarioWorkbook({ analysis: analyseScenarios(proportional({ reserve: 0.05 }), [0.9, 1, 1.1]), reserve: 0.05 }, context());
    expect(spec.sheets).toHaveLength(1);
    const sheet = spec.sheets[0];
    expect(sheet.name).toBe('Scenarios');
    expect(sheet.tables).toHaveLength(1); // no curve for proportional
    expect(sheet.charts).toEqual([]);
    const table = sheet.tables[0];
    expect(table.name).toBe('CBP_Scenarios');
    expect(table.header).toEqual(['Segment', 'Customers', 'Budget 90%', 'Budget 100%', 'Budget 110%']);
    // D = 95 % of the budget: 85,500, 95,000, 104,500; North 40 %, South 60 %.
    expect(table.rows).toEqual([
      ['North', 2, 34200, 38000, 41800],
      ['South', 2, 51300, 57000, 62700],
    ]);
    expect(table.numberFormats).toEqual([null, '0', '#,##0', '#,##0', '#,##0']);
    expect(table.totalsRow).toBe(true);
    expect(table.totalsLabel).toBe('Allocated to customers');
    expect(table.totalsFunctions).toEqual(['none', 'sum', 'sum', 'sum', 'sum']);
    const l = lines(sheet.blocks);
    expect(l.get('Reserve and unallocated')).toEqual([4500, 5000, 5500]);
    expect(l.get('Budget')).toEqual([90000, 100000, 110000]);
    expect(l.has('Total expected response')).toBe(false);
    const budgetLine = sheet.blocks.find((b) => b.values[0][0] === 'Budget')!;
    expect(budgetLine.numberFormats).toEqual([null, null, '#,##0', '#,##0', '#,##0']);
    // The lines sit right under the totals row.
    expect(sheet.blocks.find((b) => b.values[0][0] === 'Reserve and unallocated')!.row).toBe(table.row + table.rows.length + 2);
  });

  it('optimal, in Chinese, with names already taken: response lines, the curve table and a chart spec', () => {
    const analysis = analyseScenarios({ budget: 1000, weights: [1000, 1000, 10, 10], groups: ['Top', 'Top', 'Rest', 'Rest'], unit: 1, method: 'optimal', saturation: 100 }, [0.9, 1, 1.1]);
    const spec = buildScenarioWorkbook({ analysis, reserve: 0 }, context({ locale: 'zh-CN', existingSheetNames: ['预算情景'], existingTableNames: ['CBP_Scenarios'] }));
    const sheet = spec.sheets[0];
    expect(sheet.name).toBe('预算情景 (2)');
    expect(sheet.tables.map((t) => t.name)).toEqual(['CBP_Scenarios_2', 'CBP_ResponseCurve']);
    expect(sheet.tables[0].header).toEqual(['分层', '客户数', '预算 90%', '预算 100%', '预算 110%']);
    const l = lines(sheet.blocks);
    expect(l.get('预期总响应')).toEqual(analysis.scenarios.map((s) => s.totalResponse));
    expect(l.get('较按比例分配的增益')).toEqual(analysis.scenarios.map((s) => s.responseGain));
    expect(l.get('下一货币单位的边际回报')).toEqual(analysis.scenarios.map((s) => s.lambdaPerCurrencyUnit));
    const curve = sheet.tables[1];
    expect(curve.header).toEqual(['预算倍数', '预算总额', '已分配', '预期总响应', '按比例分配的响应', '较按比例分配的增益', '下一货币单位的边际回报', '较上一预算每货币单位的新增响应', '情景']);
    expect(sheet.tables[0].totalsLabel).toBe('已分配给客户');
    expect(curve.rows).toHaveLength(11);
    expect(curve.rows.map((r) => r[1])).toEqual([900, 920, 940, 960, 980, 1000, 1020, 1040, 1060, 1080, 1100]);
    expect(curve.numberFormats).toEqual(['0.0%', '#,##0.00', '#,##0', '#,##0.00', '#,##0.00', '#,##0.00', '0.0000', '0.0000', null]);
    // The chart: response (column D) by budget (column B) of the curve table, beside it.
    const first = curve.row + 2;
    const last = curve.row + 1 + curve.rows.length;
    expect(sheet.charts).toEqual([expect.objectContaining({ type: 'column', categories: `B${first}:B${last}`, values: `D${first}:D${last}`, anchor: `K${curve.row + 1}` })]);
    expect(sheet.charts[0].substituteNote).toContain('无法写入图表');
  });

  it('writes through the ExcelJS host: formats and the totals row as Excel sees them', async () => {
    const workbook = new ExcelJS.Workbook();
    const analysis = analyseScenarios(proportional({ budget: 1000.5, unit: 0.001, minorDigits: 3 }), [1, 2]);
    const spec = buildScenarioWorkbook({ analysis, reserve: 0 }, context());
    await writeSpecToWorkbook(workbook, spec);
    const buffer = await workbook.xlsx.writeBuffer();
    const back = new ExcelJS.Workbook();
    await back.xlsx.load(buffer);
    const sheet = back.getWorksheet('Scenarios')!;
    const table = spec.sheets[0].tables[0];
    const headerRow = table.row + 1;
    expect(sheet.getCell(headerRow, 3).value).toBe('Budget 100%');
    expect(sheet.getCell(headerRow + 1, 3).value).toBe(400.2);
    expect(sheet.getCell(headerRow + 1, 3).numFmt).toBe('#,##0.000');
    expect(sheet.getCell(headerRow + 2, 4).value).toBe(1200.6);
    expect((sheet.getCell(headerRow + 3, 3).value as { result: number }).result).toBeCloseTo(1000.5, 9);
  });
});

describe('Scenarios sheet: the parameters to run it again', () => {
  /** Label -> value of the one-row, two-cell blocks in column A (the parameters). */
  const params = (blocks: BlockSpec[]) => new Map(blocks.filter((b) => b.col === 0 && b.values[0].length === 2).map((b) => [String(b.values[0][0]), b.values[0][1]]));
  const optimalRequest: AllocationRequest = {
    budget: 2000,
    weights: [1000, 600, 50, 20],
    groups: ['Top', 'Top', 'Rest', 'Rest'],
    unit: 1,
    method: 'optimal',
    saturation: [300, 200, 100, 50],
    response: 'log',
    floor: 10,
    cap: 900,
    reserve: 0.05,
    groupMinShare: { Rest: 0.1 },
    groupMaxShare: { Top: 0.85 },
  };
  const analysis = analyseScenarios(optimalRequest, [0.9, 1, 1.1]);
  const input = { analysis, reserve: 0.05, saturation: 'sat', response: 'log' as const, segmentMinShare: { Rest: 0.1 }, segmentMaxShare: { Top: 0.85 }, floor: 10, cap: 'max_spend' };

  it('records saturation, response curve, segment limits, floor / cap, reserve, unit and re-plan, in English', () => {
    const p = params(buildScenarioWorkbook(input, context()).sheets[0].blocks);
    expect(p.get('Method')).toBe('optimal');
    expect(p.get('Reserve rate')).toBe(0.05);
    expect(p.get('Rounding unit')).toBe(1);
    expect(p.get('Floor / cap per customer')).toBe('10 / column max_spend');
    expect(p.get('Response curve')).toBe('log: value × ln(1 + spend / saturation)');
    expect(p.get('Saturation spend')).toBe('column sat');
    expect(p.get('Minimum share per segment')).toBe('Rest 10%');
    expect(p.get('Maximum share per segment')).toBe('Top 85%');
    expect(p.get('Re-planned from spend to date')).toBe('no');
    expect(p.get('Budget multipliers')).toBe('90%, 100%, 110%');
    // A number for every row stays a number.
    expect(params(buildScenarioWorkbook({ ...input, saturation: 2000 }, context()).sheets[0].blocks).get('Saturation spend')).toBe(2000);
  });

  it('records the same in Chinese, with no English code word left in the values', () => {
    const sheet = buildScenarioWorkbook({ ...input, spentToDate: { customers: 2, spentMinor: 12345, through: epochDaysFromCivil(2026, 3, 31) } }, context({ locale: 'zh-CN' })).sheets[0];
    const p = params(sheet.blocks);
    expect(p.get('分配方法')).toBe('最优分配（边际收益递减）');
    expect(p.get('备用金比例')).toBe(0.05);
    expect(p.get('取整单位')).toBe(1);
    expect(p.get('每客户下限 / 上限')).toBe('10 / “max_spend”列');
    expect(p.get('响应曲线')).toBe('对数型：价值 × ln(1 + 投入 / 饱和投入)');
    expect(p.get('饱和投入')).toBe('“sat”列');
    expect(p.get('各分层最低占比')).toBe('Rest 10%');
    expect(p.get('各分层最高占比')).toBe('Top 85%');
    // 12345 minor units with 2 digits (the analysis's minor digits).
    expect(analysis.minorDigits).toBe(2);
    expect(p.get('按迄今支出重新规划')).toBe('截至 2026-03-31，2 位客户已支出 123.45；各预算下每位客户至少保留已支出金额');
    const exempt = new Set(['数据来源', '产品版本', '每客户下限 / 上限', '饱和投入', '各分层最低占比', '各分层最高占比']); // user names and data
    for (const [label, value] of p) {
      if (exempt.has(label) || typeof value !== 'string') continue;
      expect(value.replace(/\bln\b|e\^/g, '')).not.toMatch(/[A-Za-z]/);
    }
  });

  it('reads the response curve and one-for-all floors and caps from the analysis when they are not given', () => {
    const p = params(buildScenarioWorkbook({ analysis, reserve: 0.05 }, context()).sheets[0].blocks);
    expect(p.get('Response curve')).toBe('log: value × ln(1 + spend / saturation)');
    expect(p.get('Floor / cap per customer')).toBe('10 / 900');
    expect(p.get('Saturation spend')).toBe('-');
    expect(p.get('Minimum share per segment')).toBe('-');
    const perRow = analyseScenarios({ ...optimalRequest, floor: [0, 5, 5, 5], cap: undefined }, [1]);
    expect(params(buildScenarioWorkbook({ analysis: perRow, reserve: 0.05 }, context({ locale: 'zh-CN' })).sheets[0].blocks).get('每客户下限 / 上限')).toBe('逐行不同 / -');
  });

  it('gives proportional scenarios floors, caps and re-plan but no optimal-only lines; shares get their segment shares', () => {
    const spec = buildScenarioWorkbook({ analysis: analyseScenarios(proportional({ reserve: 0.05 }), [0.9, 1]), reserve: 0.05, spentToDate: { customers: 3, spentMinor: 500 } }, context());
    const p = params(spec.sheets[0].blocks);
    expect(p.get('Method')).toBe('proportional');
    expect(p.get('Floor / cap per customer')).toBe('- / -');
    expect(p.get('Re-planned from spend to date')).toBe('3 customers have spent 500; each keeps at least that at every budget');
    expect(p.has('Response curve')).toBe(false);
    expect(p.has('Saturation spend')).toBe(false);
    expect(p.has('Share per segment')).toBe(false);
    const shares = analyseScenarios(proportional({ method: 'shares', groupShares: { North: 0.25, South: 0.75 } }), [1]);
    const zh = params(buildScenarioWorkbook({ analysis: shares, reserve: 0, segmentShares: { North: 0.25, South: 0.75 } }, context({ locale: 'zh-CN' })).sheets[0].blocks);
    expect(zh.get('分配方法')).toBe('按分层份额');
    expect(zh.get('各分层份额')).toBe('North 25%、South 75%');
  });

  it('takes a plan\'s parameters for the sheet with scenarioParametersOfPlan', () => {
    const tx = readTransactionColumns({ customers: ['A', 'B', 'C', 'D'], dates: ['2025-01-02', '2025-02-03', '2025-03-04', '2025-04-05'], amounts: [10, 20, 30, 40] });
    const plan = computePlan(tx, {
      budget: 1000,
      reserve: 0.1,
      unit: 1,
      weightBasis: 'monetary',
      method: 'optimal',
      saturation: 100,
      floor: 5,
      asOf: epochDaysFromCivil(2025, 6, 30),
      spentToDateMinor: new Map([['A', 2000]]),
    });
    const parameters = scenarioParametersOfPlan(plan);
    expect(parameters).toMatchObject({ reserve: 0.1, saturation: 100, floor: 5, cap: undefined, spentToDate: { customers: 1, spentMinor: 2000 } });
    const p = params(buildScenarioWorkbook({ analysis: analyseScenarios(plan.allocationRequest, [0.9, 1]), ...parameters }, context()).sheets[0].blocks);
    expect(p.get('Saturation spend')).toBe(100);
    expect(p.get('Response curve')).toBe('exp: value × (1 − e^(−spend / saturation))');
    expect(p.get('Floor / cap per customer')).toBe('5 / -');
    expect(p.get('Re-planned from spend to date')).toBe('1 customers have spent 20.00; each keeps at least that at every budget');
  });
});

describe('Scenarios sheet with a budget that cannot be allocated', () => {
  // Floors of 25,000 on each of the four customers: 100,000 in all, more than 80 % of the budget.
  const analysis = analyseScenarios(proportional({ floor: 25000 }), [0.8, 1, 1.2], { partial: true });

  it.each([
    ['en', ['Budget 80%', null, 80000, 'Infeasible', 'The floors add up to 100000, more than the 80000 this budget leaves to distribute; lower the floors or raise the budget.'], 'Budgets that cannot be allocated', 'Budget multipliers'],
    ['zh-CN', ['预算 80%', null, 80000, '不可行', '每客户下限合计 100000，超过该预算可分配的 80000；请降低下限或提高预算。'], '无法分配的预算', '预算倍数'],
  ] as const)('%s: the infeasible budget has its row and reason, the others their exact amounts', (locale, row, title, multipliersLabel) => {
    const sheet = buildScenarioWorkbook({ analysis, reserve: 0, floor: 25000 }, context({ locale })).sheets[0];
    const table = sheet.tables[0];
    expect(table.header.slice(2)).toEqual(locale === 'en' ? ['Budget 100%', 'Budget 120%'] : ['预算 100%', '预算 120%']);
    // 100 %: every customer at its floor. 120 %: max(25,000, p w), p = 70,000 / 7 for weights 3 and 4.
    expect(table.rows.map((r) => r.slice(2))).toEqual([
      [50000, 55000],
      [50000, 65000],
    ]);
    const titleBlock = sheet.blocks.find((b) => b.values[0][0] === title)!;
    expect(titleBlock.bold).toBe(true);
    const rowBlock = sheet.blocks.find((b) => b.row === titleBlock.row + 2)!;
    expect(rowBlock.values).toEqual([row]);
    expect(rowBlock.numberFormats).toEqual([null, null, '#,##0', null, null]);
    // The section sits under the budget lines and above the curve's title.
    const budgetLine = sheet.blocks.find((b) => b.values[0][0] === (locale === 'en' ? 'Budget' : '预算总额') && b.values[0].length > 2)!;
    expect(titleBlock.row).toBe(budgetLine.row + 2);
    const curveTitle = sheet.blocks.find((b) => b.values[0][0] === (locale === 'en' ? 'Response versus budget' : '响应—预算曲线'))!;
    expect(curveTitle.row).toBe(rowBlock.row + 2);
    // The parameters still list every multiplier asked for.
    expect(sheet.blocks.find((b) => b.values[0][0] === multipliersLabel)!.values[0][1]).toBe('80%, 100%, 120%');
  });

  it('a reason that is not the floors is the engine’s own message', () => {
    const segments = analyseScenarios({ budget: 1000, weights: [5, 5, 1, 1], groups: ['A', 'A', 'B', 'B'], cap: 300, unit: 1, method: 'optimal', saturation: 100, groupMinShare: { B: 0.5 } }, [1, 1.3], { partial: true });
    const en = buildScenarioWorkbook({ analysis: segments, reserve: 0 }, context()).sheets[0];
    const zh = buildScenarioWorkbook({ analysis: segments, reserve: 0 }, context({ locale: 'zh-CN' })).sheets[0];
    const reasonOf = (blocks: BlockSpec[], label: string) => blocks.find((b) => b.values[0][0] === label && b.values[0].length === 5)!.values[0][4];
    expect(reasonOf(en.blocks, 'Budget 130%')).toBe(segments.infeasible[0].message);
    expect(reasonOf(zh.blocks, '预算 130%')).toBe(`无法分配：${segments.infeasible[0].message}`);
    // The feasible budget keeps its optimal lines and its curve point.
    expect(lines(en.blocks).get('Total expected response')).toEqual([segments.scenarios[0].totalResponse]);
    expect(en.tables[1].rows.map((r) => r[0])).toEqual(segments.curve.map((p) => p.multiplier));
  });
});
