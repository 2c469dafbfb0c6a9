/**
 * The files people really give `cbp` (issue 15): one catalogue of cases, each its input bytes, the
 * command, the exit code, what standard output / error must say, and the files left in the folder
 * afterwards. Then the cases that need more than one step: the variance workbook's cached totals,
 * and Ctrl+C / kill during a long `cbp plan` in a real child process.
 *
 * Encodings are written as Windows Excel saves them (./encodings). The password-protected and
 * .xls inputs are a minimal CFB header and one directory entry (cfbBytes): enough for format
 * detection, which reads only the magic bytes and the directory's stream names.
 */
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCbp } from './run-cbp';
import { cfbBytes, gb18030Bytes, utf16beBytes, utf16leBytes, utf8BomBytes } from './encodings';
import { readTransactionsCsv } from '../../src/cli/csv-transactions';
import { readTransactionTable } from '../../src/engine/transactions';
import { parseCsv, csvTableToRows } from '../../src/cli/csv';
import { toUtf8 } from '../../src/cli/encoding';
import { MAX_CELL_CHARS } from '../../src/cli/read-input';

const TX_EN = 'customer,date,amount\nA,2025-01-05,100.50\nB,2025-02-10,20\nA,2025-03-01,30\n';
const TX_ZH = '客户,日期,金额\n张三,2025-01-05,100.50\n李四,2025-02-10,20\n张三,2025-03-01,30\n';
/** cbp rfm --segments none's CSV for TX_EN / TX_ZH (as of 2025-03-01): the same scores, the ids in their own script. */
const RFM_EN =
  'customer,recency,frequency,monetary,r_score,f_score,m_score,rfm_code,score,segment\nA,0,2,130.5,3,3,3,333,3,\nB,19,1,20,1,1,1,111,1,\n';
const RFM_ZH = RFM_EN.replace(/^A,/m, '张三,').replace(/^B,/m, '李四,');

interface Case {
  name: string;
  files: Record<string, string | Buffer>;
  args: string[];
  code: number;
  stdout?: string | RegExp;
  /** Standard error, exactly (a string) or matching (a RegExp); '' means nothing at all. */
  stderr?: string | RegExp;
  /** Every file in the folder afterwards (hidden temporary files included). */
  left?: string[];
}

const xlsxOf = async (rows: unknown[][]): Promise<Buffer> => {
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet('Data').addRows(rows);
  return Buffer.from(await workbook.xlsx.writeBuffer());
};

