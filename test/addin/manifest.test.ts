/**
 * Structural tests of manifest.xml (source and production-rewritten), of the offline checker that
 * `npm run validate` runs, of its XML parser, and of the icons the manifest points at.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';

// CommonJS build scripts (plain Node, no compile step), typed loosely here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { checkManifest } = require('../../scripts/lib/manifest-check') as {
  checkManifest(xml: string): { errors: string[]; warnings: string[]; facts: ManifestFacts };
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parseXml } = require('../../scripts/lib/xml') as { parseXml(xml: string): XmlElement };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DEV_URL, productionUrl, rewriteDevUrls } = require('../../scripts/lib/addin-urls') as {
  DEV_URL: string;
  productionUrl(env: Record<string, string | undefined>): string;
  rewriteDevUrls(text: string, url: string): string;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { crc32 } = require('../../scripts/make-icons') as { crc32(bytes: Buffer): number };

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
  line: number;
}
interface ManifestFacts {
  id: string;
  namespace: string;
  permissions: string;
  sharedRuntimeRequirement: string;
  runtimeResid: string;
  runtimeUrl: string;
  functionsPageResid: string;
  functionsScriptResid: string;
  functionsMetadataUrl: string;
  functionsMetadataOverrides: { locale: string; value: string }[];
  taskpaneButtons: string[];
  displayName: string;
  urls: { where: string; url: string }[];
}

const ROOT = path.resolve(__dirname, '../..');
const SOURCE = fs.readFileSync(path.join(ROOT, 'manifest.xml'), 'utf8');
/** The GUID Office knows the add-in by: changing it orphans every installed copy. */
const ADDIN_ID = '8040a3a2-b717-4eb4-a5e0-5f94c053cc58';

function errorsOf(xml: string): string[] {
  return checkManifest(xml).errors;
}

describe('manifest.xml', () => {
  const { errors, warnings, facts } = checkManifest(SOURCE);

  test('passes the structural check with no errors or warnings', () => {
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
  });

  test('identity: stable GUID, display name, least permission', () => {
    expect(facts.id).toBe(ADDIN_ID);
    expect(facts.displayName).toBe('Customer Budget Planner');
    expect(facts.permissions).toBe('ReadWriteDocument');
  });

  test('one shared runtime: SharedRuntime 1.1, a long-lived taskpane.html used by functions, ribbon and task pane', () => {
    expect(facts.sharedRuntimeRequirement).toBe('1.1');
    expect(facts.runtimeResid).toBe('Taskpane.Url');
    expect(facts.runtimeUrl).toBe('https://localhost:3000/taskpane.html');
    expect(facts.functionsPageResid).toBe(facts.runtimeResid);
    expect(facts.taskpaneButtons).toEqual(['CBP.TaskpaneButton']);
  });

  test('custom functions: namespace CBP, script and metadata URLs, a zh-CN metadata override', () => {
    expect(facts.namespace).toBe('CBP');
    expect(facts.functionsMetadataUrl).toBe('https://localhost:3000/functions.json');
    expect(facts.functionsMetadataOverrides).toEqual([{ locale: 'zh-CN', value: 'https://localhost:3000/functions.zh-CN.json' }]);
  });

  test('every URL is https and on the dev server', () => {
    expect(facts.urls.length).toBeGreaterThanOrEqual(10);
    for (const { url } of facts.urls) expect(url.startsWith(DEV_URL)).toBe(true);
  });

  test('the production build rewrites every dev URL and stays valid', () => {
    const prod = rewriteDevUrls(SOURCE, productionUrl({ CBP_ADDIN_URL: 'https://addins.contoso.cn/cbp' }));
    const result = checkManifest(prod);
    expect(result.errors).toEqual([]);
    expect(prod).not.toContain('https://localhost');
    expect(result.facts.runtimeUrl).toBe('https://addins.contoso.cn/cbp/taskpane.html');
    expect(result.facts.urls.every(({ url }) => url.startsWith('https://addins.contoso.cn/cbp/'))).toBe(true);
    expect(result.facts.urls.length).toBe(facts.urls.length);
  });

  test('production URL: https only, default placeholder, trailing slash added', () => {
    expect(productionUrl({})).toBe('https://cbp.example.com/');
    expect(productionUrl({ CBP_ADDIN_URL: 'https://a.example.org/x' })).toBe('https://a.example.org/x/');
    expect(() => productionUrl({ CBP_ADDIN_URL: 'http://a.example.org/' })).toThrow(/must be an https URL/);
  });

  test('every icon the manifest names exists as a PNG of that size with valid chunks', () => {
    const iconUrls = facts.urls.map((u) => u.url).filter((u) => u.endsWith('.png'));
    expect(new Set(iconUrls.map((u) => path.basename(u)))).toEqual(new Set(['icon-16.png', 'icon-32.png', 'icon-64.png', 'icon-80.png']));
    for (const url of iconUrls) {
      const file = path.join(ROOT, url.slice(DEV_URL.length));
      const png = fs.readFileSync(file);
      expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      const size = Number(/icon-(\d+)\.png$/.exec(url)![1]);
      expect(png.readUInt32BE(16)).toBe(size); // IHDR width
      expect(png.readUInt32BE(20)).toBe(size); // IHDR height
      expect(png[25]).toBe(6); // RGBA
      // Walk the chunks: every CRC matches, and the image data inflates to size rows of 1 + 4 * size bytes.
      let offset = 8;
      const idat: Buffer[] = [];
      while (offset < png.length) {
        const length = png.readUInt32BE(offset);
        const typeAndData = png.subarray(offset + 4, offset + 8 + length);
        expect(png.readUInt32BE(offset + 8 + length)).toBe(crc32(typeAndData));
        if (typeAndData.subarray(0, 4).toString('ascii') === 'IDAT') idat.push(typeAndData.subarray(4));
        offset += 12 + length;
      }
      expect(zlib.inflateSync(Buffer.concat(idat)).length).toBe(size * (1 + 4 * size));
    }
  });

  test('the SVG source of the icon is well-formed', () => {
    const svg = parseXml(fs.readFileSync(path.join(ROOT, 'assets/icon.svg'), 'utf8'));
    expect(svg.name).toBe('svg');
    expect(svg.attributes.viewBox).toBe('0 0 80 80');
  });
});

