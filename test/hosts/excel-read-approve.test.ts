/** Reading sources in chunks, a whole plan run, and the Draft -> Approved -> Superseded flow, through the fake Excel. */
import { approvePlan, listPlanSheets } from '../../src/runs/approve';
import { runPlan } from '../../src/runs/plan';
import { plannerOf } from './excel-planner';
import { readSource } from '../../src/hosts/excel/read-source';
import { FakeExcel, FakeScalar } from './fake-excel';
import { fakeWorkbookWithTransactions } from './host-bench';
import { ApprovalError } from '../../src/workbook/approval';

const SMALL_DATA: FakeScalar[][] = [
  ['客户', '日期', '金额'],
  ['A', '2025-01-05', 100],
  ['B', '2025-02-10', 50],
  ['A', '2025-03-01', 30],
  ['C', '2025-03-20', 20],
];

describe('reading sources', () => {
  it('reads an Excel table without its totals row, in chunks whose responses stay under the limit', async () => {
    const fake = fakeWorkbookWithTransactions(2_000, 20_000);
    const maxResponseBytes = 200_000;
    const source = await readSource(fake.host, { kind: 'table', name: 'Transactions' }, { maxResponseBytes, firstChunkRows: 100 });
    expect(source.rows.length).toBe(20_001);
    expect(source.rows[0]).toEqual(['Customer', 'Order ID', 'Date', 'Amount']);
    expect(source.address).toBe('Data!A1:D20001');
    expect(source.chunks).toBeGreaterThan(5);
    expect(Math.max(...fake.log.responseBytes)).toBeLessThan(maxResponseBytes);
    expect(source.syncs).toBe(fake.log.syncs);
  });

  it('reads a named range, and a whole-column selection cut to the used range', async () => {
    const fake = new FakeExcel({ sheets: [{ name: 'Sales', values: SMALL_DATA }], names: [{ name: 'SalesData', sheet: 'Sales', address: 'A1:C5' }], selection: { sheet: 'Sales', address: 'A:C' } });
    expect((await readSource(fake.host, { kind: 'name', name: 'SalesData' })).rows).toEqual(SMALL_DATA);
    const selection = await readSource(fake.host, { kind: 'selection' });
    expect(selection.rows).toEqual(SMALL_DATA); // 1,048,576 rows selected, 5 read
    expect(selection.address).toBe('Sales!A1:C5');
  });

  it('feeds Excel date serials and numbers straight to the engine', async () => {
    // Excel gives dates as serials: 45,662 = 2025-01-05, 45,688 = 2025-01-31.
    const values: FakeScalar[][] = [['Customer', 'Date', 'Amount'], ['A', 45662, 100], ['B', 45688, 40]];
    const fake = new FakeExcel({ sheets: [{ name: 'S', values, tables: [{ name: 'Tx', address: 'A1:C3' }] }] });
    const result = await runPlan(plannerOf(fake), { source: { kind: 'table', name: 'Tx' }, options: { budget: 100 }, locale: 'en', productVersion: 't', now: '2026-01-01T00:00:00Z' });
    expect(result.plan.asOfText).toBe('2025-01-31');
    expect(result.plan.customers.map((c) => c.recencyDays)).toEqual([26, 0]);
    const lines = new Map(fake.values('Budget Plan', 'A1:B25').map(([label, value]) => [label, value]));
    expect(lines.get('Source')).toBe('S!A1:C3'); // the source line names the range read
    expect(lines.get('As-of date')).toBe(45688);
  });

  it('says so when the source holds no values', async () => {
    const fake = new FakeExcel({ sheets: [{ name: 'Empty' }], selection: { sheet: 'Empty', address: 'B2:C9' } });
    await expect(readSource(fake.host, { kind: 'selection' })).rejects.toThrow('The source the selection has no cells with values.');
  });
});

