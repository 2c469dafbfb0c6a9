/**
 * The built Sheets sidebar (dist/sheets/Sidebar.html, one self-contained file) in headless
 * Chromium at the sidebar's 300 px, with google.script.run stubbed: each server call goes to the
 * real server functions (src/hosts/sheets/server.ts) in Node, over the Apps Script fake. Drives a
 * whole Generate Plan, then Approve, through the UI and saves a screenshot to /tmp/sidebar.png.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, chromium } from 'playwright-core';
import webpack from 'webpack';
import * as server from '../../src/hosts/sheets/server';
import { setAppsScriptServices } from '../../src/hosts/sheets/services';
import { epochDaysFromCivil } from '../../src/engine/dates';
import { FakeAppsScript, FakeNamedRange, FakeSheetsValue } from '../hosts/fake-sheets';
import { serveFolder } from './server';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = join(__dirname, '..', '..');
const outDir = mkdtempSync(join(tmpdir(), 'cbp-sidebar-'));
let browser: Browser;
let site: { url: string; close: () => Promise<void> };

async function buildSidebar(): Promise<void> {
  process.env.CBP_SIDEBAR_OUTPUT_DIR = outDir;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const config = require(join(ROOT, 'webpack.sidebar.config.js')) as (env: unknown, options: { mode: string }) => webpack.Configuration;
  const compiler = webpack({ ...config({}, { mode: 'development' }), infrastructureLogging: { level: 'error' } });
  await new Promise<void>((done, fail) =>
    compiler.run((error, stats) => {
      compiler.close(() => undefined);
      if (error) return fail(error);
      if (stats?.hasErrors()) return fail(new Error(stats.toString({ all: false, errors: true })));
      done();
    }),
  );
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium to run the sidebar browser test`);
  await buildSidebar();
  site = await serveFolder(outDir);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
}, 120_000);

afterAll(async () => {
  setAppsScriptServices(undefined);
  await browser?.close();
  await site?.close();
  rmSync(outDir, { recursive: true, force: true });
});

function spreadsheet(): FakeAppsScript {
  const fake = new FakeAppsScript({ timeZone: 'Asia/Shanghai', sheets: [] });
  const values: FakeSheetsValue[][] = [['客户', '日期', '金额']];
  for (let i = 0; i < 60; i++) for (let k = 0; k <= i % 3; k++) values.push([i === 0 ? '=1+1' : `C${i}`, fake.dateOf(epochDaysFromCivil(2025, 1 + ((i + k) % 12), 1 + (i % 28)) + 25569), 100 + ((i * 13 + k) % 200)]);
  const sheet = fake.spreadsheet.addSheetQuietly('Data');
  sheet.load(values);
  fake.spreadsheet.namedRanges.push(new FakeNamedRange(fake, 'Sales', sheet.rangeOfA1(`A1:C${values.length}`)));
  return fake;
}

/** google.script.run in the page: every server call goes to window.cbpServer (exposed by the test, run in Node). */
const STUB = () => {
    type Handler = ((value: unknown) => void) | undefined;
    const runner = (success: Handler, failure: Handler): unknown =>
      new Proxy(
        {},
        {
          get: (_target, name: string) => {
            if (name === 'withSuccessHandler') return (f: Handler) => runner(f, failure);
            if (name === 'withFailureHandler') return (f: Handler) => runner(success, f);
            return (...args: unknown[]) =>
              (window as unknown as { cbpServer: (n: string, a: unknown[]) => Promise<unknown> }).cbpServer(name, args).then(
                (value) => success?.(value),
                (error: Error) => failure?.(error),
              );
          },
        },
      );
    (window as unknown as { google: unknown }).google = { script: { run: runner(undefined, undefined) } };
  };

test('Sidebar.html is one self-contained file', () => {
  const html = readFileSync(join(outDir, 'Sidebar.html'), 'utf8');
  expect(html).toContain('<div id="container">');
  expect(html).not.toMatch(/<script[^>]+src=/);
  expect(html.length).toBeGreaterThan(100_000); // the bundle is inline
});

test('a whole Generate Plan, then Approve, through the sidebar, over google.script.run', async () => {
  const fake = spreadsheet();
  setAppsScriptServices(fake.services());
  const page = await browser.newPage({ viewport: { width: 300, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const calls: string[] = [];
  await page.exposeFunction('cbpServer', (name: string, args: unknown[]) => {
    calls.push(name);
    const fn = (server as unknown as Record<string, (...a: unknown[]) => unknown>)[name];
    // What google.script.run does: JSON-like arguments in, the plain result back.
    return JSON.parse(JSON.stringify(fn(...(JSON.parse(JSON.stringify(args)) as unknown[])) ?? null));
  });
  await page.addInitScript(STUB);
  await page.goto(`${site.url}Sidebar.html`);
  await page.locator('[data-field="source"] option[value="table:Sales"]').waitFor({ state: 'attached', timeout: 20_000 });
  await page.locator('[data-field="source"]').selectOption('table:Sales');
  await page.locator('[data-field="budget"]').fill('10000');
  await page.getByTestId('generate').click();
  const success = page.getByTestId('plan-success');
  await success.waitFor({ timeout: 30_000 });
  await expect(success.textContent()).resolves.toContain('Budget 10,000.00 = allocated 9,500.00 + reserve 500.00 + unallocated 0.00');
  expect(errors).toEqual([]);
  expect(calls).toEqual(expect.arrayContaining(['listSources', 'generatePlan']));
  expect(fake.spreadsheet.sheets.map((s) => s.name)).toEqual(['Data', 'Budget Plan', 'CBP Log']);
  expect(fake.spreadsheet.namedRanges.map((n) => n.name)).toEqual(expect.arrayContaining(['CBP_Plan', 'CBP_Log']));
  // Approve it from the sidebar: the approver is the signed-in account, the protection warning-only.
  await page.getByRole('tab', { name: 'Approve' }).click();
  await page.locator('[data-field="approveSheet"] option[value="Budget Plan"]').waitFor({ state: 'attached' });
  await page.getByTestId('approve').click();
  const approved = page.getByTestId('approve-success');
  await approved.waitFor({ timeout: 20_000 });
  await expect(approved.textContent()).resolves.toContain('Plan on sheet “Budget Plan” approved by approver@example.com');
  expect(fake.sheet('Budget Plan').protections.map((p) => p.warningOnly)).toEqual([true]);
  // Nothing in the 300 px sidebar is wider than the sidebar.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(300);
  await page.screenshot({ path: '/tmp/sidebar.png', fullPage: true });
  await page.close();
  // Opened again, the sidebar starts from the last plan's settings (loadSettings).
  const again = await browser.newPage({ viewport: { width: 300, height: 900 } });
  await again.exposeFunction('cbpServer', (name: string, args: unknown[]) => JSON.parse(JSON.stringify((server as unknown as Record<string, (...a: unknown[]) => unknown>)[name](...args) ?? null)));
  await again.addInitScript(STUB);
  await again.goto(`${site.url}Sidebar.html`);
  await again.waitForFunction(() => (document.querySelector('[data-field="budget"]') as HTMLInputElement | null)?.value === '10000', undefined, { timeout: 20_000 });
  expect(await again.locator('[data-field="budget"]').inputValue()).toBe('10000');
  expect(await again.locator('[data-field="source"]').inputValue()).toBe('table:Sales');
  await again.close();
});
