/**
 * Budget arithmetic in whole rounding units: the distributable amount, the reserve, and per-row
 * floors and caps converted to units (floors round up, caps round down, so both still hold after
 * rounding).
 */
import { InputError, parameterError } from '../errors';
import { MinorUnits, minorPerMajor, toMinorUnits } from '../money';

export interface BudgetInput {
  /** Total budget B in major units (e.g. 500000). */
  budget: number;
  /** Reserve fraction rho in [0, 1). */
  reserve?: number;
  /** Rounding unit u in major units (0.01 default; 1, 100, 1000 are common). */
  unit?: number;
  minorDigits?: number;
}

export interface BudgetSplit {
  budgetMinor: MinorUnits;
  unitMinor: MinorUnits;
  /** D = B(1 - rho) rounded down to a multiple of u, in units of u. */
  distributableUnits: number;
  distributableMinor: MinorUnits;
  /** B - D */
  reserveMinor: MinorUnits;
}

/** Splits the budget into the distributable amount and the reserve (SPEC "Allocation"). */
export function splitBudget({ budget, reserve = 0, unit = 0.01, minorDigits = 2 }: BudgetInput): BudgetSplit {
  if (!Number.isFinite(budget) || budget <= 0) throw parameterError('budget', `must be a number above 0 (got ${budget})`);
  if (!Number.isFinite(reserve) || reserve < 0 || reserve >= 1) throw parameterError('reserve', `must be a fraction from 0 up to (not including) 1, e.g. 0.05 for 5 % (got ${reserve})`);
  const unitMinor = toMinorUnits(unit, minorDigits);
  if (!Number.isFinite(unit) || unit <= 0 || unitMinor < 1 || Math.abs(unitMinor - unit * minorPerMajor(minorDigits)) > 1e-6 * unitMinor) {
    throw parameterError('unit', `must be a positive multiple of ${1 / minorPerMajor(minorDigits)} (got ${unit})`);
  }
  const budgetMinor = toMinorUnits(budget, minorDigits);
  // Integer arithmetic: B(1 - rho) in minor units, rounded down to whole units of u.
  const afterReserveMinor = Math.floor(budgetMinor * (1 - reserve) + 1e-7);
  const distributableUnits = Math.floor(afterReserveMinor / unitMinor);
  if (distributableUnits === 0) {
    throw parameterError('unit', `the budget after the reserve is less than one rounding unit (${unit}); lower the unit or the reserve`);
  }
  const distributableMinor = distributableUnits * unitMinor;
  return { budgetMinor, unitMinor, distributableUnits, distributableMinor, reserveMinor: budgetMinor - distributableMinor };
}

/** A floor in whole units, rounded up so it still holds after rounding; 0 when absent. */
function lowerInUnits(floor: number | undefined, split: BudgetSplit, minorDigits: number, row: number): number {
  if (floor === undefined || Number.isNaN(floor)) return 0;
  if (floor < 0 || !Number.isFinite(floor)) throw new InputError('bad-number', `the floor ${floor} must be 0 or more`, { row, column: 'floor' }, floor);
  return Math.ceil(toMinorUnits(floor, minorDigits) / split.unitMinor - 1e-9);
}

/** A cap in whole units, rounded down; Infinity when absent. */
function upperInUnits(cap: number | undefined, split: BudgetSplit, minorDigits: number, row: number): number {
  if (cap === undefined || Number.isNaN(cap) || cap === Infinity) return Infinity;
  if (cap < 0) throw new InputError('bad-number', `the cap ${cap} must be 0 or more`, { row, column: 'cap' }, cap);
  return Math.floor(toMinorUnits(cap, minorDigits) / split.unitMinor + 1e-9);
}

export interface RowBounds {
  lowerUnits: Float64Array;
  upperUnits: Float64Array;
}

/**
 * Floors and caps (major units; a number for all rows, a per-row array, or undefined) as whole
 * units of u. A row whose rounded floor exceeds its rounded cap is an error naming the row.
 */
export function boundsInUnits(
  rowCount: number,
  split: BudgetSplit,
  floor: number | ArrayLike<number> | undefined,
  cap: number | ArrayLike<number> | undefined,
  minorDigits = 2,
  firstRow = 1,
): RowBounds {
  const lowerUnits = new Float64Array(rowCount);
  const upperUnits = new Float64Array(rowCount).fill(Infinity);
  const at = (v: number | ArrayLike<number> | undefined, i: number): number | undefined =>
    v === undefined ? undefined : typeof v === 'number' ? v : v[i];
  // One conversion for a bound shared by every row, instead of one per row.
  const sharedLower = typeof floor === 'number' ? lowerInUnits(floor, split, minorDigits, firstRow) : undefined;
  const sharedUpper = typeof cap === 'number' ? upperInUnits(cap, split, minorDigits, firstRow) : undefined;
  for (let i = 0; i < rowCount; i++) {
    lowerUnits[i] = sharedLower ?? lowerInUnits(at(floor, i), split, minorDigits, firstRow + i);
    upperUnits[i] = sharedUpper ?? upperInUnits(at(cap, i), split, minorDigits, firstRow + i);
    if (lowerUnits[i] > upperUnits[i]) {
      throw new InputError(
        'infeasible',
        `the floor ${at(floor, i)} is above the cap ${at(cap, i)} once both are rounded to the unit ${split.unitMinor / minorPerMajor(minorDigits)}; lower the floor or raise the cap`,
        { row: firstRow + i },
      );
    }
  }
  return { lowerUnits, upperUnits };
}
