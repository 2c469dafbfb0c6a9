/** `cbp variance`: actual spend against a plan (a plan workbook from `cbp plan`, or a CSV). */
import ExcelJS from 'exceljs';
import { basename, extname } from 'node:path';
import { CellValue, InputError } from '../../engine/errors';
import { epochDaysFromCivil, formatIsoDate, readDate } from '../../engine/dates';
import { readMoney } from '../../engine/money';
import { normaliseHeader, resolveColumns } from '../../engine/headers';
import { isBlankCell, readKey } from '../../engine/transactions';
import { computeVariance, expectedFromPhasing, elapsedShare, VarianceResult } from '../../engine/variance';
import { t } from '../../i18n';
import { buildVarianceWorkbook } from '../../workbook/variance-sheet';
import { writeSpecToWorkbook } from '../../hosts/xlsx/write';
import { excelJsToCell, loadXlsxWorkbook } from '../../hosts/xlsx/read';
import { Command, UsageError } from '../io';
import { formatCsvLine } from '../csv';
import { assertNotInput, emit, writeThroughTemporary } from '../output';
import { choiceOption, CommandSpec, formatHelp, inputPath, numberOption, OUTPUT_OPTIONS, parseCommandArgs, stringOption } from '../options';
import { fileError, fileOptions, readInputTable } from '../read-input';
import { dateOrderOption } from './transactions-input';
import { VERSION } from '../version';

const SPEC: CommandSpec = {
  name: 'variance',
  usage: 'cbp variance PLAN.(xlsx|csv) ACTUALS.(csv|xlsx) [--out FILE] [options]',
  summary: [
    'Adds up actual spend per plan key up to the as-of date and compares it with the plan: variance =',
    'actual - plan, variance % = variance / plan (empty when the plan is 0), utilisation = actual / plan,',
    'expected to date from the plan\'s monthly phasing (or the elapsed share of the year for a CSV plan),',
    'and a status: Over budget, At risk (ahead of the phasing), Under-used, On track; spend on keys the plan',
    'does not have is Unplanned and is shown, never dropped.',
    'With a plan workbook and --out FILE.xlsx, writes a copy of the plan workbook with a variance sheet',
    'whose statuses are formulas and conditional formats, so they follow edits to the actuals.',
  ].join('\n'),
  options: [
    { name: 'as-of', type: 'string', value: 'DATE', help: 'compare up to this date (default: the latest actual date)' },
    { name: 'by', type: 'string', value: 'KEY', help: 'customer (default), activity, or customer-activity' },
    { name: 'over', type: 'string', value: 'FRACTION', help: 'over budget when variance % is above this (default 0)' },
    { name: 'warn', type: 'string', value: 'FRACTION', help: 'at risk when actual > expected x (1 + warn) (default 0.1)' },
    { name: 'under', type: 'string', value: 'FRACTION', help: 'under-used when actual < expected x (1 - under) (default 0.5)' },
    { name: 'plan-column', type: 'string', value: 'NAME', help: 'CSV plan: the plan amount column (default allocation / plan / budget)' },
    { name: 'actuals-sheet', type: 'string', value: 'NAME', help: 'sheet of an .xlsx actuals file (default: the first)' },
    { name: 'lang', type: 'string', value: 'en|zh-CN', help: 'language of the variance sheet (default en)' },
    ...OUTPUT_OPTIONS.filter((o) => o.name !== 'sheet'),
  ],
  examples: ['cbp variance plan.xlsx samples/actuals.csv --out variance.xlsx', 'cbp variance plan.xlsx samples/actuals.csv --by activity --as-of 2026-03-31', 'cbp variance allocation.csv actuals.csv --format json'],
};

interface PlanTable {
  customers: string[];
  planMajor: number[];
  /** Per customer: expected share of its plan spent by as-of (from the phasing), computed later. */
  periods?: { names: string[]; ranges: [number, number][]; partsMajor: number[][] };
  activities?: { names: string[]; partsMajor: number[][] };
}

const ALLOCATION_HEADERS = [t('en', 'col.allocation'), t('zh-CN', 'col.allocation'), 'allocation', 'plan', 'budget', '计划', '预算'].map(normaliseHeader);
const ACTIVITY_LABELS = new Map<string, string>();
for (const name of ['visits', 'events', 'gifts', 'service', 'training']) {
  ACTIVITY_LABELS.set(normaliseHeader(t('en', `activity.${name}`)), name);
  ACTIVITY_LABELS.set(normaliseHeader(t('zh-CN', `activity.${name}`)), name);
  ACTIVITY_LABELS.set(name, name);
}

