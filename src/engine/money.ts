/**
 * Money as integer minor units (cents by default). Sums of integers are exact, so totals that
 * should be equal compare equal and an allocation adds up to the budget to the cent.
 */
import { CellLocation, CellValue, InputError, describeValue } from './errors';

export type MinorUnits = number;

export interface MoneyOptions {
  /** Digits after the decimal point kept in minor units: 2 for cents/fen (default), 0 for yen. */
  minorDigits?: number;
}

const CURRENCY_WORDS = /^(?:RMB|CNY|USD|EUR|GBP|JPY|HKD)\s*|\s*(?:RMB|CNY|USD|EUR|GBP|JPY|HKD|元)$/i;
const CURRENCY_SIGNS = /[¥￥$€£]/g;
const PLAIN_NUMBER = /^(\d+)(?:\.(\d*))?$|^\.(\d+)$/;

export function minorPerMajor(minorDigits = 2): number {
  return 10 ** minorDigits;
}

/** Rounds a major-unit number (e.g. 12.345 dollars) to minor units, half away from zero. */
export function toMinorUnits(amount: number, minorDigits = 2): MinorUnits {
  const scaled = amount * minorPerMajor(minorDigits);
  // Snap values like 1.005*100 = 100.49999999999999 that are a representation error, not a real half.
  const snapped = Math.round(scaled * 1e6) / 1e6;
  return Math.sign(snapped) * Math.round(Math.abs(snapped));
}

export function fromMinorUnits(amountMinor: MinorUnits, minorDigits = 2): number {
  return amountMinor / minorPerMajor(minorDigits);
}

/**
 * Reads one money cell: a number, or text such as `1,234.50`, `¥1,234.50`, `$1,234`, `-12`,
 * `(123.00)` (negative), `1234元`. Returns integer minor units.
 */
export function readMoney(value: CellValue, where: CellLocation = {}, options: MoneyOptions = {}): MinorUnits {
  const minorDigits = options.minorDigits ?? 2;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return toMinorUnits(value, minorDigits);
  } else if (typeof value === 'string') {
    const parsed = parseMoneyText(value, minorDigits);
    if (parsed !== undefined) return parsed;
  }
  if (value === null || value === undefined || value === '') {
    throw new InputError('missing-value', 'the amount is blank; enter a number such as 1234.50', where, value);
  }
  throw new InputError(
    'bad-money',
    `${describeValue(value)} is not an amount; use a number such as 1234.50, ¥1,234.50 or (123.00) for a negative`,
    where,
    value,
  );
}

function parseMoneyText(raw: string, minorDigits: number): MinorUnits | undefined {
  let text = raw.trim().replace(/[\s,，]/g, '');
  let negative = false;
  if (/^\(.*\)$/.test(text) || /^（.*）$/.test(text)) {
    negative = true;
    text = text.slice(1, -1);
  }
  text = text.replace(CURRENCY_WORDS, '').replace(CURRENCY_SIGNS, '');
  if (text.startsWith('-') || text.startsWith('−')) {
    if (negative) return undefined;
    negative = true;
    text = text.slice(1);
  } else if (text.startsWith('+')) {
    text = text.slice(1);
  }
  text = text.replace(CURRENCY_SIGNS, '');
  const match = PLAIN_NUMBER.exec(text);
  if (!match) return undefined;
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? match[3] ?? '';
  const minor = decimalTextToMinor(whole, fraction, minorDigits);
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
    const text = value.trim().replace(/[,，\s]/g, '');
    const percent = text.endsWith('%');
    const n = Number(percent ? text.slice(0, -1) : text);
    if (text !== '' && Number.isFinite(n)) return percent ? n / 100 : n;
  }
  if ((value === null || value === undefined || value === '') && fallback !== undefined) return fallback;
  if (value === null || value === undefined || value === '') {
    throw new InputError('missing-value', 'the value is blank; enter a number', where, value);
  }
  throw new InputError('bad-number', `${describeValue(value)} is not a number`, where, value);
}
