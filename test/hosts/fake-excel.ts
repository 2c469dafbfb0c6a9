/**
 * An instrumented in-memory fake of the part of the Excel JavaScript API (Office.js) that the Excel
 * host uses, for tests on machines without Excel (Linux, CI, a headless browser). Plain TypeScript:
 * no Jest, no Node built-ins, so a browser test of the task pane can load it too.
 *
 * What it models, as Excel does:
 * - The proxy / queue / sync protocol: property writes and method calls are queued and applied, in
 *   order, only at `context.sync()`; `load()` fills properties at that sync; reading a property
 *   that was not loaded and synced throws PropertyNotLoaded; `*OrNullObject` results answer
 *   `isNullObject` only after a sync; `Excel.run` (here `fake.host.run`) syncs what is left queued.
 * - A failing operation stops its request: the operations before it in the same request stay
 *   applied, the rest are dropped, and sync rejects with an error carrying an Office-style `code`.
 * - Requests larger than `maxRequestBytes` (default 5 MB, the limit of Excel on the web) are refused
 *   with RequestPayloadSizeLimitExceeded; so are responses larger than `maxResponseBytes`.
 * - Typed input: text written through `values` / `formulas` into a cell whose number format is not
 *   text ('@') is read like typed text: "=..." "+..." "@..." become formulas, "00123" and "1,234"
 *   become numbers, "2025-01-31" a date serial, "TRUE" a boolean. In a '@' cell text stays text.
 * - Protected sheets refuse writes; sheet names follow Excel's rules (31 characters, no \ / ? * [ ] :,
 *   unique ignoring case); table names are unique in the workbook; tables may not overlap.
 * - Instrumentation: `log.calls` (every call, readable), `log.requests` (per sync: operations,
 *   serialised bytes, whether calculation was suspended), `log.requestBytes`, `log.responseBytes`.
 * - Fault injection: `failAtSync(k, { afterOperations })` makes the k-th sync (counted from the fake's
 *   creation) fail, after applying that many of its operations (default 0: none).
 *
 * The request size is the UTF-8 length of each queued operation serialised as JSON (target path,
 * property or method, arguments) plus OPERATION_OVERHEAD_BYTES, which approximates the envelope
 * Office.js adds per action. Formulas are stored, never evaluated: a formula cell reads back as ''.
 *
 * Covered API: RequestContext (workbook, application, sync, trackedObjects); Workbook (worksheets,
 * tables, names, getSelectedRange, application); worksheets add / getItem / getItemOrNullObject /
 * getActiveWorksheet / items; Worksheet name, position, getRange, getRangeByIndexes, getUsedRange(OrNullObject),
 * tables, charts, freezePanes.freezeRows, protection (protect, unprotect, protected), activate,
 * delete; Range values / formulas / numberFormat / address / rowCount / columnCount / rowIndex /
 * columnIndex, format (font.bold, font.color, fill.color, columnWidth), getCell, getResizedRange,
 * getIntersectionOrNullObject, conditionalFormats.add (Custom, CellValue, DataBar, IconSet);
 * tables add / getItem / getItemOrNullObject / items, Table name / style / showTotals /
 * showBandedRows / getRange / getHeaderRowRange / getDataBodyRange / getTotalRowRange / worksheet /
 * rows (add, getCount, getItemAt(i).delete / getRange, count); charts add with title, legend,
 * series x-axis values, position; names getItem / getItemOrNullObject with getRange(OrNullObject).
 *
 * Not modelled (a call outside the list above throws "The fake does not model ..."): formula
 * evaluation and recalculation (formula cells read back as ''), events, undo, merged cells, styles
 * beyond bold / font colour / fill / column width, multi-area ranges, chart rendering and chart
 * properties beyond type / source / title / categories / legend / position, sorting and filtering,
 * data validation, comments, shapes, and other Office hosts. Request sizes are estimates of the
 * wire format, not byte-exact; timing (no network) says nothing about real round-trip latency.
 */
import type { ExcelHost } from '../../src/hosts/excel/write-spec';
import { columnIndex, columnLetters } from './a1';

export type FakeScalar = string | number | boolean;

export const OPERATION_OVERHEAD_BYTES = 64;
export const EXCEL_WEB_PAYLOAD_LIMIT_BYTES = 5 * 1024 * 1024;
const MAX_ROWS = 1_048_576;
const MAX_COLUMNS = 16_384;

/** An error shaped like OfficeExtension.Error: a code, a message and where it happened. */
export class FakeOfficeError extends Error {
  readonly code: string;
  readonly debugInfo: { code: string; message: string; errorLocation?: string };
  constructor(code: string, message: string, errorLocation?: string) {
    super(message);
    this.name = 'RichApi.Error';
    this.code = code;
    this.debugInfo = { code, message, errorLocation };
  }
}

function notLoaded(property: string): FakeOfficeError {
  return new FakeOfficeError(
    'PropertyNotLoaded',
    `The property '${property}' is not available. Before reading the property's value, call the load method on the containing object and call "context.sync()" on the associated request context.`,
  );
}

// ---------------------------------------------------------------------------------------------
// Addresses

export interface Rect {
  r0: number;
  c0: number;
  r1: number;
  c1: number;
}

/** "B3" -> one cell; "B3:D10", "A:C", "2:5"; an optional "Sheet!" prefix is dropped. */
export function parseRect(address: string): Rect {
  const local = address.slice(address.lastIndexOf('!') + 1).replace(/\$/g, '').toUpperCase();
  const [first, second = first] = local.split(':');
  const bad = () => new FakeOfficeError('InvalidArgument', `The argument is invalid or missing or has an incorrect format: '${address}'`);
  const cell = /^([A-Z]+)(\d+)$/;
  if (/^[A-Z]+$/.test(first) && /^[A-Z]+$/.test(second)) return { r0: 0, c0: columnIndex(first), r1: MAX_ROWS - 1, c1: columnIndex(second) };
  if (/^\d+$/.test(first) && /^\d+$/.test(second)) return { r0: Number(first) - 1, c0: 0, r1: Number(second) - 1, c1: MAX_COLUMNS - 1 };
  const a = cell.exec(first);
  const b = cell.exec(second);
  if (!a || !b) throw bad();
  const rect = { r0: Number(a[2]) - 1, c0: columnIndex(a[1]), r1: Number(b[2]) - 1, c1: columnIndex(b[1]) };
  if (rect.r0 < 0 || rect.r1 < rect.r0 || rect.c1 < rect.c0 || rect.r1 >= MAX_ROWS || rect.c1 >= MAX_COLUMNS) throw bad();
  return rect;
}

/** Kept for tests written against the first fake: [r0, c0, r1, c1]. */
export function parseAddress(address: string): [number, number, number, number] {
  const r = parseRect(address);
  return [r.r0, r.c0, r.r1, r.c1];
}

export function rectAddress(rect: Rect): string {
  const a = `${columnLetters(rect.c0)}${rect.r0 + 1}`;
  const b = `${columnLetters(rect.c1)}${rect.r1 + 1}`;
  return a === b ? a : `${a}:${b}`;
}

function qualified(sheetName: string, rect: Rect): string {
  const name = /^[A-Za-z_][A-Za-z0-9_.]*$/.test(sheetName) ? sheetName : `'${sheetName.replace(/'/g, "''")}'`;
  return `${name}!${rectAddress(rect)}`;
}

function intersect(a: Rect, b: Rect): Rect | null {
  const r = { r0: Math.max(a.r0, b.r0), c0: Math.max(a.c0, b.c0), r1: Math.min(a.r1, b.r1), c1: Math.min(a.c1, b.c1) };
  return r.r0 <= r.r1 && r.c0 <= r.c1 ? r : null;
}

// ---------------------------------------------------------------------------------------------
// Typed input: what Excel makes of text written into a cell that is not formatted as text.

const NUMBER_TEXT = /^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?([eE][+-]?\d+)?%?$/;
const ISO_DATE_TEXT = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;

interface CellContent {
  value: FakeScalar;
  formula?: string;
}

function dateSerial(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / 86_400_000 + 25569;
}

