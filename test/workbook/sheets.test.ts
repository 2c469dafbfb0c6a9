/** The plan, variance, log and approval layouts as plain data (no host involved). */
import { writeContext } from './context';
import { computePlan } from '../../src/engine/plan';
import { readTransactionColumns } from '../../src/engine/transactions';
import { epochDaysFromCivil } from '../../src/engine/dates';
import { computeVariance } from '../../src/engine/variance';
import { buildPlanWorkbook, PLAN_STATE_RANGE } from '../../src/workbook/plan-sheet';
import { buildVarianceWorkbook } from '../../src/workbook/variance-sheet';
import { ApprovalError, buildApprovalChange, planStatusFromText } from '../../src/workbook/approval';
import { BlockSpec, SpecValue } from '../../src/workbook/spec';

const context = writeContext;

/** Label -> value of the one-row, two-cell blocks in column A. */
function lines(blocks: BlockSpec[]): Map<string, SpecValue> {
  return new Map(blocks.filter((b) => b.col === 0 && b.values[0].length === 2).map((b) => [String(b.values[0][0]), b.values[0][1]]));
}

// Four customers, equal weights: budget 1,000, reserve 10 % -> D = 900, 225 each (25 % of D).
const tx = readTransactionColumns({ customers: ['A', 'B', 'C', 'D'], dates: ['2025-01-02', '2025-02-03', '2025-03-04', '2025-04-05'], amounts: [10, 20, 30, 40] });
const plan = computePlan(tx, { budget: 1000, reserve: 0.1, weightBasis: 'equal', asOf: epochDaysFromCivil(2025, 6, 30) });

describe('plan sheet', () => {
  const spec = buildPlanWorkbook(plan, context());
  const sheet = spec.sheets[0];

  it('records the parameters, the state cells and the totals as their own lines', () => {
    const l = lines(sheet.blocks);
    expect(l.get('Status')).toBe('Draft');
    expect(l.get('Approved by')).toBe('');
    expect(l.get('Budget')).toBe(1000);
    expect(l.get('Reserve rate')).toBe(0.1);
    expect(l.get('Distributable')).toBe(900);
    expect(l.get('Allocated to customers')).toBe(900);
    expect(l.get('Reserve')).toBe(100);
    expect(l.get('Unallocated (added to the reserve)')).toBe(0);
    expect(l.get('As-of date')).toEqual({ date: epochDaysFromCivil(2025, 6, 30) });
    expect(l.get('Written at (UTC)')).toEqual({ date: 20458.375 });
    expect(l.get('Source')).toBe("'Data'!A1:C5");
    expect(l.get('Product version')).toBe('0.1.0');
    expect(String(l.get('Parameter hash'))).toMatch(/^[0-9a-f]{16}$/);
    // The status block sits where hosts look for it.
    const status = sheet.blocks.find((b) => b.values[0][0] === 'Status')!;
    expect([status.row, status.col]).toEqual([3, 0]);
    expect(PLAN_STATE_RANGE).toBe('A4:B6');
  });

  it('lays the plan out as a table with an explanation per row and sums only where they mean something', () => {
    const table = sheet.tables.find((t) => t.name === 'CBP_Plan')!;
    expect(table.header.slice(11, 15)).toEqual(['Allocation', 'Share', 'At bound', 'Why this amount']);
    expect(table.rows.map((r) => r[11])).toEqual([225, 225, 225, 225]);
    expect(table.rows[0][14]).toBe('weight 1.00: 25.00% of the distributable budget');
    expect(table.rows[0].slice(15, 27).reduce((s: number, v) => s + (v as number), 0)).toBeCloseTo(225, 9); // 12 months
    expect(table.totalsRow).toBe(true);
    expect(table.totalsFunctions?.slice(0, 15)).toEqual(['none', 'none', 'none', 'none', 'none', 'sum', 'none', 'none', 'none', 'none', 'none', 'sum', 'sum', 'none', 'none']);
    const last = 4 + plan.segments.length; // the segment summary's rows, under its header on row 4
    expect(sheet.charts[0]).toMatchObject({ type: 'bar', title: 'Allocation by segment', categories: `D5:D${last}`, values: `F5:F${last}`, anchor: 'I3' });
  });

  it('adds a CLV column after the score when given, and checks its length', () => {
    const withClv = buildPlanWorkbook(plan, context(), { clv: { values: [1, 2, 3, 4], label: 'CLV' } }).sheets[0].tables[1];
    expect(withClv.header.slice(9, 12)).toEqual(['Score', 'CLV', 'Weight']);
    expect(withClv.rows.map((r) => r[10])).toEqual([1, 2, 3, 4]);
    expect(() => buildPlanWorkbook(plan, context(), { clv: { values: [1], label: 'CLV' } })).toThrow('CLV values for 1 customers, but the plan has 4');
  });

  it('writes Chinese sheet names and headers', () => {
    const zh = buildPlanWorkbook(plan, context({ locale: 'zh-CN', existingSheetNames: ['预算方案'] }));
    expect(zh.sheets.map((s) => s.name)).toEqual(['预算方案 (2)', '运行日志']);
    expect(zh.sheets[0].tables[1].header.slice(0, 3)).toEqual(['客户', '分层', '等级']);
    expect(zh.sheets[0].tables[1].totalsLabel).toBe('合计');
  });

  it('appends to the log table wherever it is, creates it otherwise', () => {
    expect(spec.sheets[1]).toMatchObject({ name: 'CBP Log', appendTo: undefined });
    expect(buildPlanWorkbook(plan, context({ existingTableNames: ['cbp_log'] })).sheets[1].appendTo).toEqual({ sheetName: 'CBP Log', tableName: 'CBP_Log' });
    const row = spec.sheets[1].tables[0].rows[0];
    expect(row.slice(1, 3)).toEqual(['Generate plan', 'Budget Plan']);
    expect(JSON.parse(row[3] as string)).toMatchObject({ budget: 1000, reserve: 0.1, weightBasis: 'equal', source: "'Data'!A1:C5" });
  });
});

