/**
 * CBP.ALLOCATE: cells -> engine allocation -> one value per input row, or (output "summary") a
 * label | value table of the plan. The split, the bounds, the optimal solution, its figures and the
 * exact rounding all come from src/engine/allocation; this module reads the arguments (naming the
 * argument and row of a bad one) and picks what the cells show, worded in Excel's display language.
 */
import { InputError, InputErrorCode, CellLocation } from '../engine/errors';
import { fromMinorUnits, readMoney, readNumber } from '../engine/money';
import { allocateBudget, marginalReturnPerCurrencyUnit, toMajor } from '../engine/allocation/allocate';
import type { AllocationRequest, AllocationResult, AtBound } from '../engine/allocation/allocate';
import { isSegmentLimitText, parseSegmentLimitText, SegmentLimitError, segmentShareLimits } from '../engine/allocation/segment-limits';
import type { SegmentLimitItem, SegmentLimitKind, SegmentShareLimits } from '../engine/allocation/segment-limits';
import { Locale, t } from '../i18n';
import { Argument, Cell, asColumn, asRange, asScalar, firstRowIsHeader, isBlank, isOmitted, optionalChoice, optionalNumber, requireSameLength, trimTrailingBlankRows } from './cells';
import { functionsLocale } from './locale';
import { withSourceRows } from './results';

export interface AllocateArgs {
  budget: Argument;
  weights: Argument;
  floor?: Argument;
  cap?: Argument;
  method?: Argument;
  unit?: Argument;
  reserve?: Argument;
  /** optimal: saturation spend, one amount or a column aligned with the weights. */
  saturation?: Argument;
  /** optimal: exp (default) or log. */
  response?: Argument;
  /** optimal: segment of each row, a column aligned with the weights. */
  segments?: Argument;
  /** optimal: minimum / maximum share per segment: a 3-column range or text such as "Lost<=5%;Champions>=20%". */
  segment_limits?: Argument;
  /** What each row shows: amount (default), marginal, response or bound; or summary, a label | value table of the plan. */
  output?: Argument;
}

const METHODS = ['proportional', 'equal', 'optimal'] as const;
type Method = (typeof METHODS)[number];
const RESPONSES = ['exp', 'log'] as const;
const OUTPUTS = ['amount', 'marginal', 'response', 'bound', 'summary'] as const;
type Output = (typeof OUTPUTS)[number];
/** The outputs that show one value per row. */
type RowOutput = Exclude<Output, 'summary'>;

/** Header of a per-row output when the weights have a header row (functions.allocate.header.*; English: marginal return per 1, expected response, at bound). */
function outputHeader(output: Exclude<RowOutput, 'amount'>, locale: Locale): string {
  return t(locale, `functions.allocate.header.${output}`);
}

/** The engine's floor | cap | segment as shown in a cell (functions.allocate.bound.*; English: the engine's words); blank stays blank. */
function boundLabel(atBound: AtBound, locale: Locale): string {
  return atBound ? t(locale, `functions.allocate.bound.${atBound}`) : '';
}

/** Engine names -> Excel arguments, for messages. */
const ALLOCATE_ARGUMENTS: Readonly<Record<string, string>> = {
  weight: 'weights',
  value: 'weights',
  floor: 'floor',
  cap: 'cap',
  budget: 'budget',
  reserve: 'reserve',
  unit: 'unit',
  method: 'method',
  saturation: 'saturation',
  response: 'response',
  segments: 'segments',
  'segment shares': 'segment_limits',
  'segment minimum share': 'segment_limits',
  'segment maximum share': 'segment_limits',
};

/** An error whose message comes from i18n (functions.allocate.*), in Excel's display language. */
function allocateError(code: InputErrorCode, key: string, params: Record<string, string | number>, location: CellLocation, value?: Cell): InputError {
  return new InputError(code, t(functionsLocale(), `functions.allocate.${key}`, params), location, value);
}

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
  if (weight < 0) throw new InputError('bad-number', t(functionsLocale(), 'functions.error.negativeWeight', { value: weight }), { row, column: 'weights' }, cell);
  return weight;
}

/** One saturation spend, > 0. */
function readSaturationCell(cell: Cell, row: number | undefined): number {
  const location = { ...(row !== undefined ? { row } : {}), column: 'saturation' };
  if (isBlank(cell)) throw allocateError('missing-value', row === undefined ? 'saturationRequired' : 'saturationBlank', {}, location, cell);
  const amount = readAmount(cell, location);
  if (!(amount > 0)) throw allocateError('bad-number', 'saturationPositive', { value: amount }, location, cell);
  return amount;
}