/** Excel's reading of typed text in a General cell. */
export function typedInput(text: string): CellContent {
  if (text === '') return { value: '' };
  if (/^[=+@]/.test(text) || (text.startsWith('-') && !NUMBER_TEXT.test(text))) return { value: '', formula: text.startsWith('=') ? text : `=${text}` };
  if (NUMBER_TEXT.test(text) && /\d/.test(text)) {
    const percent = text.endsWith('%');
    const n = Number(text.replace(/[,%]/g, ''));
    if (Number.isFinite(n)) return { value: percent ? n / 100 : n };
  }
  const iso = ISO_DATE_TEXT.exec(text);
  if (iso) return { value: dateSerial(Number(iso[1]), Number(iso[2]), Number(iso[3])) };
  if (/^(true|false)$/i.test(text)) return { value: text.toLowerCase() === 'true' };
  return { value: text };
}

// ---------------------------------------------------------------------------------------------
// The workbook model (what "Excel" holds).

class Grid {
  private values: (FakeScalar[] | undefined)[] = [];
  private formats: (string[] | undefined)[] = [];
  readonly formulas = new Map<number, string>();
  readonly bold = new Set<number>();
  readonly fontColor = new Map<number, string>();
  readonly fill = new Map<number, string>();

  static key(r: number, c: number): number {
    return r * MAX_COLUMNS + c;
  }

  value(r: number, c: number): FakeScalar {
    return this.values[r]?.[c] ?? '';
  }

  format(r: number, c: number): string {
    return this.formats[r]?.[c] ?? 'General';
  }

  formula(r: number, c: number): string | undefined {
    return this.formulas.get(Grid.key(r, c));
  }

  setContent(r: number, c: number, content: CellContent): void {
    const row = this.values[r] ?? (this.values[r] = []);
    row[c] = content.value;
    if (content.formula !== undefined) this.formulas.set(Grid.key(r, c), content.formula);
    else this.formulas.delete(Grid.key(r, c));
  }

  setFormat(r: number, c: number, format: string): void {
    const row = this.formats[r] ?? (this.formats[r] = []);
    row[c] = format === '' ? 'General' : format;
  }

  /** Moves the cells of columns c0..c1 from row `from` down (k > 0) or up (k < 0) by |k| rows. */
  shiftRows(from: number, c0: number, c1: number, k: number): void {
    const last = Math.max(this.values.length, this.formats.length) - 1;
    const move = (r: number, target: number) => {
      for (let c = c0; c <= c1; c++) {
        this.setContent(target, c, { value: this.value(r, c), formula: this.formula(r, c) });
        this.setFormat(target, c, this.format(r, c));
      }
    };
    if (k > 0) for (let r = last; r >= from; r--) move(r, r + k);
    else for (let r = from; r <= last; r++) move(r, r + k);
    const [clearFrom, clearTo] = k > 0 ? [from, from + k - 1] : [last + k + 1, last];
    for (let r = clearFrom; r <= clearTo; r++)
      for (let c = c0; c <= c1; c++) {
        this.setContent(r, c, { value: '' });
        this.setFormat(r, c, 'General');
      }
  }

  /** Bounds of the cells holding a value or formula (and, unless valuesOnly, a format). */
  usedRect(valuesOnly: boolean): Rect | null {
    let rect: Rect | null = null;
    const grow = (r: number, c: number) => {
      rect = rect ? { r0: Math.min(rect.r0, r), c0: Math.min(rect.c0, c), r1: Math.max(rect.r1, r), c1: Math.max(rect.c1, c) } : { r0: r, c0: c, r1: r, c1: c };
    };
    this.values.forEach((row, r) => row?.forEach((v, c) => v !== '' && v !== undefined && grow(r, c)));
    for (const key of this.formulas.keys()) grow(Math.floor(key / MAX_COLUMNS), key % MAX_COLUMNS);
    if (!valuesOnly) this.formats.forEach((row, r) => row?.forEach((f, c) => f !== 'General' && f !== undefined && grow(r, c)));
    return rect;
  }

  /** Non-blank cells as "A1" -> description, for snapshots. */
  describe(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const rows = Math.max(this.values.length, this.formats.length);
    for (let r = 0; r < rows; r++) {
      const width = Math.max(this.values[r]?.length ?? 0, this.formats[r]?.length ?? 0);
      for (let c = 0; c < width; c++) {
        const cell: Record<string, unknown> = {};
        const v = this.value(r, c);
        if (v !== '') cell.value = v;
        const f = this.formula(r, c);
        if (f !== undefined) cell.formula = f;
        if (this.format(r, c) !== 'General') cell.numberFormat = this.format(r, c);
        if (this.bold.has(Grid.key(r, c))) cell.bold = true;
        if (Object.keys(cell).length) out[`${columnLetters(c)}${r + 1}`] = cell;
      }
    }
    return out;
  }
}

export interface FakeTable {
  id: string;
  name: string;
  sheet: FakeSheet;
  rect: Rect;
  style: string;
  showTotals: boolean;
  showBandedRows: boolean;
  /** Address without the sheet name, e.g. "A30:AF130" (header to last row, totals included). */
  readonly address: string;
  /** Data rows (header and totals excluded). */
  readonly rows: number;
}

export interface FakeConditionalFormat {
  id: string;
  type: string;
  address: string;
  rect: Rect;
  /** Properties set on it, by path: 'custom.rule.formula', 'dataBar.positiveFormat.fillColor' ... */
  props: Record<string, unknown>;
}

export interface FakeChart {
  type: string;
  source: string;
  seriesBy: string;
  title?: string;
  categories?: string;
  position?: string;
  legendVisible?: boolean;
}

export interface FakeSheet {
  id: string;
  name: string;
  grid: Grid;
  tables: FakeTable[];
  conditionalFormats: FakeConditionalFormat[];
  charts: FakeChart[];
  /** Column index -> width in points. */
  columnWidths: Map<number, number>;
  protected: boolean;
  protectionOptions?: Record<string, unknown>;
  frozenRows: number;
}

export interface FakeWorkbookState {
  sheets: FakeSheet[];
  names: Map<string, { sheet: FakeSheet; rect: Rect }>;
  selection?: { sheet: FakeSheet; rect: Rect };
  active?: FakeSheet;
}

function makeTable(id: string, name: string, sheet: FakeSheet, rect: Rect): FakeTable {
  return {
    id,
    name,
    sheet,
    rect,
    style: 'TableStyleMedium2',
    showTotals: false,
    showBandedRows: true,
    get address() {
      return rectAddress(this.rect);
    },
    get rows() {
      return this.rect.r1 - this.rect.r0 - (this.showTotals ? 1 : 0);
    },
  };
}

function bodyRect(table: FakeTable): Rect | null {
  const r1 = table.rect.r1 - (table.showTotals ? 1 : 0);
  return r1 > table.rect.r0 ? { ...table.rect, r0: table.rect.r0 + 1, r1 } : null;
}

const SHEET_NAME_FORBIDDEN = /[\\/?*[\]:]/;
const TABLE_NAME = /^[A-Za-z_\\][A-Za-z0-9_.\\]*$/;

// ---------------------------------------------------------------------------------------------
// The request machinery: a context queues operations; sync applies them.

interface Operation {
  label: string;
  bytes: number;
  suspendsCalculation?: boolean;
  /** Applies the operation; returns the serialised size of what it sends back (loads). */
  apply: () => number;
}

export interface FakeRequest {
  sync: number;
  operations: number;
  bytes: number;
  responseBytes: number;
  calculationSuspended: boolean;
  failed?: string;
}

export interface FakeLog {
  syncs: number;
  requestBytes: number[];
  responseBytes: number[];
  requests: FakeRequest[];
  calls: string[];
}

const utf8 = new TextEncoder();

/** The request's size on the wire, counted by the platform's encoder (independent of the add-in's own estimate; runs in Node and in the browser tests). */
function jsonBytes(value: unknown): number {
  return utf8.encode(JSON.stringify(value) ?? 'null').length;
}

class FakeContext {
  ops: Operation[] = [];
  readonly workbook: WorkbookProxy;
  readonly application: ApplicationProxy;
  readonly trackedObjects = { add: () => undefined, remove: () => undefined };
  constructor(readonly fake: FakeExcel) {
    this.workbook = new WorkbookProxy(this);
    this.application = this.workbook.application;
  }

  enqueue(label: string, payload: unknown, apply: () => number | void, suspendsCalculation = false): void {
    this.fake.log.calls.push(label);
    this.ops.push({ label, bytes: jsonBytes(payload) + OPERATION_OVERHEAD_BYTES, suspendsCalculation, apply: () => apply() ?? 0 });
  }

