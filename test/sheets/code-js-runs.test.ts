/**
 * The built dist/sheets/Code.js as Apps Script runs it from the menu and the sidebar: loaded in a
 * Node vm whose globals are the strict Apps Script fake (SpreadsheetApp, HtmlService,
 * PropertiesService, Session, Utilities), its top-level server functions called with the sidebar's
 * plain-JSON requests. The same runs are tested through the sources in test/runs; this checks
 * that the bundle, its top-level declarations and the globals it reaches for work together.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vm from 'vm';
import { epochDaysFromCivil } from '../../src/engine/dates';
import { FakeAppsScript, FakeNamedRange, FakeSheetsValue } from '../hosts/fake-sheets';
import { buildSheetsProject } from './apps-script-vm';

jest.setTimeout(120_000);

const SERIAL_OF_EPOCH = 25_569;
const PRODUCT = { productVersion: 'test', now: '2026-01-20T08:00:00Z' };

let buildDir: string;
let code: string;

beforeAll(() => {
  buildDir = buildSheetsProject();
  code = fs.readFileSync(path.join(buildDir, 'Code.js'), 'utf8');
});

afterAll(() => {
  if (buildDir) fs.rmSync(buildDir, { recursive: true, force: true });
});

/** A spreadsheet with a Transactions sheet (named range Tx) and a Spend sheet (named range Actuals). */
function spreadsheet(customers: number, header: string[], locale = 'en_US'): FakeAppsScript {
  const fake = new FakeAppsScript({ locale, timeZone: 'Asia/Shanghai', sheets: [] });
  const values: FakeSheetsValue[][] = [header];
  for (let i = 0; i < customers; i++) {
    const name = i === 0 ? '=HYPERLINK("http://x")' : `C${String(i).padStart(3, '0')}`;
    for (let k = 0; k <= i % 3; k++) values.push([name, fake.dateOf(epochDaysFromCivil(2025, 1 + ((i + 4 * k) % 12), 1 + ((i * 7 + k) % 28)) + SERIAL_OF_EPOCH), 40 + ((i * 37 + k * 11) % 300)]);
  }
  const sheet = fake.spreadsheet.addSheetQuietly('Transactions');
  sheet.load(values);
  fake.spreadsheet.namedRanges.push(new FakeNamedRange(fake, 'Tx', sheet.rangeOfA1(`A1:C${values.length}`)));
  const spend = fake.spreadsheet.addSheetQuietly('Spend');
  spend.load([
    ['Customer', 'Date', 'Amount'],
    ['C003', fake.dateOf(epochDaysFromCivil(2026, 1, 10) + SERIAL_OF_EPOCH), 300],
    ['Nobody', fake.dateOf(epochDaysFromCivil(2026, 1, 15) + SERIAL_OF_EPOCH), 20],
  ]);
  fake.spreadsheet.namedRanges.push(new FakeNamedRange(fake, 'Actuals', spend.rangeOfA1('A1:C3')));
  return fake;
}

/** Code.js with the fake's services as its globals, as Apps Script gives them to a script. */
function script(fake: FakeAppsScript): (name: string, argument?: unknown) => unknown {
  const services = fake.services();
  const context = vm.createContext({ ...services, Logger: { log: () => undefined } });
  vm.runInContext(code, context, { filename: 'Code.js' });
  return (name, argument) => (context[name] as (a?: unknown) => unknown)(argument);
}

/** A result of the vm's realm as plain data (what google.script.run hands the sidebar). */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function allocationSum(fake: FakeAppsScript, sheetName: string): number {
  const range = fake.spreadsheet.namedRanges.find((n) => n.name === 'CBP_Plan' && n.range.getSheet().getName() === sheetName)!.range;
  const rows = range.getValues();
  const col = rows[0].findIndex((v) => /allocation|分配/i.test(String(v)));
  expect(col).toBeGreaterThan(0);
  return rows.slice(1).reduce((sum, row) => sum + (typeof row[col] === 'number' ? Math.round((row[col] as number) * 100) : 0), 0);
}

