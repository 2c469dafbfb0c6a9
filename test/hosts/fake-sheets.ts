/**
 * A strict in-memory fake of the Apps Script services the Sheets host uses: SpreadsheetApp
 * (Spreadsheet, Sheet, Range with 1-based getRange(row, col, numRows, numCols), named ranges,
 * conditional-format rule builder, protection, Ui and menus), HtmlService, PropertiesService
 * (9 KB a value), Session and Utilities. It behaves as Sheets does where the product depends on it:
 *
 * - setValues / setNumberFormats refuse a grid of the wrong shape with Sheets' messages;
 * - setValues parses strings as typed: '=...' becomes a formula, a leading apostrophe keeps the
 *   rest as text (the apostrophe is not stored), number-like text becomes a number;
 * - getValues gives a Date (the instant of midnight in the spreadsheet's time zone) for a number
 *   with a date format, '' for a formula (the fake does not calculate), '' for blanks;
 * - getSheetByName / getRangeByName give null for unknown names; insertSheet refuses a duplicate
 *   name ("A sheet with the name ... already exists").
 *
 * Every call on a spreadsheet object (Spreadsheet, Sheet, Range, NamedRange, Protection, Ui)
 * counts as a service call (`calls`); `failAtCall(n)` makes the n-th call from now throw before it
 * does anything, to test what a failed run leaves behind. Plain module, no Jest.
 */
import type { ServerServices } from '../../src/hosts/sheets/services';
import { formatDate, zoneOffsetMs } from './fake-utilities';
import { columnIndex, columnLetters } from './a1';

export type FakeSheetsValue = string | number | boolean | Date;

interface Cell {
  value: string | number | boolean;
  formula?: string;
  format: string;
  bold: boolean;
}

export interface FakeRule {
  ranges: string[];
  formula?: string;
  background?: string;
  fontColor?: string;
  gradient?: { min: string; max: string };
}

const MAX_PROPERTY_BYTES = 9 * 1024;

const EPOCH_OFFSET = 25569;
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function isDateFormat(format: string): boolean {
  return /y/i.test(format) && /d/i.test(format);
}

export class FakeSheetsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Exception';
  }
}

export class FakeAppsScript {
  calls = 0;
  readonly callLog: string[] = [];
  private failAt?: number;
  readonly spreadsheet: FakeSpreadsheet;
  readonly menus: { name: string; items: { label: string; functionName: string }[] }[] = [];
  readonly sidebars: { file: string; title?: string }[] = [];
  readonly properties = new Map<string, string>();
  readonly htmlFiles = new Set<string>(['Sidebar']);
  userEmail = 'approver@example.com';

  constructor(options: { locale?: string; timeZone?: string; sheets?: { name: string; values?: FakeSheetsValue[][]; namedRanges?: { name: string; a1: string }[] }[] } = {}) {
    this.spreadsheet = new FakeSpreadsheet(this, options.locale ?? 'en_US', options.timeZone ?? 'Etc/UTC');
    for (const spec of options.sheets ?? [{ name: 'Sheet1' }]) {
      const sheet = this.spreadsheet.addSheetQuietly(spec.name);
      if (spec.values) sheet.load(spec.values);
      for (const named of spec.namedRanges ?? []) this.spreadsheet.namedRanges.push(new FakeNamedRange(this, named.name, sheet.rangeOfA1(named.a1)));
    }
  }

  /** Counts a service call; throws when it is the one chosen to fail. */
  call(what: string): void {
    this.calls++;
    this.callLog.push(what);
    if (this.failAt !== undefined && this.calls >= this.failAt) {
      this.failAt = undefined;
      throw new FakeSheetsError(`Service Spreadsheets failed while accessing document (injected at call ${this.calls}: ${what}).`);
    }
  }

  /** The n-th service call from now (1: the next) throws before doing anything. */
  failAtCall(n: number): void {
    this.failAt = this.calls + n;
  }

  sheet(name: string): FakeSheet {
    const sheet = this.spreadsheet.sheets.find((s) => s.name === name);
    if (!sheet) throw new Error(`no sheet ${name}`);
    return sheet;
  }