  /** Like Office.js, a sync is a round trip: it settles on a later macrotask, never within the caller's microtasks. */
  sync(): Promise<void> {
    return new Promise<void>((resolve) => setTimeout(resolve, 0)).then(() => this.fake.runSync(this));
  }
}

/** Base of every proxy: lazily resolves its model at sync time, holds loaded properties. */
abstract class Proxy<M> {
  private cached?: M | null;
  private nullState?: boolean;
  protected loaded = new Map<string, unknown>();

  constructor(
    readonly context: FakeContext,
    protected readonly path: string,
    private readonly resolver: () => M | null,
    nullable = false,
  ) {
    // An *OrNullObject result learns whether it is null at the next sync.
    if (nullable) context.enqueue(`${path}`, { path }, () => void (this.nullState = this.tryModel() === null));
  }

  protected tryModel(): M | null {
    if (this.cached === undefined) this.cached = this.resolver();
    return this.cached;
  }

  model(): M {
    const m = this.tryModel();
    if (m === null) throw new FakeOfficeError('ItemNotFound', `The requested resource doesn't exist (${this.path}).`);
    return m;
  }

  get isNullObject(): boolean {
    if (this.nullState === undefined) throw notLoaded('isNullObject');
    return this.nullState;
  }

  protected read<T>(property: string): T {
    if (!this.loaded.has(property)) throw notLoaded(property);
    return this.loaded.get(property) as T;
  }

  protected setProperty(property: string, value: unknown, apply: (m: M) => void): void {
    this.context.enqueue(`${this.path}.${property} = ${preview(value)}`, { path: this.path, set: property, value }, () => apply(this.model()));
  }

  protected callMethod(method: string, args: unknown[], apply: (m: M) => void): void {
    this.context.enqueue(`${this.path}.${method}(${args.map(preview).join(', ')})`, { path: this.path, call: method, args }, () => apply(this.model()));
  }

  /** Property snapshot for load(). */
  protected abstract snapshot(m: M, property: string): unknown;
  protected abstract scalarProperties(): string[];

  /** Collections read "name" as "items/name", as Office.js does. */
  protected normalise(properties: string[]): string[] {
    return properties;
  }

  load(properties?: string | string[] | { select?: string }): this {
    const list = this.normalise(propertyList(properties) ?? this.scalarProperties());
    this.context.enqueue(`${this.path}.load(${list.join(',')})`, { path: this.path, load: list }, () => {
      const m = this.tryModel();
      if (m === null) {
        // Loading a null object is no error: its properties read as null.
        for (const property of list) this.loaded.set(property, null);
        return 0;
      }
      let bytes = 0;
      for (const property of list) {
        const value = this.snapshot(m, property);
        this.loaded.set(property, value);
        bytes += jsonBytes(value) + property.length + 4;
      }
      return bytes;
    });
    return this;
  }
}

function propertyList(properties: string | string[] | { select?: string } | undefined): string[] | undefined {
  if (properties === undefined) return undefined;
  const text = typeof properties === 'string' ? properties : Array.isArray(properties) ? properties.join(',') : (properties.select ?? '');
  return text.split(',').map((p) => p.trim()).filter(Boolean);
}

function preview(value: unknown): string {
  if (Array.isArray(value)) return Array.isArray(value[0]) ? `[${value.length}x${(value[0] as unknown[]).length}]` : `[${value.length}]`;
  if (value instanceof Proxy) return (value as unknown as { path: string }).path;
  if (typeof value === 'object' && value !== null) return '{...}';
  return JSON.stringify(value) ?? 'undefined';
}

function protectedSheetError(sheet: FakeSheet): FakeOfficeError {
  return new FakeOfficeError('InvalidOperation', `The cell or chart you're trying to change is on a protected sheet (${sheet.name}).`);
}

interface RangeModel {
  sheet: FakeSheet;
  rect: Rect;
}

function rectRows(rect: Rect): number {
  return rect.r1 - rect.r0 + 1;
}
function rectColumns(rect: Rect): number {
  return rect.c1 - rect.c0 + 1;
}

/** A 2-D input matching the range, or a single value copied to every cell (Excel's single-input copy). */
function cellsOf<T>(grid: T[][] | T, rect: Rect, what: string): (r: number, c: number) => T {
  if (!Array.isArray(grid)) return () => grid;
  const rows = rectRows(rect);
  const cols = rectColumns(rect);
  if (grid.length === 1 && grid[0].length === 1) return () => grid[0][0];
  if (grid.length !== rows || grid.some((row) => !Array.isArray(row) || row.length !== cols)) {
    throw new FakeOfficeError('InvalidArgument', `The number of rows or columns in the input array doesn't match the size or dimensions of the range (${what}: range ${rows}x${cols}, input ${grid.length}x${Array.isArray(grid[0]) ? grid[0].length : '?'}).`);
  }
  return (r, c) => grid[r][c];
}

function writeTyped(sheet: FakeSheet, r: number, c: number, input: unknown, asFormula: boolean): void {
  if (input === null || input === undefined) return; // null leaves the cell as it is
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) throw new FakeOfficeError('InvalidArgument', `Invalid number ${input}`);
    return sheet.grid.setContent(r, c, { value: input });
  }
  if (typeof input === 'boolean') return sheet.grid.setContent(r, c, { value: input });
  if (typeof input !== 'string') throw new FakeOfficeError('InvalidArgument', `Unsupported cell input ${String(input)}`);
  if (sheet.grid.format(r, c) === '@') return sheet.grid.setContent(r, c, { value: input });
  void asFormula; // values and formulas read text the same way: as typed input
  sheet.grid.setContent(r, c, typedInput(input));
}

class RangeProxy extends Proxy<RangeModel> {
  readonly format: RangeFormatProxy;
  readonly conditionalFormats: ConditionalFormatCollectionProxy;

  constructor(context: FakeContext, path: string, resolver: () => RangeModel | null, nullable = false) {
    super(context, path, resolver, nullable);
    this.format = new RangeFormatProxy(this);
    this.conditionalFormats = new ConditionalFormatCollectionProxy(this);
  }

  protected scalarProperties(): string[] {
    return ['address', 'rowCount', 'columnCount', 'rowIndex', 'columnIndex', 'values', 'formulas', 'numberFormat'];
  }

  protected snapshot(m: RangeModel, property: string): unknown {
    const { sheet, rect } = m;
    const grid = (cell: (r: number, c: number) => unknown) => Array.from({ length: rectRows(rect) }, (_, i) => Array.from({ length: rectColumns(rect) }, (_, j) => cell(rect.r0 + i, rect.c0 + j)));
    switch (property) {
      case 'address':
        return qualified(sheet.name, rect);
      case 'rowCount':
        return rectRows(rect);
      case 'columnCount':
        return rectColumns(rect);
      case 'rowIndex':
        return rect.r0;
      case 'columnIndex':
        return rect.c0;
      case 'cellCount':
        return rectRows(rect) * rectColumns(rect);
      case 'values':
        return grid((r, c) => sheet.grid.value(r, c));
      case 'formulas':
        return grid((r, c) => sheet.grid.formula(r, c) ?? sheet.grid.value(r, c));
      case 'numberFormat':
        return grid((r, c) => sheet.grid.format(r, c));
      default:
        throw new FakeOfficeError('InvalidArgument', `The fake does not model Range.${property}`);
    }
  }

  get address(): string {
    return this.read('address');
  }
  get rowCount(): number {
    return this.read('rowCount');
  }
  get columnCount(): number {
    return this.read('columnCount');
  }
  get rowIndex(): number {
    return this.read('rowIndex');
  }
  get columnIndex(): number {
    return this.read('columnIndex');
  }
  get values(): FakeScalar[][] {
    return this.read('values');
  }
  set values(input: FakeScalar[][]) {
    this.write('values', input, false);
  }
  get formulas(): FakeScalar[][] {
    return this.read('formulas');
  }
  set formulas(input: FakeScalar[][]) {
    this.write('formulas', input, true);
  }
  get numberFormat(): string[][] {
    return this.read('numberFormat');
  }
  set numberFormat(input: (string | null)[][]) {
    this.setProperty('numberFormat', input, ({ sheet, rect }) => {
      if (sheet.protected) throw protectedSheetError(sheet);
      const at = cellsOf(input, rect, 'numberFormat');
      for (let r = rect.r0; r <= rect.r1; r++)
        for (let c = rect.c0; c <= rect.c1; c++) {
          const f = at(r - rect.r0, c - rect.c0);
          if (f !== null && f !== undefined) sheet.grid.setFormat(r, c, f);
        }
    });
  }

