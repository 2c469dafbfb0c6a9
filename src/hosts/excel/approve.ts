/** Approving a plan in the open workbook: stamps and protects it, supersedes the plan approved before, logs it. */
import { Locale } from '../../i18n';
import { buildApprovalChange } from '../../workbook/approval';
import { listPlanSheets, readWorkbookNames } from './workbook-info';
import { ExcelHost, ExcelWriteReport, writeWorkbookSpec } from './write-spec';

export interface ApproveOptions {
  sheetName: string;
  approver: string;
  locale: Locale;
  productVersion: string;
  /** The approval time (default now). */
  now?: Date;
}

/** Throws ApprovalError (not a draft, no such plan, no approver) before anything is written. */
export async function approvePlan(host: ExcelHost, options: ApproveOptions): Promise<ExcelWriteReport & { superseded: string[] }> {
  const plans = await listPlanSheets(host);
  const names = await readWorkbookNames(host);
  const spec = buildApprovalChange(
    { sheetName: options.sheetName, approver: options.approver, plans },
    {
      locale: options.locale,
      existingSheetNames: names.sheetNames,
      existingTableNames: names.tableNames,
      writtenAt: (options.now ?? new Date()).toISOString().replace(/\.\d+Z$/, 'Z'),
      productVersion: options.productVersion,
      source: options.sheetName,
    },
  );
  const report = await writeWorkbookSpec(host, spec, { locale: options.locale, activate: false });
  return { ...report, superseded: (spec.updates ?? []).slice(1).map((u) => u.sheetName) };
}
