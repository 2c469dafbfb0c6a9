/** `cbp allocate`: split a budget across the rows of a table, exactly. */
import { basename, extname } from 'node:path';
import { InputError } from '../../engine/errors';
import { allocateBudget, AllocationMethod, AllocationResult, toMajor } from '../../engine/allocation/allocate';
import { analyseScenarios, ScenarioAnalysis } from '../../engine/allocation/scenarios';
import type { BudgetInput, RowValues } from '../../engine/allocation/budget';
import { ReplanBounds, replanBounds, spendToDate } from '../../engine/allocation/replan';
import { readActualRows } from '../../runs/plan-table';
import { buildScenarioWorkbook } from '../../workbook/scenario-sheet';
import { unitDigits } from '../../workbook/plan-sheet';
import { buildAllocationWorkbook } from '../../workbook/allocation-sheet';
import { WorkbookSpec } from '../../workbook/spec';
import { CliIo, Command, UsageError } from '../io';
import { formatCsvLine } from '../csv';
import { assertNotInput, emit, reportReplan, writeThroughTemporary } from '../output';
import { VERSION } from '../version';
import { choiceOption, CommandSpec, formatHelp, namedNumbersOption, numberListOption, numberOption, numberText, oneInput, OUTPUT_OPTIONS, parseCommandArgs, ParsedOptions, stringOption } from '../options';
import { findColumn, findOptionalColumn, InputColumns, numberColumn, plainCell, readInputColumns, readInputTable, fileOptions } from '../read-input';

