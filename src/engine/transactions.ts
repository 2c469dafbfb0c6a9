/**
 * Reads a transaction table (customer, date, amount, optional order id) from host cells into
 * compact typed arrays, with every bad row either reported by row, column and value, or (when the
 * caller asks) skipped and counted.
 */
import { CellLocation, CellValue, engineError, InputError } from './errors';
import { DateReadOptions, EpochDays, readDate } from './dates';
import { MinorUnits, MoneyOptions, readMoney } from './money';
import { ColumnOverrides, resolveColumns } from './headers';

export interface Transactions {
  /** Distinct customer ids in first-seen order. */
  customerIds: string[];
  /** Per row: index into customerIds. */
  customerIndex: Int32Array;
  dates: Int32Array; // epoch days
  amountsMinor: Float64Array; // integer minor units
  /** Per row: interned order id (index into orderIds), or undefined when no order column is given. */
  orderIndex?: Int32Array;
  orderIds?: string[];
  /** Source row number (as the user sees it) of each kept row, for messages. */
  sourceRows: Int32Array;
  skipped: SkippedRow[];
}

export interface SkippedRow {
  row: number;
  message: string;
  /** The error itself, so a host can word it in the user's language. */
  error?: InputError;
}

/** How a reader reports a row it skipped. */
export function skippedRow(error: InputError): SkippedRow {
  return { row: error.location.row ?? 0, message: error.message, error };
}

export interface ReadOptions extends DateReadOptions, MoneyOptions {
  /** Skip rows that cannot be read (and count them) instead of stopping at the first. */
  skipInvalid?: boolean;
}

export interface TransactionColumns {
  customers: readonly CellValue[];
  dates: readonly CellValue[];
  amounts: readonly CellValue[];
  orderIds?: readonly CellValue[];
}

export interface ColumnNames {
  customers: string;
  dates: string;
  amounts: string;
  orderIds: string;
}

const DEFAULT_NAMES: ColumnNames = { customers: 'customer', dates: 'date', amounts: 'amount', orderIds: 'order id' };

export function isBlankCell(value: CellValue): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

/** Customer and order keys are text: 1001 and '1001' are the same customer. */
export function readKey(value: CellValue, where: CellLocation, what: string): string {
  if (isBlankCell(value)) throw engineError('key.blank', { what }, where, value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value).trim();
}

/**
 * Reads parallel columns. `firstRow` is the source row number of index 0 (2 when a header row
 * sits above the data), so messages point at the row the user sees.
 */
export function readTransactionColumns(
  columns: TransactionColumns,
  options: ReadOptions = {},
  firstRow = 1,
  names: Partial<ColumnNames> = {},
): Transactions {
  const label = { ...DEFAULT_NAMES, ...names };
  const n = columns.customers.length;
  for (const [key, col] of Object.entries(columns) as [keyof TransactionColumns, readonly CellValue[] | undefined][]) {
    if (col && col.length !== n) {
      throw engineError('columns.lengthMismatch', { name: label[key], count: col.length, reference: label.customers, expected: n });
    }
  }
  const customerIndex = new Int32Array(n);
  const dates = new Int32Array(n);
  const amountsMinor = new Float64Array(n);
  const sourceRows = new Int32Array(n);
  const orderIndex = columns.orderIds ? new Int32Array(n) : undefined;
  const customerIds: string[] = [];
  const customerLookup = new Map<string, number>();
  const orderIds: string[] = [];
  const orderLookup = new Map<string, number>();
  const skipped: SkippedRow[] = [];
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const row = firstRow + i;
    const c = columns.customers[i];
    const d = columns.dates[i];
    const a = columns.amounts[i];
    const o = columns.orderIds?.[i];
    if (isBlankCell(c) && isBlankCell(d) && isBlankCell(a) && isBlankCell(o)) continue;
    try {
      const customer = readKey(c, { row, column: label.customers }, 'customer');
      const date: EpochDays = readDate(d, { row, column: label.dates }, options);
      const amount: MinorUnits = readMoney(a, { row, column: label.amounts }, options);
      let order = -1;
      if (orderIndex) {
        const orderKey = readKey(o, { row, column: label.orderIds }, 'order id');
        order = intern(orderKey, orderIds, orderLookup);
      }
      customerIndex[kept] = intern(customer, customerIds, customerLookup);
      dates[kept] = date;
      amountsMinor[kept] = amount;
      sourceRows[kept] = row;
      if (orderIndex) orderIndex[kept] = order;
      kept++;
    } catch (error) {
      if (!options.skipInvalid || !(error instanceof InputError)) throw error;
      skipped.push(skippedRow(error));
    }
  }
  return {
    customerIds,
    customerIndex: customerIndex.subarray(0, kept),
    dates: dates.subarray(0, kept),
    amountsMinor: amountsMinor.subarray(0, kept),
    sourceRows: sourceRows.subarray(0, kept),
    ...(orderIndex ? { orderIndex: orderIndex.subarray(0, kept), orderIds } : {}),
    skipped,
  };
}

function intern(key: string, list: string[], lookup: Map<string, number>): number {
  let index = lookup.get(key);
  if (index === undefined) {
    index = list.length;
    list.push(key);
    lookup.set(key, index);
  }
  return index;
}

/** Splits a table whose first row is the header into the transaction columns it names. */
export function readTransactionTable(
  rows: readonly (readonly CellValue[])[],
  options: ReadOptions & { columns?: ColumnOverrides; useOrderIds?: boolean } = {},
): Transactions {
  if (rows.length === 0) throw engineError('table.empty');
  const header = rows[0];
  const at = resolveColumns(header, ['customer', 'date', 'amount'] as const, options.useOrderIds === false ? [] : ['orderId'], options.columns);
  const body = rows.slice(1);
  const pick = (index: number) => body.map((r) => r[index]);
  const name = (index: number) => String(header[index] ?? '');
  return readTransactionColumns(
    {
      customers: pick(at.customer),
      dates: pick(at.date),
      amounts: pick(at.amount),
      ...(at.orderId !== undefined ? { orderIds: pick(at.orderId) } : {}),
    },
    options,
    2,
    { customers: name(at.customer), dates: name(at.date), amounts: name(at.amount), ...(at.orderId !== undefined ? { orderIds: name(at.orderId) } : {}) },
  );
}
