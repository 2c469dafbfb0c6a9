/**
 * `cbp allocate --out FILE.xlsx`: the allocation as a workbook. A summary block (budget, reserve,
 * distributable, allocated, unallocated; for the optimal method what the next 1 of budget returns,
 * the total expected response and the gain over a proportional split), then the input table with
 * each row's allocation, share, bound and, for optimal, marginal return and expected response.
 */
import { AllocationResult, marginalReturnPerCurrencyUnit, toMajor } from '../engine/allocation/allocate';
import { t } from '../i18n';
import { methodText } from './parameter-text';
import { DATE_TIME_FORMAT, dateTimeValue, moneyFormat, PERCENT_FORMAT, RESPONSE_FORMAT, RETURN_FORMAT, unitDigits, WriteContext } from './plan-sheet';
import { BlockSpec, SheetSpec, SpecValue, TableSpec, uniqueHeaders, uniqueSheetName, uniqueTableName, WorkbookSpec } from './spec';

export interface AllocationSheetInput {
  result: AllocationResult;
  /** The input table: its header and its rows' cells, aligned with the result's rows. */
  header: readonly string[];
  rows: readonly (readonly SpecValue[])[];
}

export function buildAllocationWorkbook(input: AllocationSheetInput, context: WriteContext): WorkbookSpec {
  const L = context.locale;
  const a = input.result;
  const o = a.optimal;
  const major = (minor: number) => toMajor(a, minor);
  const money = moneyFormat(a.minorDigits);
  const amountMoney = moneyFormat(unitDigits(a.unitMinor, a.minorDigits));
  const lines: [string, SpecValue, string | null][] = [
    [t(L, 'plan.method'), methodText(a.method, L), null],
    [t(L, 'plan.budget'), major(a.budgetMinor), money],
    [t(L, 'plan.reserve'), major(a.reserveMinor), money],
    [t(L, 'plan.distributable'), major(a.distributableMinor), money],
    [t(L, 'plan.allocated'), major(a.distributableMinor - a.unallocatedMinor), money],
    [t(L, 'plan.unallocated'), major(a.unallocatedMinor), money],
    [t(L, 'plan.unit'), major(a.unitMinor), null],
    ...(o
      ? ([
          [t(L, 'plan.lambda'), o.lambdaPerCurrencyUnit, RETURN_FORMAT],
          [t(L, 'plan.totalResponse'), o.totalResponse, RESPONSE_FORMAT],
          [t(L, 'plan.proportionalResponse'), o.proportionalResponse, RESPONSE_FORMAT],
          [t(L, 'plan.responseGain'), o.gainOverProportional ?? '', PERCENT_FORMAT],
        ] as [string, SpecValue, string | null][])
      : []),
    [t(L, 'plan.source'), context.source, null],
    [t(L, 'plan.writtenAt'), dateTimeValue(context.writtenAt), DATE_TIME_FORMAT],
    [t(L, 'plan.version'), context.productVersion, null],
  ];
  const blocks: BlockSpec[] = [{ row: 0, col: 0, values: [[t(L, 'allocation.title')]], bold: true }];
  lines.forEach(([label, value, format], k) => blocks.push({ row: 2 + k, col: 0, values: [[label, value]], numberFormats: [null, format] }));
  const table: TableSpec = {
    name: uniqueTableName('CBP_Allocation', context.existingTableNames),
    row: lines.length + 3,
    col: 0,
    header: uniqueHeaders([...input.header, t(L, 'col.allocation'), t(L, 'col.share'), t(L, 'col.atBound'), ...(o ? [t(L, 'col.marginalReturn'), t(L, 'col.expectedResponse')] : [])], t(L, 'col.blank')),
    rows: input.rows.map((cells, i) => [
      ...cells,
      major(a.amountsMinor[i]),
      a.shares[i],
      a.atBound[i] ? t(L, `bound.${a.atBound[i]}`) : '',
      ...(o ? [marginalReturnPerCurrencyUnit(a, i), o.expectedResponse[i]] : []),
    ]),
    numberFormats: [...input.header.map(() => null), amountMoney, PERCENT_FORMAT, null, ...(o ? [RETURN_FORMAT, RESPONSE_FORMAT] : [])],
    style: 'TableStyleMedium2',
    totalsRow: true,
    totalsLabel: t(L, 'plan.totalRow'),
    totalsFunctions: [...input.header.map(() => 'none' as const), 'sum', 'sum', 'none', ...(o ? ['none' as const, 'sum' as const] : [])],
  };
  const sheet: SheetSpec = {
    name: uniqueSheetName(t(L, 'sheet.allocation'), context.existingSheetNames),
    blocks,
    tables: [table],
    conditionalFormats: [],
    charts: [],
    columnWidths: [...input.header.map((_, c) => (c === 0 ? 34 : 14)), 12, 9, 10, ...(o ? [12, 12] : [])],
  };
  return { sheets: [sheet] };
}