describe('a plan run and its approval', () => {
  const run = (fake: FakeExcel, now: string) =>
    runPlan(plannerOf(fake), { source: { kind: 'name', name: 'SalesData' }, options: { budget: 1000, unit: 1 }, locale: 'zh-CN', productVersion: '0.1.0', now: now });

  it('reads, computes and writes a plan with Chinese headers and a log, then approves and supersedes', async () => {
    const fake = new FakeExcel({ sheets: [{ name: 'Sales', values: SMALL_DATA }], names: [{ name: 'SalesData', sheet: 'Sales', address: 'A1:C5' }] });
    const first = await run(fake, '2026-02-01T08:00:00Z');
    expect(first.sheetName).toBe('预算方案');
    expect(fake.sheetNames()).toEqual(['Sales', '预算方案', '运行日志']);
    expect(first.plan.customers.length).toBe(3);
    expect(fake.cell('预算方案', 'B4').value).toBe('草稿');
    await run(fake, '2026-02-02T08:00:00Z');
    expect(await listPlanSheets(plannerOf(fake))).toEqual([
      { sheetName: '预算方案', status: 'draft' },
      { sheetName: '预算方案 (2)', status: 'draft' },
    ]);

    const approved = await approvePlan(plannerOf(fake), { sheetName: '预算方案', approver: '王芳', locale: 'zh-CN', productVersion: '0.1.0', now: '2026-02-03T10:30:00Z' });
    expect(approved.superseded).toEqual([]);
    expect(fake.values('预算方案', 'A4:B6')).toEqual([
      ['状态', '已批准'],
      ['批准人', '王芳'],
      // 2026-02-03 10:30 UTC: 20,487 days + 0.4375 after 1970-01-01, serial 46,056.4375.
      ['批准时间（UTC）', 46056.4375],
    ]);
    expect(fake.cell('预算方案', 'B6').numberFormat).toBe('yyyy-mm-dd hh:mm:ss');
    expect(fake.sheet('预算方案').protected).toBe(true);
    expect(fake.sheet('预算方案').protectionOptions).toMatchObject({ allowAutoFilter: true, allowSort: true });

    await approvePlan(plannerOf(fake), { sheetName: '预算方案 (2)', approver: 'Li Lei', locale: 'zh-CN', productVersion: '0.1.0', now: '2026-03-01T00:00:00Z' });
    expect(await listPlanSheets(plannerOf(fake))).toEqual([
      { sheetName: '预算方案', status: 'superseded' },
      { sheetName: '预算方案 (2)', status: 'approved' },
    ]);
    expect(fake.sheet('预算方案').protected).toBe(true); // still protected, and still stamped by its approver
    expect(fake.cell('预算方案', 'B5').value).toBe('王芳');
    // Log: two plans, two approvals.
    expect(fake.values('运行日志', 'B2:C5')).toEqual([
      ['生成预算方案', '预算方案'],
      ['生成预算方案', '预算方案 (2)'],
      ['批准预算方案', '预算方案'],
      ['批准预算方案', '预算方案 (2)'],
    ]);
  });

  it('refuses to approve a plan that is not a draft, or without an approver, writing nothing', async () => {
    const fake = new FakeExcel({ sheets: [{ name: 'Sales', values: SMALL_DATA }], names: [{ name: 'SalesData', sheet: 'Sales', address: 'A1:C5' }] });
    await run(fake, '2026-02-01T08:00:00Z');
    await approvePlan(plannerOf(fake), { sheetName: '预算方案', approver: 'A', locale: 'en', productVersion: '0.1.0' });
    const before = fake.snapshot();
    await expect(approvePlan(plannerOf(fake), { sheetName: '预算方案', approver: 'B', locale: 'en', productVersion: '0.1.0' })).rejects.toThrow('The plan on 预算方案 is Approved: only a draft plan can be approved.');
    await expect(approvePlan(plannerOf(fake), { sheetName: 'Nope', approver: 'B', locale: 'en', productVersion: '0.1.0' })).rejects.toThrow(ApprovalError);
    await expect(approvePlan(plannerOf(fake), { sheetName: '预算方案', approver: '  ', locale: 'en', productVersion: '0.1.0' })).rejects.toThrow("Enter the approver's name");
    expect(fake.snapshot()).toBe(before);
  });

  it('restores stamps and protection when an approval fails part-way', async () => {
    const fake = new FakeExcel({ sheets: [{ name: 'Sales', values: SMALL_DATA }], names: [{ name: 'SalesData', sheet: 'Sales', address: 'A1:C5' }] });
    await run(fake, '2026-02-01T08:00:00Z');
    await run(fake, '2026-02-02T08:00:00Z');
    await approvePlan(plannerOf(fake), { sheetName: '预算方案', approver: 'A', locale: 'en', productVersion: '0.1.0' });
    const before = fake.snapshot();
    // Approval = list plans (2 syncs), names (1), prepare (2: the log exists), one write request: fail it after its first changes.
    fake.failAtSync(fake.log.syncs + 6, { afterOperations: 4 });
    await expect(approvePlan(plannerOf(fake), { sheetName: '预算方案 (2)', approver: 'B', locale: 'en', productVersion: '0.1.0' })).rejects.toMatchObject({ code: 'write-failed' });
    expect(fake.snapshot()).toBe(before);
  });
});
