/** The statements the warehouse tests run and parse: rfm and summary builder options, allocate command lines. */
import { epochDaysFromCivil } from '../../src/engine/dates';
import { RfmOptions } from '../../src/engine/rfm';
import { Dialect } from '../../src/warehouse/dialects';
import { RfmSqlOptions } from '../../src/warehouse/rfm-sql';
import { SummarySqlOptions } from '../../src/warehouse/summary-sql';

export function epochDays(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number);
  return epochDaysFromCivil(y, m, d);
}

export interface RfmCase {
  name: string;
  sql: Omit<RfmSqlOptions, 'dialect' | 'table'>;
  engine: RfmOptions;
  orders: boolean;
}

export const RFM_CASES: RfmCase[] = [
  { name: 'quantiles, 5 bins, rfm10, distinct orders', sql: { order: 'order_id' }, engine: {}, orders: true },
  { name: 'quantiles, 4 bins, rfm8 in English, weights 2:1:1, rows as purchases', sql: { bins: 4, scheme: 'rfm8', language: 'en', weights: [2, 1, 1] }, engine: { bins: 4, scheme: 'rfm8', language: 'en', weights: [2, 1, 1] }, orders: false },
  { name: 'rfm8 in Chinese, as of a date inside the data (later rows left out)', sql: { scheme: 'rfm8', asOf: '2025-03-15', order: 'order_id' }, engine: { scheme: 'rfm8', asOf: epochDays('2025-03-15') }, orders: true },
  {
    name: 'thresholds (equal to a cut point scores above it), rfm10 in Chinese',
    sql: { thresholds: { recencyDays: [7, 14, 30, 60], frequency: [5, 8, 10, 15], monetary: [200, 500, 800, 1500] }, language: 'zh', order: 'order_id' },
    engine: { thresholds: { recencyDays: [7, 14, 30, 60], frequency: [5, 8, 10, 15], monetary: [200, 500, 800, 1500] }, language: 'zh' },
    orders: true,
  },
];


export const SUMMARY_CASES: { name: string; options: Omit<SummarySqlOptions, 'dialect' | 'table'> }[] = [
  { name: 'summary in days to the latest purchase', options: {} },
  { name: 'summary in weeks to 2025-03-15', options: { unit: 'weeks', asOf: '2025-03-15' } },
];


export interface AllocateCase {
  name: string;
  budget: number;
  unit: number;
  reserve: number;
  /** A number for every row, or the column. */
  floor?: number | 'floor_amount';
  cap?: number | 'cap_amount';
}

export const ALLOCATE_CASES: AllocateCase[] = [
  { name: 'unit 0.01, no bounds', budget: 100000, unit: 0.01, reserve: 0 },
  { name: 'unit 1, a floor and a cap for every row, reserve 5 %', budget: 50000, unit: 1, reserve: 0.05, floor: 50, cap: 300 },
  { name: 'unit 0.01, floor and cap columns', budget: 170000.37, unit: 0.01, reserve: 0, floor: 'floor_amount', cap: 'cap_amount' },
  { name: 'unit 100, floor and cap columns, reserve 10 %', budget: 250000, unit: 100, reserve: 0.1, floor: 'floor_amount', cap: 'cap_amount' },
  { name: 'caps hold the total below the budget (unallocated)', budget: 1000000, unit: 1, reserve: 0, cap: 300 },
  { name: 'a budget the floors nearly use up (zero weights keep their floor)', budget: 6600, unit: 1, reserve: 0, floor: 'floor_amount' },
];

/** `cbp sql allocate` arguments for a case. */
export function allocateArgs(c: AllocateCase, dialect: Dialect, table: string): string[] {
  return [
    'allocate', '--dialect', dialect, '--table', table, '--budget', String(c.budget), '--unit', String(c.unit), '--reserve', String(c.reserve),
    ...(c.floor === undefined ? [] : ['--floor', String(c.floor)]),
    ...(c.cap === undefined ? [] : ['--cap', String(c.cap)]),
  ];
}