describe('plan sheet, optimal method', () => {
  // Weights = monetary 10, 20, 30, 40; saturation 100; D = 900. Between bounds every customer has
  // the same marginal return lambda: x_i = 100 ln(v_i / (100 lambda)), so sum x = 900 gives
  // ln(100 lambda) = (ln(10 x 20 x 30 x 40) - 9) / 4 and x = 145.56, 214.87, 255.42, 284.19,
  // rounded (largest remainders, two units left) to 146, 215, 255, 284.
  const optimalPlan = computePlan(tx, { budget: 1000, reserve: 0.1, unit: 1, weightBasis: 'monetary', method: 'optimal', saturation: 100, asOf: epochDaysFromCivil(2025, 6, 30) });
  const lambda = Math.exp((Math.log(240000) - 9) / 4) / 100;
  const spec = buildPlanWorkbook(optimalPlan, context());
  const sheet = spec.sheets[0];
  const table = sheet.tables.find((t) => t.name === 'CBP_Plan')!;

  it('states what the next 1 of budget returns, the total response and the gain over proportional', () => {
    const l = lines(sheet.blocks);
    expect(l.get('Response curve')).toBe('value × (1 − e^(−spend / saturation)), saturation 100');
    expect(l.get('The next 1 of budget returns (λ)') as number).toBeCloseTo(lambda, 3);
    const expected = [146, 215, 255, 284].reduce((sum, x, i) => sum + (i + 1) * 10 * (1 - Math.exp(-x / 100)), 0);
    expect(l.get('Total expected response') as number).toBeCloseTo(expected, 9);
    // Proportional 1:2:3:4 of 900 = 90, 180, 270, 360.
    const proportional = [90, 180, 270, 360].reduce((sum, x, i) => sum + (i + 1) * 10 * (1 - Math.exp(-x / 100)), 0);
    expect(l.get('Same budget split proportionally') as number).toBeCloseTo(proportional, 9);
    expect(l.get('Gain over proportional') as number).toBeCloseTo(expected / proportional - 1, 12);
    expect(expected).toBeGreaterThan(proportional);
  });

  it('explains every customer by its marginal return, with the marginal return and expected response as columns', () => {
    const at = (name: string) => table.header.indexOf(name);
    expect(table.rows.map((r) => r[at('Allocation')])).toEqual([146, 215, 255, 284]);
    table.rows.forEach((row, i) => {
      const v = (i + 1) * 10;
      const x = row[at('Allocation')] as number;
      expect(row[at('Marginal return per 1')] as number).toBeCloseTo((v / 100) * Math.exp(-x / 100), 12);
      expect(row[at('Expected response')] as number).toBeCloseTo(v * (1 - Math.exp(-x / 100)), 12);
      expect(row[at('Marginal return per 1')] as number).toBeCloseTo(lambda, 3); // equal up to rounding to whole units
    });
    expect(String(table.rows[0][at('Why this amount')])).toMatch(/^value 10\.00: spent up to where the next 1 returns 0\.02\d+, the plan's common marginal return$/);
    // Period columns still follow the explanation columns, so variance tracking finds them.
    expect(table.header[at('Expected response') + 1]).toMatch(/^\d{4}-01$/);
  });

  it('explains a customer held at its cap in Chinese', () => {
    const capped = computePlan(tx, { budget: 1000, reserve: 0.1, unit: 1, weightBasis: 'monetary', method: 'optimal', saturation: 100, cap: 250, asOf: epochDaysFromCivil(2025, 6, 30) });
    const zh = buildPlanWorkbook(capped, context({ locale: 'zh-CN' })).sheets[0];
    const zhTable = zh.tables.find((t) => t.name === 'CBP_Plan')!;
    const explanation = zhTable.header.indexOf('分配说明');
    // C and D stop at 250; A and B share 400 with x_B - x_A = 100 ln 2: 165.34 and 234.66 -> 165, 235.
    expect(zhTable.rows.map((r) => r[zhTable.header.indexOf('分配金额')])).toEqual([165, 235, 250, 250]);
    expect(String(zhTable.rows[3][explanation])).toMatch(/^已达上限：下一个 1 元仍回报 0\.0\d+，高于计划的 0\.0\d+$/);
  });
});

describe('variance sheet', () => {
  const result = computeVariance({ keys: ['A', 'B', 'Z0'], planMinor: [10000, 20000, 0], expectedToDateMinor: [5000, 10000, 0] }, { keys: ['A', 'B', 'N'], dates: [20000, 20000, 20000], amountsMinor: [12000, 2000, 700] }, { asOf: 20001 });
  const spec = buildVarianceWorkbook({ result, asOf: 20001, overTolerance: 0, warnMargin: 0.1, underMargin: 0.5, minorDigits: 2, keyLabel: 'Customer' }, context());
  const table = spec.sheets[0].tables[0];
  const first = table.row + 2;

  it('keeps plan, actual and expected as values and the rest as formulas with their results', () => {
    // A: plan 100, actual 120 -> variance 20, 20 %, utilisation 1.2, over budget.
    expect(table.rows[0].slice(0, 4)).toEqual(['A', 100, 120, 50]);
    expect(table.rows[0][4]).toEqual({ formula: `=C${first}-B${first}`, result: 20 });
    expect(table.rows[0][5]).toEqual({ formula: `=IF(B${first}=0,"",E${first}/B${first})`, result: 0.2 });
    expect(table.rows[0][8]).toMatchObject({ result: 'Over budget' });
    // B: plan 200, actual 20 against 100 expected -> under-used; N is unplanned spend, shown as text.
    expect(table.rows[1][8]).toMatchObject({ result: 'Under-used' });
    expect(table.rows.find((r) => r[0] === 'N')![8]).toBe('Unplanned');
  });

  it('colours whole rows from the status column, with a data bar and an icon set', () => {
    const last = first + result.rows.length - 1;
    const rules = spec.sheets[0].conditionalFormats;
    expect(rules.filter((r) => r.type === 'expression').map((r) => (r.type === 'expression' ? r.formula : ''))).toEqual([
      `$I${first}="Over budget"`,
      `$I${first}="At risk"`,
      `$I${first}="Under-used"`,
      `$I${first}="On track"`,
      `$I${first}="Unplanned"`,
    ]);
    expect(rules.every((r) => r.type !== 'expression' || r.range === `A${first}:I${last}`)).toBe(true);
    expect(rules).toContainEqual({ type: 'dataBar', range: `G${first}:G${last}`, color: '5B9BD5' });
    expect(rules).toContainEqual({ type: 'iconSet', range: `F${first}:F${last}`, iconSet: '3TrafficLights1', thresholds: [-0.1, 0], reverse: true });
  });

  it('labels its parameters in Chinese too', () => {
    const zh = buildVarianceWorkbook({ result, asOf: 20001, overTolerance: 0, warnMargin: 0.1, underMargin: 0.5, minorDigits: 2, keyLabel: '客户' }, context({ locale: 'zh-CN' }));
    expect(zh.sheets[0].blocks.map((b) => b.values[0][0])).toContain('超预算阈值（差异率）');
    expect(zh.sheets[0].tables[0].header.slice(1, 4)).toEqual(['计划', '实际', '截至目前应支出']);
  });
});

describe('approval', () => {
  const plans = [
    { sheetName: 'Budget Plan', status: 'approved' as const },
    { sheetName: 'Budget Plan (2)', status: 'superseded' as const },
    { sheetName: 'Budget Plan (3)', status: 'draft' as const },
    { sheetName: 'Budget Plan (4)', status: 'draft' as const },
  ];

  it('stamps and protects the approved plan and supersedes the one approved before, leaving drafts', () => {
    const spec = buildApprovalChange({ sheetName: 'budget plan (3)', approver: ' Wang Fang ', plans }, context({ writtenAt: '2026-02-03T10:30:00Z', existingTableNames: ['CBP_Log'] }));
    expect(spec.updates).toEqual([
      { sheetName: 'Budget Plan (3)', protect: true, blocks: [{ row: 3, col: 1, values: [['Approved'], ['Wang Fang'], [{ date: 20487.4375 }]], cellFormats: [[null], [null], ['yyyy-mm-dd hh:mm:ss']] }] },
      { sheetName: 'Budget Plan', protect: true, blocks: [{ row: 3, col: 1, values: [['Superseded']], cellFormats: undefined }] },
    ]);
    expect(spec.sheets[0].appendTo).toEqual({ sheetName: 'CBP Log', tableName: 'CBP_Log' });
    expect(spec.sheets[0].tables[0].rows[0].slice(1, 3)).toEqual(['Approve plan', 'Budget Plan (3)']);
  });

  it('refuses what cannot be approved, in the user\'s language', () => {
    expect(() => buildApprovalChange({ sheetName: 'Budget Plan', approver: 'A', plans }, context())).toThrow('The plan on Budget Plan is Approved: only a draft plan can be approved.');
    expect(() => buildApprovalChange({ sheetName: 'X', approver: 'A', plans }, context({ locale: 'zh-CN' }))).toThrow(ApprovalError);
    expect(() => buildApprovalChange({ sheetName: 'X', approver: 'A', plans }, context({ locale: 'zh-CN' }))).toThrow('没有名为 X 的预算方案工作表');
    expect(() => buildApprovalChange({ sheetName: 'Budget Plan (4)', approver: '', plans }, context())).toThrow("Enter the approver's name");
  });

  it('reads a status in either language', () => {
    expect(['Draft', '已批准', ' superseded ', '草稿', 'Other', null].map(planStatusFromText)).toEqual(['draft', 'approved', 'superseded', 'draft', undefined, undefined]);
  });
});
