/** `cbp allocate`: split a budget across the rows of a table, exactly. */
import { InputError } from '../../engine/errors';
import { allocateBudget, AllocationMethod, AllocationResult } from '../../engine/allocation/allocate';
import { allocateScenarios } from '../../engine/allocation/scenarios';
import { readMoney } from '../../engine/money';
import { CliIo, Command, UsageError } from '../io';
import { formatCsvLine } from '../csv';
import { emit } from '../output';
import { choiceOption, CommandSpec, formatHelp, namedNumbersOption, numberListOption, numberOption, oneInput, OUTPUT_OPTIONS, parseCommandArgs, ParsedOptions, stringOption } from '../options';
import { findColumn, InputColumns, numberColumn, plainCell, readInputColumns } from '../read-input';

const SPEC: CommandSpec = {
  name: 'allocate',
  usage: 'cbp allocate TABLE.(csv|xlsx) --budget B [options]',
  summary: [
    'Splits a budget across the rows of a table (one row per customer). The distributable amount',
    'D = budget x (1 - reserve), rounded down to the unit, is split so that every amount is a multiple',
    'of the unit, floors and caps hold, and the amounts add up to D exactly (largest remainder rounding).',
    'Output: the input columns, then allocation, share (of D) and at_bound (floor, cap or empty).',
    'The distributable amount, reserve and any unallocated remainder go to standard error (CSV) or',
    'to "summary" (--format json).',
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
    { name: 'scenarios', type: 'string', value: 'M1,M2,..', help: 'instead of rows: the allocation per segment at these budget multipliers, e.g. 0.9,1,1.1, with the total response' },
    { name: 'spent', type: 'string', value: 'FILE', help: 're-plan mid-year: actual spend to date per customer (customer, actual columns) becomes each customer\'s floor' },
    { name: 'customer-column', type: 'string', value: 'NAME', help: 'customer column, for messages (default: recognised)' },
    ...OUTPUT_OPTIONS.filter((o) => o.name !== 'date-order'),
  ],
  examples: [
    'cbp allocate clv.csv --method optimal --budget 500000 --value-column clv --saturation 2000 --segment-column segment --segment-max-share Lost=0.05',
    'cbp allocate scores.csv --budget 500000 --weight-column score --floor 100 --cap 20000 --reserve 0.05 --unit 1',
    'cbp allocate scores.csv --budget 500000 --method shares --group-column segment --shares "Champions=0.4,Loyal Customers=0.3,Others=0.3"',
  ],
};

const WEIGHT_HEADERS = ['weight', 'score', 'clv', '权重', '得分', '评分', 'value'];
const GROUP_HEADERS = ['segment', 'group', 'tier', '细分', '分层', '客户分层', '分组'];



/** --floor 100 or --floor min_budget */
function boundOption(values: ParsedOptions, name: 'floor' | 'cap' | 'saturation', table: InputColumns): number | Float64Array | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  const n = Number(text.replace(/,/g, ''));
  if (text.trim() !== '' && Number.isFinite(n)) return n;
  return numberColumn(table, findColumn(table, text, [], name, `--${name}`), NaN);
}


function amountDigits(result: AllocationResult): number {
  return result.unitMinor % 100 === 0 ? 0 : result.unitMinor % 10 === 0 ? 1 : 2;
}

