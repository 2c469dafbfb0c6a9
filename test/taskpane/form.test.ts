/** The task pane's form validation and result texts, as plain functions (no browser). */
import fc from 'fast-check';
import {
  activityTotalPercent,
  CLV_MONTHS,
  DEFAULT_PLAN_FORM,
  planFormFromSettings,
  varianceFormFromSettings,
  DEFAULT_VARIANCE_FORM,
  parseNumberText,
  validatePlanForm,
  validateVarianceForm,
  WEIGHT_BASIS_CHOICES,
  weightBasisOf,
} from '../../src/taskpane/form';
import { clvResultTexts, describeFailure, formatMoney, optimalResultText } from '../../src/taskpane/actions';
import { epochDaysFromCivil } from '../../src/engine/dates';
import { settingsOfPlan } from '../../src/runs/settings';
import { t } from '../../src/i18n';

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

describe('validatePlanForm, re-planning from spend to date', () => {
  test('passes the spend table along, and none for a new plan', () => {
    const replan = validatePlanForm({ ...DEFAULT_PLAN_FORM, source: 'table:Sales', spent: 'table:Spend', budget: '1000' }, 'en');
    expect(replan.value).toMatchObject({ source: { kind: 'table', name: 'Sales' }, spent: { kind: 'table', name: 'Spend' } });
    const fresh = validatePlanForm({ ...DEFAULT_PLAN_FORM, source: 'table:Sales', budget: '1000' }, 'en');
    expect(fresh.value && 'spent' in fresh.value).toBe(false);
  });

  test('refuses the transactions table as the spend table, in the user\'s language', () => {
    expect(validatePlanForm({ ...DEFAULT_PLAN_FORM, source: 'table:Sales', spent: 'table:Sales', budget: '1000' }, 'en').errors).toEqual({ spent: 'Choose the actual spend table here, not the transactions table.' });
    expect(validatePlanForm({ ...DEFAULT_PLAN_FORM, source: 'table:Sales', spent: 'table:Sales', budget: '1000' }, 'zh-CN').errors).toEqual({ spent: '此处请选择实际支出表，而不是交易数据表。' });
  });
});

describe('validatePlanForm, segment names', () => {
  test('asks for segment names in the pane\'s language (they also name the segments in limits)', () => {
    const form = { ...DEFAULT_PLAN_FORM, source: 'table:Sales', budget: '1000' };
    expect(validatePlanForm(form, 'zh-CN').value?.options.language).toBe('zh');
    expect(validatePlanForm(form, 'en').value?.options.language).toBe('en');
  });
});

describe('validatePlanForm, budget scenarios', () => {
  test('reads percentages of the budget as multipliers, and none when blank', () => {
    const form = { ...DEFAULT_PLAN_FORM, source: 'table:Sales', budget: '1000' };
    expect(validatePlanForm({ ...form, scenarios: '90, 100，110%' }, 'en').value?.scenarios).toEqual([0.9, 1, 1.1]);
    expect(validatePlanForm({ ...form, scenarios: ' ' }, 'en').value?.scenarios).toBeUndefined();
  });

  test('names what is wrong with the scenarios, in the user\'s language', () => {
    const form = { ...DEFAULT_PLAN_FORM, source: 'table:Sales', budget: '1000' };
    expect(validatePlanForm({ ...form, scenarios: '90, 0' }, 'en').errors).toEqual({ scenarios: 'Enter percentages of the budget above 0, separated by commas, e.g. 90, 100, 110.' });
    expect(validatePlanForm({ ...form, scenarios: 'ninety' }, 'zh-CN').errors).toEqual({ scenarios: '请输入大于 0 的预算百分比，用逗号分隔，例如 90, 100, 110。' });
    expect(validatePlanForm({ ...form, scenarios: Array.from({ length: 11 }, (_, k) => 50 + 10 * k).join(',') }, 'en').errors).toEqual({ scenarios: 'At most 10 scenarios.' });
  });
});

