/**
 * The run layer (src/runs) against both hosts' fakes: Generate Plan, Track Variance, Approve, a
 * failure in the middle of a write and remembered settings behave the same in Excel and Sheets.
 */
import { epochDaysFromCivil } from '../../src/engine/dates';
import { approvePlan, generatePlan, listPlanSheets, loadSettings, PREVIEW_READ_ROWS, previewSource, RunCancelledError, trackVariance } from '../../src/runs';
import { PLAN_STATUS_CELL } from '../../src/workbook/plan-sheet';
import { cellAddress } from '../../src/workbook/spec';
import { HOSTS, StartSheet } from './hosts';

const HEADERS = { en: ['Customer', 'Date', 'Amount'], zh: ['客户', '日期', '金额'] };

/** `customers` customers with a few purchases each in 2025; customer names include formula-like text. */
function transactions(customers: number, header: string[]): StartSheet {
  const rows: StartSheet['rows'] = [];
  for (let i = 0; i < customers; i++) {
    const name = i === 0 ? '=HYPERLINK("http://x")' : i === 1 ? '+86 138 0000' : i === 2 ? '@home' : `C${String(i).padStart(4, '0')}`;
    for (let k = 0; k <= i % 4; k++) rows.push([name, { day: epochDaysFromCivil(2025, 1 + ((i + k * 3) % 12), 1 + ((i * 7 + k) % 28)) }, 50 + ((i * 37 + k * 11) % 400)]);
  }
  return { name: 'Transactions', header, rows, table: 'Tx' };
}

function actuals(): StartSheet {
  return {
    name: 'Spend',
    header: ['Customer', 'Date', 'Amount'],
    rows: [
      ['C0003', { day: epochDaysFromCivil(2026, 1, 10) }, 300],
      ['C0004', { day: epochDaysFromCivil(2026, 1, 12) }, 5],
      ['Nobody', { day: epochDaysFromCivil(2026, 1, 15) }, 20],
    ],
    table: 'Actuals',
  };
}

const PRODUCT = { productVersion: 'test', now: '2026-01-20T08:00:00Z' };

