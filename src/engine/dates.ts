/**
 * Dates as whole days since 1970-01-01 (UTC), "epoch days". Every engine date is one of these,
 * so day arithmetic is integer subtraction and no time zone can shift a purchase to another day.
 */
import { CellLocation, CellValue, engineError, describeValue } from './errors';

export type EpochDays = number;

/** How to read text such as 01/02/2025, where the day and month could be either way round. */
export type DateOrder = 'auto' | 'dmy' | 'mdy';

export interface DateReadOptions {
  dateOrder?: DateOrder;
}

const MS_PER_DAY = 86_400_000;
/** Excel's day 0 for serials >= 61 is 1899-12-30 (it counts the fictitious 1900-02-29 as serial 60). */
const EXCEL_EPOCH_OFFSET_DAYS = 25_569;
const MAX_EXCEL_SERIAL = 2_958_465; // 9999-12-31

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil; integers only). */
export function epochDaysFromCivil(year: number, month: number, day: number): EpochDays {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

export function isValidCivilDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

export function civilFromEpochDays(days: EpochDays): { year: number; month: number; day: number } {
  const d = new Date(days * MS_PER_DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** 2025-01-31 */
export function formatIsoDate(days: EpochDays): string {
  return new Date(days * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Excel 1900-system serial (integer part) to epoch days; undefined for 0, 60 (1900-02-29) and out of range. */
export function epochDaysFromExcelSerial(serial: number): EpochDays | undefined {
  const whole = Math.floor(serial);
  if (!Number.isFinite(serial) || whole < 1 || whole > MAX_EXCEL_SERIAL || whole === 60) return undefined;
  return whole > 60 ? whole - EXCEL_EPOCH_OFFSET_DAYS : whole - EXCEL_EPOCH_OFFSET_DAYS + 1;
}

export function excelSerialFromEpochDays(days: EpochDays): number {
  const serial = days + EXCEL_EPOCH_OFFSET_DAYS;
  return serial > 60 ? serial : serial - 1;
}

/** A Date's calendar day in UTC (ExcelJS and Apps Script hand dates over as UTC midnight). */
export function epochDaysFromDate(date: Date): EpochDays | undefined {
  const ms = date.getTime();
  return Number.isNaN(ms) ? undefined : Math.floor(ms / MS_PER_DAY);
}

const ISO_LIKE = /^(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?:[T\s].*)?$/;
const CHINESE = /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?(?:\s.*)?$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const DAY_MONTH_YEAR = /^(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4})(?:[T\s].*)?$/;

/**
 * Reads one date cell. Accepts Excel serials, Date objects, ISO and 2025/1/31, 2025.1.31,
 * 2025年1月31日 text (a time part is ignored), compact 20250131 text or numbers, and dd/mm/yyyy or
 * mm/dd/yyyy when the order is set or only one reading is a real date.
 */
export function readDate(value: CellValue, where: CellLocation = {}, options: DateReadOptions = {}): EpochDays {
  if (value instanceof Date) {
    const days = epochDaysFromDate(value);
    if (days !== undefined) return days;
  } else if (typeof value === 'number') {
    const days = value > MAX_EXCEL_SERIAL ? compactNumberToDays(value) : epochDaysFromExcelSerial(value);
    if (days !== undefined) return days;
  } else if (typeof value === 'string') {
    const days = parseDateText(value.trim(), where, options.dateOrder ?? 'auto');
    if (days !== undefined) return days;
  }
  if (value === null || value === undefined || value === '') {
    throw engineError('date.blank', {}, where, value);
  }
  throw engineError(
    'date.invalid',
    { value: describeValue(value) },
    where,
    value,
  );
}

function compactNumberToDays(value: number): EpochDays | undefined {
  return Number.isInteger(value) ? parseDateText(String(value), {}, 'auto') : undefined;
}

function civilOrUndefined(year: number, month: number, day: number): EpochDays | undefined {
  return isValidCivilDate(year, month, day) ? epochDaysFromCivil(year, month, day) : undefined;
}

function parseDateText(text: string, where: CellLocation, order: DateOrder): EpochDays | undefined {
  // Numeric text (a serial typed or exported as text, e.g. from CSV) reads like the number itself.
  if (/^\d{1,7}(\.\d+)?$/.test(text)) return epochDaysFromExcelSerial(Number(text));
  const ymd = ISO_LIKE.exec(text) ?? CHINESE.exec(text) ?? COMPACT.exec(text);
  if (ymd) return civilOrUndefined(Number(ymd[1]), Number(ymd[2]), Number(ymd[3]));
  const dmy = DAY_MONTH_YEAR.exec(text);
  if (!dmy) return undefined;
  const first = Number(dmy[1]);
  const second = Number(dmy[2]);
  const year = Number(dmy[3]);
  if (order === 'dmy') return civilOrUndefined(year, second, first);
  if (order === 'mdy') return civilOrUndefined(year, first, second);
  const asDayMonth = civilOrUndefined(year, second, first);
  const asMonthDay = civilOrUndefined(year, first, second);
  if (asDayMonth !== undefined && asMonthDay !== undefined && asDayMonth !== asMonthDay) {
    throw engineError(
      'date.ambiguous',
      { text, year },
      where,
      text,
    );
  }
  return asDayMonth ?? asMonthDay;
}

/** Whole days from `from` to `to`. */
export function daysBetween(from: EpochDays, to: EpochDays): number {
  return to - from;
}