  /** The whole spreadsheet as JSON text, to compare before / after. */
  snapshot(): string {
    return JSON.stringify({
      sheets: this.spreadsheet.sheets.map((s) => ({ name: s.name, size: [s.maxRows, s.maxColumns], cells: [...s.cells.entries()].sort(), frozen: s.frozenRows, widths: [...s.columnWidths.entries()], rules: s.rules, protections: s.protections.map((p) => p.warningOnly) })),
      named: this.spreadsheet.namedRanges.map((n) => [n.name, n.range.sheet.name, n.range.a1()]),
    });
  }

  services(): ServerServices {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the service objects close over the fake
    const fake = this;
    const app = {
      getActiveSpreadsheet: () => fake.spreadsheet,
      getActive: () => fake.spreadsheet,
      getUi: () => {
        fake.call('SpreadsheetApp.getUi');
        return new FakeUi(fake);
      },
      newConditionalFormatRule: () => new FakeRuleBuilder(),
      ProtectionType: { SHEET: 'SHEET', RANGE: 'RANGE' },
    };
    const documentProperties = {
      getProperty: (key: string) => fake.properties.get(key) ?? null,
      setProperty: (key: string, value: string) => {
        if (Buffer.byteLength(value, 'utf8') > MAX_PROPERTY_BYTES) throw new FakeSheetsError('Argument too large: value');
        fake.properties.set(key, value);
        return documentProperties;
      },
      deleteProperty: (key: string) => {
        fake.properties.delete(key);
        return documentProperties;
      },
    };
    const services = {
      SpreadsheetApp: app,
      PropertiesService: { getDocumentProperties: () => documentProperties },
      Session: { getActiveUser: () => ({ getEmail: () => fake.userEmail }) },
      Utilities: {
        formatDate,
        newBlob: (text: string) => ({ getBytes: () => [...Buffer.from(text, 'utf8')] }),
      },
      HtmlService: {
        createHtmlOutputFromFile: (file: string) => {
          if (!fake.htmlFiles.has(file)) throw new FakeSheetsError(`No HTML file named ${file} was found.`);
          const output = { file, title: undefined as string | undefined, setTitle: (title: string) => ((output.title = title), output), getTitle: () => output.title };
          return output;
        },
      },
    };
    return services as unknown as ServerServices;
  }

  /** The serial number of an instant: its wall-clock time in the spreadsheet's time zone. */
  serialOf(date: Date): number {
    const ms = date.getTime();
    let serial = this.serials.get(ms);
    if (serial === undefined) this.serials.set(ms, (serial = (ms + zoneOffsetMs(this.spreadsheet.timeZone, ms)) / 86_400_000 + EPOCH_OFFSET));
    return serial;
  }

  private readonly serials = new Map<number, number>();

  /** The instant of a serial number's wall-clock time in the spreadsheet's time zone, as Sheets returns a date cell. */
  dateOf(serial: number): Date {
    let ms = this.instants.get(serial);
    if (ms === undefined) {
      const wallClock = (serial - EPOCH_OFFSET) * 86_400_000;
      this.instants.set(serial, (ms = wallClock - zoneOffsetMs(this.spreadsheet.timeZone, wallClock)));
    }
    return new Date(ms);
  }

  /** Serial -> instant, cached: the time zone's rules are looked up once per distinct value. */
  private readonly instants = new Map<number, number>();
}

class FakeUi {
  constructor(private readonly fake: FakeAppsScript) {}
  createMenu(name: string) {
    const menu = { name, items: [] as { label: string; functionName: string }[] };
    const builder = {
      addItem: (label: string, functionName: string) => (menu.items.push({ label, functionName }), builder),
      addSeparator: () => builder,
      addToUi: () => {
        this.fake.call('Menu.addToUi');
        this.fake.menus.push(menu);
      },
    };
    return builder;
  }
  showSidebar(output: { file: string; title?: string }) {
    this.fake.call('Ui.showSidebar');
    this.fake.sidebars.push({ file: output.file, title: output.title });
  }
}

