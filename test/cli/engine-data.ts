/** Generated transactions for comparing `cbp --engine builtin` with `--engine duckdb`, and helpers to write and read them. */
import { DuckDBInstance } from '@duckdb/node-api';
import ExcelJS from 'exceljs';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { epochDaysFromCivil } from '../../src/engine/dates';
import { generateTransactions, TransactionRow } from '../../src/samples/generate';

export function epochDays(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number);
  return epochDaysFromCivil(y, m, d);
}

/**
 * `customers` customers over 2025-01-01..2025-06-30 with amounts rounded to 5 (ties in every
 * measure), then refunds, zero rows, a refund-only customer, an order id shared by two customers,
 * a customer who buys only after 2025-06-15 (left out as of that date) and amounts with three
 * decimals (rounded half away from zero), and a refund after every purchase.
 */
export function engineRows(customers = 400, transactions = 5000, seed = 16): TransactionRow[] {
  const rows: TransactionRow[] = [];
  generateTransactions({ customers, transactions, seed, firstDay: epochDays('2025-01-01'), lastDay: epochDays('2025-06-30') }, (row) => rows.push({ ...row, amount: Math.round(row.amount / 5) * 5 }));
  // Interleave so that first-seen order is not the customers' sorted order.
  rows.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  rows.splice(10, 0, { customer: 'C000001', orderId: 'R1', date: '2025-06-30', amount: -20 });
  rows.splice(20, 0, { customer: 'C000002', orderId: 'Z1', date: '2025-06-29', amount: 0 });
  rows.splice(30, 0, { customer: 'ONLYREFUND', orderId: 'R2', date: '2025-03-01', amount: -10 });
  rows.push({ customer: 'C000003', orderId: 'SHARED', date: '2025-02-01', amount: 12.34 });
  rows.push({ customer: 'C000004', orderId: 'SHARED', date: '2025-02-01', amount: 12.34 });
  rows.push({ customer: 'LATE', orderId: 'L1', date: '2025-06-20', amount: 50 });
  rows.push({ customer: 'C000005', orderId: 'H1', date: '2025-05-05', amount: 1.005 });
  rows.push({ customer: 'C000006', orderId: 'H2', date: '2025-05-06', amount: -2.675 });
  // The latest row is a refund: cbp rfm's default as-of is the latest purchase, cbp clv's the latest row.
  rows.push({ customer: 'C000007', orderId: 'R3', date: '2025-07-05', amount: -5 });
  return rows;
}

export function writeCsv(path: string, rows: readonly TransactionRow[], withOrders = true): void {
  const lines = rows.map((r) => (withOrders ? `${r.customer},${r.orderId},${r.date},${r.amount}` : `${r.customer},${r.date},${r.amount}`));
  writeFileSync(path, (withOrders ? 'customer,order_id,date,amount\n' : 'customer,date,amount\n') + lines.join('\n') + '\n');
}

/** Runs statements on a fresh in-memory DuckDB (e.g. COPY ... TO a Parquet file). */
export async function duckdb(statements: readonly string[], path = ':memory:'): Promise<void> {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  try {
    for (const s of statements) await connection.run(s);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** The CSV as Parquet with typed columns (VARCHAR customer and order, DATE, DOUBLE amount), rows in file order. */
export async function csvToParquet(folder: string, csv: string, parquet: string): Promise<void> {
  await duckdb([`COPY (SELECT * FROM read_csv('${join(folder, csv)}', header = true, columns = {'customer': 'VARCHAR', 'order_id': 'VARCHAR', 'date': 'DATE', 'amount': 'DOUBLE'})) TO '${join(folder, parquet)}' (FORMAT parquet)`]);
}

/** Every cell of every sheet of a workbook, with the time it was written blanked (it differs between two runs). */
export async function workbookCells(path: string): Promise<string[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  const cells: string[] = [];
  workbook.eachSheet((sheet) => {
    sheet.eachRow({ includeEmpty: false }, (row, r) => {
      row.eachCell({ includeEmpty: false }, (cell, c) => {
        const text = JSON.stringify(cell.value);
        cells.push(`${sheet.name}!${r}:${c} ${/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.test(text) ? '<time>' : text}`);
      });
    });
  });
  return cells;
}
