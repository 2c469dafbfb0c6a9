import ExcelJS from 'exceljs';
import { join } from 'node:path';
import { runCbp, tempFolder } from './run-cbp';

const SAMPLES = join(__dirname, '..', '..', 'samples');

describe('cbp variance', () => {
  it('compares a CSV plan with actual spend (hand-checked)', async () => {
    const folder = tempFolder({
      'plan.csv': 'customer,allocation\nA,1200\nB,1200\n',
      // A: 400 by 2026-03-31 against 1200 x 90/365 = 295.89 expected -> 400 > 325.48 -> at risk
      // B: 1300 -> over budget; Z: not in the plan -> unplanned
      'actual.csv': 'customer,date,actual\nA,2026-01-15,150\nA,2026-03-02,250\nB,2026-02-01,1300\nZ,2026-03-01,80\nA,2026-04-02,999\n',
    });
    const run = await runCbp(['variance', 'plan.csv', 'actual.csv', '--as-of', '2026-03-31', '--format', 'json'], folder);
    expect(run.code).toBe(0);
    const { summary, rows } = JSON.parse(run.stdout);
    expect(summary).toEqual({ as_of: '2026-03-31', plan: 2400, actual: 1780, unplanned: 80 });
    expect(rows[0]).toMatchObject({ key: 'A', plan: 1200, actual: 400, expected_to_date: 295.89, variance: -800, status: 'at-risk', favourable: true });
    expect(rows[1]).toMatchObject({ key: 'B', actual: 1300, variance: 100, variance_pct: 0.083333, status: 'over-budget' });
    expect(rows[2]).toMatchObject({ key: 'Z', plan: 0, actual: 80, variance_pct: null, status: 'unplanned' });
    expect(run.stderr).toContain('1 actual rows after the as-of date left out');
  });

  it('adds a variance sheet with live formulas and status colours to a copy of the plan workbook', async () => {
    const folder = tempFolder();
    expect((await runCbp(['plan', join(SAMPLES, 'sample.xlsx'), '--budget', '500000', '--out', 'plan.xlsx'], folder)).code).toBe(0);
    const run = await runCbp(['variance', 'plan.xlsx', join(SAMPLES, 'actuals.csv'), '--as-of', '2026-06-30', '--out', 'variance.xlsx'], folder);
    expect(run.code).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(join(folder, 'variance.xlsx'));
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Budget Plan', 'CBP Log', 'Variance']);
    const sheet = workbook.getWorksheet('Variance')!;
    expect(sheet.getCell('A12').value).toBe('Customer');
    expect(sheet.getCell('E13').value).toMatchObject({ formula: 'C13-B13' });
    expect(String((sheet.getCell('I13').value as { formula: string }).formula)).toContain('"Over budget"');
    const cf = (sheet as unknown as { conditionalFormattings: { ref: string; rules: { type: string; formulae?: string[] }[] }[] }).conditionalFormattings;
    expect(cf.filter((f) => f.rules[0].type === 'expression').map((f) => f.rules[0].formulae![0])).toContain('$I13="At risk"');
    expect(cf.some((f) => f.rules[0].type === 'dataBar' && f.ref.startsWith('G13:'))).toBe(true);
    expect(cf.some((f) => f.rules[0].type === 'iconSet' && f.ref.startsWith('F13:'))).toBe(true);
    // The log now has two rows: the plan and this variance run.
    const log = workbook.getWorksheet('CBP Log')!;
    expect(log.getCell('B2').value).toBe('Generate plan');
    expect(log.getCell('B3').value).toBe('Track variance');
  });

  it('names the key column in Chinese when comparing by activity', async () => {
    const folder = tempFolder();
    expect((await runCbp(['plan', join(SAMPLES, 'sample.xlsx'), '--budget', '500000', '--lang', 'zh-CN', '--out', 'plan.xlsx'], folder)).code).toBe(0);
    const run = await runCbp(['variance', 'plan.xlsx', join(SAMPLES, 'actuals.csv'), '--as-of', '2026-06-30', '--by', 'customer-activity', '--lang', 'zh-CN', '--out', 'variance.xlsx'], folder);
    expect(run.code).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(join(folder, 'variance.xlsx'));
    const sheet = workbook.worksheets[workbook.worksheets.length - 1];
    const column = sheet.getColumn(1).values.map(String);
    expect(column).toContain('客户 / 活动');
    expect(column.some((v) => /activity/i.test(v))).toBe(false);
  });
});
