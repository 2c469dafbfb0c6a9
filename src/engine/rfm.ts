/**
 * RFM per customer from a transaction table (SPEC "RFM"): recency in days, frequency in purchases,
 * monetary in minor units, their 1..k scores, the weighted composite score, the RFM code and a
 * segment.
 */
import { engineError, parameterError } from './errors';
import { EpochDays, formatIsoDate } from './dates';
import { fromMinorUnits } from './money';
import { Transactions } from './transactions';
import { quantileScores, thresholdScores } from './quantile-scores';
import { matchSegmentRule, RFM10_RULES, RFM10_ZH, rfm8Segments, SegmentRule, validateSegmentRules } from './segments';

export interface RfmThresholds {
  /** Ascending cut points in days. */
  recencyDays: readonly number[];
  /** Ascending cut points in purchases. */
  frequency: readonly number[];
  /** Ascending cut points in major units (e.g. 256 = 256.00). */
  monetary: readonly number[];
}

export type SegmentScheme = 'rfm10' | 'rfm8' | 'none' | readonly SegmentRule[];

export interface RfmOptions {
  /** Default: the latest purchase date in the data. */
  asOf?: EpochDays;
  /** Quantile bins (default 5); ignored when thresholds are given. */
  bins?: number;
  thresholds?: RfmThresholds;
  /** [wR, wF, wM], each >= 0, not all 0; default [1, 1, 1]. */
  weights?: readonly [number, number, number];
  scheme?: SegmentScheme;
  /** Segment names in Chinese or English; by default rfm8 names are Chinese and rfm10 names English (the R rfm package's). */
  language?: 'zh' | 'en';
  minorDigits?: number;
}

/** Raw per-customer measures, before scoring. */
export interface RfmMeasures {
  customerIds: string[];
  recencyDays: Int32Array;
  frequency: Int32Array;
  monetaryMinor: Float64Array;
}

export interface RfmScores {
  r: Uint8Array;
  f: Uint8Array;
  m: Uint8Array;
  /** Weighted mean of r, f, m. */
  score: Float64Array;
  /** Highest possible score (bins, or cut points + 1). */
  maxScore: number;
}

export interface RfmRow {
  customer: string;
  recencyDays: number;
  frequency: number;
  monetary: number; // major units
  r: number;
  f: number;
  m: number;
  code: string;
  score: number;
  segment: string;
}

export interface RfmWarnings {
  /** Rows dated after the as-of date, left out. */
  rowsAfterAsOf: number;
  /** Customers left out because they had no purchase (amount > 0) up to the as-of date. */
  customersWithoutPurchase: number;
  /** Rows the reader skipped (with --skip-invalid). */
  rowsSkipped: number;
}

export interface RfmResult {
  asOf: EpochDays;
  asOfText: string;
  rows: RfmRow[];
  measures: RfmMeasures;
  scores: RfmScores;
  warnings: RfmWarnings;
}

/** The latest date of a purchase (amount > 0), or of any row when there is none. */
export function latestPurchaseDate(tx: Transactions): EpochDays {
  let latest = -Infinity;
  let latestAny = -Infinity;
  for (let i = 0; i < tx.dates.length; i++) {
    if (tx.dates[i] > latestAny) latestAny = tx.dates[i];
    if (tx.amountsMinor[i] > 0 && tx.dates[i] > latest) latest = tx.dates[i];
  }
  if (latestAny === -Infinity) throw engineError('rfm.noTransactions');
  return latest === -Infinity ? latestAny : latest;
}

/**
 * Recency, frequency and monetary per customer at `asOf`. Frequency counts distinct order ids of
 * purchase rows when order ids are present, else purchase rows. Customers with no purchase up to
 * `asOf` are left out and counted.
 */