async function cases(): Promise<Case[]> {
  const goodXlsx = await xlsxOf([
    ['customer', 'date', 'amount'],
    ['A', '2025-01-05', 100.5],
  ]);
  return [
    // 1. Encodings
    {
      name: 'UTF-8 without a BOM',
      files: { 'tx.csv': TX_EN },
      args: ['rfm', 'tx.csv', '--segments', 'none'],
      code: 0,
      stdout: RFM_EN,
      stderr: /^as of 2025-03-01: 2 customers scored\n$/,
    },
    {
      name: 'CSV UTF-8 (BOM)',
      files: { 'tx.csv': utf8BomBytes(TX_ZH) },
      args: ['rfm', 'tx.csv', '--segments', 'none'],
      code: 0,
      stdout: RFM_ZH,
      stderr: /^as of/,
    },
    {
      name: 'Chinese Windows "CSV" (GB18030): read as GB18030, said in one line naming the file',
      files: { 'tx.csv': gb18030Bytes(TX_ZH) },
      args: ['rfm', 'tx.csv', '--segments', 'none'],
      code: 0,
      stdout: RFM_ZH,
      stderr:
        /^note: tx\.csv is not UTF-8; reading it as GB18030 \(Chinese Windows Excel\)\. If the text looks wrong, name the encoding with --encoding\nas of 2025-03-01/,
    },
    {
      name: '--encoding gbk names it: no note',
      files: { 'tx.csv': gb18030Bytes(TX_ZH) },
      args: ['rfm', 'tx.csv', '--segments', 'none', '--encoding', 'gbk'],
      code: 0,
      stdout: RFM_ZH,
      stderr: /^as of/,
    },
    {
      name: '"Unicode Text" (UTF-16LE, BOM, tabs, CRLF)',
      files: { 'tx.txt': utf16leBytes(TX_ZH.replace(/,/g, '\t').replace(/\n/g, '\r\n')) },
      args: ['rfm', 'tx.txt', '--segments', 'none'],
      code: 0,
      stdout: RFM_ZH,
    },
    {
      name: 'UTF-16BE with a BOM',
      files: { 'tx.csv': utf16beBytes(TX_ZH) },
      args: ['rfm', 'tx.csv', '--segments', 'none'],
      code: 0,
      stdout: RFM_ZH,
    },
    {
      name: '--encoding utf-16le on a file without a BOM',
      files: { 'tx.csv': Buffer.from(TX_ZH, 'utf16le') },
      args: ['rfm', 'tx.csv', '--segments', 'none', '--encoding', 'utf-16le'],
      code: 0,
      stdout: RFM_ZH,
    },
    {
      name: '--encoding utf-8 on GB18030 bytes: refused with the byte offset',
      files: { 'tx.csv': gb18030Bytes(TX_ZH) },
      args: ['rfm', 'tx.csv', '--encoding', 'utf-8'],
      code: 2,
      stdout: '',
      stderr:
        'cbp rfm: tx.csv is not valid UTF-8 (at byte 0); save it as CSV UTF-8, or name its encoding with --encoding utf-8|gb18030|gbk|utf-16le|utf-16be\n',
    },
    {
      name: 'an unknown --encoding',
      files: { 'tx.csv': TX_EN },
      args: ['rfm', 'tx.csv', '--encoding', 'latin1'],
      code: 2,
      stderr: "cbp rfm: --encoding must be one of utf-8, gb18030, gbk, utf-16le, utf-16be, not 'latin1'\n",
    },
    {
      name: 'GB18030 through the general reader (cbp allocate)',
      files: { 'w.csv': gb18030Bytes('客户,权重\n张三,1\n李四,3\n') },
      args: ['allocate', 'w.csv', '--budget', '100'],
      code: 0,
      stdout: '客户,权重,allocation,share,at_bound\n张三,1,25,0.25,\n李四,3,75,0.75,\n',
    },
    // 2. Headers
    {
      name: 'amount twice (CSV): both columns named',
      files: { 'tx.csv': 'customer,date,amount,amount\nA,2025-01-05,1,2\n' },
      args: ['rfm', 'tx.csv'],
      code: 2,
      stdout: '',
      stderr:
        "cbp rfm: tx.csv: columns C (3) and D (4) are both headed 'amount'; rename or delete one so each column has its own header\n",
    },
    {
      name: 'the same header after normalisation (CSV)',
      files: { 'tx.csv': 'Customer,date,Amount,amount \nA,2025-01-05,1,2\n' },
      args: ['clv', 'tx.csv', '--model', 'bgnbd'],
      code: 2,
      stderr:
        "cbp clv: tx.csv: columns C (3) and D (4) are both headed 'amount'; rename or delete one so each column has its own header\n",
    },
    {
      name: 'amount twice (.xlsx)',
      files: {
        'tx.xlsx': await xlsxOf([
          ['customer', '金额', 'date', '金额'],
          ['A', 1, '2025-01-05', 2],
        ]),
      },
      args: ['rfm', 'tx.xlsx'],
      code: 2,
      stderr:
        "cbp rfm: tx.xlsx: columns B (2) and D (4) are both headed '金额'; rename or delete one so each column has its own header\n",
    },
    // 3. Sizes
    {
      name: `a cell of more than ${MAX_CELL_CHARS} characters: row and column, before any workbook`,
      files: {
        'tx.csv': `customer,date,amount\nA,2025-01-05,1\n${'x'.repeat(MAX_CELL_CHARS + 1)},2025-01-06,2\n`,
      },
      args: ['plan', 'tx.csv', '--budget', '100', '--out', 'plan.xlsx'],
      code: 2,
      stderr:
        'cbp plan: tx.csv, row 3, column A: the cell has 32768 characters, more than the 32767 Excel allows in a cell; shorten it\n',
      left: ['tx.csv'],
    },
    {
      name: 'a line of more than 1 MiB (an unclosed quote or no line breaks) stops with the limit',
      files: { 'tx.csv': `customer,date,amount\n"A,2025-01-05,${'1'.repeat((1 << 20) + 10)}\n` },
      args: ['rfm', 'tx.csv'],
      code: 2,
      stderr:
        'cbp rfm: tx.csv, row 2: the line is longer than 1 MiB, the most cbp reads in one line; check that the file is a CSV with line breaks and balanced quotes\n',
    },
    // 4. File errors name the user's file
    {
      name: '--out in a folder that does not exist: the path as given, exit 2, nothing left',
      files: { 'tx.csv': TX_EN },
      args: ['plan', 'tx.csv', '--budget', '100', '--out', 'no-such-folder/plan.xlsx'],
      code: 2,
      stderr:
        'cbp plan: cannot write no-such-folder/plan.xlsx: the folder does not exist; choose a folder you can write to\n',
      left: ['tx.csv'],
    },
    {
      name: '--out under a file (not a folder)',
      files: { 'tx.csv': TX_EN, file: 'x' },
      args: ['rfm', 'tx.csv', '--out', 'file/rfm.csv'],
      code: 2,
      stderr:
        'cbp rfm: cannot write file/rfm.csv: the folder does not exist; choose a folder you can write to\n',
      left: ['file', 'tx.csv'],
    },
    {
      name: 'a password-protected workbook (CFB with EncryptedPackage)',
      files: { 'tx.xlsx': cfbBytes('EncryptedPackage') },
      args: ['rfm', 'tx.xlsx'],
      code: 2,
      stderr:
        'cbp rfm: tx.xlsx is password-protected; open it in Excel, remove the password (File > Info > Protect Workbook) and save an unprotected copy to use\n',
    },
    {
      name: 'an old .xls saved as .xlsx (CFB, no EncryptedPackage)',
      files: { 'tx.xlsx': cfbBytes('Workbook') },
      args: ['segment', 'tx.xlsx', '--scheme', 'abc'],
      code: 2,
      stderr:
        'cbp segment: tx.xlsx is an old Excel 97-2003 workbook (.xls), not .xlsx; open it in Excel and save it as an Excel Workbook (.xlsx)\n',
    },
    {
      name: 'a truncated .xlsx',
      files: { 'tx.xlsx': goodXlsx.subarray(0, Math.floor(goodXlsx.length / 2)) },
      args: ['rfm', 'tx.xlsx'],
      code: 2,
      stderr:
        'cbp rfm: tx.xlsx is not a valid .xlsx file (it is damaged, truncated or another kind of file); open it in Excel and save it again as an Excel Workbook (.xlsx)\n',
    },
    {
      name: 'a CSV named .xlsx',
      files: { 'plan.xlsx': TX_EN, 'a.csv': 'customer,date,actual\nA,2026-01-05,1\n' },
      args: ['variance', 'plan.xlsx', 'a.csv'],
      code: 2,
      stderr:
        'cbp variance: plan.xlsx is not a valid .xlsx file (it is damaged, truncated or another kind of file); open it in Excel and save it again as an Excel Workbook (.xlsx)\n',
    },
    {
      name: 'a missing file',
      files: {},
      args: ['rfm', 'nope.xlsx'],
      code: 2,
      stderr: 'cbp rfm: cannot read nope.xlsx: no such file\n',
    },
  ];
}

