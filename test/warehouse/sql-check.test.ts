/**
 * `cbp sql ... --check RESULT.csv`: the statement run on DuckDB, its result exported with COPY as a
 * warehouse would export it, then compared by cbp with its own result on the same sample: a match,
 * an edited cell (named by customer and column) and a missing customer.
 */
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateTransactions, TransactionRow } from '../../src/samples/generate';
import { runCbp, tempFolder } from '../cli/run-cbp';
import { epochDays } from './sql-cases';

function transactions(): TransactionRow[] {
  const rows: TransactionRow[] = [];
  generateTransactions({ customers: 300, transactions: 3000, seed: 7, firstDay: epochDays('2025-01-01'), lastDay: epochDays('2025-06-30') }, (row) => rows.push({ ...row, amount: Math.round(row.amount / 5) * 5 }));
  rows.push({ customer: 'C000001', orderId: 'R1', date: '2025-06-30', amount: -20 });
  return rows;
}

/** Per customer: a weight with ties and zeros, floors and caps on some rows, in no particular order. */
function customers(): string {
  const lines = Array.from({ length: 250 }, (_, i) => {
    const id = `K${String((i * 97) % 250).padStart(3, '0')}`;
    return `${id},${(i * 5) % 9},${i % 6 === 0 ? '15.5' : ''},${i % 7 === 0 ? '900' : ''}`;
  });
  return 'customer,score,floor_amount,cap_amount\n' + lines.join('\n') + '\n';
}

const folder = tempFolder({
  'sample.csv': 'customer,order_id,date,amount\n' + transactions().map((r) => `${r.customer},${r.orderId},${r.date},${r.amount.toFixed(2)}`).join('\n') + '\n',
  'customers.csv': customers(),
});

let instance: DuckDBInstance;
let connection: DuckDBConnection;
beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  connection = await instance.connect();
  await connection.run(`CREATE TABLE tx AS SELECT * FROM read_csv('${join(folder, 'sample.csv')}', header = true, columns = {'customer': 'VARCHAR', 'order_id': 'VARCHAR', 'date': 'DATE', 'amount': 'DECIMAL(18,2)'})`);
  await connection.run(`CREATE TABLE scores AS SELECT * FROM read_csv('${join(folder, 'customers.csv')}', header = true, columns = {'customer': 'VARCHAR', 'score': 'DOUBLE', 'floor_amount': 'DOUBLE', 'cap_amount': 'DOUBLE'})`);
});
afterAll(() => {
  connection.closeSync();
  instance.closeSync();
  rmSync(folder, { recursive: true, force: true });
});

/** Runs the statement cbp prints on DuckDB and exports the result as `file` with a header, as COPY writes it. */
async function exportResult(argv: string[], file: string): Promise<void> {
  const printed = await runCbp(['sql', ...argv, '--dialect', 'duckdb'], folder);
  expect(printed.code).toBe(0);
  await connection.run(`COPY (${printed.stdout.replace(/;\n$/, '')}) TO '${join(folder, file)}' (HEADER)`);
}

/** The exported file with one line edited (`edit` gets the header and the line's cells). */
function editResult(file: string, edited: string, edit: (lines: string[]) => string[]): void {
  writeFileSync(join(folder, edited), edit(readFileSync(join(folder, file), 'utf8').trimEnd().split('\n')).join('\n') + '\n');
}

function setCell(lines: string[], line: number, column: string, value: string): string[] {
  const index = lines[0].split(',').indexOf(column);
  const cells = lines[line].split(',');
  cells[index] = value;
  return lines.map((l, i) => (i === line ? cells.join(',') : l));
}

