/**
 * "Preview source", once for every host: the source's header row, the columns the engine
 * recognises (or the user's mapping), and the first rows as Generate Plan and Track Variance will
 * read them (parsed dates and amounts) with the first rows they would reject and why. The column
 * mapping in the pane is filled from this; the UI only displays it.
 */
import { formatIsoDate } from '../engine/dates';
import { InputError } from '../engine/errors';
import { ColumnOverrides, resolveColumns } from '../engine/headers';
import { DEFAULT_MINOR_DIGITS } from '../engine/money';
import { readTransactionTable, ReadOptions } from '../engine/transactions';
import { Locale, t } from '../i18n';
import { localizeError } from '../i18n/errors';
import { PlannerHost, SourceRef } from './host';
import { drive, step, Steps } from './steps';

export const MAPPED_ROLES = ['customer', 'date', 'amount', 'orderId'] as const;
export type MappedRole = (typeof MAPPED_ROLES)[number];

export interface PreviewRequest {
  source: SourceRef;
  /** The user's mapping: a header name or a 0-based column index per role. */
  columns?: ColumnOverrides;
  reading?: ReadOptions;
  /** Rows shown, read and rejected each (default 5). */
  rows?: number;
  locale: Locale;
}

export interface PreviewRow {
  /** 1-based sheet row within the source (the header is row 1). */
  row: number;
  customer: string;
  /** ISO date. */
  date: string;
  amountMinor: number;
  orderId?: string;
}

export interface SourcePreview {
  /** The header row as text, for the mapping dropdowns. */
  headers: string[];
  /** The column index per role: the mapping, else the recognised header; absent when neither. */
  columns: Partial<Record<MappedRole, number>>;
  /** Required roles without a column (customer, date, amount): the run would stop. */
  missing: MappedRole[];
  /** Why the columns cannot be used (e.g. one column mapped twice), when they cannot. */
  columnError?: string;
  rows: PreviewRow[];
  rejected: { row: number; message: string }[];
  /** Data rows in the source. */
  totalRows: number;
  /** Digits of the amounts' minor units (2: cents). */
  minorDigits: number;
}

const REQUIRED: readonly MappedRole[] = ['customer', 'date', 'amount'];

/** Rows the preview reads, header included: the rows shown and rejected come from these. */
export const PREVIEW_READ_ROWS = 500;

export function* previewSourceSteps(host: PlannerHost, request: PreviewRequest): Steps<SourcePreview> {
  const limit = request.rows ?? 5;
  // The first rows only: the preview opens with the pane and must stay quick on a 100,000-row table.
  const source = yield* step(host.readSource(request.source, { locale: request.locale, maxRows: PREVIEW_READ_ROWS }));
  const headerRow = source.rows[0] ?? [];
  const headers = headerRow.map((h) => String(h ?? ''));
  const preview: SourcePreview = { headers, columns: {}, missing: [], rows: [], rejected: [], totalRows: Math.max(0, source.totalRows - 1), minorDigits: request.reading?.minorDigits ?? DEFAULT_MINOR_DIGITS };
  try {
    preview.columns = resolveColumns(headerRow, [], MAPPED_ROLES, request.columns ?? {});
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    preview.columnError = error.message;
    return preview;
  }
  const [first, second] = MAPPED_ROLES.filter((role) => preview.columns[role] !== undefined && MAPPED_ROLES.some((other) => other !== role && preview.columns[other] === preview.columns[role]));
  if (first !== undefined) {
    preview.columnError = t(request.locale, 'preview.sameColumn', { column: headers[preview.columns[first]!] ?? '', first: t(request.locale, `preview.role.${first}`), second: t(request.locale, `preview.role.${second}`) });
    return preview;
  }
  preview.missing = REQUIRED.filter((role) => preview.columns[role] === undefined);
  if (preview.missing.length || source.rows.length < 2) return preview;
  const tx = readTransactionTable(source.rows, { ...request.reading, columns: request.columns, skipInvalid: true });
  for (let k = 0; k < Math.min(limit, tx.customerIndex.length); k++) {
    preview.rows.push({
      row: tx.sourceRows[k],
      customer: tx.customerIds[tx.customerIndex[k]],
      date: formatIsoDate(tx.dates[k]),
      amountMinor: tx.amountsMinor[k],
      ...(tx.orderIndex && tx.orderIds ? { orderId: tx.orderIds[tx.orderIndex[k]] } : {}),
    });
  }
  preview.rejected = tx.skipped.slice(0, limit).map((s) => ({ row: s.row, message: s.error ? localizeError(s.error, request.locale) : s.message }));
  return preview;
}

export function previewSource(host: PlannerHost, request: PreviewRequest): Promise<SourcePreview> {
  return drive(previewSourceSteps(host, request));
}
