/**
 * Seeded generators of realistic transaction and spend tables, for the shipped samples and for
 * `npm run bench`. Customers differ in how often they buy (gamma-distributed rates), how long they
 * stay (some churn part-way) and how much they spend (log-normal order values).
 */
import { epochDaysFromCivil, formatIsoDate } from '../engine/dates';
import { Random, randomExponential, randomGamma, randomInt, randomNormal, seededRandom } from '../engine/random';

export interface TransactionRow {
  customer: string;
  orderId: string;
  date: string; // ISO yyyy-mm-dd
  amount: number; // major units, 2 decimals
}

export interface GenerateOptions {
  customers: number;
  /** Exact number of rows to produce (each customer gets at least one). */
  transactions: number;
  seed: number;
  firstDay: number; // epoch days
  lastDay: number; // epoch days
}

export function customerId(index: number, width = 6): string {
  return `C${String(index + 1).padStart(width, '0')}`;
}

function roundCents(amount: number): number {
  return Math.round(amount * 100) / 100;
}

/** A log-normal order value around a customer's typical spend. */
function orderValue(random: Random, typical: number): number {
  return roundCents(Math.max(1, typical * Math.exp(0.45 * randomNormal(random) - 0.1)));
}

/**
 * Calls `emit` once per generated transaction, in date order per customer, without holding the
 * whole table in memory (1,000,000 rows are streamed to a file by the bench).
 */
export function generateTransactions(options: GenerateOptions, emit: (row: TransactionRow) => void): void {
  const random = seededRandom(options.seed);
  const { customers, transactions, firstDay, lastDay } = options;
  const span = lastDay - firstDay;
  // Purchase propensities: gamma-distributed, normalised so the counts add up to `transactions`.
  const propensity = new Float64Array(customers);
  let total = 0;
  for (let i = 0; i < customers; i++) total += propensity[i] = randomGamma(random, 0.7, 1);
  const extra = transactions - customers;
  const counts = new Int32Array(customers);
  let assigned = 0;
  for (let i = 0; i < customers; i++) {
    counts[i] = 1 + Math.floor((extra * propensity[i]) / total);
    assigned += counts[i];
  }
  for (let k = 0; assigned < transactions; k++, assigned++) counts[k % customers]++;
  let order = 0;
  const orderWidth = String(transactions).length;
  for (let i = 0; i < customers; i++) {
    const id = customerId(i, String(customers).length);
    const typical = 20 + randomGamma(random, 2, 60);
    const start = firstDay + Math.floor(random() * span * 0.8);
    const churned = random() < 0.3;
    const end = churned ? start + Math.floor((lastDay - start) * random()) : lastDay;
    const days = new Int32Array(counts[i]);
    days[0] = start;
    for (let k = 1; k < counts[i]; k++) days[k] = randomInt(random, start, Math.max(start, end));
    days.sort();
    for (let k = 0; k < counts[i]; k++) {
      order++;
      emit({
        customer: id,
        orderId: `O${String(order).padStart(orderWidth, '0')}`,
        date: formatIsoDate(days[k]),
        amount: orderValue(random, typical),
      });
    }
  }
}

export interface SpendRow {
  customer: string;
  date: string;
  activity: string;
  amount: number;
}

/** Actual customer-management spend: a few activity lines per active customer per month. */
export function generateSpend(
  customers: readonly string[],
  activities: readonly string[],
  months: readonly { year: number; month: number }[],
  seed: number,
): SpendRow[] {
  const random = seededRandom(seed);
  const rows: SpendRow[] = [];
  for (const customer of customers) {
    const intensity = randomGamma(random, 1.2, 1);
    for (const { year, month } of months) {
      for (const activity of activities) {
        if (random() > 0.2 * intensity) continue;
        const day = epochDaysFromCivil(year, month, randomInt(random, 1, 28));
        rows.push({ customer, date: formatIsoDate(day), activity, amount: roundCents(20 + randomExponential(random, 1 / (45 * intensity))) });
      }
    }
  }
  return rows;
}
