/**
 * CBP.ALLOCATE: cells -> engine allocation -> one amount per input row. The split, the bounds and
 * the exact rounding all come from src/engine/allocation.
 */
import { InputError } from '../engine/errors';
import { fromMinorUnits, readMoney, readNumber } from '../engine/money';
import { allocateBudget, toMajor } from '../engine/allocation/allocate';
import { Argument, Cell, asColumn, asScalar, firstRowIsHeader, isBlank, isOmitted, optionalChoice, optionalNumber, requireSameLength } from './cells';
import { withSourceRows } from './results';

export interface AllocateArgs {
  budget: Argument;
  weights: Argument;
  floor?: Argument;
  cap?: Argument;
  method?: Argument;
  unit?: Argument;
  reserve?: Argument;
}

/** Engine names -> Excel arguments, for messages. */
const ALLOCATE_ARGUMENTS: Readonly<Record<string, string>> = { weight: 'weights', floor: 'floor', cap: 'cap', budget: 'budget', reserve: 'reserve', unit: 'unit', method: 'method' };

/** Money in major units: 500000, "500,000", "¥500,000.00". */
function readAmount(cell: Cell, where: { row?: number; column: string }): number {
  return fromMinorUnits(readMoney(cell, where));
}

/**
 * floor or cap: omitted -> none; one value -> the same for every row; a column aligned with the
 * weights -> per row (a blank cell means none for that row, NaN to the engine).
 */
function readBound(value: Argument, argument: string, weights: readonly Cell[], dataRows: readonly number[]): number | Float64Array | undefined {
  if (isOmitted(value)) return undefined;
  const cells = asColumn(value, argument);
  if (cells.length === 1) return readAmount(asScalar(cells[0], argument), { column: argument });
  requireSameLength([
    ['weights', weights],
    [argument, cells],
  ]);
  return Float64Array.from(dataRows, (i) => (isBlank(cells[i]) ? NaN : readAmount(cells[i], { row: i + 1, column: argument })));
}

function readWeight(cell: Cell, row: number): number {
  const weight = readNumber(cell, { row, column: 'weights' });
  if (weight < 0) throw new InputError('bad-number', `the weight ${weight} must be 0 or more`, { row, column: 'weights' }, cell);
  return weight;
}

/** CBP.ALLOCATE: amounts aligned with the weights; blank weight rows stay blank and take no budget. */
export function allocateRows(args: AllocateArgs): unknown[][] {
  const budget = readAmount(asScalar(isOmitted(args.budget) ? null : args.budget, 'budget'), { column: 'budget' });
  const weights = asColumn(args.weights, 'weights');
  const header = firstRowIsHeader([weights]);
  const dataRows: number[] = [];
  for (let i = header ? 1 : 0; i < weights.length; i++) if (!isBlank(weights[i])) dataRows.push(i);
  if (!dataRows.length) throw new InputError('no-data', 'there are no weights; select the cells that hold one weight per customer', { column: 'weights' });
  const request = {
    budget,
    weights: Float64Array.from(dataRows, (i) => readWeight(weights[i], i + 1)),
    floor: readBound(args.floor ?? null, 'floor', weights, dataRows),
    cap: readBound(args.cap ?? null, 'cap', weights, dataRows),
    method: optionalChoice(args.method ?? null, 'method', ['proportional', 'equal'] as const, 'proportional'),
    unit: optionalNumber(args.unit ?? null, 'unit', 0.01),
    reserve: optionalNumber(args.reserve ?? null, 'reserve', 0),
  };
  const result = withSourceRows((row) => dataRows[row - 1] + 1, ALLOCATE_ARGUMENTS, () => allocateBudget(request));
  const out: unknown[][] = weights.map(() => ['']);
  if (header) {
    // Every customer at its cap: the part nobody could take is reported in the header, never dropped silently.
    const unallocated = result.unallocatedMinor > 0 ? ` (${toMajor(result, result.unallocatedMinor).toFixed(result.minorDigits)} unallocated: every row is at its cap)` : '';
    out[0] = [`allocation${unallocated}`];
  }
  dataRows.forEach((row, k) => {
    out[row] = [toMajor(result, result.amountsMinor[k])];
  });
  return out;
}
