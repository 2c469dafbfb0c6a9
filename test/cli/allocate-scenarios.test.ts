/** `cbp allocate --scenarios`: the table (CSV, JSON) and the Scenarios sheet (.xlsx), checked by hand. */
import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allocateBudget } from '../../src/engine/allocation/allocate';
import { allocationSummary } from '../../src/cli/commands/allocate';
import { runCbp, tempFolder } from './run-cbp';

// Proportional, weights 1:3 (North) and 2:4 (South) out of 10: North gets 40 %, South 60 % of D.
const SCORES = 'customer,score,segment\nA,1,North\nB,3,North\nC,2,South\nD,4,South\n';
// Optimal: two customers worth 1000 each (Top), two worth 10 (Rest), saturation 100.
const CLV = 'customer,clv,segment\nA,1000,Top\nB,1000,Top\nC,10,Rest\nD,10,Rest\n';

function csvRows(text: string): Map<string, number[]> {
  const lines = text.trim().split('\n').map((l) => l.split(','));
  return new Map(lines.slice(1).map((l) => [l[0], l.slice(1).map(Number)]));
}

async function open(path: string): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  return workbook;
}

/** The 1-based row whose column A holds this text. */
function rowOf(sheet: ExcelJS.Worksheet, label: string): number {
  for (let r = 1; r <= sheet.rowCount; r++) if (sheet.getCell(r, 1).value === label) return r;
  throw new Error(`no row '${label}' in column A`);
}

function rowValues(sheet: ExcelJS.Worksheet, row: number, from: number, count: number): unknown[] {
  return Array.from({ length: count }, (_, k) => sheet.getCell(row, from + k).value);
}

