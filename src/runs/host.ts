/**
 * The small interface every host (Excel through Office.js, Google Sheets through Apps Script)
 * implements for the runs of src/runs. A host reads and writes; it decides nothing: which rows
 * are a plan, what a sheet contains and what goes in the log are the runs' and the workbook
 * builders' business. Requests and results are plain JSON (no Dates, no Maps), so the same request
 * object can come from the Excel task pane or over google.script.run from the Sheets sidebar.
 */
import type { CellValue } from '../engine/errors';
import type { Locale } from '../i18n';
import type { WorkbookSpec } from '../workbook/spec';
import type { Awaitable } from './steps';
import type { RunSignal } from './cancel';

/** Where rows come from. In Sheets a "table" is a named range (Apps Script has no table API under the current-document scope). */
export type SourceRef =
  | { kind: 'table'; name: string }
  | { kind: 'name'; name: string }
  /** An A1 address, sheet-qualified ('Data'!A1:D200, Data!A:D) or on `sheet`, else on the active sheet. */
  | { kind: 'range'; address: string; sheet?: string }
  | { kind: 'selection' };

export interface ReadSourceOptions {
  locale?: Locale;
  /** Rows per read call, at most (a host may read fewer to keep a response small). */
  chunkRows?: number;
  onProgress?: (rowsRead: number, totalRows: number) => void;
  /** Stops the read between chunks (asynchronous hosts), throwing RunCancelledError. */
  signal?: RunSignal;
  /** Read only the first rows, header included (a preview); `totalRows` still counts them all. */
  maxRows?: number;
}

export interface SourceRows {
  /** Header row first (for a table: its header row; a totals row is left out). */
  rows: CellValue[][];
  /** Sheet-qualified address of what was read, e.g. 'Data'!A1:D2001 (the plan's "source" line). */
  address: string;
  /** Round trips to the host this read took (Office.js syncs, Apps Script service calls). */
  syncs: number;
  /** Rows in the source, header included (more than `rows` when `maxRows` cut the read short). */
  totalRows: number;
}

/** Sheet and table names in use (in Sheets, tables are the named ranges). New ones must avoid them. */
export interface WorkbookNames {
  sheetNames: string[];
  tableNames: string[];
}

/** A plan table (CBP_Plan, CBP_Plan_2 ...), its sheet and the text of its status cell (PLAN_STATE_RANGE, B4). */
export interface PlanTableRef {
  tableName: string;
  sheetName: string;
  statusText: string;
}

export interface WriteSpecOptions {
  locale: Locale;
  /** Show the first new sheet when done (default true). */
  activate?: boolean;
  /**
   * How a sheet the spec protects is protected where the host can choose: 'warning' (Sheets'
   * warning-only protection, the default) or 'full' (only the owner and the running user may edit).
   * Excel protects without a password either way.
   */
  protection?: 'warning' | 'full';
  onProgress?: (cellsWritten: number, totalCells: number) => void;
  /** Stops the write between requests (asynchronous hosts): what was written is undone and RunCancelledError thrown. */
  signal?: RunSignal;
}

export interface WriteReport {
  sheetsAdded: string[];
  sheetsUpdated: string[];
  logRowsAppended: number;
  /** Round trips this write took. */
  syncs: number;
}

/**
 * A host's calls return their results (Apps Script) or promises of them (Office.js); the runs take
 * both (see steps.ts).
 */
export interface PlannerHost {
  /** Sheet and table names, in document order (the product's own CBP_ tables included). */
  readNames(): Awaitable<WorkbookNames>;
  /** A source's rows, header first, read in chunks; a clear error when it holds nothing. */
  readSource(source: SourceRef, options?: ReadSourceOptions): Awaitable<SourceRows>;
  /** Every plan table with its sheet and status text. */
  listPlanTables(): Awaitable<PlanTableRef[]>;
  /**
   * Writes the spec as one undoable unit: new sheets, updates of existing ones (an approval stamp,
   * with protection), log rows appended. On failure the host deletes the sheets it added, restores
   * what it changed and throws.
   */
  writeSpec(spec: WorkbookSpec, options: WriteSpecOptions): Awaitable<WriteReport>;
  /** The signed-in user's name or e-mail where the host knows it ('' when it does not). */
  currentUser(): Awaitable<string>;
  /** The settings last saved in this document (JSON text), or undefined. */
  loadSettings(): Awaitable<string | undefined>;
  saveSettings(json: string): Awaitable<void>;
}

/** 'Data'!A1:D9 -> sheet Data, address A1:D9 (a doubled apostrophe inside quotes is one apostrophe). */
export function splitSheetAddress(source: { address: string; sheet?: string }): { sheet?: string; address: string } {
  const bang = source.address.lastIndexOf('!');
  if (bang < 0) return { sheet: source.sheet, address: source.address };
  const sheetPart = source.address.slice(0, bang);
  const quoted = /^'(.*)'$/.exec(sheetPart);
  return { sheet: quoted ? quoted[1].replace(/''/g, "'") : sheetPart, address: source.address.slice(bang + 1) };
}

export function describeSource(source: SourceRef): string {
  switch (source.kind) {
    case 'table':
      return `table ${source.name}`;
    case 'name':
      return `name ${source.name}`;
    case 'range':
      return source.sheet === undefined ? source.address : `${source.sheet}!${source.address}`;
    case 'selection':
      return 'the selection';
  }
}

/** A run's time as the workbook builders take it: ISO, UTC, whole seconds. */
export function isoSeconds(iso?: string): string {
  return (iso === undefined ? new Date() : new Date(iso)).toISOString().replace(/\.\d+Z$/, 'Z');
}
