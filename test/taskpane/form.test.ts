/** The task pane's form validation and variance glue, as plain functions (no browser). */
import fc from 'fast-check';
import {
  activityTotalPercent,
  DEFAULT_PLAN_FORM,
  DEFAULT_VARIANCE_FORM,
  parseNumberText,
  validatePlanForm,
  validateVarianceForm,
} from '../../src/taskpane/form';
import { describeFailure, formatMoney } from '../../src/taskpane/actions';
import { planLinesFor, readActualRows, readPlanTable } from '../../src/taskpane/variance-run';
import { epochDaysFromCivil } from '../../src/engine/dates';

describe('validatePlanForm', () => {
  test('turns the text fields into engine options (percentages as fractions)', () => {
    const { errors, value } = validatePlanForm(
      {
        ...DEFAULT_PLAN_FORM,
        source: 'table:Sales',
        budget: '12,500',
        reservePercent: '7.5 %',
        floor: '10',
        cap: '900',
        asOf: '2025-12-31',
        year: '2026',
        periods: 'quarters',
      },
      'en',
    );
    expect(errors).toEqual({});
    expect(value?.source).toEqual({ kind: 'table', name: 'Sales' });
    const o = value!.options;
    expect([o.budget, o.reserve, o.unit, o.floor, o.cap, o.year, o.periods, o.bins]).toEqual([
      12500,
      0.075,
      1,
      10,
      900,
      2026,
      'quarters',
      5,
    ]);
    expect(o.weights).toEqual([1, 1, 1]);
    // 30/20/15/25/10 % -> 0.3/0.2/0.15/0.25/0.1
    expect(o.activities).toEqual({
      names: ['visits', 'events', 'gifts', 'service', 'training'],
      weights: [0.3, 0.2, 0.15, 0.25, 0.1],
    });
    expect(o.asOf).toBe(epochDaysFromCivil(2025, 12, 31));
  });

  test('names each bad field with a message in the chosen language', () => {
    const bad = {
      ...DEFAULT_PLAN_FORM,
      budget: '-5',
      reservePercent: '100',
      unit: 'abc',
      floor: '50',
      cap: '20',
      rfmWeights: ['0', '0', '0'] as [string, string, string],
      bins: '1',
      activityPercents: ['40', '20', '15', '25', '10'],
      asOf: '2025-13-45',
      year: '99',
    };
    const en = validatePlanForm(bad, 'en');
    expect(en.value).toBeUndefined();
    expect(en.errors).toEqual({
      budget: 'Must be more than 0.',
      reservePercent: 'Enter a percentage from 0 up to (not including) 100.',
      unit: 'Enter a number, e.g. 1.',
      cap: 'The cap must be at least the floor.',
      rfmWeights: 'At least one weight must be more than 0.',
      bins: 'Enter a whole number from 2 to 10.',
      year: 'Enter a whole number from 1900 to 9999.',
      activities: 'The activities add up to 110 %; they must add up to 100 %.', // 40 + 20 + 15 + 25 + 10
      asOf: 'Enter a date as YYYY-MM-DD, e.g. 2025-12-31.',
    });
    expect(validatePlanForm(bad, 'zh-CN').errors.budget).toBe('必须大于 0。');
    expect(validatePlanForm(DEFAULT_PLAN_FORM, 'en').errors).toEqual({ budget: 'Enter a value.' });
  });

  test('the activity total is exact to the cent of a percent; 33.33 + 33.33 + 33.34 is 100', () => {
    expect(activityTotalPercent(['33.33', '33.33', '33.34', '0', ''])).toBe(100);
    expect(
      validatePlanForm(
        { ...DEFAULT_PLAN_FORM, budget: '1', activityPercents: ['33.33', '33.33', '33.34', '0', '0'] },
        'en',
      ).errors,
    ).toEqual({});
  });

  test('property: any positive budget with default settings is accepted as the same number', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), (budget) => {
        const { value } = validatePlanForm(
          { ...DEFAULT_PLAN_FORM, budget: budget.toLocaleString('en-US') },
          'en',
        );
        return value?.options.budget === budget;
      }),
    );
  });

  test('parseNumberText: blank, numbers, thousands separators, a trailing percent sign', () => {
    expect([
      parseNumberText(''),
      parseNumberText(' 1,234.5 '),
      parseNumberText('5%'),
      parseNumberText('5 ％'),
    ]).toEqual([undefined, 1234.5, 5, 5]);
    expect(parseNumberText('five')).toBeNaN();
  });
});

describe('validateVarianceForm', () => {
  test('needs a plan sheet; tolerances as fractions', () => {
    expect(validateVarianceForm(DEFAULT_VARIANCE_FORM, 'en').errors).toEqual({
      planSheet: 'Choose a plan sheet.',
    });
    const { value } = validateVarianceForm(
      {
        ...DEFAULT_VARIANCE_FORM,
        planSheet: 'Budget Plan',
        actuals: 'table:Spend',
        overPercent: '5',
        asOf: '2026-03-31',
      },
      'en',
    );
    expect(value).toEqual({
      planSheet: 'Budget Plan',
      actuals: { kind: 'table', name: 'Spend' },
      asOf: epochDaysFromCivil(2026, 3, 31),
      by: 'customer',
      overTolerance: 0.05,
      warnMargin: 0.1,
      underMargin: 0.5,
    });
  });
});

describe('variance glue', () => {
  // A two-customer plan table in quarters with two activities (major units, as Excel returns them).
  const planRows = [
    ['Customer', 'Segment', 'Allocation', '2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4', 'Visits', 'Gifts'],
    ['A', 'x', 400, 100, 100, 100, 100, 300, 100],
    ['B', 'y', 200, 50, 50, 50, 50, 100, 100],
  ];

  test('reads the plan table and expects the phased share to date', () => {
    const plan = readPlanTable(planRows);
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

test('formatMoney groups by locale with the currency decimals', () => {
  expect(formatMoney(1_000_000, 2, 'en')).toBe('10,000.00');
  expect(formatMoney(50, 2, 'zh-CN')).toBe('0.50');
});

test('describeFailure: a failed cleanup is never reported as "nothing was changed"', () => {
  const { ExcelWriteError } = jest.requireActual(
    '../../src/hosts/excel',
  ) as typeof import('../../src/hosts/excel');
  expect(
    describeFailure(new ExcelWriteError('cleanup-failed', 'left Budget Plan', undefined, ['Budget Plan'])),
  ).toEqual({ titleKey: 'tp.error.leftBehind', message: 'left Budget Plan' });
  expect(describeFailure(new ExcelWriteError('write-failed', 'failed'))).toEqual({
    titleKey: 'tp.error.title',
    message: 'failed',
  });
  expect(describeFailure('plain')).toEqual({ titleKey: 'tp.error.title', message: 'plain' });
});
