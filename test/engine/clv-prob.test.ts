/**
 * Published results on the CDNOW sample (2,357 customers, 39-week calibration to 1997-09-30, weekly
 * units): Fader, Hardie and Lee (2005) for the BG/NBD, Fader and Hardie (2013) for the Gamma-Gamma,
 * and the lifetimes documentation (Quickstart) for its per-customer outputs. The published BG/NBD
 * and Gamma-Gamma fits use the summary CSV (t_x and T rounded to 2 decimals), as lifetimes does.
 */
import {
  bgNbdLogLikelihood,
  conditionalExpectedAverageSpend,
  conditionalExpectedPurchasesUpToTime,
  conditionalProbabilityAlive,
  expectedPurchasesUpToTime,
  fitAndPredictClv,
  fitBgNbd,
  fitGammaGamma,
  summariseTransactions,
  CustomerSummary,
} from '../../src/engine/clv';
import { cdnowSummary, cdnowSummaryWithSpend, cdnowTransactions, CDNOW_CALIBRATION_END } from '../fixtures/cdnow/cdnow';

const within = (value: number, target: number, relative: number) => expect(Math.abs(value / target - 1)).toBeLessThan(relative);

const summaryCsv = cdnowSummary();
const withSpend = cdnowSummaryWithSpend();
const fit = fitBgNbd(summaryCsv);

describe('BG/NBD on CDNOW (Fader, Hardie and Lee 2005)', () => {
  it('fits r = 0.243, alpha = 4.414, a = 0.793, b = 2.426 within 0.5 % and log-likelihood -9582.4', () => {
    within(fit.params.r, 0.243, 0.005);
    within(fit.params.alpha, 4.414, 0.005);
    within(fit.params.a, 0.793, 0.005);
    within(fit.params.b, 2.426, 0.005);
    expect(fit.logLikelihood).toBeCloseTo(-9582.4, 1);
    expect(fit.customers).toBe(2357);
    expect(fit.repeatCustomers).toBe(946);
    expect(fit.warnings).toEqual([]);
    expect(fit.gradientMaxAbs).toBeLessThan(1e-7);
  });

  it('matches lifetimes\' printed fit to its shown digits (a 0.79, alpha 4.41, b 2.43, r 0.24)', () => {
    expect(fit.params.a).toBeCloseTo(0.79, 2);
    expect(fit.params.alpha).toBeCloseTo(4.41, 2);
    expect(fit.params.b).toBeCloseTo(2.43, 2);
    expect(fit.params.r).toBeCloseTo(0.24, 2);
  });

  it('is a maximum: every 1 % step of a parameter lowers the log-likelihood', () => {
    const best = bgNbdLogLikelihood(fit.params, summaryCsv);
    for (const key of ['r', 'alpha', 'a', 'b'] as const) {
      for (const factor of [0.99, 1.01]) expect(bgNbdLogLikelihood({ ...fit.params, [key]: fit.params[key] * factor }, summaryCsv)).toBeLessThan(best);
    }
  });

  it('gives the same parameters when fitted on the summary built from the transactions (exact t_x, T)', () => {
    const summary = summariseTransactions(cdnowTransactions(), CDNOW_CALIBRATION_END, 'weeks');
    const exact = fitBgNbd(summary);
    for (const key of ['r', 'alpha', 'a', 'b'] as const) within(exact.params[key], fit.params[key], 2e-4);
    expect(exact.logLikelihood).toBeCloseTo(-9582.43, 1);
  });

  it('expects 1.226 purchases in the next 39 weeks for x = 2, t_x = 30.43, T = 38.86', () => {
    expect(conditionalExpectedPurchasesUpToTime(fit.params, 39, 2, 30.43, 38.86)).toBeCloseTo(1.226, 3);
  });

  it('gives E[X(t)] = 0.0532, 0.1506, 1.0437, 1.8576 at t = 1, 3, 32, 78 weeks', () => {
    const published = [0.0532, 0.1506, 1.0437, 1.8576];
    [1, 3, 32, 78].forEach((t, k) => within(expectedPurchasesUpToTime(fit.params, t), published[k], 0.0005));
  });

  it('ranks the top customers for the next week as lifetimes\' Quickstart shows', () => {
    // (id, x, t_x, T) -> predicted purchases in t = 1 week, printed by lifetimes to 6 decimals.
    const published: [number, number, number, number, number][] = [
      [509, 18, 35.14, 35.86, 0.424877],
      [841, 19, 34.0, 34.14, 0.474738],
      [1981, 17, 28.43, 28.86, 0.486526],
      [157, 29, 37.71, 38.0, 0.662396],
      [1516, 26, 30.86, 31.0, 0.710623],
    ];
    for (const [id, x, tx, T, expected] of published) {
      const i = summaryCsv.id.indexOf(id);
      expect([summaryCsv.frequency[i], summaryCsv.recency[i], summaryCsv.age[i]]).toEqual([x, tx, T]);
      expect(conditionalExpectedPurchasesUpToTime(fit.params, 1, x, tx, T)).toBeCloseTo(expected, 5);
    }
  });

  it('P(alive) is 1 without repeat purchases and lower the longer since the last purchase', () => {
    expect(conditionalProbabilityAlive(fit.params, 0, 0, 38.86)).toBe(1);
    expect(conditionalProbabilityAlive(fit.params, 2, 30.43, 38.86)).toBeGreaterThan(conditionalProbabilityAlive(fit.params, 2, 10, 38.86));
  });
});

