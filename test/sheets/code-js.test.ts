/**
 * The Google Sheets edition as Apps Script runs it: dist/sheets/Code.js built by webpack, loaded in
 * a bare Node vm context (only the globals Apps Script has), its top-level custom functions called
 * with arguments shaped as Sheets hands them over (Date objects at midnight in the spreadsheet's
 * time zone, "" for blank cells, undefined for omitted arguments, scalars for single cells), and
 * every result compared cell for cell with CBP.* of Excel on the same data, plus hand-checked values.
 *
 * Google's runtime cannot run here: the vm context is the stand-in, as strict as the real one in
 * what it leaves out (no require, process, timers, TextDecoder, DOM).
 */
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { installCustomFunctionsStub, thrownError } from '../functions/helpers/custom-functions-stub';
import { parseCsv } from '../../src/cli/csv';
import { epochDaysFromCivil, excelSerialFromEpochDays } from '../../src/engine/dates';
import { buildSheetsProject, loadCodeJs, SheetsScript } from './apps-script-vm';

installCustomFunctionsStub();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const excel = require('../../src/functions/functions') as typeof import('../../src/functions/functions');

jest.setTimeout(180_000);

const FUNCTION_NAMES = ['RFM', 'RFMSCORE', 'CLV', 'ALLOCATE', 'SEGMENT', 'VARIANCE'];
const SERVER_NAMES = ['onOpen', 'showSidebar', 'listSources', 'generatePlan', 'trackVariance', 'approvePlan', 'loadSettings'];

/** Spreadsheet time zones from UTC-12 to UTC+14, half-hour offsets and DST zones among them. */
const TIME_ZONES = ['Etc/GMT+12', 'America/Los_Angeles', 'America/New_York', 'Europe/London', 'Etc/UTC', 'Asia/Kolkata', 'Asia/Shanghai', 'Australia/Lord_Howe', 'Pacific/Kiritimati'];

let buildDir: string;
let code: string;
const scripts = new Map<string, SheetsScript>();

beforeAll(() => {
  buildDir = buildSheetsProject();
  code = fs.readFileSync(path.join(buildDir, 'Code.js'), 'utf8');
});

afterAll(() => {
  if (buildDir) fs.rmSync(buildDir, { recursive: true, force: true });
});

/** Code.js of a spreadsheet with this zone and locale (loaded once per pair). */
function sheet(timeZone: string, locale = 'en_US'): SheetsScript {
  const key = `${timeZone}|${locale}`;
  if (!scripts.has(key)) scripts.set(key, loadCodeJs(code, { timeZone, locale }));
  return scripts.get(key)!;
}

/** The part of Code.js after webpack's closure: the top-level declarations Apps Script sees. */
function topLevel(): string {
  const end = code.lastIndexOf('\n/******/ })()');
  expect(end).toBeGreaterThan(0);
  return code.slice(end);
}