class FakeRuleBuilder {
  private rule: FakeRule = { ranges: [] };
  whenFormulaSatisfied(formula: string) {
    if (!formula.startsWith('=')) throw new FakeSheetsError('Invalid formula: a custom formula must start with =.');
    this.rule.formula = formula;
    return this;
  }
  setBackground(color: string) {
    this.rule.background = color;
    return this;
  }
  setFontColor(color: string) {
    this.rule.fontColor = color;
    return this;
  }
  setGradientMinpoint(color: string) {
    this.rule.gradient = { min: color, max: this.rule.gradient?.max ?? '' };
    return this;
  }
  setGradientMaxpoint(color: string) {
    this.rule.gradient = { min: this.rule.gradient?.min ?? '', max: color };
    return this;
  }
  setRanges(ranges: FakeRange[]) {
    this.rule.ranges = ranges.map((r) => r.a1());
    return this;
  }
  build(): FakeRule {
    if (!this.rule.ranges.length) throw new FakeSheetsError('A conditional format rule needs at least one range.');
    if (this.rule.formula === undefined && !this.rule.gradient) throw new FakeSheetsError('A conditional format rule needs a condition.');
    return { ...this.rule };
  }
}

export class FakeSpreadsheet {
  readonly sheets: FakeSheet[] = [];
  readonly namedRanges: FakeNamedRange[] = [];
  active?: FakeSheet;
  activeRange?: FakeRange;

  constructor(
    private readonly fake: FakeAppsScript,
    readonly locale: string,
    readonly timeZone: string,
  ) {}

  addSheetQuietly(name: string): FakeSheet {
    const sheet = new FakeSheet(this.fake, name);
    this.sheets.push(sheet);
    this.active ??= sheet;
    return sheet;
  }

  getSheets() {
    this.fake.call('Spreadsheet.getSheets');
    return [...this.sheets];
  }
  getNumSheets() {
    this.fake.call('Spreadsheet.getNumSheets');
    return this.sheets.length;
  }
  getSheetByName(name: string) {
    this.fake.call('Spreadsheet.getSheetByName');
    return this.sheets.find((s) => s.name === name) ?? null;
  }
  insertSheet(name: string, index?: number) {
    this.fake.call('Spreadsheet.insertSheet');
    if (this.sheets.some((s) => s.name.toLowerCase() === name.toLowerCase())) throw new FakeSheetsError(`A sheet with the name "${name}" already exists. Please enter another name.`);
    if (name.length > 100) throw new FakeSheetsError('The sheet name is too long.');
    const sheet = new FakeSheet(this.fake, name);
    this.sheets.splice(index ?? this.sheets.length, 0, sheet);
    this.active = sheet;
    return sheet;
  }
  deleteSheet(sheet: FakeSheet) {
    this.fake.call('Spreadsheet.deleteSheet');
    const at = this.sheets.indexOf(sheet);
    if (at < 0) throw new FakeSheetsError('The sheet does not exist.');
    if (this.sheets.length === 1) throw new FakeSheetsError("You can't remove all the sheets in a document.");
    this.sheets.splice(at, 1);
    for (let i = this.namedRanges.length - 1; i >= 0; i--) if (this.namedRanges[i].range.sheet === sheet) this.namedRanges.splice(i, 1);
    if (this.active === sheet) this.active = this.sheets[0];
  }
  getActiveSheet() {
    this.fake.call('Spreadsheet.getActiveSheet');
    return this.active as FakeSheet;
  }
  getActiveRange() {
    this.fake.call('Spreadsheet.getActiveRange');
    return this.activeRange ?? null;
  }
  getRangeByName(name: string) {
    this.fake.call('Spreadsheet.getRangeByName');
    return this.namedRanges.find((n) => n.name === name)?.range ?? null;
  }
  getNamedRanges() {
    this.fake.call('Spreadsheet.getNamedRanges');
    return [...this.namedRanges];
  }
  setNamedRange(name: string, range: FakeRange) {
    this.fake.call('Spreadsheet.setNamedRange');
    if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(name) || /^[A-Za-z]{1,3}\d+$/.test(name) || /^(true|false)$/i.test(name)) throw new FakeSheetsError(`Named ranges must ... not look like a cell reference: ${name}`);
    const existing = this.namedRanges.find((n) => n.name === name);
    if (existing) existing.range = range;
    else this.namedRanges.push(new FakeNamedRange(this.fake, name, range));
  }
  getSpreadsheetLocale() {
    this.fake.call('Spreadsheet.getSpreadsheetLocale');
    return this.locale;
  }
  getSpreadsheetTimeZone() {
    this.fake.call('Spreadsheet.getSpreadsheetTimeZone');
    return this.timeZone;
  }
}