/** Inclusive day range of a period name: 2026-03 or 2026-Q1. */
function periodRange(name: string): [number, number] | undefined {
  const month = /^(\d{4})-(\d{2})$/.exec(name);
  if (month) return [epochDaysFromCivil(+month[1], +month[2], 1), epochDaysFromCivil(+month[1], +month[2] + 1, 1) - 1];
  const quarter = /^(\d{4})-Q([1-4])$/.exec(name);
  if (quarter) return [epochDaysFromCivil(+quarter[1], (+quarter[2] - 1) * 3 + 1, 1), epochDaysFromCivil(+quarter[1], +quarter[2] * 3 + 1, 1) - 1];
  return undefined;
}

/** Reads the newest CBP_Plan table of a plan workbook. */
async function readPlanWorkbook(workbook: ExcelJS.Workbook, path: string): Promise<PlanTable> {
  let found: { sheet: ExcelJS.Worksheet; ref: string; index: number; totalsRow: boolean } | undefined;
  for (const sheet of workbook.worksheets) {
    for (const table of Object.values((sheet as unknown as { tables: Record<string, { table: { name: string; tableRef: string; totalsRow?: boolean } }> }).tables ?? {})) {
      const match = /^CBP_Plan(?:_(\d+))?$/.exec(table.table.name);
      const index = match ? Number(match[1] ?? 1) : -1;
      if (match && (!found || index > found.index)) found = { sheet, ref: table.table.tableRef, index, totalsRow: table.table.totalsRow === true };
    }
  }
  if (!found) throw new UsageError(`${path} has no plan table (CBP_Plan); make one with 'cbp plan'`);
  const [from, to] = found.ref.split(':');
  const firstRow = Number(from.replace(/[A-Z]+/, ''));
  const lastRow = Number(to.replace(/[A-Z]+/, '')) - (found.totalsRow ? 1 : 0); // the totals row is no customer
  const header = found.sheet.getRow(firstRow);
  const names: string[] = [];
  header.eachCell({ includeEmpty: false }, (cell, col) => (names[col - 1] = String(excelJsToCell(cell.value))));
  const allocationCol = names.findIndex((n) => ALLOCATION_HEADERS.includes(normaliseHeader(n)));
  if (allocationCol < 0) throw new UsageError(`${path}: the plan table has no allocation column`);
  const periodCols = names.map((n, c) => (periodRange(n) ? c : -1)).filter((c) => c >= 0);
  const activityCols = names.map((n, c) => (ACTIVITY_LABELS.has(normaliseHeader(n)) ? c : -1)).filter((c) => c >= 0);
  const plan: PlanTable = { customers: [], planMajor: [], periods: { names: periodCols.map((c) => names[c]), ranges: periodCols.map((c) => periodRange(names[c]) as [number, number]), partsMajor: [] }, activities: { names: activityCols.map((c) => ACTIVITY_LABELS.get(normaliseHeader(names[c])) as string), partsMajor: [] } };
  for (let r = firstRow + 1; r <= lastRow; r++) {
    const row = found.sheet.getRow(r);
    const customer = excelJsToCell(row.getCell(1).value);
    const amount = excelJsToCell(row.getCell(allocationCol + 1).value);
    if (typeof amount !== 'number') continue; // the totals row
    plan.customers.push(String(customer));
    plan.planMajor.push(amount);
    plan.periods!.partsMajor.push(periodCols.map((c) => Number(excelJsToCell(row.getCell(c + 1).value)) || 0));
    plan.activities!.partsMajor.push(activityCols.map((c) => Number(excelJsToCell(row.getCell(c + 1).value)) || 0));
  }
  if (!plan.periods!.names.length) delete plan.periods;
  if (!plan.activities!.names.length) delete plan.activities;
  return plan;
}

