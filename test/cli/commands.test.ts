import { RFM10_ZH } from '../../src/engine/segments';
import { join } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { runCbp, tempFolder } from './run-cbp';

const SAMPLES = join(__dirname, '..', '..', 'samples');

describe('cbp command line', () => {
  it('prints help for every command and exits 2 on an unknown one', async () => {
    const overview = await runCbp(['--help']);
    expect(overview.code).toBe(0);
    for (const command of ['rfm', 'clv', 'segment', 'allocate', 'plan', 'variance']) {
      expect(overview.stdout).toContain(command);
      const help = await runCbp([command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Usage: cbp ${command}`);
    }
    const unknown = await runCbp(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
  });

  it('cbp rfm writes the documented columns and reports the as-of date', async () => {
    const run = await runCbp(['rfm', join(SAMPLES, 'transactions.csv'), '--as-of', '2025-12-31', '--bins', '5', '--weights', '1,1,1', '--segments', 'rfm10']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toBe('customer,recency,frequency,monetary,r_score,f_score,m_score,rfm_code,score,segment');
    expect(lines).toHaveLength(401);
    expect(run.stderr).toContain('as of 2025-12-31: 400 customers scored');
  });

  it('cbp rfm names rfm10 segments in English by default and in Chinese with --lang zh-CN, row for row', async () => {
    const args = ['rfm', join(SAMPLES, 'transactions.csv'), '--as-of', '2025-12-31', '--segments', 'rfm10', '--format', 'json'];
    const en = JSON.parse((await runCbp(args)).stdout).customers as { segment: string }[];
    const zh = JSON.parse((await runCbp([...args, '--lang', 'zh-CN'])).stdout).customers as { segment: string }[];
    expect(en.some((c) => c.segment === 'Champions')).toBe(true);
    zh.forEach((c, i) => expect(c.segment).toBe(RFM10_ZH[en[i].segment]));
  });

  it('cbp rfm thresholds mode and JSON output', async () => {
    const run = await runCbp(['rfm', join(SAMPLES, 'transactions.csv'), '--thresholds-r', '30,90,180,270', '--thresholds-f', '2,3,5,8', '--thresholds-m', '50,150,300,600', '--format', 'json']);
    const { summary, customers } = JSON.parse(run.stdout);
    expect(summary.customers).toBe(400);
    expect(Object.keys(customers[0])).toEqual(['customer', 'recency', 'frequency', 'monetary', 'r_score', 'f_score', 'm_score', 'rfm_code', 'score', 'segment']);
    for (const c of customers) {
      // R score = 5 - (cut points <= recency)
      expect(c.r_score).toBe(5 - [30, 90, 180, 270].filter((x) => x <= c.recency).length);
    }
  });

  it('bad input: exit code 2 and one line naming row, column and value', async () => {
    const folder = tempFolder({ 'tx.csv': 'customer,date,amount\nA,2025-01-01,10\nB,2025-13-01,5\n' });
    const run = await runCbp(['rfm', 'tx.csv'], folder);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("cbp rfm: row 3, column date: '2025-13-01' is not a date; use a date cell or text such as 2025-01-31 or 2025年1月31日\n");
    const skipped = await runCbp(['rfm', 'tx.csv', '--skip-invalid'], folder);
    expect(skipped.code).toBe(0);
    expect(skipped.stderr).toContain('1 rows could not be read and were skipped');
    expect((await runCbp(['rfm', 'missing.csv'], folder)).stderr).toContain('cannot read missing.csv: no such file');
    expect((await runCbp(['rfm', 'tx.csv', '--bins', 'x'], folder)).stderr).toContain('--bins must be a number');
  });

  it('cbp allocate adds allocation, share and at_bound and reports the summary', async () => {
    const folder = tempFolder({ 'scores.csv': 'customer,score\nA,1\nB,2\nC,3\nD,0\n' });
    const run = await runCbp(['allocate', 'scores.csv', '--budget', '1000', '--weight-column', 'score', '--floor', '100', '--cap', '400', '--reserve', '0.05', '--unit', '1'], folder);
    expect(run.code).toBe(0);
    // D = 950; D gets its floor 100; 850 over weights 1:2:3 = 141.67, 283.33, 425 -> C capped at 400,
    // the other 450 over 1:2 = 150, 300.
    expect(run.stdout.trim().split('\n')).toEqual(['customer,score,allocation,share,at_bound', 'A,1,150,0.157894737,', 'B,2,300,0.315789474,', 'C,3,400,0.421052632,cap', 'D,0,100,0.105263158,floor']);
    expect(run.stderr).toContain('budget 1000, reserve 50, distributable 950, allocated 950, unallocated 0');
    const json = JSON.parse((await runCbp(['allocate', 'scores.csv', '--budget', '1000', '--format', 'json'], folder)).stdout);
    expect(json.summary).toMatchObject({ budget: 1000, distributable: 1000, reserve: 0, unallocated: 0 });
    expect(json.rows.reduce((s: number, r: { allocation: number }) => s + Math.round(r.allocation * 100), 0)).toBe(100000);
  });

  it('cbp allocate --method optimal: marginal return and expected response per row, lambda and the proportional comparison in the summary', async () => {
    const folder = tempFolder({ 'v.csv': 'customer,value\nA,200\nB,100\n' });
    const args = ['allocate', 'v.csv', '--method', 'optimal', '--budget', '20', '--value-column', 'value', '--saturation', '10', '--format', 'json'];
    const cents = JSON.parse((await runCbp([...args, '--unit', '0.01'], folder)).stdout);
    // 20 e^(-x1/10) = 10 e^(-x2/10), x1 + x2 = 20: x1 = 10 + 5 ln 2 = 13.4657, x2 = 6.5343; lambda = (200 / 10) e^(-x1/10) per 1.
    const x1 = 10 + 5 * Math.log(2);
    expect(cents.rows.map((r: { allocation: number }) => r.allocation)).toEqual([13.47, 6.53]);
    expect(cents.summary.lambda_per_currency_unit).toBeCloseTo(20 * Math.exp(-x1 / 10), 9);
    expect(cents.summary.lambda).toBeCloseTo(0.01 * 20 * Math.exp(-x1 / 10), 11); // per rounding unit: a cent
    expect(cents.rows[0].marginal_return).toBeCloseTo(0.01 * 20 * Math.exp(-1.347), 7);
    expect(cents.rows[0].expected_response).toBeCloseTo(200 * (1 - Math.exp(-1.347)), 7);
    expect(cents.summary.total_response).toBeCloseTo(200 * (1 - Math.exp(-1.347)) + 100 * (1 - Math.exp(-0.653)), 7);
    // Proportional 2:1 of 20: 13.33 and 6.67.
    expect(cents.summary.proportional_response).toBeCloseTo(200 * (1 - Math.exp(-1.333)) + 100 * (1 - Math.exp(-0.667)), 7);
    expect(cents.summary.total_response).toBeGreaterThan(cents.summary.proportional_response);
    const whole = JSON.parse((await runCbp([...args, '--unit', '1'], folder)).stdout);
    expect(whole.summary.lambda_per_currency_unit).toBeCloseTo(cents.summary.lambda_per_currency_unit, 9);
    expect(whole.summary.lambda).toBeCloseTo(whole.summary.lambda_per_currency_unit, 12);
  });

  it('reads number options as the engine reads numbers: thousands commas yes, a decimal comma no', async () => {
    const folder = tempFolder({ 'scores.csv': 'customer,score\nA,1\nB,3\n' });
    const grouped = await runCbp(['allocate', 'scores.csv', '--budget', '1,000', '--unit', '1'], folder);
    expect(grouped.stdout.trim().split('\n').slice(1).map((l) => l.split(',')[2])).toEqual(['250', '750']);
    const comma = await runCbp(['allocate', 'scores.csv', '--budget', '1.000,50'], folder);
    expect(comma.code).toBe(2);
    expect(comma.stderr).toContain("--budget must be a number such as 500000 or 500,000, not '1.000,50'");
  });

  it('never overwrites its input', async () => {
    const folder = tempFolder({ 'scores.csv': 'customer,score\nA,1\n' });
    const run = await runCbp(['allocate', 'scores.csv', '--budget', '10', '--out', 'scores.csv'], folder);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is the input file');
    expect(readFileSync(join(folder, 'scores.csv'), 'utf8')).toBe('customer,score\nA,1\n');
  });

  it('cbp segment and cbp clv', async () => {
    const folder = tempFolder({ 'c.csv': 'customer,monetary,frequency,profit,margin\nA,50,9,900,100\nB,30,1,10,100\nC,10,5,5,50\nD,10,1,500,0\n' });
    const abc = await runCbp(['segment', 'c.csv', '--scheme', 'abc'], folder);
    // total 100: A 0 % before -> A; B 50 % -> A; C and D tie at 80 % -> B
    expect(abc.stdout.trim().split('\n').map((l) => l.split(',').pop())).toEqual(['tier', 'A', 'A', 'B', 'B']);
    const retention = await runCbp(['clv', 'c.csv', '--model', 'retention', '--retention', '0.8', '--discount', '0.1', '--format', 'json'], folder);
    // 100 x 1.1 / 0.3 = 366.67
    expect(JSON.parse(retention.stdout).customers[0].clv).toBe(366.67);
    const simple = await runCbp(['clv', 'c.csv', '--model', 'simple', '--years', '3', '--out', 'clv.csv'], folder);
    expect(simple.code).toBe(0);
    expect(existsSync(join(folder, 'clv.csv'))).toBe(true);
    expect(readFileSync(join(folder, 'clv.csv'), 'utf8').split('\n')[1]).toBe('A,50,9,900,100,2700');
  });
});

describe('cbp clv --model bgnbd', () => {
  it('fits CDNOW through the command line in weeks and prints the documented JSON', async () => {
    const sample = readFileSync(join(__dirname, '..', 'fixtures', 'cdnow', 'CDNOW_sample.txt'), 'utf8').trim().split('\n');
    const csv = ['customer,date,amount', ...sample.map((line) => line.trim().split(/\s+/)).map((r) => `${r[1]},${r[2]},${r[4]}`)].join('\n');
    const folder = tempFolder({ 'cdnow.csv': csv });
    const run = await runCbp(['clv', 'cdnow.csv', '--model', 'bgnbd', '--unit', 'weeks', '--as-of', '1997-09-30', '--format', 'json'], folder);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.unit).toBe('weeks');
    expect(Object.keys(result.params.bgnbd)).toEqual(['r', 'alpha', 'a', 'b']);
    expect(result.params.bgnbd.r).toBeCloseTo(0.243, 3);
    expect(result.params.bgnbd.alpha).toBeCloseTo(4.414, 2);
    expect(result.log_likelihood).toBeCloseTo(-9582.4, 0);
    expect(result.params.gamma_gamma.q).toBeCloseTo(3.74, 1);
    expect(result.customers).toHaveLength(2357);
    expect(Object.keys(result.customers[0])).toEqual(['customer', 'frequency', 'recency', 'T', 'monetary', 'p_alive', 'expected_purchases', 'expected_spend', 'clv']);
    expect(result.customers[0]).toMatchObject({ customer: '0001', frequency: 2, recency: 30.428571, T: 38.857143, monetary: 22.345 });
  });
});

describe('cbp clv --holdout-from', () => {
  it('reports predicted against actual repeat purchases in the holdout', async () => {
    const sample = readFileSync(join(__dirname, '..', 'fixtures', 'cdnow', 'CDNOW_sample.txt'), 'utf8').trim().split('\n');
    const csv = ['customer,date,amount', ...sample.map((line) => line.trim().split(/\s+/)).map((r) => `${r[1]},${r[2]},${r[4]}`)].join('\n');
    const folder = tempFolder({ 'cdnow.csv': csv });
    const run = await runCbp(['clv', 'cdnow.csv', '--model', 'bgnbd', '--unit', 'weeks', '--holdout-from', '1997-10-01', '--as-of', '1998-06-30', '--format', 'json'], folder);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ unit: 'weeks', calibration_end: '1997-09-30', holdout_end: '1998-06-30', holdout_length: 39, total_actual: 1882 });
    expect(Object.keys(result.customers[0])).toEqual(['customer', 'frequency', 'recency', 'T', 'predicted_holdout', 'actual_holdout']);
    expect(run.stderr).toContain('actual 1882');
  });
});

describe('cbp allocate scenarios and re-planning', () => {
  const table = 'customer,clv,segment\nA,1000,Top\nB,1000,Top\nC,10,Rest\nD,10,Rest\n';

  it('shows the plan per segment at several budgets, with the response curve', async () => {
    const folder = tempFolder({ 'c.csv': table });
    const run = await runCbp(['allocate', 'c.csv', '--method', 'optimal', '--budget', '1000', '--unit', '1', '--value-column', 'clv', '--saturation', '100', '--segment-column', 'segment', '--scenarios', '0.9,1,1.1'], folder);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n').map((l) => l.split(','));
    expect(lines[0]).toEqual(['segment', 'budget_0.9', 'budget_1', 'budget_1.1']);
    const budgets = lines.find((l) => l[0] === 'budget')!.slice(1).map(Number);
    expect(budgets).toEqual([900, 1000, 1100]);
    const top = lines.find((l) => l[0] === 'Top')!.slice(1).map(Number);
    const rest = lines.find((l) => l[0] === 'Rest')!.slice(1).map(Number);
    top.forEach((t, k) => expect(t + rest[k]).toBe(budgets[k]));
    const response = lines.find((l) => l[0] === 'total_response')!.slice(1).map(Number);
    // More budget never returns less, and each extra 100 returns less than the one before (diminishing returns).
    expect(response[1]).toBeGreaterThan(response[0]);
    expect(response[2] - response[1]).toBeLessThan(response[1] - response[0]);
  });

  it('re-plans mid-year with spend to date as floors', async () => {
    const folder = tempFolder({ 'c.csv': table, 'spent.csv': 'customer,actual\nC,300\nC,50\n' });
    const run = await runCbp(['allocate', 'c.csv', '--method', 'optimal', '--budget', '1000', '--unit', '1', '--value-column', 'clv', '--saturation', '100', '--spent', 'spent.csv', '--format', 'json'], folder);
    expect(run.code).toBe(0);
    const rows = JSON.parse(run.stdout).rows;
    // C has already had 350: it keeps at least that, the rest is re-optimised.
    expect(rows[2]).toMatchObject({ customer: 'C', allocation: 350, at_bound: 'floor', spent_to_date: 350, still_to_spend: 0 });
    expect(rows[0].spent_to_date).toBe(0);
    expect(rows[0].still_to_spend).toBe(rows[0].allocation);
    expect(rows.reduce((s: number, r: { allocation: number }) => s + r.allocation, 0)).toBe(1000);
    expect(JSON.parse(run.stdout).summary.replan).toEqual({ customers_with_spend: 1, spent_to_date: 350, not_in_table: [] });
  });

  it('takes segment limits as percentages, and names the user\'s columns and values in errors', async () => {
    const folder = tempFolder({ 'c.csv': table, 'bad.csv': 'customer,clv,sat\nA,1000,50\nB,-3,50\n', 'badsat.csv': 'customer,clv,sat\nA,1000,50\nB,5,-5\n' });
    const base = ['--method', 'optimal', '--budget', '1000', '--unit', '1', '--value-column', 'clv'];
    const percent = await runCbp(['allocate', 'c.csv', ...base, '--saturation', '100', '--segment-column', 'segment', '--segment-max-share', 'Top=60%', '--format', 'json'], folder);
    expect(percent.code).toBe(0);
    const rows = JSON.parse(percent.stdout).rows as { allocation: number }[];
    // Top would take nearly everything; held at 60 % of 1,000.
    expect(rows[0].allocation + rows[1].allocation).toBe(600);
    const weight = await runCbp(['allocate', 'bad.csv', ...base, '--saturation-column', 'sat'], folder);
    expect(weight.stderr).toMatch(/row 3, column clv: the weight -3 must be a number of 0 or more/);
    const saturation = await runCbp(['allocate', 'badsat.csv', ...base, '--saturation', 'sat'], folder);
    expect(saturation.stderr).toMatch(/row 3, column sat: the saturation spend -5 must be a number above 0/);
    const global = await runCbp(['allocate', 'c.csv', ...base, '--saturation', '0'], folder);
    expect(global.stderr).toMatch(/saturation: must be a number above 0 \(got 0\)/);
    expect(global.stderr).not.toMatch(/row/);
  });

  it('gives numbers back as numbers in JSON, and ids such as 00123 as typed', async () => {
    const folder = tempFolder({ 'ids.csv': 'customer,clv\n00123,1457.81\n1e3,20\nNaN,5\n4111111111111111,7\n123456789012345,8\n' });
    const run = await runCbp(['allocate', 'ids.csv', '--budget', '100', '--weight-column', 'clv', '--format', 'json'], folder);
    const rows = JSON.parse(run.stdout).rows;
    // NaN stays text; 16 significant digits stay text (Excel keeps 15); 15 become a number.
    expect(rows.map((r: { customer: unknown; clv: unknown }) => [r.customer, r.clv])).toEqual([['00123', 1457.81], ['1e3', 20], ['NaN', 5], ['4111111111111111', 7], [123456789012345, 8]]);
    const percent = await runCbp(['allocate', 'ids.csv', '--budget', '100', '--method', 'optimal', '--value-column', 'clv', '--saturation', '10', '--segment-column', 'customer', '--segment-max-share', '00123=%'], folder);
    expect(percent.code).toBe(2);
    expect(percent.stderr).toContain("--segment-max-share: '00123=%' must look like NAME=NUMBER or NAME=NUMBER%");
  });

  it('never writes over the spend file it re-plans from', async () => {
    const folder = tempFolder({ 'c.csv': table, 'spent.csv': 'customer,actual\nC,300\n' });
    const run = await runCbp(['allocate', 'c.csv', '--method', 'optimal', '--budget', '1000', '--unit', '1', '--value-column', 'clv', '--saturation', '100', '--spent', 'spent.csv', '--out', 'spent.csv'], folder);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/spent\.csv/);
    expect(readFileSync(join(folder, 'spent.csv'), 'utf8')).toBe('customer,actual\nC,300\n');
  });

  it('names the budget scenario the spend to date does not fit in', async () => {
    const folder = tempFolder({ 'c.csv': table, 'spent.csv': 'customer,actual\nC,950\n' });
    const run = await runCbp(['allocate', 'c.csv', '--method', 'optimal', '--budget', '1000', '--unit', '1', '--value-column', 'clv', '--saturation', '100', '--spent', 'spent.csv', '--scenarios', '0.9,1'], folder);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/budget scenario x0\.9 \(budget 900\)/);
  });
});
