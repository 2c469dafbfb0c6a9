/** What a run needs to know about the open workbook before it builds a spec: names in use, plans and their state. */
import { PLAN_STATE_RANGE } from '../../workbook/plan-sheet';
import { planTableIndex } from '../../runs/plan-table';
import type { PlanTableRef, WorkbookNames } from '../../runs/host';
import type { ExcelHost } from './write-spec';

/** Sheet and table names in use (new sheets and tables must avoid them). */
export async function readWorkbookNames(host: ExcelHost): Promise<WorkbookNames> {
  return host.run(async (context) => {
    const sheets = context.workbook.worksheets.load('items/name');
    const tables = context.workbook.tables.load('items/name');
    await context.sync();
    return { sheetNames: sheets.items.map((s) => s.name), tableNames: tables.items.map((t) => t.name) };
  });
}

/** Every plan table with its sheet and the text of its status cell. */
export async function listPlanTables(host: ExcelHost): Promise<PlanTableRef[]> {
  return host.run(async (context) => {
    const tables = context.workbook.tables.load('items/name');
    await context.sync();
    const plans = tables.items
      .filter((table) => planTableIndex(table.name) > 0)
      .map((table) => {
        const sheet = table.worksheet.load('name');
        return { tableName: table.name, sheet, state: sheet.getRange(PLAN_STATE_RANGE).load('values') };
      });
    if (!plans.length) return [];
    await context.sync();
    return plans.map(({ tableName, sheet, state }) => ({ tableName, sheetName: sheet.name, statusText: String(state.values[0][1] ?? '') }));
  });
}
