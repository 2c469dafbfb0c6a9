/* eslint-disable @typescript-eslint/no-explicit-any -- custom-functions-metadata reads these signatures: any[][] is a range of any cells, any one cell of any type. */
/**
 * The CBP.* Excel custom functions. Each one is a thin wrapper: arguments -> engine -> a 2-D array
 * (or a CustomFunctions.Error with a message). The JSDoc below is the source of functions.json
 * (ids, names, parameter types, dimensionality, optionality, help URLs); the Chinese names and
 * descriptions live in functions.zh-CN.json. The build appends CustomFunctions.associate(...) for
 * every function here.
 *
 * Omitted optional arguments arrive as null; blank cells as "". Ranges may be a column or a row.
 */
import './runtime-guard';
import { runFunction } from './results';
import { rfmTable, rfmScoreRows } from './rfm';
import { clvRows } from './clv';
import { allocateRows } from './allocate';
import { segmentRows } from './segment';
import { varianceRows } from './variance';

/**
 * RFM analysis of a transaction table: one row per customer with recency (days), frequency, monetary, the three scores, the RFM code, the weighted score and the segment.
 * @customfunction RFM RFM
 * @helpurl https://localhost:3000/help.html#rfm
 * @param customers Customer id of each transaction (a column).
 * @param dates Date of each transaction: date cells, 2025-01-31 or 2025年1月31日.
 * @param amounts Amount of each transaction; refunds are negative.
 * @param [as_of] Date recency is measured to. Default: the latest purchase date. Later rows are left out and counted in the header.
 * @param [bins_or_thresholds] Number of score bins (default 5, quantile scoring), or a 3-row range of ascending cut points: row 1 recency days, row 2 frequency, row 3 monetary.
 * @param [weights] Weights of R, F and M in the score, e.g. 1,1,1 (default) or a 3-cell range.
 * @param [scheme] Segment scheme: rfm10 (default), rfm8 (重要价值客户 ...) or none.
 * @param [show_header] TRUE (default) to put a header row on top of the table.
 * @returns A table: customer, recency, frequency, monetary, r_score, f_score, m_score, rfm_code, score, segment.
 */
export function RFM(
  customers: any[][],
  dates: any[][],
  amounts: any[][],
  as_of?: any,
  bins_or_thresholds?: any[][],
  weights?: any[][],
  scheme?: string,
  show_header?: boolean,
): any[][] {
  return runFunction('RFM', () => rfmTable({ customers, dates, amounts, as_of, bins_or_thresholds, weights, scheme, show_header }));
}

/**
 * RFM scores for rows that already hold recency (days), frequency and monetary values: R, F, M and the weighted score, one row per input row.
 * @customfunction RFMSCORE RFMSCORE
 * @helpurl https://localhost:3000/help.html#rfmscore
 * @param recency Days since each customer's last purchase (fewer is better).
 * @param frequency Number of purchases of each customer.
 * @param monetary Amount spent by each customer.
 * @param [bins_or_thresholds] Number of score bins (default 5, quantile scoring), or a 3-row range of ascending cut points: row 1 recency days, row 2 frequency, row 3 monetary.
 * @param [weights] Weights of R, F and M in the score, e.g. 1,1,1 (default) or a 3-cell range.
 * @returns R, F, M and score for each row, aligned with the input (blank rows stay blank).
 */
export function RFMSCORE(recency: any[][], frequency: any[][], monetary: any[][], bins_or_thresholds?: any[][], weights?: any[][]): any[][] {
  return runFunction('RFMSCORE', () => rfmScoreRows({ recency, frequency, monetary, bins_or_thresholds, weights }));
}

/**
 * Customer lifetime value. method "simple": (annual profit, years). "retention": (margin, retention, discount, [years]). "bgnbd": (customers, dates, amounts, [horizon months], [monthly discount], [as of]), one row per customer.
 * @customfunction CLV CLV
 * @helpurl https://localhost:3000/help.html#clv
 * @param method simple, retention or bgnbd.
 * @param profit_margin_or_customers simple: annual net profit per customer. retention: yearly margin. bgnbd: customer id of each transaction.
 * @param years_retention_or_dates simple: expected lifespan in years. retention: yearly retention rate in [0, 1). bgnbd: date of each transaction.
 * @param [discount_or_amounts] retention: yearly discount rate (e.g. 10%). bgnbd: amount of each transaction.
 * @param [years_or_horizon_months] retention: number of years (blank: no end). bgnbd: horizon in months (default 12).
 * @param [discount_monthly] bgnbd: monthly discount rate (default 0.01).
 * @param [as_of] bgnbd: end of the observation period (default: the latest transaction date).
 * @returns simple and retention: one value per row. bgnbd: a table with a header row, one row per customer.
 */