const SPEC: CommandSpec = {
  name: 'allocate',
  usage: 'cbp allocate TABLE.(csv|xlsx) --budget B [options]',
  summary: [
    'Splits a budget across the rows of a table (one row per customer). The distributable amount',
    'D = budget x (1 - reserve), rounded down to the unit, is split so that every amount is a multiple',
    'of the unit, floors and caps hold, and the amounts add up to D exactly (largest remainder rounding).',
    'Output: the input columns, then allocation, share (of D) and at_bound (floor, cap, segment when',
    'the row\'s segment is held at a share limit, or empty); with --spent also spent_to_date and',
    'still_to_spend, and a "replan" block in the JSON summary.',
    'The distributable amount, reserve and any unallocated remainder go to standard error (CSV) or',
    'to "summary" (--format json). --out FILE.xlsx writes the same as a workbook: a summary (with, for',
    'optimal, what the next 1 of budget returns and the gain over a proportional split) and a table.',
    'Optimal rows gain marginal_return (the response of the next rounding unit, --unit, at the row\'s',
    'amount) and expected_response; lambda in the summary is the same per rounding unit, and',
    'lambda_per_currency_unit per 1 of the currency.',
    '',
    'Scenarios (--scenarios 0.9,1,1.1): the same plan at each multiple of the budget, side by side per',
    'segment (--segment-column or --group-column, else a segment / 细分 column when there is one), with',
    'rows reserve_and_unallocated, allocated and budget and, for --method optimal, total_response,',
    'proportional_response, response_gain (optimal minus proportional) and lambda_per_currency_unit',
    '(the marginal return of the next currency unit). --format json gives the same as an object, with',
    'the response-versus-budget curve (optimal). --out FILE.xlsx writes a workbook with a Scenarios',
    'sheet: the table with totals and, for optimal, the curve at the multipliers plus 11 even steps',
    'from the smallest to the largest, as a table (cbp cannot write Excel charts).',
  ].join('\n'),
  options: [
    { name: 'budget', type: 'string', value: 'B', help: 'total budget, e.g. 500000 (required)' },
    { name: 'weight-column', type: 'string', value: 'NAME', help: 'column of weights (default: score / weight / clv / 权重 / 得分)' },
    { name: 'method', type: 'string', value: 'M', help: 'proportional (default), equal, shares or optimal' },
    { name: 'value-column', type: 'string', value: 'NAME', help: 'optimal: value at stake per row (default: the weight column)' },
    { name: 'saturation', type: 'string', value: 'N|COLUMN', help: 'optimal: saturation spend, a number for every row or a column name' },
    { name: 'saturation-column', type: 'string', value: 'NAME', help: 'optimal: saturation spend column' },
    { name: 'response', type: 'string', value: 'exp|log', help: 'optimal: response curve v(1 - e^(-x/s)) (default) or v ln(1 + x/s)' },
    { name: 'segment-column', type: 'string', value: 'NAME', help: 'optimal: segment column for share limits' },
    { name: 'segment-min-share', type: 'string', value: 'S=F,...', help: 'optimal: minimum share of D per segment, e.g. Champions=0.2' },
    { name: 'segment-max-share', type: 'string', value: 'S=F,...', help: 'optimal: maximum share of D per segment, e.g. Lost=0.05' },
    { name: 'floor', type: 'string', value: 'N|COLUMN', help: 'minimum per row: a number for every row, or a column name' },
    { name: 'cap', type: 'string', value: 'N|COLUMN', help: 'maximum per row: a number, or a column name' },
    { name: 'reserve', type: 'string', value: 'FRACTION', help: 'share held back as a contingency reserve, 0 <= r < 1 (default 0)' },
    { name: 'unit', type: 'string', value: 'U', help: 'rounding unit: 0.01 (default), 1, 100, 1000 ...' },
    { name: 'group-column', type: 'string', value: 'NAME', help: 'group (segment) column for --method shares (default: segment / 细分)' },
    { name: 'shares', type: 'string', value: 'G=S,...', help: 'share of D per group for --method shares, e.g. Champions=0.5,Others=0.5' },
    { name: 'within', type: 'string', value: 'proportional|equal', help: 'how a group budget is split inside the group (default proportional)' },
    { name: 'scenarios', type: 'string', value: 'M1,M2,..', help: 'instead of rows: the plan per segment at these multiples of the budget, e.g. 0.9,1,1.1' },
    { name: 'lang', type: 'string', value: 'en|zh-CN', help: 'language of the .xlsx sheets (--out FILE.xlsx; default en)' },
    { name: 'spent', type: 'string', value: 'FILE', help: 're-plan mid-year: actual spend to date per customer (customer, actual columns) becomes each customer\'s floor' },
    { name: 'customer-column', type: 'string', value: 'NAME', help: 'customer column, for messages (default: recognised)' },
    ...OUTPUT_OPTIONS.filter((o) => o.name !== 'date-order'),
  ],
  examples: [
    'cbp segment clv.csv --scheme abc --value-column clv --out tiers.csv   (adds an ABC tier column to the CLV table)',
    'cbp allocate tiers.csv --method optimal --budget 500000 --value-column clv --saturation 2000 --segment-column tier --segment-min-share C=10% --segment-max-share A=60%',
    'cbp allocate scores.csv --budget 500000 --weight-column score --floor 100 --cap 20000 --reserve 0.05 --unit 1',
    'cbp allocate scores.csv --budget 500000 --method shares --group-column segment --shares "Champions=0.4,Loyal Customers=0.3,Others=0.3"',
    'cbp allocate tiers.csv --method optimal --budget 500000 --value-column clv --saturation 2000 --segment-column tier --scenarios 0.9,1,1.1 --out scenarios.xlsx',
  ],
};

const WEIGHT_HEADERS = ['weight', 'score', 'clv', '权重', '得分', '评分', 'value'];
const GROUP_HEADERS = ['segment', 'group', 'tier', '细分', '分层', '客户分层', '分组'];



/** --floor 100 or --floor min_budget (also cbp sql allocate --check) */
export function boundOption(values: ParsedOptions, name: 'floor' | 'cap' | 'saturation', table: InputColumns): number | Float64Array | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  const n = numberText(text);
  if (n !== undefined) return n;
  return numberColumn(table, findColumn(table, text, [], name, `--${name}`), NaN);
}

/** A --floor / --cap as given, for the record: the amount, or the name of the column. */
function boundText(values: ParsedOptions, name: 'floor' | 'cap'): number | string | undefined {
  const text = stringOption(values, name);
  return text === undefined ? undefined : (numberText(text) ?? text);
}

