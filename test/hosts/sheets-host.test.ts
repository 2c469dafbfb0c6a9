/** The Sheets host's own behaviour: the fake's strictness, the writer's batching and translations, the server functions. */
import { epochDaysFromCivil } from '../../src/engine/dates';
import * as server from '../../src/hosts/sheets/server';
import { setAppsScriptServices } from '../../src/hosts/sheets/services';
import { sheetsPlannerHost } from '../../src/hosts/sheets/planner-host';
import { writeSpecToSheets } from '../../src/hosts/sheets/write-spec';
import { generatePlan, trackVariance } from '../../src/runs';
import { FakeAppsScript, FakeNamedRange, FakeSheetsValue } from './fake-sheets';

const EPOCH = 25569;

function workbook(customers = 20, locale = 'en_US'): FakeAppsScript {
  const fake = new FakeAppsScript({ locale, timeZone: 'Asia/Shanghai', sheets: [] });
  const values: FakeSheetsValue[][] = [['Customer', 'Date', 'Amount']];
  for (let i = 0; i < customers; i++) values.push([`C${i}`, fake.dateOf(epochDaysFromCivil(2025, 1 + (i % 12), 1 + (i % 28)) + EPOCH), 100 + i]);
  const sheet = fake.spreadsheet.addSheetQuietly('Data');
  sheet.load(values);
  fake.spreadsheet.namedRanges.push(new FakeNamedRange(fake, 'Tx', sheet.rangeOfA1(`A1:C${values.length}`)));
  const spend = fake.spreadsheet.addSheetQuietly('Spend');
  spend.load([['Customer', 'Date', 'Amount'], ['C1', fake.dateOf(epochDaysFromCivil(2026, 1, 5) + EPOCH), 40]]);
  fake.spreadsheet.namedRanges.push(new FakeNamedRange(fake, 'Actuals', spend.rangeOfA1('A1:C2')));
  return fake;
}

const REQUEST = { source: { kind: 'table' as const, name: 'Tx' }, options: { budget: 1_000, unit: 1 }, locale: 'en' as const, productVersion: 'test', now: '2026-01-20T08:00:00Z' };

describe('the Apps Script fake is as strict as Sheets', () => {
  it('refuses grids of the wrong shape, parses typed strings, knows names', () => {
    const fake = new FakeAppsScript();
    const { SpreadsheetApp: app } = fake.services();
    const ss = app.getActiveSpreadsheet();
    const sheet = ss.getSheetByName('Sheet1') as GoogleAppsScript.Spreadsheet.Sheet;
    expect(() => sheet.getRange(1, 1, 2, 2).setValues([[1, 2]])).toThrow('The number of rows in the data does not match the number of rows in the range. The data has 1 but the range has 2.');
    expect(() => sheet.getRange(0, 1)).toThrow('outside the dimensions');
    sheet.getRange(1, 1, 1, 4).setValues([['=SUM(B1:C1)', "'=SUM(B1:C1)", '00123', "'00123"]]);
    expect(fake.sheet('Sheet1').cell('A1')).toMatchObject({ formula: '=SUM(B1:C1)' });
    expect(fake.sheet('Sheet1').cell('B1')).toMatchObject({ value: '=SUM(B1:C1)' });
    expect(fake.sheet('Sheet1').cell('B1')?.formula).toBeUndefined();
    expect(fake.sheet('Sheet1').cell('C1')?.value).toBe(123);
    expect(fake.sheet('Sheet1').cell('D1')?.value).toBe('00123');
    expect(ss.getSheetByName('Nope')).toBeNull();
    expect(ss.getRangeByName('Nope')).toBeNull();
    expect(() => ss.insertSheet('sheet1')).toThrow('A sheet with the name "sheet1" already exists');
  });

  it('counts calls, fails the chosen one, and holds at most 9 KB a property', () => {
    const fake = new FakeAppsScript();
    const services = fake.services();
    const before = fake.calls;
    services.SpreadsheetApp.getActiveSpreadsheet().getSheets();
    expect(fake.calls).toBe(before + 1);
    fake.failAtCall(2);
    const ss = services.SpreadsheetApp.getActiveSpreadsheet();
    ss.getNumSheets();
    expect(() => ss.getNumSheets()).toThrow('injected');
    const props = services.PropertiesService.getDocumentProperties();
    expect(() => props.setProperty('k', 'x'.repeat(9 * 1024 + 1))).toThrow('Argument too large');
  });
});