describe('validatePlanForm, method optimal', () => {
  const optimal = { ...DEFAULT_PLAN_FORM, budget: '10000', method: 'optimal' as const, saturation: '500' };

  test('passes saturation, response curve and segment limits into the plan options', () => {
    const { errors, value } = validatePlanForm(
      { ...optimal, saturation: '1,500', response: 'log', segmentLimits: 'Lost<=5%; Champions>=20%' },
      'en',
    );
    expect(errors).toEqual({});
    const o = value!.options;
    expect([o.method, o.saturation, o.response]).toEqual(['optimal', 1500, 'log']);
    expect(o.segmentMinShare).toEqual({ Champions: 0.2 });
    expect(o.segmentMaxShare).toEqual({ Lost: 0.05 });
    // The same parser as CBP.ALLOCATE: full-width separators, ≤ / ≥, fractions.
    expect(
      validatePlanForm({ ...optimal, segmentLimits: 'Lost ≤ 0.05；Champions≥0.2\nAt Risk<=10%' }, 'en').value!
        .options,
    ).toMatchObject({ segmentMinShare: { Champions: 0.2 }, segmentMaxShare: { Lost: 0.05, 'At Risk': 0.1 } });
  });

  test('the defaults: exp curve, no segment limits; other methods get no optimal options', () => {
    const o = validatePlanForm(optimal, 'en').value!.options;
    expect([o.saturation, o.response]).toEqual([500, 'exp']);
    expect('segmentMinShare' in o || 'segmentMaxShare' in o).toBe(false);
    // Hidden optimal fields do not block (or leak into) a proportional plan.
    const proportional = validatePlanForm(
      { ...optimal, method: 'proportional', saturation: '-1', segmentLimits: 'nonsense' },
      'en',
    );
    expect(proportional.errors).toEqual({});
    expect(proportional.value!.options).not.toHaveProperty('saturation');
    expect(proportional.value!.options).not.toHaveProperty('response');
  });

  test('a missing or negative saturation is named on its field', () => {
    expect(validatePlanForm({ ...optimal, saturation: '' }, 'en').errors).toEqual({
      saturation: 'Enter a value.',
    });
    expect(validatePlanForm({ ...optimal, saturation: '-500' }, 'en').errors).toEqual({
      saturation: 'Must be more than 0.',
    });
    expect(validatePlanForm({ ...optimal, saturation: '0' }, 'zh-CN').errors).toEqual({
      saturation: '必须大于 0。',
    });
    expect(validatePlanForm({ ...optimal, saturation: 'lots' }, 'en').errors).toEqual({
      saturation: 'Enter a number, e.g. 500.',
    });
  });

  test('bad segment limits text gets a message on the segment limits field, in en and zh-CN', () => {
    const limits = (text: string, locale: 'en' | 'zh-CN' = 'en') =>
      validatePlanForm({ ...optimal, segmentLimits: text }, locale).errors;
    expect(limits('Lost=5%')).toEqual({
      segmentLimits:
        '“Lost=5%” is not a segment limit; write segment<=share or segment>=share, separated by semicolons, e.g. Lost<=5%; Champions>=20%.',
    });
    expect(limits('Lost<=5%; Champions>=lots').segmentLimits).toContain(
      '“Champions>=lots” is not a segment limit',
    );
    expect(limits('Lost<=5')).toEqual({
      segmentLimits: 'The share 5 for “Lost” must be from 0 to 1, e.g. 20% or 0.2.',
    });
    expect(limits('Lost<=5%; Lost<=10%')).toEqual({
      segmentLimits: '“Lost” has more than one maximum share; give each segment at most one.',
    });
    expect(limits('Lost>=30%; Lost<=5%')).toEqual({
      segmentLimits: 'The minimum share of “Lost” (30 %) is above its maximum share (5 %).',
    });
    expect(limits('Lost=5%', 'zh-CN').segmentLimits).toBe(
      '“Lost=5%”不是分层限额；请写成 分层<=占比 或 分层>=占比，用分号分隔，例如 Lost<=5%; Champions>=20%。',
    );
    // Unknown segment names are left to the run (the engine reports them); blank text is no limit.
    expect(limits('Nobody<=5%')).toEqual({});
    expect(limits(' ; ')).toEqual({});
  });

  test('the result line: the next 1 returns, expected response, gain over proportional', () => {
    const figures = { lambdaPerCurrencyUnit: 0.012345, totalResponse: 1234.4, proportionalResponse: 1141.9, gainOverProportional: 1234.4 / 1141.9 - 1 };
    // 1,234.4 / 1,141.9 - 1 = 8.1 %.
    expect(optimalResultText(figures, 'en')).toBe(
      'The next 1 of budget returns 0.0123; expected response 1,234 (+8.1 % over proportional).',
    );
    expect(optimalResultText(figures, 'zh-CN')).toBe(
      '下一个 1 元预算回报 0.0123；预期响应 1,234（相对按比例分配 +8.1 %）。',
    );
    expect(optimalResultText({ ...figures, totalResponse: 12.345, proportionalResponse: 12.345, gainOverProportional: 0 }, 'en')).toBe(
      'The next 1 of budget returns 0.0123; expected response 12.35 (+0.0 % over proportional).',
    );
    expect(optimalResultText({ ...figures, proportionalResponse: 0, gainOverProportional: undefined }, 'en')).toBe(
      'The next 1 of budget returns 0.0123; expected response 1,234.',
    );
  });
});

