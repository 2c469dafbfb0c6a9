/**
 * Parameter values as the sheets show them, in the user's language. The machine-readable records
 * (planParameters(), the log's JSON and the parameter hash) keep the code words (optimal, score,
 * rfm10 ...); only the text in the parameter cells goes through the messages here.
 */
import { t, Locale } from '../i18n';

/** A message for a code word (e.g. param.method.optimal); the code word itself when there is none. */
function codeText(prefix: string, code: string, locale: Locale): string {
  const key = `${prefix}.${code}`;
  const text = t(locale, key);
  return text === key ? code : text;
}

/** proportional, equal, shares, optimal. */
export function methodText(method: string, locale: Locale): string {
  return codeText('param.method', method, locale);
}

/** score, monetary, equal, clv. */
export function weightBasisText(basis: string, locale: Locale): string {
  return codeText('param.weightBasis', basis, locale);
}

/** rfm10, rfm8, none, custom. */
export function schemeText(scheme: string, locale: Locale): string {
  return codeText('param.scheme', scheme, locale);
}

/** exp, log: the curve's name and formula. */
export function responseText(curve: string, locale: Locale): string {
  return codeText('param.response', curve, locale);
}

/** Quantile bins, or the cut points of R, F and M. */
export function scoringText(
  options: { bins?: number; thresholds?: { recencyDays: readonly number[]; frequency: readonly number[]; monetary: readonly number[] } },
  locale: Locale,
): string {
  const th = options.thresholds;
  return th
    ? t(locale, 'param.scoring.thresholds', { r: th.recencyDays.join('/'), f: th.frequency.join('/'), m: th.monetary.join('/') })
    : t(locale, 'param.scoring.quantiles', { bins: options.bins ?? 5 });
}

/** 0.2 -> "20%", 0.125 -> "12.5%" (no floating-point noise). */
export function percentText(share: number): string {
  return `${Number((share * 100).toPrecision(10))}%`;
}

/** One amount for every row (as a number), or the column it came from (as text). */
export type AmountOrColumn = number | string;

/** An amount as text, a column name as "column NAME", nothing as "-". */
export function amountOrColumnText(value: AmountOrColumn | undefined, locale: Locale): string {
  if (value === undefined) return '-';
  return typeof value === 'number' ? String(value) : t(locale, 'param.column', { name: value });
}

/** Shares per segment, e.g. "Champions 20%, Lost 5%"; "-" when none. */
export function segmentSharesText(shares: Readonly<Record<string, number>> | undefined, locale: Locale): string {
  const entries = Object.entries(shares ?? {});
  if (entries.length === 0) return '-';
  return entries.map(([segment, share]) => t(locale, 'param.shareItem', { segment, share: percentText(share) })).join(t(locale, 'param.listSeparator'));
}
