/**
 * Every statement of src/warehouse parses as one statement with node-sql-parser in each dialect it
 * has a grammar for: PostgreSQL, BigQuery, Snowflake and Spark SQL (its Hive grammar). DuckDB has
 * none there; its statements run for real in rfm-sql.test.ts and allocate-sql.test.ts, as
 * PostgreSQL's do.
 */
import { Parser } from 'node-sql-parser';
import { sqlCommand } from '../../src/cli/commands/sql';
import { Dialect } from '../../src/warehouse/dialects';
import { rfmSql } from '../../src/warehouse/rfm-sql';
import { summarySql } from '../../src/warehouse/summary-sql';
import { ALLOCATE_CASES, allocateArgs, RFM_CASES, SUMMARY_CASES } from './sql-cases';

const parser = new Parser();
const GRAMMARS: [Exclude<Dialect, 'duckdb'>, string][] = [
  ['postgres', 'postgresql'],
  ['bigquery', 'bigquery'],
  ['snowflake', 'snowflake'],
  ['spark', 'hive'],
];

function statementCount(text: string, database: string): number {
  const ast = parser.astify(text, { database });
  return Array.isArray(ast) ? ast.length : 1;
}

async function printed(argv: string[]): Promise<string> {
  let out = '';
  expect(await sqlCommand(argv, { stdout: (s) => (out += s), stderr: () => undefined, cwd: '/' })).toBe(0);
  return out.replace(/;\n$/, '');
}

describe.each(GRAMMARS)('%s', (dialect, database) => {
  test('the parser refuses a broken statement (so a pass means something)', () => {
    expect(() => parser.astify(rfmSql({ dialect, table: 'shop.tx' }).replace('FROM scored', 'FROM scored WHERE ('), { database })).toThrow();
  });
  test.each(RFM_CASES)('rfm: $name', ({ sql }) => {
    expect(statementCount(rfmSql({ ...sql, dialect, table: 'shop.tx' }), database)).toBe(1);
  });
  test.each(SUMMARY_CASES)('summary: $name', ({ options }) => {
    expect(statementCount(summarySql({ ...options, dialect, table: 'shop.tx' }), database)).toBe(1);
  });
  test.each(ALLOCATE_CASES)('allocate: $name', async (c) => {
    expect(statementCount(await printed(allocateArgs(c, dialect, 'crm.scores')), database)).toBe(1);
  });
  test('allocate with its refusals in Chinese', async () => {
    expect(statementCount(await printed([...allocateArgs(ALLOCATE_CASES[2], dialect, 'crm.scores'), '--lang', 'zh-CN']), database)).toBe(1);
  });
});