/** optimal: one saturation spend for every row, or a column aligned with the weights (every data row filled). */
function readSaturation(value: Argument, weights: readonly Cell[], dataRows: readonly number[]): number | Float64Array {
  if (isOmitted(value)) throw allocateError('missing-value', 'saturationRequired', {}, { column: 'saturation' });
  const cells = asColumn(value, 'saturation');
  if (cells.length === 1) return readSaturationCell(asScalar(cells[0], 'saturation'), undefined);
  requireSameLength([
    ['weights', weights],
    ['saturation', cells],
  ]);
  return Float64Array.from(dataRows, (i) => readSaturationCell(cells[i], i + 1));
}

/** optimal: the segment of each data row (trimmed text), or undefined when omitted. */
function readSegments(value: Argument, weights: readonly Cell[], dataRows: readonly number[]): string[] | undefined {
  if (isOmitted(value)) return undefined;
  const cells = asColumn(value, 'segments');
  requireSameLength([
    ['weights', weights],
    ['segments', cells],
  ]);
  return dataRows.map((i) => {
    if (isBlank(cells[i])) throw allocateError('missing-value', 'segmentBlank', {}, { row: i + 1, column: 'segments' }, cells[i]);
    const cell = cells[i];
    return (cell instanceof Date ? cell.toISOString().slice(0, 10) : String(cell)).trim();
  });
}

/** One segment limit as written, with where it was written (for messages). */
interface SegmentLimitEntry {
  segment: string;
  kind: SegmentLimitKind;
  share: number;
  location: CellLocation;
}

const LIMIT_ARGUMENT = 'segment_limits';

function limitLocation(row: number | undefined): CellLocation {
  return row !== undefined ? { row, column: LIMIT_ARGUMENT } : { column: LIMIT_ARGUMENT };
}

/** A share from 0 to 1 ("20%", 0.2); blank -> undefined. */
function readShare(cell: Cell, segment: string, location: CellLocation): number | undefined {
  if (isBlank(cell)) return undefined;
  const share = readNumber(cell, location);
  if (!(share >= 0 && share <= 1)) throw allocateError('bad-parameter', 'limitShare', { value: String(cell), segment }, location, cell);
  return share;
}

/** "Lost<=5%; Champions>=20%" (one or more cells), parsed by the engine; its errors worded in Excel's display language. */
function parseLimitText(text: string, row: number | undefined, entries: SegmentLimitEntry[]): void {
  const location = limitLocation(row);
  let items: SegmentLimitItem[];
  try {
    items = parseSegmentLimitText(text);
  } catch (error) {
    if (!(error instanceof SegmentLimitError)) throw error;
    const problem = error.problem;
    if (problem.reason === 'bad-share') throw allocateError('bad-parameter', 'limitShare', { value: problem.value, segment: problem.segment }, location, problem.value);
    throw allocateError('bad-parameter', 'limitText', { value: problem.reason === 'not-a-limit' ? problem.item : text }, location, text);
  }
  for (const item of items) entries.push({ ...item, location });
}

function isLimitText(cell: Cell): boolean {
  return typeof cell === 'string' && isSegmentLimitText(cell);
}

/**
 * segment_limits as written: either text cells such as "Lost<=5%;Champions>=20%" (any shape), or
 * a three-column range segment | minimum share | maximum share (blank: no limit; an optional
 * header row). Rows count from the top of the selection.
 */
function readSegmentLimits(value: Argument): SegmentLimitEntry[] {
  if (isOmitted(value)) return [];
  const range = asRange(value);
  const filled = range.flatMap((row, r) => row.map((cell) => ({ cell, r }))).filter(({ cell }) => !isBlank(cell));
  const entries: SegmentLimitEntry[] = [];
  const rowOf = (r: number) => (range.length > 1 ? r + 1 : undefined);
  if (filled.length && filled.every(({ cell }) => isLimitText(cell))) {
    for (const { cell, r } of filled) parseLimitText(String(cell), rowOf(r), entries);
    return entries;
  }
  const columns = range.reduce((widest, row) => Math.max(widest, row.length), 0);
  if (columns !== 3) {
    // One text cell that is not a limit says so; any other shape gets the two accepted forms.
    if (filled.length === 1 && typeof filled[0].cell === 'string') throw allocateError('bad-parameter', 'limitText', { value: String(filled[0].cell) }, limitLocation(rowOf(filled[0].r)), filled[0].cell);
    throw allocateError('bad-parameter', 'limitShape', { rows: range.length, columns }, { column: LIMIT_ARGUMENT });
  }
  const header = firstRowIsHeader([range.map((row) => row[1]), range.map((row) => row[2])]);
  for (let r = header ? 1 : 0; r < range.length; r++) {
    const [nameCell, minCell, maxCell] = range[r];
    const location = limitLocation(r + 1);
    if (isBlank(nameCell)) {
      if (!isBlank(minCell) || !isBlank(maxCell)) throw allocateError('bad-parameter', 'limitNoName', {}, location);
      continue;
    }
    const segment = String(nameCell).trim();
    const min = readShare(minCell, segment, location);
    const max = readShare(maxCell, segment, location);
    if (min !== undefined) entries.push({ segment, kind: 'min', share: min, location });
    if (max !== undefined) entries.push({ segment, kind: 'max', share: max, location });
  }
  return entries;
}

