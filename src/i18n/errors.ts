/**
 * Errors in the user's language. Engine errors carry their message as data (InputError.detail: a
 * key of src/engine/error-messages.ts and its parameters); these functions word them from the
 * catalogue (messages/engine-errors.ts) with the location written the locale's way. English is the
 * engine's own text, unchanged. Errors without a detail (worded by a host) keep their text; only
 * their location is rewritten.
 */
import { CellLocation, InputError, withLocation } from '../engine/errors';
import { Locale, t } from './index';

/** How a location is ordered: the engine's "cell C12, row 3, column amount", or a function's "amount, row 3, cell C12". */
export type LocationStyle = 'engine' | 'function';

/** The location as words ("第 3 行，amount 列"), or '' when there is none. */
export function locationText(location: CellLocation, locale: Locale, style: LocationStyle = 'engine'): string {
  const cell = location.cell ? t(locale, 'error.where.cell', { cell: location.cell }) : undefined;
  const row = location.row !== undefined ? t(locale, 'error.where.row', { row: location.row }) : undefined;
  const column = location.column !== undefined ? t(locale, style === 'engine' ? 'error.where.column' : 'error.where.argument', { column: location.column }) : undefined;
  const parts = style === 'engine' ? [cell, row, column] : [column, row, cell];
  return parts.filter((part): part is string => part !== undefined).join(t(locale, 'error.where.separator'));
}

/** "where: message" in the locale's punctuation; just the message when there is no location. */
export function withLocationText(where: string, message: string, locale: Locale): string {
  return where ? t(locale, 'error.where.prefix', { where, message }) : message;
}

/** The English message without the location the constructor put in front of it. */
function englishBody(error: InputError): string {
  const prefix = withLocation('', error.location);
  return prefix && error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
}

/** What is wrong, without where: the engine's message from the catalogue, or the error's own text. */
export function errorBody(error: InputError, locale: Locale): string {
  const detail = error.detail;
  if (locale === 'en' || !detail) return englishBody(error);
  const params = detail.inner ? { ...detail.params, reason: localizeError(detail.inner, locale) } : detail.params;
  const text = t(locale, `engine.${detail.key}`, params);
  return detail.parameter !== undefined ? t(locale, 'error.parameter', { parameter: detail.parameter, message: text }) : text;
}

/** The whole message of anything thrown, in `locale`: location first, as the engine writes it. */
export function localizeError(error: unknown, locale: Locale): string {
  if (!(error instanceof InputError)) return error instanceof Error ? error.message : String(error);
  if (locale === 'en') return error.message;
  return withLocationText(locationText(error.location, locale), errorBody(error, locale), locale);
}
