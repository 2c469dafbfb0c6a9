/**
 * Naming customers from their R, F and M scores: the `rfm10` rule table, the `rfm8` high/low cube
 * common in Chinese practice, and user-supplied rule tables (first matching rule wins).
 */
import { parameterError } from './errors';

export type ScoreRange = readonly [number, number];

export interface SegmentRule {
  name: string;
  r: ScoreRange;
  f: ScoreRange;
  m: ScoreRange;
}

export const OTHERS = 'Others';

/** The rfm10 scheme for 5 bins, in priority order (SPEC "Segments, scheme rfm10"). */
export const RFM10_RULES: readonly SegmentRule[] = [
  { name: 'Champions', r: [5, 5], f: [5, 5], m: [5, 5] },
  { name: 'Potential Loyalist', r: [3, 5], f: [3, 5], m: [2, 5] },
  { name: 'Loyal Customers', r: [2, 4], f: [2, 4], m: [2, 4] },
  { name: 'Promising', r: [3, 4], f: [1, 3], m: [3, 5] },
  { name: 'New Customers', r: [4, 5], f: [1, 3], m: [1, 5] },
  { name: "Can't Lose Them", r: [1, 2], f: [3, 4], m: [4, 5] },
  { name: 'At Risk', r: [1, 2], f: [2, 5], m: [4, 5] },
  { name: 'Need Attention', r: [1, 3], f: [3, 5], m: [3, 5] },
  { name: 'About To Sleep', r: [2, 3], f: [1, 3], m: [1, 4] },
  { name: 'Lost', r: [1, 1], f: [1, 5], m: [1, 5] },
];

/** Chinese names of the rfm10 segments, for sheets in Chinese (the English names are the R rfm package's). */
export const RFM10_ZH: Readonly<Record<string, string>> = {
  Champions: '冠军客户',
  'Potential Loyalist': '潜在忠诚客户',
  'Loyal Customers': '忠诚客户',
  Promising: '有潜力客户',
  'New Customers': '新客户',
  "Can't Lose Them": '不能流失客户',
  'At Risk': '流失风险客户',
  'Need Attention': '需关注客户',
  'About To Sleep': '即将沉睡客户',
  Lost: '已流失客户',
  [OTHERS]: '其他客户',
};

function within(score: number, [lo, hi]: ScoreRange): boolean {
  return score >= lo && score <= hi;
}

/** The first rule whose three ranges all hold, else 'Others'. */
export function matchSegmentRule(rules: readonly SegmentRule[], r: number, f: number, m: number): string {
  for (const rule of rules) if (within(r, rule.r) && within(f, rule.f) && within(m, rule.m)) return rule.name;
  return OTHERS;
}

/** rfm8 names by (R high, F high, M high), zh and en. */
export const RFM8_NAMES: Readonly<Record<string, { zh: string; en: string }>> = {
  HHH: { zh: '重要价值客户', en: 'Important value' },
  HLH: { zh: '重要发展客户', en: 'Important develop' },
  LHH: { zh: '重要保持客户', en: 'Important retain' },
  LLH: { zh: '重要挽留客户', en: 'Important win-back' },
  HHL: { zh: '一般价值客户', en: 'General value' },
  HLL: { zh: '一般发展客户', en: 'General develop' },
  LHL: { zh: '一般保持客户', en: 'General retain' },
  LLL: { zh: '一般挽留客户', en: 'General win-back' },
};

/** Each built-in segment name (rfm10 and rfm8, English and Chinese) to its name in the other language. */
const OTHER_LANGUAGE_NAME: ReadonlyMap<string, string> = new Map([
  ...Object.entries(RFM10_ZH).flatMap(([en, zh]) => [[en, zh], [zh, en]] as const),
  ...Object.values(RFM8_NAMES).flatMap(({ en, zh }) => [[en, zh], [zh, en]] as const),
]);

/**
 * A per-segment setting (share, limit, activity mix) whose keys may name a built-in segment in the
 * other language, keyed by the names the rows actually use: `Champions` becomes `冠军客户` in a
 * plan written in Chinese, and `重要价值客户` becomes `Important value` in one written in English.
 * Other keys are kept as given, for the caller's own check of unknown names.
 */
export function keyedByShownSegmentNames<T>(settings: Readonly<Record<string, T>> | undefined, shown: ReadonlySet<string>): Readonly<Record<string, T>> | undefined {
  if (settings === undefined) return undefined;
  const keyed: Record<string, T> = {};
  const givenAs = new Map<string, string>();
  for (const [name, value] of Object.entries(settings)) {
    const other = OTHER_LANGUAGE_NAME.get(name);
    const key = !shown.has(name) && other !== undefined && shown.has(other) ? other : name;
    if (givenAs.has(key)) throw parameterError('segments', 'segments.sameName', { first: String(givenAs.get(key)), second: name });
    givenAs.set(key, name);
    keyed[key] = value;
  }
  return keyed;
}

export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return values.length ? sum / values.length : 0;
}

/** 'H' when a score is above the mean score of all customers, else 'L'. */
function highOrLow(score: number, meanScore: number): 'H' | 'L' {
  return score > meanScore ? 'H' : 'L';
}

/** rfm8 segment per customer: each of R, F, M is high when above its mean over all customers. */
export function rfm8Segments(r: ArrayLike<number>, f: ArrayLike<number>, m: ArrayLike<number>, language: 'zh' | 'en' = 'zh'): string[] {
  const meanR = mean(r);
  const meanF = mean(f);
  const meanM = mean(m);
  const names = new Array<string>(r.length);
  for (let i = 0; i < r.length; i++) {
    const key = highOrLow(r[i], meanR) + highOrLow(f[i], meanF) + highOrLow(m[i], meanM);
    names[i] = RFM8_NAMES[key][language];
  }
  return names;
}

/** Checks a user rule table: names present, ranges ordered and within 1..maxScore. */
export function validateSegmentRules(rules: readonly SegmentRule[], maxScore: number): void {
  if (rules.length === 0) throw parameterError('segment rules', 'segments.noRules');
  rules.forEach((rule, index) => {
    if (!rule.name || !String(rule.name).trim()) throw parameterError('segment rules', 'segments.ruleNoName', { rule: index + 1 });
    for (const key of ['r', 'f', 'm'] as const) {
      const [lo, hi] = rule[key];
      if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo > hi || lo < 1 || hi > maxScore) {
        throw parameterError('segment rules', 'segments.ruleRange', { name: String(rule.name), score: key.toUpperCase(), low: lo, high: hi, maxScore });
      }
    }
  });
}
