/**
 * Both .xlsx writers (in-memory and streaming) write the same spec faithfully: every file is read
 * back with ExcelJS and checked for tables, ranges, number formats, text kept as text, conditional
 * formats on the right ranges, and allocation + reserve + unallocated = budget to the cent.
 */
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computePlan, Plan } from '../../src/engine/plan';
import { readTransactionColumns } from '../../src/engine/transactions';
import { epochDaysFromCivil } from '../../src/engine/dates';
import { computeVariance } from '../../src/engine/variance';
import { buildPlanWorkbook, WriteContext } from '../../src/workbook/plan-sheet';
import { buildVarianceWorkbook } from '../../src/workbook/variance-sheet';
import { buildApprovalChange } from '../../src/workbook/approval';
import { WorkbookSpec } from '../../src/workbook/spec';
import { writeSpecToWorkbook } from '../../src/hosts/xlsx/write';
import { writeSpecStreaming } from '../../src/hosts/xlsx/write-streaming';

const folder = mkdtempSync(join(tmpdir(), 'cbp-xlsx-'));
let fileNumber = 0;

const context = (existingSheetNames: string[] = [], existingTableNames: string[] = []): WriteContext => ({
  locale: 'en',
  existingSheetNames,
  existingTableNames,
  writtenAt: '2026-01-05T09:00:00Z',
  productVersion: '0.1.0',
  source: 'tx.csv',
});

type Writer = 'in-memory' | 'streaming';

async function writeAndRead(spec: WorkbookSpec, writer: Writer): Promise<ExcelJS.Workbook> {
  const path = join(folder, `w${++fileNumber}.xlsx`);
  if (writer === 'streaming') await writeSpecStreaming(spec, path);
  else {
    const workbook = new ExcelJS.Workbook();
    await writeSpecToWorkbook(workbook, spec);
    await workbook.xlsx.writeFile(path);
  }
  const back = new ExcelJS.Workbook();
  await back.xlsx.readFile(path);
  return back;
}

interface TableModel {
  name: string;
  tableRef: string;
  totalsRow: boolean;
  columns: { name: string; totalsRowFunction?: string; totalsRowLabel?: string }[];
  style: { theme: string };
}
function tableOf(sheet: ExcelJS.Worksheet, name: string): TableModel {
  return (sheet.getTable(name) as unknown as { table: TableModel }).table;
}
function conditionalFormats(sheet: ExcelJS.Worksheet): { ref: string; rules: { type: string; formulae?: string[]; iconSet?: string; operator?: string }[] }[] {
  return (sheet as unknown as { conditionalFormattings: { ref: string; rules: { type: string }[] }[] }).conditionalFormattings;
}
/** Labels in column A -> values in column B. */
function labelled(sheet: ExcelJS.Worksheet): Map<string, ExcelJS.CellValue> {
  const map = new Map<string, ExcelJS.CellValue>();
  sheet.eachRow((row) => map.set(String(row.getCell(1).value), row.getCell(2).value));
  return map;
}
function rowOf(ref: string): number {
  return Number(ref.split(':')[0].replace(/[A-Z]+/, ''));
}

// Six customers, one named like a formula; amounts in cents add up by hand below.
const TRICKY = readTransactionColumns({
  customers: ['=SUM(A1)', '=SUM(A1)', '+86 138', '00123', '-x', '@home', 'Plain'],
  dates: ['2025-01-02', '2025-06-01', '2025-03-03', '2025-04-04', '2025-05-05', '2025-06-06', '2025-06-30'],
  amounts: [100, 50, 20, 30, 40, 10, 60],
});

