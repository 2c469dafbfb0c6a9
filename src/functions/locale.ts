/**
 * The language of the functions' own messages: Excel's display language in the shared runtime,
 * the host's language source where one is set (Google Sheets), English elsewhere (tests, a plain browser). Engine messages stay English, as the engine writes them.
 */
import { Locale, pickLocale } from '../i18n';

/** Where a host other than Excel reads its language from (Google Sheets: the spreadsheet's locale, e.g. zh_CN). */
let languageSource: (() => string | undefined) | undefined;

export function setFunctionsLanguageSource(source: (() => string | undefined) | undefined): void {
  languageSource = source;
}

export function functionsLocale(): Locale {
  try {
    if (languageSource) return pickLocale(languageSource()?.replace('_', '-'));
    // Office is a global of the shared runtime page, not an import: functions/ imports only the engine and i18n.
    return typeof Office !== 'undefined' ? pickLocale(Office.context?.displayLanguage) : 'en';
  } catch {
    return 'en';
  }
}