/** The row segment a limit names: exactly, else the one name that differs only in case. */
function segmentNamed(entry: SegmentLimitEntry, names: readonly string[]): string {
  if (names.includes(entry.segment)) return entry.segment;
  const folded = names.filter((n) => n.toLowerCase() === entry.segment.toLowerCase());
  if (folded.length === 1) return folded[0];
  throw allocateError('bad-parameter', 'limitUnknownSegment', { segment: entry.segment, segments: names.join(', ') }, entry.location);
}

/** Limits matched to the rows' segments and checked by the engine (one minimum and one maximum each, minimum not above maximum). */
function resolveSegmentLimits(entries: readonly SegmentLimitEntry[], segments: readonly string[] | undefined): SegmentShareLimits {
  if (segments === undefined) throw allocateError('missing-value', 'limitsNeedSegments', {}, { column: LIMIT_ARGUMENT });
  const names = [...new Set(segments)];
  const resolved = entries.map((entry) => ({ ...entry, segment: segmentNamed(entry, names) }));
  try {
    return segmentShareLimits(resolved);
  } catch (error) {
    if (!(error instanceof SegmentLimitError)) throw error;
    const problem = error.problem;
    if (problem.reason !== 'duplicate' && problem.reason !== 'min-above-max') throw error;
    // Point at the limit that completes the conflict: the second of a kind, or the first pairing a minimum with a maximum.
    const same = resolved.filter((e) => e.segment === problem.segment);
    const at = (problem.reason === 'duplicate' ? same.filter((e) => e.kind === problem.kind)[1] : same.find((e, k) => same.slice(0, k).some((before) => before.kind !== e.kind))) as SegmentLimitEntry;
    if (problem.reason === 'duplicate') throw allocateError('bad-parameter', 'limitDuplicate', { segment: problem.segment, kind: t(functionsLocale(), `functions.allocate.kind.${problem.kind}`) }, at.location);
    throw allocateError('bad-parameter', 'limitMinAboveMax', { segment: problem.segment, min: problem.min, max: problem.max }, at.location);
  }
}

/** The optimal method's fields of the request: saturation, response curve, segments and their limits. */
function optimalRequest(args: AllocateArgs, weights: readonly Cell[], dataRows: readonly number[], limits: readonly SegmentLimitEntry[]): Partial<AllocationRequest> {
  const saturation = readSaturation(args.saturation ?? null, weights, dataRows);
  const response = optionalChoice(args.response ?? null, 'response', RESPONSES, 'exp');
  const groups = readSegments(args.segments ?? null, weights, dataRows);
  const shares = limits.length ? resolveSegmentLimits(limits, groups) : undefined;
  return {
    saturation,
    response,
    ...(groups ? { groups } : {}),
    ...(shares && Object.keys(shares.min).length ? { groupMinShare: shares.min } : {}),
    ...(shares && Object.keys(shares.max).length ? { groupMaxShare: shares.max } : {}),
  };
}

/** The header cell: the output's name, and for amounts any budget no row could take. */
function headerOf(output: RowOutput, result: AllocationResult, locale: Locale): string {
  if (output !== 'amount') return outputHeader(output, locale);
  if (!(result.unallocatedMinor > 0)) return 'allocation';
  // Budget nobody could take is reported in the header, never dropped silently.
  const why = result.unallocatedReason === 'segment-limits' ? 'every segment is at its maximum share or its rows at their caps' : 'every row is at its cap';
  return `allocation (${toMajor(result, result.unallocatedMinor).toFixed(result.minorDigits)} unallocated: ${why})`;
}

