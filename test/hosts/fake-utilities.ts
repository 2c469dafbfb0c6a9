/**
 * Utilities.formatDate as Apps Script has it, for the patterns the product uses (any other pattern
 * fails loudly, so a new pattern gets a test), and the instant Sheets hands a script for a date cell.
 */

/** The wall clock of an instant in a time zone, as Utilities.formatDate prints it. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function wallClock(date: Date, timeZone: string): Record<'yyyy' | 'MM' | 'dd' | 'HH' | 'mm' | 'ss', string> {
  const parts = formatterFor(timeZone).formatToParts(date);
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return { yyyy: part('year').padStart(4, '0'), MM: part('month'), dd: part('day'), HH: part('hour'), mm: part('minute'), ss: part('second') };
}

const SUPPORTED_PATTERNS = new Set(['yyyy-MM-dd', 'yyyy-MM-dd HH:mm:ss']);

export function formatDate(date: Date, timeZone: string, pattern: string): string {
  if (!SUPPORTED_PATTERNS.has(pattern)) throw new Error(`fake Utilities.formatDate: pattern ${pattern} not supported`);
  const c = wallClock(date, timeZone);
  return pattern.replace(/yyyy|MM|dd|HH|mm|ss/g, (token) => c[token as keyof typeof c]);
}

/** Milliseconds to add to UTC to get the wall-clock time in `timeZone` at `ms` (whole seconds). */
export function zoneOffsetMs(timeZone: string, ms: number): number {
  const c = wallClock(new Date(ms), timeZone);
  return Date.UTC(Number(c.yyyy), Number(c.MM) - 1, Number(c.dd), Number(c.HH), Number(c.mm), Number(c.ss)) - Math.floor(ms / 1000) * 1000;
}

/** The instant of a calendar day's midnight in a time zone: what Sheets hands a script for a date cell. */
export function midnightIn(isoDay: string, timeZone: string): number {
  const [y, m, d] = isoDay.split('-').map(Number);
  const target = Date.UTC(y, m - 1, d);
  let ms = target;
  for (let i = 0; i < 3; i++) {
    const c = wallClock(new Date(ms), timeZone);
    const shown = Date.UTC(Number(c.yyyy), Number(c.MM) - 1, Number(c.dd), Number(c.HH), Number(c.mm), Number(c.ss));
    ms += target - shown;
  }
  return ms;
}
