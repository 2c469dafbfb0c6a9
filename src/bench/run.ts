/**
 * `npm run bench`: wall time and peak memory of the product's hot paths on seeded generated data.
 * Figures are printed, never asserted. Data is generated once into .tmp/bench and reused.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { allocateBudget } from '../engine/allocation/allocate';
import { computeRfm } from '../engine/rfm';
import { readTransactionsCsv } from '../cli/csv-transactions';
import { bestOf, collectGarbage, ensureTransactionCsv, mib, runCbpProcess, runTimes, timed } from './measure';
import { seededRandom } from '../engine/random';
import { rfmSql } from '../warehouse/rfm-sql';
import { conditionalExpectedPurchasesUpToTime, fitBgNbd, simulateBgNbd } from '../engine/clv';

const ROOT = join(__dirname, '..', '..');
const DATA = join(ROOT, '.tmp', 'bench');

function line(name: string, figure: string, target = ''): void {
  console.log(`${name.padEnd(58)} ${figure.padEnd(26)} ${target}`);
}

/** The engine's share of cbp rfm; its data is dropped on return, so later figures do not carry its heap. */
function benchRfmInProcess(csvPath: string): void {
  const bytes = readFileSync(csvPath);
  const read = timed(() => readTransactionsCsv(bytes));
  line('  of which: CSV bytes -> typed arrays', `${read.ms.toFixed(0)} ms`);
  const score = bestOf(3, () => computeRfm(read.result));
  line('  of which: RFM scores and segments (engine)', `${score.toFixed(0)} ms`);
}

/** A Python 3 with pandas, for the peer of cbp rfm (Debian: apt-get install python3-pandas); undefined without one. */
function pythonWithPandas(): string | undefined {
  return ['python3', '/usr/bin/python3'].find((python) => spawnSync(python, ['-c', 'import pandas'], { stdio: 'ignore' }).status === 0);
}

/** The same RFM in pandas (scripts/bench/rfm_pandas.py), as its own process, beside cbp rfm. */
function benchPandas(csvPath: string, cbpMs: number, label: string): void {
  const python = pythonWithPandas();
  if (!python) {
    line(`  pandas, ${label}`, 'not measured: no Python with pandas (apt-get install python3-pandas)');
    return;
  }
  const start = process.hrtime.bigint();
  const run = spawnSync(python, [join(ROOT, 'scripts', 'bench', 'rfm_pandas.py'), csvPath, join(DATA, 'rfm-pandas.csv')], { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status !== 0) throw new Error(run.stderr);
  line(`  pandas, ${label} (whole process)`, `${(ms / 1000).toFixed(2)} s`, `cbp rfm = ${(cbpMs / ms).toFixed(2)} x pandas (goal: <= 0.5)`);
}

/** cbp rfm as a user runs it, then the peer the issue names beside it. */
function benchCbpRfm(csvPath: string, label: string): number {
  const run = runCbpProcess(['rfm', csvPath, '--out', join(DATA, 'rfm-out.csv')], ROOT);
  if (run.exitCode !== 0) throw new Error(run.stderr);
  line(`cbp rfm, ${label} (whole process)`, `${(run.wallMs / 1000).toFixed(2)} s, ${mib(run.peakRssBytes)}`);
  return run.wallMs;
}

/** The statement of `cbp sql rfm --dialect duckdb` on the same CSV in DuckDB (a dev dependency), beside cbp. */
async function benchWarehouseSql(csvPath: string, cbpMs: number, goal = ''): Promise<void> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const columns = "{'customer': 'VARCHAR', 'order_id': 'VARCHAR', 'date': 'DATE', 'amount': 'DECIMAL(18,2)'}";
  const load = Date.now();
  await connection.run(`CREATE TABLE tx AS SELECT * FROM read_csv('${csvPath.split("'").join("''")}', header = true, columns = ${columns})`);
  const loadMs = Date.now() - load;
  const sql = rfmSql({ dialect: 'duckdb', table: 'tx', order: 'order_id' });
  let best = Infinity;
  for (let k = 0; k < 3; k++) {
    const start = Date.now();
    await connection.runAndReadAll(sql);
    best = Math.min(best, Date.now() - start);
  }
  line('  DuckDB: load the CSV into a table', `${loadMs} ms`);
  line('  DuckDB: the emitted cbp sql rfm statement on it', `${best} ms (best of 3)`, `cbp rfm = ${(cbpMs / (loadMs + best)).toFixed(2)} x DuckDB's load + query${goal}`);
  connection.closeSync();
  instance.closeSync();
}

