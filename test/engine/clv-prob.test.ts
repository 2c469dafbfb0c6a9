import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  bgNbdLogLikelihood,
  conditionalExpectedPurchasesUpToTime,
  conditionalProbabilityAlive,
  discountedClv,
  expectedPurchasesUpToTime,
  fitAndPredictClv,
  fitBgNbd,
  fitGammaGamma,
  holdoutValidation,
  simulateBgNbd,
  summariseTransactions,
} from '../../src/engine/clv';
import { hyp2f1, logGamma } from '../../src/engine/clv/special-functions';
import { readTransactionColumns } from '../../src/engine/transactions';
import { epochDaysFromCivil } from '../../src/engine/dates';

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'cdnow', name), 'utf8');
const published = fixture('cdnow_customers_summary_with_transactions.csv')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split(',').map(Number));
const data = { frequency: published.map((r) => r[1]), recency: published.map((r) => r[2]), age: published.map((r) => r[3]) };
const within = (value: number, target: number, relative: number) => expect(Math.abs(value / target - 1)).toBeLessThan(relative);

describe('special functions', () => {
  it('logGamma and 2F1 match known values', () => {
    expect(logGamma(1)).toBeCloseTo(0, 13);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 13);
    expect(logGamma(10)).toBeCloseTo(Math.log(362880), 12);
    // 2F1(1, 1; 2; z) = -ln(1 - z) / z
    expect(hyp2f1(1, 1, 2, 0.5)).toBeCloseTo(-Math.log(0.5) / 0.5, 12);
    expect(hyp2f1(1, 1, 2, 0.95)).toBeCloseTo(-Math.log(0.05) / 0.95, 10);
  });
});

describe('CDNOW: the published BG/NBD and Gamma-Gamma results', () => {
  const fit = fitBgNbd(data);

  it('fits r, alpha, a, b within 0.5 % and the log-likelihood -9582.4', () => {
    within(fit.params.r, 0.243, 0.005);
    within(fit.params.alpha, 4.414, 0.005);
    within(fit.params.a, 0.793, 0.005);
    within(fit.params.b, 2.426, 0.005);
    expect(fit.logLikelihood).toBeCloseTo(-9582.4, 1);
  });

  it('predicts 1.226 purchases in 39 weeks for x = 2, t_x = 30.43, T = 38.86', () => {
    expect(conditionalExpectedPurchasesUpToTime(fit.params, 39, 2, 30.43, 38.86)).toBeCloseTo(1.226, 3);
  });

  it('gives E[X(t)] at 1, 3, 32 and 78 weeks of 0.0532, 0.1506, 1.0437, 1.8576', () => {
    const expected = [0.0532, 0.1506, 1.0437, 1.8576];
    [1, 3, 32, 78].forEach((t, k) => within(expectedPurchasesUpToTime(fit.params, t), expected[k], 0.001));
  });

  it('fits Gamma-Gamma p = 6.25, q = 3.74, gamma = 15.44 on the 946 repeat customers', () => {
    const gg = fitGammaGamma(data.frequency, published.map((r) => r[4]));
    expect(gg.customers).toBe(946);
    within(gg.params.p, 6.25, 0.005);
    within(gg.params.q, 3.74, 0.005);
    within(gg.params.gamma, 15.44, 0.005);
    expect(gg.warnings).toEqual([]);
    expect(gg.frequencySpendCorrelation).toBeGreaterThan(0.1); // reported: 0.11, weak
  });

  it('the likelihood is maximal at the fit (no neighbour is better)', () => {
    const base = bgNbdLogLikelihood(fit.params, data);
    for (const key of ['r', 'alpha', 'a', 'b'] as const) {
      for (const factor of [0.99, 1.01]) expect(bgNbdLogLikelihood({ ...fit.params, [key]: fit.params[key] * factor }, data)).toBeLessThan(base);
    }
  });

  it('P(alive) is 1 without repeat purchases and falls with time since the last purchase', () => {
    expect(conditionalProbabilityAlive(fit.params, 0, 0, 38.86)).toBe(1);
    expect(conditionalProbabilityAlive(fit.params, 2, 30, 38.86)).toBeGreaterThan(conditionalProbabilityAlive(fit.params, 2, 10, 38.86));
  });
});

