/**
 * CBP.SEGMENT: one segment name per input row. rfm8 comes from src/engine/segments.ts; abc,
 * matrix and lifecycle from src/engine/tiers.ts. No arithmetic here.
 */
import { InputError } from '../engine/errors';
import { t } from '../i18n';
import { functionsLocale } from './locale';
import { readDate } from '../engine/dates';
import { fromMinorUnits, readMoney, readNumber } from '../engine/money';
import { rfm8Segments } from '../engine/segments';
import { LIFECYCLE_ZH, MATRIX_ZH, abcClasses, lifecycleStage, profitabilityMatrix } from '../engine/tiers';
import { Argument, Cell, asColumn, firstRowIsHeader, isBlank, isOmitted, optionalChoice, optionalDate, optionalNumberList, requireSameLength, trimTrailingBlankRows } from './cells';
import { withSourceRows } from './results';

export interface SegmentArgs {
  method: Argument;
  values_1: Argument;
  values_2?: Argument;
  values_3?: Argument;
  parameters?: Argument;
  as_of?: Argument;
  language?: Argument;
}

const METHODS = ['abc', 'matrix', 'lifecycle', 'rfm8'] as const;
type Method = (typeof METHODS)[number];
type Language = 'en' | 'zh';

/** The value columns a method reads, by argument name. */
const COLUMNS_OF: Readonly<Record<Method, readonly string[]>> = {
  abc: ['values_1'],
  matrix: ['values_1', 'values_2'],
  lifecycle: ['values_1', 'values_2'],
  rfm8: ['values_1', 'values_2', 'values_3'],
};

/** How each value column of a method is read (also how a header row is told apart). */
const READERS_OF: Readonly<Record<Method, readonly ((cell: Cell) => unknown)[]>> = {
  abc: [(c) => readMoney(c)],
  matrix: [(c) => readMoney(c), (c) => readNumber(c)],
  lifecycle: [(c) => readDate(c), (c) => readDate(c)],
  rfm8: [(c) => readNumber(c), (c) => readNumber(c), (c) => readNumber(c)],
};

/** The parallel value columns of a method, checked for shape and height. */
function valueColumns(args: SegmentArgs, method: Method): Cell[][] {
  const [values_1, values_2, values_3] = trimTrailingBlankRows([args.values_1, args.values_2, args.values_3]);
  const given: Record<string, Argument | undefined> = { values_1, values_2, values_3 };
  const columns = COLUMNS_OF[method].map((name) => {
    if (isOmitted(given[name] ?? null)) throw new InputError('missing-value', t(functionsLocale(), 'functions.segment.needsColumn', { method }), { column: name });
    return asColumn(given[name] as Argument, name);
  });
  requireSameLength(columns.map((c, i) => [COLUMNS_OF[method][i], c] as const));
  return columns;
}

/** Rows that hold data: past the header, not blank in every column. */
function dataRowsOf(columns: readonly Cell[][], header: boolean): number[] {
  const rows: number[] = [];
  for (let i = header ? 1 : 0; i < columns[0].length; i++) if (!columns.every((c) => isBlank(c[i]))) rows.push(i);
  return rows;
}

function numbers(column: readonly Cell[], dataRows: readonly number[], argument: string, read: (cell: Cell, where: { row: number; column: string }) => number): Float64Array {
  return Float64Array.from(dataRows, (i) => read(column[i], { row: i + 1, column: argument }));
}

/** A value or profit: a plain number or money text such as ¥1,234.50. */
const readValue = (cell: Cell, where: { row: number; column: string }) => fromMinorUnits(readMoney(cell, where));

function rfm8Names(columns: readonly Cell[][], dataRows: readonly number[], language: Language): string[] {
  const [r, f, m] = columns.map((column, c) => numbers(column, dataRows, COLUMNS_OF.rfm8[c], readNumber));
  return rfm8Segments(r, f, m, language);
}