export class FakeNamedRange {
  constructor(
    private readonly fake: FakeAppsScript,
    readonly name: string,
    public range: FakeRange,
  ) {}
  getName() {
    this.fake.call('NamedRange.getName');
    return this.name;
  }
  getRange() {
    this.fake.call('NamedRange.getRange');
    return this.range;
  }
  setRange(range: FakeRange) {
    this.fake.call('NamedRange.setRange');
    this.range = range;
    return this;
  }
}

export class FakeProtection {
  warningOnly = false;
  editors = ['owner@example.com', 'approver@example.com', 'colleague@example.com'];
  domainEdit = true;
  constructor(
    private readonly fake: FakeAppsScript,
    private readonly sheet: FakeSheet,
  ) {}
  setWarningOnly(warningOnly: boolean) {
    this.fake.call('Protection.setWarningOnly');
    this.warningOnly = warningOnly;
    return this;
  }
  isWarningOnly() {
    this.fake.call('Protection.isWarningOnly');
    return this.warningOnly;
  }
  getEditors() {
    this.fake.call('Protection.getEditors');
    return this.editors.map((email) => ({ getEmail: () => email }));
  }
  removeEditors(editors: { getEmail(): string }[]) {
    this.fake.call('Protection.removeEditors');
    // The owner and the running user always keep access.
    const removed = new Set(editors.map((e) => e.getEmail()));
    this.editors = this.editors.filter((e) => !removed.has(e) || e === 'owner@example.com' || e === this.fake.userEmail);
    return this;
  }
  canDomainEdit() {
    this.fake.call('Protection.canDomainEdit');
    return this.domainEdit;
  }
  setDomainEdit(edit: boolean) {
    this.fake.call('Protection.setDomainEdit');
    this.domainEdit = edit;
    return this;
  }
  remove() {
    this.fake.call('Protection.remove');
    this.sheet.protections.splice(this.sheet.protections.indexOf(this), 1);
  }
}

export class FakeSheet {
  readonly cells = new Map<string, Cell>();
  frozenRows = 0;
  readonly columnWidths = new Map<number, number>();
  rules: FakeRule[] = [];
  readonly protections: FakeProtection[] = [];
  /** A new sheet is 1,000 rows by 26 columns (A:Z); ranges beyond are refused until rows or columns are inserted. */
  maxRows = 1000;
  maxColumns = 26;

  constructor(
    private readonly fake: FakeAppsScript,
    public name: string,
  ) {}

  /** Initial contents, without calls (a Date is stored as its serial with a date format). */
  load(values: FakeSheetsValue[][]): void {
    values.forEach((row, r) =>
      row.forEach((value, c) => {
        if (value === '') return;
        if (value instanceof Date) this.cells.set(`${r + 1},${c + 1}`, { value: this.fake.serialOf(value), format: 'yyyy-mm-dd', bold: false });
        else this.cells.set(`${r + 1},${c + 1}`, { value, format: 'General', bold: false });
      }),
    );
    this.maxRows = Math.max(this.maxRows, values.length);
    for (const row of values) this.maxColumns = Math.max(this.maxColumns, row.length);
  }

  cell(a1: string): Cell | undefined {
    const m = /^([A-Z]+)(\d+)$/.exec(a1) as RegExpExecArray;
    return this.cells.get(`${Number(m[2])},${columnIndex(m[1]) + 1}`);
  }

  lastRow(): number {
    let last = 0;
    for (const key of this.cells.keys()) last = Math.max(last, Number(key.split(',')[0]));
    return last;
  }

  rangeOfA1(a1: string): FakeRange {
    const m = /^\$?([A-Z]+)\$?(\d*)(?::\$?([A-Z]+)\$?(\d*))?$/i.exec(a1);
    if (!m) throw new FakeSheetsError(`Range not found: ${a1}`);
    const col = columnIndex(m[1]) + 1;
    const row = m[2] ? Number(m[2]) : 1;
    const col2 = m[3] ? columnIndex(m[3]) + 1 : col;
    const row2 = m[4] ? Number(m[4]) : m[2] && !m[3] ? row : this.maxRows;
    return new FakeRange(this.fake, this, Math.min(row, row2), Math.min(col, col2), Math.abs(row2 - row) + 1, Math.abs(col2 - col) + 1);
  }

