/**
 * Budget arithmetic in whole rounding units (SPEC "Allocation"): the distributable amount
 * D = B (1 - rho) rounded down to a multiple of the unit u, the reserve B - D, and per-row floors and
 * caps converted to whole units of u.
 *
 * Floors and caps that are not multiples of u: a floor is rounded UP to the next multiple and a
 * cap DOWN to the previous one, so every amount (a multiple of u) still respects the floor and the
 * cap the user typed. A row whose rounded floor ends above its rounded cap (floor 150, cap 190,
 * u = 100) has no allowed amount and is an error naming the row.
 */
import { engineError, parameterError } from '../errors';
import { MinorUnits, minorPerMajor, toMinorUnits } from '../money';
import { ceilDivide, floorDivide } from './rounding';

export interface BudgetInput {
  /** Total budget B in major units (e.g. 500000). */
  budget: number;
  /** Reserve fraction rho in [0, 1), read to 9 decimal places. */
  reserve?: number;
  /** Rounding unit u in major units (0.01 default; 1, 100, 1000 are common). */
  unit?: number;
  /** Digits of the minor unit (2: cents / fen, the default; 0 for yen). */
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

const RESERVE_SCALE = 1_000_000_000;

/** Splits the budget into the distributable amount and the reserve, exactly in integers. */
export function splitBudget({ budget, reserve = 0, unit = 0.01, minorDigits = 2 }: BudgetInput): BudgetSplit {
  if (!Number.isFinite(budget) || budget <= 0) throw parameterError('budget', 'budget.notPositive', { value: budget });
  if (!Number.isFinite(reserve) || reserve < 0 || reserve >= 1) throw parameterError('reserve', 'budget.reserve', { value: reserve });
  const unitMinor = toMinorUnits(unit, minorDigits);
  if (!Number.isFinite(unit) || unit <= 0 || unitMinor < 1 || Math.abs(unitMinor - unit * minorPerMajor(minorDigits)) > 1e-6 * unitMinor) {
    throw parameterError('unit', 'budget.unit', { step: 1 / minorPerMajor(minorDigits), value: unit });
  }
  const budgetMinor = toMinorUnits(budget, minorDigits);
  if (!Number.isSafeInteger(budgetMinor)) throw parameterError('budget', 'budget.tooLarge', { value: budget });
  // B (1 - rho) in integers: rho to 9 decimals, so 0.1 is exactly a tenth, not 0.1000000000000000055.
  const keptScaled = BigInt(RESERVE_SCALE - Math.round(reserve * RESERVE_SCALE));
  const afterReserveMinor = Number((BigInt(budgetMinor) * keptScaled) / BigInt(RESERVE_SCALE));
  const distributableUnits = floorDivide(afterReserveMinor, unitMinor);
  if (distributableUnits === 0) {
    throw parameterError('unit', 'budget.belowUnit', { unit });
  }
  const distributableMinor = distributableUnits * unitMinor;
  return { budgetMinor, unitMinor, distributableUnits, distributableMinor, reserveMinor: budgetMinor - distributableMinor };
}

/** A floor in whole units, rounded up so it still holds after rounding; 0 when absent (NaN or undefined). */
export function floorToUnits(floor: number | undefined, unitMinor: number, minorDigits: number, row: number): number {
  if (floor === undefined || Number.isNaN(floor)) return 0;
  if (floor < 0 || !Number.isFinite(floor)) throw engineError('bounds.floor', { value: floor }, { row, column: 'floor' }, floor);
  return ceilDivide(toMinorUnits(floor, minorDigits), unitMinor);
}

/** A cap in whole units, rounded down; Infinity when absent (NaN, undefined or Infinity). */
export function capToUnits(cap: number | undefined, unitMinor: number, minorDigits: number, row: number): number {
  if (cap === undefined || Number.isNaN(cap) || cap === Infinity) return Infinity;
  if (cap < 0) throw engineError('bounds.cap', { value: cap }, { row, column: 'cap' }, cap);
  return floorDivide(toMinorUnits(cap, minorDigits), unitMinor);
}

export interface RowBounds {
  lowerUnits: Float64Array;
  upperUnits: Float64Array;
}

/** A per-row bound: one number for every row, one per row, or none. */
export type RowValues = number | ArrayLike<number> | undefined;

/** The value of a per-row bound at row i. */
export function valueAt(values: RowValues, i: number): number | undefined {
  return values === undefined ? undefined : typeof values === 'number' ? values : values[i];
}

/** Checks that a per-row column has one value per row. */
export function checkLength(values: RowValues, rowCount: number, name: string): void {
  if (values !== undefined && typeof values !== 'number' && values.length !== rowCount) {
    throw engineError('bounds.length', { name, count: values.length, rows: rowCount });
  }
}

/**
 * Floors and caps (major units: a number for all rows, a per-row array with NaN for none, or
 * undefined) as whole units of u. A row whose rounded floor exceeds its rounded cap is an error.
 */
export function boundsInUnits(rowCount: number, split: Pick<BudgetSplit, 'unitMinor'>, floor: RowValues, cap: RowValues, minorDigits = 2, firstRow = 1): RowBounds {
  checkLength(floor, rowCount, 'floor');
  checkLength(cap, rowCount, 'cap');
  const unitMinor = split.unitMinor;
  const lowerUnits = new Float64Array(rowCount);
  const upperUnits = new Float64Array(rowCount);
  // One conversion for a bound shared by every row, instead of one per row.
  const sharedLower = typeof floor === 'number' || floor === undefined ? floorToUnits(floor, unitMinor, minorDigits, firstRow) : undefined;
  const sharedUpper = typeof cap === 'number' || cap === undefined ? capToUnits(cap, unitMinor, minorDigits, firstRow) : undefined;
  for (let i = 0; i < rowCount; i++) {
    lowerUnits[i] = sharedLower ?? floorToUnits(valueAt(floor, i), unitMinor, minorDigits, firstRow + i);
    upperUnits[i] = sharedUpper ?? capToUnits(valueAt(cap, i), unitMinor, minorDigits, firstRow + i);
    if (lowerUnits[i] > upperUnits[i]) {
      throw engineError(
        'bounds.floorAboveCap',
        { floor: String(valueAt(floor, i)), cap: String(valueAt(cap, i)), unit: unitMinor / minorPerMajor(minorDigits) },
        { row: firstRow + i },
      );
    }
  }
  return { lowerUnits, upperUnits };
}