  private write(property: string, input: FakeScalar[][], asFormula: boolean): void {
    this.setProperty(property, input, ({ sheet, rect }) => {
      if (sheet.protected) throw protectedSheetError(sheet);
      const at = cellsOf<unknown>(input, rect, property);
      for (let r = rect.r0; r <= rect.r1; r++) for (let c = rect.c0; c <= rect.c1; c++) writeTyped(sheet, r, c, at(r - rect.r0, c - rect.c0), asFormula);
    });
  }

  get worksheet(): WorksheetProxy {
    return new WorksheetProxy(this.context, `${this.path}.worksheet`, () => this.model().sheet);
  }

  getCell(row: number, column: number): RangeProxy {
    return new RangeProxy(this.context, `${this.path}.getCell(${row},${column})`, () => {
      const { sheet, rect } = this.model();
      return { sheet, rect: { r0: rect.r0 + row, c0: rect.c0 + column, r1: rect.r0 + row, c1: rect.c0 + column } };
    });
  }

  getResizedRange(deltaRows: number, deltaColumns: number): RangeProxy {
    return new RangeProxy(this.context, `${this.path}.getResizedRange(${deltaRows},${deltaColumns})`, () => {
      const { sheet, rect } = this.model();
      const next = { ...rect, r1: rect.r1 + deltaRows, c1: rect.c1 + deltaColumns };
      if (next.r1 < next.r0 || next.c1 < next.c0 || next.r1 >= MAX_ROWS || next.c1 >= MAX_COLUMNS) throw new FakeOfficeError('InvalidArgument', 'The resized range is outside the sheet.');
      return { sheet, rect: next };
    });
  }

  getIntersectionOrNullObject(other: RangeProxy | string): RangeProxy {
    return new RangeProxy(
      this.context,
      `${this.path}.getIntersectionOrNullObject(${preview(other)})`,
      () => {
        const { sheet, rect } = this.model();
        const otherRect = typeof other === 'string' ? parseRect(other) : other.model().rect;
        const both = intersect(rect, otherRect);
        return both ? { sheet, rect: both } : null;
      },
      true,
    );
  }

  /** Only the whole-row removal used when undoing appended rows is modelled. */
  delete(shift: string): void {
    this.callMethod('delete', [shift], ({ sheet, rect }) => {
      if (sheet.protected) throw protectedSheetError(sheet);
      if (shift !== 'Up') throw new FakeOfficeError('InvalidArgument', 'The fake models delete("Up") only');
      sheet.grid.shiftRows(rect.r1 + 1, rect.c0, rect.c1, -rectRows(rect));
    });
  }
}

class RangeFormatProxy {
  readonly font: { bold: boolean; color: string };
  readonly fill: { color: string };
  constructor(private readonly range: RangeProxy) {
    const set = (property: string, value: unknown, apply: (m: RangeModel) => void) =>
      (range as unknown as { setProperty: (p: string, v: unknown, a: (m: RangeModel) => void) => void }).setProperty(property, value, (m) => {
        if (m.sheet.protected) throw protectedSheetError(m.sheet);
        apply(m);
      });
    const eachKey = (m: RangeModel, fn: (key: number) => void) => {
      for (let r = m.rect.r0; r <= m.rect.r1; r++) for (let c = m.rect.c0; c <= m.rect.c1; c++) fn(Grid.key(r, c));
    };
    this.font = {
      set bold(b: boolean) {
        set('format.font.bold', b, (m) => eachKey(m, (k) => (b ? m.sheet.grid.bold.add(k) : m.sheet.grid.bold.delete(k))));
      },
      get bold(): boolean {
        throw notLoaded('bold');
      },
      set color(color: string) {
        set('format.font.color', color, (m) => eachKey(m, (k) => m.sheet.grid.fontColor.set(k, color)));
      },
      get color(): string {
        throw notLoaded('color');
      },
    };
    this.fill = {
      set color(color: string) {
        set('format.fill.color', color, (m) => eachKey(m, (k) => m.sheet.grid.fill.set(k, color)));
      },
      get color(): string {
        throw notLoaded('color');
      },
    };
  }

  set columnWidth(points: number) {
    (this.range as unknown as { setProperty: (p: string, v: unknown, a: (m: RangeModel) => void) => void }).setProperty('format.columnWidth', points, (m) => {
      for (let c = m.rect.c0; c <= m.rect.c1; c++) m.sheet.columnWidths.set(c, points);
    });
  }
  get columnWidth(): number {
    throw notLoaded('columnWidth');
  }
}

/** A conditional format: property paths set on it are recorded as they are applied. */
function conditionalFormatProxy(context: FakeContext, path: string, resolve: () => FakeConditionalFormat): Record<string, unknown> {
  const node = (prefix: string): Record<string, unknown> =>
    new globalThis.Proxy({} as Record<string, unknown>, {
      get: (_, key: string) => (key === 'toJSON' ? undefined : node(`${prefix}.${key}`)),
      set: (_, key: string, value: unknown) => {
        const property = `${prefix}.${key}`.slice(1);
        context.enqueue(`${path}.${property} = ${preview(value)}`, { path, set: property, value }, () => {
          const cf = resolve();
          const group = property.split('.')[0];
          const expected = group.charAt(0).toUpperCase() + group.slice(1);
          if (!['priority', 'stopIfTrue'].includes(property) && expected !== cf.type) throw new FakeOfficeError('InvalidOperation', `${property} does not apply to a ${cf.type} conditional format.`);
          cf.props[property] = value;
        });
        return true;
      },
    });
  return node('');
}

class ConditionalFormatCollectionProxy {
  constructor(private readonly range: RangeProxy) {}

  add(type: string): Record<string, unknown> {
    const context = this.range.context;
    const path = `${(this.range as unknown as { path: string }).path}.conditionalFormats.add(${type})`;
    let created: FakeConditionalFormat | undefined;
    const known = ['Custom', 'CellValue', 'DataBar', 'IconSet', 'ColorScale', 'TopBottom', 'PresetCriteria', 'ContainsText'];
    context.enqueue(path, { path, call: 'add', args: [type] }, () => {
      const { sheet, rect } = this.range.model();
      if (!known.includes(type)) throw new FakeOfficeError('InvalidArgument', `Unknown conditional format type ${type}`);
      if (sheet.protected) throw protectedSheetError(sheet);
      created = { id: `cf${sheet.conditionalFormats.length + 1}`, type, address: rectAddress(rect), rect, props: {} };
      sheet.conditionalFormats.unshift(created); // added at the top priority, as Excel does
    });
    return conditionalFormatProxy(context, path, () => created as FakeConditionalFormat);
  }
}

class WorksheetProxy extends Proxy<FakeSheet> {
  protected scalarProperties(): string[] {
    return ['name', 'id', 'position'];
  }

  protected snapshot(m: FakeSheet, property: string): unknown {
    if (property === 'name') return m.name;
    if (property === 'id') return m.id;
    if (property === 'position') return this.context.fake.state.sheets.indexOf(m);
    throw new FakeOfficeError('InvalidArgument', `The fake does not model Worksheet.${property}`);
  }

  get name(): string {
    return this.read('name');
  }
  set name(name: string) {
    this.setProperty('name', name, (sheet) => {
      this.context.fake.checkSheetName(name, sheet);
      sheet.name = name;
    });
  }
  get id(): string {
    return this.read('id');
  }
  get position(): number {
    return this.read('position');
  }

  getRange(address = ''): RangeProxy {
    return new RangeProxy(this.context, `${this.path}.getRange(${JSON.stringify(address)})`, () => ({ sheet: this.model(), rect: parseRect(address) }));
  }