describe('cbp allocate --scenarios: the table', () => {
  it('proportional: segment sums at 90 %, 100 % and 110 % of the budget, with the reserve held back', async () => {
    const folder = tempFolder({ 's.csv': SCORES });
    const run = await runCbp(['allocate', 's.csv', '--budget', '1000', '--reserve', '0.1', '--unit', '1', '--scenarios', '0.9,1,1.1'], folder);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe('segment,budget_0.9,budget_1,budget_1.1');
    const rows = csvRows(run.stdout);
    // B = 900, 1000, 1100; D = 0.9 B = 810, 900, 990; North 40 % of D, South 60 %.
    expect(rows.get('North')).toEqual([324, 360, 396]);
    expect(rows.get('South')).toEqual([486, 540, 594]);
    expect(rows.get('allocated')).toEqual([810, 900, 990]);
    expect(rows.get('reserve_and_unallocated')).toEqual([90, 100, 110]);
    expect(rows.get('budget')).toEqual([900, 1000, 1100]);
    // No response model for proportional: no response rows.
    expect(rows.has('total_response')).toBe(false);
  });

  it('optimal: response, gain over proportional and marginal return at each budget', async () => {
    const folder = tempFolder({ 'c.csv': CLV });
    const run = await runCbp(['allocate', 'c.csv', '--method', 'optimal', '--budget', '1000', '--unit', '1', '--value-column', 'clv', '--saturation', '100', '--scenarios', '0.9,1,1.1'], folder);
    expect(run.code).toBe(0);
    const rows = csvRows(run.stdout);
    // The segment column is recognised without --segment-column.
    const top = rows.get('Top')!;
    const rest = rows.get('Rest')!;
    const budgets = rows.get('budget')!;
    expect(budgets).toEqual([900, 1000, 1100]);
    top.forEach((t, k) => expect(t + rest[k]).toBe(budgets[k]));
    const response = rows.get('total_response')!;
    const proportional = rows.get('proportional_response')!;
    const gain = rows.get('response_gain')!;
    const lambda = rows.get('lambda_per_currency_unit')!;
    expect(response[1]).toBeGreaterThan(response[0]);
    expect(response[2]).toBeGreaterThan(response[1]);
    response.forEach((r, k) => expect(gain[k]).toBeCloseTo(r - proportional[k], 3));
    gain.forEach((g) => expect(g).toBeGreaterThan(0));
    // Diminishing returns: the next currency unit returns less at a larger budget.
    expect(lambda[0]).toBeGreaterThan(lambda[1]);
    expect(lambda[1]).toBeGreaterThan(lambda[2]);
  });

  it('optimal, two equal customers: response 2000 (1 - e^(-B/200)) and marginal return 10 e^(-B/200), by hand', async () => {
    const folder = tempFolder({ 'c.csv': 'customer,clv\nA,1000\nB,1000\n' });
    const run = await runCbp(['allocate', 'c.csv', '--method', 'optimal', '--budget', '1000', '--unit', '1', '--value-column', 'clv', '--saturation', '100', '--scenarios', '0.9,1,1.1', '--format', 'json'], folder);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json).toMatchObject({ method: 'optimal', base_budget: 1000, unit: 1, multipliers: [0.9, 1, 1.1] });
    expect(json.segments).toEqual([{ segment: 'all', customers: 2, allocation: [900, 1000, 1100] }]);
    for (const s of json.scenarios) {
      // Each gets B/2: response 2 x 1000 (1 - e^(-(B/2)/100)), the same as a proportional split.
      expect(s.total_response).toBeCloseTo(2000 * (1 - Math.exp(-s.budget / 200)), 3);
      expect(s.response_gain).toBeCloseTo(0, 3);
      expect(s.lambda_per_currency_unit).toBeCloseTo(10 * Math.exp(-s.budget / 200), 4);
      expect(s.allocated + s.reserve_and_unallocated).toBe(s.budget);
    }
    // The curve: 0.90, 0.92, ..., 1.10 (the scenarios are on the grid), budgets 900 ... 1100.
    const curve = json.curve as { multiplier: number; budget: number; total_response: number; marginal_return: number; incremental_return: number | null; scenario: boolean }[];
    expect(curve.map((p) => p.budget)).toEqual([900, 920, 940, 960, 980, 1000, 1020, 1040, 1060, 1080, 1100]);
    expect(curve.filter((p) => p.scenario).map((p) => p.multiplier)).toEqual([0.9, 1, 1.1]);
    curve.forEach((p) => expect(p.total_response).toBeCloseTo(2000 * (1 - Math.exp(-p.budget / 200)), 3));
    expect(curve[0].incremental_return).toBeNull();
    // Between 900 and 920: (R(920) - R(900)) / 20.
    expect(curve[1].incremental_return).toBeCloseTo((2000 * (Math.exp(-900 / 200) - Math.exp(-920 / 200))) / 20, 5);
  });

  it('optimal JSON curve: response increases with the budget, concavely, and the marginal return falls', async () => {
    const folder = tempFolder({ 'c.csv': CLV });
    const run = await runCbp(['allocate', 'c.csv', '--method', 'optimal', '--budget', '1000', '--unit', '1', '--value-column', 'clv', '--saturation', '100', '--segment-column', 'segment', '--scenarios', '0.8,1,1.25', '--format', 'json'], folder);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json.segments.map((s: { segment: string }) => s.segment)).toEqual(['Top', 'Rest']);
    json.scenarios.forEach((s: { allocated: number }, k: number) => expect(json.segments[0].allocation[k] + json.segments[1].allocation[k]).toBe(s.allocated));
    const curve = json.curve as { multiplier: number; budget: number; total_response: number; marginal_return: number }[];
    // 0.8 to 1.25 in 11 even steps (0.8, 0.845, ...), plus the scenario 1.
    expect(curve).toHaveLength(12);
    expect(curve.map((p) => p.multiplier)).toContain(1);
    for (let k = 1; k < curve.length; k++) {
      expect(curve[k].budget).toBeGreaterThan(curve[k - 1].budget);
      expect(curve[k].total_response).toBeGreaterThan(curve[k - 1].total_response);
      expect(curve[k].marginal_return).toBeLessThan(curve[k - 1].marginal_return);
    }
    // Concave: the response per currency unit between neighbouring points never rises (rounding to the unit aside).
    const slopes = curve.slice(1).map((p, k) => (p.total_response - curve[k].total_response) / (p.budget - curve[k].budget));
    for (let k = 1; k < slopes.length; k++) expect(slopes[k]).toBeLessThanOrEqual(slopes[k - 1] + 1e-6);
    // On the even grid, the response increments are non-increasing.
    const even = curve.filter((p) => Math.abs(((p.multiplier - 0.8) / 0.045) - Math.round((p.multiplier - 0.8) / 0.045)) < 1e-6);
    expect(even).toHaveLength(11);
    const increments = even.slice(1).map((p, k) => p.total_response - even[k].total_response);
    for (let k = 1; k < increments.length; k++) expect(increments[k]).toBeLessThanOrEqual(increments[k - 1] + 1e-3);
  });

  it('refuses a non-positive multiplier and --out equal to the input', async () => {
    const folder = tempFolder({ 's.csv': SCORES });
    const bad = await runCbp(['allocate', 's.csv', '--budget', '1000', '--scenarios', '0.9,0,1.1'], folder);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('budget multiplier must be a number above 0');
    const same = await runCbp(['allocate', 's.csv', '--budget', '1000', '--scenarios', '0.9,1', '--out', 's.csv'], folder);
    expect(same.code).toBe(2);
    expect(same.stderr).toContain('is the input file');
    expect(readFileSync(join(folder, 's.csv'), 'utf8')).toBe(SCORES);
  });
});