/** parameters: up to `count` numbers (a range or text "80%,95%"); missing ones take the engine default. */
function readParameters(value: Argument, count: number, method: Method): (number | undefined)[] {
  const list = optionalNumberList(value ?? null, 'parameters') ?? [];
  if (list.length > count) throw new InputError('bad-parameter', t(functionsLocale(), 'functions.segment.tooManyParameters', { method, count, given: list.length }), { column: 'parameters' });
  return Array.from({ length: count }, (_, i) => list[i]);
}

function abcNames(columns: readonly Cell[][], dataRows: readonly number[], parameters: Argument): string[] {
  const [a, b] = readParameters(parameters, 2, 'abc');
  const values = numbers(columns[0], dataRows, 'values_1', readValue);
  return withSourceRows((row) => dataRows[row - 1] + 1, { 'ABC thresholds': 'parameters', 'ABC values': 'values_1' }, () => abcClasses(values, a ?? 0.8, b ?? 0.95));
}

function matrixNames(columns: readonly Cell[][], dataRows: readonly number[], parameters: Argument, language: Language): string[] {
  const [profitCut, relationshipCut] = readParameters(parameters, 2, 'matrix');
  const profit = numbers(columns[0], dataRows, 'values_1', readValue);
  const relationship = numbers(columns[1], dataRows, 'values_2', readNumber);
  const quadrants = profitabilityMatrix(profit, relationship, { profit: profitCut, relationship: relationshipCut });
  return language === 'zh' ? quadrants.map((q) => MATRIX_ZH[q]) : quadrants;
}

function lifecycleNames(columns: readonly Cell[][], dataRows: readonly number[], parameters: Argument, asOfArgument: Argument, language: Language): string[] {
  const [newDays, declineDays, growthDays] = readParameters(parameters, 3, 'lifecycle');
  const first = numbers(columns[0], dataRows, 'values_1', readDate);
  const last = numbers(columns[1], dataRows, 'values_2', readDate);
  dataRows.forEach((row, k) => {
    if (last[k] < first[k]) throw new InputError('bad-parameter', t(functionsLocale(), 'functions.segment.lastBeforeFirst'), { row: row + 1, column: 'values_2' });
  });
  // Default as-of: the latest last purchase, so stages do not drift with today's date.
  const asOf = optionalDate(asOfArgument ?? null, 'as_of') ?? last.reduce((latest, day) => Math.max(latest, day), -Infinity);
  const stages = Array.from(first, (firstDay, k) => lifecycleStage(firstDay, last[k], asOf, { newDays, declineDays, growthDays }));
  return language === 'zh' ? stages.map((s) => LIFECYCLE_ZH[s]) : stages;
}

/** CBP.SEGMENT: names aligned with the input; blank rows stay blank, a header row gets the header "segment". */
export function segmentRows(args: SegmentArgs): unknown[][] {
  if (isOmitted(args.method)) throw new InputError('missing-value', t(functionsLocale(), 'functions.error.chooseOne', { choices: METHODS.join(', ') }), { column: 'method' });
  const method = optionalChoice(args.method, 'method', METHODS, 'rfm8');
  const language = optionalChoice(args.language ?? null, 'language', ['en', 'zh'] as const, 'en');
  const columns = valueColumns(args, method);
  const header = firstRowIsHeader(columns, READERS_OF[method]);
  const dataRows = dataRowsOf(columns, header);
  if (!dataRows.length) throw new InputError('no-data', t(functionsLocale(), 'functions.segment.noValues'), { column: 'values_1' });
  const parameters = args.parameters ?? null;
  const names =
    method === 'rfm8'
      ? rfm8Names(columns, dataRows, language)
      : method === 'abc'
        ? abcNames(columns, dataRows, parameters)
        : method === 'matrix'
          ? matrixNames(columns, dataRows, parameters, language)
          : lifecycleNames(columns, dataRows, parameters, args.as_of ?? null, language);
  const out: unknown[][] = columns[0].map(() => ['']);
  if (header) out[0] = ['segment'];
  dataRows.forEach((row, k) => {
    out[row] = [names[k]];
  });
  return out;
}