export function CLV(
  method: string,
  profit_margin_or_customers: any[][],
  years_retention_or_dates: any[][],
  discount_or_amounts?: any[][],
  years_or_horizon_months?: any[][],
  discount_monthly?: number,
  as_of?: any,
): any[][] {
  return runFunction('CLV', () =>
    clvRows({ method, first: profit_margin_or_customers, second: years_retention_or_dates, third: discount_or_amounts, fourth: years_or_horizon_months, discount_monthly, as_of }),
  );
}

/**
 * Splits a budget across customers in proportion to their weights, equally, or optimally with diminishing returns, within floors and caps, after holding back a reserve; the amounts add up exactly to the distributable budget.
 * @customfunction ALLOCATE ALLOCATE
 * @helpurl https://localhost:3000/help.html#allocate
 * @param budget The total budget.
 * @param weights A weight per customer (score, CLV or any value >= 0); for optimal, the value at stake.
 * @param [floor] Minimum per customer: one amount or a column aligned with the weights.
 * @param [cap] Maximum per customer: one amount or a column aligned with the weights.
 * @param [method] proportional (default), equal, or optimal (most expected response; needs saturation).
 * @param [unit] Rounding unit: amounts are multiples of it (default 0.01; 1, 100 or 1000 are common).
 * @param [reserve] Share of the budget held back as a contingency reserve, e.g. 5% (default 0).
 * @param [saturation] optimal: spend at which a customer's response reaches about 63 % of its value; one amount or a column aligned with the weights.
 * @param [response] optimal: response curve, exp (default, levels off at the value) or log (keeps growing slowly).
 * @param [segments] optimal: segment of each customer, a column aligned with the weights (needed for segment_limits).
 * @param [segment_limits] optimal: share limits per segment, as text such as "Lost<=5%;Champions>=20%" or a 3-column range: segment, minimum share, maximum share.
 * @param [output] What each row shows: amount (default), marginal (return of the next 1 spent; optimal), response (expected response; optimal) or bound (floor, cap or segment when held there); or summary, a 2-column label | value table of the plan (optimal: return of the next 1, total and proportional response, gain; any method: distributable, reserve, unallocated).
 * @returns One value per row (the amount by default), aligned with the weights; with output summary, a 2-column table of the plan.
 */
export function ALLOCATE(
  budget: any,
  weights: any[][],
  floor?: any[][],
  cap?: any[][],
  method?: string,
  unit?: number,
  reserve?: number,
  saturation?: any[][],
  response?: string,
  segments?: any[][],
  segment_limits?: any[][],
  output?: string,
): any[][] {
  return runFunction('ALLOCATE', () => allocateRows({ budget, weights, floor, cap, method, unit, reserve, saturation, response, segments, segment_limits, output }));
}

/**
 * Customer segments, one per row. method "abc": (values, , , [A and B limits]). "matrix": (profit, relationship, , [thresholds]). "lifecycle": (first purchase, last purchase, , [new, decline, growth days], [as of]). "rfm8": (R, F, M scores).
 * @customfunction SEGMENT SEGMENT
 * @helpurl https://localhost:3000/help.html#segment
 * @param method abc, matrix, lifecycle or rfm8.
 * @param values_1 abc: value per customer. matrix: profit. lifecycle: first purchase date. rfm8: R scores.
 * @param [values_2] matrix: relationship strength. lifecycle: last purchase date. rfm8: F scores.
 * @param [values_3] rfm8: M scores.
 * @param [parameters] abc: cumulative share limits of A and B (default 80%,95%). matrix: profit and relationship thresholds (default: medians). lifecycle: new, decline and growth days (default 90,180,365).
 * @param [as_of] lifecycle: the date stages are measured at (default: the latest last purchase).
 * @param [language] en (default) or zh for Chinese segment names.
 * @returns One segment name per row, aligned with the input (blank rows stay blank).
 */
export function SEGMENT(method: string, values_1: any[][], values_2?: any[][], values_3?: any[][], parameters?: any[][], as_of?: any, language?: string): any[][] {
  return runFunction('SEGMENT', () => segmentRows({ method, values_1, values_2, values_3, parameters, as_of, language }));
}

/**
 * Plan against actual spend, per row: the status Over budget, At risk, Under-used, On track or Unplanned (for a cost budget, spending less is favourable).
 * @customfunction VARIANCE VARIANCE
 * @helpurl https://localhost:3000/help.html#variance
 * @param plan Planned amount per row (blank: no plan line, so any spend is Unplanned).
 * @param actual Actual spend per row.
 * @param [expected_to_date] Plan expected to be spent by now per row (default: the whole plan).
 * @param [show_details] TRUE for four columns: variance, variance %, utilisation, status. Default FALSE: status only.
 * @param [language] en (default) or zh for Chinese status names.
 * @returns The status per row (or the four columns), aligned with the input.
 */
export function VARIANCE(plan: any[][], actual: any[][], expected_to_date?: any[][], show_details?: boolean, language?: string): any[][] {
  return runFunction('VARIANCE', () => varianceRows({ plan, actual, expected_to_date, show_details, language }));
}