export function allocationSummary(result: AllocationResult) {
  const major = (minor: number) => toMajor(result, minor);
  const o = result.optimal;
  return {
    ...(o ? { lambda: o.lambdaPerUnit, lambda_per_currency_unit: o.lambdaPerCurrencyUnit, total_response: o.totalResponse, proportional_response: o.proportionalResponse, segment_limits: o.segmentLimits } : {}),
    method: result.method,
    budget: major(result.budgetMinor),
    distributable: major(result.distributableMinor),
    reserve: major(result.reserveMinor),
    unallocated: major(result.unallocatedMinor),
    allocated: major(result.distributableMinor - result.unallocatedMinor),
    unit: major(result.unitMinor),
  };
}

function reportSummary(result: AllocationResult, io: CliIo): void {
  const s = allocationSummary(result);
  io.stderr(`budget ${s.budget}, reserve ${s.reserve}, distributable ${s.distributable}, allocated ${s.allocated}, unallocated ${s.unallocated} (added to the reserve)\n`);
  const o = result.optimal;
  if (o) io.stderr(`optimal: the next ${s.unit} of budget returns ${o.lambdaPerUnit.toPrecision(4)}; total expected response ${o.totalResponse.toFixed(2)} vs ${o.proportionalResponse.toFixed(2)} for a proportional split (${o.gainOverProportional === undefined ? 'no proportional response to compare' : `+${(o.gainOverProportional * 100).toFixed(1)} %`})\n`);
}

function groupColumn(table: InputColumns, index: number): string[] {
  return table.columns[index].map((g) => String(g ?? '').trim());
}

/**
 * Scenarios are shown per segment whatever the method: the --segment-column or --group-column
 * named, else a recognised segment column when there is one (proportional and equal ignore it).
 */
function scenarioGroups(table: InputColumns, values: ParsedOptions): string[] | undefined {
  const named = stringOption(values, 'segment-column') ?? stringOption(values, 'group-column');
  if (named !== undefined) return groupColumn(table, findColumn(table, named, [], 'segment', stringOption(values, 'segment-column') !== undefined ? '--segment-column' : '--group-column'));
  const found = findOptionalColumn(table, undefined, GROUP_HEADERS);
  return found >= 0 ? groupColumn(table, found) : undefined;
}

/** Up to 8 significant digits, as a plain number. */
function precise(value: number | undefined): number | null {
  return value === undefined || !Number.isFinite(value) ? null : Number(value.toPrecision(8));
}

/** Rows of the scenario table: one per segment, then the totals; optimal adds the response rows. */
function scenarioRows(a: ScenarioAnalysis): { label: string; values: (number | null)[] }[] {
  const major = (minor: number) => toMajor(a, minor);
  const rows: { label: string; values: (number | null)[] }[] = a.groups.map((g) => ({ label: g.group || (a.grouped ? '' : 'all'), values: a.scenarios.map((s) => major(s.byGroup.get(g.group) ?? 0)) }));
  rows.push(
    { label: 'reserve_and_unallocated', values: a.scenarios.map((s) => major(s.heldBackMinor)) },
    { label: 'allocated', values: a.scenarios.map((s) => major(s.allocatedMinor)) },
    { label: 'budget', values: a.scenarios.map((s) => major(s.result.budgetMinor)) },
  );
  if (a.method === 'optimal') {
    rows.push(
      { label: 'total_response', values: a.scenarios.map((s) => (s.totalResponse === undefined ? null : Number(s.totalResponse.toFixed(4)))) },
      { label: 'proportional_response', values: a.scenarios.map((s) => (s.proportionalResponse === undefined ? null : Number(s.proportionalResponse.toFixed(4)))) },
      { label: 'response_gain', values: a.scenarios.map((s) => (s.responseGain === undefined ? null : Number(s.responseGain.toFixed(4)))) },
      { label: 'lambda_per_currency_unit', values: a.scenarios.map((s) => precise(s.lambdaPerCurrencyUnit)) },
    );
  }
  return rows;
}