describe('Gamma-Gamma on the 946 CDNOW repeat customers (Fader and Hardie 2013)', () => {
  const gg = fitGammaGamma(withSpend.frequency, withSpend.monetary);

  it('fits p = 6.25, q = 3.74, gamma = 15.44 within 0.5 %', () => {
    expect(gg.customers).toBe(946);
    within(gg.params.p, 6.25, 0.005);
    within(gg.params.q, 3.74, 0.005);
    within(gg.params.gamma, 15.44, 0.005);
    expect(gg.warnings).toEqual([]);
  });

  it('reports the frequency-spend correlation 0.113884 that lifetimes\' Quickstart prints', () => {
    expect(gg.frequencySpendCorrelation).toBeCloseTo(0.113884, 6);
  });

  it('gives the expected average spend lifetimes prints for customers 1, 2, 3, 6 and 9', () => {
    // (x, zbar) -> conditional_expected_average_profit; customer 3 (x = 0) gets the population mean p gamma / (q - 1).
    const published: [number, number, number][] = [
      [2, 22.35, 24.658619],
      [1, 11.77, 18.911489],
      [0, 0, 35.170981],
      [7, 73.74, 71.462843],
      [2, 25.55, 27.282408],
    ];
    for (const [x, m, expected] of published) within(conditionalExpectedAverageSpend(gg.params, x, m), expected, 2e-6);
    within(gg.populationMeanSpend, 35.170981, 2e-6);
  });

  it('averages 35.2529588 over all 2,357 customers, as lifetimes prints', () => {
    const mean = withSpend.frequency.reduce((s, x, i) => s + conditionalExpectedAverageSpend(gg.params, x, withSpend.monetary[i]), 0) / 2357;
    within(mean, 35.2529588256, 2e-6);
  });
});

describe('CLV on CDNOW, against lifetimes\' customer_lifetime_value', () => {
  const summaryOf = (unit: 'days' | 'weeks'): CustomerSummary => ({
    unit,
    observationEnd: CDNOW_CALIBRATION_END,
    customerIds: withSpend.id.map(String),
    frequency: Float64Array.from(withSpend.frequency),
    recency: Float64Array.from(withSpend.recency),
    age: Float64Array.from(withSpend.age),
    monetary: Float64Array.from(withSpend.monetary),
    refundRowsIgnored: 0,
  });

  it('reproduces the Quickstart CLVs (time = 12, discount 0.01) when the weekly data is declared as days, as lifetimes\' default freq "D" silently does', () => {
    // lifetimes' Quickstart passes the weekly CDNOW summary with the default freq 'D', so its
    // "month" is 30 periods, i.e. 30 weeks: exactly the implicit-unit trap. Declaring the unit
    // 'days' here reproduces its numbers; declaring 'weeks' gives the intended 4.345-week months.
    const asDays = fitAndPredictClv(summaryOf('days'), { horizonMonths: 12, discountMonthly: 0.01 });
    const published: [string, number][] = [
      ['1', 140.096211],
      ['2', 18.943467],
      ['3', 38.180574],
      ['6', 1003.868107],
      ['7', 28.109683],
      ['9', 167.418216],
    ];
    const byId = new Map(asDays.customers.map((c) => [c.customer, c]));
    for (const [id, clv] of published) within(byId.get(id)!.clv, clv, 1e-5);
    const asWeeks = fitAndPredictClv(summaryOf('weeks'), { horizonMonths: 12, discountMonthly: 0.01 });
    expect(asWeeks.unit).toBe('weeks');
    // 12 months of 4.345 weeks are a sixth of 12 x 30 weeks, so far less value:
    expect(asWeeks.customers[0].clv).toBeLessThan(asDays.customers[0].clv / 3);
  });

  it('names the unit and the parameters in the result, one row per customer in input order', () => {
    const result = fitAndPredictClv(summaryOf('weeks'));
    expect(result.unit).toBe('weeks');
    expect(result.horizonMonths).toBe(12);
    expect(result.discountMonthly).toBe(0.01);
    expect(result.purchasesHorizonDays).toBe(90);
    expect(Object.keys(result.params.bgnbd).sort()).toEqual(['a', 'alpha', 'b', 'r']);
    expect(Object.keys(result.params.gamma_gamma).sort()).toEqual(['gamma', 'p', 'q']);
    expect(result.log_likelihood).toBeCloseTo(-9582.4, 1);
    expect(result.frequency_spend_correlation).toBeCloseTo(0.1139, 4);
    expect(result.customers.map((c) => c.customer)).toEqual(withSpend.id.map(String));
    const first = result.customers[0];
    // expected_purchases covers 90 days = 90 / 7 weeks.
    expect(first.expected_purchases).toBeCloseTo(conditionalExpectedPurchasesUpToTime(result.params.bgnbd, 90 / 7, 2, 30.43, 38.86), 12);
    expect(Object.keys(first)).toEqual(['customer', 'frequency', 'recency', 'T', 'monetary', 'p_alive', 'expected_purchases', 'expected_spend', 'clv']);
  });
});
