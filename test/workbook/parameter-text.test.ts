/** Parameter values in the user's language on the plan and allocation sheets; the records and hashes keep the code words. */
import { writeContext } from './context';
import { workbook as workbookMessages } from '../../src/i18n/messages/workbook';
import { allocateBudget } from '../../src/engine/allocation/allocate';
import { computePlan, PlanOptions } from '../../src/engine/plan';
import { readTransactionColumns } from '../../src/engine/transactions';
import { epochDaysFromCivil } from '../../src/engine/dates';
import { buildPlanWorkbook } from '../../src/workbook/plan-sheet';
import { buildAllocationWorkbook } from '../../src/workbook/allocation-sheet';
import { amountOrColumnText, methodText, percentText, responseText, schemeText, scoringText, segmentSharesText, weightBasisText } from '../../src/workbook/parameter-text';
import { BlockSpec, SpecValue } from '../../src/workbook/spec';

/** Label -> value of the one-row, two-cell blocks in column A. */
function lines(blocks: BlockSpec[]): Map<string, SpecValue> {
  return new Map(blocks.filter((b) => b.col === 0 && b.values[0].length === 2).map((b) => [String(b.values[0][0]), b.values[0][1]]));
}

const tx = readTransactionColumns({ customers: ['A', 'B', 'C', 'D'], dates: ['2025-01-02', '2025-02-03', '2025-03-04', '2025-04-05'], amounts: [10, 20, 30, 40] });
const asOf = epochDaysFromCivil(2025, 6, 30);
const planWith = (options: Omit<PlanOptions, 'budget' | 'asOf'>) => computePlan(tx, { budget: 1000, reserve: 0.1, asOf, ...options });
const equalPlan = planWith({ weightBasis: 'equal' });
const optimalPlan = planWith({ unit: 1, weightBasis: 'monetary', method: 'optimal', saturation: 100 });

describe('parameter values as text', () => {
  it('gives every code word a Chinese text without English words (RFM aside) and keeps the English code words', () => {
    const codes: [(code: string, locale: 'en' | 'zh-CN') => string, string[]][] = [
      [methodText, ['proportional', 'equal', 'shares', 'optimal']],
      [weightBasisText, ['score', 'monetary', 'equal', 'clv']],
      [schemeText, ['rfm10', 'rfm8', 'none', 'custom']],
    ];
    for (const [text, words] of codes) {
      for (const word of words) {
        expect(text(word, 'en')).toBe(word);
        const zh = text(word, 'zh-CN');
        expect(zh).not.toBe(word);
        expect(zh.replace(/RFM/g, '')).not.toMatch(/[A-Za-z]/);
      }
    }
    expect(methodText('optimal', 'zh-CN')).toBe('最优分配（边际收益递减）');
    expect(methodText('proportional', 'zh-CN')).toBe('按权重比例');
    expect(weightBasisText('score', 'zh-CN')).toBe('RFM 综合得分');
    expect(schemeText('rfm10', 'zh-CN')).toBe('RFM 十类分层');
    // An unknown code word is shown as it is rather than as a message key.
    expect(methodText('future-method', 'zh-CN')).toBe('future-method');
  });

  it('describes scoring, response curves, amounts or columns and segment shares', () => {
    expect(scoringText({}, 'en')).toBe('quantiles, 5 bins');
    expect(scoringText({ bins: 4 }, 'zh-CN')).toBe('按分位数分 4 档');
    const thresholds = { recencyDays: [30, 90], frequency: [2, 5], monetary: [100, 500] };
    expect(scoringText({ thresholds }, 'en')).toBe('thresholds R 30/90 F 2/5 M 100/500');
    expect(scoringText({ thresholds }, 'zh-CN')).toBe('按阈值：R 30/90，F 2/5，M 100/500');
    expect(responseText('exp', 'en')).toBe('exp: value × (1 − e^(−spend / saturation))');
    expect(responseText('log', 'zh-CN')).toBe('对数型：价值 × ln(1 + 投入 / 饱和投入)');
    expect(amountOrColumnText(2000, 'zh-CN')).toBe('2000');
    expect(amountOrColumnText('sat', 'en')).toBe('column sat');
    expect(amountOrColumnText('饱和', 'zh-CN')).toBe('“饱和”列');
    expect(amountOrColumnText(undefined, 'zh-CN')).toBe('-');
    expect(percentText(0.07)).toBe('7%');
    expect(percentText(0.125)).toBe('12.5%');
    expect(segmentSharesText({ Champions: 0.2, Lost: 0.05 }, 'en')).toBe('Champions 20%, Lost 5%');
    expect(segmentSharesText({ 冠军客户: 0.2, 流失客户: 0.05 }, 'zh-CN')).toBe('冠军客户 20%、流失客户 5%');
    expect(segmentSharesText(undefined, 'en')).toBe('-');
    expect(segmentSharesText({}, 'zh-CN')).toBe('-');
  });

  it('has every workbook message in both languages', () => {
    expect(Object.keys(workbookMessages['zh-CN']).sort()).toEqual(Object.keys(workbookMessages.en).sort());
  });
});