  getName() {
    this.fake.call('Sheet.getName');
    return this.name;
  }
  getRange(a: string | number, col?: number, numRows = 1, numCols = 1) {
    this.fake.call('Sheet.getRange');
    if (typeof a === 'string') return this.rangeOfA1(a);
    if (!Number.isInteger(a) || a < 1 || col === undefined || col < 1 || numRows < 1 || numCols < 1 || a + numRows - 1 > this.maxRows || col + numCols - 1 > this.maxColumns)
      throw new FakeSheetsError('The coordinates of the range are outside the dimensions of the sheet.');
    return new FakeRange(this.fake, this, a, col, numRows, numCols);
  }
  getMaxRows() {
    this.fake.call('Sheet.getMaxRows');
    return this.maxRows;
  }
  getMaxColumns() {
    this.fake.call('Sheet.getMaxColumns');
    return this.maxColumns;
  }
  insertRowsAfter(afterPosition: number, howMany: number) {
    this.fake.call('Sheet.insertRowsAfter');
    if (afterPosition !== this.maxRows) throw new Error('fake: rows are only appended at the end');
    this.maxRows += howMany;
    return this;
  }
  deleteRows(rowPosition: number, howMany: number) {
    this.fake.call('Sheet.deleteRows');
    if (rowPosition + howMany - 1 !== this.maxRows) throw new Error('fake: rows are only deleted at the end');
    for (const key of [...this.cells.keys()]) if (Number(key.split(',')[0]) >= rowPosition) this.cells.delete(key);
    this.maxRows -= howMany;
  }
  insertColumnsAfter(afterPosition: number, howMany: number) {
    this.fake.call('Sheet.insertColumnsAfter');
    if (afterPosition !== this.maxColumns) throw new Error('fake: columns are only appended at the end');
    this.maxColumns += howMany;
    return this;
  }
  getLastRow() {
    this.fake.call('Sheet.getLastRow');
    return this.lastRow();
  }
  setFrozenRows(rows: number) {
    this.fake.call('Sheet.setFrozenRows');
    this.frozenRows = rows;
  }
  getFrozenRows() {
    this.fake.call('Sheet.getFrozenRows');
    return this.frozenRows;
  }
  setColumnWidth(column: number, pixels: number) {
    this.fake.call('Sheet.setColumnWidth');
    this.columnWidths.set(column, pixels);
    return this;
  }
  setConditionalFormatRules(rules: FakeRule[]) {
    this.fake.call('Sheet.setConditionalFormatRules');
    this.rules = [...rules];
  }
  getConditionalFormatRules() {
    this.fake.call('Sheet.getConditionalFormatRules');
    return [...this.rules];
  }
  protect() {
    this.fake.call('Sheet.protect');
    const protection = new FakeProtection(this.fake, this);
    this.protections.push(protection);
    return protection;
  }
  getProtections(type: string) {
    this.fake.call('Sheet.getProtections');
    return type === 'SHEET' ? [...this.protections] : [];
  }
  activate() {
    this.fake.call('Sheet.activate');
    return this;
  }
}

export class FakeRange {
  constructor(
    private readonly fake: FakeAppsScript,
    readonly sheet: FakeSheet,
    readonly row: number,
    readonly col: number,
    readonly numRows: number,
    readonly numCols: number,
  ) {}

  a1(): string {
    const from = `${columnLetters(this.col - 1)}${this.row}`;
    const to = `${columnLetters(this.col + this.numCols - 2)}${this.row + this.numRows - 1}`;
    return from === to ? from : `${from}:${to}`;
  }

  private checkShape(grid: unknown[][]): void {
    if (grid.length !== this.numRows) throw new FakeSheetsError(`The number of rows in the data does not match the number of rows in the range. The data has ${grid.length} but the range has ${this.numRows}.`);
    for (const row of grid) if (row.length !== this.numCols) throw new FakeSheetsError(`The number of columns in the data does not match the number of columns in the range. The data has ${row.length} but the range has ${this.numCols}.`);
  }