  getRangeByIndexes(row: number, column: number, rowCount: number, columnCount: number): RangeProxy {
    return new RangeProxy(this.context, `${this.path}.getRangeByIndexes(${row},${column},${rowCount},${columnCount})`, () => {
      if (rowCount < 1 || columnCount < 1) throw new FakeOfficeError('InvalidArgument', 'rowCount and columnCount must be at least 1');
      return { sheet: this.model(), rect: { r0: row, c0: column, r1: row + rowCount - 1, c1: column + columnCount - 1 } };
    });
  }

  getUsedRange(valuesOnly = false): RangeProxy {
    return new RangeProxy(this.context, `${this.path}.getUsedRange(${valuesOnly})`, () => {
      const sheet = this.model();
      return { sheet, rect: sheet.grid.usedRect(valuesOnly) ?? { r0: 0, c0: 0, r1: 0, c1: 0 } };
    });
  }

  getUsedRangeOrNullObject(valuesOnly = false): RangeProxy {
    return new RangeProxy(
      this.context,
      `${this.path}.getUsedRangeOrNullObject(${valuesOnly})`,
      () => {
        const sheet = this.model();
        const rect = sheet.grid.usedRect(valuesOnly);
        return rect ? { sheet, rect } : null;
      },
      true,
    );
  }

  get tables(): TableCollectionProxy {
    return new TableCollectionProxy(this.context, `${this.path}.tables`, () => this.model());
  }

  get charts(): { add: (type: string, source: RangeProxy, seriesBy?: string) => ChartProxy } {
    return { add: (type, source, seriesBy = 'Auto') => new ChartProxy(this.context, `${this.path}.charts`, this, type, source, seriesBy) };
  }

  get freezePanes(): { freezeRows: (count?: number) => void } {
    return { freezeRows: (count = 1) => this.callMethod('freezePanes.freezeRows', [count], (sheet) => void (sheet.frozenRows = count)) };
  }

  get protection(): WorksheetProtectionProxy {
    return new WorksheetProtectionProxy(this.context, `${this.path}.protection`, () => this.model());
  }

  activate(): void {
    this.callMethod('activate', [], (sheet) => void (this.context.fake.state.active = sheet));
  }

  delete(): void {
    this.callMethod('delete', [], (sheet) => this.context.fake.deleteSheet(sheet));
  }
}

class WorksheetProtectionProxy extends Proxy<FakeSheet> {
  protected scalarProperties(): string[] {
    return ['protected'];
  }
  protected snapshot(m: FakeSheet, property: string): unknown {
    if (property === 'protected') return m.protected;
    if (property === 'options') return m.protectionOptions ?? {};
    throw new FakeOfficeError('InvalidArgument', `The fake does not model WorksheetProtection.${property}`);
  }
  get protected(): boolean {
    return this.read('protected');
  }
  protect(options?: Record<string, unknown>, password?: string): void {
    this.callMethod('protect', [options ?? {}, password === undefined ? undefined : '***'], (sheet) => {
      if (sheet.protected) throw new FakeOfficeError('InvalidOperation', `The sheet ${sheet.name} is already protected.`);
      sheet.protected = true;
      sheet.protectionOptions = options ?? {};
    });
  }
  unprotect(password?: string): void {
    this.callMethod('unprotect', [password === undefined ? undefined : '***'], (sheet) => {
      sheet.protected = false;
      sheet.protectionOptions = undefined;
    });
  }
}

class ChartProxy {
  private chart?: FakeChart;
  readonly title: { text: string };
  readonly legend: { visible: boolean };
  readonly series: { getItemAt: (index: number) => { setXAxisValues: (range: RangeProxy) => void } };

  constructor(
    private readonly context: FakeContext,
    collectionPath: string,
    sheet: WorksheetProxy,
    type: string,
    source: RangeProxy,
    seriesBy: string,
  ) {
    const path = `${collectionPath}.add(${type})`;
    context.enqueue(`${path}`, { path, call: 'add', args: [type, (source as unknown as { path: string }).path, seriesBy] }, () => {
      const owner = sheet.model();
      const range = source.model();
      if (owner.protected) throw protectedSheetError(owner);
      this.chart = { type, source: rectAddress(range.rect), seriesBy };
      owner.charts.push(this.chart);
    });
    const set = (property: string, value: unknown, apply: (chart: FakeChart) => void) =>
      context.enqueue(`${path}.${property} = ${preview(value)}`, { path, set: property, value }, () => apply(this.chart as FakeChart));
    this.title = {
      set text(text: string) {
        set('title.text', text, (c) => void (c.title = text));
      },
      get text(): string {
        throw notLoaded('text');
      },
    };
    this.legend = {
      set visible(visible: boolean) {
        set('legend.visible', visible, (c) => void (c.legendVisible = visible));
      },
      get visible(): boolean {
        throw notLoaded('visible');
      },
    };
    this.series = {
      getItemAt: (index: number) => ({
        setXAxisValues: (range: RangeProxy) =>
          context.enqueue(`${path}.series.getItemAt(${index}).setXAxisValues(${(range as unknown as { path: string }).path})`, { path, call: 'setXAxisValues', args: [index] }, () => {
            if (index !== 0) throw new FakeOfficeError('InvalidArgument', 'The fake models one series');
            (this.chart as FakeChart).categories = rectAddress(range.model().rect);
          }),
      }),
    };
  }

  setPosition(startCell: string | RangeProxy, endCell?: string | RangeProxy): void {
    const address = (cell: string | RangeProxy) => (typeof cell === 'string' ? cell : rectAddress(cell.model().rect));
    this.context.enqueue(`chart.setPosition(${preview(startCell)})`, { call: 'setPosition', args: [preview(startCell), endCell === undefined ? undefined : preview(endCell)] }, () => {
      (this.chart as FakeChart).position = address(startCell) + (endCell === undefined ? '' : `:${address(endCell)}`);
    });
  }
}

class TableProxy extends Proxy<FakeTable> {
  protected scalarProperties(): string[] {
    return ['name', 'id', 'style', 'showTotals', 'showBandedRows'];
  }
  protected snapshot(m: FakeTable, property: string): unknown {
    switch (property) {
      case 'name':
        return m.name;
      case 'id':
        return m.id;
      case 'style':
        return m.style;
      case 'showTotals':
        return m.showTotals;
      case 'showBandedRows':
        return m.showBandedRows;
      default:
        throw new FakeOfficeError('InvalidArgument', `The fake does not model Table.${property}`);
    }
  }
  get name(): string {
    return this.read('name');
  }
  set name(name: string) {
    this.setProperty('name', name, (table) => {
      if (!TABLE_NAME.test(name) || /^[A-Za-z]{1,3}\d+$/.test(name) || /^[rRcC]$/.test(name)) throw new FakeOfficeError('InvalidArgument', `'${name}' is not a valid table name.`);
      if (this.context.fake.allTables().some((t) => t !== table && t.name.toLowerCase() === name.toLowerCase())) throw new FakeOfficeError('InvalidArgument', `A table named ${name} already exists.`);
      table.name = name;
    });
  }
  get style(): string {
    return this.read('style');
  }
  set style(style: string) {
    this.setProperty('style', style, (table) => void (table.style = style));
  }
  get showTotals(): boolean {
    return this.read('showTotals');
  }
  set showTotals(show: boolean) {
    this.setProperty('showTotals', show, (table) => {
      if (table.showTotals === show) return;
      if (table.sheet.protected) throw protectedSheetError(table.sheet);
      table.showTotals = show;
      if (show) {
        table.rect = { ...table.rect, r1: table.rect.r1 + 1 };
        for (let c = table.rect.c0; c <= table.rect.c1; c++) table.sheet.grid.setContent(table.rect.r1, c, { value: c === table.rect.c0 ? 'Total' : '' });
      } else {
        for (let c = table.rect.c0; c <= table.rect.c1; c++) table.sheet.grid.setContent(table.rect.r1, c, { value: '' });
        table.rect = { ...table.rect, r1: table.rect.r1 - 1 };
      }
    });
  }
  get showBandedRows(): boolean {
    return this.read('showBandedRows');
  }
  set showBandedRows(show: boolean) {
    this.setProperty('showBandedRows', show, (table) => void (table.showBandedRows = show));
  }

  get worksheet(): WorksheetProxy {
    return new WorksheetProxy(this.context, `${this.path}.worksheet`, () => this.model().sheet);
  }

