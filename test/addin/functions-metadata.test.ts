/**
 * The custom functions metadata as Excel will read it: functions.json generated from the JSDoc in
 * src/functions/functions.ts by custom-functions-metadata (the generator the webpack plugin runs),
 * and the Chinese functions.zh-CN.json derived from it. Checks ids, names, parameter types,
 * dimensionality and optionality, help links, and the localisation.
 */
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { generateCustomFunctionsMetadata } from 'custom-functions-metadata';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { localizeMetadata } = require('../../scripts/lib/functions-l10n') as {
  localizeMetadata(metadata: Metadata, table: unknown): { metadata: Metadata; missing: string[]; stale: string[] };
};

interface Parameter {
  name: string;
  description: string;
  type: string;
  dimensionality?: 'matrix';
  optional?: boolean;
}
interface FunctionMetadata {
  id: string;
  name: string;
  description: string;
  helpUrl: string;
  parameters: Parameter[];
  result: { dimensionality?: string; type?: string };
  options?: Record<string, unknown>;
}
interface Metadata {
  functions: FunctionMetadata[];
}

const ROOT = path.resolve(__dirname, '../..');
const SOURCE = path.join(ROOT, 'src/functions/functions.ts');
const ZH_TABLE = JSON.parse(fs.readFileSync(path.join(ROOT, 'src/functions/functions.zh-CN.json'), 'utf8'));

/** name:type[:matrix][?] per parameter: what Excel will offer and pass. */
const EXPECTED_SIGNATURES: Record<string, string[]> = {
  RFM: ['customers:any:matrix', 'dates:any:matrix', 'amounts:any:matrix', 'as_of:any?', 'bins_or_thresholds:any:matrix?', 'weights:any:matrix?', 'scheme:string?', 'show_header:boolean?'],
  RFMSCORE: ['recency:any:matrix', 'frequency:any:matrix', 'monetary:any:matrix', 'bins_or_thresholds:any:matrix?', 'weights:any:matrix?'],
  CLV: [
    'method:string',
    'profit_margin_or_customers:any:matrix',
    'years_retention_or_dates:any:matrix',
    'discount_or_amounts:any:matrix?',
    'years_or_horizon_months:any:matrix?',
    'discount_monthly:number?',
    'as_of:any?',
  ],
  // Arguments are only ever appended (existing workbooks keep their meaning): saturation .. output came with the optimal method (issue 6).
  ALLOCATE: [
    'budget:any',
    'weights:any:matrix',
    'floor:any:matrix?',
    'cap:any:matrix?',
    'method:string?',
    'unit:number?',
    'reserve:number?',
    'saturation:any:matrix?',
    'response:string?',
    'segments:any:matrix?',
    'segment_limits:any:matrix?',
    'output:string?',
  ],
  SEGMENT: ['method:string', 'values_1:any:matrix', 'values_2:any:matrix?', 'values_3:any:matrix?', 'parameters:any:matrix?', 'as_of:any?', 'language:string?'],
  VARIANCE: ['plan:any:matrix', 'actual:any:matrix', 'expected_to_date:any:matrix?', 'show_details:boolean?', 'language:string?'],
};

function signature(p: Parameter): string {
  return `${p.name}:${p.type}${p.dimensionality === 'matrix' ? ':matrix' : ''}${p.optional ? '?' : ''}`;
}

/** Excel's rules for a function name: starts with a letter, 3+ characters, letters, digits, _ and . only. */
const VALID_NAME = /^\p{L}[\p{L}\p{N}_.]{2,}$/u;
const VALID_ID = /^[A-Z][A-Z0-9_.]{2,}$/;

let english: Metadata;
let associate: { functionName: string; id: string }[];

beforeAll(async () => {
  const result = await generateCustomFunctionsMetadata([SOURCE], false);
  expect(result.errors).toEqual([]);
  english = JSON.parse(result.metadataJson);
  associate = result.associate;
});