function scenariosCsv(a: ScenarioAnalysis): string {
  const header = ['segment', ...a.scenarios.map((s) => `budget_${s.multiplier}`)];
  return [formatCsvLine(header), ...scenarioRows(a).map((r) => formatCsvLine([r.label, ...r.values]))].join('\n') + '\n';
}

function scenariosJson(a: ScenarioAnalysis): string {
  const major = (minor: number) => toMajor(a, minor);
  const optimal = a.method === 'optimal';
  const response = (value: number | undefined) => (value === undefined ? null : Number(value.toFixed(4)));
  return (
    JSON.stringify(
      {
        method: a.method,
        base_budget: a.baseBudget,
        unit: major(a.unitMinor),
        multipliers: a.scenarios.map((s) => s.multiplier),
        scenarios: a.scenarios.map((s) => ({
          multiplier: s.multiplier,
          budget: major(s.result.budgetMinor),
          distributable: major(s.result.distributableMinor),
          allocated: major(s.allocatedMinor),
          reserve: major(s.result.reserveMinor),
          unallocated: major(s.result.unallocatedMinor),
          reserve_and_unallocated: major(s.heldBackMinor),
          ...(optimal
            ? { total_response: response(s.totalResponse), proportional_response: response(s.proportionalResponse), response_gain: response(s.responseGain), lambda_per_currency_unit: precise(s.lambdaPerCurrencyUnit) }
            : {}),
        })),
        segments: a.groups.map((g) => ({ segment: g.group || (a.grouped ? '' : 'all'), customers: g.customers, allocation: a.scenarios.map((s) => major(s.byGroup.get(g.group) ?? 0)) })),
        ...(optimal
          ? {
              curve: a.curve.map((p) => ({
                multiplier: p.multiplier,
                budget: p.budget,
                allocated: major(p.allocatedMinor),
                total_response: response(p.totalResponse),
                proportional_response: response(p.proportionalResponse),
                response_gain: response(p.responseGain),
                marginal_return: precise(p.marginalReturn),
                incremental_return: precise(p.incrementalReturn),
                scenario: p.isScenario,
              })),
            }
          : {}),
      },
      null,
      2,
    ) + '\n'
  );
}

/** Writes a workbook spec to a new .xlsx file, atomically, never over the input. */
async function writeWorkbook(spec: WorkbookSpec, out: string, inputs: readonly string[], io: CliIo): Promise<void> {
  assertNotInput(out, inputs, io.cwd);
  // ExcelJS is loaded only when a workbook is written, as for .xlsx input.
  const [{ default: ExcelJS }, { writeSpecToWorkbook }] = await Promise.all([import('exceljs'), import('../../hosts/xlsx/write')]);
  const workbook = new ExcelJS.Workbook();
  await writeSpecToWorkbook(workbook, spec);
  await writeThroughTemporary(out, io.cwd, (temp) => workbook.xlsx.writeFile(temp));
}

/** Re-plan floors and caps from actual spend to date (customer and actual columns; a date column is optional). */
async function replanFromSpend(path: string, table: InputColumns, customerColumn: string | undefined, request: BudgetInput & { floor?: RowValues; cap?: RowValues }, io: CliIo): Promise<ReplanBounds> {
  const spent = spendToDate(readActualRows(await readInputTable(path, { cwd: io.cwd, stderr: io.stderr }), 'customer', path, 'en', { dates: 'optional' }));
  const customerAt = findColumn(table, customerColumn, ['customer', '客户', 'customer_id', 'client'], 'customer', '--customer-column');
  const bounds = replanBounds(table.columns[customerAt].map((c) => String(c ?? '').trim()), spent.byCustomer, request);
  reportReplan(io, bounds.replan, request.minorDigits ?? 2, 'the table');
  return bounds;
}

