/**
 * `cbp sql ... --check RESULT.csv`: the user ran the statement on a sample in the warehouse and
 * exported the result; cbp computes the same on the sample file (the engine calls of `cbp rfm`,
 * `cbp clv` and `cbp allocate`) and compares every customer and column. Integers and text exactly,
 * money in minor units exactly, other decimals to 1e-9 relative.
 */
import { Locale, t } from '../../i18n';
import { allocateBudget, AllocationRequest } from '../../engine/allocation/allocate';
import { summariseTransactions, TimeUnit } from '../../engine/clv/summary';
import { toMinorUnits } from '../../engine/money';
import { computeRfm, latestPurchaseDate, RfmOptions } from '../../engine/rfm';
import { Transactions } from '../../engine/transactions';
import { UsageError } from '../io';
import { InputColumns } from '../read-input';

/** How a column is compared: integers and text exactly, money in minor units, floats to 1e-9 relative. */
export type CheckKind = 'integer' | 'float' | 'money' | 'text';

export interface ExpectedColumn {
  name: string;
  kind: CheckKind;
  /** One per customer; money in minor units. */
  values: ArrayLike<number> | readonly string[];
}

/** cbp's result on the sample: customers and their columns, in one order. */
export interface ExpectedResult {
  customers: readonly string[];
  columns: readonly ExpectedColumn[];
  minorDigits?: number;
}

export interface CellDifference {
  customer: string;
  warehouse: string;
  cbp: string;
}

export interface CheckReport {
  compared: number;
  onlyWarehouse: string[];
  onlyCbp: string[];
  duplicates: string[];
  differences: { column: string; count: number; examples: CellDifference[] }[];
  matches: boolean;
}

const EXAMPLES = 10;
const RELATIVE_TOLERANCE = 1e-9;

/** A cell as a number, or NaN for a blank or text that is not one. */
function cellNumber(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? NaN : Number(trimmed);
}

function sameValue(kind: CheckKind, cell: string, expected: number | string, minorDigits: number): boolean {
  if (kind === 'text') return cell.trim() === String(expected).trim();
  const value = cellNumber(cell);
  if (!Number.isFinite(value)) return false;
  const want = Number(expected);
  if (kind === 'integer') return value === want;
  if (kind === 'money') return toMinorUnits(value, minorDigits) === want;
  return value === want || Math.abs(value - want) <= RELATIVE_TOLERANCE * Math.max(Math.abs(value), Math.abs(want));
}

function shownExpected(kind: CheckKind, expected: number | string, minorDigits: number): string {
  if (kind === 'money') return (Number(expected) / 10 ** minorDigits).toFixed(minorDigits);
  return String(expected);
}

function normalise(header: string): string {
  return header.trim().toLowerCase();
}

/** Compares the warehouse's result (a table read from CSV) with cbp's; a missing column is a usage error. */
export function compareResult(result: InputColumns, resultName: string, expected: ExpectedResult, locale: Locale): CheckReport {
  const headers = result.header.map((h) => normalise(String(h ?? '')));
  const at = (name: string): number => headers.indexOf(normalise(name));
  const wanted = ['customer', ...expected.columns.map((c) => c.name)];
  const missing = wanted.filter((name) => at(name) < 0);
  if (missing.length) throw new UsageError(t(locale, 'sql.check.missingColumns', { result: resultName, columns: missing.join(', '), expected: wanted.join(', ') }));
  const cell = (column: number, row: number): string => String(result.columns[column][row] ?? '');
  const customerAt = at('customer');
  const warehouseRow = new Map<string, number>();
  const duplicates: string[] = [];
  for (let r = 0; r < result.rowCount; r++) {
    const customer = cell(customerAt, r).trim();
    if (warehouseRow.has(customer)) duplicates.push(customer);
    else warehouseRow.set(customer, r);
  }
  const digits = expected.minorDigits ?? 2;
  const cbpIndex = new Map(expected.customers.map((c, i) => [c.trim(), i]));
  const onlyCbp = expected.customers.filter((c) => !warehouseRow.has(c.trim()));
  const onlyWarehouse = [...warehouseRow.keys()].filter((c) => !cbpIndex.has(c));
  const differences: CheckReport['differences'] = [];
  const compared = expected.customers.length - onlyCbp.length;
  for (const column of expected.columns) {
    const index = at(column.name);
    const examples: CellDifference[] = [];
    let count = 0;
    expected.customers.forEach((customer, i) => {
      const row = warehouseRow.get(customer.trim());
      if (row === undefined) return;
      const want = column.values[i];
      const got = cell(index, row);
      if (sameValue(column.kind, got, want, digits)) return;
      count++;
      if (examples.length < EXAMPLES) examples.push({ customer, warehouse: got.trim() === '' ? t(locale, 'sql.check.blank') : got, cbp: shownExpected(column.kind, want, digits) });
    });
    if (count) differences.push({ column: column.name, count, examples });
  }
  const matches = differences.length === 0 && onlyCbp.length === 0 && onlyWarehouse.length === 0 && duplicates.length === 0;
  return { compared, onlyWarehouse, onlyCbp, duplicates, differences, matches };
}