export function rfmMeasures(tx: Transactions, asOf: EpochDays): { measures: RfmMeasures; rowsAfterAsOf: number; customersWithoutPurchase: number } {
  const customerCount = tx.customerIds.length;
  const lastPurchase = new Int32Array(customerCount).fill(-2147483648);
  const frequency = new Int32Array(customerCount);
  const monetary = new Float64Array(customerCount);
  let rowsAfterAsOf = 0;
  for (let i = 0; i < tx.dates.length; i++) {
    const day = tx.dates[i];
    if (day > asOf) {
      rowsAfterAsOf++;
      continue;
    }
    const c = tx.customerIndex[i];
    const amount = tx.amountsMinor[i];
    monetary[c] += amount;
    if (amount > 0) {
      if (day > lastPurchase[c]) lastPurchase[c] = day;
      if (!tx.orderIndex) frequency[c]++;
    }
  }
  if (tx.orderIndex) countDistinctOrders(tx, asOf, frequency);
  let kept = 0;
  for (let c = 0; c < customerCount; c++) if (lastPurchase[c] !== -2147483648) kept++;
  const measures: RfmMeasures = {
    customerIds: new Array<string>(kept),
    recencyDays: new Int32Array(kept),
    frequency: new Int32Array(kept),
    monetaryMinor: new Float64Array(kept),
  };
  for (let c = 0, k = 0; c < customerCount; c++) {
    if (lastPurchase[c] === -2147483648) continue;
    measures.customerIds[k] = tx.customerIds[c];
    measures.recencyDays[k] = asOf - lastPurchase[c];
    measures.frequency[k] = frequency[c];
    measures.monetaryMinor[k] = monetary[c];
    k++;
  }
  return { measures, rowsAfterAsOf, customersWithoutPurchase: customerCount - kept };
}

/**
 * Adds to `frequency` the distinct order ids of each customer's purchase rows up to `asOf`.
 * Orders normally belong to one customer, which a last-seen marker counts in one pass; an order id
 * shared by several customers falls back to sorting (customer, order) pairs, which is always exact.
 */
function countDistinctOrders(tx: Transactions, asOf: EpochDays, frequency: Int32Array): void {
  const orderIndex = tx.orderIndex as Int32Array;
  let orderCount = 0;
  for (let i = 0; i < orderIndex.length; i++) if (orderIndex[i] >= orderCount) orderCount = orderIndex[i] + 1;
  const owner = new Int32Array(orderCount).fill(-1);
  let shared = false;
  for (let i = 0; i < orderIndex.length && !shared; i++) {
    if (tx.dates[i] > asOf || tx.amountsMinor[i] <= 0) continue;
    const o = orderIndex[i];
    const c = tx.customerIndex[i];
    if (owner[o] === -1) {
      owner[o] = c;
      frequency[c]++;
    } else if (owner[o] !== c) shared = true;
  }
  if (!shared) return;
  frequency.fill(0);
  const pairs: number[] = [];
  for (let i = 0; i < orderIndex.length; i++) {
    if (tx.dates[i] <= asOf && tx.amountsMinor[i] > 0) pairs.push(tx.customerIndex[i] * orderCount + orderIndex[i]);
  }
  const sorted = Float64Array.from(pairs).sort();
  for (let k = 0; k < sorted.length; k++) if (k === 0 || sorted[k] !== sorted[k - 1]) frequency[Math.floor(sorted[k] / orderCount)]++;
}

function validateWeights(weights: readonly number[]): void {
  if (weights.length !== 3 || weights.some((w) => !Number.isFinite(w) || w < 0) || weights.every((w) => w === 0)) {
    throw parameterError('weights', 'rfm.weights', { weights: weights.join(', ') });
  }
}

function validateCutPoints(name: string, cutPoints: readonly number[]): void {
  if (cutPoints.length === 0 || cutPoints.some((c, i) => !Number.isFinite(c) || (i > 0 && c <= cutPoints[i - 1]))) {
    throw parameterError(name, 'rfm.cutPoints', { cutPoints: cutPoints.join(', ') });
  }
}

function validateBins(bins: number): void {
  if (!Number.isInteger(bins) || bins < 2 || bins > 9) throw parameterError('bins', 'rfm.bins', { bins });
}

/** Composite score = (wR R + wF F + wM M) / (wR + wF + wM). */
export function compositeScores(r: ArrayLike<number>, f: ArrayLike<number>, m: ArrayLike<number>, weights: readonly [number, number, number]): Float64Array {
  validateWeights(weights);
  const [wR, wF, wM] = weights;
  const total = wR + wF + wM;
  const score = new Float64Array(r.length);
  for (let i = 0; i < r.length; i++) score[i] = (wR * r[i] + wF * f[i] + wM * m[i]) / total;
  return score;
}