export function allocationSummary(result: AllocationResult) {
  const major = (minor: number) => minor / 100;
  const o = result.optimal;
  return {
    ...(o ? { lambda: o.lambdaPerUnit, total_response: o.totalResponse, proportional_response: o.proportionalResponse, segment_limits: o.segmentLimits } : {}),
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
  if (o) io.stderr(`optimal: the next ${s.unit} of budget returns ${o.lambdaPerUnit.toPrecision(4)}; total expected response ${o.totalResponse.toFixed(2)} vs ${o.proportionalResponse.toFixed(2)} for a proportional split (+${((o.totalResponse / o.proportionalResponse - 1) * 100).toFixed(1)} %)\n`);
}

/** Floors from actual spend to date: each customer's floor is at least what it has already had. */
async function floorsFromSpend(path: string, table: InputColumns, floor: number | Float64Array | undefined, cwd: string): Promise<Float64Array> {
  const spend = await readInputColumns(path, { cwd });
  const customerAt = findColumn(spend, undefined, ['customer', '客户', 'customer_id', 'client'], 'customer', 'a customer column in --spent');
  const amountAt = findColumn(spend, undefined, ['actual', 'spend', 'amount', '实际', '实际支出', '金额'], 'actual spend', 'an actual column in --spent');
  const spentByCustomer = new Map<string, number>();
  spend.columns[customerAt].forEach((c, r) => {
    const key = String(c ?? '').trim();
    if (key) spentByCustomer.set(key, (spentByCustomer.get(key) ?? 0) + readMoney(spend.columns[amountAt][r], { row: r + 2, column: String(spend.header[amountAt]) }));
  });
  const customers = table.columns[findColumn(table, undefined, ['customer', '客户', 'customer_id', 'client'], 'customer', '--customer-column')];
  return Float64Array.from(customers, (c, r) => Math.max(typeof floor === 'number' ? floor : floor ? floor[r] || 0 : 0, (spentByCustomer.get(String(c ?? '').trim()) ?? 0) / 100));
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
  const table = await readInputColumns(input, { sheet: stringOption(values, 'sheet'), cwd: io.cwd });
  if (table.rowCount === 0) throw new InputError('no-data', `${input} has no data rows under its header`);
  const valueName = method === 'optimal' ? (stringOption(values, 'value-column') ?? stringOption(values, 'weight-column')) : stringOption(values, 'weight-column');
  const weightIndex = method === 'equal' && stringOption(values, 'weight-column') === undefined ? -1 : findColumn(table, valueName, WEIGHT_HEADERS, 'weight', method === 'optimal' ? '--value-column' : '--weight-column');
  const weights = weightIndex < 0 ? new Float64Array(table.rowCount).fill(1) : numberColumn(table, weightIndex);
  const groupOption = method === 'optimal' ? stringOption(values, 'segment-column') : stringOption(values, 'group-column');
  const needsGroups = method === 'shares' || (method === 'optimal' && (groupOption !== undefined || values['segment-min-share'] !== undefined || values['segment-max-share'] !== undefined));
  const groups = needsGroups ? table.columns[findColumn(table, groupOption, GROUP_HEADERS, 'group', method === 'optimal' ? '--segment-column' : '--group-column')].map((g) => String(g ?? '').trim()) : undefined;
  const minShares = namedNumbersOption(values, 'segment-min-share');
  const maxShares = namedNumbersOption(values, 'segment-max-share');
  const saturationColumn = stringOption(values, 'saturation-column');
  const saturation = saturationColumn !== undefined ? numberColumn(table, findColumn(table, saturationColumn, [], 'saturation', '--saturation-column')) : boundOption(values, 'saturation', table);
  const shares = namedNumbersOption(values, 'shares');
  const spentFile = stringOption(values, 'spent');
  const floor = spentFile ? await floorsFromSpend(spentFile, table, boundOption(values, 'floor', table), io.cwd) : boundOption(values, 'floor', table);
  const request = {
    budget,
    weights,
    floor,
    cap: boundOption(values, 'cap', table),
    reserve: numberOption(values, 'reserve'),
    unit: numberOption(values, 'unit'),
    method,
    groups,
    groupShares: shares ? Object.fromEntries(shares) : undefined,
    withinGroup: choiceOption(values, 'within', ['proportional', 'equal'] as const, 'proportional'),
    saturation,
    response: choiceOption(values, 'response', ['exp', 'log'] as const, 'exp'),
    groupMinShare: minShares ? Object.fromEntries(minShares) : undefined,
    groupMaxShare: maxShares ? Object.fromEntries(maxShares) : undefined,
    firstRow: 2,
  };
  const multipliers = numberListOption(values, 'scenarios');
  if (multipliers) {
    const scenarios = allocateScenarios(request, multipliers);
    const groupNames = [...scenarios[0].byGroup.keys()];
    const header = ['segment', ...scenarios.map((s) => `budget_${s.multiplier}`)];
    const rows = [
      ...groupNames.map((g) => [g || 'all', ...scenarios.map((s) => (s.byGroup.get(g) ?? 0) / 100)]),
      ['reserve_and_unallocated', ...scenarios.map((s) => (s.result.reserveMinor + s.result.unallocatedMinor) / 100)],
      ['budget', ...scenarios.map((s) => s.budget)],
      ...(scenarios[0].totalResponse !== undefined ? [['total_response', ...scenarios.map((s) => Number((s.totalResponse ?? 0).toFixed(4)))]] : []),
    ];
    await emit([formatCsvLine(header), ...rows.map(formatCsvLine)].join('\n') + '\n', stringOption(values, 'out'), [input], io);
    return 0;
  }
  const result = allocateBudget(request);
  const digits = amountDigits(result);
  const o = result.optimal;
  const header = [...table.header.map(String), 'allocation', 'share', 'at_bound', ...(o ? ['marginal_return', 'expected_response'] : [])];
  const rowCells = (r: number) => [
    ...table.columns.map((c) => plainCell(c[r])),
    Number((result.amountsMinor[r] / 100).toFixed(digits)),
    Math.round(result.shares[r] * 1e9) / 1e9,
    result.atBound[r],
    ...(o ? [Number(o.marginalReturn[r].toPrecision(8)), Number(o.expectedResponse[r].toPrecision(10))] : []),
  ];
  let text: string;
  if (format === 'json') {
    const rows = Array.from({ length: table.rowCount }, (_, r) => Object.fromEntries(header.map((h, k) => [h, rowCells(r)[k]])));
    text = JSON.stringify({ summary: allocationSummary(result), rows }, null, 2) + '\n';
  } else {
    const lines = [formatCsvLine(header)];
    for (let r = 0; r < table.rowCount; r++) lines.push(formatCsvLine(rowCells(r)));
    text = lines.join('\n') + '\n';
  }
  await emit(text, stringOption(values, 'out'), [input], io);
  if (format === 'csv') reportSummary(result, io);
  return 0;
};