describe('allocation summary in major units', () => {
  it('follows the minor digits of the result (yen: 0, fils: 3), not a fixed 100', () => {
    const yen = allocationSummary(allocateBudget({ budget: 1000, weights: [1, 1], unit: 1, reserve: 0.1, minorDigits: 0 }));
    expect(yen).toMatchObject({ budget: 1000, distributable: 900, reserve: 100, allocated: 900, unallocated: 0, unit: 1 });
    const fils = allocationSummary(allocateBudget({ budget: 10.5, weights: [1, 2], unit: 0.005, minorDigits: 3 }));
    expect(fils).toMatchObject({ budget: 10.5, distributable: 10.5, allocated: 10.5, unit: 0.005 });
  });
});

describe('cbp allocate --scenarios --out FILE.xlsx: the Scenarios sheet', () => {
  it('proportional, unit 1: segments side by side, totals, held back and budget, with whole-money formats', async () => {
    const folder = tempFolder({ 's.csv': SCORES });
    const run = await runCbp(['allocate', 's.csv', '--budget', '1000', '--reserve', '0.1', '--unit', '1', '--scenarios', '0.9,1,1.1', '--out', 'scenarios.xlsx'], folder);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('wrote scenarios.xlsx: 2 segments at 3 budgets');
    const workbook = await open(join(folder, 'scenarios.xlsx'));
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Scenarios']);
    const sheet = workbook.getWorksheet('Scenarios')!;
    expect(sheet.getCell('A1').value).toBe('Budget scenarios: the same plan at several budgets');
    const header = rowOf(sheet, 'Segment');
    expect(rowValues(sheet, header, 1, 5)).toEqual(['Segment', 'Customers', 'Budget 90%', 'Budget 100%', 'Budget 110%']);
    expect(rowValues(sheet, header + 1, 1, 5)).toEqual(['North', 2, 324, 360, 396]);
    expect(rowValues(sheet, header + 2, 1, 5)).toEqual(['South', 2, 486, 540, 594]);
    // Totals row: SUBTOTAL sums with their results.
    expect(sheet.getCell(header + 3, 1).value).toBe('Allocated to customers');
    expect(rowValues(sheet, header + 3, 3, 3).map((v) => (v as { result: number }).result)).toEqual([810, 900, 990]);
    expect(sheet.getCell(header + 1, 3).numFmt).toBe('#,##0');
    const held = rowOf(sheet, 'Reserve and unallocated');
    expect(rowValues(sheet, held, 3, 3)).toEqual([90, 100, 110]);
    expect(sheet.getCell(held, 3).numFmt).toBe('#,##0.00');
    expect(rowValues(sheet, rowOf(sheet, 'Budget'), 3, 3)).toEqual([900, 1000, 1100]);
    expect(sheet.getCell(rowOf(sheet, 'Reserve rate'), 2).value).toBe(0.1);
    expect(sheet.getCell(rowOf(sheet, 'Budget multipliers'), 2).value).toBe('90%, 100%, 110%');
    // No response for proportional: the curve section says why.
    expect(sheet.getCell(rowOf(sheet, 'Response versus budget') + 1, 1).value).toBe('The response curve needs the optimal method (a response per customer).');
  });

  it('optimal, in Chinese: response lines and the response-versus-budget table with a note standing in for the chart', async () => {
    const folder = tempFolder({ 'c.csv': CLV });
    const run = await runCbp(['allocate', 'c.csv', '--method', 'optimal', '--budget', '1000', '--unit', '1', '--value-column', 'clv', '--saturation', '100', '--scenarios', '0.9,1,1.1', '--lang', 'zh-CN', '--out', '情景.xlsx'], folder);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('response curve at 11 budgets');
    const json = JSON.parse((await runCbp(['allocate', 'c.csv', '--method', 'optimal', '--budget', '1000', '--unit', '1', '--value-column', 'clv', '--saturation', '100', '--scenarios', '0.9,1,1.1', '--format', 'json'], folder)).stdout);
    const workbook = await open(join(folder, '情景.xlsx'));
    const sheet = workbook.getWorksheet('预算情景')!;
    expect(sheet).toBeDefined();
    const header = rowOf(sheet, '分层');
    expect(rowValues(sheet, header, 1, 5)).toEqual(['分层', '客户数', '预算 90%', '预算 100%', '预算 110%']);
    expect(rowValues(sheet, header + 1, 1, 5)).toEqual(['Top', 2, ...json.segments[0].allocation]);
    const response = rowOf(sheet, '预期总响应');
    const values = rowValues(sheet, response, 3, 3) as number[];
    values.forEach((v, k) => expect(v).toBeCloseTo(json.scenarios[k].total_response, 4));
    expect(sheet.getCell(response, 3).numFmt).toBe('#,##0.00');
    const lambda = rowOf(sheet, '下一货币单位的边际回报');
    (rowValues(sheet, lambda, 3, 3) as number[]).forEach((v, k) => expect(v).toBeCloseTo(json.scenarios[k].lambda_per_currency_unit, 6));
    expect(sheet.getCell(lambda, 3).numFmt).toBe('0.0000');
    expect(sheet.getCell(rowOf(sheet, '较按比例分配的增益（%）'), 3).numFmt).toBe('0.00%');

    // The curve table: 11 budgets 900 ... 1100, response rising concavely, the marginal return falling.
    const curveHeaderRow = (() => {
      // The first '预算倍数' is the parameters' line; the second heads the curve table.
      for (let r = rowOf(sheet, '预算倍数') + 1; r <= sheet.rowCount; r++) if (sheet.getCell(r, 1).value === '预算倍数') return r;
      throw new Error('no curve table');
    })();
    expect(rowValues(sheet, curveHeaderRow, 1, 4)).toEqual(['预算倍数', '预算总额', '已分配', '预期总响应']);
    const points = Array.from({ length: 11 }, (_, k) => rowValues(sheet, curveHeaderRow + 1 + k, 1, 9));
    expect(points.map((p) => p[1])).toEqual([900, 920, 940, 960, 980, 1000, 1020, 1040, 1060, 1080, 1100]);
    expect(points.map((p) => p[0] as number).map((m) => Math.round(m * 100))).toEqual([90, 92, 94, 96, 98, 100, 102, 104, 106, 108, 110]);
    expect(sheet.getCell(curveHeaderRow + 1, 1).numFmt).toBe('0.0%');
    expect(sheet.getCell(curveHeaderRow + 1, 4).numFmt).toBe('#,##0.00');
    const r = points.map((p) => p[3] as number);
    const increments = r.slice(1).map((v, k) => v - r[k]);
    increments.forEach((d) => expect(d).toBeGreaterThan(0));
    for (let k = 1; k < increments.length; k++) expect(increments[k]).toBeLessThanOrEqual(increments[k - 1] + 1e-6);
    const marginal = points.map((p) => p[6] as number);
    for (let k = 1; k < marginal.length; k++) expect(marginal[k]).toBeLessThan(marginal[k - 1]);
    expect(points.filter((p) => p[8] === '✓')).toHaveLength(3);
    // Where the chart would be: its title and a note that the table is the curve.
    const chartTitle = sheet.getCell(curveHeaderRow, 11);
    expect(chartTitle.value).toBe('各预算下的预期总响应');
    expect(String(sheet.getCell(curveHeaderRow + 1, 11).value)).toContain('无法写入图表');
  });

  it('writes the allocation itself as a workbook when --out is .xlsx without --scenarios', async () => {
    const folder = tempFolder({ 's.csv': SCORES, 'c.csv': CLV });
    const plain = await runCbp(['allocate', 's.csv', '--budget', '1000', '--unit', '1', '--out', 'a.xlsx'], folder);
    expect(plain.code).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(join(folder, 'a.xlsx'));
    const sheet = workbook.getWorksheet('Allocation')!;
    const table = (sheet.getTable('CBP_Allocation') as unknown as { table: { tableRef: string; columns: { name: string }[] } }).table;
    expect(table.columns.map((c) => c.name)).toEqual(['customer', 'score', 'segment', 'Allocation', 'Share', 'At bound']);
    const top = Number(table.tableRef.split(':')[0].replace(/[A-Z]+/, ''));
    // Scores 1:3:2:4 of 1,000 -> 100, 300, 200, 400.
    expect([1, 2, 3, 4].map((k) => sheet.getCell(top + k, 4).value)).toEqual([100, 300, 200, 400]);
    expect([1, 2, 3, 4].map((k) => sheet.getCell(top + k, 1).value)).toEqual(['A', 'B', 'C', 'D']);
    expect(sheet.getCell(top + 1, 5).numFmt).toBe('0.00%');
    // Optimal: lambda, total and proportional response in the summary, marginal return and response per row.
    const optimal = await runCbp(['allocate', 'c.csv', '--method', 'optimal', '--budget', '1000', '--unit', '1', '--value-column', 'clv', '--saturation', '100', '--lang', 'zh-CN', '--out', 'o.xlsx'], folder);
    expect(optimal.code).toBe(0);
    const zh = new ExcelJS.Workbook();
    await zh.xlsx.readFile(join(folder, 'o.xlsx'));
    const zhSheet = zh.getWorksheet('预算分配')!;
    const labels = new Map<string, unknown>();
    zhSheet.eachRow((row) => labels.set(String(row.getCell(1).value), row.getCell(2).value));
    expect(labels.get('预期总响应') as number).toBeGreaterThan(labels.get('同一预算按比例分配的响应') as number);
    expect(labels.get('预算总额')).toBe(1000);
    const zhTable = (zhSheet.getTable('CBP_Allocation') as unknown as { table: { columns: { name: string }[] } }).table;
    expect(zhTable.columns.map((c) => c.name).slice(3)).toEqual(['分配金额', '占比', '触及边界', '每 1 元边际回报', '预期响应']);
  });

  it('refuses --format with .xlsx, and the input as --out', async () => {
    const folder = tempFolder({ 's.csv': SCORES });
    const format = await runCbp(['allocate', 's.csv', '--budget', '1000', '--scenarios', '1', '--format', 'json', '--out', 'a.xlsx'], folder);
    expect(format.code).toBe(2);
    // An .xlsx input is never overwritten by the Scenarios workbook.
    const source = new ExcelJS.Workbook();
    source.addWorksheet('Data').addRows([['customer', 'score', 'segment'], ['A', 1, 'North'], ['B', 3, 'South']]);
    await source.xlsx.writeFile(join(folder, 'table.xlsx'));
    const tableBytes = readFileSync(join(folder, 'table.xlsx'));
    const same = await runCbp(['allocate', 'table.xlsx', '--budget', '1000', '--scenarios', '0.9,1', '--out', 'table.xlsx'], folder);
    expect(same.code).toBe(2);
    expect(same.stderr).toContain('is the input file');
    expect(readFileSync(join(folder, 'table.xlsx')).equals(tableBytes)).toBe(true);
    // The same .xlsx input to another name works.
    const ok = await runCbp(['allocate', 'table.xlsx', '--budget', '1000', '--scenarios', '0.9,1', '--out', 'out.xlsx'], folder);
    expect(ok.code).toBe(0);
    const sheet = (await open(join(folder, 'out.xlsx'))).getWorksheet('Scenarios')!;
    const header = rowOf(sheet, 'Segment');
    expect(rowValues(sheet, header + 1, 1, 4)).toEqual(['North', 1, 225, 250]);
    expect(rowValues(sheet, header + 2, 1, 4)).toEqual(['South', 1, 675, 750]);
  });
});
