/**
 * Segment share limits of the optimal method written as text, e.g. "Lost<=5%; Champions>=20%":
 * each item is `segment<=share` (a maximum share of the distributable amount) or `segment>=share`
 * (a minimum share), separated by semicolons, commas or line breaks (ASCII or full-width). Shares
 * are fractions from 0 to 1, written as 20% or 0.2. Also accepted: =< and => (the same as <= and
 * >=), ≤ and ≥, and the full-width ＜＝ and ＞＝.
 *
 * Pure parsing only: whether a named segment exists is known once the rows are scored, so the
 * allocation itself checks the names (see optimal.ts). Errors are InputErrors with an English
 * message and a structured `problem` that hosts turn into their own, translated message.
 */
import { CellLocation, CellValue, englishDetail, ErrorDetail, InputError } from '../errors';
import { readNumber } from '../money';

/** 'max': segment<=share; 'min': segment>=share. */
export type SegmentLimitKind = 'min' | 'max';

/** One limit as written. */
export interface SegmentLimitItem {
  segment: string;
  kind: SegmentLimitKind;
  /** Fraction of the distributable amount, 0..1. */
  share: number;
}

/** What is wrong with limit text, for hosts that word the message themselves. */
export type SegmentLimitProblem =
  /** `item` is not segment<=share or segment>=share (no operator, no name, or a share that is not a number). */
  | { reason: 'not-a-limit'; item: string }
  /** The share of `segment` is a number outside 0..1 (`value` as written, e.g. "5" or "120%"). */
  | { reason: 'bad-share'; item: string; segment: string; value: string }
  /** `segment` has two minimum (or two maximum) shares. */
  | { reason: 'duplicate'; segment: string; kind: SegmentLimitKind }
  /** The minimum share of `segment` is above its maximum share. */
  | { reason: 'min-above-max'; segment: string; min: number; max: number };

/** The registry message of a problem and its parameters. */
function problemDetail(problem: SegmentLimitProblem): ErrorDetail {
  const parameter = 'segment limits';
  switch (problem.reason) {
    case 'not-a-limit':
      return { key: 'segmentLimits.notALimit', params: { item: problem.item }, parameter };
    case 'bad-share':
      return { key: 'segmentLimits.badShare', params: { value: problem.value, segment: problem.segment }, parameter };
    case 'duplicate':
      return { key: problem.kind === 'min' ? 'segmentLimits.duplicateMin' : 'segmentLimits.duplicateMax', params: { segment: problem.segment }, parameter };
    case 'min-above-max':
      return { key: 'segmentLimits.minAboveMax', params: { segment: problem.segment, min: problem.min, max: problem.max }, parameter };
  }
}

/**
 * A bad segment limit: an InputError ('bad-parameter') worded like parameterError
 * ("segment limits: ..."), that also says what is wrong as data.
 */
export class SegmentLimitError extends InputError {
  readonly problem: SegmentLimitProblem;

  constructor(problem: SegmentLimitProblem, location: CellLocation = {}, value?: CellValue) {
    const detail = problemDetail(problem);
    super('bad-parameter', englishDetail(detail), location, value, detail);
    this.name = 'SegmentLimitError';
    this.problem = problem;
  }
}

/** The comparison of one item; the capture group keeps it in `split`'s result. */
const OPERATOR = /(<=|>=|=<|=>|≤|≥|＜＝|＞＝)/;
const MAX_OPERATORS: ReadonlySet<string> = new Set(['<=', '=<', '≤', '＜＝']);
const SEPARATORS = /[;；,，\n\r]+/;

/** True when the text contains a limit operator, i.e. it is meant as limit text (not a segment name or share). */
export function isSegmentLimitText(text: string): boolean {
  return OPERATOR.test(text);
}

/** One item, trimmed and non-blank: segment, operator, share. */
function parseItem(item: string): SegmentLimitItem {
  const parts = item.split(OPERATOR);
  const segment = (parts[0] ?? '').trim();
  const shareText = (parts[2] ?? '').trim();
  if (parts.length !== 3 || segment === '' || shareText === '') throw new SegmentLimitError({ reason: 'not-a-limit', item });
  let share: number;
  try {
    share = readNumber(shareText);
  } catch {
    throw new SegmentLimitError({ reason: 'not-a-limit', item });
  }
  if (!(share >= 0 && share <= 1)) throw new SegmentLimitError({ reason: 'bad-share', item, segment, value: shareText });
  return { segment, kind: MAX_OPERATORS.has(parts[1]) ? 'max' : 'min', share };
}

/**
 * "Lost<=5%; Champions>=20%" -> [{ Lost, max, 0.05 }, { Champions, min, 0.2 }], in the order
 * written; blank text (or only separators) gives no limits. Throws a SegmentLimitError for the first
 * bad item. Segment names are kept as written (trimmed); duplicates are left to segmentShareLimits.
 */
export function parseSegmentLimitText(text: string): SegmentLimitItem[] {
  const items: SegmentLimitItem[] = [];
  for (const raw of text.split(SEPARATORS)) {
    const item = raw.trim();
    if (item !== '') items.push(parseItem(item));
  }
  return items;
}

/** Minimum and maximum shares per segment, as the allocation takes them (segmentMinShare / segmentMaxShare). */
export interface SegmentShareLimits {
  min: Record<string, number>;
  max: Record<string, number>;
}

/**
 * Limits as the allocation's minimum and maximum shares per segment (names as written). Throws a
 * SegmentLimitError when a segment has two minimums or two maximums, or a minimum above its maximum.
 */
export function segmentShareLimits(items: readonly SegmentLimitItem[]): SegmentShareLimits {
  const min = new Map<string, number>();
  const max = new Map<string, number>();
  for (const { segment, kind, share } of items) {
    const shares = kind === 'min' ? min : max;
    if (shares.has(segment)) throw new SegmentLimitError({ reason: 'duplicate', segment, kind });
    shares.set(segment, share);
    const low = min.get(segment);
    const high = max.get(segment);
    if (low !== undefined && high !== undefined && low > high) throw new SegmentLimitError({ reason: 'min-above-max', segment, min: low, max: high });
  }
  return { min: Object.fromEntries(min), max: Object.fromEntries(max) };
}
