/**
 * `cbp rfm|clv|plan --engine duckdb` gives exactly what the built-in engine gives on the same data
 * (CSV, Parquet written by DuckDB, a .duckdb table), says how to install the optional package when
 * it is missing, and names the file, row and column of a cell DuckDB cannot read.
 */
import { createWriteStream, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { duckDbLoader } from '../../src/cli/duckdb-engine';
import { generateTransactions } from '../../src/samples/generate';
import { runCbp, tempFolder } from './run-cbp';
import { csvToParquet, duckdb, engineRows, epochDays, workbookCells, writeCsv } from './engine-data';

const folder = tempFolder();
const cbpTemporaries = () => readdirSync(tmpdir()).filter((name) => name.startsWith('cbp-duckdb-')).length;
let temporariesBefore = 0;

beforeAll(async () => {
  temporariesBefore = cbpTemporaries();
  const rows = engineRows();
  writeCsv(join(folder, 'tx.csv'), rows);
  writeCsv(join(folder, 'plain.csv'), rows, false);
  await csvToParquet(folder, 'tx.csv', 'tx.parquet');
  await duckdb([`CREATE SCHEMA sales`, `CREATE TABLE sales.tx AS SELECT * FROM read_parquet('${join(folder, 'tx.parquet')}')`], join(folder, 'shop.duckdb'));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const RFM_CASES: [string, string[]][] = [
  ['quantiles, rfm10, distinct orders', []],
  ['as of a date inside the data (rows after it, a customer with no purchase by then)', ['--as-of', '2025-06-15']],
  ['rfm8 in Chinese, 4 bins, weights, JSON', ['--segments', 'rfm8', '--bins', '4', '--weights', '2,1,1', '--format', 'json']],
  ['thresholds', ['--thresholds-r', '7,14,30,60', '--thresholds-f', '2,4,8,12', '--thresholds-m', '100,300,600,1200']],
];

describe('cbp rfm: duckdb equals builtin', () => {
  test.each(RFM_CASES)('%s', async (_name, args) => {
    const builtin = await runCbp(['rfm', 'tx.csv', ...args], folder);
    expect(builtin.code).toBe(0);
    expect(builtin.stderr).toMatch(/customers scored/);
    for (const input of [['tx.csv', '--engine', 'duckdb'], ['tx.parquet'], ['shop.duckdb', '--table', 'sales.tx']]) {
      const duck = await runCbp(['rfm', ...input, ...args], folder);
      expect({ input: input[0], ...duck }).toEqual({ input: input[0], ...builtin });
    }
  });

  it('rows as purchases when there is no order column, and a column named by --amount-column', async () => {
    const csv = 'client,day,net,amount_old\n' + 'A,2025-01-02,10,1\nB,2025-01-03,5,1\nA,2025-02-01,-2,1\nC,2025-02-02,7,1\nB,2025-03-01,1.005,1\n';
    writeFileSync(join(folder, 'named.csv'), csv);
    const args = ['--customer-column', 'client', '--date-column', 'day', '--amount-column', 'net'];
    const builtin = await runCbp(['rfm', 'named.csv', ...args], folder);
    expect(builtin.code).toBe(0);
    expect(await runCbp(['rfm', 'named.csv', '--engine', 'duckdb', ...args], folder)).toEqual(builtin);
    const plain = await runCbp(['rfm', 'plain.csv'], folder);
    expect(await runCbp(['rfm', 'plain.csv', '--engine', 'duckdb'], folder)).toEqual(plain);
  });

  it('Excel-style CSV files: a byte-order mark, Chinese headers, CRLF, quoted ids, padded ids, times, semicolons', async () => {
    writeFileSync(join(folder, 'bom.csv'), '\ufeff客户,订单号,日期,金额\r\n"A, Ltd",o1,2025-01-02,10\r\n 00123 ,o2,2025-01-03,5\r\n"A, Ltd",o3,2025-02-01 10:30,-2\r\n');
    writeFileSync(join(folder, 'semi.csv'), 'customer;date;amount;note\nA;2025-01-02;10.5;"two\nlines"\nB;2025-01-03;5;\n');
    for (const file of ['bom.csv', 'semi.csv']) {
      const builtin = await runCbp(['rfm', file], folder);
      expect(builtin.code).toBe(0);
      expect(await runCbp(['rfm', file, '--engine', 'duckdb'], folder)).toEqual(builtin);
    }
  });

  it('a repeated header and a missing file are refused as by the built-in reader', async () => {
    writeFileSync(join(folder, 'dup-header.csv'), 'customer,date,amount,amount\nA,2025-01-02,10,3\n');
    for (const file of ['dup-header.csv', 'missing.csv']) {
      const builtin = await runCbp(['rfm', file], folder);
      expect(builtin.code).toBe(2);
      expect(await runCbp(['rfm', file, '--engine', 'duckdb'], folder)).toEqual(builtin);
    }
  });

  it('--skip-invalid skips and counts the rows DuckDB cannot read', async () => {
    writeFileSync(join(folder, 'some-bad.csv'), 'customer,date,amount\nA,2025-01-02,10\nB,not a date,5\nC,2025-01-03,x\n,,\nD,2025-01-04,3\n');
    const duck = await runCbp(['rfm', 'some-bad.csv', '--engine', 'duckdb', '--skip-invalid'], folder);
    expect(duck.code).toBe(0);
    expect(duck.stdout.split('\n').slice(1, -1).map((l) => l.split(',')[0])).toEqual(['A', 'D']);
    expect(duck.stderr).toMatch(/warning: 2 rows could not be read and were skipped/);
    expect(duck).toEqual(await runCbp(['rfm', 'some-bad.csv', '--skip-invalid'], folder));
  });
});

describe('cbp clv --model bgnbd: duckdb equals builtin', () => {
  test.each([
    ['days, to the latest row', ['--format', 'json']],
    ['weeks, as of a date inside the data', ['--unit', 'weeks', '--as-of', '2025-06-15']],
  ])('%s', async (_name, args) => {
    const builtin = await runCbp(['clv', 'tx.csv', '--model', 'bgnbd', ...args], folder);
    expect(builtin.code).toBe(0);
    expect(await runCbp(['clv', 'tx.csv', '--model', 'bgnbd', '--engine', 'duckdb', ...args], folder)).toEqual(builtin);
    expect(await runCbp(['clv', 'tx.parquet', '--model', 'bgnbd', ...args], folder)).toEqual(builtin);
  });
});

describe('cbp plan: duckdb equals builtin', () => {
  test.each([
    ['RFM score weights', ['--as-of', '2025-06-15']],
    ['CLV weights, optimal, quarters', ['--clv', 'bgnbd', '--weight-basis', 'clv', '--method', 'optimal', '--saturation', '500', '--periods', 'quarters', '--unit', '1']],
  ])('%s', async (_name, args) => {
    const base = ['--budget', '250000', ...args];
    const builtin = await runCbp(['plan', 'tx.csv', ...base, '--out', 'builtin.xlsx'], folder);
    expect(builtin.code).toBe(0);
    const cells = await workbookCells(join(folder, 'builtin.xlsx'));
    expect(cells.length).toBeGreaterThan(1000);
    const duck = await runCbp(['plan', 'tx.csv', '--engine', 'duckdb', ...base, '--out', 'duck.xlsx'], folder);
    expect(duck.stderr).toBe(builtin.stderr.replace('builtin.xlsx', 'duck.xlsx'));
    expect(await workbookCells(join(folder, 'duck.xlsx'))).toEqual(cells);
    const parquet = await runCbp(['plan', 'tx.parquet', ...base, '--out', 'parquet.xlsx'], folder);
    expect(parquet.stderr).toBe(builtin.stderr.replace('builtin.xlsx', 'parquet.xlsx'));
    // From Parquet the source file name differs, and with it the hash of the parameters.
    const withoutSource = (list: string[]) => list.map((c) => c.replace('tx.parquet', 'tx.csv').replace(/"[0-9a-f]{16}"$/, '<hash>'));
    expect(withoutSource(await workbookCells(join(folder, 'parquet.xlsx')))).toEqual(withoutSource(cells));
  });
});

it('1,000,000 rows: every customer of cbp rfm is the same with both engines', async () => {
  const big = tempFolder();
  try {
    const out = createWriteStream(join(big, 'big.csv'));
    out.write('customer,order_id,date,amount\n');
    let chunk: string[] = [];
    generateTransactions({ customers: 100_000, transactions: 1_000_000, seed: 7, firstDay: epochDays('2024-01-01'), lastDay: epochDays('2025-12-31') }, (r) => {
      chunk.push(`${r.customer},${r.orderId},${r.date},${Math.round(r.amount)}`);
      if (chunk.length === 50_000) {
        out.write(chunk.join('\n') + '\n');
        chunk = [];
      }
    });
    out.write(chunk.join('\n') + '\n');
    await new Promise((resolve) => out.end(resolve));
    const builtin = await runCbp(['rfm', 'big.csv', '--as-of', '2025-12-01'], big);
    const duck = await runCbp(['rfm', 'big.csv', '--as-of', '2025-12-01', '--engine', 'duckdb'], big);
    expect(builtin.code).toBe(0);
    const lines = builtin.stdout.split('\n');
    expect(lines.length).toBeGreaterThan(90_000);
    expect(builtin.stderr).toMatch(/rows dated after 2025-12-01/);
    expect(duck.stderr).toBe(builtin.stderr);
    // Line by line, so a difference shows as one customer, not as a 5 MB diff.
    const other = duck.stdout.split('\n');
    expect(other.length).toBe(lines.length);
    expect(lines.filter((line, i) => line !== other[i]).slice(0, 3)).toEqual([]);
  } finally {
    rmSync(big, { recursive: true, force: true });
  }
}, 60_000);

describe('without the optional package', () => {
  const original = duckDbLoader.load;
  beforeEach(() => {
    duckDbLoader.load = () => Promise.reject(new Error("Cannot find module '@duckdb/node-api'"));
  });
  afterEach(() => {
    duckDbLoader.load = original;
  });

  it('--engine duckdb and a Parquet input say how to install it, in English and Chinese', async () => {
    const en = await runCbp(['rfm', 'tx.csv', '--engine', 'duckdb'], folder);
    expect(en.code).toBe(2);
    expect(en.stderr).toBe(
      "cbp rfm: --engine duckdb needs the optional package @duckdb/node-api, which is not installed (Cannot find module '@duckdb/node-api'); install it with: npm install @duckdb/node-api (in the folder cbp is installed in), or use --engine builtin on a CSV or .xlsx file\n",
    );
    const zh = await runCbp(['plan', 'tx.parquet', '--budget', '1000', '--out', 'p.xlsx', '--lang', 'zh-CN'], folder);
    expect(zh.code).toBe(2);
    expect(zh.stderr).toBe(
      "cbp plan: --engine duckdb 需要可选安装包 @duckdb/node-api，但尚未安装（Cannot find module '@duckdb/node-api'）；请运行 npm install @duckdb/node-api 安装（在安装 cbp 的文件夹中），或对 CSV / .xlsx 文件使用 --engine builtin\n",
    );
    const clv = await runCbp(['clv', 'tx.parquet', '--model', 'bgnbd'], folder);
    expect(clv.stderr).toMatch(/npm install @duckdb\/node-api/);
  });

  it('the built-in engine does not need it', async () => {
    expect((await runCbp(['rfm', 'tx.csv'], folder)).code).toBe(0);
  });
});

describe('cells DuckDB cannot read', () => {
  beforeAll(() => {
    writeFileSync(join(folder, 'zh-dates.csv'), 'customer,date,amount\nA,2025-01-02,10\nB,2025年1月3日,5\n');
    writeFileSync(join(folder, 'grouped.csv'), 'customer,date,amount\nA,2025-01-02,10\nB,2025-01-03,"1,234.50"\n');
  });

  it('name the file, row and column, and suggest --engine builtin (which reads them)', async () => {
    const date = await runCbp(['rfm', 'zh-dates.csv', '--engine', 'duckdb'], folder);
    expect(date.code).toBe(2);
    expect(date.stderr).toBe(
      "cbp rfm: zh-dates.csv, row 3, column date: DuckDB cannot read '2025年1月3日' as a date; correct the cell, or use --engine builtin, which reads more formats (dates such as 2025年1月31日 or Excel serial numbers, amounts such as 1,234.50 or ¥(12.00))\n",
    );
    expect((await runCbp(['rfm', 'zh-dates.csv'], folder)).code).toBe(0);
    const amount = await runCbp(['plan', 'grouped.csv', '--engine', 'duckdb', '--budget', '100', '--out', 'g.xlsx', '--lang', 'zh-CN'], folder);
    expect(amount.stderr).toBe(
      "cbp plan: grouped.csv，第 3 行，amount 列：DuckDB 无法把 '1,234.50' 读作金额；请更正该单元格，或使用 --engine builtin，它能读取更多格式（如 2025年1月31日、Excel 日期序号这样的日期，1,234.50、¥(12.00) 这样的金额）\n",
    );
    expect((await runCbp(['plan', 'grouped.csv', '--budget', '100', '--out', 'g.xlsx'], folder)).code).toBe(0);
  });

  it('day/month order is never guessed: 01/02/2025 is refused, as the built-in reader refuses it without --date-order', async () => {
    writeFileSync(join(folder, 'ambiguous.csv'), 'customer,date,amount\nA,2025-01-02,10\nB,01/02/2025,5\n');
    expect((await runCbp(['rfm', 'ambiguous.csv'], folder)).code).toBe(2);
    expect((await runCbp(['rfm', 'ambiguous.csv', '--engine', 'duckdb'], folder)).stderr).toMatch(/^cbp rfm: ambiguous.csv, row 3, column date: DuckDB cannot read '01\/02\/2025' as a date;/);
    expect((await runCbp(['rfm', 'ambiguous.csv', '--engine', 'duckdb', '--date-order', 'dmy'], folder)).stderr).toBe('cbp rfm: --date-order is not available with --engine duckdb; use --engine builtin\n');
  });

  it('a missing column is the same error as with the built-in engine', async () => {
    writeFileSync(join(folder, 'nodate.csv'), 'customer,amount\nA,10\n');
    const builtin = await runCbp(['rfm', 'nodate.csv'], folder);
    expect(builtin.code).toBe(2);
    expect(await runCbp(['rfm', 'nodate.csv', '--engine', 'duckdb'], folder)).toEqual(builtin);
  });
});

describe('choosing the engine', () => {
  it('refuses what an engine cannot read, and a .duckdb file without --table', async () => {
    expect((await runCbp(['rfm', 'tx.parquet', '--engine', 'builtin'], folder)).stderr).toBe('cbp rfm: tx.parquet: --engine builtin reads CSV and .xlsx files only; use --engine duckdb for Parquet and .duckdb files\n');
    expect((await runCbp(['rfm', 'shop.duckdb'], folder)).stderr).toBe('cbp rfm: shop.duckdb is a DuckDB database: name the transactions table with --table NAME (schema.table also works)\n');
    expect((await runCbp(['rfm', 'tx.csv', '--table', 'x'], folder)).stderr).toBe('cbp rfm: --table applies to .duckdb files only, not tx.csv\n');
    expect((await runCbp(['rfm', 'x.xlsx', '--engine', 'duckdb'], folder)).stderr).toMatch(/--engine duckdb reads CSV, Parquet/);
    expect((await runCbp(['rfm', 'tx.csv', '--engine', 'duckdb', '--encoding', 'gb18030'], folder)).stderr).toMatch(/reads UTF-8 CSV only/);
    expect((await runCbp(['clv', 'tx.csv', '--engine', 'duckdb', '--model', 'bgnbd', '--holdout-from', '2025-05-01'], folder)).stderr).toBe('cbp clv: --holdout-from is not available with --engine duckdb; use --engine builtin\n');
    expect((await runCbp(['rfm', 'shop.duckdb', '--table', 'nosuch'], folder)).stderr).toMatch(/^cbp rfm: DuckDB could not read shop.duckdb: .*nosuch/);
  });

  it('leaves no temporary folder behind', () => {
    expect(cbpTemporaries()).toBe(temporariesBefore);
  });
});
