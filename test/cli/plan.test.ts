import ExcelJS from 'exceljs';
import { join } from 'node:path';
import { existsSync, readdirSync } from 'node:fs';
import { runCbp, tempFolder } from './run-cbp';

const SAMPLE = join(__dirname, '..', '..', 'samples', 'sample.xlsx');

async function open(path: string): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  return workbook;
}

function tableOf(sheet: ExcelJS.Worksheet, name: string) {
  const table = sheet.getTable(name) as unknown as { table: { tableRef: string; columns: { name: string }[]; totalsRow: boolean } };
  return table.table;
}

describe('cbp plan', () => {
  it('writes a plan workbook whose allocation plus reserve equals the budget to the cent', async () => {
    const folder = tempFolder();
    const run = await runCbp(['plan', SAMPLE, '--budget', '500000', '--reserve', '0.05', '--unit', '1', '--floor', '100', '--out', 'plan.xlsx'], folder);
    expect(run.stderr).toContain('budget 500000.00 = allocated 475000.00 + reserve 25000.00 + unallocated 0.00');
    expect(run.code).toBe(0);
    const workbook = await open(join(folder, 'plan.xlsx'));
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Budget Plan', 'CBP Log']);
    const sheet = workbook.getWorksheet('Budget Plan')!;
    const plan = tableOf(sheet, 'CBP_Plan');
    expect(plan.columns.slice(0, 3).map((c) => c.name)).toEqual(['Customer', 'Segment', 'Tier']);
    expect(plan.columns.map((c) => c.name)).toContain('2026-01');
    expect(plan.columns.map((c) => c.name)).toContain('Visits');
    // Read the table body back and add it up in cents.
    expect(plan.tableRef).toMatch(/^A\d+:AF\d+$/); // 15 plan columns + 12 months + 5 activities = 32 (A..AF)
    const [start] = plan.tableRef.split(':');
    const headerRow = Number(start.replace(/[A-Z]+/, ''));
    const allocationCol = plan.columns.findIndex((c) => c.name === 'Allocation') + 1;
    const janCol = plan.columns.findIndex((c) => c.name === '2026-01') + 1;
    let cents = 0;
    let rows = 0;
    for (let r = headerRow + 1; r <= headerRow + 400; r++) {
      const row = sheet.getRow(r);
      const amount = row.getCell(allocationCol).value as number;
      expect(typeof amount).toBe('number');
      expect(amount).toBeGreaterThanOrEqual(100);
      cents += Math.round(amount * 100);
      // Every customer's twelve months add up to its allocation exactly.
      let months = 0;
      for (let m = 0; m < 12; m++) months += Math.round((row.getCell(janCol + m).value as number) * 100);
      expect(months).toBe(Math.round(amount * 100));
      rows++;
    }
    expect(rows).toBe(400);
    expect(cents).toBe(47_500_000);
    expect(sheet.getCell(headerRow + 1, allocationCol).numFmt).toBe('#,##0');
    // Reserve line and budget line in the totals block.
    const labels = new Map<string, unknown>();
    sheet.eachRow((row) => labels.set(String(row.getCell(1).value), row.getCell(2).value));
    expect(labels.get('Reserve')).toBe(25000);
    expect(labels.get('Unallocated (added to the reserve)')).toBe(0);
    expect(labels.get('Budget')).toBe(500000);
    expect(labels.get('Status')).toBe('Draft');
    // The allocation column carries a data bar.
    const cf = (sheet as unknown as { conditionalFormattings: { ref: string; rules: { type: string }[] }[] }).conditionalFormattings;
    expect(cf.some((f) => f.rules[0].type === 'dataBar' && f.ref.startsWith(`L${headerRow + 1}:`))).toBe(true);
    // The log row names the sheet and records a parameter hash.
    const log = workbook.getWorksheet('CBP Log')!;
    expect(log.getCell('C2').value).toBe('Budget Plan');
    expect(String(log.getCell('E2').value)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('writes Chinese headers and sheet names with --lang zh-CN', async () => {
    const folder = tempFolder();
    const run = await runCbp(['plan', join(__dirname, '..', '..', 'samples', 'sample-zh.xlsx'), '--budget', '500000', '--lang', 'zh-CN', '--out', '预算方案.xlsx'], folder);
    expect(run.code).toBe(0);
    const workbook = await open(join(folder, '预算方案.xlsx'));
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['预算方案', '运行日志']);
    const plan = tableOf(workbook.getWorksheet('预算方案')!, 'CBP_Plan');
    expect(plan.columns.slice(0, 2).map((c) => c.name)).toEqual(['客户', '分层']);
  });

  it('keeps text that looks like a formula as text', async () => {
    const folder = tempFolder({ 'tx.csv': 'customer,date,amount\n=SUM(A1),2025-01-02,10\n+cmd,2025-02-03,20\n@x,2025-03-01,5\n' });
    const run = await runCbp(['plan', 'tx.csv', '--budget', '100', '--out', 'p.xlsx'], folder);
    expect(run.code).toBe(0);
    const sheet = (await open(join(folder, 'p.xlsx'))).getWorksheet('Budget Plan')!;
    const values: unknown[] = [];
    sheet.eachRow((row) => row.eachCell((cell) => values.push(cell.value)));
    expect(values).toContain('=SUM(A1)');
    expect(values).toContain('+cmd');
    expect(values.some((v) => typeof v === 'object' && v !== null && 'formula' in v && String((v as { formula: string }).formula).includes('A1'))).toBe(false);
  });

  it('refuses to overwrite its input and leaves no partial file on failure', async () => {
    const folder = tempFolder({ 'tx.csv': 'customer,date,amount\nA,2025-01-02,10\n' });
    const same = await runCbp(['plan', 'tx.csv', '--budget', '100', '--out', 'tx.csv'], folder);
    expect(same.code).toBe(2);
    const bad = await runCbp(['plan', 'tx.csv', '--budget', '100', '--floor', '200', '--out', 'p.xlsx'], folder);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('the floors add up to 200.00, more than the 100.00 to distribute');
    expect(existsSync(join(folder, 'p.xlsx'))).toBe(false);
    expect(readdirSync(folder)).toEqual(['tx.csv']);
  });
});
