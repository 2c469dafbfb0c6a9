/**
 * Date cells as Sheets hands them to a script: a JavaScript Date at the cell's wall-clock time in
 * the *spreadsheet's* time zone (a 2025-01-31 cell of an Asia/Shanghai spreadsheet is
 * 2025-01-30T16:00Z). The calendar day and time are read back in that zone, never the script's.
 */
import { epochDaysFromCivil, excelSerialFromEpochDays } from '../../engine/dates';

type DateFormatter = Pick<GoogleAppsScript.Utilities.Utilities, 'formatDate'>;

/** A Date from this or another realm (a vm context, the Apps Script runtime). */
export function isDateValue(value: unknown): value is Date {
  return Object.prototype.toString.call(value) === '[object Date]';
}

/** The cell's wall clock in the spreadsheet's zone as 'yyyy-MM-dd HH:mm:ss', cached per instant (a column repeats its dates). */
export function spreadsheetClock(utilities: DateFormatter, timeZone: string): (date: Date) => string {
  const cache = new Map<number, string>();
  return (date) => {
    const ms = date.getTime();
    let clock = cache.get(ms);
    if (clock === undefined) cache.set(ms, (clock = utilities.formatDate(date, timeZone, 'yyyy-MM-dd HH:mm:ss')));
    return clock;
  };
}

/** The calendar day ('yyyy-MM-dd') of a date cell of the spreadsheet. */
export function spreadsheetDay(utilities: DateFormatter, timeZone: string): (date: Date) => string {
  const clock = spreadsheetClock(utilities, timeZone);
  return (date) => clock(date).slice(0, 10);
}

const SECONDS_PER_DAY = 86_400;

/** A date cell as the serial number Excel would pass for it (day plus fraction of the day), read in the spreadsheet's zone. */
export function spreadsheetSerial(utilities: DateFormatter, timeZone: string): (date: Date) => number {
  const clock = spreadsheetClock(utilities, timeZone);
  return (date) => {
    const [day, time] = clock(date).split(' ');
    const [year, month, dayOfMonth] = day.split('-').map(Number);
    const [hours, minutes, seconds] = time.split(':').map(Number);
    return excelSerialFromEpochDays(epochDaysFromCivil(year, month, dayOfMonth)) + (hours * 3600 + minutes * 60 + seconds) / SECONDS_PER_DAY;
  };
}