test.each([
  ['en_US', 'en', ['Customer', 'Date', 'Amount'], 'Budget Planner', 'Draft'],
  ['zh_CN', 'zh-CN', ['客户', '日期', '金额'], '预算规划', '草稿'],
] as const)('spreadsheet %s: onOpen adds only the menu; generatePlan writes a plan whose amounts add up to the budget', (locale, language, header, menu, draft) => {
  const fake = spreadsheet(30, [...header], locale);
  const call = script(fake);
  const before = fake.snapshot();
  call('onOpen', { authMode: 'LIMITED' });
  expect(fake.menus.map((m) => m.name)).toEqual([menu]);
  expect(fake.snapshot()).toBe(before);

  const callsBefore = fake.calls;
  const summary = plain(call('generatePlan', { source: { kind: 'table', name: 'Tx' }, options: { budget: 10_000, reserve: 0.1, unit: 1 }, locale: language, ...PRODUCT }) as { sheetName: string; customers: number; budgetMinor: number; allocatedMinor: number; reserveMinor: number; unallocatedMinor: number });
  expect(summary.customers).toBe(30);
  expect(summary.budgetMinor).toBe(1_000_000);
  expect(summary.reserveMinor).toBe(100_000);
  expect(summary.allocatedMinor + summary.reserveMinor + summary.unallocatedMinor).toBe(1_000_000);
  expect(allocationSum(fake, summary.sheetName)).toBe(summary.allocatedMinor);
  const plan = fake.sheet(summary.sheetName);
  expect(plan.rules.length).toBeGreaterThan(0);
  expect([...plan.cells.values()].some((c) => c.value === draft)).toBe(true);
  // The user's formula-like customer name is text in the plan, not a formula.
  expect([...plan.cells.values()].some((c) => c.value === '=HYPERLINK("http://x")' && !c.formula)).toBe(true);
  expect(fake.calls - callsBefore).toBeLessThan(250);
});

test('the service calls of a plan do not grow with its rows', () => {
  const calls = [20, 400].map((customers) => {
    const fake = spreadsheet(customers, ['Customer', 'Date', 'Amount']);
    const before = fake.calls;
    script(fake)('generatePlan', { source: { kind: 'table', name: 'Tx' }, options: { budget: 50_000, unit: 1 }, locale: 'en', ...PRODUCT });
    return fake.calls - before;
  });
  expect(calls[1]).toBe(calls[0]);
});

test('trackVariance, approvePlan, a second plan superseding, and the settings restored', () => {
  const fake = spreadsheet(12, ['Customer', 'Date', 'Amount']);
  const call = script(fake);
  const first = plain(call('generatePlan', { source: { kind: 'table', name: 'Tx' }, options: { budget: 1_000, unit: 1 }, locale: 'en', ...PRODUCT }) as { sheetName: string });
  const variance = plain(call('trackVariance', { actuals: { kind: 'table', name: 'Actuals' }, locale: 'en', ...PRODUCT }) as { sheetName: string; counts: Record<string, number> });
  expect(variance.counts.unplanned).toBe(1);
  expect(fake.sheet(variance.sheetName).rules.length).toBeGreaterThanOrEqual(5);

  const approved = plain(call('approvePlan', { sheetName: first.sheetName, locale: 'en', ...PRODUCT }) as { approver: string; superseded: string[] });
  expect(approved.approver).toBe('approver@example.com');
  expect(fake.sheet(first.sheetName).protections.map((p) => p.warningOnly)).toEqual([true]);
  const second = plain(call('generatePlan', { source: { kind: 'table', name: 'Tx' }, options: { budget: 1_200, unit: 1 }, locale: 'en', ...PRODUCT }) as { sheetName: string });
  const again = plain(call('approvePlan', { sheetName: second.sheetName, approver: 'Li Lei', protection: 'full', locale: 'en', ...PRODUCT }) as { superseded: string[] });
  expect(again.superseded).toEqual([first.sheetName]);
  expect(plain(call('listSources')) as { planSheets: unknown[] }).toMatchObject({
    planSheets: [
      { sheetName: first.sheetName, status: 'superseded' },
      { sheetName: second.sheetName, status: 'approved' },
    ],
  });

  // A new script run (another menu click) restores what the last runs used.
  const settings = plain(script(fake)('loadSettings') as { plan?: { options: unknown }; variance?: { actuals: unknown } });
  expect(settings.plan?.options).toEqual({ budget: 1_200, unit: 1 });
  expect(settings.variance?.actuals).toEqual({ kind: 'table', name: 'Actuals' });
});

test('a failure injected in the middle of a write leaves the spreadsheet as it was, with a readable message', () => {
  const probe = spreadsheet(25, ['Customer', 'Date', 'Amount']);
  const before = probe.calls;
  script(probe)('generatePlan', { source: { kind: 'table', name: 'Tx' }, options: { budget: 1_000, unit: 1 }, locale: 'en', ...PRODUCT });
  const whole = probe.calls - before;

  const fake = spreadsheet(25, ['Customer', 'Date', 'Amount']);
  const call = script(fake);
  const snapshot = fake.snapshot();
  fake.failAtCall(Math.floor(whole * 0.7));
  let message = '';
  try {
    call('generatePlan', { source: { kind: 'table', name: 'Tx' }, options: { budget: 1_000, unit: 1 }, locale: 'en', ...PRODUCT });
  } catch (error) {
    message = (error as Error).message;
  }
  expect(message.length).toBeGreaterThan(20);
  expect(message).not.toMatch(/\n\s+at /);
  expect(fake.snapshot()).toBe(snapshot);
});