/** What row k (among the data rows) shows. */
function valueOf(output: RowOutput, result: AllocationResult, k: number, locale: Locale): number | string {
  const optimal = result.optimal;
  if (output === 'bound') return boundLabel(result.atBound[k], locale);
  if (output === 'amount' || !optimal) return toMajor(result, result.amountsMinor[k]);
  // Per 1 of currency, so the figure does not depend on the rounding unit.
  if (output === 'marginal') return marginalReturnPerCurrencyUnit(result, k);
  return optimal.expectedResponse[k];
}

/**
 * output "summary": label | value rows of the plan, every number as the engine computed it. The
 * optimal method first gives what the next 1 of budget returns (per currency unit, whatever the
 * rounding unit), the plan's total expected response, that of a proportional split of the same
 * budget, and the gain over it as a fraction (blank when that split returns nothing); every method
 * then gives the distributable amount, the reserve and the unallocated amount (major units).
 */
function summaryRows(result: AllocationResult, locale: Locale): unknown[][] {
  const row = (key: string, value: number | string): unknown[] => [t(locale, `functions.allocate.summary.${key}`), value];
  const optimal = result.optimal;
  return [
    ...(optimal
      ? [
          row('lambda', optimal.lambdaPerCurrencyUnit),
          row('totalResponse', optimal.totalResponse),
          row('proportionalResponse', optimal.proportionalResponse),
          row('gain', optimal.gainOverProportional ?? ''),
        ]
      : []),
    row('distributable', toMajor(result, result.distributableMinor)),
    row('reserve', toMajor(result, result.reserveMinor)),
    row('unallocated', toMajor(result, result.unallocatedMinor)),
  ];
}

/**
 * CBP.ALLOCATE: one value per row aligned with the weights (blank weight rows stay blank and take no
 * budget), or with output "summary" a 2-column label | value table of the plan.
 */
export function allocateRows(given: AllocateArgs): unknown[][] {
  const [weightsArg, floor, cap, saturation, segments] = trimTrailingBlankRows([given.weights, given.floor, given.cap, given.saturation, given.segments]);
  const args: AllocateArgs = { ...given, weights: weightsArg as Argument, floor, cap, saturation, segments };
  const budget = readAmount(asScalar(isOmitted(args.budget) ? null : args.budget, 'budget'), { column: 'budget' });
  const weights = asColumn(args.weights, 'weights');
  const header = firstRowIsHeader([weights]);
  const dataRows: number[] = [];
  for (let i = header ? 1 : 0; i < weights.length; i++) if (!isBlank(weights[i])) dataRows.push(i);
  if (!dataRows.length) throw new InputError('no-data', t(functionsLocale(), 'functions.error.noWeights'), { column: 'weights' });
  const method: Method = optionalChoice(args.method ?? null, 'method', METHODS, 'proportional');
  const output = optionalChoice(args.output ?? null, 'output', OUTPUTS, 'amount');
  if ((output === 'marginal' || output === 'response') && method !== 'optimal') {
    throw allocateError('bad-parameter', 'outputNeedsOptimal', { value: output, method }, { column: 'output' });
  }
  const limits = readSegmentLimits(args.segment_limits ?? null);
  if (limits.length && method !== 'optimal') throw allocateError('bad-parameter', 'limitsNeedOptimal', {}, { column: LIMIT_ARGUMENT });
  const request: AllocationRequest = {
    budget,
    weights: Float64Array.from(dataRows, (i) => readWeight(weights[i], i + 1)),
    floor: readBound(args.floor ?? null, 'floor', weights, dataRows),
    cap: readBound(args.cap ?? null, 'cap', weights, dataRows),
    method,
    unit: optionalNumber(args.unit ?? null, 'unit', 0.01),
    reserve: optionalNumber(args.reserve ?? null, 'reserve', 0),
    // saturation, response and segments are read by the optimal method only; the others ignore them.
    ...(method === 'optimal' ? optimalRequest(args, weights, dataRows, limits) : {}),
  };
  const result = withSourceRows((row) => dataRows[row - 1] + 1, ALLOCATE_ARGUMENTS, () => allocateBudget(request));
  const locale = functionsLocale();
  if (output === 'summary') return summaryRows(result, locale);
  const out: unknown[][] = weights.map(() => ['']);
  if (header) out[0] = [headerOf(output, result, locale)];
  dataRows.forEach((row, k) => {
    out[row] = [valueOf(output, result, k, locale)];
  });
  return out;
}