describe('functions.json generated from the JSDoc', () => {
  test('ids and names: RFM, RFMSCORE, CLV, ALLOCATE, SEGMENT, VARIANCE, each registered under its own function', () => {
    expect(english.functions.map((f) => f.id)).toEqual(Object.keys(EXPECTED_SIGNATURES));
    for (const fn of english.functions) {
      expect(fn.name).toBe(fn.id);
      expect(fn.id).toMatch(VALID_ID);
    }
    expect(associate.map((a) => [a.id, a.functionName])).toEqual(Object.keys(EXPECTED_SIGNATURES).map((id) => [id, id]));
  });

  test.each(Object.entries(EXPECTED_SIGNATURES))('%s: parameter names, types, dimensionality and optionality', (id, expected) => {
    const fn = english.functions.find((f) => f.id === id)!;
    expect(fn.parameters.map(signature)).toEqual(expected);
    // Excel requires optional parameters to come last.
    const firstOptional = fn.parameters.findIndex((p) => p.optional);
    if (firstOptional >= 0) expect(fn.parameters.slice(firstOptional).every((p) => p.optional)).toBe(true);
    for (const p of fn.parameters) expect(p.description.length).toBeGreaterThan(10);
    expect(fn.result.dimensionality).toBe('matrix'); // every function spills a 2-D array
    expect(fn.options).toBeUndefined(); // not volatile, not streaming: recalculates only when inputs change
    expect(fn.description.length).toBeGreaterThan(40);
  });

  test('every function links to its section of help.html', () => {
    const help = fs.readFileSync(path.join(ROOT, 'src/functions/help.html'), 'utf8');
    for (const fn of english.functions) {
      expect(fn.helpUrl).toBe(`https://localhost:3000/help.html#${fn.id.toLowerCase()}`);
      expect(help).toContain(`id="${fn.id.toLowerCase()}"`);
      expect(help).toContain(`CBP.${fn.id}(`);
    }
  });
});

describe('functions.zh-CN.json', () => {
  test('covers every function and parameter, and nothing else', () => {
    const { missing, stale } = localizeMetadata(english, ZH_TABLE);
    expect(missing).toEqual([]);
    expect(stale).toEqual([]);
  });

  test('changes names and descriptions only: ids, types, dimensionality and optionality stay', () => {
    const { metadata: chinese } = localizeMetadata(english, ZH_TABLE);
    expect(chinese.functions.map((f) => f.id)).toEqual(english.functions.map((f) => f.id));
    chinese.functions.forEach((fn, i) => {
      const en = english.functions[i];
      expect(fn.helpUrl).toBe(en.helpUrl);
      expect(fn.result).toEqual(en.result);
      expect(fn.parameters.map((p) => [p.type, p.dimensionality, p.optional])).toEqual(en.parameters.map((p) => [p.type, p.dimensionality, p.optional]));
      expect(fn.name).not.toBe(en.name);
      expect(fn.name).toMatch(VALID_NAME);
      expect(fn.description).toMatch(/[\u4e00-\u9fff]/);
      for (const p of fn.parameters) expect(p.description).toMatch(/[\u4e00-\u9fff]/);
    });
  });

  test('Chinese function names are unique and the expected ones', () => {
    const { metadata: chinese } = localizeMetadata(english, ZH_TABLE);
    const names = chinese.functions.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(['RFM分析', 'RFM评分', '客户终身价值', '预算分配', '客户分层', '预算差异']);
  });

  test('a function or parameter without a translation is reported', () => {
    const partial = JSON.parse(JSON.stringify(ZH_TABLE));
    delete partial.VARIANCE;
    delete partial.RFM.parameters.as_of;
    partial.OLDFN = { name: '旧函数', description: '旧', parameters: {} };
    const { missing, stale } = localizeMetadata(english, partial);
    expect(missing).toEqual(['RFM(as_of)', 'VARIANCE']);
    expect(stale).toEqual(['OLDFN']);
  });
});

describe('webpack.config.js', () => {
  /** Loads the config in a fresh Node process and reports what it did, so nothing is cached between modes. */
  function loadConfig(mode: string, env: Record<string, string> = {}): { entry: Record<string, string>; output: string; server: unknown; devCertsLoaded: boolean } {
    const script = `
      const cfg = require('./webpack.config.js');
      Promise.resolve(cfg(${JSON.stringify(env)}, { mode: ${JSON.stringify(mode)} })).then((c) => {
        const devCertsLoaded = Object.keys(require.cache).some((k) => k.includes('office-addin-dev-certs'));
        process.stdout.write(JSON.stringify({ entry: c.entry, output: c.output.path, server: c.devServer.server, devCertsLoaded }));
      });`;
    const run = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CBP_ADDIN_URL: '' } });
    expect(run.stderr).toBe('');
    return JSON.parse(run.stdout);
  }

  test('a production build has both entries, writes to dist/addin and never loads the dev certificates', () => {
    const prod = loadConfig('production', { WEBPACK_BUNDLE: 'true', WEBPACK_BUILD: 'true' });
    expect(prod.entry).toEqual({ functions: './src/functions/functions.ts', taskpane: './src/taskpane/index.tsx' });
    expect(prod.output).toBe(path.join(ROOT, 'dist', 'addin'));
    expect(prod.server).toBe('http');
    expect(prod.devCertsLoaded).toBe(false);
  });

  test('a development build does not load them either (only `webpack serve` does)', () => {
    expect(loadConfig('development', { WEBPACK_BUNDLE: 'true', WEBPACK_BUILD: 'true' }).devCertsLoaded).toBe(false);
  });
});
