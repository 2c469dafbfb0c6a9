/** What a run needs to know about the open workbook before it builds a spec: names in use, plans and their state. */
import { PLAN_STATE_RANGE } from '../../workbook/plan-sheet';
import { PlanSheetState, planStatusFromText } from '../../workbook/approval';
import type { ExcelHost } from './write-spec';

export interface WorkbookNames {
  sheetNames: string[];
  tableNames: string[];
}

/** Sheet and table names in use (new sheets and tables must avoid them). */
export async function readWorkbookNames(host: ExcelHost): Promise<WorkbookNames> {
  return host.run(async (context) => {
    const sheets = context.workbook.worksheets.load('items/name');
    const tables = context.workbook.tables.load('items/name');
    await context.sync();
    return { sheetNames: sheets.items.map((s) => s.name), tableNames: tables.items.map((t) => t.name) };
  });
}

/** Plan tables are CBP_Plan, CBP_Plan_2, ... (see buildPlanWorkbook). */
export const PLAN_TABLE_NAME = /^CBP_Plan(_\d+)?$/i;

/** Every plan sheet (a sheet holding a CBP_Plan table) with the status its status cell shows. */
export async function listPlanSheets(host: ExcelHost): Promise<PlanSheetState[]> {
  return host.run(async (context) => {
    const tables = context.workbook.tables.load('items/name');
    await context.sync();
    const plans = tables.items
      .filter((table) => PLAN_TABLE_NAME.test(table.name))
      .map((table) => {
        const sheet = table.worksheet.load('name');
        return { sheet, state: sheet.getRange(PLAN_STATE_RANGE).load('values') };
      });
    if (!plans.length) return [];
    await context.sync();
    return plans.map(({ sheet, state }) => ({ sheetName: sheet.name, status: planStatusFromText(state.values[0][1]) ?? 'draft' }));
  });
}
