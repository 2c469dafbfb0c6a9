/**
 * The variance sheet as plain data: plan, actual and expected-to-date per key as values; variance,
 * variance %, utilisation, favourable and status as formulas over them, so they follow the numbers
 * when actuals are edited; status colours, a data bar and an icon set as conditional formats.
 */
import { VarianceResult, VarianceStatus } from '../engine/variance';
import { formatIsoDate } from '../engine/dates';
import { t } from '../i18n';
import { parameterHash } from './hash';
import { DATE_TIME_FORMAT, dateTimeValue, logSheet, MONEY_FORMAT, PERCENT_FORMAT, WriteContext } from './plan-sheet';
import { BlockSpec, ConditionalFormatSpec, SheetSpec, SpecValue, uniqueSheetName, uniqueTableName, WorkbookSpec } from './spec';

export interface VarianceSheetInput {
  result: VarianceResult;
  asOf: number;
  overTolerance: number;
  warnMargin: number;
  underMargin: number;
  minorDigits: number;
  /** What the keys are, e.g. "customer" or "customer / activity". */
  keyLabel: string;
}

export const STATUS_COLOURS: Readonly<Record<VarianceStatus, { fill: string; font: string }>> = {
  'over-budget': { fill: 'FFC7CE', font: '9C0006' },
  'at-risk': { fill: 'FFEB9C', font: '9C5700' },
  'under-used': { fill: 'DDEBF7', font: '1F4E78' },
  'on-track': { fill: 'C6EFCE', font: '006100' },
  unplanned: { fill: 'E4DFEC', font: '5B2C6F' },
};

/** Excel text literal. */
function quoted(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

export function buildVarianceWorkbook(input: VarianceSheetInput, context: WriteContext): WorkbookSpec {
  const L = context.locale;
  const { result } = input;
  const scale = 10 ** input.minorDigits;
  const status = (s: VarianceStatus) => t(L, `status.${s}`);
  const parameters = { asOf: formatIsoDate(input.asOf), overTolerance: input.overTolerance, warnMargin: input.warnMargin, underMargin: input.underMargin, keys: input.keyLabel, source: context.source };
  const hash = parameterHash(parameters);
  const sheetName = uniqueSheetName(t(L, 'sheet.variance'), context.existingSheetNames);
  const tableName = uniqueTableName('CBP_Variance', context.existingTableNames);
  const blocks: BlockSpec[] = [
    { row: 0, col: 0, values: [[t(L, 'variance.title')]], bold: true },
    { row: 2, col: 0, values: [[t(L, 'plan.asOf'), { date: input.asOf }]], numberFormats: [null, 'yyyy-mm-dd'] },
    { row: 3, col: 0, values: [[t(L, 'variance.overTolerance'), input.overTolerance]], numberFormats: [null, PERCENT_FORMAT] },
    { row: 4, col: 0, values: [[t(L, 'variance.warnMargin'), input.warnMargin]], numberFormats: [null, PERCENT_FORMAT] },
    { row: 5, col: 0, values: [[t(L, 'variance.underMargin'), input.underMargin]], numberFormats: [null, PERCENT_FORMAT] },
    { row: 6, col: 0, values: [[t(L, 'plan.source'), context.source]] },
    { row: 7, col: 0, values: [[t(L, 'plan.writtenAt'), dateTimeValue(context.writtenAt)]], numberFormats: [null, DATE_TIME_FORMAT] },
    { row: 8, col: 0, values: [[t(L, 'plan.version'), context.productVersion]] },
    { row: 9, col: 0, values: [[t(L, 'plan.hash'), hash]] },
  ];
  const tableRow = 11;
  const over = input.overTolerance;
  const warn = input.warnMargin;
  const under = input.underMargin;
  const rows: SpecValue[][] = result.rows.map((row, i) => {
    const r = tableRow + 2 + i; // 1-based sheet row of this data row
    const [B, C, D, E] = [`B${r}`, `C${r}`, `D${r}`, `E${r}`];
    const statusFormula =
      row.status === 'unplanned'
        ? status('unplanned')
        : {
            formula: `=IF(${B}=0,IF(${C}>0,${quoted(status('over-budget'))},${quoted(status('on-track'))}),IF((${C}-${B})/${B}>${over},${quoted(status('over-budget'))},IF(${C}>${D}*(1+${warn}),${quoted(status('at-risk'))},IF(${C}<${D}*(1-${under}),${quoted(status('under-used'))},${quoted(status('on-track'))}))))`,
            result: status(row.status),
          };
    return [
      row.key,
      row.planMinor / scale,
      row.actualMinor / scale,
      row.expectedToDateMinor / scale,
      { formula: `=${C}-${B}`, result: row.varianceMinor / scale },
      { formula: `=IF(${B}=0,"",${E}/${B})`, result: row.variancePct ?? '' },
      { formula: `=IF(${B}=0,"",${C}/${B})`, result: row.utilisation ?? '' },
      { formula: `=IF(${E}<=0,${quoted(t(L, 'variance.yes'))},${quoted(t(L, 'variance.no'))})`, result: t(L, row.favourable ? 'variance.yes' : 'variance.no') },
      statusFormula,
    ];
  });
  const first = tableRow + 2;
  const last = tableRow + 1 + Math.max(1, rows.length);
  const conditionalFormats: ConditionalFormatSpec[] = (Object.keys(STATUS_COLOURS) as VarianceStatus[]).map((s, k) => ({
    type: 'expression',
    range: `A${first}:I${last}`,
    formula: `$I${first}=${quoted(status(s))}`,
    fill: STATUS_COLOURS[s].fill,
    fontColor: STATUS_COLOURS[s].font,
    priority: k + 1,
  }));
  conditionalFormats.push({ type: 'dataBar', range: `G${first}:G${last}`, color: '5B9BD5' });
  conditionalFormats.push({ type: 'iconSet', range: `F${first}:F${last}`, iconSet: '3TrafficLights1', thresholds: [-0.1, 0], reverse: true });
  const sheet: SheetSpec = {
    name: sheetName,
    blocks,
    tables: [
      {
        name: tableName,
        row: tableRow,
        col: 0,
        header: [input.keyLabel, t(L, 'variance.plan'), t(L, 'variance.actual'), t(L, 'variance.expected'), t(L, 'variance.variance'), t(L, 'variance.variancePct'), t(L, 'variance.utilisation'), t(L, 'variance.favourable'), t(L, 'variance.status')],
        rows,
        numberFormats: [null, MONEY_FORMAT, MONEY_FORMAT, MONEY_FORMAT, MONEY_FORMAT, PERCENT_FORMAT, PERCENT_FORMAT, null, null],
        style: 'TableStyleMedium9',
        totalsRow: rows.length > 0,
        totalsLabel: t(L, 'variance.totalRow'),
        totalsFunctions: ['none', 'sum', 'sum', 'sum', 'sum', 'none', 'none', 'none', 'none'],
      },
    ],
    conditionalFormats,
    charts: [],
    columnWidths: [28, 14, 14, 16, 14, 12, 12, 11, 14],
  };
  const totals = { plan: result.totals.planMinor / scale, actual: result.totals.actualMinor / scale, unplanned: result.totals.unplannedMinor / scale };
  return { sheets: [sheet, logSheet(context, 'log.action.variance', parameters, hash, sheetName, totals)] };
}