/** A result of the vm's realm as plain data of this realm. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

const col = (values: unknown[]): unknown[][] => values.map((v) => [v]);

function serialOf(isoDay: string): number {
  const [y, m, d] = isoDay.split('-').map(Number);
  return excelSerialFromEpochDays(epochDaysFromCivil(y, m, d));
}

/** The message Sheets shows under #ERROR!: what the function threw. */
function sheetsError(call: () => unknown): Error {
  try {
    call();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the custom function to throw, but it returned');
}

/** A call's result, or the message of its error (a thrown Error in Sheets, a CustomFunctions.Error in Excel). */
function outcome(call: () => unknown): unknown {
  try {
    return plain(call());
  } catch (error) {
    return { error: (error as { message?: string }).message };
  }
}

/** Runs Excel's function with Office's display language set as in a Chinese Excel. */
function inExcelLanguage<T>(language: string, call: () => T): T {
  const holder = globalThis as { Office?: unknown };
  holder.Office = { context: { displayLanguage: language } };
  try {
    return call();
  } finally {
    delete holder.Office;
  }
}

describe('npm run build:sheets: the Apps Script project', () => {
  test('appsscript.json: V8 and the narrowest scopes of a container-bound script (this spreadsheet, the menu and sidebar)', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(buildDir, 'appsscript.json'), 'utf8'));
    expect(manifest.runtimeVersion).toBe('V8');
    expect(manifest.oauthScopes).toEqual(['https://www.googleapis.com/auth/spreadsheets.currentonly', 'https://www.googleapis.com/auth/script.container.ui']);
  });

  test('each custom function is a top-level declaration with @customfunction and one @param per argument of its Excel metadata', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { generateCustomFunctionsMetadata } = require('custom-functions-metadata') as {
      generateCustomFunctionsMetadata: (files: string[], strict: boolean) => Promise<{ metadataJson: string }>;
    };
    return generateCustomFunctionsMetadata([path.resolve(__dirname, '../../src/functions/functions.ts')], false).then(({ metadataJson }) => {
      const metadata = JSON.parse(metadataJson) as { functions: { id: string; parameters: { name: string }[] }[] };
      expect(metadata.functions.map((f) => f.id).sort()).toEqual([...FUNCTION_NAMES].sort());
      for (const fn of metadata.functions) {
        const names = fn.parameters.map((p) => p.name);
        const block = new RegExp(`/\\*\\*\\n((?: \\*.*\\n)+?) \\*/\\nfunction ${fn.id}\\(([^)]*)\\) \\{`, 'm').exec(topLevel());
        expect(block).not.toBeNull();
        const [, doc, params] = block!;
        expect(doc).toContain('@customfunction');
        expect(params.split(', ')).toEqual(names);
        const documented = [...doc.matchAll(/@param \{[^}]+\} \[?(\w+)\]?/g)].map((m) => m[1]);
        expect(documented).toEqual(names);
      }
    });
  });

  test('the server functions of the menu and the sidebar are top-level declarations too', () => {
    for (const name of SERVER_NAMES) expect(topLevel()).toMatch(new RegExp(`^function ${name}\\(`, 'm'));
    for (const name of [...FUNCTION_NAMES, ...SERVER_NAMES]) expect(typeof sheet('Etc/UTC').context[name]).toBe('function');
  });

  test('Code.js is plain script for V8: no require, no import, no DOM, no Node globals', () => {
    expect(code).not.toMatch(/\brequire\(|^\s*import\s|\bimport\(|\bdocument\.|\bwindow\.|\bprocess\.|\bsetTimeout\(|\bTextDecoder\b|\bBuffer\./m);
  });
});

describe('dates: a date cell is the same purchase day in every spreadsheet time zone', () => {
  // The worked example of docs/excel-addin.md (test/functions/rfm.test.ts checks it by hand).
  const customers = ['A', 'A', 'B', 'C', 'C', 'C'];
  const days = ['2024-12-01', '2024-12-20', '2024-06-15', '2024-11-30', '2024-12-10', '2024-12-31'];
  const amounts = [100, 50, 300, 20, 20, 20];
  const EXPECTED = [
    ['customer', 'recency (as of 2024-12-31)', 'frequency', 'monetary', 'r_score', 'f_score', 'm_score', 'rfm_code', 'score', 'segment'],
    ['A', 11, 2, 150, 2, 2, 2, '222', 2, 'Loyal Customers'],
    ['B', 199, 1, 300, 1, 1, 4, '114', 2, 'Lost'],
    ['C', 0, 3, 60, 4, 4, 1, '441', 3, 'Others'],
  ];

  test('2025-01-31 arrives as 2025-01-30T16:00Z in Asia/Shanghai and as 2025-01-31T08:00Z in America/Los_Angeles; the day is 2025-01-31 in both', () => {
    const shanghai = sheet('Asia/Shanghai').dateCell('2025-01-31');
    const losAngeles = sheet('America/Los_Angeles').dateCell('2025-01-31');
    expect(shanghai.toISOString()).toBe('2025-01-30T16:00:00.000Z');
    expect(losAngeles.toISOString()).toBe('2025-01-31T08:00:00.000Z');
    for (const [zone, cell] of [
      ['Asia/Shanghai', shanghai],
      ['America/Los_Angeles', losAngeles],
    ] as const) {
      const table = plain(sheet(zone).call('RFM', [['A']], [[cell]], [[10]], undefined, undefined, undefined, undefined, undefined)) as unknown[][];
      expect(table[0][1]).toBe('recency (as of 2025-01-31)');
    }
  });

  test.each(TIME_ZONES)('the documented RFM example with date cells of a %s spreadsheet', (zone) => {
    const script = sheet(zone);
    const dateCells = days.map((d) => [script.dateCell(d)]);
    expect(plain(script.call('RFM', col(customers), dateCells, col(amounts)))).toEqual(EXPECTED);
  });

  test.each([
    ['America/New_York', ['2025-03-09', '2025-03-08', '2025-11-02', '2025-11-01']],
    ['Europe/London', ['2025-03-30', '2025-03-29', '2025-10-26', '2025-10-25']],
    ['Australia/Lord_Howe', ['2025-04-06', '2025-04-05', '2025-10-05', '2025-10-04']],
  ])('days on which %s changes its clocks are read as those days', (zone, dstDays) => {
    const script = sheet(zone);
    const as = ['A', 'B', 'C', 'D'];
    const table = plain(script.call('RFM', col(as), dstDays.map((d) => [script.dateCell(d)]), col([1, 2, 3, 4]), script.dateCell('2025-12-31'))) as unknown[][];
    const latest = new Date(Date.UTC(2025, 11, 31)).getTime();
    const recency = (d: string) => (latest - new Date(`${d}T00:00:00Z`).getTime()) / 86_400_000;
    expect(table.slice(1).map((r) => [r[0], r[1]])).toEqual(as.map((c, i) => [c, recency(dstDays[i])]));
  });

  test('property: RFM on date cells of any zone equals CBP.RFM in Excel on the serials of the same days', () => {
    const day = fc.integer({ min: epochDaysFromCivil(1990, 1, 1), max: epochDaysFromCivil(2045, 12, 31) }).map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10));
    const row = fc.record({ customer: fc.constantFrom('甲', 'B', 'C-1', 'D'), day, cents: fc.integer({ min: -5_000, max: 500_000 }) });
    fc.assert(
      fc.property(fc.constantFrom(...TIME_ZONES), fc.array(row, { minLength: 1, maxLength: 40 }), (zone, rows) => {
        const script = sheet(zone);
        const customers = col(rows.map((r) => r.customer));
        const amounts = col(rows.map((r) => r.cents / 100));
        const sheets = outcome(() => script.call('RFM', customers, rows.map((r) => [script.dateCell(r.day)]), amounts));
        const inExcel = outcome(() => excel.RFM(customers, col(rows.map((r) => serialOf(r.day))), amounts, null, null as never, null as never, null as never, null as never));
        expect(sheets).toEqual(inExcel);
      }),
      { numRuns: 60 },
    );
  });

  test('a date typed as text stays text and is read as Excel reads it; a date cell with a time of day keeps its day', () => {
    const script = sheet('Asia/Shanghai');
    const text = plain(script.call('RFM', [['A'], ['A']], [['2025年1月31日'], ['2025-01-01']], [[5], [5]])) as unknown[][];
    expect(text).toEqual(plain(excel.RFM([['A'], ['A']], [['2025年1月31日'], ['2025-01-01']], [[5], [5]], null, null as never, null as never, null as never, null as never)));
    expect(text[0][1]).toBe('recency (as of 2025-01-31)');
    // 2025-01-31 18:30 in Shanghai is 10:30Z; Excel passes serial day + 0.770833...
    const evening = script.dateCell('2025-01-31');
    const withTime = script.instant(evening.getTime() + 18.5 * 3600 * 1000);
    expect((plain(script.call('RFM', [['A']], [[withTime]], [[5]])) as unknown[][])[0][1]).toBe('recency (as of 2025-01-31)');
  });
});