describe('the Sheets writer', () => {
  it('writes a plan with batched calls, bold frozen headers, widths, named ranges, A1 totals and rules', async () => {
    const fake = workbook(200);
    const summary = await generatePlan(sheetsPlannerHost(fake.services()), REQUEST);
    const plan = fake.sheet(summary.sheetName);
    expect(fake.spreadsheet.namedRanges.map((n) => n.name)).toEqual(expect.arrayContaining(['CBP_Plan', 'CBP_Log']));
    const planRange = fake.spreadsheet.namedRanges.find((n) => n.name === 'CBP_Plan')?.range;
    expect(planRange?.numRows).toBe(201); // header and one row per customer, the totals row below it
    const headerA1 = `A${planRange?.row}`;
    expect(plan.cell(headerA1)?.bold).toBe(true);
    expect(fake.sheet('CBP Log').frozenRows).toBe(1);
    expect(fake.sheet('CBP Log').cell('A1')?.bold).toBe(true);
    expect(plan.columnWidths.size).toBeGreaterThan(3);
    const formulas = [...plan.cells.values()].map((c) => c.formula).filter((f): f is string => f !== undefined);
    expect(formulas.some((f) => /^=SUBTOTAL\(109,[A-Z]+\d+:[A-Z]+\d+\)$/.test(f))).toBe(true);
    for (const f of formulas) expect(f).not.toMatch(/[A-Za-z_]\[/); // no structured reference reaches Sheets
    expect(plan.rules.some((r) => r.gradient)).toBe(true);
    // Never cell by cell: a handful of setValues for the whole run, whatever the rows.
    expect(fake.callLog.filter((c) => c === 'Range.setValues').length).toBeLessThan(40);
  });

  it('grows a new sheet past its 1,000 rows by 26 columns before writing a larger plan', async () => {
    const fake = workbook(1_500);
    const summary = await generatePlan(sheetsPlannerHost(fake.services()), { ...REQUEST, options: { budget: 100_000, unit: 1 } });
    expect(summary.customers).toBe(1_500);
    expect(fake.sheet(summary.sheetName).maxRows).toBeGreaterThan(1_500);
    expect(() => fake.services().SpreadsheetApp.getActiveSpreadsheet().insertSheet('Small').getRange(1001, 1)).toThrow('outside the dimensions');
  });

  it('a failure after the log sheet grew removes the rows it inserted and the rows it wrote', async () => {
    const withFullLog = () => {
      const fake = workbook(5);
      const log = fake.spreadsheet.addSheetQuietly('CBP Log');
      log.load([['Time', 'Action', 'Sheet', 'Parameters', 'Hash', 'Version', 'Totals'], ...Array.from({ length: 999 }, (_, i) => [`t${i}`, 'plan', 'x', '{}', 'h', 'v', '{}'])]);
      fake.spreadsheet.namedRanges.push(new FakeNamedRange(fake, 'CBP_Log', log.rangeOfA1('A1:G1000')));
      return fake;
    };
    const probe = withFullLog();
    const start = probe.calls;
    await generatePlan(sheetsPlannerHost(probe.services()), REQUEST);
    const grow = probe.callLog.indexOf('Sheet.insertRowsAfter', start);
    expect(probe.sheet('CBP Log').maxRows).toBe(1001);
    const fake = withFullLog();
    const before = fake.snapshot();
    fake.failAtCall(grow - start + 3); // the log rows' setValues, after the sheet grew
    await expect(generatePlan(sheetsPlannerHost(fake.services()), REQUEST)).rejects.toThrow('Everything this run wrote was removed');
    expect(fake.snapshot()).toBe(before);
  });

  it('translates the variance rules: formula fills, icon sets as three font colours, data bars as gradients', async () => {
    const fake = workbook(10);
    const host = sheetsPlannerHost(fake.services());
    await generatePlan(host, REQUEST);
    const variance = await trackVariance(host, { actuals: { kind: 'table', name: 'Actuals' }, locale: 'en', productVersion: 'test' });
    const rules = fake.sheet(variance.sheetName).rules;
    expect(rules.filter((r) => r.background && r.formula?.startsWith('=$I'))).toHaveLength(5);
    expect(rules.filter((r) => r.fontColor && !r.background)).toHaveLength(3);
    expect(rules.filter((r) => r.gradient)).toHaveLength(1);
    expect(fake.sheet(variance.sheetName).cell('A1')?.bold).toBe(true);
  });

  it('reads a date cell as its calendar day in the spreadsheet time zone', async () => {
    const fake = workbook(3);
    const rows = (await sheetsPlannerHost(fake.services()).readSource({ kind: 'table', name: 'Tx' })).rows;
    expect(rows[1]).toEqual(['C0', '2025-01-01', 100]);
  });

  it('refuses a sheet name taken since the spec was built, writing nothing', () => {
    const fake = workbook(3);
    const before = fake.snapshot();
    const spec = { sheets: [{ name: 'Data', blocks: [], tables: [], conditionalFormats: [], charts: [] }] };
    expect(() => writeSpecToSheets(fake.services(), spec, { locale: 'en' })).toThrow('A sheet named Data already exists');
    expect(fake.snapshot()).toBe(before);
  });
});

describe('server functions', () => {
  afterEach(() => setAppsScriptServices(undefined));

  it('exports exactly the server functions', () => {
    expect(Object.keys(server).sort()).toEqual(['approvePlan', 'generatePlan', 'listSources', 'loadSettings', 'onOpen', 'previewSource', 'resetSettings', 'showSidebar', 'trackVariance']);
  });

  it.each([
    ['en_US', 'Budget Planner', ['Generate Plan', 'Track Variance', 'Approve Plan']],
    ['zh_CN', '预算规划', ['生成计划', '跟踪差异', '审批计划']],
  ])('onOpen adds the menu only (%s)', (locale, menu, items) => {
    const fake = workbook(3, locale);
    setAppsScriptServices(fake.services());
    const before = fake.snapshot();
    server.onOpen();
    expect(fake.menus).toEqual([{ name: menu, items: items.map((label) => ({ label, functionName: 'showSidebar' })) }]);
    expect(fake.snapshot()).toBe(before);
    expect(fake.calls).toBeLessThanOrEqual(3);
  });

  it('showSidebar opens Sidebar.html with a title', () => {
    const fake = workbook(3, 'zh_CN');
    setAppsScriptServices(fake.services());
    server.showSidebar();
    expect(fake.sidebars).toEqual([{ file: 'Sidebar', title: '客户预算规划' }]);
  });

  it('runs a plan, approves it and restores the settings, all in plain JSON', async () => {
    const fake = workbook(15);
    setAppsScriptServices(fake.services());
    expect(server.listSources()).toEqual({ tables: ['Tx', 'Actuals'], sheets: ['Data', 'Spend'], planSheets: [] });
    const plan = await server.generatePlan(REQUEST);
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
    const approved = await server.approvePlan({ sheetName: plan.sheetName, locale: 'en', productVersion: 'test' });
    expect(approved.approver).toBe('approver@example.com');
    expect(fake.sheet(plan.sheetName).protections[0]?.warningOnly).toBe(true);
    const variance = await server.trackVariance({ actuals: { kind: 'table', name: 'Actuals' }, locale: 'en', productVersion: 'test' });
    expect(JSON.parse(JSON.stringify(variance))).toEqual(variance);
    expect((await server.loadSettings()).plan?.options).toEqual({ budget: 1_000, unit: 1 });
    expect(server.loadSettings().locale).toBe('en');
    // "Reset to defaults" from the sidebar: the spreadsheet forgets them.
    server.resetSettings();
    expect(server.loadSettings()).toEqual({});
  });

  it('refuses settings over the 9 KB a document property holds', () => {
    const fake = workbook(3);
    expect(() => sheetsPlannerHost(fake.services()).saveSettings('x'.repeat(10_000))).toThrow('a document property holds at most 9216');
  });

  it('returns values, not promises (google.script.run passes on only plain values)', () => {
    const fake = workbook(5);
    setAppsScriptServices(fake.services());
    const plan = server.generatePlan(REQUEST);
    expect(plan).not.toBeInstanceOf(Promise);
    expect(plan.customers).toBe(5);
    expect(server.loadSettings()).not.toBeInstanceOf(Promise);
  });
});
