/** `cbp sql`: the statement it prints, and its errors in English and Chinese. */
import { sqlCommand } from '../../src/cli/commands/sql';
import { UsageError } from '../../src/cli/io';
import { t } from '../../src/i18n';
import { rfmSql } from '../../src/warehouse/rfm-sql';
import { summarySql } from '../../src/warehouse/summary-sql';
import { allocateSql } from '../../src/warehouse/allocate-sql';
import { splitBudget } from '../../src/engine/allocation/budget';
import { runCbp } from '../cli/run-cbp';

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

describe('cbp sql allocate', () => {
  test('prints the builder statement for the distributable amount in whole units', async () => {
    const out = await run(['allocate', '--dialect', 'snowflake', '--table', 'CRM.SCORES', '--customer', 'CUSTOMER', '--weight', 'CLV', '--budget', '500,000', '--reserve', '0.05', '--unit', '100', '--floor', 'MIN_BUDGET', '--cap', '20000']);
    const split = splitBudget({ budget: 500000, reserve: 0.05, unit: 100 });
    expect(split.distributableUnits).toBe(4750);
    expect(out).toBe(allocateSql({ dialect: 'snowflake', table: 'CRM.SCORES', customer: 'CUSTOMER', weight: 'CLV', distributableUnits: 4750, unitMinor: 10000, floor: { column: 'MIN_BUDGET' }, cap: { amount: 20000 } }) + ';\n');
    expect(out).toContain('"CRM"."SCORES"');
  });

  test('--lang zh-CN words the run-time refusals in Chinese', async () => {
    const out = await run(['allocate', '--dialect', 'duckdb', '--table', 't', '--budget', '1000', '--lang', 'zh-CN']);
    expect(out).toContain('超过了可分配的');
    expect(out).not.toContain('more than the');
  });

  test.each([
    ['bigquery', 'CAST(ERROR(c.problem) AS FLOAT64)'],
    ['spark', 'CAST(raise_error(c.problem) AS DOUBLE)'],
    ['snowflake', 'CAST(CAST(c.problem AS BIGINT) AS DOUBLE)'],
    ['postgres', 'CAST(CAST(c.problem AS BIGINT) AS DOUBLE PRECISION)'],
  ])('%s: a refusal stops the query with %s', async (dialect, fail) => {
    expect(await run(['allocate', '--dialect', dialect, '--table', 't', '--budget', '100'])).toContain(`ELSE ${fail} END AS allocation`);
  });

  const ALLOCATE = ['allocate', '--dialect', 'duckdb', '--table', 't'];
  test.each([
    [[...ALLOCATE], 'give the budget with --budget AMOUNT, e.g. cbp sql allocate --dialect postgres --table crm.scores --budget 500000', '请用 --budget 金额 指定预算，例如 cbp sql allocate --dialect postgres --table crm.scores --budget 500000'],
    [[...ALLOCATE, '--budget', 'lots'], "--budget must be a number such as 500000 or 0.05, not 'lots'", '--budget 必须是数字，例如 500000 或 0.05，而不是“lots”'],
    [[...ALLOCATE, '--budget', '100', '--as-of', '2025-01-01'], '--as-of does not apply to cbp sql allocate (it reads one row per customer: --customer, --weight, --floor, --cap)', '--as-of 不用于 cbp sql allocate（它读取每个客户一行：--customer、--weight、--floor、--cap）'],
    [['rfm', '--dialect', 'duckdb', '--table', 't', '--budget', '100'], '--budget applies to cbp sql allocate only', '--budget 只用于 cbp sql allocate'],
    [['allocate', '--dialect', 'duckdb', '--budget', '100'], 'give the per-customer table with --table NAME (one row per customer, with customer and weight columns)', '请用 --table 名称 指定客户表（每个客户一行，含客户列和权重列）'],
    [['clv', '--dialect', 'duckdb', '--table', 't'], "unknown query 'clv'; give one of rfm, summary, allocate, e.g. cbp sql rfm --dialect postgres --table sales.transactions", '未知的查询“clv”；请给出 rfm, summary, allocate 之一，例如 cbp sql rfm --dialect postgres --table sales.transactions'],
    [['rfm', '--check', 'w.csv'], '--check w.csv needs the sample the statement ran on: --transactions SAMPLE.csv', '--check w.csv 需要语句所运行的样本：--transactions 样本.csv'],
    [[...ALLOCATE, '--budget', '100', '--customers', 's.csv'], '--customers s.csv is the sample for --check RESULT.csv; give --check with the result exported from the warehouse', '--customers s.csv 是 --check 结果.csv 的样本；请用 --check 给出从数据仓库导出的结果'],
    [['summary', '--check', 'w.csv', '--customers', 's.csv'], '--customers does not apply to cbp sql summary; give the sample with --transactions SAMPLE.csv', '--customers 不用于 cbp sql summary；请用 --transactions 样本.csv 给出样本'],
  ])('%j: a usage error in English and Chinese', async (argv, en, zh) => {
    const io = { stdout: () => undefined, stderr: () => undefined, cwd: '/' };
    await expect(sqlCommand(argv, io)).rejects.toThrow(new UsageError(en));
    await expect(sqlCommand([...argv, '--lang', 'zh-CN'], io)).rejects.toThrow(new UsageError(zh));
  });

  test.each([
    [['--budget', '1000', '--reserve', '1'], 'cbp sql: reserve: must be a fraction from 0 up to (not including) 1, e.g. 0.05 for 5 % (got 1)', 'cbp sql: reserve：'],
    [['--budget', '1000', '--floor', '300', '--cap', '250', '--unit', '100'], 'cbp sql: row 1: the floor 300 is above the cap 250 once both are rounded to the unit 100', 'cbp sql: 第 1 行：'],
    [['--budget', '1000', '--floor', '2000'], 'cbp sql: the floors add up to 2000.00, more than the 1000.00 to distribute; lower the floors or raise the budget', 'cbp sql: 下限合计 2000.00，超过了可分配的 1000.00；请降低下限或提高预算'],
  ])('%j: the engine refuses before anything is printed, in English and Chinese', async (options, en, zh) => {
    const english = await runCbp(['sql', ...ALLOCATE, ...options]);
    expect(english.code).toBe(2);
    expect(english.stdout).toBe('');
    expect(english.stderr).toContain(en);
    const chinese = await runCbp(['sql', ...ALLOCATE, ...options, '--lang', 'zh-CN']);
    expect(chinese.code).toBe(2);
    expect(chinese.stdout).toBe('');
    expect(chinese.stderr).toContain(zh);
  });
});
