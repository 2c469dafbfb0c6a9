/**
 * User-facing strings in English and Simplified Chinese. Each area of the product keeps its own
 * message file under ./messages (so parallel work does not collide); this module merges them.
 */
import { common } from './messages/common';
import { functions } from './messages/functions';
import { workbook } from './messages/workbook';
import { taskpane } from './messages/taskpane';
import { runs } from './messages/runs';
import { sheetsHost } from './messages/sheets-host';
import { cliInput } from './messages/cli-input';
import { warehouse } from './messages/warehouse';
import { engineErrors } from './messages/engine-errors';
import { duckdbEngine } from './messages/duckdb-engine';

export type Locale = 'en' | 'zh-CN';
export type MessageTable = Record<string, string>;
export interface MessageArea {
  en: MessageTable;
  'zh-CN': MessageTable;
}

const areas: MessageArea[] = [common, functions, workbook, taskpane, runs, sheetsHost, cliInput, warehouse, engineErrors, duckdbEngine];

const merged: Record<Locale, MessageTable> = { en: {}, 'zh-CN': {} };
for (const area of areas) {
  Object.assign(merged.en, area.en);
  Object.assign(merged['zh-CN'], area['zh-CN']);
}

/** Registers an area's messages (used by areas that load separately, e.g. the task pane). */
export function registerMessages(area: MessageArea): void {
  Object.assign(merged.en, area.en);
  Object.assign(merged['zh-CN'], area['zh-CN']);
}

/** 'zh', 'zh-CN', 'zh-Hans-CN', 'zh-TW' -> 'zh-CN'; anything else -> 'en'. */
export function pickLocale(tag: string | undefined | null): Locale {
  return tag && /^zh\b/i.test(tag) ? 'zh-CN' : 'en';
}

/** Looks up a message and fills {name} placeholders; falls back to English, then to the key. */
export function t(locale: Locale, key: string, params: Record<string, string | number> = {}): string {
  const template = merged[locale][key] ?? merged.en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function allKeys(locale: Locale): string[] {
  return Object.keys(merged[locale]);
}