/** The emitted statement on a PostgreSQL server started for the run (Debian's postgresql package), beside cbp; skipped without one. */
async function benchPostgres(csvPath: string, cbpMs: number, label: string): Promise<void> {
  type Pg = { psql: (sql: string) => string; stop: () => void };
  let pg: Pg;
  try {
    // The test suite's throwaway server (initdb, pg_ctl on 127.0.0.1), built apart from src by tsconfig.bench.json.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { startPgServer } = require(join(ROOT, 'dist', 'bench-hosts', 'test', 'warehouse', 'pg-server.js')) as { startPgServer: () => Promise<Pg> };
    pg = await startPgServer();
  } catch (error) {
    line(`  PostgreSQL, ${label}`, `not measured: ${(error as Error).message.split('\n')[0]}`);
    return;
  }
  try {
    const load = timed(() => pg.psql(`CREATE TABLE tx (customer text, order_id text, date date, amount numeric(18,2));\n\\copy tx FROM '${csvPath}' WITH (FORMAT csv, HEADER)\nANALYZE tx;`));
    const query = timed(() => pg.psql(`SET work_mem = '256MB';\nCREATE TEMP TABLE rfm AS ${rfmSql({ dialect: 'postgres', table: 'tx', order: 'order_id' })};`));
    line(`  PostgreSQL: \\copy the CSV into a table, ${label}`, `${(load.ms / 1000).toFixed(2)} s`);
    line('  PostgreSQL: the emitted cbp sql rfm statement on it', `${(query.ms / 1000).toFixed(2)} s`, `cbp rfm = ${(cbpMs / (load.ms + query.ms)).toFixed(2)} x PostgreSQL's load + query`);
  } finally {
    pg.stop();
  }
}

