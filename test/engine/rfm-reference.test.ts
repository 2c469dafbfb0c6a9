import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv, csvTableToRows } from '../../src/cli/csv';
import { readTransactionTable } from '../../src/engine/transactions';
import { computeRfm } from '../../src/engine/rfm';
import { epochDaysFromCivil } from '../../src/engine/dates';

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'rfm', name), 'utf8');

describe('RFM thresholds mode reproduces the R package rfm', () => {
  const orders = csvTableToRows(parseCsv(fixture('rfm_data_orders.csv')));
  const expected = parseCsv(fixture('rfm_thresholds_expected_2006-12-31.csv'));
  const result = computeRfm(readTransactionTable(orders), {
    asOf: epochDaysFromCivil(2006, 12, 31),
    thresholds: { recencyDays: [115, 181, 297, 482], frequency: [4, 5, 6, 8], monetary: [256, 382, 506, 666] },
    scheme: 'rfm10',
  });
  const byCustomer = new Map(result.rows.map((row) => [row.customer, row]));
  const column = (name: string) => expected.columns[expected.header.indexOf(name)];

  it('has the same 995 customers', () => {
    expect(expected.rowCount).toBe(995);
    expect(result.rows).toHaveLength(995);
    expect(new Set(column('customer_id'))).toEqual(new Set(byCustomer.keys()));
  });

  it('matches every measure, score, code and segment exactly', () => {
    const mismatches: string[] = [];
    for (let i = 0; i < expected.rowCount; i++) {
      const row = byCustomer.get(column('customer_id')[i])!;
      const got = [row.recencyDays, row.frequency, row.monetary, row.r, row.f, row.m, row.code, row.segment].map(String);
      const want = ['recency_days', 'transaction_count', 'amount', 'recency_score', 'frequency_score', 'monetary_score', 'rfm_score', 'segment'].map((c) => column(c)[i]);
      if (got.join('|') !== want.join('|')) mismatches.push(`${row.customer}: got ${got.join('|')} want ${want.join('|')}`);
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
  });
});
