/**
 * An instrumented in-memory fake of the part of the Excel JavaScript API that the Excel host uses,
 * for tests on machines without Excel (Linux, CI). It records every call, every `sync()` and the
 * serialised size of what each request carries, and can fail the n-th sync.
 *
 * Covered: worksheets add / getItem / getItemOrNullObject / delete / items; ranges by A1 address
 * with values, numberFormat, formulas, format.font.bold, format.columnWidth; conditional formats
 * (custom, dataBar, iconSet); tables add (by sheet) and getItemOrNullObject (by workbook) with
 * rows.add; charts add with title, series x-axis values and position; freeze panes; protection;
 * application.suspendApiCalculationUntilNextSync.
 * Not modelled: load() and property-not-loaded errors (reads are immediate), formula evaluation,
 * and queued (deferred) application: operations apply at once, and a failed sync throws after them.
 * No Jest imports: it is plain TypeScript, usable from any test.
 */
import type { ExcelHost } from '../write-spec';

export interface FakeCell {
  value: string | number | boolean;
  formula?: string;
  numberFormat?: string;
  bold?: boolean;
}

export interface FakeSheet {
  name: string;
  cells: Map<string, FakeCell>;
  tables: { name: string; address: string; style?: string; showTotals?: boolean; rows: number }[];
  conditionalFormats: { address: string; type: string; detail: Record<string, unknown> }[];
  charts: { type: string; title?: string; values: string; categories?: string; position?: string }[];
  columnWidths: Map<string, number>;
  protected: boolean;
  frozenRows: number;
}

export interface FakeWorkbookState {
  sheets: FakeSheet[];
}

export interface FakeLog {
  syncs: number;
  requestBytes: number[];
  calls: string[];
}

export interface FakeWorkbookInit {
  sheets: { name: string; values: (string | number | boolean | null)[][]; tables?: { name: string; address: string }[] }[];
}

/** "B3" -> [2, 1]; "B3:D10" -> [2, 1, 9, 3] (0-based rows and columns). */
export function parseAddress(address: string): [number, number, number, number] {
  const parts = address.replace(/^.*!/, '').replace(/\$/g, '').split(':');
  const one = (a: string): [number, number] => {
    const m = /^([A-Z]+)(\d+)$/.exec(a);
    if (!m) throw new Error(`InvalidArgument: bad address '${address}'`);
    let col = 0;
    for (const ch of m[1]) col = col * 26 + (ch.charCodeAt(0) - 64);
    return [Number(m[2]) - 1, col - 1];
  };
  if (/^[A-Z]+$/.test(parts[0])) return [0, one(`${parts[0]}1`)[1], 1_048_575, one(`${parts[1] ?? parts[0]}1`)[1]];
  const [r0, c0] = one(parts[0]);
  const [r1, c1] = parts[1] ? one(parts[1]) : [r0, c0];
  return [r0, c0, r1, c1];
}

/** The Excel enums the host uses, for Node where Office.js is absent. */
function installExcelEnums(): void {
  const globalObject = globalThis as unknown as { Excel?: Record<string, unknown> };
  if (globalObject.Excel && (globalObject.Excel as { ConditionalFormatType?: unknown }).ConditionalFormatType) return;
  globalObject.Excel = {
    ...(globalObject.Excel ?? {}),
    ConditionalFormatType: { custom: 'Custom', dataBar: 'DataBar', iconSet: 'IconSet' },
    ConditionalDataBarDirection: { leftToRight: 'LeftToRight' },
    IconSet: { threeTrafficLights1: 'ThreeTrafficLights1' },
    ConditionalFormatIconRuleType: { number: 'Number' },
    ConditionalIconCriterionOperator: { greaterThanOrEqual: 'GreaterThanOrEqual' },
    ChartType: { barClustered: 'BarClustered' },
    ChartSeriesBy: { columns: 'Columns' },
  };
}