describe('the manifest checker catches what Office would reject', () => {
  const cases: [string, (xml: string) => string, RegExp][] = [
    ['a tag left open', (x) => x.replace('</Runtimes>', ''), /not well-formed XML: line \d+, column \d+: <\/Host> closes <Runtimes>/],
    ['a resid with no resource', (x) => x.replace('<Title resid="GetStarted.Title"/>', '<Title resid="GetStarted.Missing"/>'), /"GetStarted.Missing" .* does not resolve/],
    ['a resid into the wrong table', (x) => x.replace('<Label resid="CommandsGroup.Label"/>', '<Label resid="TaskpaneButton.Tooltip"/>'), /points into LongStrings, expected ShortStrings/],
    ['an http URL', (x) => x.replace('https://localhost:3000/help.html"/>', 'http://localhost:3000/help.html"/>'), /http:\/\/localhost:3000\/help.html is not https/],
    ['no SharedRuntime requirement', (x) => x.replace('<Set Name="SharedRuntime" MinVersion="1.1"/>', ''), /SharedRuntime/],
    ['a short-lived runtime', (x) => x.replace('lifetime="long"', 'lifetime="short"'), /lifetime> must be "long"/],
    [
      'functions on their own page',
      (x) => x.replace('<Page>\n              <SourceLocation resid="Taskpane.Url"/>', '<Page>\n              <SourceLocation resid="Functions.Script.Url"/>'),
      /<Page> uses "Functions.Script.Url" but the shared runtime is "Taskpane.Url"/,
    ],
    ['a duplicate resource id', (x) => x.replace('<bt:Image id="Icon.80x80"', '<bt:Image id="Icon.32x32"'), /id "Icon.32x32" is defined more than once/],
    ['a non-GUID id', (x) => x.replace(ADDIN_ID, 'my-addin'), /<Id> must be a GUID/],
    ['broader permissions', (x) => x.replace('<Permissions>ReadWriteDocument</Permissions>', '<Permissions>ReadWriteMailbox</Permissions>'), /ReadWriteDocument/],
    ['a missing 80 px button icon', (x) => x.replace(/\s*<bt:Image size="80" resid="Icon.80x80"\/>\n(\s*<\/Icon>\n\s*<Action)/, '\n$1'), /CBP.TaskpaneButton"> lacks icons of size 80/],
    ['an over-long resid', (x) => x.split('GetStarted.LearnMoreUrl').join('GetStarted.LearnMoreUrl.Way.Too.Long.X'), /longer than 32 characters/],
    ['no namespace', (x) => x.replace('<Namespace resid="Functions.Namespace"/>', ''), /Namespace resid> is missing/],
  ];
  test.each(cases)('%s', (_label, mutate, expected) => {
    const mutated = mutate(SOURCE);
    expect(mutated).not.toBe(SOURCE);
    const errors = errorsOf(mutated);
    expect(errors.join('\n')).toMatch(expected);
  });
});

describe('the XML parser', () => {
  test('reads attributes, entities, CDATA and nested elements with line numbers', () => {
    const root = parseXml('<?xml version="1.0"?>\n<!-- c -->\n<a x="1 &amp; 2" y=\'&#x4e2d;\'>\n  <b>t&lt;u<![CDATA[<raw>]]></b>\n  <c/>\n</a>\n');
    expect(root.name).toBe('a');
    expect(root.attributes).toEqual({ x: '1 & 2', y: '中' });
    expect(root.children.map((c) => c.name)).toEqual(['b', 'c']);
    expect(root.children[0].text).toBe('t<u<raw>');
    expect(root.children[0].line).toBe(4);
  });

  test.each([
    ['<a><b></a>', /<\/a> closes <b>/],
    ['<a x=1/>', /must be quoted/],
    ['<a x="1" x="2"/>', /duplicate attribute x/],
    ['<a>1 & 2</a>', /'&' must start an entity/],
    ['<a/><b/>', /exactly one root/],
    ['<a>', /is never closed/],
    ['<a>&nbsp;</a>', /unknown entity &nbsp;/],
    ['text<a/>', /text outside the root/],
  ])('rejects %s', (xml, expected) => {
    expect(() => parseXml(xml)).toThrow(expected);
  });
});