/** The report as text lines, in the locale. */
export function formatReport(report: CheckReport, names: { query: string; result: string; sample: string }, locale: Locale): string {
  const examples = (customers: readonly string[]): string => (customers.length ? t(locale, 'sql.check.examplesPrefix') + customers.slice(0, EXAMPLES).join(', ') : '');
  const lines = [
    t(locale, 'sql.check.title', names),
    t(locale, 'sql.check.compared', { count: report.compared }),
    t(locale, 'sql.check.onlyWarehouse', { result: names.result, count: report.onlyWarehouse.length, examples: examples(report.onlyWarehouse) }),
    t(locale, 'sql.check.onlyCbp', { sample: names.sample, count: report.onlyCbp.length, examples: examples(report.onlyCbp) }),
  ];
  if (report.duplicates.length) lines.push(t(locale, 'sql.check.duplicates', { result: names.result, count: report.duplicates.length, examples: examples(report.duplicates) }));
  for (const d of report.differences) {
    lines.push(t(locale, 'sql.check.columnDiffers', { column: d.column, count: d.count }));
    for (const e of d.examples) lines.push(t(locale, 'sql.check.example', { customer: e.customer, warehouse: e.warehouse, cbp: e.cbp }));
  }
  lines.push(t(locale, report.matches ? 'sql.check.match' : 'sql.check.differ'));
  return lines.join('\n') + '\n';
}

/** What `cbp rfm` computes on the sample, as the columns of the rfm statement (score unrounded, as the SQL gives it). */
export function rfmExpected(tx: Transactions, options: RfmOptions): ExpectedResult {
  const rows = computeRfm(tx, options).rows;
  return {
    customers: rows.map((r) => r.customer),
    columns: [
      { name: 'recency', kind: 'integer', values: rows.map((r) => r.recencyDays) },
      { name: 'frequency', kind: 'integer', values: rows.map((r) => r.frequency) },
      { name: 'monetary', kind: 'float', values: rows.map((r) => r.monetary) },
      { name: 'r_score', kind: 'integer', values: rows.map((r) => r.r) },
      { name: 'f_score', kind: 'integer', values: rows.map((r) => r.f) },
      { name: 'm_score', kind: 'integer', values: rows.map((r) => r.m) },
      { name: 'rfm_code', kind: 'text', values: rows.map((r) => r.code) },
      { name: 'score', kind: 'float', values: rows.map((r) => r.score) },
      { name: 'segment', kind: 'text', values: rows.map((r) => r.segment) },
    ],
  };
}

/** The BG/NBD summary `cbp clv` fits on, to the as-of date (default: the latest purchase date, as the statement). */
export function summaryExpected(tx: Transactions, asOf: number | undefined, unit: TimeUnit): ExpectedResult {
  const s = summariseTransactions(tx, asOf ?? latestPurchaseDate(tx), unit);
  return {
    customers: s.customerIds,
    columns: [
      { name: 'x', kind: 'integer', values: s.frequency },
      { name: 't_x', kind: 'float', values: s.recency },
      { name: 't', kind: 'float', values: s.age },
      { name: 'monetary', kind: 'float', values: s.monetary },
    ],
  };
}

/** Code point (UTF-8 byte) order, the order the statement breaks ties in. */
function binaryOrder(ids: readonly string[]): number[] {
  const bytes = ids.map((id) => Buffer.from(id, 'utf8'));
  return ids.map((_, i) => i).sort((a, b) => Buffer.compare(bytes[a], bytes[b]) || a - b);
}

function permuted(values: AllocationRequest['floor'], order: readonly number[]): AllocationRequest['floor'] {
  return values === undefined || typeof values === 'number' ? values : Float64Array.from(order, (i) => values[i]);
}

/**
 * What `cbp allocate` computes on the per-customer sample. The statement breaks remainder ties by
 * customer in binary order, the engine by row order: the engine runs on the rows sorted by
 * customer, after a run in the file's order whose only job is to name the file's row in an error.
 */
export function allocateExpected(customers: readonly string[], request: AllocationRequest): ExpectedResult {
  allocateBudget(request);
  const order = binaryOrder(customers);
  const result = allocateBudget({ ...request, weights: Float64Array.from(order, (i) => request.weights[i]), floor: permuted(request.floor, order), cap: permuted(request.cap, order) });
  return {
    customers: order.map((i) => customers[i]),
    minorDigits: result.minorDigits,
    columns: [
      { name: 'weight', kind: 'float', values: result.weights },
      { name: 'allocation', kind: 'money', values: result.amountsMinor },
      { name: 'share', kind: 'float', values: result.shares },
      { name: 'at_bound', kind: 'text', values: result.atBound },
    ],
  };
}
