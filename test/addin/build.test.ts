/**
 * The production build end to end: `webpack --mode production` into a temporary folder with a
 * production URL, then the files Excel will load are checked as Excel would read them. Also
 * holds the bundle-size budget. Takes about 10 s on the 2-core project machine.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { generateCustomFunctionsMetadata } from 'custom-functions-metadata';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { checkManifest } = require('../../scripts/lib/manifest-check') as {
  checkManifest(xml: string): { errors: string[]; facts: { runtimeUrl: string; functionsMetadataOverrides: { locale: string; value: string }[]; urls: { url: string }[] } };
};

const ROOT = path.resolve(__dirname, '../..');
const PROD_URL = 'https://addins.contoso.cn/cbp/';
const IDS = ['RFM', 'RFMSCORE', 'CLV', 'ALLOCATE', 'SEGMENT', 'VARIANCE'];
/** Budgets in bytes, minified: the functions load with the workbook, the task pane when it opens. */
const MAX_FUNCTIONS_JS = 200 * 1024;
const MAX_TASKPANE_JS = 1024 * 1024;

let out: string;
let buildOutput: string;

beforeAll(() => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'cbp-addin-build-'));
  const webpackCli = require.resolve('webpack-cli/bin/cli.js', { paths: [ROOT] });
  const run = spawnSync(process.execPath, [webpackCli, '--mode', 'production'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CBP_ADDIN_OUTPUT_DIR: out, CBP_ADDIN_URL: PROD_URL },
    timeout: 120_000,
  });
  buildOutput = `${run.stdout}\n${run.stderr}`;
  expect(run.status).toBe(0);
}, 150_000);

afterAll(() => {
  if (out) fs.rmSync(out, { recursive: true, force: true });
});

const read = (name: string) => fs.readFileSync(path.join(out, name), 'utf8');

test('the build succeeds without errors and writes every file the manifest names', () => {
  expect(buildOutput).toContain('compiled successfully');
  for (const name of ['taskpane.html', 'taskpane.js', 'functions.js', 'functions.json', 'functions.zh-CN.json', 'help.html', 'manifest.prod.xml', 'assets/icon-16.png', 'assets/icon-32.png', 'assets/icon-64.png', 'assets/icon-80.png']) {
    expect(fs.existsSync(path.join(out, name))).toBe(true);
  }
});

test('manifest.prod.xml: valid, every URL on the production host, and each one names a built file', () => {
  const manifest = read('manifest.prod.xml');
  const { errors, facts } = checkManifest(manifest);
  expect(errors).toEqual([]);
  expect(manifest).not.toContain('https://localhost');
  expect(facts.runtimeUrl).toBe(`${PROD_URL}taskpane.html`);
  expect(facts.functionsMetadataOverrides).toEqual([{ locale: 'zh-CN', value: `${PROD_URL}functions.zh-CN.json` }]);
  expect(facts.urls.length).toBeGreaterThanOrEqual(10);
  for (const { url } of facts.urls) expect(fs.existsSync(path.join(out, url.slice(PROD_URL.length).split('#')[0]))).toBe(true);
});

test('taskpane.html is the shared runtime page: Office.js from the CDN first, then both bundles by relative URL', () => {
  const html = read('taskpane.html');
  const scripts = [...html.matchAll(/<script[^>]*src=["']?([^"' >]+)/g)].map((m) => m[1]);
  expect(scripts).toEqual(['https://appsforoffice.microsoft.com/lib/1/hosted/office.js', 'functions.js', 'taskpane.js']);
});

test('functions.js registers every function; functions.json equals the metadata generated from the JSDoc, with production help links', async () => {
  const js = read('functions.js');
  for (const id of IDS) expect(js).toContain(`CustomFunctions.associate("${id}"`);
  const built = JSON.parse(read('functions.json'));
  const generated = await generateCustomFunctionsMetadata([path.join(ROOT, 'src/functions/functions.ts')], false);
  expect(built).toEqual(JSON.parse(generated.metadataJson.split('https://localhost:3000/').join(PROD_URL)));
  const chinese = JSON.parse(read('functions.zh-CN.json'));
  expect(chinese.functions.map((f: { id: string }) => f.id)).toEqual(IDS);
  expect(chinese.functions[3].name).toBe('预算分配');
  expect(chinese.functions[0].helpUrl).toBe(`${PROD_URL}help.html#rfm`);
  expect(read('help.html')).not.toContain('localhost');
});

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string, prefix = ''): string[] {
  return fs.readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(prefix, entry.name);
    return entry.isDirectory() ? filesUnder(dir, relative) : [relative];
  });
}

test('no file of the production build names localhost: bundles, source maps, metadata, help and manifest point at the production origin', () => {
  const files = filesUnder(out);
  expect(files).toEqual(expect.arrayContaining(['functions.js', 'functions.js.map', 'taskpane.js', 'functions.json', 'functions.zh-CN.json', 'help.html', 'manifest.prod.xml']));
  expect(files.filter((name) => /localhost/i.test(fs.readFileSync(path.join(out, name)).toString('latin1')))).toEqual([]);
  // The help links in the source maps' copy of functions.ts now name the production origin too.
  expect(read('functions.js.map')).toContain(`@helpurl ${PROD_URL}help.html#rfm`);
  expect(JSON.parse(read('functions.json')).functions.every((f: { helpUrl: string }) => f.helpUrl.startsWith(PROD_URL))).toBe(true);
});

test('bundle sizes stay within budget', () => {
  const size = (name: string) => fs.statSync(path.join(out, name)).size;
  expect(size('functions.js')).toBeLessThan(MAX_FUNCTIONS_JS);
  expect(size('taskpane.js')).toBeLessThan(MAX_TASKPANE_JS);
});