export function createFakeExcel(init: FakeWorkbookInit) {
  installExcelEnums();
  const state: FakeWorkbookState = { sheets: [] };
  const log: FakeLog = { syncs: 0, requestBytes: [], calls: [] };
  let pendingBytes = 0;
  let failAt = -1;
  const newSheet = (name: string): FakeSheet => ({ name, cells: new Map(), tables: [], conditionalFormats: [], charts: [], columnWidths: new Map(), protected: false, frozenRows: 0 });
  for (const s of init.sheets) {
    const sheet = newSheet(s.name);
    s.values.forEach((row, r) => row.forEach((v, c) => v !== null && sheet.cells.set(`${r},${c}`, { value: v })));
    for (const t of s.tables ?? []) {
      const [r0, , r1] = parseAddress(t.address);
      sheet.tables.push({ name: t.name, address: t.address, rows: r1 - r0 });
    }
    state.sheets.push(sheet);
  }
  const record = (call: string, payload?: unknown) => {
    log.calls.push(call);
    pendingBytes += call.length + (payload === undefined ? 0 : JSON.stringify(payload).length);
  };
  const findSheet = (name: string) => state.sheets.find((s) => s.name.toLowerCase() === name.toLowerCase());
  const allTableNames = () => state.sheets.flatMap((s) => s.tables.map((t) => t.name.toLowerCase()));

  const rangeOf = (sheet: FakeSheet, address: string) => {
    const [r0, c0, r1, c1] = parseAddress(address);
    const each = (fill: (cell: FakeCell, i: number, j: number) => void) => {
      for (let r = r0; r <= r1; r++)
        for (let c = c0; c <= c1; c++) {
          const key = `${r},${c}`;
          const cell = sheet.cells.get(key) ?? { value: '' };
          fill(cell, r - r0, c - c0);
          sheet.cells.set(key, cell);
        }
    };
    const checkShape = (grid: unknown[][], what: string) => {
      if (grid.length !== r1 - r0 + 1 || grid.some((row) => row.length !== c1 - c0 + 1)) throw new Error(`InvalidArgument: ${what} for ${address} has the wrong shape`);
    };
    const conditional = (type: string) => {
      const detail: Record<string, unknown> = {};
      const format = { address, type, detail };
      sheet.conditionalFormats.push(format);
      record(`conditionalFormats.add(${type})`);
      return {
        custom: { rule: { set formula(f: string) { detail.formula = f; } }, format: { fill: { set color(c: string) { detail.fill = c; } }, font: { set color(c: string) { detail.font = c; } } } },
        dataBar: { set barDirection(d: string) { detail.direction = d; }, positiveFormat: { set fillColor(c: string) { detail.fill = c; } } },
        iconSet: { set style(s: string) { detail.style = s; }, set reverseIconOrder(r: boolean) { detail.reverse = r; }, set criteria(c: unknown) { detail.criteria = c; } },
      };
    };
    return {
      address,
      set values(grid: (string | number | boolean)[][]) {
        checkShape(grid, 'values');
        record(`range(${address}).values`, grid);
        each((cell, i, j) => {
          const v = grid[i][j];
          // Like Excel: text typed into a General cell that starts with '=' becomes a formula; in a text ('@') cell it stays text.
          if (typeof v === 'string' && v.startsWith('=') && cell.numberFormat !== '@') cell.formula = v;
          cell.value = v;
        });
      },
      set numberFormat(grid: string[][]) {
        checkShape(grid, 'numberFormat');
        record(`range(${address}).numberFormat`, grid);
        each((cell, i, j) => (cell.numberFormat = grid[i][j]));
      },
      set formulas(grid: string[][]) {
        checkShape(grid, 'formulas');
        record(`range(${address}).formulas`, grid);
        each((cell, i, j) => ((cell.formula = grid[i][j]), (cell.value = '')));
      },
      format: {
        font: { set bold(b: boolean) { record(`range(${address}).format.font.bold`); each((cell) => (cell.bold = b)); } },
        set columnWidth(w: number) { record(`range(${address}).format.columnWidth`); sheet.columnWidths.set(address, w); },
      },
      conditionalFormats: { add: conditional },
    };
  };

  const sheetApi = (sheet: FakeSheet) => ({
    name: sheet.name,
    getRange: (address: string) => rangeOf(sheet, address),
    tables: {
      add: (address: string, hasHeaders: boolean) => {
        record(`tables.add(${address}, ${hasHeaders})`);
        const [r0, , r1] = parseAddress(address);
        const table = { name: `Table${allTableNames().length + 1}`, address, rows: r1 - r0, style: undefined as string | undefined, showTotals: false };
        sheet.tables.push(table);
        return {
          set name(n: string) {
            if (allTableNames().includes(n.toLowerCase())) throw new Error(`InvalidArgument: a table named ${n} already exists`);
            table.name = n;
          },
          set style(s: string) { table.style = s; },
          set showTotals(v: boolean) { table.showTotals = v; },
        };
      },
    },
    charts: {
      add: (type: string, values: { address: string }, seriesBy: string) => {
        record(`charts.add(${type}, ${seriesBy})`);
        const chart = { type, values: values.address, title: undefined as string | undefined, categories: undefined as string | undefined, position: undefined as string | undefined };
        sheet.charts.push(chart);
        return {
          title: { set text(t: string) { chart.title = t; } },
          series: { getItemAt: () => ({ setXAxisValues: (range: { address: string }) => (chart.categories = range.address) }) },
          setPosition: (anchor: string) => (chart.position = anchor),
        };
      },
    },
    freezePanes: { freezeRows: (n: number) => (sheet.frozenRows = n) },
    protection: { protect: () => (sheet.protected = true) },
    delete: () => {
      record(`worksheets.delete(${sheet.name})`);
      state.sheets = state.sheets.filter((s) => s !== sheet);
    },
  });

  const context = {
    application: { suspendApiCalculationUntilNextSync: () => record('suspendApiCalculationUntilNextSync') },
    workbook: {
      worksheets: {
        add: (name: string) => {
          record(`worksheets.add(${name})`);
          if (findSheet(name)) throw new Error(`ItemAlreadyExists: a sheet named ${name} already exists`);
          const sheet = newSheet(name);
          state.sheets.push(sheet);
          return sheetApi(sheet);
        },
        getItem: (name: string) => {
          const sheet = findSheet(name);
          if (!sheet) throw new Error(`ItemNotFound: ${name}`);
          return sheetApi(sheet);
        },
        getItemOrNullObject: (name: string) => {
          const sheet = findSheet(name);
          return sheet ? { ...sheetApi(sheet), isNullObject: false } : { isNullObject: true, delete: () => undefined };
        },
        get items() {
          return state.sheets.map(sheetApi);
        },
      },
      tables: {
        getItemOrNullObject: (name: string) => {
          for (const sheet of state.sheets) {
            const table = sheet.tables.find((t) => t.name.toLowerCase() === name.toLowerCase());
            if (table) {
              return {
                isNullObject: false,
                rows: {
                  add: (_index: number | undefined, values: (string | number | boolean)[][]) => {
                    record(`tables(${name}).rows.add`, values);
                    const [r0, c0, r1] = parseAddress(table.address);
                    values.forEach((row, i) => row.forEach((v, j) => sheet.cells.set(`${r1 + 1 + i},${c0 + j}`, { value: v })));
                    table.rows += values.length;
                    table.address = table.address.replace(/\d+$/, String(r1 + 1 + values.length));
                    void r0;
                  },
                },
              };
            }
          }
          return { isNullObject: true, rows: { add: () => undefined } };
        },
      },
    },
    sync: async () => {
      log.syncs++;
      log.requestBytes.push(pendingBytes);
      pendingBytes = 0;
      if (log.syncs === failAt) throw new Error(`GeneralException: injected failure at sync ${failAt}`);
    },
  };

  const host: ExcelHost = { run: async (batch) => batch(context as unknown as Excel.RequestContext) };
  return {
    host,
    state,
    log,
    /** Makes the n-th sync from now (1-based, counted from the start) fail. */
    failAtSync(n: number) {
      failAt = n;
    },
    /** The value of a cell by A1 address on a sheet. */
    cell(sheetName: string, address: string): FakeCell | undefined {
      const [r, c] = parseAddress(address);
      return findSheet(sheetName)?.cells.get(`${r},${c}`);
    },
  };
}