describe.each<Writer>(['in-memory', 'streaming'])('the %s .xlsx writer', (writer) => {
  // Budget 1,000.00, reserve 10 %: D = 900.00, reserve 100.00, in cents.
  const plan = computePlan(TRICKY, { budget: 1000, reserve: 0.1, asOf: epochDaysFromCivil(2025, 6, 30) });
  const spec = buildPlanWorkbook(plan, context(), { clv: { values: plan.customers.map((_, i) => 100 * (i + 1)), label: 'CLV, 12 months (BG/NBD)' } });

  it('writes real tables with totals rows, number formats and the budget to the cent', async () => {
    const workbook = await writeAndRead(spec, writer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Budget Plan', 'CBP Log']);
    const sheet = workbook.getWorksheet('Budget Plan')!;
    const table = tableOf(sheet, 'CBP_Plan');
    // 6 customers; 15 plan columns + CLV + 12 months + 5 activities = 33 columns (A..AG); header, 6 rows, totals.
    const header = spec.sheets[0].tables[1].row + 1;
    expect(table.tableRef).toBe(`A${header}:AG${header + 7}`);
    expect(table.totalsRow).toBe(true);
    expect(table.columns.map((c) => c.name).slice(0, 12)).toEqual(['Customer', 'Segment', 'Tier', 'Recency (days)', 'Frequency', 'Monetary', 'R', 'F', 'M', 'Score', 'CLV, 12 months (BG/NBD)', 'Weight']);
    expect(table.columns[12]).toMatchObject({ name: 'Allocation', totalsRowFunction: 'sum' });
    expect(table.columns[3].totalsRowFunction ?? 'none').toBe('none');
    expect(table.columns[0].totalsRowLabel).toBe('Total');
    expect(tableOf(sheet, 'CBP_Segments').tableRef).toBe(`D4:G${4 + plan.segments.length}`);
    // Allocation column M: cents add up to D; the totals cell is a SUBTOTAL with that result.
    let cents = 0;
    for (let r = header + 1; r <= header + 6; r++) {
      expect(sheet.getCell(`M${r}`).numFmt).toBe('#,##0.00');
      cents += Math.round((sheet.getCell(`M${r}`).value as number) * 100);
    }
    expect(cents).toBe(90_000);
    expect(sheet.getCell(`M${header + 7}`).value).toMatchObject({ formula: 'SUBTOTAL(109,CBP_Plan[Allocation])', result: 900 });
    const lines = labelled(sheet);
    expect(lines.get('Allocated to customers')).toBe(900);
    expect(lines.get('Reserve')).toBe(100);
    expect(lines.get('Unallocated (added to the reserve)')).toBe(0);
    expect(Math.round(((lines.get('Allocated to customers') as number) + (lines.get('Reserve') as number) + (lines.get('Unallocated (added to the reserve)') as number)) * 100)).toBe(100_000);
    // Dates are dates with date formats; the run's time is a date-time.
    const asOfRow = [...Array(30).keys()].map((i) => i + 1).find((r) => sheet.getCell(`A${r}`).value === 'As-of date')!;
    expect(sheet.getCell(`B${asOfRow}`).value).toEqual(new Date(Date.UTC(2025, 5, 30)));
    expect(sheet.getCell(`B${asOfRow}`).numFmt).toBe('yyyy-mm-dd');
    expect(lines.get('Written at (UTC)')).toEqual(new Date(Date.UTC(2026, 0, 5, 9)));
  });

  it('keeps every text cell as text: no formula except the product\'s own totals', async () => {
    const workbook = await writeAndRead(spec, writer);
    const formulas: string[] = [];
    const texts: string[] = [];
    for (const sheet of workbook.worksheets) {
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          const v = cell.value;
          if (v !== null && typeof v === 'object' && 'formula' in v) formulas.push(String(v.formula));
          if (typeof v === 'string') texts.push(v);
        }),
      );
    }
    expect(formulas.every((f) => /^SUBTOTAL\(109,CBP_Plan\[[^\]]+\]\)$/.test(f))).toBe(true);
    expect(texts).toEqual(expect.arrayContaining(['=SUM(A1)', '+86 138', '00123', '-x', '@home']));
  });

  it('puts the conditional formats and the chart stand-in on the right ranges', async () => {
    const workbook = await writeAndRead(spec, writer);
    const sheet = workbook.getWorksheet('Budget Plan')!;
    const header = spec.sheets[0].tables[1].row + 1;
    const last = 4 + plan.segments.length;
    const rules = conditionalFormats(sheet).map((cf) => [cf.ref, cf.rules[0].type]);
    expect(rules).toEqual([
      [`M${header + 1}:M${header + 6}`, 'dataBar'],
      [`F5:F${last}`, 'dataBar'],
    ]);
    expect(sheet.getCell('I3').value).toBe('Allocation by segment');
    expect(String(sheet.getCell('I4').value)).toMatch(/^In place of a chart: data bars on the Allocation column/);
  });
});

