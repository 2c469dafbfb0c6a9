/**
 * The SQL from src/warehouse run on real engines (DuckDB from npm, a PostgreSQL server started
 * here) on generated data with ties, compared customer by customer with the built-in engine.
 */
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeRfm, latestPurchaseDate, RfmRow } from '../../src/engine/rfm';
import { Transactions } from '../../src/engine/transactions';
import { generateTransactions, TransactionRow } from '../../src/samples/generate';
import { rfmSql } from '../../src/warehouse/rfm-sql';
import { summarySql, SummarySqlOptions } from '../../src/warehouse/summary-sql';
import { summariseTransactions } from '../../src/engine/clv/summary';
import { PgServer, startPgServer } from './pg-server';
import { epochDays, RFM_CASES as CASES, SUMMARY_CASES } from './sql-cases';


/** 600 customers, 6,000 rows over 120 days (many ties in R, F and M), plus refunds and zero rows. */
function sampleRows(): TransactionRow[] {
  const rows: TransactionRow[] = [];
  generateTransactions({ customers: 600, transactions: 6000, seed: 16, firstDay: epochDays('2025-01-01'), lastDay: epochDays('2025-04-30') }, (row) =>
    rows.push({ ...row, amount: Math.round(row.amount / 5) * 5 }),
  );
  // Refunds (negative amounts count in monetary, not in frequency or recency), zero rows and a
  // customer with only a refund (left out), and two customers sharing an order id.
  rows.push({ customer: 'C000001', orderId: 'R1', date: '2025-04-30', amount: -20 });
  rows.push({ customer: 'C000002', orderId: 'Z1', date: '2025-04-29', amount: 0 });
  rows.push({ customer: 'ONLYREFUND', orderId: 'R2', date: '2025-03-01', amount: -10 });
  rows.push({ customer: 'C000003', orderId: 'SHARED', date: '2025-02-01', amount: 12.34 });
  rows.push({ customer: 'C000004', orderId: 'SHARED', date: '2025-02-01', amount: 12.34 });
  return rows;
}

function engineTransactions(rows: readonly TransactionRow[], withOrders: boolean): Transactions {
  const customers = new Map<string, number>();
  const orders = new Map<string, number>();
  const intern = (map: Map<string, number>, key: string): number => {
    let i = map.get(key);
    if (i === undefined) map.set(key, (i = map.size));
    return i;
  };
  return {
    customerIndex: Int32Array.from(rows, (r) => intern(customers, r.customer)),
    customerIds: [...customers.keys()],
    dates: Int32Array.from(rows, (r) => epochDays(r.date)),
    amountsMinor: Float64Array.from(rows, (r) => Math.round(r.amount * 100)),
    orderIndex: withOrders ? Int32Array.from(rows, (r) => intern(orders, r.orderId)) : undefined,
    orderIds: withOrders ? [...orders.keys()] : undefined,
    sourceRows: Int32Array.from(rows, (_r, i) => i + 2),
    skipped: [],
  };
}

interface SqlRow {
  customer: string;
  recency: number;
  frequency: number;
  monetary: number;
  r_score: number;
  f_score: number;
  m_score: number;
  rfm_code: string;
  score: number;
  segment: string;
}

function expectSameAsEngine(sqlRows: readonly SqlRow[], engineRows: readonly RfmRow[]): void {
  const byCustomer = new Map(sqlRows.map((row) => [row.customer, row]));
  expect(byCustomer.size).toBe(engineRows.length);
  const mismatches: string[] = [];
  for (const e of engineRows) {
    const s = byCustomer.get(e.customer);
    const got = s && [s.recency, s.frequency, s.monetary, s.r_score, s.f_score, s.m_score, s.rfm_code, s.score, s.segment];
    const want = [e.recencyDays, e.frequency, e.monetary, e.r, e.f, e.m, e.code, e.score, e.segment];
    if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push(`${e.customer}: sql ${JSON.stringify(got)} engine ${JSON.stringify(want)}`);
  }
  expect(mismatches.slice(0, 5)).toEqual([]);
}


interface SummaryRow {
  customer: string;
  x: number;
  t_x: number;
  t: number;
  monetary: number;
}

