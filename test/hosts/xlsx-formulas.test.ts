/**
 * Every formula's cached result is what Excel would compute. Readers of cached values (pandas,
 * previews, ExcelJS) see only the cached result, so a totals row caching 0 over rows that add up to
 * 20 is wrong data. Each plan and variance workbook is written with both .xlsx writers, read back,
 * and every formula cell is recomputed from the cells it names (a small evaluator for the formulas
 * the product writes: SUBTOTAL over a table column, cell arithmetic, comparisons and IF) and
 * compared with its cached result.
 */
import ExcelJS from 'exceljs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computePlan } from '../../src/engine/plan';
import { readTransactionColumns } from '../../src/engine/transactions';
import { epochDaysFromCivil } from '../../src/engine/dates';
import { computeVariance } from '../../src/engine/variance';
import { buildPlanWorkbook } from '../../src/workbook/plan-sheet';
import { buildVarianceWorkbook } from '../../src/workbook/variance-sheet';
import { WorkbookSpec } from '../../src/workbook/spec';
import { writeSpecToWorkbook } from '../../src/hosts/xlsx/write';
import { writeSpecStreaming } from '../../src/hosts/xlsx/write-streaming';
import { writeContext } from '../workbook/context';

type Value = number | string | boolean;
const folder = mkdtempSync(join(tmpdir(), 'cbp-formulas-'));
let fileNumber = 0;

async function writeAndRead(
  spec: WorkbookSpec,
  writer: 'in-memory' | 'streaming',
): Promise<ExcelJS.Workbook> {
  const path = join(folder, `f${++fileNumber}.xlsx`);
  if (writer === 'streaming') await writeSpecStreaming(spec, path);
  else {
    const workbook = new ExcelJS.Workbook();
    await writeSpecToWorkbook(workbook, spec);
    await workbook.xlsx.writeFile(path);
  }
  const back = new ExcelJS.Workbook();
  await back.xlsx.readFile(path);
  return back;
}

/** A cell as a formula sees it: a formula's cached result, blanks as 0 in arithmetic (Excel's rule). */
function cellValue(sheet: ExcelJS.Worksheet, address: string): Value {
  const v = sheet.getCell(address).value;
  if (v !== null && typeof v === 'object' && 'formula' in v) return v.result as Value;
  if (v === null || v === undefined) return '';
  return v as Value;
}

interface TableModel {
  tableRef: string;
  totalsRow: boolean;
  columns: { name: string }[];
}

/** The data-row values of Table[Column] on a sheet. */
function tableColumnValues(sheet: ExcelJS.Worksheet, tableName: string, columnName: string): Value[] {
  const table = (sheet.getTable(tableName) as unknown as { table: TableModel }).table;
  const [from, to] = table.tableRef.split(':');
  const firstCol = sheet.getCell(from).fullAddress.col;
  const firstRow = Number(from.replace(/[A-Z]+/, ''));
  const lastRow = Number(to.replace(/[A-Z]+/, '')) - (table.totalsRow ? 1 : 0);
  const c = table.columns.findIndex((col) => col.name === columnName);
  if (c < 0) throw new Error(`${tableName} has no column ${columnName}`);
  const values: Value[] = [];
  for (let r = firstRow + 1; r <= lastRow; r++)
    values.push(cellValue(sheet, sheet.getCell(r, firstCol + c).address));
  return values;
}

/** SUBTOTAL's function numbers (1-11 and 101-111: the 100s ignore hidden rows; nothing is hidden here). */
function subtotal(fn: number, values: Value[]): number {
  const numbers = values.filter((v): v is number => typeof v === 'number');
  switch (fn % 100) {
    case 9:
      return numbers.reduce((s, n) => s + n, 0);
    case 1:
      return numbers.reduce((s, n) => s + n, 0) / numbers.length;
    case 2:
      return numbers.length;
    case 3:
      return values.filter((v) => v !== '').length;
    case 4:
      return Math.max(...numbers);
    case 5:
      return Math.min(...numbers);
    default:
      throw new Error(`SUBTOTAL(${fn}) is not evaluated by this test`);
  }
}