describe('every function on the fixtures of the Excel tests equals CBP.* in Excel, cell for cell', () => {
  const fixtures = path.join(__dirname, '../fixtures');
  const orders = parseCsv(fs.readFileSync(path.join(fixtures, 'rfm/rfm_data_orders.csv'), 'utf8'));
  const column = (name: string) => orders.columns[orders.header.indexOf(name)];
  const thresholds = [
    [115, 181, 297, 482],
    [4, 5, 6, 8],
    [256, 382, 506, 666],
  ];

  test.each(['Asia/Shanghai', 'America/Los_Angeles', 'Pacific/Kiritimati', 'Etc/GMT+12'])(
    'RFM on rfm_data_orders.csv (4,906 orders, header row, whole-column blank tail) in a %s spreadsheet',
    (zone) => {
      const script = sheet(zone);
      const blankTail = Array.from({ length: 200 }, () => ['']);
      const customers = [...col(['customer_id', ...column('customer_id')]), ...blankTail];
      const amounts = [...col(['revenue', ...column('revenue')]), ...blankTail];
      const dateCells = [['order_date'], ...column('order_date').map((d) => [script.dateCell(String(d))]), ...blankTail];
      const serials = [['order_date'], ...column('order_date').map((d) => [serialOf(String(d))]), ...blankTail];
      const got = plain(script.call('RFM', customers, dateCells, amounts, script.dateCell('2006-12-31'), thresholds, undefined, 'rfm10', true)) as unknown[][];
      const want = plain(excel.RFM(customers, serials, amounts, serialOf('2006-12-31'), thresholds, null as never, 'rfm10', true));
      expect(got).toHaveLength(996);
      expect(got).toEqual(want);
    },
  );

  test('RFMSCORE: scalars (single cells) and columns', () => {
    const script = sheet('Asia/Shanghai');
    expect(plain(script.call('RFMSCORE', 11, 2, 150, thresholds, undefined))).toEqual(plain(excel.RFMSCORE([[11]], [[2]], [[150]], thresholds, null as never)));
    const r = col(['R', 11, 199, 0, '']);
    const f = col(['F', 2, 1, 3, '']);
    const m = col(['M', 150, 300, 60, '']);
    expect(plain(script.call('RFMSCORE', r, f, m, 3, [[1, 2, 1]]))).toEqual(plain(excel.RFMSCORE(r, f, m, [[3]], [[1, 2, 1]])));
  });

  test('CLV simple and retention (percentages arrive as fractions); bgnbd on the CDNOW sample with date cells', () => {
    const script = sheet('America/New_York');
    expect(plain(script.call('CLV', 'simple', 1200, 3))).toEqual([[3600]]);
    expect(plain(script.call('CLV', 'retention', col([1000, 500, '']), 0.8, 0.1, 3))).toEqual(plain(excel.CLV('retention', col([1000, 500, '']), [[0.8]], [[0.1]], [[3]])));
    const lines = fs
      .readFileSync(path.join(fixtures, 'cdnow/CDNOW_sample.txt'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/));
    const isoOf = (yyyymmdd: string) => `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
    const customers = col(['Customer', ...lines.map((l) => l[1])]);
    const amounts = col(['Amount', ...lines.map((l) => Number(l[4]))]);
    const got = plain(script.call('CLV', 'bgnbd', customers, [['Date'], ...lines.map((l) => [script.dateCell(isoOf(l[2]))])], amounts, 12, 0.01, script.dateCell('1997-09-30'))) as unknown[][];
    const want = plain(excel.CLV('bgnbd', customers, [['Date'], ...lines.map((l) => [serialOf(isoOf(l[2]))])], amounts, [[12]], 0.01, serialOf('1997-09-30')));
    expect(got).toHaveLength(2358);
    expect(got).toEqual(want);
  });

  test('ALLOCATE: reserve as a fraction, a whole-column blank tail ends the spill at the last filled row, omitted arguments as undefined', () => {
    const script = sheet('Asia/Shanghai');
    const weights = [...col(['Weight', 1, 2, 3, 4]), ...Array.from({ length: 5000 }, () => [''])];
    const got = plain(script.call('ALLOCATE', 1000, weights, undefined, undefined, undefined, 10, 0.05, undefined, undefined, undefined, undefined, undefined));
    // Reserve 5 % = 50; 950 by weight 1:2:3:4 in units of 10: 95, 190, 285, 380 -> 90, 190, 290, 380 by largest remainder.
    expect(got).toEqual([['allocation'], [90], [190], [290], [380]]);
    expect(got).toEqual(plain(excel.ALLOCATE(1000, weights, null as never, null as never, null as never, 10, 0.05)));
    expect(plain(script.call('ALLOCATE', 1000, weights, 150))).toEqual(plain(excel.ALLOCATE(1000, weights, [[150]])));
  });

  test('SEGMENT rfm8, abc, and lifecycle with date cells', () => {
    const script = sheet('Pacific/Kiritimati', 'zh_CN');
    const r = col(['R', 5, 1, 5, '', 1]);
    const f = col(['F', 5, 1, 1, '', 5]);
    const m = col(['M', 5, 1, 5, '', 1]);
    expect(plain(script.call('SEGMENT', 'rfm8', r, f, m, undefined, undefined, 'zh'))).toEqual([['segment'], ['重要价值客户'], ['一般挽留客户'], ['重要发展客户'], [''], ['一般保持客户']]);
    expect(plain(script.call('SEGMENT', 'abc', col(['Value', 500, 300, 150, 50])))).toEqual([['segment'], ['A'], ['A'], ['B'], ['C']]);
    const first = ['2024-11-15', '2023-01-10', '2024-03-01', '2022-05-01'];
    const last = ['2024-12-20', '2024-03-01', '2024-12-01', '2024-12-15'];
    const got = plain(script.call('SEGMENT', 'lifecycle', first.map((d) => [script.dateCell(d)]), last.map((d) => [script.dateCell(d)]), undefined, undefined, script.dateCell('2024-12-31')));
    expect(got).toEqual([['New'], ['Decline'], ['Growth'], ['Mature']]);
    expect(got).toEqual(plain(excel.SEGMENT('lifecycle', col(first.map(serialOf)), col(last.map(serialOf)), null as never, null as never, serialOf('2024-12-31'))));
  });

  test('VARIANCE: statuses and details, blank rows kept, a blank tail trimmed', () => {
    const script = sheet('Europe/London');
    const plan = col(['Plan', 1000, 1000, 1000, 1000, '', '', '']);
    const actual = col(['Actual', 1100, 600, 200, 480, 50, '', '']);
    const expected = col(['Expected', 1000, 500, 500, 500, '', '', '']);
    expect(plain(script.call('VARIANCE', plan, actual, expected))).toEqual([['status'], ['Over budget'], ['At risk'], ['Under-used'], ['On track'], ['Unplanned']]);
    expect(plain(script.call('VARIANCE', plan, actual, expected, true))).toEqual(plain(excel.VARIANCE(plan, actual, expected, true)));
    expect(plain(script.call('VARIANCE', plan, actual, expected, false, 'zh'))).toEqual(plain(excel.VARIANCE(plan, actual, expected, false, 'zh')));
  });
});

test('a result over Excel\'s 5 MB reaches Sheets, which documents no byte limit (only its 10 million cells)', () => {
  const rows = 200_000;
  const plan = col(Array.from({ length: rows }, (_, i) => 1000 + (i % 7)));
  const actual = col(Array.from({ length: rows }, (_, i) => 900 + (i % 300)));
  expect(thrownError(() => excel.VARIANCE(plan, actual, null as never, true)).message).toContain("Excel's 5 MB limit");
  const got = sheet('Asia/Shanghai').call('VARIANCE', plan, actual, undefined, true) as unknown[][];
  expect(got).toHaveLength(rows);
  expect(plain(got[2])).toEqual(plain(excel.VARIANCE([[1002]], [[902]], null as never, true)[0]));
});

describe('errors: a thrown Error whose message is the one Excel shows, in the spreadsheet language', () => {
  const cases: [string, unknown[], unknown[]][] = [
    ['ALLOCATE', [0, [[1], [2]]], [0, [[1], [2]]]],
    ['ALLOCATE', [1000, [['Weight'], [1], [-2]]], [1000, [['Weight'], [1], [-2]]]],
    ['ALLOCATE', [1000, [[1], [2]], 600], [1000, [[1], [2]], [[600]]]],
    ['ALLOCATE', [1000, [[0], [0]]], [1000, [[0], [0]]]],
    ['ALLOCATE', [1000, [[1], [2]], undefined, [[10], [20], [30]]], [1000, [[1], [2]], null, [[10], [20], [30]]]],
    ['CLV', ['npv', 1, 1], ['npv', [[1]], [[1]]]],
    ['CLV', ['retention', 1000, 0.8], ['retention', [[1000]], [[0.8]]]],
    ['SEGMENT', ['rfm8', [[5], ['x']], [[1], [2]], [[1], [2]]], ['rfm8', [[5], ['x']], [[1], [2]], [[1], [2]]]],
    ['SEGMENT', [undefined, [[1]]], [null, [[1]]]],
    ['RFM', [[['A'], ['B']], [['2024-01-01']], [[1], [2]]], [[['A'], ['B']], [['2024-01-01']], [[1], [2]]]],
    ['RFM', [[['A']], [['not a date']], [[1]]], [[['A']], [['not a date']], [[1]]]],
    ['VARIANCE', [[[1000], ['lots']], [[1], [2]]], [[[1000], ['lots']], [[1], [2]]]],
  ];

  test.each([
    ['en_US', 'en-US'],
    ['zh_CN', 'zh-CN'],
  ])('spreadsheet locale %s: the same messages as Excel in %s, no stack, no wrong number', (locale, excelLanguage) => {
    const script = sheet('Asia/Shanghai', locale);
    for (const [name, sheetsArgs, excelArgs] of cases) {
      const error = sheetsError(() => script.call(name, ...sheetsArgs));
      const want = inExcelLanguage(excelLanguage, () => thrownError(() => (excel[name as keyof typeof excel] as (...a: unknown[]) => unknown)(...excelArgs)));
      expect(Object.prototype.toString.call(error)).toBe('[object Error]');
      expect(error.message).toBe(want.message);
      expect(error.message.length).toBeGreaterThan(10);
      expect(error.message).not.toMatch(/\n\s+at |Code\.js|TypeError|undefined/);
    }
  });

  test('zh_CN: the messages of the function layer are Chinese, as in a Chinese Excel', () => {
    const chinese = sheet('Asia/Shanghai', 'zh_CN');
    const english = sheet('Asia/Shanghai', 'en_US');
    const heights = ['ALLOCATE', 1000, [[1], [2]], undefined, [[10], [20], [30]]] as const;
    expect(sheetsError(() => chinese.call(...heights)).message).toBe('cap：有 3 行，但 weights 有 2 行；请选择高度相同的区域');
    expect(sheetsError(() => english.call(...heights)).message).toBe('cap: has 3 rows but weights has 2; select ranges of the same height');
    expect(sheetsError(() => chinese.call('CLV', 'npv', 1, 1)).message).toBe('method：“npv”不是以下选项之一：simple, retention, bgnbd');
  });
});