describe('real files: the catalogue', () => {
  let all: Case[] = [];
  beforeAll(async () => {
    all = await cases();
  });

  test('every case: exit code, output, message and the files left', async () => {
    expect(all.length).toBeGreaterThan(20);
    for (const c of all) {
      const folder = mkdtempSync(join(tmpdir(), 'cbp-real-'));
      for (const [name, content] of Object.entries(c.files)) writeFileSync(join(folder, name), content);
      const run = await runCbp(c.args, folder);
      const seen = {
        name: c.name,
        code: run.code,
        stdout: run.stdout,
        stderr: run.stderr,
        left: readdirSync(folder).sort(),
      };
      const want = {
        name: c.name,
        code: c.code,
        stdout:
          c.stdout === undefined
            ? run.stdout
            : c.stdout instanceof RegExp
              ? expect.stringMatching(c.stdout)
              : c.stdout,
        stderr:
          c.stderr === undefined
            ? run.stderr
            : c.stderr instanceof RegExp
              ? expect.stringMatching(c.stderr)
              : c.stderr,
        left: c.left ?? seen.left,
      };
      expect(seen).toEqual(want);
    }
  });
});

describe('real files: multi-step cases', () => {
  test('6. cbp variance: the Variance total caches the sum of the rows (what Excel computes), not 0', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'cbp-real-'));
    writeFileSync(join(folder, 'tx.csv'), readFileSync(join(__dirname, '../../samples/transactions.csv')));
    writeFileSync(join(folder, 'actuals.csv'), readFileSync(join(__dirname, '../../samples/actuals.csv')));
    expect((await runCbp(['plan', 'tx.csv', '--budget', '50000', '--out', 'plan.xlsx'], folder)).code).toBe(
      0,
    );
    const run = await runCbp(
      ['variance', 'plan.xlsx', 'actuals.csv', '--as-of', '2026-03-31', '--out', 'variance.xlsx'],
      folder,
    );
    expect(run).toMatchObject({ code: 0 });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(join(folder, 'variance.xlsx'));
    const sheet = workbook.getWorksheet('Variance') as ExcelJS.Worksheet;
    let rowsSum = 0;
    let total: { formula: string; result: number } | undefined;
    sheet.eachRow((row) => {
      const value = row.getCell(5).value as { formula?: string; result?: number } | null;
      if (value && typeof value === 'object' && value.formula?.startsWith('SUBTOTAL(109,'))
        total = value as { formula: string; result: number };
      else if (value && typeof value === 'object' && typeof value.result === 'number')
        rowsSum += value.result;
    });
    expect(total?.formula).toBe('SUBTOTAL(109,CBP_Variance[Variance])');
    expect(Math.abs(rowsSum)).toBeGreaterThan(1);
    expect(total?.result).toBeCloseTo(rowsSum, 6);
  });

  /** Spawns cbp from the sources (./spawn-cbp.js) and sends `signal` once its temporary file exists. */
  async function interruptPlan(
    signal: 'SIGINT' | 'SIGTERM',
    oldContent?: string,
  ): Promise<{ code: number | null; left: string[]; out?: string }> {
    const folder = mkdtempSync(join(tmpdir(), 'cbp-signal-'));
    const lines = ['customer,date,amount'];
    for (let i = 0; i < 150_000; i++)
      lines.push(`c${i % 30_000},2025-${String(1 + (i % 12)).padStart(2, '0')}-15,${(i % 997) + 1}.50`);
    writeFileSync(join(folder, 'tx.csv'), lines.join('\n'));
    if (oldContent !== undefined) writeFileSync(join(folder, 'plan.xlsx'), oldContent);
    const child = spawn(
      process.execPath,
      [join(__dirname, 'spawn-cbp.js'), 'plan', 'tx.csv', '--budget', '100000', '--out', 'plan.xlsx'],
      { cwd: folder, stdio: 'ignore' },
    );
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    for (;;) {
      if (readdirSync(folder).some((f) => f.endsWith('.tmp'))) break;
      if (child.exitCode !== null) throw new Error('cbp plan finished before its temporary file was seen');
      await new Promise((r) => setTimeout(r, 5));
    }
    child.kill(signal);
    const code = await exited;
    const left = readdirSync(folder).sort();
    return {
      code,
      left,
      out: existsSync(join(folder, 'plan.xlsx'))
        ? readFileSync(join(folder, 'plan.xlsx'), 'utf8')
        : undefined,
    };
  }

  test('5. SIGINT during cbp plan: exit 130, the temporary file removed, no plan.xlsx', async () => {
    expect(await interruptPlan('SIGINT')).toEqual({ code: 130, left: ['tx.csv'], out: undefined });
  });

  test('5. SIGTERM during cbp plan: exit 143, the old plan.xlsx kept whole', async () => {
    expect(await interruptPlan('SIGTERM', 'the old plan')).toEqual({
      code: 143,
      left: ['plan.xlsx', 'tx.csv'],
      out: 'the old plan',
    });
  });
});

