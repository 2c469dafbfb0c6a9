/**
 * Both hosts' fakes behind one harness, so that every run-layer test runs against Excel (Office.js
 * fake) and Google Sheets (Apps Script fake) alike: the same workbook, the same requests.
 */
import type { PlannerHost } from '../../src/runs/host';
import { sheetsPlannerHost } from '../../src/hosts/sheets/planner-host';
import { FakeExcel, FakeScalar } from '../hosts/fake-excel';
import { memorySettings, plannerOf } from '../hosts/excel-planner';
import { FakeAppsScript, FakeNamedRange, FakeSheetsValue } from '../hosts/fake-sheets';

/** A sheet of the starting workbook: values (dates as epoch days) and a table over all of them. */
export interface StartSheet {
  name: string;
  header: string[];
  rows: (string | number | { day: number })[][];
  table: string;
}

export interface Harness {
  kind: 'excel' | 'sheets';
  planner: PlannerHost;
  /** Round trips so far: Office.js syncs, Apps Script service calls. */
  calls(): number;
  /** Makes a round trip `n` from now fail. */
  failAt(n: number): void;
  snapshot(): string;
  sheetNames(): string[];
  cell(sheet: string, a1: string): { value: unknown; formula?: string; numberFormat: string; bold: boolean };
  ruleCount(sheet: string): number;
  frozenRows(sheet: string): number;
  protection(sheet: string): 'none' | 'warning' | 'full';
  /** The settings JSON the host stored, if any. */
  storedSettings(): string | undefined;
}

const EXCEL_EPOCH = 25569;

function excelHarness(sheets: StartSheet[]): Harness {
  const fake = new FakeExcel({
    sheets: sheets.map((s) => ({
      name: s.name,
      values: [s.header, ...s.rows.map((row) => row.map((v) => (typeof v === 'object' ? v.day + EXCEL_EPOCH : v)))] as FakeScalar[][],
      tables: [{ name: s.table, address: `A1:${String.fromCharCode(64 + s.header.length)}${s.rows.length + 1}` }],
    })),
  });
  const box: { json?: string } = {};
  const planner = plannerOf(fake, { settings: memorySettings(box) });
  return {
    kind: 'excel',
    planner,
    calls: () => fake.log.syncs,
    failAt: (n) => fake.failAtSync(fake.log.syncs + n, { afterOperations: 1 }),
    snapshot: () => fake.snapshot(),
    sheetNames: () => fake.sheetNames(),
    cell: (sheet, a1) => {
      const c = fake.cell(sheet, a1);
      return { value: c.value, ...(c.formula ? { formula: String(c.formula) } : {}), numberFormat: c.numberFormat, bold: c.bold };
    },
    ruleCount: (sheet) => fake.sheet(sheet).conditionalFormats.length,
    frozenRows: (sheet) => fake.sheet(sheet).frozenRows,
    protection: (sheet) => (fake.sheet(sheet).protected ? 'full' : 'none'),
    storedSettings: () => box.json,
  };
}

function sheetsHarness(sheets: StartSheet[], timeZone = 'Asia/Shanghai'): Harness {
  const fake = new FakeAppsScript({ timeZone, sheets: [] });
  for (const s of sheets) {
    const sheet = fake.spreadsheet.addSheetQuietly(s.name);
    sheet.load([s.header, ...s.rows.map((row) => row.map((v) => (typeof v === 'object' ? fake.dateOf(v.day + EXCEL_EPOCH) : v)))] as FakeSheetsValue[][]);
    fake.spreadsheet.namedRanges.push(new FakeNamedRange(fake, s.table, sheet.rangeOfA1(`A1:${String.fromCharCode(64 + s.header.length)}${s.rows.length + 1}`)));
  }
  return {
    kind: 'sheets',
    planner: sheetsPlannerHost(fake.services()),
    calls: () => fake.calls,
    failAt: (n) => fake.failAtCall(n),
    snapshot: () => fake.snapshot(),
    sheetNames: () => fake.spreadsheet.sheets.map((s) => s.name),
    cell: (sheet, a1) => {
      const c = fake.sheet(sheet).cell(a1);
      return { value: c?.value ?? '', ...(c?.formula ? { formula: c.formula } : {}), numberFormat: c?.format ?? 'General', bold: c?.bold ?? false };
    },
    ruleCount: (sheet) => fake.sheet(sheet).rules.length,
    frozenRows: (sheet) => fake.sheet(sheet).frozenRows,
    protection: (sheet) => {
      const p = fake.sheet(sheet).protections[0];
      return !p ? 'none' : p.warningOnly ? 'warning' : 'full';
    },
    storedSettings: () => fake.properties.get('cbp.lastRun'),
  };
}

export const HOSTS: { name: string; make: (sheets: StartSheet[]) => Harness }[] = [
  { name: 'Excel (Office.js fake)', make: excelHarness },
  { name: 'Google Sheets (Apps Script fake)', make: sheetsHarness },
];