describe('the variance sheet and the approval flow (in-memory writer, on an existing plan workbook)', () => {
  const plan: Plan = computePlan(TRICKY, { budget: 1000, asOf: epochDaysFromCivil(2025, 6, 30) });

  it('writes statuses as formulas with colour rules over the status column, a data bar and an icon set', async () => {
    const workbook = new ExcelJS.Workbook();
    await writeSpecToWorkbook(workbook, buildPlanWorkbook(plan, context()));
    const result = computeVariance({ keys: ['=SUM(A1)', 'Plain'], planMinor: [10000, 20000], expectedToDateMinor: [5000, 10000] }, { keys: ['=SUM(A1)', 'Plain', 'Else'], dates: [20000, 20000, 20000], amountsMinor: [12000, 2000, 700] }, { asOf: 20001 });
    const names = workbook.worksheets.map((s) => s.name);
    const spec = buildVarianceWorkbook({ result, asOf: 20001, overTolerance: 0, warnMargin: 0.1, underMargin: 0.5, minorDigits: 2, keyLabel: 'Customer' }, context(names, ['CBP_Plan', 'CBP_Segments', 'CBP_Log']));
    const path = join(folder, 'variance.xlsx');
    await writeSpecToWorkbook(workbook, spec);
    await workbook.xlsx.writeFile(path);
    const back = new ExcelJS.Workbook();
    await back.xlsx.readFile(path);
    expect(back.worksheets.map((s) => s.name)).toEqual(['Budget Plan', 'CBP Log', 'Variance']);
    const sheet = back.getWorksheet('Variance')!;
    const table = tableOf(sheet, 'CBP_Variance');
    const first = rowOf(table.tableRef) + 1;
    // Rows: =SUM(A1) (over), Plain (under-used), Else (unplanned): first..first+2, then totals.
    expect(table.tableRef).toBe(`A${first - 1}:I${first + 3}`);
    expect(sheet.getCell(`A${first}`).value).toBe('=SUM(A1)');
    expect(sheet.getCell(`E${first}`).value).toMatchObject({ formula: `C${first}-B${first}`, result: 20 });
    expect(sheet.getCell(`I${first}`).value).toMatchObject({ result: 'Over budget' });
    expect(sheet.getCell(`B${first + 3}`).value).toMatchObject({ formula: 'SUBTOTAL(109,CBP_Variance[Plan])', result: 300 });
    const cfs = conditionalFormats(sheet);
    const expressions = cfs.filter((c) => c.rules[0].type === 'expression');
    expect(expressions.map((c) => c.ref)).toEqual(Array(5).fill(`A${first}:I${first + 2}`));
    expect(expressions[0].rules[0].formulae).toEqual([`$I${first}="Over budget"`]);
    expect(cfs.find((c) => c.rules[0].type === 'dataBar')!.ref).toBe(`G${first}:G${first + 2}`);
    expect(cfs.find((c) => c.rules[0].type === 'iconSet')).toMatchObject({ ref: `F${first}:F${first + 2}`, rules: [{ iconSet: '3TrafficLights1' }] });
    // The log gained a row on the existing log table.
    expect(tableOf(back.getWorksheet('CBP Log')!, 'CBP_Log').tableRef).toBe('A1:G3');
    expect(back.getWorksheet('CBP Log')!.getCell('B3').value).toBe('Track variance');
  });

  it('approves a draft (stamped, protected) and supersedes the plan approved before', async () => {
    const workbook = new ExcelJS.Workbook();
    await writeSpecToWorkbook(workbook, buildPlanWorkbook(plan, context()));
    await writeSpecToWorkbook(workbook, buildPlanWorkbook(plan, context(['Budget Plan', 'CBP Log'], ['CBP_Plan', 'CBP_Segments', 'CBP_Log'])));
    const tables = ['CBP_Plan', 'CBP_Segments', 'CBP_Log', 'CBP_Plan_2', 'CBP_Segments_2'];
    const approve = (sheetName: string, approver: string, at: string, plans: { sheetName: string; status: 'draft' | 'approved' | 'superseded' }[]) =>
      writeSpecToWorkbook(workbook, buildApprovalChange({ sheetName, approver, plans }, { ...context(workbook.worksheets.map((s) => s.name), tables), writtenAt: at }));
    await approve('Budget Plan', 'Ana', '2026-02-01T12:00:00Z', [{ sheetName: 'Budget Plan', status: 'draft' }, { sheetName: 'Budget Plan (2)', status: 'draft' }]);
    await approve('Budget Plan (2)', 'Bo', '2026-03-01T12:00:00Z', [{ sheetName: 'Budget Plan', status: 'approved' }, { sheetName: 'Budget Plan (2)', status: 'draft' }]);
    const path = join(folder, 'approved.xlsx');
    await workbook.xlsx.writeFile(path);
    const back = new ExcelJS.Workbook();
    await back.xlsx.readFile(path);
    const first = back.getWorksheet('Budget Plan')!;
    const second = back.getWorksheet('Budget Plan (2)')!;
    expect([first.getCell('B4').value, first.getCell('B5').value, first.getCell('B6').value]).toEqual(['Superseded', 'Ana', new Date(Date.UTC(2026, 1, 1, 12))]);
    expect([second.getCell('B4').value, second.getCell('B5').value]).toEqual(['Approved', 'Bo']);
    for (const sheet of [first, second]) expect((sheet as unknown as { sheetProtection: { sheet: boolean } }).sheetProtection.sheet).toBe(true);
    const log = back.getWorksheet('CBP Log')!;
    expect([3, 4, 5].map((r) => log.getCell(`B${r}`).value)).toEqual(['Generate plan', 'Approve plan', 'Approve plan']);
  });

  it('the streaming writer refuses changes to existing sheets (a new file has none)', async () => {
    await expect(writeSpecStreaming({ sheets: [], updates: [{ sheetName: 'X', blocks: [] }] }, join(folder, 'never.xlsx'))).rejects.toThrow('a new file has no existing sheets to update');
  });
});

