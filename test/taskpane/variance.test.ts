/**
 * "Track Variance" from the task pane: the pane's action (src/taskpane/actions.ts trackVariance)
 * through the Excel fake, with the pane's tolerances, and the host's plan-table reading it relies on
 * (src/runs/plan-table.ts) for what the host's own tests do not cover.
 */
import { epochDaysFromCivil } from '../../src/engine/dates';
import { localRunClient, planLinesFor, readActualRows, readPlanTableRows } from '../../src/runs';
import { plannerOf } from '../hosts/excel-planner';
import { createFakeExcel } from '../hosts/fake-excel';
import { trackVariance } from '../../src/taskpane/actions';
import { PLAN_SHEET, SPEND_SHEET } from '../fixtures/excel/variance-workbook';
import { DEFAULT_VARIANCE_FORM, validateVarianceForm, VarianceForm } from '../../src/taskpane/form';

describe('the host plan-table reading the pane uses', () => {
  // A two-customer plan table in quarters with two activities (major units, as Excel returns them).
  const planRows = [
    ['Customer', 'Segment', 'Allocation', '2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4', 'Visits', 'Gifts'],
    ['A', 'x', 400, 100, 100, 100, 100, 300, 100],
    ['B', 'y', 200, 50, 50, 50, 50, 100, 100],
  ];

  test('reads the plan table and expects the phased share to date, per customer and per activity', () => {
    const plan = readPlanTableRows(planRows);
    expect(plan.customers).toEqual(['A', 'B']);
    expect(plan.planMinor).toEqual([40000, 20000]);
    expect(plan.activityNames).toEqual(['visits', 'gifts']);
    // As of 2026-06-30 Q1 and Q2 are over: A expects 100 + 100 = 200.00, B 50 + 50 = 100.00.
    const byCustomer = planLinesFor(plan, 'customer', epochDaysFromCivil(2026, 6, 30));
    expect(Array.from(byCustomer.expectedToDateMinor!)).toEqual([20000, 10000]);
    // By activity: visits 300 + 100 = 400.00, half expected = 200.00; gifts 100 + 100 = 200.00, half = 100.00.
    const byActivity = planLinesFor(plan, 'activity', epochDaysFromCivil(2026, 6, 30));
    expect(byActivity.keys).toEqual(['visits', 'gifts']);
    expect(Array.from(byActivity.planMinor)).toEqual([40000, 20000]);
    expect(Array.from(byActivity.expectedToDateMinor!)).toEqual([20000, 10000]);
  });

  test('reads actual spend with Chinese headers and activity labels', () => {
    const actual = readActualRows(
      [
        ['客户', '日期', '活动', '实际'],
        ['A', '2026-01-19', '拜访', '26.42'],
        ['B', 46041, 'gifts', 10],
      ],
      'activity',
    );
    expect(actual.keys).toEqual(['visits', 'gifts']);
    expect(Array.from(actual.amountsMinor)).toEqual([2642, 1000]);
    expect(() =>
      readActualRows(
        [
          ['customer', 'date', 'amount'],
          ['A', '2026-01-01', 1],
        ],
        'activity',
      ),
    ).toThrow('needs an activity column');
  });
});

describe('trackVariance (the Track Variance button)', () => {
  const planSheet = PLAN_SHEET;
  const spend = SPEND_SHEET;
  const settings = (form: Partial<VarianceForm>) =>
    validateVarianceForm(
      { ...DEFAULT_VARIANCE_FORM, planSheet: 'My Plan', actuals: 'table:Actuals', ...form },
      'en',
    ).value!;

  test('uses the pane’s tolerances and reports the as-of date', async () => {
    const fake = createFakeExcel({ sheets: [planSheet, spend] });
    // As of 2026-01-31 A expects 600. At-risk margin 10 %: 700 > 660 -> at risk; 20 %: 700 <= 720 -> on track.
    // B: expected 50, actual 10 < 50 x 0.5 -> under-used. C has no plan line -> unplanned.
    const tenPercent = await trackVariance(localRunClient(plannerOf(fake)), settings({ asOf: '2026-01-31' }), 'en');
    expect(tenPercent).toEqual({
      sheetName: 'Variance',
      planSheet: 'My Plan',
      asOfText: '2026-01-31',
      counts: { 'at-risk': 1, 'under-used': 1, unplanned: 1 },
    });
    const twentyPercent = await trackVariance(
      localRunClient(plannerOf(fake)),
      settings({ asOf: '2026-01-31', warnPercent: '20' }),
      'en',
    );
    expect(twentyPercent.counts).toEqual({ 'on-track': 1, 'under-used': 1, unplanned: 1 });
    expect(twentyPercent.sheetName).toBe('Variance (2)');
    // Without an as-of date: the latest actual date.
    expect((await trackVariance(localRunClient(plannerOf(fake)), settings({}), 'en')).asOfText).toBe('2026-01-20');
    // Per activity, keyed as the pane labels it.
    const byActivity = await trackVariance(localRunClient(plannerOf(fake)), settings({ asOf: '2026-01-31', by: 'activity' }), 'en');
    expect(byActivity.counts).toEqual({ 'on-track': 1 });
  });

  test('a sheet without a plan table: the host’s message in the pane’s language, nothing written', async () => {
    const fake = createFakeExcel({ sheets: [planSheet, spend] });
    const before = fake.snapshot();
    await expect(trackVariance(localRunClient(plannerOf(fake)), settings({ planSheet: 'Spend' }), 'en')).rejects.toThrow(
      'No plan table (CBP_Plan) was found on sheet Spend; generate a plan first',
    );
    await expect(trackVariance(localRunClient(plannerOf(fake)), settings({ planSheet: 'Spend' }), 'zh-CN')).rejects.toThrow(
      '未找到计划表（CBP_Plan）（工作表 Spend）',
    );
    expect(fake.snapshot()).toBe(before);
  });
});
