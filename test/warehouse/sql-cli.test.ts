/** `cbp sql`: the statement it prints, and its errors in English and Chinese. */
import { sqlCommand } from '../../src/cli/commands/sql';
import { UsageError } from '../../src/cli/io';
import { t } from '../../src/i18n';
import { rfmSql } from '../../src/warehouse/rfm-sql';
import { summarySql } from '../../src/warehouse/summary-sql';

async function run(argv: string[]): Promise<string> {
  let out = '';
  const code = await sqlCommand(argv, { stdout: (s) => (out += s), stderr: () => undefined, cwd: '/' });
  expect(code).toBe(0);
  return out;
}

test('cbp sql rfm prints the builder statement for the options given', async () => {
  const out = await run(['rfm', '--dialect', 'postgres', '--table', 'sales.tx', '--order', 'order_id', '--bins', '4', '--segments', 'rfm8', '--lang', 'en', '--weights', '2,1,1', '--as-of', '2025-12-31']);
  expect(out).toBe(rfmSql({ dialect: 'postgres', table: 'sales.tx', order: 'order_id', bins: 4, scheme: 'rfm8', language: 'en', weights: [2, 1, 1], asOf: '2025-12-31' }) + ';\n');
  expect(out).toContain('RANK() OVER (ORDER BY recency_days DESC)');
  expect(out).toContain('"sales"."tx"');
  expect(out).not.toMatch(/ntile/i);
});

test('cbp sql summary in weeks on BigQuery quotes with backticks and uses DATE_DIFF', async () => {
  const out = await run(['summary', '--dialect', 'bigquery', '--table', 'p.d.tx', '--unit', 'weeks', '--customer', 'client id']);
  expect(out).toBe(summarySql({ dialect: 'bigquery', table: 'p.d.tx', unit: 'weeks', customer: 'client id' }) + ';\n');
  expect(out).toContain('`p`.`d`.`tx`');
  expect(out).toContain('`client id`');
  expect(out).toContain('DATE_DIFF(');
  expect(out).toContain(' / 7');
});

test.each([
  [['rfm', '--table', 't'], 'give the warehouse with --dialect duckdb|postgres|bigquery|snowflake|spark'],
  [['rfm', '--dialect', 'oracle', '--table', 't'], "unknown dialect 'oracle'; give --dialect duckdb|postgres|bigquery|snowflake|spark"],
  [['rfm', '--dialect', 'duckdb'], 'give the transactions table with --table NAME (schema.table or project.dataset.table)'],
  [['clv', '--dialect', 'duckdb', '--table', 't'], "unknown query 'clv'; give one of rfm, summary, allocate, e.g. cbp sql rfm --dialect postgres --table sales.transactions"],
  [['rfm', '--dialect', 'duckdb', '--table', 't', '--as-of', '2025-02-30'], "--as-of '2025-02-30' is not a date; write it as yyyy-mm-dd, e.g. 2025-12-31"],
])('%j fails with a usage error', async (argv, message) => {
  await expect(sqlCommand(argv, { stdout: () => undefined, stderr: () => undefined, cwd: '/' })).rejects.toThrow(new UsageError(message));
});

test('the engine checks apply: rfm10 needs 5 bins', async () => {
  await expect(run(['rfm', '--dialect', 'duckdb', '--table', 't', '--bins', '4'])).rejects.toThrow(/rfm10 rules are defined for scores 1 to 5/);
});

test('every cbp sql message has a Chinese translation', () => {
  expect(t('zh-CN', 'sql.unknownDialect', { dialect: 'oracle', dialects: 'duckdb|postgres' })).toBe('未知的数据库方言“oracle”；请用 --dialect duckdb|postgres');
  expect(t('zh-CN', 'sql.missingTable')).toBe('请用 --table 名称 指定交易表（schema.table 或 project.dataset.table）');
  for (const key of ['sql.unknownQuery', 'sql.missingDialect', 'sql.badDate']) expect(t('zh-CN', key)).not.toBe(t('en', key));
});