const CHECKS = [
  { query: 'rfm', options: ['--table', 'tx', '--order', 'order_id', '--segments', 'rfm8', '--lang', 'en'], sample: ['--transactions', 'sample.csv'], column: 'segment', value: 'Somebody else' },
  { query: 'rfm', options: ['--table', 'tx', '--as-of', '2025-05-31', '--weights', '2,1,1'], sample: ['--transactions', 'sample.csv'], column: 'monetary', value: '1.5' },
  { query: 'summary', options: ['--table', 'tx', '--unit', 'weeks', '--as-of', '2025-06-15'], sample: ['--transactions', 'sample.csv'], column: 't_x', value: '0.5' },
  { query: 'allocate', options: ['--table', 'scores', '--budget', '30000.55', '--floor', 'floor_amount', '--cap', 'cap_amount', '--reserve', '0.02'], sample: ['--customers', 'customers.csv'], column: 'allocation', value: '' },
];

describe.each(CHECKS)('cbp sql $query $options --check', ({ query, options, sample, column, value }) => {
  const file = `${query}-${options.length}.csv`;
  const check = (result: string, extra: string[] = []) => runCbp(['sql', query, ...options, '--check', result, ...sample, ...extra], folder);
  beforeAll(() => exportResult([query, ...options], file));

  test('the warehouse result matches: exit 0 and every customer compared', async () => {
    const run = await check(file);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const count = readFileSync(join(folder, file), 'utf8').trimEnd().split('\n').length - 1;
    expect(run.stdout).toContain(`customers compared: ${count}\n`);
    expect(run.stdout).toContain('customers only in');
    expect(run.stdout).toMatch(/result: every customer and every column match\n$/);
  });

  test('an edited cell is reported with its customer and column: exit 1', async () => {
    let customer = '';
    let original = '';
    editResult(file, `edited-${file}`, (lines) => {
      const cells = lines[5].split(',');
      customer = cells[0];
      original = cells[lines[0].split(',').indexOf(column)];
      // allocation: one cent more, which must not pass as rounding noise.
      return setCell(lines, 5, column, value || (Number(original) + 0.01).toFixed(2));
    });
    const run = await check(`edited-${file}`);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`column ${column} differs for 1 customers:\n  customer ${customer}: warehouse ${value || (Number(original) + 0.01).toFixed(2)}, cbp `);
    expect(run.stdout).toMatch(/result: the warehouse and cbp differ \(see above\)\n$/);
  });

  test('a customer missing from the result is reported: exit 1', async () => {
    let customer = '';
    editResult(file, `missing-${file}`, (lines) => {
      customer = lines[3].split(',')[0];
      return lines.filter((_, i) => i !== 3);
    });
    const run = await check(`missing-${file}`);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`customers only in cbp's result on ${sample[1]}: 1, e.g. ${customer}\n`);
    expect(run.stdout).toContain(`customers only in missing-${file}: 0\n`);
  });
});

test('the report in Chinese, and a result without the statement\'s columns', async () => {
  await exportResult(['summary', '--table', 'tx'], 'summary-zh.csv');
  editResult('summary-zh.csv', 'summary-zh-edited.csv', (lines) => setCell(lines, 2, 'x', '99'));
  const run = await runCbp(['sql', 'summary', '--check', 'summary-zh-edited.csv', '--transactions', 'sample.csv', '--lang', 'zh-CN'], folder);
  expect(run.code).toBe(1);
  expect(run.stdout).toMatch(/^cbp sql summary --check：summary-zh-edited.csv（数据仓库）对照 cbp 在 sample.csv 上的结果\n比对的客户数：\d+\n/);
  expect(run.stdout).toMatch(/列 x 有 1 个客户不一致：\n {2}客户 \S+：数据仓库 99，cbp \d+\n/);
  expect(run.stdout).toMatch(/结果：数据仓库与 cbp 不一致（见上）\n$/);
  editResult('summary-zh.csv', 'summary-no-t.csv', (lines) => lines.map((l) => l.split(',').slice(0, 3).join(',')));
  const missing = await runCbp(['sql', 'summary', '--check', 'summary-no-t.csv', '--transactions', 'sample.csv'], folder);
  expect(missing.code).toBe(2);
  expect(missing.stderr).toBe("cbp sql: summary-no-t.csv has no column t, monetary; export the statement's whole result (columns customer, x, t_x, t, monetary)\n");
});