/** Scores raw recency (days), frequency and monetary (major units) values, one result per input. */
export function scoreRfmValues(
  recencyDays: ArrayLike<number>,
  frequency: ArrayLike<number>,
  monetary: ArrayLike<number>,
  options: Pick<RfmOptions, 'bins' | 'thresholds' | 'weights'> = {},
): RfmScores {
  const weights = options.weights ?? [1, 1, 1];
  if (options.thresholds) {
    const t = options.thresholds;
    validateCutPoints('recency thresholds', t.recencyDays);
    validateCutPoints('frequency thresholds', t.frequency);
    validateCutPoints('monetary thresholds', t.monetary);
    if (t.recencyDays.length !== t.frequency.length || t.frequency.length !== t.monetary.length) {
      throw parameterError('thresholds', 'rfm.thresholdCounts');
    }
    const r = thresholdScores(recencyDays, t.recencyDays, false);
    const f = thresholdScores(frequency, t.frequency);
    const m = thresholdScores(monetary, t.monetary);
    return { r, f, m, score: compositeScores(r, f, m, weights), maxScore: t.frequency.length + 1 };
  }
  const bins = options.bins ?? 5;
  validateBins(bins);
  const r = quantileScores(recencyDays, bins, false);
  const f = quantileScores(frequency, bins);
  const m = quantileScores(monetary, bins);
  return { r, f, m, score: compositeScores(r, f, m, weights), maxScore: bins };
}

/** Segment names for scored customers under a scheme. */
export function segmentScores(scores: RfmScores, scheme: SegmentScheme, language?: 'zh' | 'en'): string[] {
  const n = scores.r.length;
  if (scheme === 'none') return new Array<string>(n).fill('');
  if (scheme === 'rfm8') return rfm8Segments(scores.r, scores.f, scores.m, language ?? 'zh');
  if (scheme === 'rfm10' && scores.maxScore !== 5) {
    throw parameterError('segments', 'rfm.rfm10Scale', { maxScore: scores.maxScore });
  }
  const rules = scheme === 'rfm10' ? RFM10_RULES : scheme;
  if (scheme !== 'rfm10') validateSegmentRules(rules, scores.maxScore);
  const names = new Array<string>(n);
  // Only the built-in rfm10 names have translations; a user's own rule names are kept as written.
  const translate = scheme === 'rfm10' && language === 'zh';
  for (let i = 0; i < n; i++) {
    const name = matchSegmentRule(rules, scores.r[i], scores.f[i], scores.m[i]);
    names[i] = translate ? RFM10_ZH[name] : name;
  }
  return names;
}

/** RFM for every customer with a purchase up to the as-of date. */
export function computeRfm(tx: Transactions, options: RfmOptions = {}): RfmResult {
  const asOf = options.asOf ?? latestPurchaseDate(tx);
  const { measures, rowsAfterAsOf, customersWithoutPurchase } = rfmMeasures(tx, asOf);
  return rfmFromMeasures(measures, asOf, { rowsAfterAsOf, customersWithoutPurchase, rowsSkipped: tx.skipped.length }, options);
}

/**
 * Scores, codes and segments per-customer measures taken at `asOf`, wherever they were computed
 * (rfmMeasures here, or a database for `cbp --engine duckdb`); `warnings` are passed through.
 */
export function rfmFromMeasures(measures: RfmMeasures, asOf: EpochDays, warnings: RfmWarnings, options: RfmOptions = {}): RfmResult {
  const minorDigits = options.minorDigits ?? 2;
  if (measures.customerIds.length === 0) {
    throw engineError('rfm.noPurchases', { asOf: formatIsoDate(asOf) });
  }
  const monetaryMajor = Float64Array.from(measures.monetaryMinor, (v) => fromMinorUnits(v, minorDigits));
  const scores = scoreRfmValues(measures.recencyDays, measures.frequency, monetaryMajor, options);
  const segments = segmentScores(scores, options.scheme ?? 'rfm10', options.language);
  const rows = measures.customerIds.map<RfmRow>((customer, i) => ({
    customer,
    recencyDays: measures.recencyDays[i],
    frequency: measures.frequency[i],
    monetary: monetaryMajor[i],
    r: scores.r[i],
    f: scores.f[i],
    m: scores.m[i],
    code: `${scores.r[i]}${scores.f[i]}${scores.m[i]}`,
    score: scores.score[i],
    segment: segments[i],
  }));
  return { asOf, asOfText: formatIsoDate(asOf), rows, measures, scores, warnings };
}