describe('column names that need escaping', () => {
  it('escapes XML in the table part and [ ] # \' in structured references', async () => {
    const spec: WorkbookSpec = {
      sheets: [{ name: 'S', blocks: [], tables: [{ name: 'T', row: 0, col: 0, header: ['Key', 'R&D <x> "q"', "Bob's [#] cost"], rows: [['a', 1, 2], ['b', 3, 4]], numberFormats: [null, null, null], totalsRow: true }], conditionalFormats: [], charts: [] }],
    };
    for (const writer of ['in-memory', 'streaming'] as Writer[]) {
      const back = await writeAndRead(spec, writer);
      const sheet = back.getWorksheet('S')!;
      expect(tableOf(sheet, 'T').columns.map((c) => c.name)).toEqual(['Key', 'R&D <x> "q"', "Bob's [#] cost"]);
      expect(sheet.getCell('B4').value).toMatchObject({ result: 4 });
      expect(sheet.getCell('C4').value).toMatchObject({ result: 6 });
    }
    const streamed = await writeAndRead(spec, 'streaming');
    expect(streamed.getWorksheet('S')!.getCell('C4').value).toMatchObject({ formula: "SUBTOTAL(109,T[Bob''s '['#'] cost])" });
  });
});

describe('property: any plan written and read back adds up to the budget to the cent', () => {
  it('holds for random transactions, budgets, reserves and units', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ customer: fc.constantFrom('A', 'B', 'C', '=D', '+E', '客户F'), day: fc.integer({ min: 0, max: 360 }), cents: fc.integer({ min: 1, max: 500_000 }) }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1_000, max: 10_000_000 }), // at least 10.00: D must be one unit or more
        fc.constantFrom(0, 0.05, 0.1, 0.333),
        fc.constantFrom(0.01, 1),
        async (rows, budgetCents, reserve, unit) => {
          const tx = readTransactionColumns({ customers: rows.map((r) => r.customer), dates: rows.map((r) => epochDaysFromCivil(2025, 1, 1) + r.day), amounts: rows.map((r) => r.cents / 100) });
          const plan = computePlan(tx, { budget: budgetCents / 100, reserve, unit });
          const back = await writeAndRead(buildPlanWorkbook(plan, context()), 'streaming');
          const sheet = back.getWorksheet('Budget Plan')!;
          const table = tableOf(sheet, 'CBP_Plan');
          const header = rowOf(table.tableRef);
          const allocation = table.columns.findIndex((c) => c.name === 'Allocation') + 1;
          let cents = 0;
          for (let r = header + 1; r <= header + plan.customers.length; r++) cents += Math.round((sheet.getCell(r, allocation).value as number) * 100);
          const lines = labelled(sheet);
          const reserveCents = Math.round((lines.get('Reserve') as number) * 100);
          const unallocatedCents = Math.round((lines.get('Unallocated (added to the reserve)') as number) * 100);
          expect(cents + reserveCents + unallocatedCents).toBe(budgetCents);
        },
      ),
      { numRuns: 25 },
    );
  }, 60_000);
});