  private part(name: string, rect: (t: FakeTable) => Rect | null): RangeProxy {
    return new RangeProxy(this.context, `${this.path}.${name}()`, () => {
      const table = this.model();
      const r = rect(table);
      if (!r) throw new FakeOfficeError('InvalidOperation', `The table ${table.name} has no ${name.replace(/^get|Range$/g, '')}.`);
      return { sheet: table.sheet, rect: r };
    });
  }
  getRange(): RangeProxy {
    return this.part('getRange', (t) => t.rect);
  }
  getHeaderRowRange(): RangeProxy {
    return this.part('getHeaderRowRange', (t) => ({ ...t.rect, r1: t.rect.r0 }));
  }
  getDataBodyRange(): RangeProxy {
    // An empty table still has one (blank) body row in Excel.
    return this.part('getDataBodyRange', (t) => bodyRect(t) ?? { ...t.rect, r0: t.rect.r0 + 1, r1: t.rect.r0 + 1 });
  }
  getTotalRowRange(): RangeProxy {
    return this.part('getTotalRowRange', (t) => (t.showTotals ? { ...t.rect, r0: t.rect.r1 } : null));
  }

  get rows(): TableRowCollectionProxy {
    return new TableRowCollectionProxy(this.context, `${this.path}.rows`, () => this.model());
  }

  delete(): void {
    this.callMethod('delete', [], (table) => {
      table.sheet.tables = table.sheet.tables.filter((t) => t !== table);
    });
  }
}

class TableRowCollectionProxy extends Proxy<FakeTable> {
  protected scalarProperties(): string[] {
    return ['count'];
  }
  protected snapshot(m: FakeTable, property: string): unknown {
    if (property === 'count') return m.rows;
    throw new FakeOfficeError('InvalidArgument', `The fake does not model TableRowCollection.${property}`);
  }
  get count(): number {
    return this.read('count');
  }

  getCount(): { value: number } {
    let value: number | undefined;
    this.context.enqueue(`${this.path}.getCount()`, { path: this.path, call: 'getCount' }, () => {
      value = this.model().rows;
      return 8;
    });
    return {
      get value(): number {
        if (value === undefined) throw notLoaded('value');
        return value;
      },
    };
  }

  /** Appends (index null or undefined) or inserts rows; values are typed input, like typing them. */
  add(index?: number | null, values?: FakeScalar[][]): TableRowProxy {
    let firstRow = -1;
    this.callMethod('add', [index ?? null, values ?? null], (table) => {
      const sheet = table.sheet;
      if (sheet.protected) throw protectedSheetError(sheet);
      const count = values?.length ?? 1;
      const width = rectColumns(table.rect);
      if (values && values.some((row) => row.length !== width)) throw new FakeOfficeError('InvalidArgument', `Each row must have ${width} values.`);
      const bodyStart = table.rect.r0 + 1;
      const at = index === null || index === undefined ? bodyStart + table.rows : bodyStart + index;
      if (at < bodyStart || at > bodyStart + table.rows) throw new FakeOfficeError('InvalidArgument', `Row index ${index} is outside the table.`);
      sheet.grid.shiftRows(at, table.rect.c0, table.rect.c1, count);
      table.rect = { ...table.rect, r1: table.rect.r1 + count };
      for (let i = 0; i < count; i++)
        for (let c = 0; c < width; c++) {
          if (at > bodyStart) sheet.grid.setFormat(at + i, table.rect.c0 + c, sheet.grid.format(at - 1, table.rect.c0 + c)); // new rows take the column's format
          writeTyped(sheet, at + i, table.rect.c0 + c, values ? values[i][c] : '', false);
        }
      firstRow = at - bodyStart;
    });
    return new TableRowProxy(this.context, `${this.path}.add()`, () => {
      const table = this.model();
      return { table, index: firstRow };
    });
  }

  getItemAt(index: number): TableRowProxy {
    return new TableRowProxy(this.context, `${this.path}.getItemAt(${index})`, () => {
      const table = this.model();
      if (index < 0 || index >= table.rows) throw new FakeOfficeError('ItemNotFound', `The table ${table.name} has no row ${index}.`);
      return { table, index };
    });
  }
}

class TableRowProxy extends Proxy<{ table: FakeTable; index: number }> {
  protected scalarProperties(): string[] {
    return ['index', 'values'];
  }
  protected snapshot(m: { table: FakeTable; index: number }, property: string): unknown {
    const r = m.table.rect.r0 + 1 + m.index;
    if (property === 'index') return m.index;
    if (property === 'values') return [Array.from({ length: rectColumns(m.table.rect) }, (_, c) => m.table.sheet.grid.value(r, m.table.rect.c0 + c))];
    throw new FakeOfficeError('InvalidArgument', `The fake does not model TableRow.${property}`);
  }
  get values(): FakeScalar[][] {
    return this.read('values');
  }
  getRange(): RangeProxy {
    return new RangeProxy(this.context, `${this.path}.getRange()`, () => {
      const { table, index } = this.model();
      const r = table.rect.r0 + 1 + index;
      return { sheet: table.sheet, rect: { ...table.rect, r0: r, r1: r } };
    });
  }
  delete(): void {
    this.callMethod('delete', [], ({ table, index }) => {
      if (table.sheet.protected) throw protectedSheetError(table.sheet);
      const r = table.rect.r0 + 1 + index;
      table.sheet.grid.shiftRows(r + 1, table.rect.c0, table.rect.c1, -1);
      table.rect = { ...table.rect, r1: table.rect.r1 - 1 };
    });
  }
}

/** Tables of one sheet (owner given) or of the whole workbook (owner undefined). */
class TableCollectionProxy extends Proxy<FakeTable[]> {
  protected override normalise(properties: string[]): string[] {
    return properties.map((p) => (p === 'count' || p.startsWith('items/') ? p : `items/${p}`));
  }
  constructor(
    context: FakeContext,
    path: string,
    private readonly owner: (() => FakeSheet) | undefined,
  ) {
    super(context, path, () => (owner ? owner().tables : context.fake.allTables()));
  }
  protected scalarProperties(): string[] {
    return ['items/name'];
  }
  protected snapshot(tables: FakeTable[], property: string): unknown {
    if (property === 'count') return tables.length;
    const item = /^items\/(.+)$/.exec(property);
    if (!item) throw new FakeOfficeError('InvalidArgument', `The fake does not model TableCollection.${property}`);
    return tables.map((t) => ({ id: t.id, [item[1]]: item[1] === 'worksheet/name' ? t.sheet.name : (t as unknown as Record<string, unknown>)[item[1]] }));
  }
  get items(): TableProxy[] {
    const list = [...this.loaded.keys()].filter((k) => k.startsWith('items/'));
    if (!list.length) throw notLoaded('items');
    const first = this.loaded.get(list[0]) as { id: string }[];
    return first.map(({ id }, i) => {
      const proxy = new TableProxy(this.context, `${this.path}.items[${i}]`, () => this.context.fake.allTables().find((t) => t.id === id) ?? null);
      for (const key of list) {
        const entry = (this.loaded.get(key) as Record<string, unknown>[])[i];
        const property = key.slice('items/'.length);
        (proxy as unknown as { loaded: Map<string, unknown> }).loaded.set(property, entry[property]);
      }
      return proxy;
    });
  }
  get count(): number {
    return this.read('count');
  }

  add(address: string | RangeProxy, hasHeaders: boolean): TableProxy {
    let created: FakeTable | undefined;
    this.context.enqueue(`${this.path}.add(${preview(address)}, ${hasHeaders})`, { path: this.path, call: 'add', args: [preview(address), hasHeaders] }, () => {
      if (!hasHeaders) throw new FakeOfficeError('InvalidArgument', 'The fake models tables with headers only');
      let range: RangeModel;
      if (typeof address === 'string') {
        const bang = address.lastIndexOf('!');
        const sheet = this.owner ? this.owner() : this.context.fake.findSheet(address.slice(0, Math.max(0, bang)).replace(/^'|'$/g, '').replace(/''/g, "'"));
        if (!sheet) throw new FakeOfficeError('InvalidArgument', `Workbook.tables.add needs a sheet-qualified address, not '${address}'`);
        range = { sheet, rect: parseRect(address) };
      } else range = address.model();
      const { sheet, rect } = range;
      if (sheet.protected) throw protectedSheetError(sheet);
      if (sheet.tables.some((t) => intersect(t.rect, rect))) throw new FakeOfficeError('InvalidOperation', `A table can't overlap another table (${rectAddress(rect)}).`);
      const fake = this.context.fake;
      const table = makeTable(`t${++fake.tableIds}`, `Table${fake.tableIds}`, sheet, rect);
      // Header cells become unique text, blanks "ColumnN", as Excel does.
      const seen = new Set<string>();
      for (let c = rect.c0; c <= rect.c1; c++) {
        const raw = sheet.grid.value(rect.r0, c);
        let name = raw === '' ? `Column${c - rect.c0 + 1}` : String(raw);
        for (let k = 2; seen.has(name.toLowerCase()); k++) name = `${raw}${k}`;
        seen.add(name.toLowerCase());
        sheet.grid.setContent(rect.r0, c, { value: name });
      }
      sheet.tables.push(table);
      created = table;
    });
    return new TableProxy(this.context, `${this.path}.add()`, () => created ?? null);
  }