describe('plan sheet parameters in the user\'s language', () => {
  it('writes the method, weight basis, scoring and scheme in Chinese', () => {
    const l = lines(buildPlanWorkbook(optimalPlan, writeContext({ locale: 'zh-CN' })).sheets[0].blocks);
    expect(l.get('分配方法')).toBe('最优分配（边际收益递减）');
    expect(l.get('客户权重')).toBe('消费金额');
    expect(l.get('评分方式')).toBe('按分位数分 5 档');
    expect(l.get('分层方案')).toBe('RFM 十类分层');
    expect(l.get('响应曲线')).toBe('价值 × (1 − e^(−投入 / 饱和投入))，饱和投入 100');
    const zhEqual = lines(buildPlanWorkbook(equalPlan, writeContext({ locale: 'zh-CN' })).sheets[0].blocks);
    expect(zhEqual.get('分配方法')).toBe('按权重比例');
    expect(zhEqual.get('客户权重')).toBe('相同权重');
  });

  it('leaves the English sheet as it was', () => {
    const l = lines(buildPlanWorkbook(optimalPlan, writeContext()).sheets[0].blocks);
    expect(l.get('Method')).toBe('optimal');
    expect(l.get('Weight per customer')).toBe('monetary');
    expect(l.get('Scoring')).toBe('quantiles, 5 bins');
    expect(l.get('Segment scheme')).toBe('rfm10');
    expect(l.get('RFM weights (R, F, M)')).toBe('1, 1, 1');
    expect(l.get('Floor / cap per customer')).toBe('- / -');
    expect(lines(buildPlanWorkbook(equalPlan, writeContext()).sheets[0].blocks).get('Method')).toBe('proportional');
  });

  it('writes thresholds and the other schemes in either language', () => {
    const thresholds = { recencyDays: [30, 60, 90, 120], frequency: [1, 2, 3, 4], monetary: [15, 25, 35, 45] };
    const scored = planWith({ thresholds, scheme: 'rfm8' });
    expect(lines(buildPlanWorkbook(scored, writeContext()).sheets[0].blocks).get('Scoring')).toBe('thresholds R 30/60/90/120 F 1/2/3/4 M 15/25/35/45');
    const zh = lines(buildPlanWorkbook(scored, writeContext({ locale: 'zh-CN' })).sheets[0].blocks);
    expect(zh.get('评分方式')).toBe('按阈值：R 30/60/90/120，F 1/2/3/4，M 15/25/35/45');
    expect(zh.get('分层方案')).toBe('RFM 八类分层');
    const custom = planWith({ scheme: [{ name: 'All', r: [1, 5], f: [1, 5], m: [1, 5] }] });
    expect(lines(buildPlanWorkbook(custom, writeContext({ locale: 'zh-CN' })).sheets[0].blocks).get('分层方案')).toBe('自定义分层规则');
    expect(lines(buildPlanWorkbook(custom, writeContext()).sheets[0].blocks).get('Segment scheme')).toBe('custom');
  });

  it('keeps the parameter record and hash: code words, the same in both languages and as before', () => {
    for (const [plan, hash] of [
      [equalPlan, 'e8c3feb6bc758a7f'],
      [optimalPlan, '76141c99a9a47186'],
    ] as const) {
      for (const locale of ['en', 'zh-CN'] as const) {
        const spec = buildPlanWorkbook(plan, writeContext({ locale }));
        const shown = [...lines(spec.sheets[0].blocks).values()];
        expect(shown).toContain(hash);
        const logRow = spec.sheets[1].tables[0].rows[0];
        expect(logRow[4]).toBe(hash);
        expect(JSON.parse(logRow[3] as string)).toMatchObject({ method: plan.options.method ?? 'proportional', weightBasis: plan.options.weightBasis, scheme: 'rfm10', bins: 5 });
      }
    }
  });
});

describe('allocation sheet in the user\'s language', () => {
  const result = allocateBudget({ budget: 1000, weights: [1000, 600, 50, 20], unit: 1, method: 'optimal', saturation: 100 });
  const input = { result, header: ['customer', '', 'clv'], rows: [['A', 1, 1000], ['B', 2, 600], ['C', 3, 50], ['D', 4, 20]] };

  it('writes the method and every column header in Chinese (the input\'s own headers kept, a blank one named)', () => {
    const sheet = buildAllocationWorkbook(input, writeContext({ locale: 'zh-CN' })).sheets[0];
    expect(lines(sheet.blocks).get('分配方法')).toBe('最优分配（边际收益递减）');
    expect(sheet.tables[0].header).toEqual(['customer', '列', 'clv', '分配金额', '占比', '触及边界', '每 1 元边际回报', '预期响应']);
    expect(sheet.tables[0].totalsLabel).toBe('合计');
  });

  it('leaves the English sheet as it was', () => {
    const sheet = buildAllocationWorkbook(input, writeContext()).sheets[0];
    expect(lines(sheet.blocks).get('Method')).toBe('optimal');
    expect(sheet.tables[0].header).toEqual(['customer', 'Column', 'clv', 'Allocation', 'Share', 'At bound', 'Marginal return per 1', 'Expected response']);
  });
});
