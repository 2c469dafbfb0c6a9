/**
 * The statement `cbp sql allocate` prints, run on DuckDB and on a PostgreSQL server started here,
 * customer by customer against the engine's proportional allocation (in minor units), and the
 * refusals of what the engine refuses, at run time, in English and Chinese.
 */
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { sqlCommand } from '../../src/cli/commands/sql';
import { allocateBudget } from '../../src/engine/allocation/allocate';
import { PgServer, startPgServer } from './pg-server';
import { ALLOCATE_CASES as CASES, AllocateCase as Case, allocateArgs as cliArgs } from './sql-cases';

interface Row {
  customer: string;
  score: number;
  floor_amount: number | null;
  cap_amount: number | null;
}

/**
 * 480 customers in a shuffled order: weights 0..12 and a few fractions (many ties, some zero),
 * floors (not multiples of the unit) and caps on some rows, ids whose binary order is not their
 * alphabetical one (upper case before lower, Ä and Chinese after z).
 */
function sampleRows(): Row[] {
  const special = ['a-lower', 'B-upper', 'Ärger', '客户甲', '客户乙', 'z9'];
  const rows = Array.from({ length: 480 }, (_, i): Row => ({
    customer: i < special.length ? special[i] : `C${String((i * 389) % 1000).padStart(4, '0')}`,
    score: i % 17 === 0 ? 1 / 3 : (i * 7) % 13,
    floor_amount: i % 5 === 0 ? 20.005 : i % 11 === 0 ? 130 : null,
    cap_amount: i % 4 === 0 ? 400 : i % 9 === 0 ? 1234.56 : null,
  }));
  return rows;
}

const rows = sampleRows();

/** The rows in the statement's tie order: customer by UTF-8 bytes. */
const sorted = [...rows].sort((a, b) => Buffer.compare(Buffer.from(a.customer), Buffer.from(b.customer)));

async function printed(argv: string[]): Promise<string> {
  let out = '';
  expect(await sqlCommand(argv, { stdout: (s) => (out += s), stderr: () => undefined, cwd: '/' })).toBe(0);
  expect(out.endsWith(';\n')).toBe(true);
  return out;
}

function engineMinor(c: Case): { amounts: number[]; allocated: number; budgetMinor: number; heldBack: number } {
  const bound = (b: Case['floor'] | Case['cap'], key: 'floor_amount' | 'cap_amount') => (b === undefined ? undefined : typeof b === 'number' ? b : Float64Array.from(sorted, (r) => r[key] ?? NaN));
  const result = allocateBudget({ budget: c.budget, unit: c.unit, reserve: c.reserve, weights: Float64Array.from(sorted, (r) => r.score), floor: bound(c.floor, 'floor_amount'), cap: bound(c.cap, 'cap_amount') });
  return { amounts: Array.from(result.amountsMinor), allocated: result.distributableMinor - result.unallocatedMinor, budgetMinor: result.budgetMinor, heldBack: result.reserveMinor + result.unallocatedMinor };
}

/** Amounts per customer in minor units, in the statement's order (which must be the binary order). */
function expectSameAsEngine(got: { customer: string; allocation: number }[], c: Case): void {
  const engine = engineMinor(c);
  expect(got.map((g) => g.customer)).toEqual(sorted.map((r) => r.customer));
  const minor = got.map((g) => Math.round(g.allocation * 100));
  const mismatches = minor.flatMap((m, i) => (m === engine.amounts[i] ? [] : [`${sorted[i].customer}: sql ${m} engine ${engine.amounts[i]}`]));
  expect(mismatches.slice(0, 5)).toEqual([]);
  // The amounts and what is held back (reserve and anything nobody could take) add up to the budget exactly.
  expect(minor.reduce((s, x) => s + x, 0)).toBe(engine.allocated);
  expect(engine.allocated + engine.heldBack).toBe(engine.budgetMinor);
}

test('the sample has ties, zero weights and bounds that bind', () => {
  expect(new Set(rows.map((r) => r.score)).size).toBeLessThan(20);
  expect(rows.some((r) => r.score === 0 && r.floor_amount !== null)).toBe(true);
  const capped = allocateBudget({ budget: 170000.37, weights: Float64Array.from(sorted, (r) => r.score), floor: Float64Array.from(sorted, (r) => r.floor_amount ?? NaN), cap: Float64Array.from(sorted, (r) => r.cap_amount ?? NaN) });
  expect(capped.atBound.filter((b) => b === 'cap').length).toBeGreaterThan(10);
  expect(capped.atBound.filter((b) => b === 'floor').length).toBeGreaterThan(10);
  // Remainder ties decide some amounts: the engine on the rows in file order gives some customer another amount.
  const inFileOrder = allocateBudget({ budget: 100000, weights: Float64Array.from(rows, (r) => r.score) });
  const fileAmount = new Map(rows.map((r, i) => [r.customer, inFileOrder.amountsMinor[i]]));
  const sortedOrder = allocateBudget({ budget: 100000, weights: Float64Array.from(sorted, (r) => r.score) });
  expect(sorted.filter((r, i) => fileAmount.get(r.customer) !== sortedOrder.amountsMinor[i]).length).toBeGreaterThan(0);
});

