/**
 * Money as integer minor units (cents by default). Sums of integers are exact, so totals that
 * should be equal compare equal and an allocation adds up to the budget to the cent.
 */
import { CellLocation, CellValue, engineError, describeValue } from './errors';

export type MinorUnits = number;

/** Minor units per major unit as a power of ten when none is given: cents, fen. */
export const DEFAULT_MINOR_DIGITS = 2;

export interface MoneyOptions {
  /** Digits after the decimal point kept in minor units: 2 for cents/fen (default), 0 for yen. */
  minorDigits?: number;
}

const CURRENCY_WORDS = /^(?:RMB|CNY|USD|EUR|GBP|JPY|HKD)\s*|\s*(?:RMB|CNY|USD|EUR|GBP|JPY|HKD|元)$/i;
const CURRENCY_SIGNS = /[¥￥$€£]/g;
/** Digits with optional thousands commas in groups of three, an optional decimal point and fraction. */
const GROUPED_NUMBER = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d*))?$|^\.(\d+)$/;
/** A number written with a decimal comma (1.234,50 or 12,5): refused rather than misread. */
const DECIMAL_COMMA = /^\d{1,3}(?:\.\d{3})*,\d{1,2}$|^\d+,\d{1,2}$/;

export function minorPerMajor(minorDigits = DEFAULT_MINOR_DIGITS): number {
  return 10 ** minorDigits;
}

/** Rounds a major-unit number (e.g. 12.345 dollars) to minor units, half away from zero. */
export function toMinorUnits(amount: number, minorDigits = DEFAULT_MINOR_DIGITS): MinorUnits {
  const scaled = amount * minorPerMajor(minorDigits);
  // Snap values like 1.005*100 = 100.49999999999999 that are a representation error, not a real half.
  const snapped = Math.round(scaled * 1e6) / 1e6;
  return Math.sign(snapped) * Math.round(Math.abs(snapped));
}

export function fromMinorUnits(amountMinor: MinorUnits, minorDigits = DEFAULT_MINOR_DIGITS): number {
  return amountMinor / minorPerMajor(minorDigits);
}

/**
 * Reads one money cell: a number, or text such as `1,234.50`, `¥1,234.50`, `$1,234`, `-12`,
 * `(123.00)` (negative), `1234元`. Returns integer minor units.
 */
export function readMoney(value: CellValue, where: CellLocation = {}, options: MoneyOptions = {}): MinorUnits {
  const minorDigits = options.minorDigits ?? DEFAULT_MINOR_DIGITS;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return toMinorUnits(value, minorDigits);
  } else if (typeof value === 'string') {
    const parsed = parseMoneyText(value, minorDigits);
    if (parsed !== undefined) return parsed;
  }
  if (value === null || value === undefined || value === '') {
    throw engineError('money.blank', {}, where, value);
  }
  const plain = decimalCommaPlain(value);
  throw plain === undefined ? engineError('money.invalid', { value: describeValue(value) }, where, value) : engineError('money.decimalComma', { value: describeValue(value), plain }, where, value);
}

/** Full-width digits and signs (１２３，４５６．７８) as their ASCII forms; Excel and IMEs produce both. */
function halfWidth(text: string): string {
  return text.normalize('NFKC');
}

/** For text that uses a comma as the decimal point, the number to write instead (1.234,50 -> 1234.50). */
function decimalCommaPlain(value: CellValue): string | undefined {
  if (typeof value !== 'string') return undefined;
  const body = halfWidth(value).trim().replace(CURRENCY_WORDS, '').replace(CURRENCY_SIGNS, '').replace(/^[-+]/, '').trim();
  if (!DECIMAL_COMMA.test(body)) return undefined;
  const plain = body.replace(/\./g, '').replace(',', '.');
  return plain;
}

/**
 * The number inside money or number text: sign, currency and percent handled by the callers.
 * Commas only as thousands separators between groups of three digits, so 1.234,50 and 12,5 are
 * refused instead of being read as 1.2345 or 125.
 */
function numberBody(text: string): { whole: string; fraction: string } | undefined {
  const match = GROUPED_NUMBER.exec(text);
  if (!match) return undefined;
  return { whole: (match[1] ?? '0').replace(/,/g, ''), fraction: match[2] ?? match[3] ?? '' };
}

function parseMoneyText(raw: string, minorDigits: number): MinorUnits | undefined {
  let text = halfWidth(raw).trim();
  let negative = false;
  if (/^\(.*\)$/.test(text)) {
    negative = true;
    text = text.slice(1, -1).trim();
  }
  text = text.replace(CURRENCY_WORDS, '').replace(CURRENCY_SIGNS, '').trim();
  if (text.startsWith('-') || text.startsWith('−')) {
    if (negative) return undefined;
    negative = true;
    text = text.slice(1);
  } else if (text.startsWith('+')) {
    text = text.slice(1);
  }
  text = text.replace(CURRENCY_SIGNS, '').trim();
  const body = numberBody(text);
  if (!body) return undefined;
  const minor = decimalTextToMinor(body.whole, body.fraction, minorDigits);
  return negative && minor !== 0 ? -minor : minor;
}

/** Exact decimal text to minor units, rounding half up on the first dropped digit. */
function decimalTextToMinor(whole: string, fraction: string, minorDigits: number): MinorUnits {
  const kept = fraction.slice(0, minorDigits).padEnd(minorDigits, '0');
  const roundUp = fraction.length > minorDigits && fraction.charCodeAt(minorDigits) >= 53; // '5'
  return Number(whole) * minorPerMajor(minorDigits) + Number(kept || '0') + (roundUp ? 1 : 0);
}

/**
 * Reads a plain number (a score, weight, count or rate): numbers, or numeric text with thousands
 * separators or a trailing %. Blank is an error unless a fallback is given.
 */
export function readNumber(value: CellValue, where: CellLocation = {}, fallback?: number): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && value.trim() !== '') {
    const text = halfWidth(value).trim();
    const percent = text.endsWith('%');
    const signed = /^([-+−]?)\s*(.*?)$/.exec((percent ? text.slice(0, -1) : text).trim()) as RegExpExecArray;
    const body = numberBody(signed[2]);
    // Exponent forms (1e-5) are numbers too, as Number() reads them.
    const n = body ? Number(`${body.whole}.${body.fraction || '0'}`) : /^\d+(?:\.\d*)?e[-+]?\d+$/i.test(signed[2]) ? Number(signed[2]) : NaN;
    if (Number.isFinite(n)) {
      const v = signed[1] === '' || signed[1] === '+' ? n : -n;
      return percent ? v / 100 : v;
    }
  }
  if ((value === null || value === undefined || value === '') && fallback !== undefined) return fallback;
  if (value === null || value === undefined || value === '') {
    throw engineError('number.blank', {}, where, value);
  }
  const plain = decimalCommaPlain(value);
  throw plain === undefined ? engineError('number.invalid', { value: describeValue(value) }, where, value) : engineError('number.decimalComma', { value: describeValue(value), plain }, where, value);
}