  getItem(name: string): TableProxy {
    return new TableProxy(this.context, `${this.path}.getItem(${JSON.stringify(name)})`, () => {
      const table = this.model().find((t) => t.name.toLowerCase() === name.toLowerCase());
      if (!table) throw new FakeOfficeError('ItemNotFound', `The table '${name}' doesn't exist.`);
      return table;
    });
  }

  getItemOrNullObject(name: string): TableProxy {
    return new TableProxy(this.context, `${this.path}.getItemOrNullObject(${JSON.stringify(name)})`, () => this.model().find((t) => t.name.toLowerCase() === name.toLowerCase()) ?? null, true);
  }
}

class WorksheetCollectionProxy extends Proxy<FakeSheet[]> {
  protected override normalise(properties: string[]): string[] {
    return properties.map((p) => (p === 'count' || p.startsWith('items/') ? p : `items/${p}`));
  }
  protected scalarProperties(): string[] {
    return ['items/name'];
  }
  protected snapshot(sheets: FakeSheet[], property: string): unknown {
    if (property === 'count') return sheets.length;
    const item = /^items\/(.+)$/.exec(property);
    if (!item || !['name', 'id', 'position'].includes(item[1])) throw new FakeOfficeError('InvalidArgument', `The fake does not model WorksheetCollection.${property}`);
    return sheets.map((s, i) => ({ id: s.id, name: s.name, position: i }));
  }
  get items(): WorksheetProxy[] {
    const list = [...this.loaded.keys()].filter((k) => k.startsWith('items/'));
    if (!list.length) throw notLoaded('items');
    const entries = this.loaded.get(list[0]) as { id: string; name: string; position: number }[];
    return entries.map((entry, i) => {
      const proxy = new WorksheetProxy(this.context, `${this.path}.items[${i}]`, () => this.context.fake.state.sheets.find((s) => s.id === entry.id) ?? null);
      const loaded = (proxy as unknown as { loaded: Map<string, unknown> }).loaded;
      for (const key of list) loaded.set(key.slice('items/'.length), (entry as unknown as Record<string, unknown>)[key.slice('items/'.length)]);
      return proxy;
    });
  }

  add(name?: string): WorksheetProxy {
    let created: FakeSheet | undefined;
    this.context.enqueue(`worksheets.add(${JSON.stringify(name)})`, { path: this.path, call: 'add', args: [name] }, () => {
      const fake = this.context.fake;
      const sheetName = name ?? `Sheet${fake.state.sheets.length + 1}`;
      fake.checkSheetName(sheetName);
      created = fake.newSheet(sheetName);
    });
    return new WorksheetProxy(this.context, `worksheets.add(${JSON.stringify(name)})`, () => created ?? null);
  }

  getItem(key: string): WorksheetProxy {
    return new WorksheetProxy(this.context, `worksheets.getItem(${JSON.stringify(key)})`, () => {
      const sheet = this.context.fake.findSheet(key);
      if (!sheet) throw new FakeOfficeError('ItemNotFound', `The requested resource doesn't exist (worksheet '${key}').`);
      return sheet;
    });
  }

  getItemOrNullObject(key: string): WorksheetProxy {
    return new WorksheetProxy(this.context, `worksheets.getItemOrNullObject(${JSON.stringify(key)})`, () => this.context.fake.findSheet(key) ?? null, true);
  }

  getActiveWorksheet(): WorksheetProxy {
    return new WorksheetProxy(this.context, 'worksheets.getActiveWorksheet()', () => this.context.fake.state.active ?? this.context.fake.state.sheets[0] ?? null);
  }
}

class NamedItemProxy extends Proxy<{ name: string; sheet: FakeSheet; rect: Rect }> {
  protected scalarProperties(): string[] {
    return ['name', 'type'];
  }
  protected snapshot(m: { name: string }, property: string): unknown {
    if (property === 'name') return m.name;
    if (property === 'type') return 'Range';
    throw new FakeOfficeError('InvalidArgument', `The fake does not model NamedItem.${property}`);
  }
  getRange(): RangeProxy {
    return new RangeProxy(this.context, `${this.path}.getRange()`, () => {
      const { sheet, rect } = this.model();
      return { sheet, rect };
    });
  }
  getRangeOrNullObject(): RangeProxy {
    return new RangeProxy(
      this.context,
      `${this.path}.getRangeOrNullObject()`,
      () => {
        const m = this.tryModel();
        return m ? { sheet: m.sheet, rect: m.rect } : null;
      },
      true,
    );
  }
}

class ApplicationProxy {
  constructor(private readonly context: FakeContext) {}
  suspendApiCalculationUntilNextSync(): void {
    this.context.enqueue('application.suspendApiCalculationUntilNextSync()', { call: 'suspendApiCalculationUntilNextSync' }, () => undefined, true);
  }
}

class WorkbookProxy {
  readonly application: ApplicationProxy;
  readonly worksheets: WorksheetCollectionProxy;
  readonly tables: TableCollectionProxy;
  constructor(private readonly context: FakeContext) {
    this.application = new ApplicationProxy(context);
    this.worksheets = new WorksheetCollectionProxy(context, 'worksheets', () => context.fake.state.sheets);
    this.tables = new TableCollectionProxy(context, 'workbook.tables', undefined);
  }

  get names(): { getItem: (name: string) => NamedItemProxy; getItemOrNullObject: (name: string) => NamedItemProxy } {
    const find = (name: string) => {
      const item = this.context.fake.state.names.get(name.toLowerCase());
      return item ? { name, ...item } : null;
    };
    return {
      getItem: (name) =>
        new NamedItemProxy(this.context, `names.getItem(${JSON.stringify(name)})`, () => {
          const item = find(name);
          if (!item) throw new FakeOfficeError('ItemNotFound', `The name '${name}' doesn't exist.`);
          return item;
        }),
      getItemOrNullObject: (name) => new NamedItemProxy(this.context, `names.getItemOrNullObject(${JSON.stringify(name)})`, () => find(name), true),
    };
  }

  getSelectedRange(): RangeProxy {
    return new RangeProxy(this.context, 'workbook.getSelectedRange()', () => {
      const selection = this.context.fake.state.selection;
      if (!selection) throw new FakeOfficeError('InvalidSelection', 'The current selection is invalid for this operation.');
      return { sheet: selection.sheet, rect: selection.rect };
    });
  }
}

// ---------------------------------------------------------------------------------------------
// The fake itself.

export interface FakeSheetInit {
  name: string;
  values?: (FakeScalar | null)[][];
  /** Number formats, same shape as values (null: General). */
  numberFormats?: (string | null)[][];
  tables?: { name: string; address: string; showTotals?: boolean }[];
  protected?: boolean;
}

export interface FakeWorkbookInit {
  sheets: FakeSheetInit[];
  names?: { name: string; sheet: string; address: string }[];
  selection?: { sheet: string; address: string };
  /** Largest request accepted (default 5 MB, Excel on the web). */
  maxRequestBytes?: number;
  maxResponseBytes?: number;
}

export interface FakeCellView {
  value: FakeScalar;
  formula?: string;
  numberFormat: string;
  bold: boolean;
}

export class FakeExcel {
  readonly state: FakeWorkbookState = { sheets: [], names: new Map() };
  readonly log: FakeLog = { syncs: 0, requestBytes: [], responseBytes: [], requests: [], calls: [] };
  readonly host: ExcelHost;
  tableIds = 0;
  private sheetIds = 0;
  private faults = new Map<number, number>();
  private readonly maxRequestBytes: number;
  private readonly maxResponseBytes: number;