describe('validatePlanForm, weight basis (customer lifetime value)', () => {
  const form = { ...DEFAULT_PLAN_FORM, source: 'table:Sales', budget: '10000' };
  const optimal = { ...form, method: 'optimal' as const, saturation: '500' };
  const produced = (f: typeof form) => {
    const { errors, value } = validatePlanForm(f, 'en');
    expect(errors).toEqual({});
    return { basis: value!.options.weightBasis, clv: value!.clv };
  };

  test('offers customer lifetime value (BG/NBD, 12 months) beside score, monetary and equal, in en and zh-CN', () => {
    expect(WEIGHT_BASIS_CHOICES).toEqual(['score', 'monetary', 'equal', 'clv']);
    expect(CLV_MONTHS).toBe(12);
    expect(t('en', 'tp.weight.clv', { months: CLV_MONTHS })).toBe('Customer lifetime value (BG/NBD, 12 months)');
    expect(t('zh-CN', 'tp.weight.clv', { months: CLV_MONTHS })).toBe('客户终身价值（BG/NBD，12 个月）');
    for (const choice of WEIGHT_BASIS_CHOICES) expect(t('zh-CN', `tp.weight.${choice}`, { months: 12 })).not.toBe(t('en', `tp.weight.${choice}`, { months: 12 }));
  });

  test('chosen: weight basis clv and a 12-month lifetime value estimate for the run', () => {
    expect(produced({ ...form, weightBasis: 'clv' })).toEqual({ basis: 'clv', clv: { months: 12 } });
    expect(produced({ ...optimal, weightBasis: 'clv' })).toEqual({ basis: 'clv', clv: { months: 12 } });
  });

  test('the optimal method defaults to CLV until the user chooses a basis; the other methods keep the RFM score', () => {
    expect(DEFAULT_PLAN_FORM.weightBasis).toBeUndefined();
    expect(produced(form)).toEqual({ basis: 'score', clv: undefined });
    expect(produced(optimal)).toEqual({ basis: 'clv', clv: { months: 12 } });
    expect(weightBasisOf(optimal)).toBe('clv'); // what the pane shows
    // Back to proportional without a choice: the score again.
    expect(produced({ ...optimal, method: 'proportional' })).toEqual({ basis: 'score', clv: undefined });
    // A basis the user chose stays, whatever the method.
    for (const basis of ['score', 'monetary', 'equal'] as const) {
      expect(produced({ ...optimal, weightBasis: basis })).toEqual({ basis, clv: undefined });
      expect(produced({ ...form, weightBasis: basis })).toEqual({ basis, clv: undefined });
    }
  });

  test('the equal method never asks for lifetime values (its weights do not split the budget)', () => {
    expect(produced({ ...form, method: 'equal', weightBasis: 'clv' })).toEqual({ basis: 'score', clv: undefined });
    expect(produced({ ...form, method: 'equal', weightBasis: 'monetary' })).toEqual({ basis: 'monetary', clv: undefined });
  });

  test('other fields are still checked with the CLV basis, and nothing is produced while one is wrong', () => {
    expect(validatePlanForm({ ...optimal, saturation: '' }, 'en')).toEqual({ errors: { saturation: 'Enter a value.' } });
  });

  test('the result lines: where the lifetime values are, refund rows and the model\'s caveats, in en and zh-CN', () => {
    const clv = { months: 12, customers: 400, refundRowsIgnored: 13, modelWarnings: ['only 25 customers have a repeat purchase: the BG/NBD estimates are uncertain'] };
    expect(clvResultTexts(clv, 'en')).toEqual({
      line: 'Each customer’s value is its lifetime value over the next 12 months (BG/NBD), in column “CLV, 12 months (BG/NBD)”.',
      warnings: [
        '13 refund rows (negative amounts) were not counted as purchases.',
        'Model: only 25 customers have a repeat purchase: the BG/NBD estimates are uncertain',
      ],
    });
    expect(clvResultTexts(clv, 'zh-CN')).toEqual({
      line: '每位客户的价值为其未来 12 个月的客户终身价值（BG/NBD），见“客户终身价值（12 个月，BG/NBD）”列。',
      warnings: ['13 行退款（负金额）未计为购买。', '模型提示：only 25 customers have a repeat purchase: the BG/NBD estimates are uncertain'],
    });
    expect(clvResultTexts({ ...clv, refundRowsIgnored: 0, modelWarnings: [] }, 'en').warnings).toEqual([]);
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

test('planFormFromSettings: the last plan\'s source, budget, reserve, unit, method and scenarios fill the form', () => {
  const form = planFormFromSettings({ source: { kind: 'table', name: 'Sales' }, options: { budget: 25_000, reserve: 0.075, unit: 100, method: 'equal' }, scenarios: [0.9, 1.1] });
  expect(form).toEqual({ ...DEFAULT_PLAN_FORM, source: 'table:Sales', budget: '25000', reservePercent: '7.5', unit: '100', method: 'equal', scenarios: '90, 110' });
  expect(planFormFromSettings(undefined)).toBe(DEFAULT_PLAN_FORM);
  // A method the form does not offer (shares) keeps the form's.
  expect(planFormFromSettings({ source: { kind: 'selection' }, options: { budget: 1, method: 'shares' } }).method).toBe('proportional');
});

test('every plan setting survives the round trip form -> options -> remembered settings -> form, in en and zh-CN', () => {
  for (const locale of ['en', 'zh-CN'] as const) {
    const form = {
      ...DEFAULT_PLAN_FORM,
      source: 'table:Sales',
      spent: 'table:Spend',
      budget: '48000',
      reservePercent: '7.5',
      unit: '10',
      method: 'optimal' as const,
      weightBasis: 'monetary' as const,
      floor: '20',
      cap: '900',
      rfmWeights: ['2', '1', '0.5'] as [string, string, string],
      bins: '4',
      scheme: 'rfm8' as const,
      periods: 'quarters' as const,
      year: '2027',
      activityPercents: ['40', '10', '15', '25', '10'],
      asOf: '2026-06-30',
      saturation: '450',
      response: 'log' as const,
      segmentLimits: locale === 'en' ? 'Lost<=5%; Champions>=20%' : '流失客户<=5%; 重要价值客户>=20%',
      scenarios: '90, 100, 115',
    };
    const first = validatePlanForm(form, locale).value!;
    expect(first).toBeDefined();
    const remembered = { source: first.source, spent: first.spent, options: settingsOfPlan(first.options), scenarios: first.scenarios };
    const restored = planFormFromSettings(JSON.parse(JSON.stringify(remembered)));
    expect(restored).toEqual(form);
    expect(validatePlanForm(restored, locale).value).toEqual(first);
  }
});

test('varianceFormFromSettings: the actual spend, grouping and tolerances come back; the plan sheet is chosen afresh', () => {
  const form = varianceFormFromSettings({ planSheet: 'Budget Plan', actuals: { kind: 'table', name: 'Spend' }, by: 'activity', thresholds: { overTolerance: 0.05, warnMargin: 0.15, underMargin: 0.4 } });
  expect(form).toEqual({ ...DEFAULT_VARIANCE_FORM, actuals: 'table:Spend', by: 'activity', overPercent: '5', warnPercent: '15', underPercent: '40' });
  expect(varianceFormFromSettings(undefined)).toBe(DEFAULT_VARIANCE_FORM);
});