describe('customer summary from CDNOW_sample.txt', () => {
  it('equals the published summary (x, t_x, T, zbar) for all 2,357 customers', () => {
    const rows = fixture('CDNOW_sample.txt').trim().split('\n').map((line) => line.trim().split(/\s+/));
    const tx = readTransactionColumns({ customers: rows.map((r) => String(Number(r[1]))), dates: rows.map((r) => r[2]), amounts: rows.map((r) => r[4]) });
    const summary = summariseTransactions(tx, epochDaysFromCivil(1997, 9, 30), 'weeks');
    expect(summary.customerIds).toHaveLength(2357);
    const index = new Map(summary.customerIds.map((id, i) => [id, i]));
    const mismatches: string[] = [];
    for (const [id, x, tx_, T, zbar] of published) {
      const i = index.get(String(id))!;
      const same = summary.frequency[i] === x && Math.abs(summary.recency[i] - tx_) < 0.005 + 1e-9 && Math.abs(summary.age[i] - T) < 0.005 + 1e-9 && Math.abs(summary.monetary[i] - zbar) < 0.005 + 1e-9;
      if (!same) mismatches.push(`${id}: ${summary.frequency[i]} ${summary.recency[i]} ${summary.age[i]} ${summary.monetary[i]} vs ${x} ${tx_} ${T} ${zbar}`);
    }
    expect(mismatches).toEqual([]);
  });
});

describe('CLV over a horizon (lifetimes conventions)', () => {
  it('sums monthly increments of expected purchases times expected spend, discounted monthly', () => {
    const p = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    // One month of 4.345 weeks, no discount: spend x E[Y(4.345)].
    expect(discountedClv(p, 'weeks', 2, 30.43, 38.86, 20, 1, 0)).toBeCloseTo(20 * conditionalExpectedPurchasesUpToTime(p, 4.345, 2, 30.43, 38.86), 12);
    const twelve = discountedClv(p, 'weeks', 2, 30.43, 38.86, 20, 12, 0.01);
    expect(twelve).toBeLessThan(discountedClv(p, 'weeks', 2, 30.43, 38.86, 20, 12, 0));
  });

  it('fits and predicts per customer, naming the unit', () => {
    const rows = fixture('CDNOW_sample.txt').trim().split('\n').map((line) => line.trim().split(/\s+/));
    const tx = readTransactionColumns({ customers: rows.map((r) => r[1]), dates: rows.map((r) => r[2]), amounts: rows.map((r) => r[4]) });
    const result = fitAndPredictClv(summariseTransactions(tx, epochDaysFromCivil(1997, 9, 30), 'days'), { horizonMonths: 12 });
    expect(result.unit).toBe('days');
    within(result.params.bgnbd.r, 0.243, 0.005); // the same model in days: r and a, b unchanged
    within(result.params.bgnbd.alpha, 4.414 * 7, 0.005); // alpha scales with the time unit
    expect(result.customers).toHaveLength(2357);
    for (const c of result.customers) {
      expect(c.p_alive).toBeGreaterThan(0);
      expect(c.p_alive).toBeLessThanOrEqual(1);
      expect(c.clv).toBeGreaterThanOrEqual(0);
    }
  });
});

describe('BG/NBD on data drawn from the model', () => {
  it('recovers the parameters it was simulated with', () => {
    const truth = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    const fit = fitBgNbd(simulateBgNbd(truth, 20_000, 78, 12, 5)); // tolerances about three standard errors at this size
    within(fit.params.r, truth.r, 0.06);
    within(fit.params.alpha, truth.alpha, 0.1);
    within(fit.params.a, truth.a, 0.15);
    within(fit.params.b, truth.b, 0.2);
  });

  it('refuses data with too few repeat customers', () => {
    expect(() => fitBgNbd({ frequency: new Array(50).fill(0), recency: new Array(50).fill(0), age: new Array(50).fill(10) })).toThrow(/needs more history/);
  });
});

describe('holdout validation on CDNOW', () => {
  it('predicts the 39-week holdout total close to what happened', () => {
    const rows = fixture('CDNOW_sample.txt').trim().split('\n').map((line) => line.trim().split(/\s+/));
    const tx = readTransactionColumns({ customers: rows.map((r) => r[1]), dates: rows.map((r) => r[2]), amounts: rows.map((r) => r[4]) });
    const result = holdoutValidation(tx, epochDaysFromCivil(1997, 10, 1), epochDaysFromCivil(1998, 6, 30), 'weeks');
    expect(result.customers).toHaveLength(2357);
    within(result.params.r, 0.243, 0.005);
    expect(result.holdoutLength).toBeCloseTo(273 / 7, 10);
    // 1,882 repeat purchase days happened in weeks 40-78; the model predicts about 1,653 (it is known to
    // under-predict this sample's second year slightly): within 15 %.
    expect(result.totalActual).toBe(1882);
    within(result.totalPredicted, result.totalActual, 0.15);
    expect(result.totalActual).toBeGreaterThan(1000);
  });
});
