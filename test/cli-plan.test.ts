/** `cbp plan`: options, exit codes, the written workbook read back, large plans as real tables. */
import ExcelJS from 'exceljs';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCbp, tempFolder } from './cli/run-cbp';
import { epochDaysFromCivil } from '../src/engine/dates';
import { generateTransactions } from '../src/samples/generate';

const SAMPLES = join(__dirname, '..', 'samples');

async function open(path: string): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  return workbook;
}

interface TableModel {
  tableRef: string;
  totalsRow: boolean;
  columns: { name: string }[];
}
function planTable(workbook: ExcelJS.Workbook, sheet = 'Budget Plan'): { sheet: ExcelJS.Worksheet; table: TableModel; header: number; column: (name: string) => number } {
  const ws = workbook.getWorksheet(sheet)!;
  const table = (ws.getTable('CBP_Plan') as unknown as { table: TableModel }).table;
  return { sheet: ws, table, header: Number(table.tableRef.split(':')[0].replace(/[A-Z]+/, '')), column: (name) => table.columns.findIndex((c) => c.name === name) + 1 };
}

describe('cbp plan: options and errors', () => {
  it('documents every option in --help', async () => {
    const run = await runCbp(['plan', '--help']);
    expect(run.code).toBe(0);
    const options = ['budget', 'reserve', 'unit', 'method', 'weight-basis', 'floor', 'cap', 'shares', 'saturation', 'response', 'segment-min-share', 'segment-max-share', 'as-of', 'bins', 'thresholds-r', 'weights', 'segments', 'periods', 'year', 'period-weights', 'activities', 'clv', 'clv-months', 'lang', 'customer-column', 'date-column', 'amount-column', 'out', 'sheet', 'skip-invalid', 'date-order'];
    for (const option of options) expect(run.stdout).toContain(`--${option}`);
    expect(run.stdout).toContain('proportional (default), equal, shares or optimal');
  });

  it.each([
    [['tx.csv', '--out', 'p.xlsx'], '--budget is required'],
    [['tx.csv', '--budget', '100'], '--out PLAN.xlsx is required'],
    [['tx.csv', '--budget', '100', '--out', 'p.csv'], '--out must name an .xlsx file'],
    [['tx.csv', '--budget', '100', '--out', 'TX.CSV.xlsx', '--method', 'optimal'], '--method optimal needs --saturation'],
    [['tx.csv', '--budget', '100', '--out', 'p.xlsx', '--method', 'shares'], '--method shares needs --shares'],
    [['tx.csv', '--budget', '100', '--out', 'p.xlsx', '--weight-basis', 'clv'], '--weight-basis clv needs --clv bgnbd'],
    [['tx.csv', '--budget', '100', '--out', 'p.xlsx', '--clv', 'bgnbd', '--clv-months', '0'], '--clv-months must be a whole number of months from 1 to 120'],
    [['tx.csv', '--budget', '100', '--out', 'p.xlsx', '--weights', '1,2'], '--weights takes three numbers'],
    [['nope.csv', '--budget', '100', '--out', 'p.xlsx'], 'cannot read nope.csv: no such file'],
    [['tx.csv', '--budget', '100', '--out', 'p.xlsx', '--method', 'best'], '--method'],
  ])('exits 2 with one clear line: %j', async (args, message) => {
    const folder = tempFolder({ 'tx.csv': 'customer,date,amount\nA,2025-01-02,10\n' });
    const run = await runCbp(['plan', ...args], folder);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(readdirSync(folder)).toEqual(['tx.csv']); // nothing written, not even a temporary file
  });
});