export const allocateCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs(SPEC, argv);
  if (values.help) {
    io.stdout(formatHelp(SPEC));
    return 0;
  }
  const input = oneInput(SPEC, positionals);
  const budget = numberOption(values, 'budget');
  if (budget === undefined) throw new UsageError("--budget is required, e.g. --budget 500000; see 'cbp allocate --help'");
  const method = choiceOption(values, 'method', ['proportional', 'equal', 'shares', 'optimal'] as const, 'proportional') as AllocationMethod;
  const format = choiceOption(values, 'format', ['csv', 'json'] as const, 'csv');
  const table = await readInputColumns(input, fileOptions(values, io));
  if (table.rowCount === 0) throw new InputError('no-data', `${input} has no data rows under its header`);
  const valueName = method === 'optimal' ? (stringOption(values, 'value-column') ?? stringOption(values, 'weight-column')) : stringOption(values, 'weight-column');
  const weightIndex = method === 'equal' && stringOption(values, 'weight-column') === undefined ? -1 : findColumn(table, valueName, WEIGHT_HEADERS, 'weight', method === 'optimal' ? '--value-column' : '--weight-column');
  const weights = weightIndex < 0 ? new Float64Array(table.rowCount).fill(1) : numberColumn(table, weightIndex);
  const groupOption = method === 'optimal' ? stringOption(values, 'segment-column') : stringOption(values, 'group-column');
  const needsGroups = method === 'shares' || (method === 'optimal' && (groupOption !== undefined || values['segment-min-share'] !== undefined || values['segment-max-share'] !== undefined));
  const multipliers = numberListOption(values, 'scenarios');
  const groups = needsGroups ? groupColumn(table, findColumn(table, groupOption, GROUP_HEADERS, 'group', method === 'optimal' ? '--segment-column' : '--group-column')) : multipliers ? scenarioGroups(table, values) : undefined;
  const minShares = namedNumbersOption(values, 'segment-min-share');
  const maxShares = namedNumbersOption(values, 'segment-max-share');
  const saturationColumn = stringOption(values, 'saturation-column');
  // A saturation column comes from --saturation-column, or from --saturation when it names a column rather than a number.
  const saturationText = stringOption(values, 'saturation');
  const saturationName = saturationColumn ?? (saturationText !== undefined && numberText(saturationText) === undefined ? saturationText : undefined);
  const saturationIndex = saturationName !== undefined ? findColumn(table, saturationName, [], 'saturation', saturationColumn !== undefined ? '--saturation-column' : '--saturation') : -1;
  const saturation = saturationIndex >= 0 ? numberColumn(table, saturationIndex) : boundOption(values, 'saturation', table);
  const shares = namedNumbersOption(values, 'shares');
  const spentFile = stringOption(values, 'spent');
  const out = stringOption(values, 'out');
  const inputs = spentFile === undefined ? [input] : [input, spentFile];
  if (out !== undefined) assertNotInput(out, inputs, io.cwd); // before any work
  const budgetInput = { budget, reserve: numberOption(values, 'reserve'), unit: numberOption(values, 'unit'), floor: boundOption(values, 'floor', table), cap: boundOption(values, 'cap', table) };
  const replan = spentFile ? await replanFromSpend(spentFile, table, stringOption(values, 'customer-column'), budgetInput, io) : undefined;
  const request = {
    ...budgetInput,
    weights,
    floor: replan?.floors ?? budgetInput.floor,
    cap: replan?.caps ?? budgetInput.cap,
    method,
    groups,
    groupShares: shares ? Object.fromEntries(shares) : undefined,
    withinGroup: choiceOption(values, 'within', ['proportional', 'equal'] as const, 'proportional'),
    saturation,
    response: choiceOption(values, 'response', ['exp', 'log'] as const, 'exp'),
    groupMinShare: minShares ? Object.fromEntries(minShares) : undefined,
    groupMaxShare: maxShares ? Object.fromEntries(maxShares) : undefined,
    firstRow: 2,
    columnNames: { weight: weightIndex >= 0 ? String(table.header[weightIndex]) : undefined, saturation: saturationIndex >= 0 ? String(table.header[saturationIndex]) : undefined },
  };
  const toXlsx = out !== undefined && extname(out).toLowerCase() === '.xlsx';
  if (toXlsx && values.format !== undefined) throw new UsageError(`--format does not apply to an .xlsx --out (${out}): the workbook holds the allocation (or, with --scenarios, the Scenarios sheet)`);
  if (multipliers) {
    const analysis = analyseScenarios(request, multipliers, { curve: toXlsx || format === 'json' });
    if (toXlsx && out !== undefined) {
      const locale = choiceOption(values, 'lang', ['en', 'zh-CN'] as const, 'en');
      const spec = buildScenarioWorkbook(
        {
          analysis,
          reserve: request.reserve ?? 0,
          saturation: saturationName ?? (typeof saturation === 'number' ? saturation : undefined),
          response: request.response,
          segmentMinShare: request.groupMinShare,
          segmentMaxShare: request.groupMaxShare,
          segmentShares: request.groupShares,
          floor: boundText(values, 'floor'),
          cap: boundText(values, 'cap'),
          spentToDate: replan && { customers: replan.replan.customersWithSpend, spentMinor: replan.replan.spentMinor },
        },
        { locale, existingSheetNames: [], existingTableNames: [], writtenAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), productVersion: VERSION, source: basename(input) },
      );
      await writeWorkbook(spec, out, inputs, io);
      io.stderr(`wrote ${out}: ${analysis.groups.length} segments at ${analysis.scenarios.length} budgets${analysis.curve.length ? `, response curve at ${analysis.curve.length} budgets` : ''}\n`);
    } else {
      await emit(format === 'json' ? scenariosJson(analysis) : scenariosCsv(analysis), out, inputs, io);
    }
    return 0;
  }
  const result = allocateBudget(request);
  if (toXlsx && out !== undefined) {
    const locale = choiceOption(values, 'lang', ['en', 'zh-CN'] as const, 'en');
    const rows = Array.from({ length: table.rowCount }, (_, r) => table.columns.map((c) => plainCell(c[r]) ?? null));
    const spec = buildAllocationWorkbook(
      { result, header: table.header.map(String), rows },
      { locale, existingSheetNames: [], existingTableNames: [], writtenAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), productVersion: VERSION, source: basename(input) },
    );
    await writeWorkbook(spec, out, inputs, io);
    reportSummary(result, io);
    return 0;
  }
  const digits = unitDigits(result.unitMinor, result.minorDigits);
  const o = result.optimal;
  const header = [...table.header.map(String), 'allocation', 'share', 'at_bound', ...(o ? ['marginal_return', 'expected_response'] : []), ...(replan ? ['spent_to_date', 'still_to_spend'] : [])];
  const money = (minor: number) => Number(toMajor(result, minor).toFixed(result.minorDigits));
  const rowCells = (r: number) => [
    ...table.columns.map((c) => plainCell(c[r])),
    Number(toMajor(result, result.amountsMinor[r]).toFixed(digits)),
    Math.round(result.shares[r] * 1e9) / 1e9,
    result.atBound[r],
    ...(o ? [Number(o.marginalReturn[r].toPrecision(8)), Number(o.expectedResponse[r].toPrecision(10))] : []),
    ...(replan ? [money(replan.spentMinor[r]), money(Math.max(0, result.amountsMinor[r] - replan.spentMinor[r]))] : []),
  ];
  let text: string;
  if (format === 'json') {
    const rows = Array.from({ length: table.rowCount }, (_, r) => Object.fromEntries(header.map((h, k) => [h, rowCells(r)[k]])));
    const summary = { ...allocationSummary(result), ...(replan ? { replan: { customers_with_spend: replan.replan.customersWithSpend, spent_to_date: money(replan.replan.spentMinor), not_in_table: replan.replan.notInPlan } } : {}) };
    text = JSON.stringify({ summary, rows }, null, 2) + '\n';
  } else {
    const lines = [formatCsvLine(header)];
    for (let r = 0; r < table.rowCount; r++) lines.push(formatCsvLine(rowCells(r)));
    text = lines.join('\n') + '\n';
  }
  await emit(text, out, inputs, io);
  if (format === 'csv') reportSummary(result, io);
  return 0;
};
