/**
 * Re-planning mid-year (issue 6): spend to date becomes each customer's floor, and the rest of the
 * budget is allocated again around it. Used by the plan (cbp plan --spent, the task pane) and by
 * cbp allocate --spent alike.
 */
import { engineError } from '../errors';
import type { EpochDays } from '../dates';
import { minorPerMajor } from '../money';
import type { ActualLines } from '../variance';
import { BudgetInput, RowValues, splitBudget, valueAt } from './budget';

/** Spend to date from actual spend lines: per customer (minor units), and the last day counted. */
export interface SpendToDate {
  byCustomer: Map<string, number>;
  /** The latest date among the lines counted (undefined when none, or the lines carry no dates). */
  throughDay?: EpochDays;
}

/** Actual spend lines summed by customer, up to `asOf` when given. */
export function spendToDate(actual: ActualLines, asOf?: EpochDays): SpendToDate {
  const byCustomer = new Map<string, number>();
  let throughDay: EpochDays | undefined;
  for (let i = 0; i < actual.keys.length; i++) {
    const day = actual.dates[i];
    if (asOf !== undefined && day > asOf) continue;
    byCustomer.set(actual.keys[i], (byCustomer.get(actual.keys[i]) ?? 0) + actual.amountsMinor[i]);
    if (Number.isFinite(day) && (throughDay === undefined || day > throughDay)) throughDay = day;
  }
  return { byCustomer, throughDay };
}

/** What a re-plan started from: spend to date as floors. */
export interface Replan {
  /** Customers of the plan with spend to date. */
  customersWithSpend: number;
  /** Their spend to date, minor units. */
  spentMinor: number;
  /** Customers with spend to date who are not among the rows (their spend is not counted above). */
  notInPlan: string[];
}

export interface ReplanBounds {
  /** Per row, major units: at least the given floor and at least what the customer has had. */
  floors: Float64Array;
  /** Per row, major units (only when caps were given): a cap below the spend gives way to it. */
  caps?: Float64Array;
  /** Per row, the customer's spend to date, minor units. */
  spentMinor: Float64Array;
  replan: Replan;
}

/**
 * Floors (and caps) for a re-plan, one per customer row. Money already spent cannot be taken back:
 * a customer over its cap keeps what it had, and no more. Refuses, with the figures, when spend to
 * date and the floors alone are more than can be placed.
 */
export function replanBounds(customers: readonly string[], spentMinor: ReadonlyMap<string, number>, request: BudgetInput & { floor?: RowValues; cap?: RowValues }): ReplanBounds {
  const perMajor = minorPerMajor(request.minorDigits ?? 2);
  const floors = new Float64Array(customers.length);
  const caps = request.cap === undefined ? undefined : new Float64Array(customers.length);
  const spentByRow = new Float64Array(customers.length);
  let customersWithSpend = 0;
  let spentTotal = 0;
  let floorTotal = 0;
  customers.forEach((customer, i) => {
    const spent = Math.max(0, spentMinor.get(customer) ?? 0);
    if (spent > 0) customersWithSpend++;
    spentByRow[i] = spent;
    spentTotal += spent;
    const floor = valueAt(request.floor, i);
    floors[i] = Math.max(floor !== undefined && Number.isFinite(floor) ? floor : 0, spent / perMajor);
    if (caps) {
      const cap = valueAt(request.cap, i);
      caps[i] = cap !== undefined && Number.isFinite(cap) ? Math.max(cap, floors[i]) : NaN; // NaN: no cap
    }
    floorTotal += floors[i];
  });
  const distributableMajor = splitBudget(request).distributableMinor / perMajor;
  if (floorTotal > distributableMajor + 1e-9) {
    throw engineError('replan.budgetUsedUp', { spent: (spentTotal / perMajor).toFixed(2), floors: floorTotal.toFixed(2), distributable: distributableMajor.toFixed(2) });
  }
  const rows = new Set(customers);
  const notInPlan = [...spentMinor.keys()].filter((customer) => !rows.has(customer) && (spentMinor.get(customer) ?? 0) > 0);
  return { floors, caps, spentMinor: spentByRow, replan: { customersWithSpend, spentMinor: spentTotal, notInPlan } };
}
