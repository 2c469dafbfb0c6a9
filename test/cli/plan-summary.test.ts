/**
 * `cbp plan --summary FILE --clv-summary FILE`: the warehouse recipe. The statements of `cbp sql rfm`
 * and `cbp sql summary` run on DuckDB over generated transactions, their results are exported as
 * CSV and Parquet, and the plan made from them equals `cbp plan` on the transactions.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rfmSql } from '../../src/warehouse/rfm-sql';
import { summarySql } from '../../src/warehouse/summary-sql';
import { runCbp, tempFolder } from './run-cbp';
import { duckdb, engineRows, workbookCells, writeCsv } from './engine-data';

const folder = tempFolder();
const AS_OF = '2025-06-15';

/** A statement's result in the transactions' first-seen customer order (as a warehouse export would be sorted to match cbp). */
function firstSeenOrder(sql: string): string {
  return `SELECT q.* FROM (${sql}) AS q JOIN (SELECT customer, MIN(rowid) AS first_rn FROM tx GROUP BY customer) AS f ON f.customer = q.customer ORDER BY f.first_rn`;
}

beforeAll(async () => {
  writeCsv(join(folder, 'tx.csv'), engineRows());
  const rfm = firstSeenOrder(rfmSql({ dialect: 'duckdb', table: 'tx', order: 'order_id', asOf: AS_OF }));
  const summary = firstSeenOrder(summarySql({ dialect: 'duckdb', table: 'tx', asOf: AS_OF }));
  await duckdb([
    `CREATE TABLE tx AS SELECT * FROM read_csv('${join(folder, 'tx.csv')}', header = true, columns = {'customer': 'VARCHAR', 'order_id': 'VARCHAR', 'date': 'DATE', 'amount': 'DECIMAL(18,2)'})`,
    `COPY (${rfm}) TO '${join(folder, 'rfm.csv')}' (HEADER)`,
    `COPY (${summary}) TO '${join(folder, 'summary.csv')}' (HEADER)`,
    `COPY (${rfm}) TO '${join(folder, 'rfm.parquet')}' (FORMAT parquet)`,
    `COPY (${summary}) TO '${join(folder, 'summary.parquet')}' (FORMAT parquet)`,
  ]);
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Cells without the source file's name and the hash of the parameters that include it. */
const withoutSource = (cells: string[], source: string) => cells.map((c) => c.split(source).join('<source>').replace(/"[0-9a-f]{16}"$/, '<hash>'));

describe('a plan from the warehouse summaries equals cbp plan on the transactions', () => {
  test.each([
    ['RFM score weights', ['--budget', '250000'], false],
    ['CLV weights, optimal', ['--budget', '250000', '--clv', 'bgnbd', '--weight-basis', 'clv', '--method', 'optimal', '--saturation', '500', '--unit', '1'], true],
    ['monetary weights, rfm8, quarters, in Chinese', ['--budget', '99999', '--weight-basis', 'monetary', '--segments', 'rfm8', '--periods', 'quarters', '--lang', 'zh-CN'], false],
  ])('%s', async (_name, args, clv) => {
    const fromTx = await runCbp(['plan', 'tx.csv', '--as-of', AS_OF, ...args, '--out', 'tx.xlsx'], folder);
    expect(fromTx.code).toBe(0);
    const want = withoutSource(await workbookCells(join(folder, 'tx.xlsx')), 'tx.csv');
    expect(want.length).toBeGreaterThan(1000);
    for (const ext of ['csv', 'parquet']) {
      const files = ['--summary', `rfm.${ext}`, ...(clv ? ['--clv-summary', `summary.${ext}`] : [])];
      const fromSummary = await runCbp(['plan', ...files, '--as-of', AS_OF, ...args, '--out', `${ext}.xlsx`], folder);
      expect(fromSummary.stderr).toBe(`${ext}.xlsx: ${fromTx.stderr.split('tx.xlsx: ')[1].split('\n')[0]}\n`);
      expect(withoutSource(await workbookCells(join(folder, `${ext}.xlsx`)), `rfm.${ext}`)).toEqual(want);
    }
  });
});

describe('what --summary refuses', () => {
  const base = ['--budget', '1000', '--out', 'bad.xlsx'];
  const write = (name: string, text: string) => writeFileSync(join(folder, name), text);

  it('a summary without --as-of, with transactions too, or --clv bgnbd without --clv-summary', async () => {
    expect((await runCbp(['plan', '--summary', 'rfm.csv', ...base], folder)).stderr).toBe(
      'cbp plan: --summary needs --as-of DATE: the date the per-customer summary was computed at (its recency counts days up to that date)\n',
    );
    expect((await runCbp(['plan', 'tx.csv', '--summary', 'rfm.csv', '--as-of', AS_OF, ...base], folder)).stderr).toMatch(/give either a transactions file or --summary FILE, not both/);
    expect((await runCbp(['plan', '--summary', 'rfm.csv', '--as-of', AS_OF, '--clv', 'bgnbd', ...base], folder)).stderr).toMatch(/needs --clv-summary FILE/);
    expect((await runCbp(['plan', 'tx.csv', '--clv-summary', 'summary.csv', '--clv', 'bgnbd', ...base], folder)).stderr).toBe('cbp plan: --clv-summary goes with --summary (and --clv bgnbd)\n');
  });

  it('a missing column, a duplicate customer and bad cells, named by file, row and column, in English and Chinese', async () => {
    write('nofreq.csv', 'customer,recency,monetary\nA,3,10\n');
    expect((await runCbp(['plan', '--summary', 'nofreq.csv', '--as-of', AS_OF, ...base], folder)).stderr).toBe(
      "cbp plan: nofreq.csv: no column 'frequency' (purchases); the headers are 'customer', 'recency', 'monetary'\n",
    );
    write('dup.csv', 'customer,recency,frequency,monetary\nA,3,1,10\nB,4,2,20\nA,5,1,5\n');
    expect((await runCbp(['plan', '--summary', 'dup.csv', '--as-of', AS_OF, ...base, '--lang', 'zh-CN'], folder)).stderr).toBe(
      'cbp plan: dup.csv，第 4 行：客户“A”已在第 2 行出现；汇总表每位客户只能有一行\n',
    );
    write('badcell.csv', 'customer,recency,frequency,monetary\nA,3,1,10\nB,x,2,20\n');
    expect((await runCbp(['plan', '--summary', 'badcell.csv', '--as-of', AS_OF, ...base], folder)).stderr).toBe("cbp plan: badcell.csv: row 3, column recency: 'x' is not a number\n");
    expect((await runCbp(['plan', '--summary', 'badcell.csv', '--as-of', AS_OF, ...base, '--lang', 'zh-CN'], folder)).stderr).toMatch(/^cbp plan: badcell.csv：第 3 行，recency 列：/);
    write('half.csv', 'customer,recency,frequency,monetary\nA,3,1.5,10\n');
    expect((await runCbp(['plan', '--summary', 'half.csv', '--as-of', AS_OF, ...base], folder)).stderr).toBe('cbp plan: half.csv, row 2, column frequency: 1.5 is not a whole number of 0 or more\n');
    write('clv-bad.csv', 'customer,x,t_x,t,monetary\nA,1,10,5,3\n');
    expect((await runCbp(['plan', '--summary', 'dup.csv', '--clv-summary', 'clv-bad.csv', '--clv', 'bgnbd', '--as-of', AS_OF, ...base], folder)).stderr).toMatch(/^cbp plan: dup.csv, row 4: customer 'A' is already on row 2/);
    expect((await runCbp(['plan', '--summary', 'rfm.csv', '--clv-summary', 'clv-bad.csv', '--clv', 'bgnbd', '--as-of', AS_OF, ...base], folder)).stderr).toBe(
      'cbp plan: clv-bad.csv, row 2: t (5) is less than t_x (10); t counts days from the first purchase to the as-of date, t_x to the last purchase\n',
    );
  });
});