function readPlanCsv(rows: CellValue[][], column: string | undefined): PlanTable {
  const at = resolveColumns(rows[0], ['customer'] as const);
  const headers = rows[0].map(normaliseHeader);
  const planCol = column !== undefined ? headers.indexOf(normaliseHeader(column)) : headers.findIndex((h) => ALLOCATION_HEADERS.includes(h));
  if (planCol < 0) throw new UsageError(`no plan amount column found among ${rows[0].map((h) => `'${String(h)}'`).join(', ')}; name it with --plan-column`);
  const plan: PlanTable = { customers: [], planMajor: [] };
  rows.slice(1).forEach((row, i) => {
    if (row.every(isBlankCell)) return;
    plan.customers.push(readKey(row[at.customer], { row: i + 2, column: String(rows[0][at.customer]) }, 'customer'));
    plan.planMajor.push(readMoney(row[planCol], { row: i + 2, column: String(rows[0][planCol]) }) / 100);
  });
  return plan;
}

export const varianceCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs(SPEC, argv);
  if (values.help) {
    io.stdout(formatHelp(SPEC));
    return 0;
  }
  if (positionals.length !== 2) throw new UsageError("variance takes two files: the plan and the actual spend; see 'cbp variance --help'");
  const [planInput, actualInput] = positionals;
  const out = stringOption(values, 'out');
  if (out) assertNotInput(out, positionals, io.cwd);
  const by = choiceOption(values, 'by', ['customer', 'activity', 'customer-activity'] as const, 'customer');
  const locale = choiceOption(values, 'lang', ['en', 'zh-CN'] as const, 'en');
  const planIsWorkbook = ['.xlsx', '.xlsm'].includes(extname(planInput).toLowerCase());
  let workbook: ExcelJS.Workbook | undefined;
  let plan: PlanTable;
  if (planIsWorkbook) {
    try {
      workbook = await loadXlsxWorkbook(inputPath(io.cwd, planInput), planInput);
    } catch (error) {
      throw fileError(error, planInput);
    }
    plan = await readPlanWorkbook(workbook, planInput);
  } else {
    plan = readPlanCsv(await readInputTable(planInput, { ...fileOptions(values, io), sheet: undefined }), stringOption(values, 'plan-column'));
  }
  // Actual spend rows: customer, date, amount (actual / spend / amount), optional activity.
  const actualRows = await readInputTable(actualInput, fileOptions(values, io, 'actuals-sheet'));
  if (actualRows.length < 2) throw new InputError('no-data', `${actualInput} has no actual spend rows`);
  const header = actualRows[0].map((h) => (['actual', 'spend', '实际', '实际支出'].map(normaliseHeader).includes(normaliseHeader(h)) ? 'amount' : h));
  const at = resolveColumns(header, ['customer', 'date', 'amount'] as const, ['activity']);
  if (by !== 'customer' && at.activity === undefined) throw new UsageError(`--by ${by} needs an activity column in ${actualInput}`);
  if (by !== 'customer' && !plan.activities) throw new UsageError(`--by ${by} needs a plan with activity columns (a plan workbook from cbp plan)`);
  const dateOrder = dateOrderOption(values);
  const keys: string[] = [];
  const dates: number[] = [];
  const amounts: number[] = [];
  actualRows.slice(1).forEach((row, i) => {
    if (row.every(isBlankCell)) return;
    const where = (c: number) => ({ row: i + 2, column: String(actualRows[0][c]) });
    const customer = readKey(row[at.customer], where(at.customer), 'customer');
    const activityText = at.activity !== undefined ? readKey(row[at.activity], where(at.activity), 'activity') : '';
    const activity = ACTIVITY_LABELS.get(normaliseHeader(activityText)) ?? activityText;
    dates.push(readDate(row[at.date], where(at.date), { dateOrder }));
    amounts.push(readMoney(row[at.amount], where(at.amount)));
    keys.push(by === 'customer' ? customer : by === 'activity' ? activity : `${customer} / ${activity}`);
  });
  const asOfText = stringOption(values, 'as-of');
  const asOf = asOfText !== undefined ? readDate(asOfText, { column: '--as-of' }, { dateOrder }) : Math.max(...dates);
  // Plan lines and expected-to-date per key.
  const expectedShare = plan.customers.map((_, i) => {
    if (plan.periods) {
      const parts = plan.periods.partsMajor[i];
      const total = parts.reduce((s, v) => s + v, 0);
      return total > 0 ? expectedFromPhasing(parts.map((p) => p * 100), plan.periods.ranges, asOf) / (total * 100) : 0;
    }
    const { year } = { year: new Date(asOf * 86_400_000).getUTCFullYear() };
    return elapsedShare(epochDaysFromCivil(year, 1, 1), epochDaysFromCivil(year, 12, 31), asOf);
  });
  const planKeys: string[] = [];
  const planMinor: number[] = [];
  const expectedMinor: number[] = [];
  const addLine = (key: string, planMajor: number, share: number) => {
    planKeys.push(key);
    planMinor.push(Math.round(planMajor * 100));
    expectedMinor.push(Math.round(planMajor * 100 * share));
  };
  if (by === 'customer') plan.customers.forEach((c, i) => addLine(c, plan.planMajor[i], expectedShare[i]));
  else if (by === 'customer-activity') plan.customers.forEach((c, i) => plan.activities!.names.forEach((a, k) => addLine(`${c} / ${a}`, plan.activities!.partsMajor[i][k], expectedShare[i])));
  else
    plan.activities!.names.forEach((a, k) => {
      const total = plan.customers.reduce((s, _, i) => s + plan.activities!.partsMajor[i][k], 0);
      const expected = plan.customers.reduce((s, _, i) => s + plan.activities!.partsMajor[i][k] * expectedShare[i], 0);
      addLine(a, total, total > 0 ? expected / total : 0);
    });
  const options = { asOf, overTolerance: numberOption(values, 'over') ?? 0, warnMargin: numberOption(values, 'warn') ?? 0.1, underMargin: numberOption(values, 'under') ?? 0.5 };
  const result: VarianceResult = computeVariance({ keys: planKeys, planMinor, expectedToDateMinor: expectedMinor }, { keys, dates, amountsMinor: amounts }, options);
  const counts = new Map<string, number>();
  result.rows.forEach((r) => counts.set(r.status, (counts.get(r.status) ?? 0) + 1));
  io.stderr(`as of ${formatIsoDate(asOf)}: ${[...counts].map(([s, n]) => `${n} ${t('en', `status.${s}`).toLowerCase()}`).join(', ')}${result.actualRowsAfterAsOf ? `; ${result.actualRowsAfterAsOf} actual rows after the as-of date left out` : ''}\n`);
  if (out && extname(out).toLowerCase() === '.xlsx') {
    if (!workbook) workbook = new ExcelJS.Workbook();
    const existingTableNames = workbook.worksheets.flatMap((s) => Object.keys((s as unknown as { tables: Record<string, unknown> }).tables ?? {}));
    const spec = buildVarianceWorkbook(
      { result, ...options, minorDigits: 2, keyLabel: by === 'customer' ? t(locale, 'col.customer') : by === 'activity' ? t(locale, 'col.activity') : `${t(locale, 'col.customer')} / ${t(locale, 'col.activity')}` },
      { locale, existingSheetNames: workbook.worksheets.map((s) => s.name), existingTableNames, writtenAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), productVersion: VERSION, source: `${basename(planInput)} + ${basename(actualInput)}` },
    );
    await writeSpecToWorkbook(workbook, spec);
    await writeThroughTemporary(out, io.cwd, (temp) => (workbook as ExcelJS.Workbook).xlsx.writeFile(temp));
    return 0;
  }
  const columns = ['key', 'plan', 'actual', 'expected_to_date', 'variance', 'variance_pct', 'utilisation', 'favourable', 'status'];
  const cells = result.rows.map((r) => [r.key, r.planMinor / 100, r.actualMinor / 100, r.expectedToDateMinor / 100, r.varianceMinor / 100, r.variancePct === null ? null : Math.round(r.variancePct * 1e6) / 1e6, r.utilisation === null ? null : Math.round(r.utilisation * 1e6) / 1e6, r.favourable, r.status]);
  const json = choiceOption(values, 'format', ['csv', 'json'] as const, 'csv') === 'json';
  const text = json
    ? JSON.stringify({ summary: { as_of: formatIsoDate(asOf), plan: result.totals.planMinor / 100, actual: result.totals.actualMinor / 100, unplanned: result.totals.unplannedMinor / 100 }, rows: cells.map((c) => Object.fromEntries(columns.map((h, k) => [h, c[k]]))) }, null, 2) + '\n'
    : [columns.join(','), ...cells.map(formatCsvLine)].join('\n') + '\n';
  await emit(text, out, positionals, io);
  return 0;
};
