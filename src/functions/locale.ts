/**
 * The language of the functions' own messages: Excel's display language in the shared runtime,
 * English elsewhere (tests, a plain browser). Engine messages stay English, as the engine writes them.
 */
import { Locale, pickLocale } from '../i18n';

export function functionsLocale(): Locale {
  try {
    // Office is a global of the shared runtime page, not an import: functions/ imports only the engine and i18n.
    return typeof Office !== 'undefined' ? pickLocale(Office.context?.displayLanguage) : 'en';
  } catch {
    return 'en';
  }
}