async function main(): Promise<void> {
  console.log(`Customer Budget Planner benchmarks (node ${process.version}, ${new Date().toISOString().slice(0, 10)})\n`);
  const csv1m = ensureTransactionCsv(DATA, 100_000, 1_000_000);
  const rfm1m = benchCbpRfm(csv1m, '1,000,000 rows / 100,000 customers');
  benchPandas(csv1m, rfm1m, '1,000,000 rows');
  benchRfmInProcess(csv1m);
  await benchWarehouseSql(csv1m, rfm1m);
  await benchPostgres(csv1m, rfm1m, '1M rows');

  // 10M rows / 1M customers (365 MB, written once); 100M rows (3.7 GB) with CBP_BENCH_100M=1.
  const csv10m = ensureTransactionCsv(DATA, 1_000_000, 10_000_000);
  const rfm10m = benchCbpRfm(csv10m, '10,000,000 rows / 1,000,000 customers');
  await benchWarehouseSql(csv10m, rfm10m, ' (goal: <= 1.5)');
  await benchPostgres(csv10m, rfm10m, '10M rows');
  if (process.env.CBP_BENCH_100M === '1') {
    const csv100m = ensureTransactionCsv(DATA, 1_000_000, 100_000_000);
    benchCbpRfm(csv100m, '100,000,000 rows / 1,000,000 customers');
  }

  const random = seededRandom(7);
  const weights = Float64Array.from({ length: 1_000_000 }, () => 1 + random() * 99);
  const proportional = bestOf(3, () => allocateBudget({ budget: 50_000_000, weights, floor: 10, cap: 500, reserve: 0.05, unit: 1 }));
  line('allocate 1,000,000 customers, proportional, floor + cap', `${proportional.toFixed(0)} ms`, 'target: < 300 ms');
  const equal = bestOf(3, () => allocateBudget({ budget: 50_000_000, weights, method: 'equal', unit: 0.01 }));
  line('allocate 1,000,000 customers, equal, to the cent', `${equal.toFixed(0)} ms`);

  const values = Float64Array.from({ length: 1_000_000 }, () => 1 + random() * 999);
  const saturation = Float64Array.from({ length: 1_000_000 }, () => 50 + random() * 500);
  const segments = Array.from({ length: 1_000_000 }, (_, i) => `S${i % 30}`);
  // 30 segment limits: a maximum share on the even segments, a minimum share on the odd ones.
  const maxShare = Object.fromEntries(Array.from({ length: 15 }, (_, k) => [`S${2 * k}`, 0.025 + 0.001 * k]));
  const minShare = Object.fromEntries(Array.from({ length: 15 }, (_, k) => [`S${2 * k + 1}`, 0.04 + 0.001 * k]));
  const optimalRun = () => allocateBudget({ budget: 50_000_000, weights: values, saturation, method: 'optimal', groups: segments, groupMaxShare: maxShare, groupMinShare: minShare, unit: 1 });
  collectGarbage();
  const optimalFirst = timed(optimalRun);
  const held = Object.keys(optimalFirst.result.optimal?.segmentLimits ?? {}).length;
  const optimal = runTimes(5, optimalRun);
  line(`allocate 1,000,000 customers, optimal, 30 segment limits (${held} binding)`, `median ${optimal[2].toFixed(0)} ms, best ${optimal[0].toFixed(0)} (first run ${optimalFirst.ms.toFixed(0)})`, 'target: < 500 ms');

  const cdnow = readFileSync(join(ROOT, 'test', 'fixtures', 'cdnow', 'cdnow_customers_summary_with_transactions.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
  const cdnowData = { frequency: cdnow.map((r) => r[1]), recency: cdnow.map((r) => r[2]), age: cdnow.map((r) => r[3]) };
  const cdnowFit = bestOf(3, () => {
    const fit = fitBgNbd(cdnowData);
    for (let i = 0; i < cdnow.length; i++) conditionalExpectedPurchasesUpToTime(fit.params, 39, cdnow[i][1], cdnow[i][2], cdnow[i][3]);
  });
  line('BG/NBD fit + predict, CDNOW (2,357 customers)', `${cdnowFit.toFixed(0)} ms`, 'target: < 50 ms');
  const simulated = simulateBgNbd({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, 100_000, 78, 12, 11);
  const big = timed(() => {
    const fit = fitBgNbd(simulated);
    for (let i = 0; i < 100_000; i++) conditionalExpectedPurchasesUpToTime(fit.params, 39, simulated.frequency[i], simulated.recency[i], simulated.age[i]);
    return fit.params;
  });
  line('BG/NBD fit + predict, 100,000 simulated customers', `${big.ms.toFixed(0)} ms`, 'target: < 1 s');
  line('  recovered r, alpha, a, b (true 0.243, 4.414, 0.793, 2.426)', [big.result.r, big.result.alpha, big.result.a, big.result.b].map((v) => v.toFixed(3)).join(', '));

  const plan = runCbpProcess(['plan', csv1m, '--budget', '5000000', '--reserve', '0.05', '--unit', '1', '--out', join(DATA, 'plan-100k.xlsx')], ROOT);
  if (plan.exitCode !== 0) throw new Error(plan.stderr);
  line('cbp plan, 100,000 customers / 1,000,000 rows -> .xlsx', `${(plan.wallMs / 1000).toFixed(2)} s, ${mib(plan.peakRssBytes)}`, 'target: < 20 s');

  try {
    // The host benches run on the test doubles, built apart from src by tsconfig.bench.json.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { benchPlanThroughFake } = require(join(ROOT, 'dist', 'bench-hosts', 'test', 'hosts', 'host-bench.js')) as { benchPlanThroughFake: (c: number, t: number) => Promise<{ syncs: number; maxRequestBytes: number; ms: number }> };
    const office = await benchPlanThroughFake(100_000, 1_000_000);
    line('Office.js plan, 100,000 customers (instrumented fake)', `${office.syncs} syncs, max request ${(office.maxRequestBytes / 1e6).toFixed(2)} MB`, 'limit: 5 MB per request');
  } catch (error) {
    line('Office.js plan, 100,000 customers (instrumented fake)', `not measured: ${(error as Error).message.split('\n')[0]}`);
  }

  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { benchSheetsPlanThroughFake } = require(join(ROOT, 'dist', 'bench-hosts', 'test', 'hosts', 'host-bench.js')) as { benchSheetsPlanThroughFake: (c: number, t: number) => Promise<{ calls: number; writeCalls: number; cellsWritten: number; setValuesCalls: number; ms: number }> };
    for (const [customers, rows] of [[10_000, 100_000], [100_000, 1_000_000]]) {
      const sheets = await benchSheetsPlanThroughFake(customers, rows);
      line(`Apps Script plan, ${customers.toLocaleString('en')} customers (Sheets fake)`, `${sheets.calls} calls (${sheets.writeCalls} write), ${(sheets.cellsWritten / 1e6).toFixed(2)} M cells, ${(sheets.ms / 1000).toFixed(1)} s`, 'limit: 6 min a run');
    }
  } catch (error) {
    line('Apps Script plan (Sheets fake)', `not measured: ${(error as Error).message.split('\n')[0]}`);
  }

  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { benchSheetsFunctions } = require(join(ROOT, 'dist', 'bench-hosts', 'test', 'sheets', 'function-bench.js')) as {
      benchSheetsFunctions: (budgetMs: number) => { name: string; unit: string; rows: number; ms: number; cellLimited: boolean }[];
    };
    console.log('\nGoogle Sheets custom functions: the largest input in 10 s (built Code.js in a vm, Node as the proxy for Apps Script)');
    for (const f of benchSheetsFunctions(10_000)) {
      const linear = f.cellLimited ? 'the 10 M-cell sheet limit first' : `~${Math.round((f.rows * 10_000) / f.ms / 1000) * 1000} in 10 s (linear)`;
      line(`  =${f.name}`, `${f.rows.toLocaleString('en')} ${f.unit.split(' ')[0]} in ${(f.ms / 1000).toFixed(1)} s`, linear);
    }
  } catch (error) {
    line('Google Sheets custom functions', `not measured: ${(error as Error).message.split('\n')[0]}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