  constructor(init: FakeWorkbookInit = { sheets: [] }) {
    this.maxRequestBytes = init.maxRequestBytes ?? EXCEL_WEB_PAYLOAD_LIMIT_BYTES;
    this.maxResponseBytes = init.maxResponseBytes ?? EXCEL_WEB_PAYLOAD_LIMIT_BYTES;
    for (const s of init.sheets) {
      const sheet = this.newSheet(s.name);
      s.numberFormats?.forEach((row, r) => row.forEach((f, c) => f !== null && sheet.grid.setFormat(r, c, f)));
      s.values?.forEach((row, r) => row.forEach((v, c) => v !== null && sheet.grid.setContent(r, c, { value: v }))); // as the user left them
      for (const t of s.tables ?? []) {
        const table = makeTable(`t${++this.tableIds}`, t.name, sheet, parseRect(t.address));
        table.showTotals = t.showTotals === true;
        sheet.tables.push(table);
      }
      sheet.protected = s.protected === true;
    }
    for (const n of init.names ?? []) {
      const sheet = this.findSheet(n.sheet);
      if (!sheet) throw new Error(`name ${n.name}: no sheet ${n.sheet}`);
      this.state.names.set(n.name.toLowerCase(), { sheet, rect: parseRect(n.address) });
    }
    if (init.selection) {
      const sheet = this.findSheet(init.selection.sheet);
      if (!sheet) throw new Error(`selection: no sheet ${init.selection.sheet}`);
      this.state.selection = { sheet, rect: parseRect(init.selection.address) };
    }
    this.state.active = this.state.sheets[0];
    this.host = {
      run: async <T>(batch: (context: Excel.RequestContext) => Promise<T>): Promise<T> => {
        const context = new FakeContext(this);
        const result = await batch(context as unknown as Excel.RequestContext);
        if (context.ops.length) await context.sync(); // Excel.run sends what is still queued
        return result;
      },
    };
  }

  /** A request context outside `host.run`, for tests that drive the API step by step. */
  newContext(): Excel.RequestContext {
    return new FakeContext(this) as unknown as Excel.RequestContext;
  }

  /** Makes the k-th sync (1-based, counted from the fake's creation) fail after `afterOperations` of its operations. */
  failAtSync(k: number, options: { afterOperations?: number } = {}): void {
    this.faults.set(k, options.afterOperations ?? 0);
  }

  /** Forgets the instrumentation so far (calls, requests); sync numbering continues. */
  clearLog(): void {
    this.log.calls.length = 0;
  }

  async runSync(context: FakeContext): Promise<void> {
    const ops = context.ops;
    context.ops = [];
    const sync = ++this.log.syncs;
    const bytes = ops.reduce((sum, op) => sum + op.bytes, 0);
    const request: FakeRequest = { sync, operations: ops.length, bytes, responseBytes: 0, calculationSuspended: ops.some((op) => op.suspendsCalculation) };
    this.log.requests.push(request);
    this.log.requestBytes.push(bytes);
    await Promise.resolve(); // a round trip is asynchronous
    const fail = (error: FakeOfficeError) => {
      request.failed = `${error.code}: ${error.message}`;
      this.log.responseBytes.push(request.responseBytes);
      throw error;
    };
    if (bytes > this.maxRequestBytes) fail(new FakeOfficeError('RequestPayloadSizeLimitExceeded', `The request payload size has exceeded the limit (${bytes} bytes > ${this.maxRequestBytes}).`));
    const faultAfter = this.faults.get(sync);
    for (let i = 0; i < ops.length; i++) {
      if (faultAfter !== undefined && i >= faultAfter) fail(new FakeOfficeError('GeneralException', `injected failure at sync ${sync} after ${faultAfter} operations`, ops[i].label));
      try {
        request.responseBytes += ops[i].apply();
      } catch (error) {
        const e = error instanceof FakeOfficeError ? error : new FakeOfficeError('GeneralException', (error as Error).message);
        fail(new FakeOfficeError(e.code, e.message, ops[i].label));
      }
    }
    if (faultAfter !== undefined && faultAfter >= ops.length) fail(new FakeOfficeError('GeneralException', `injected failure at sync ${sync} after all ${ops.length} operations`));
    if (request.responseBytes > this.maxResponseBytes) fail(new FakeOfficeError('ResponsePayloadSizeLimitExceeded', `The response payload size has exceeded the limit (${request.responseBytes} bytes).`));
    this.log.responseBytes.push(request.responseBytes);
  }

  newSheet(name: string): FakeSheet {
    const sheet: FakeSheet = { id: `s${++this.sheetIds}`, name, grid: new Grid(), tables: [], conditionalFormats: [], charts: [], columnWidths: new Map(), protected: false, frozenRows: 0 };
    this.state.sheets.push(sheet);
    return sheet;
  }

  findSheet(name: string): FakeSheet | undefined {
    return this.state.sheets.find((s) => s.name.toLowerCase() === name.toLowerCase());
  }

  allTables(): FakeTable[] {
    return this.state.sheets.flatMap((s) => s.tables);
  }

  checkSheetName(name: string, renaming?: FakeSheet): void {
    if (name.length === 0 || name.length > 31 || SHEET_NAME_FORBIDDEN.test(name) || /^'|'$/.test(name) || name.toLowerCase() === 'history') {
      throw new FakeOfficeError('InvalidArgument', `The sheet name '${name}' is not valid.`);
    }
    const existing = this.findSheet(name);
    if (existing && existing !== renaming) throw new FakeOfficeError('ItemAlreadyExists', `A sheet named '${name}' already exists.`);
  }

  deleteSheet(sheet: FakeSheet): void {
    if (this.state.sheets.length === 1) throw new FakeOfficeError('InvalidOperation', 'A workbook must contain at least one visible worksheet.');
    this.state.sheets = this.state.sheets.filter((s) => s !== sheet);
    for (const [key, item] of this.state.names) if (item.sheet === sheet) this.state.names.delete(key);
    if (this.state.active === sheet) this.state.active = this.state.sheets[0];
  }

  // --- inspection helpers for tests ---

  sheetNames(): string[] {
    return this.state.sheets.map((s) => s.name);
  }

  sheet(name: string): FakeSheet {
    const sheet = this.findSheet(name);
    if (!sheet) throw new Error(`no sheet '${name}'; sheets: ${this.sheetNames().join(', ')}`);
    return sheet;
  }

  cell(sheetName: string, address: string): FakeCellView {
    const sheet = this.sheet(sheetName);
    const { r0, c0 } = parseRect(address);
    return { value: sheet.grid.value(r0, c0), formula: sheet.grid.formula(r0, c0), numberFormat: sheet.grid.format(r0, c0), bold: sheet.grid.bold.has(Grid.key(r0, c0)) };
  }

  values(sheetName: string, address: string): FakeScalar[][] {
    const sheet = this.sheet(sheetName);
    const rect = parseRect(address);
    return Array.from({ length: rectRows(rect) }, (_, i) => Array.from({ length: rectColumns(rect) }, (_, j) => sheet.grid.value(rect.r0 + i, rect.c0 + j)));
  }

  /** Everything about a sheet as plain data, for before/after comparisons. */
  describeSheet(name: string): Record<string, unknown> {
    const sheet = this.sheet(name);
    return {
      name: sheet.name,
      cells: sheet.grid.describe(),
      tables: sheet.tables.map((t) => ({ name: t.name, address: t.address, style: t.style, showTotals: t.showTotals })),
      conditionalFormats: sheet.conditionalFormats.map((c) => ({ type: c.type, address: c.address, props: c.props })),
      charts: sheet.charts.map((c) => ({ ...c })),
      columnWidths: [...sheet.columnWidths],
      protected: sheet.protected,
      frozenRows: sheet.frozenRows,
    };
  }

  /** The whole workbook as JSON text: equal snapshots mean nothing changed. */
  snapshot(): string {
    return JSON.stringify(this.state.sheets.map((s) => this.describeSheet(s.name)));
  }
}

/** Kept for tests written against the first fake. */
export function createFakeExcel(init: FakeWorkbookInit = { sheets: [] }): FakeExcel {
  return new FakeExcel(init);
}