describe.each(HOSTS)('runs on $name', ({ make, name }) => {
  it.each([
    ['en', HEADERS.en],
    ['zh-CN', HEADERS.zh],
  ] as const)('Generate Plan (%s headers): amounts add up to the budget, text stays text, formats and rules are there', async (locale, header) => {
    const h = make([transactions(40, header)]);
    const before = h.calls();
    const summary = await generatePlan(h.planner, { source: { kind: 'table', name: 'Tx' }, options: { budget: 10_000, reserve: 0.1, unit: 1 }, locale, ...PRODUCT });
    expect(summary.customers).toBe(40);
    expect(summary.allocatedMinor + summary.reserveMinor + summary.unallocatedMinor).toBe(summary.budgetMinor);
    expect(summary.budgetMinor).toBe(1_000_000);
    expect(summary.syncs).toBeLessThanOrEqual(h.calls() - before);
    // The plan table read back through the host: the allocations add up to what was allocated.
    const table = await h.planner.readSource({ kind: 'table', name: 'CBP_Plan' }, { locale });
    const allocationCol = table.rows[0].findIndex((v) => /allocation|分配/i.test(String(v)));
    expect(allocationCol).toBeGreaterThan(0);
    let sum = 0;
    const customers = new Set<string>();
    for (const row of table.rows.slice(1)) {
      if (typeof row[allocationCol] === 'number') sum += row[allocationCol] as number;
      customers.add(String(row[0]));
    }
    expect(Math.round(sum * 100)).toBe(summary.allocatedMinor);
    // Text from the user's data that looks like a formula or a number is text.
    for (const text of ['=HYPERLINK("http://x")', '+86 138 0000', '@home']) expect(customers.has(text)).toBe(true);
    const sheet = summary.sheetName;
    expect(h.sheetNames()).toContain(sheet);
    expect(h.ruleCount(sheet)).toBeGreaterThan(0);
    expect(h.cell(sheet, cellAddress(PLAN_STATUS_CELL.row, PLAN_STATUS_CELL.col)).value).toBe(locale === 'en' ? 'Draft' : '草稿');
  });

  it('keeps the number of round trips (nearly) independent of the number of rows', async () => {
    const counts: number[] = [];
    for (const customers of [40, 400]) {
      const h = make([transactions(customers, HEADERS.en)]);
      const summary = await generatePlan(h.planner, { source: { kind: 'table', name: 'Tx' }, options: { budget: 50_000, unit: 1 }, locale: 'en', ...PRODUCT });
      counts.push(summary.syncs);
    }
    // Sheets: one call per block whatever its rows; Excel: requests are cut by size (4 MB), so a syncs or two more.
    if (name.startsWith('Google')) expect(counts[1]).toBe(counts[0]);
    else expect(counts[1]).toBeLessThanOrEqual(counts[0] + 2);
  });

  it('Track Variance writes the comparison with its status rules; Approve stamps, protects and supersedes', async () => {
    const h = make([transactions(12, HEADERS.en), actuals()]);
    const first = await generatePlan(h.planner, { source: { kind: 'table', name: 'Tx' }, options: { budget: 1_000, unit: 1 }, locale: 'en', ...PRODUCT });
    const variance = await trackVariance(h.planner, { actuals: { kind: 'table', name: 'Actuals' }, locale: 'en', ...PRODUCT });
    expect(variance.counts.unplanned).toBe(1);
    expect(h.ruleCount(variance.sheetName)).toBeGreaterThanOrEqual(5);
    expect(h.cell(variance.sheetName, 'E13').formula ?? h.cell(variance.sheetName, 'E14').formula).toMatch(/^=/);

    const approved = await approvePlan(h.planner, { sheetName: first.sheetName, approver: h.kind === 'excel' ? 'Wang Fang' : undefined, locale: 'en', ...PRODUCT });
    expect(approved.approver).toBe(h.kind === 'excel' ? 'Wang Fang' : 'approver@example.com');
    expect(h.protection(first.sheetName)).toBe(h.kind === 'excel' ? 'full' : 'warning');
    const second = await generatePlan(h.planner, { source: { kind: 'table', name: 'Tx' }, options: { budget: 1_200, unit: 1 }, locale: 'en', ...PRODUCT });
    const again = await approvePlan(h.planner, { sheetName: second.sheetName, approver: 'Li Lei', locale: 'en', protection: 'full', ...PRODUCT });
    expect(again.superseded).toEqual([first.sheetName]);
    expect(await listPlanSheets(h.planner)).toEqual([
      { sheetName: first.sheetName, status: 'superseded' },
      { sheetName: second.sheetName, status: 'approved' },
    ]);
    expect(h.protection(second.sheetName)).toBe('full');
    // Log: two plans, a variance run and two approvals.
    const log = await h.planner.readSource({ kind: 'table', name: 'CBP_Log' });
    expect(log.rows.length - 1).toBe(5);
  });

  it('approving an approved or superseded plan says so and changes nothing; Track Variance compares with the approved plan', async () => {
    const h = make([transactions(12, HEADERS.en), actuals()]);
    const first = await generatePlan(h.planner, { source: { kind: 'table', name: 'Tx' }, options: { budget: 1_000, unit: 1 }, locale: 'en', ...PRODUCT });
    await approvePlan(h.planner, { sheetName: first.sheetName, approver: 'Wang Fang', locale: 'en', ...PRODUCT });
    const second = await generatePlan(h.planner, { source: { kind: 'table', name: 'Tx' }, options: { budget: 1_200, unit: 1 }, locale: 'en', ...PRODUCT });
    expect(second.sheetName).not.toBe(first.sheetName);
    const before = h.snapshot();
    await expect(approvePlan(h.planner, { sheetName: first.sheetName, approver: 'Li Lei', locale: 'en', ...PRODUCT })).rejects.toThrow(/Approved/);
    await expect(approvePlan(h.planner, { sheetName: first.sheetName, approver: '李雷', locale: 'zh-CN', ...PRODUCT })).rejects.toThrow(/只有草稿方案可以批准/);
    expect(h.snapshot()).toBe(before);
    // The newest plan is a draft: by default the comparison is with the approved one, and says so.
    const byDefault = await trackVariance(h.planner, { actuals: { kind: 'table', name: 'Actuals' }, locale: 'en', ...PRODUCT });
    expect(byDefault.planSheet).toBe(first.sheetName);
    const chosen = await trackVariance(h.planner, { planSheet: second.sheetName, actuals: { kind: 'table', name: 'Actuals' }, locale: 'en', ...PRODUCT });
    expect(chosen.planSheet).toBe(second.sheetName);
    // Once the newer plan is approved the older one is superseded and no longer the default.
    await approvePlan(h.planner, { sheetName: second.sheetName, approver: 'Li Lei', locale: 'en', ...PRODUCT });
    const after = await trackVariance(h.planner, { actuals: { kind: 'table', name: 'Actuals' }, locale: 'en', ...PRODUCT });
    expect(after.planSheet).toBe(second.sheetName);
    await expect(approvePlan(h.planner, { sheetName: first.sheetName, approver: 'Li Lei', locale: 'en', ...PRODUCT })).rejects.toThrow(/Superseded/);
  });

  it('a failure in the middle of a write leaves nothing behind', async () => {
    const h = make([transactions(30, HEADERS.en)]);
    await generatePlan(h.planner, { source: { kind: 'table', name: 'Tx' }, options: { budget: 1_000, unit: 1 }, locale: 'en', ...PRODUCT });
    const before = h.snapshot();
    // Measure a whole second run's round trips on a copy, then fail half way through the write.
    const probe = make([transactions(30, HEADERS.en)]);
    await generatePlan(probe.planner, { source: { kind: 'table', name: 'Tx' }, options: { budget: 1_000, unit: 1 }, locale: 'en', ...PRODUCT });
    const start = probe.calls();
    await generatePlan(probe.planner, { source: { kind: 'table', name: 'Tx' }, options: { budget: 1_000, unit: 1 }, locale: 'en', ...PRODUCT });
    const whole = probe.calls() - start;
    h.failAt(Math.max(2, Math.floor(whole * 0.7)));
    await expect(generatePlan(h.planner, { source: { kind: 'table', name: 'Tx' }, options: { budget: 1_000, unit: 1 }, locale: 'en', ...PRODUCT })).rejects.toThrow();
    expect(h.snapshot()).toBe(before);
  });

  it.each(['en', 'zh-CN'] as const)('an infeasible budget scenario (%s) is reported with its reason; the plan and the other scenarios are written', async (locale) => {
    const h = make([transactions(20, HEADERS.en)]);
    // Floors of 450 on 20 customers: 9,000, more than 80 % of 10,000 leaves to distribute.
    const summary = await generatePlan(h.planner, { source: { kind: 'table', name: 'Tx' }, options: { budget: 10_000, unit: 1, floor: 450 }, scenarios: [0.8, 1, 1.1], locale, ...PRODUCT });
    const reason = locale === 'en' ? 'The floors add up to 9000.00, more than the 8000.00 this budget leaves to distribute; lower the floors or raise the budget.' : '每客户下限合计 9000.00，超过该预算可分配的 8000.00；请降低下限或提高预算。';
    expect(summary.infeasibleScenarios).toEqual([{ multiplier: 0.8, budgetMinor: 800_000, reason }]);
    expect(summary.allocatedMinor).toBe(1_000_000);
    const sheet = summary.scenarioSheetName!;
    expect(h.sheetNames()).toEqual(['Transactions', summary.sheetName, sheet, locale === 'en' ? 'CBP Log' : '运行日志']);
    // The Scenarios table: 100 % and 110 % only, allocated in full (no caps).
    const table = await h.planner.readSource({ kind: 'table', name: 'CBP_Scenarios' }, { locale });
    expect(table.rows[0].slice(2)).toEqual(locale === 'en' ? ['Budget 100%', 'Budget 110%'] : ['预算 100%', '预算 110%']);
    const totals = table.rows.slice(1).reduce<number[]>((sum, row) => [sum[0] + Number(row[2]), sum[1] + Number(row[3])], [0, 0]);
    expect(totals).toEqual([10_000, 11_000]);
    // The infeasible row, found by its label in column A.
    let row = 0;
    while (row < 80 && h.cell(sheet, `A${row + 1}`).value !== (locale === 'en' ? 'Budget 80%' : '预算 80%')) row++;
    expect([h.cell(sheet, `C${row + 1}`).value, h.cell(sheet, `D${row + 1}`).value, h.cell(sheet, `E${row + 1}`).value]).toEqual([8_000, locale === 'en' ? 'Infeasible' : '不可行', reason]);
  });

  it('previews a source: headers, recognised columns, the mapping, parsed rows and the rows it would reject', async () => {
    const sheet = transactions(6, ['Kunde', 'Datum', 'Betrag', 'Notiz']);
    sheet.rows.splice(1, 0, ['C9999', 'not a date', 10], ['C9998', { day: epochDaysFromCivil(2025, 3, 4) }, 'abc']);
    const h = make([sheet]);
    const unmapped = await previewSource(h.planner, { source: { kind: 'table', name: 'Tx' }, locale: 'en' });
    expect(unmapped.headers).toEqual(['Kunde', 'Datum', 'Betrag', 'Notiz']);
    expect(unmapped.columns).toEqual({});
    expect(unmapped.missing).toEqual(['customer', 'date', 'amount']);
    expect(unmapped.rows).toEqual([]);
    const mapped = await previewSource(h.planner, { source: { kind: 'table', name: 'Tx' }, columns: { customer: 'Kunde', date: 'Datum', amount: 2 }, rows: 3, locale: 'en' });
    expect(mapped.columns).toEqual({ customer: 0, date: 1, amount: 2 });
    expect(mapped.missing).toEqual([]);
    expect(mapped.totalRows).toBe(sheet.rows.length);
    expect(mapped.rows[0]).toEqual({ row: 2, customer: sheet.rows[0][0], date: '2025-01-01', amountMinor: (sheet.rows[0][2] as number) * 100 });
    expect(mapped.minorDigits).toBe(2);
    expect(mapped.rows.map((r) => r.row)).toEqual([2, 5, 6]);
    expect(mapped.rejected.map((r) => r.row)).toEqual([3, 4]);
    expect(mapped.rejected[0].message).toMatch(/date/i);
    expect(mapped.rejected[1].message).toMatch(/amount|number/i);
    // Recognised headers are preselected; one column mapped to two roles is an error, not a guess.
    const recognised = make([transactions(3, ['Customer', 'Order Date', 'Revenue'])]);
    expect((await previewSource(recognised.planner, { source: { kind: 'table', name: 'Tx' }, locale: 'en' })).columns).toEqual({ customer: 0, date: 1, amount: 2 });
    const twice = await previewSource(recognised.planner, { source: { kind: 'table', name: 'Tx' }, columns: { customer: 0, amount: 0 }, locale: 'en' });
    expect(twice.columnError).toBe('Column “Customer” is mapped to both customer and amount: choose a different column for one of them.');
    // A large source: the preview reads its first rows only, and still counts them all.
    const largeSheet = transactions(1_200, ['Customer', 'Order Date', 'Revenue']);
    const large = make([largeSheet]);
    const reads: number[] = [];
    const readSource = large.planner.readSource;
    large.planner.readSource = (source, options) => {
      reads.push(options?.maxRows ?? Infinity);
      return readSource(source, options);
    };
    const largePreview = await previewSource(large.planner, { source: { kind: 'table', name: 'Tx' }, locale: 'en' });
    expect(reads).toEqual([PREVIEW_READ_ROWS]);
    expect(largePreview.totalRows).toBe(largeSheet.rows.length);
    expect(largeSheet.rows.length).toBeGreaterThan(PREVIEW_READ_ROWS);
    expect(largePreview.rows).toHaveLength(5);
    // Generate Plan reads the same mapping.
    const plan = await generatePlan(h.planner, { source: { kind: 'table', name: 'Tx' }, reading: { columns: { customer: 'Kunde', date: 'Datum', amount: 2 }, skipInvalid: true }, options: { budget: 1_000, unit: 1 }, locale: 'en', ...PRODUCT });
    expect(plan.customers).toBe(6);
    expect((await loadSettings(h.planner)).plan?.columns).toEqual({ customer: 'Kunde', date: 'Datum', amount: 2 });
    // Track Variance reads the actual spend with a mapping too, and remembers it.
    const spend = actuals();
    spend.header = ['Kunde', 'Tag', 'Ausgabe'];
    const v = make([transactions(12, HEADERS.en), spend]);
    await generatePlan(v.planner, { source: { kind: 'table', name: 'Tx' }, options: { budget: 1_000, unit: 1 }, locale: 'en', ...PRODUCT });
    const columns = { customer: 'Kunde', date: 'Tag', amount: 'Ausgabe' };
    await expect(trackVariance(v.planner, { actuals: { kind: 'table', name: 'Actuals' }, locale: 'en', ...PRODUCT })).rejects.toThrow(/customer/);
    const mappedVariance = await trackVariance(v.planner, { actuals: { kind: 'table', name: 'Actuals' }, columns, locale: 'en', ...PRODUCT });
    expect(mappedVariance.counts.unplanned).toBe(1);
    expect((await loadSettings(v.planner)).variance?.columns).toEqual(columns);
  });

  it('remembers the settings of the last runs', async () => {
    const h = make([transactions(10, HEADERS.en), actuals()]);
    expect(await loadSettings(h.planner)).toEqual({});
    await generatePlan(h.planner, { source: { kind: 'table', name: 'Tx' }, options: { budget: 2_000, reserve: 0.05, method: 'equal', unit: 1 }, locale: 'en', ...PRODUCT });
    await trackVariance(h.planner, { actuals: { kind: 'table', name: 'Actuals' }, locale: 'en', ...PRODUCT });
    const settings = await loadSettings(h.planner);
    expect(settings.plan).toEqual({ source: { kind: 'table', name: 'Tx' }, options: { budget: 2_000, reserve: 0.05, method: 'equal', unit: 1 } });
    expect(settings.variance?.actuals).toEqual({ kind: 'table', name: 'Actuals' });
    expect(JSON.parse(h.storedSettings() ?? '{}')).toEqual(settings);
  });
});