function expectSameSummary(sqlRows: readonly SummaryRow[], options: Omit<SummarySqlOptions, 'dialect' | 'table'>): void {
  const tx = engineTransactions(rows, false);
  const end = options.asOf ? epochDays(options.asOf) : latestPurchaseDate(tx);
  const s = summariseTransactions(tx, end, options.unit ?? 'days');
  const byCustomer = new Map(sqlRows.map((row) => [row.customer, row]));
  expect(byCustomer.size).toBe(s.customerIds.length);
  const mismatches: string[] = [];
  s.customerIds.forEach((c, i) => {
    const g = byCustomer.get(c);
    const got = g && [Number(g.x), Number(g.t_x), Number(g.t), Number(g.monetary)];
    const want = [s.frequency[i], s.recency[i], s.age[i], s.monetary[i]];
    if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push(`${c}: sql ${JSON.stringify(got)} engine ${JSON.stringify(want)}`);
  });
  expect(mismatches.slice(0, 5)).toEqual([]);
}


const rows = sampleRows();
let dir: string;
let csvPath: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cbp-wh-'));
  csvPath = join(dir, 'tx.csv');
  writeFileSync(csvPath, 'customer,order_id,date,amount\n' + rows.map((r) => `${r.customer},${r.orderId},${r.date},${r.amount.toFixed(2)}`).join('\n') + '\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('the sample has ties in every measure', () => {
  const result = computeRfm(engineTransactions(rows, true));
  for (const key of ['recencyDays', 'frequency', 'monetary'] as const) {
    expect(new Set(result.rows.map((r) => r[key])).size).toBeLessThan(result.rows.length * 0.7);
  }
});

describe('DuckDB', () => {
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;
  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
    await connection.run(
      `CREATE TABLE "tx data" AS SELECT * FROM read_csv('${csvPath}', header = true, columns = {'customer': 'VARCHAR', 'order_id': 'VARCHAR', 'date': 'DATE', 'amount': 'DECIMAL(18,2)'})`,
    );
  });
  afterAll(() => {
    connection.closeSync();
    instance.closeSync();
  });
  test.each(CASES)('$name', async ({ sql, engine, orders }) => {
    const reader = await connection.runAndReadAll(rfmSql({ ...sql, dialect: 'duckdb', table: 'tx data' }));
    const got = reader.getRowObjectsJS().map((o) => ({ ...o, recency: Number(o.recency), frequency: Number(o.frequency), r_score: Number(o.r_score), f_score: Number(o.f_score), m_score: Number(o.m_score) }) as unknown as SqlRow);
    expectSameAsEngine(got, computeRfm(engineTransactions(rows, orders), engine).rows);
  });
  test.each(SUMMARY_CASES)('$name', async ({ options }) => {
    const reader = await connection.runAndReadAll(summarySql({ ...options, dialect: 'duckdb', table: 'tx data' }));
    expectSameSummary(reader.getRowObjectsJS() as unknown as SummaryRow[], options);
  });
});

function parseCsv<T = SqlRow>(text: string): T[] {
  const lines = text.trim().split('\n');
  const header = lines[0].split(',');
  return lines.slice(1).map((line) => {
    const cells = line.split(',');
    const o: Record<string, string | number> = {};
    header.forEach((h, i) => (o[h] = ['customer', 'rfm_code', 'segment'].includes(h) ? cells[i].replace(/^"|"$/g, '').replace(/""/g, '"') : Number(cells[i])));
    return o as unknown as T;
  });
}

describe('PostgreSQL', () => {
  let pg: PgServer;
  beforeAll(async () => {
    pg = await startPgServer();
    const data = rows.map((r) => `${r.customer},${r.orderId},${r.date},${r.amount.toFixed(2)}`).join('\n');
    pg.psql(`CREATE SCHEMA sales; CREATE TABLE sales.tx (customer text, order_id text, date date, amount numeric(18,2));\nCOPY sales.tx FROM STDIN WITH (FORMAT csv);\n${data}\n\\.\n`);
  }, 120000);
  afterAll(() => pg?.stop());
  test.each(CASES)('$name', ({ sql, engine, orders }) => {
    const got = parseCsv(pg.psql(rfmSql({ ...sql, dialect: 'postgres', table: 'sales.tx' }), true));
    expectSameAsEngine(got, computeRfm(engineTransactions(rows, orders), engine).rows);
  });
  test.each(SUMMARY_CASES)('$name', ({ options }) => {
    expectSameSummary(parseCsv<SummaryRow>(pg.psql(summarySql({ ...options, dialect: 'postgres', table: 'sales.tx' }), true)), options);
  });
});
