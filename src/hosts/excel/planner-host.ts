/**
 * The Excel host of the run layer: a PlannerHost over Office.js (or the instrumented fake's run).
 * Reading, names and writing are this folder's modules; settings live in the document's Office
 * settings (Office.context.document.settings), saved with the workbook.
 */
import type { PlannerHost } from '../../runs/host';
import { readSource } from './read-source';
import { listPlanTables, readWorkbookNames } from './workbook-info';
import { ExcelHost, writeWorkbookSpec } from './write-spec';

/** Where the Excel host keeps the last run's settings. */
export interface SettingsStore {
  get(): Promise<string | undefined>;
  set(json: string): Promise<void>;
}

export const SETTINGS_KEY = 'cbp.lastRun';

/** The document's Office settings (kept in the workbook file); undefined outside Office. */
export function officeDocumentSettings(): SettingsStore | undefined {
  if (typeof Office === 'undefined' || !Office.context?.document?.settings) return undefined;
  const settings = Office.context.document.settings;
  return {
    get: async () => {
      const value: unknown = settings.get(SETTINGS_KEY);
      return typeof value === 'string' ? value : undefined;
    },
    set: (json) =>
      new Promise((resolve, reject) => {
        settings.set(SETTINGS_KEY, json);
        settings.saveAsync((result) => (result.status === Office.AsyncResultStatus.Succeeded ? resolve() : reject(new Error(result.error?.message ?? 'settings not saved'))));
      }),
  };
}

export interface ExcelPlannerOptions {
  /** Largest Office.js request (default 4,000,000 bytes). */
  maxRequestBytes?: number;
  /** Default: the document's Office settings. */
  settings?: SettingsStore;
  /** The approver's name when none is entered (Office.js does not tell the signed-in user). */
  user?: string;
}

export function excelPlannerHost(excel: ExcelHost, options: ExcelPlannerOptions = {}): PlannerHost {
  const settings = options.settings ?? officeDocumentSettings();
  return {
    readNames: () => readWorkbookNames(excel),
    readSource: async (source, read = {}) => {
      const table = await readSource(excel, source, { locale: read.locale, chunkRows: read.chunkRows, onProgress: read.onProgress, signal: read.signal, maxRows: read.maxRows });
      return { rows: table.rows, address: table.address, syncs: table.syncs, totalRows: table.totalRows };
    },
    listPlanTables: () => listPlanTables(excel),
    writeSpec: (spec, write) => writeWorkbookSpec(excel, spec, { locale: write.locale, activate: write.activate, onProgress: write.onProgress, signal: write.signal, maxRequestBytes: options.maxRequestBytes }),
    currentUser: async () => options.user ?? '',
    loadSettings: async () => settings?.get(),
    saveSettings: async (json) => settings?.set(json),
  };
}