describe('cbp plan: the workbook', () => {
  it('scores, weighs by BG/NBD CLV, allocates optimally and writes the CLV column', async () => {
    const folder = tempFolder();
    const run = await runCbp(['plan', join(SAMPLES, 'transactions.csv'), '--budget', '500000', '--reserve', '0.05', '--unit', '1', '--clv', 'bgnbd', '--weight-basis', 'clv', '--method', 'optimal', '--saturation', '2000', '--out', 'plan.xlsx'], folder);
    expect(run.code).toBe(0);
    // Budget 500,000 with 5 % held back: 475,000 to customers, 25,000 reserve.
    expect(run.stderr).toContain('budget 500000.00 = allocated 475000.00 + reserve 25000.00 + unallocated 0.00');
    expect(readdirSync(folder)).toEqual(['plan.xlsx']); // the temporary file was renamed
    const { sheet, table, header, column } = planTable(await open(join(folder, 'plan.xlsx')));
    expect(table.columns.map((c) => c.name)).toContain('CLV, 12 months (BG/NBD)');
    const clv = column('CLV, 12 months (BG/NBD)');
    const weight = column('Weight');
    const allocation = column('Allocation');
    let cents = 0;
    for (let r = header + 1; r < header + 1 + 400; r++) {
      expect(sheet.getCell(r, weight).value).toBeCloseTo(sheet.getCell(r, clv).value as number, 9); // weight = CLV
      cents += Math.round((sheet.getCell(r, allocation).value as number) * 100);
    }
    expect(cents).toBe(47_500_000);
    const params = JSON.parse(String((await open(join(folder, 'plan.xlsx'))).getWorksheet('CBP Log')!.getCell('D2').value));
    expect(params).toMatchObject({ method: 'optimal', weightBasis: 'clv', saturation: 2000, response: 'exp' });
  });

  it('re-plans mid-year: spend to date becomes each customer\'s floor, the rest is allocated again', async () => {
    const folder = tempFolder({
      'tx.csv': 'customer,date,amount\nA,2025-01-02,10\nB,2025-02-03,20\nC,2025-03-04,30\nD,2025-04-05,40\n',
      'spent.csv': 'customer,date,actual\nA,2026-01-10,200\nA,2026-02-10,50\nZ,2026-02-11,9\n',
    });
    const run = await runCbp(['plan', 'tx.csv', '--budget', '1000', '--unit', '1', '--weight-basis', 'monetary', '--spent', 'spent.csv', '--out', 'replan.xlsx'], folder);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('re-plan: 1 customers have spent 250.00 to date; each keeps at least that, the rest is allocated again');
    expect(run.stderr).toContain('warning: 1 customers with spend to date are not in the transactions and were left out (e.g. Z)');
    const { sheet, header, column } = planTable(await open(join(folder, 'replan.xlsx')));
    const values = (name: string) => [1, 2, 3, 4].map((k) => sheet.getCell(header + k, column(name)).value);
    // Without spend 100, 200, 300, 400. A has had 250 and keeps it; B, C, D share 750 as 2:3:4.
    expect(values('Allocation')).toEqual([250, 167, 250, 333]);
    expect(values('Spent to date')).toEqual([250, 0, 0, 0]);
    expect(values('Still to spend')).toEqual([0, 167, 250, 333]);
    expect(values('Why this amount')[0]).toBe('already spent 250.00: kept as its floor, nothing more is planned');
    // Spend counted through 2026-02-11: A's 250 sits in January and February, B's plan starts in February.
    expect(values('2026-01')[0] as number + (values('2026-02')[0] as number)).toBeCloseTo(250, 9);
    expect(values('2026-03')[0]).toBe(0);
    expect(values('2026-01')[1]).toBe(0);
    const labels = new Map<string, unknown>();
    sheet.eachRow((row) => labels.set(String(row.getCell(1).value), row.getCell(2).value));
    expect(labels.get('Re-planned from spend to date')).toBe('1 customers have spent 250.00 through 2026-02-11; each keeps at least that, phased up to that day, and the rest is phased after it');
  });

  it('phases by quarter with a custom activity mix, rfm8 segments and Chinese sheets', async () => {
    const folder = tempFolder();
    const run = await runCbp(['plan', join(SAMPLES, 'sample-zh.xlsx'), '--budget', '100000', '--periods', 'quarters', '--activities', 'visits=0.5,gifts=0.5', '--segments', 'rfm8', '--lang', 'zh-CN', '--out', '方案.xlsx'], folder);
    expect(run.code).toBe(0);
    const workbook = await open(join(folder, '方案.xlsx'));
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['预算方案', '运行日志']);
    const { sheet, table, header, column } = planTable(workbook, '预算方案');
    const names = table.columns.map((c) => c.name);
    expect(names.filter((n) => /^\d{4}-Q[1-4]$/.test(n))).toHaveLength(4);
    expect(names).toEqual(expect.arrayContaining(['拜访', '礼品']));
    expect(names).not.toContain('活动');
    const segment = column('分层');
    const seen = new Set<string>();
    for (let r = header + 1; r <= header + 400; r++) seen.add(String(sheet.getCell(r, segment).value));
    expect([...seen].every((s) => /客户$/.test(s))).toBe(true); // 重要价值客户, 一般挽留客户 ...
    // Each row: quarters add up to the allocation, and so do the two activities.
    const allocation = column('分配金额');
    const q1 = names.findIndex((n) => n.endsWith('-Q1')) + 1;
    for (let r = header + 1; r <= header + 400; r += 37) {
      const total = Math.round((sheet.getCell(r, allocation).value as number) * 100);
      const quarters = [0, 1, 2, 3].reduce((s, k) => s + Math.round((sheet.getCell(r, q1 + k).value as number) * 100), 0);
      const activities = Math.round((sheet.getCell(r, column('拜访')).value as number) * 100) + Math.round((sheet.getCell(r, column('礼品')).value as number) * 100);
      expect([quarters, activities]).toEqual([total, total]);
    }
  });

  it('writes a 5,000-customer plan as a real Excel table with a totals row, which cbp variance reads without the totals', async () => {
    const folder = tempFolder();
    const lines = ['customer,date,amount'];
    generateTransactions({ customers: 5_000, transactions: 15_000, seed: 9, firstDay: epochDaysFromCivil(2024, 1, 1), lastDay: epochDaysFromCivil(2025, 12, 31) }, (row) => lines.push(`${row.customer},${row.date},${row.amount}`));
    writeFileSync(join(folder, 'tx.csv'), lines.join('\n'));
    writeFileSync(join(folder, 'actual.csv'), 'customer,date,actual\nC000001,2026-01-10,5\nC000002,2026-01-11,7\n');
    const run = await runCbp(['plan', 'tx.csv', '--budget', '500000', '--unit', '1', '--out', 'big.xlsx'], folder);
    expect(run.code).toBe(0);
    expect(run.stderr).not.toContain('filtered range');
    const { table } = planTable(await open(join(folder, 'big.xlsx')));
    const [from, to] = table.tableRef.split(':');
    expect(Number(to.replace(/[A-Z]+/, '')) - Number(from.replace(/[A-Z]+/, ''))).toBe(5_001); // header, 5,000 rows, totals
    expect(table.totalsRow).toBe(true);
    const variance = await runCbp(['variance', 'big.xlsx', 'actual.csv', '--as-of', '2026-01-31', '--format', 'json'], folder);
    expect(variance.code).toBe(0);
    expect(JSON.parse(variance.stdout).summary).toMatchObject({ plan: 500_000, actual: 12 }) // the plan once, not twice with its totals row;
  }, 120_000);
});