describe('the fast CSV path and the general reader agree on GB18030 and UTF-16 input', () => {
  const names = ['张三', '李四', '王五', '客户甲', 'A01', '"引号", 客户'];
  const row = fc.record({
    customer: fc.constantFrom(...names),
    day: fc.integer({ min: 1, max: 28 }),
    amount: fc.integer({ min: -10_000, max: 1_000_000 }),
  });
  const encoders: Record<string, (text: string) => Buffer> = {
    gb18030: gb18030Bytes,
    'utf-16le': utf16leBytes,
    'utf-16be': utf16beBytes,
  };

  test.each(Object.keys(encoders))('%s', (encoding) => {
    fc.assert(
      fc.property(
        fc.array(row, { minLength: 1, maxLength: 30 }),
        fc.constantFrom(',', '\t', ';'),
        fc.constantFrom('\n', '\r\n'),
        (rows, sep, eol) => {
          const quote = (s: string) => (/[",;\t]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
          const text =
            ['客户', '日期', '金额'].join(sep) +
            eol +
            rows
              .map((r) =>
                [
                  quote(r.customer),
                  `2025-03-${String(r.day).padStart(2, '0')}`,
                  (r.amount / 100).toFixed(2),
                ].join(sep),
              )
              .join(eol) +
            eol;
          const utf8 = toUtf8(encoders[encoding](text), 'tx.csv').bytes;
          const fast = readTransactionsCsv(utf8);
          const general = readTransactionTable(csvTableToRows(parseCsv(utf8.toString('utf8'))));
          expect(fast.customerIds).toEqual(general.customerIds);
          expect([...fast.customerIndex]).toEqual([...general.customerIndex]);
          expect([...fast.dates]).toEqual([...general.dates]);
          expect([...fast.amountsMinor]).toEqual([...general.amountsMinor]);
          expect(utf8.toString('utf8')).toBe(text);
        },
      ),
      { numRuns: 40 },
    );
  });
});
