/** The allocate SQL on DuckDB, customer by customer against the engine's proportional allocation. */
import { DuckDBInstance } from '@duckdb/node-api';
import { allocateBudget } from '../../src/engine/allocation/allocate';
import { splitBudget } from '../../src/engine/allocation/budget';
import { allocateSql, SqlBound } from '../../src/warehouse/allocate-sql';

interface Row {
  customer: string;
  score: number;
  floor_amount: number | null;
  cap_amount: number | null;
}

/** 300 customers, weights 0..12 (many ties, some zero), floors and caps on some rows. */
function sampleRows(): Row[] {
  return Array.from({ length: 300 }, (_, i) => ({
    customer: `C${String(i).padStart(4, '0')}`,
    score: (i * 7) % 13,
    floor_amount: i % 5 === 0 ? 20.005 : null,
    cap_amount: i % 4 === 0 ? 400 : null,
  }));
}

interface Case {
  name: string;
  budget: number;
  unit: number;
  reserve: number;
  floor?: SqlBound;
  cap?: SqlBound;
}

const CASES: Case[] = [
  { name: 'unit 0.01, no bounds', budget: 100000, unit: 0.01, reserve: 0 },
  { name: 'unit 1, constant floor and cap binding, reserve 5 %', budget: 50000, unit: 1, reserve: 0.05, floor: { amount: 50 }, cap: { amount: 300 } },
  { name: 'unit 0.01, floor and cap columns', budget: 70000.37, unit: 0.01, reserve: 0, floor: { column: 'floor_amount' }, cap: { column: 'cap_amount' } },
  { name: 'caps hold the total below the budget (unallocated)', budget: 1000000, unit: 1, reserve: 0, cap: { amount: 300 } },
];

const rows = sampleRows();

test.each(CASES)('$name: every amount equals the engine', async ({ budget, unit, reserve, floor, cap }) => {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const values = rows.map((r) => `('${r.customer}', ${r.score}, ${r.floor_amount ?? 'NULL'}, ${r.cap_amount ?? 'NULL'})`).join(', ');
  await connection.run(`CREATE TABLE weights AS SELECT * FROM (VALUES ${values}) AS t(customer, score, floor_amount, cap_amount)`);
  const split = splitBudget({ budget, unit, reserve });
  const sql = allocateSql({ dialect: 'duckdb', table: 'weights', distributableUnits: split.distributableUnits, unitMinor: split.unitMinor, floor, cap });
  const got = (await connection.runAndReadAll(sql)).getRowObjectsJS().map((o) => Math.round(Number(o.allocation) * 100));
  connection.closeSync();
  instance.closeSync();
  const bound = (b: SqlBound | undefined, key: 'floor_amount' | 'cap_amount') => (b === undefined ? undefined : 'amount' in b ? b.amount : Float64Array.from(rows, (r) => r[key] ?? NaN));
  const engine = allocateBudget({ budget, unit, reserve, weights: Float64Array.from(rows, (r) => r.score), floor: bound(floor, 'floor_amount'), cap: bound(cap, 'cap_amount') });
  expect(got).toEqual(Array.from(engine.amountsMinor));
  expect(got.reduce((s, x) => s + x, 0)).toBe(engine.distributableMinor - engine.unallocatedMinor);
});
