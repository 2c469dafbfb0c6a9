/**
 * The Google Sheets host of the run layer: a PlannerHost over Apps Script's SpreadsheetApp,
 * PropertiesService and Session (the globals in Apps Script, a fake in tests). Tables are named
 * ranges; settings are one document property of at most 9 KB. Every call is synchronous, as Apps
 * Script's services are: the runs' steps are driven with driveSync (see server.ts).
 */
import { isDateValue, spreadsheetDay } from './dates';
import type { CellValue } from '../../engine/errors';
import { Locale, t } from '../../i18n';
import { describeSource, PlannerHost, PlanTableRef, ReadSourceOptions, SourceRef, SourceRows, splitSheetAddress, WorkbookNames } from '../../runs/host';
import { planTableIndex } from '../../runs/plan-table';
import { PLAN_STATE_RANGE } from '../../workbook/plan-sheet';
import { SheetsServices, writeSpecToSheets } from './write-spec';

export interface AppsScriptServices extends SheetsServices {
  PropertiesService: GoogleAppsScript.Properties.PropertiesService;
  Session: GoogleAppsScript.Base.Session;
  Utilities: GoogleAppsScript.Utilities.Utilities;
}

export const SETTINGS_PROPERTY = 'cbp.lastRun';
/** Apps Script refuses a property value over 9 KB. */
export const MAX_PROPERTY_BYTES = 9 * 1024;
/** Rows per getValues when reading a source. */
export const DEFAULT_READ_CHUNK_ROWS = 20_000;

type Range = GoogleAppsScript.Spreadsheet.Range;

/** The range a source names (a whole-column range cut to the sheet's last row), or null. */
function sourceRange(spreadsheet: GoogleAppsScript.Spreadsheet.Spreadsheet, source: SourceRef, locale: Locale): Range | null {
  switch (source.kind) {
    case 'table':
    case 'name':
      return spreadsheet.getRangeByName(source.name);
    case 'range': {
      const { sheet: sheetName, address } = splitSheetAddress(source);
      const sheet = sheetName === undefined ? spreadsheet.getActiveSheet() : spreadsheet.getSheetByName(sheetName);
      if (!sheet) throw new Error(t(locale, 'excel.sourceEmpty', { source: describeSource(source) }));
      const range = sheet.getRange(address);
      const lastRow = Math.min(range.getLastRow(), sheet.getLastRow());
      return lastRow < range.getRow() ? null : sheet.getRange(range.getRow(), range.getColumn(), lastRow - range.getRow() + 1, range.getNumColumns());
    }
    case 'selection':
      return spreadsheet.getActiveRange();
  }
}

/** Quotes a sheet name for an A1 address: 'Q1 ''A'''. */
function quoted(sheetName: string): string {
  return `'${sheetName.replace(/'/g, "''")}'`;
}

export function sheetsPlannerHost(services: AppsScriptServices): PlannerHost {
  const app = services.SpreadsheetApp;
  const spreadsheet = () => app.getActiveSpreadsheet();
  const host: PlannerHost = {
    readNames: (): WorkbookNames => {
      const ss = spreadsheet();
      return { sheetNames: ss.getSheets().map((s) => s.getName()), tableNames: ss.getNamedRanges().map((n) => n.getName()) };
    },
    readSource: (source: SourceRef, options: ReadSourceOptions = {}): SourceRows => {
      const locale = options.locale ?? 'en';
      const ss = spreadsheet();
      const range = sourceRange(ss, source, locale);
      if (!range) throw new Error(t(locale, 'excel.sourceEmpty', { source: describeSource(source) }));
      const sheet = range.getSheet();
      const [row, col, total, columns] = [range.getRow(), range.getColumn(), range.getNumRows(), range.getNumColumns()];
      const chunk = Math.max(1, options.chunkRows ?? DEFAULT_READ_CHUNK_ROWS);
      const rowsToRead = Math.min(total, options.maxRows ?? total);
      const timeZone = ss.getSpreadsheetTimeZone();
      // A date cell arrives as the instant of its midnight in the spreadsheet's time zone: its day is read there.
      const dayOf = spreadsheetDay(services.Utilities, timeZone);
      const rows: CellValue[][] = [];
      let syncs = 4;
      for (let start = 0; start < rowsToRead; start += chunk) {
        const count = Math.min(chunk, rowsToRead - start);
        const values = sheet.getRange(row + start, col, count, columns).getValues();
        syncs += 2;
        for (const cells of values) {
          for (let c = 0; c < cells.length; c++) {
            const cell: unknown = cells[c];
            if (isDateValue(cell)) cells[c] = dayOf(cell);
          }
          rows.push(cells as CellValue[]);
        }
        options.onProgress?.(rows.length, rowsToRead);
      }
      if (!rows.length || rows.every((r) => r.every((v) => v === '' || v === null))) throw new Error(t(locale, 'excel.sourceEmpty', { source: describeSource(source) }));
      return { rows, address: `${quoted(sheet.getName())}!${range.getA1Notation()}`, syncs, totalRows: total };
    },
    listPlanTables: (): PlanTableRef[] => {
      const plans = spreadsheet()
        .getNamedRanges()
        .filter((n) => planTableIndex(n.getName()) > 0);
      return plans.map((named) => {
        const sheet = named.getRange().getSheet();
        const status = sheet.getRange(PLAN_STATE_RANGE).getValues()[0][1];
        return { tableName: named.getName(), sheetName: sheet.getName(), statusText: String(status ?? '') };
      });
    },
    writeSpec: (spec, options) => writeSpecToSheets(services, spec, options),
    currentUser: () => services.Session.getActiveUser().getEmail() ?? '',
    loadSettings: () => services.PropertiesService.getDocumentProperties().getProperty(SETTINGS_PROPERTY) ?? undefined,
    saveSettings: (json) => {
      const bytes = services.Utilities.newBlob(json).getBytes().length;
      if (bytes > MAX_PROPERTY_BYTES) throw new Error(t('en', 'sheets.settingsTooLarge', { bytes, limit: MAX_PROPERTY_BYTES }));
      services.PropertiesService.getDocumentProperties().setProperty(SETTINGS_PROPERTY, json);
    },
  };
  return host;
}