/** A refusal's message as the warehouse reports it (the statement casts the message to a number). */
const REFUSALS = [
  { name: 'floors above the budget', budget: 1000, floor: '60', values: rows, en: 'the floors add up to 28800.00, more than the 1000.00 to distribute; lower the floors or raise the budget', zh: '下限合计 28800.00，超过了可分配的 1000.00；请降低下限或提高预算' },
  { name: 'a negative weight', budget: 1000, floor: undefined, values: rows.map((r, i) => (i === 7 ? { ...r, score: -2 } : r)), en: `customer ${rows[7].customer}: the weight -2`, zh: `客户 ${rows[7].customer}：权重 -2` },
];

describe('DuckDB, the statement printed by cbp sql allocate', () => {
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;
  const load = async (table: string, data: readonly Row[]) => {
    const values = data.map((r) => `('${r.customer}', ${r.score}, ${r.floor_amount ?? 'NULL'}, ${r.cap_amount ?? 'NULL'})`).join(', ');
    await connection.run(`CREATE OR REPLACE TABLE ${table} AS SELECT customer, CAST(score AS DOUBLE) AS score, CAST(floor_amount AS DOUBLE) AS floor_amount, CAST(cap_amount AS DOUBLE) AS cap_amount FROM (VALUES ${values}) AS t(customer, score, floor_amount, cap_amount)`);
  };
  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
    await load('scores', rows);
  });
  afterAll(() => {
    connection.closeSync();
    instance.closeSync();
  });
  test.each(CASES)('$name', async (c) => {
    const reader = await connection.runAndReadAll(await printed(cliArgs(c, 'duckdb', 'scores')));
    expectSameAsEngine(reader.getRowObjectsJS().map((o) => ({ customer: String(o.customer), allocation: Number(o.allocation) })), c);
  });
  test.each(REFUSALS)('refuses $name at run time, in English and Chinese', async ({ budget, floor, values, en, zh }) => {
    await load('refused', values);
    const args = ['allocate', '--dialect', 'duckdb', '--table', 'refused', '--budget', String(budget), ...(floor ? ['--floor', floor] : [])];
    await expect(connection.runAndReadAll(await printed(args))).rejects.toThrow(en);
    await expect(connection.runAndReadAll(await printed([...args, '--lang', 'zh-CN']))).rejects.toThrow(zh);
  });
});

function parsePsqlCsv(text: string): { customer: string; allocation: number }[] {
  const [header, ...lines] = text.trim().split('\n');
  const names = header.split(',');
  return lines.map((line) => {
    // Customer ids here have no commas or quotes; allocation is a plain number.
    const cells = line.split(',');
    return { customer: cells[names.indexOf('customer')], allocation: Number(cells[names.indexOf('allocation')]) };
  });
}

describe('PostgreSQL', () => {
  let pg: PgServer;
  const load = (table: string, data: readonly Row[]) => {
    const csv = data.map((r) => `${r.customer},${r.score},${r.floor_amount ?? ''},${r.cap_amount ?? ''}`).join('\n');
    pg.psql(`DROP TABLE IF EXISTS ${table}; CREATE TABLE ${table} (customer text, score double precision, floor_amount double precision, cap_amount double precision);\nCOPY ${table} FROM STDIN WITH (FORMAT csv);\n${csv}\n\\.\n`);
  };
  beforeAll(async () => {
    pg = await startPgServer();
    pg.psql('CREATE SCHEMA crm;');
    load('crm.scores', rows);
  }, 120000);
  afterAll(() => pg?.stop());
  test.each(CASES)('$name', async (c) => {
    expectSameAsEngine(parsePsqlCsv(pg.psql(await printed(cliArgs(c, 'postgres', 'crm.scores')), true)), c);
  });
  test.each(REFUSALS)('refuses $name at run time, in English and Chinese', async ({ budget, floor, values, en, zh }) => {
    load('crm.refused', values);
    const args = ['allocate', '--dialect', 'postgres', '--table', 'crm.refused', '--budget', String(budget), ...(floor ? ['--floor', floor] : [])];
    const failure = async (argv: string[]): Promise<string> => {
      const sql = await printed(argv);
      try {
        pg.psql(sql, true);
      } catch (error) {
        return String((error as { stderr?: string }).stderr);
      }
      throw new Error('the statement ran');
    };
    expect(await failure(args)).toContain(en);
    expect(await failure([...args, '--lang', 'zh-CN'])).toContain(zh);
  });
});
