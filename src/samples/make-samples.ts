/**
 * Writes the shipped sample data under samples/ (seeded, so re-running gives identical files):
 * two years of transactions for 400 customers, and six months of actual customer-management spend
 * by activity, as CSV and as .xlsx workbooks with English and Chinese headers.
 * Run with `npm run samples`.
 */
import ExcelJS from 'exceljs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { epochDaysFromCivil } from '../engine/dates';
import { formatCsv } from '../cli/csv';
import { generateSpend, generateTransactions, SpendRow, TransactionRow } from './generate';

export const SAMPLE_SEED = 20251231;
export const SAMPLE_ACTIVITIES = ['visits', 'events', 'gifts', 'service', 'training'] as const;
const ACTIVITIES_ZH: Record<string, string> = { visits: '拜访', events: '活动', gifts: '礼品', service: '服务', training: '培训' };

export function sampleTransactions(): TransactionRow[] {
  const rows: TransactionRow[] = [];
  generateTransactions(
    { customers: 400, transactions: 5000, seed: SAMPLE_SEED, firstDay: epochDaysFromCivil(2024, 1, 1), lastDay: epochDaysFromCivil(2025, 12, 31) },
    (row) => rows.push(row),
  );
  // A few refunds, as real ledgers have: a negative line on the same order id.
  for (let i = 97; i < rows.length; i += 401) rows.push({ ...rows[i], amount: -Math.round(rows[i].amount * 50) / 100 });
  return rows;
}

export function sampleSpend(customers: readonly string[]): SpendRow[] {
  const months = [1, 2, 3, 4, 5, 6].map((month) => ({ year: 2026, month }));
  return generateSpend(customers, SAMPLE_ACTIVITIES, months, SAMPLE_SEED + 1);
}

function addSheet(workbook: ExcelJS.Workbook, name: string, header: string[], rows: (string | number | Date)[][], formats: Record<number, string>): void {
  const sheet = workbook.addWorksheet(name);
  sheet.addRow(header).font = { bold: true };
  for (const row of rows) sheet.addRow(row);
  header.forEach((_, c) => {
    const column = sheet.getColumn(c + 1);
    column.width = 14;
    if (formats[c]) column.numFmt = formats[c];
  });
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
}

function isoToDate(iso: string): Date {
  return new Date(`${iso}T00:00:00Z`);
}

async function writeWorkbook(path: string, zh: boolean, tx: TransactionRow[], spend: SpendRow[]): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Customer Budget Planner samples';
  workbook.created = workbook.modified = new Date('2026-01-01T00:00:00Z');
  addSheet(
    workbook,
    zh ? '交易' : 'Transactions',
    zh ? ['客户', '订单号', '日期', '金额'] : ['Customer', 'Order ID', 'Date', 'Amount'],
    tx.map((r) => [r.customer, r.orderId, isoToDate(r.date), r.amount]),
    { 2: 'yyyy-mm-dd', 3: '#,##0.00' },
  );
  addSheet(
    workbook,
    zh ? '实际支出' : 'Actual Spend',
    zh ? ['客户', '日期', '活动', '实际支出'] : ['Customer', 'Date', 'Activity', 'Actual'],
    spend.map((r) => [r.customer, isoToDate(r.date), zh ? ACTIVITIES_ZH[r.activity] : r.activity, r.amount]),
    { 1: 'yyyy-mm-dd', 3: '#,##0.00' },
  );
  await workbook.xlsx.writeFile(path);
}

export async function makeSamples(folder: string): Promise<void> {
  mkdirSync(folder, { recursive: true });
  const tx = sampleTransactions();
  const customers = [...new Set(tx.map((r) => r.customer))];
  const spend = sampleSpend(customers);
  writeFileSync(join(folder, 'transactions.csv'), formatCsv(['customer', 'order_id', 'date', 'amount'], tx.map((r) => [r.customer, r.orderId, r.date, r.amount.toFixed(2)])));
  writeFileSync(join(folder, 'actuals.csv'), formatCsv(['customer', 'date', 'activity', 'actual'], spend.map((r) => [r.customer, r.date, r.activity, r.amount.toFixed(2)])));
  await writeWorkbook(join(folder, 'sample.xlsx'), false, tx, spend);
  await writeWorkbook(join(folder, 'sample-zh.xlsx'), true, tx, spend);
}

if (require.main === module) {
  makeSamples(process.argv[2] ?? 'samples').then(
    () => console.log('samples written'),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