describe('cancelling Generate Plan (Excel fake)', () => {
  const excel = HOSTS[0];
  const request = { source: { kind: 'table' as const, name: 'Tx' }, options: { budget: 10_000, unit: 1 }, locale: 'en' as const, ...PRODUCT };

  it.each(['read', 'write'] as const)('cancelled mid-%s: a clean cancellation, the workbook exactly as before, progress monotonic', async (phase) => {
    const h = excel.make([transactions(400, HEADERS.en)]);
    const before = h.snapshot();
    const controller = new AbortController();
    const seen: [string, number, number][] = [];
    const run = generatePlan(h.planner, request, (p, done, total) => {
      seen.push([p, done, total]);
      if (p === phase) controller.abort();
    }, controller.signal);
    await expect(run).rejects.toBeInstanceOf(RunCancelledError);
    await expect(run).rejects.toThrow('The run was cancelled. Everything it had written was removed; the workbook is as it was.');
    expect(h.snapshot()).toBe(before);
    // Stopped at the first chunk of the phase: one report of it, short of its total.
    const ofPhase = seen.filter(([p]) => p === phase);
    expect(ofPhase).toHaveLength(1);
    expect(ofPhase[0][1]).toBeLessThan(ofPhase[0][2]);
    if (phase === 'write') expect(seen.filter(([p]) => p === 'read').map(([, done, total]) => done === total).pop()).toBe(true);
  });

  it('reports read, compute then write progress, each monotonic and ending at its total', async () => {
    const sheet = transactions(400, HEADERS.en);
    const h = excel.make([sheet]);
    const seen: [string, number, number][] = [];
    await generatePlan(h.planner, request, (p, done, total) => seen.push([p, done, total]), new AbortController().signal);
    const phases = seen.map(([p]) => p);
    // One compute report, between the last read and the first write, counting the data rows.
    expect(seen.filter(([p]) => p === 'compute')).toEqual([['compute', 0, sheet.rows.length]]);
    expect(phases.indexOf('compute')).toBe(phases.lastIndexOf('read') + 1);
    expect(phases.indexOf('write')).toBe(phases.indexOf('compute') + 1);
    for (const phase of ['read', 'write']) {
      const counts = seen.filter(([p]) => p === phase);
      expect(counts.length).toBeGreaterThan(1);
      counts.forEach(([, done, total], k) => {
        expect(total).toBe(counts[0][2]);
        if (k > 0) expect(done).toBeGreaterThan(counts[k - 1][1]);
      });
      expect(counts[counts.length - 1][1]).toBe(counts[0][2]);
    }
  });
});