  private each(f: (key: string, r: number, c: number) => void): void {
    for (let r = 0; r < this.numRows; r++) for (let c = 0; c < this.numCols; c++) f(`${this.row + r},${this.col + c}`, r, c);
  }

  private cellAt(key: string): Cell {
    let cell = this.sheet.cells.get(key);
    if (!cell) this.sheet.cells.set(key, (cell = { value: '', format: 'General', bold: false }));
    return cell;
  }

  getSheet() {
    this.fake.call('Range.getSheet');
    return this.sheet;
  }
  getRow() {
    this.fake.call('Range.getRow');
    return this.row;
  }
  getColumn() {
    this.fake.call('Range.getColumn');
    return this.col;
  }
  getNumRows() {
    this.fake.call('Range.getNumRows');
    return this.numRows;
  }
  getNumColumns() {
    this.fake.call('Range.getNumColumns');
    return this.numCols;
  }
  getLastRow() {
    this.fake.call('Range.getLastRow');
    return this.row + this.numRows - 1;
  }
  getA1Notation() {
    this.fake.call('Range.getA1Notation');
    return this.a1();
  }

  setValues(values: unknown[][]) {
    this.fake.call('Range.setValues');
    this.checkShape(values);
    this.each((key, r, c) => {
      const input = values[r][c];
      const cell = this.cellAt(key);
      delete cell.formula;
      if (typeof input === 'string' && input.startsWith('=') && input.length > 1) {
        cell.formula = input;
        cell.value = '';
      } else if (typeof input === 'string' && input.startsWith("'")) cell.value = input.slice(1);
      else if (typeof input === 'string' && NUMBER_TEXT.test(input.trim())) cell.value = Number(input.trim());
      else if (input instanceof Date) {
        cell.value = this.fake.serialOf(input);
        if (!isDateFormat(cell.format)) cell.format = 'yyyy-mm-dd';
      } else if (typeof input === 'string' || typeof input === 'number' || typeof input === 'boolean') cell.value = input;
      else if (input === null || input === undefined) cell.value = '';
      else throw new FakeSheetsError(`Cannot convert ${String(input)} to a cell value.`);
    });
    return this;
  }
  getValues(): FakeSheetsValue[][] {
    this.fake.call('Range.getValues');
    const out: FakeSheetsValue[][] = Array.from({ length: this.numRows }, () => new Array(this.numCols));
    this.each((key, r, c) => {
      const cell = this.sheet.cells.get(key);
      out[r][c] = !cell || cell.formula ? '' : typeof cell.value === 'number' && isDateFormat(cell.format) ? this.fake.dateOf(cell.value) : cell.value;
    });
    return out;
  }
  getFormulas(): string[][] {
    this.fake.call('Range.getFormulas');
    const out: string[][] = Array.from({ length: this.numRows }, () => new Array(this.numCols));
    this.each((key, r, c) => (out[r][c] = this.sheet.cells.get(key)?.formula ?? ''));
    return out;
  }
  setNumberFormats(formats: string[][]) {
    this.fake.call('Range.setNumberFormats');
    this.checkShape(formats);
    this.each((key, r, c) => (this.cellAt(key).format = formats[r][c]));
    return this;
  }
  getNumberFormats(): string[][] {
    this.fake.call('Range.getNumberFormats');
    const out: string[][] = Array.from({ length: this.numRows }, () => new Array(this.numCols));
    this.each((key, r, c) => (out[r][c] = this.sheet.cells.get(key)?.format ?? 'General'));
    return out;
  }
  setFontWeight(weight: 'bold' | 'normal' | null) {
    this.fake.call('Range.setFontWeight');
    this.each((key) => (this.cellAt(key).bold = weight === 'bold'));
    return this;
  }
  /** Contents and formats. */
  clear() {
    this.fake.call('Range.clear');
    this.each((key) => this.sheet.cells.delete(key));
    return this;
  }
  clearContent() {
    this.fake.call('Range.clearContent');
    this.each((key) => {
      const cell = this.sheet.cells.get(key);
      if (!cell) return;
      if (cell.format === 'General' && !cell.bold) this.sheet.cells.delete(key);
      else {
        cell.value = '';
        delete cell.formula;
      }
    });
    return this;
  }
}