/** Evaluates a formula (without '=') of the kinds the product writes, against a sheet's cached values. */
export function evaluate(formula: string, sheet: ExcelJS.Worksheet): Value {
  const tokens =
    formula.match(
      /"(?:[^"]|"")*"|[A-Za-z_][A-Za-z0-9_.]*\[(?:[^\]']|'.)*\]|[A-Z]+\$?[0-9]+|\d+(?:\.\d+)?|<=|>=|<>|[-+*/(),=<>]|[A-Za-z_][A-Za-z0-9_.]*/g,
    ) ?? [];
  if (tokens.join('').replace(/\s+/g, '') !== formula.replace(/\s+/g, ''))
    throw new Error(`cannot tokenise ${formula}`);
  let at = 0;
  const peek = () => tokens[at];
  const take = (expected?: string) => {
    const token = tokens[at++];
    if (expected !== undefined && token !== expected)
      throw new Error(`expected ${expected} in ${formula}, got ${token}`);
    return token;
  };
  const num = (v: Value) =>
    typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : v === '' ? 0 : Number(v);
  const comparison = (): Value => {
    const left = additive();
    const op = peek();
    if (!['=', '<>', '<', '>', '<=', '>='].includes(op)) return left;
    take();
    const right = additive();
    const [a, b] =
      typeof left === 'string' || typeof right === 'string'
        ? [String(left), String(right)]
        : [num(left), num(right)];
    return op === '='
      ? a === b
      : op === '<>'
        ? a !== b
        : op === '<'
          ? a < b
          : op === '>'
            ? a > b
            : op === '<='
              ? a <= b
              : a >= b;
  };
  const additive = (): Value => {
    let value = term();
    while (peek() === '+' || peek() === '-')
      value = take() === '+' ? num(value) + num(term()) : num(value) - num(term());
    return value;
  };
  const term = (): Value => {
    let value = factor();
    while (peek() === '*' || peek() === '/')
      value = take() === '*' ? num(value) * num(factor()) : num(value) / num(factor());
    return value;
  };
  const factor = (): Value => {
    const token = take();
    if (token === '-') return -num(factor());
    if (token === '(') {
      const value = comparison();
      take(')');
      return value;
    }
    if (token.startsWith('"')) return token.slice(1, -1).replace(/""/g, '"');
    if (/^\d/.test(token)) return Number(token);
    if (/^[A-Z]+\$?\d+$/.test(token)) return cellValue(sheet, token.replace('$', ''));
    if (token === 'IF') {
      take('(');
      const condition = comparison();
      take(',');
      const whenTrue = comparison();
      take(',');
      const whenFalse = comparison();
      take(')');
      return condition ? whenTrue : whenFalse;
    }
    if (token === 'SUBTOTAL') {
      take('(');
      const fn = Number(take());
      take(',');
      const ref = take();
      take(')');
      const [, table, column] = /^(.+?)\[(.*)\]$/.exec(ref) as RegExpExecArray;
      return subtotal(fn, tableColumnValues(sheet, table, column.replace(/'(.)/g, '$1')));
    }
    throw new Error(`unexpected ${token} in ${formula}`);
  };
  const value = comparison();
  if (at !== tokens.length) throw new Error(`trailing ${tokens.slice(at).join('')} in ${formula}`);
  return value;
}

/** Every formula cell of a workbook: address, formula, cached result and the recomputed value (ExcelJS reads a cached empty text, <v></v>, back as no result). */
function formulaCells(
  workbook: ExcelJS.Workbook,
): { where: string; formula: string; cached: Value; computed: Value }[] {
  const found: { where: string; formula: string; cached: Value; computed: Value }[] = [];
  for (const sheet of workbook.worksheets) {
    sheet.eachRow((row) =>
      row.eachCell((cell) => {
        const v = cell.value;
        if (v !== null && typeof v === 'object' && 'formula' in v && typeof v.formula === 'string')
          found.push({
            where: `${sheet.name}!${cell.address}`,
            formula: v.formula,
            cached: (v.result ?? '') as Value,
            computed: evaluate(v.formula, sheet),
          });
      }),
    );
  }
  return found;
}

function expectCachedResultsComputed(workbook: ExcelJS.Workbook): number {
  const cells = formulaCells(workbook);
  for (const cell of cells) {
    if (typeof cell.computed === 'number')
      expect({
        ...cell,
        cached: typeof cell.cached === 'number' ? Number(cell.cached.toFixed(9)) : cell.cached,
      }).toEqual({ ...cell, cached: Number(cell.computed.toFixed(9)) });
    else expect(cell).toEqual({ ...cell, cached: cell.computed });
  }
  return cells.length;
}

const TX = readTransactionColumns({
  customers: ['c1', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6'],
  dates: ['2025-01-02', '2025-06-01', '2025-03-03', '2025-04-04', '2025-05-05', '2025-06-06', '2025-06-30'],
  amounts: [100, 50, 20, 30, 40, 10, 60],
});

describe.each(['in-memory', 'streaming'] as const)('cached formula results (%s writer)', (writer) => {
  test('plan workbook: every totals SUBTOTAL equals the sum of its column', async () => {
    const plan = computePlan(TX, { budget: 1000, reserve: 0.1, asOf: epochDaysFromCivil(2025, 6, 30) });
    const workbook = await writeAndRead(buildPlanWorkbook(plan, writeContext({ source: 'tx.csv' })), writer);
    const cells = formulaCells(workbook);
    expect(cells.find((c) => c.formula === 'SUBTOTAL(109,CBP_Plan[Allocation])')).toMatchObject({
      cached: 900,
      computed: 900,
    });
    expect(expectCachedResultsComputed(workbook)).toBeGreaterThan(10);
  });

  test('variance workbook: the Variance total is the sum of the variances (20 - 180 + 7 = -153), not 0; row formulas match too', async () => {
    // Plan 100 / 200 / -, actual 120 / 20 / 7: variances 20, -180, 7.
    const result = computeVariance(
      { keys: ['a', 'b'], planMinor: [10000, 20000], expectedToDateMinor: [5000, 10000] },
      { keys: ['a', 'b', 'c'], dates: [20000, 20000, 20000], amountsMinor: [12000, 2000, 700] },
      { asOf: 20001 },
    );
    const spec = buildVarianceWorkbook(
      {
        result,
        asOf: 20001,
        overTolerance: 0,
        warnMargin: 0.1,
        underMargin: 0.5,
        minorDigits: 2,
        keyLabel: 'Customer',
      },
      writeContext({ source: 'actuals.csv' }),
    );
    const workbook = await writeAndRead(spec, writer);
    const cells = formulaCells(workbook);
    expect(cells.find((c) => c.formula === 'SUBTOTAL(109,CBP_Variance[Variance])')).toMatchObject({
      cached: -153,
      computed: -153,
    });
    expect(cells.find((c) => c.formula === 'SUBTOTAL(109,CBP_Variance[Actual])')).toMatchObject({
      cached: 147,
      computed: 147,
    });
    // 3 rows x 5 formulas (the unplanned row's status is text) - 1 + 4 totals.
    expect(expectCachedResultsComputed(workbook)).toBe(3 * 5 - 1 + 4);
  });
});

test('the evaluator itself: arithmetic, comparisons, IF and text', () => {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('s');
  sheet.getCell('B2').value = 4;
  sheet.getCell('C2').value = { formula: 'B2*2', result: 8 };
  expect(evaluate('C2-B2', sheet)).toBe(4);
  expect(evaluate('IF(B2=0,"",C2/B2)', sheet)).toBe(2);
  expect(evaluate('IF(D2<=0,"Yes","No")', sheet)).toBe('Yes');
  expect(evaluate('-(B2+1)*2', sheet)).toBe(-10);
});
