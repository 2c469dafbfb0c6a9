/**
 * Recognises column headers in English and Chinese, case- and space-insensitively, so a table
 * headed 客户 / 日期 / 金额 works as well as Customer / Date / Amount.
 */
import { CellValue, engineError } from './errors';

export type ColumnRole =
  | 'customer'
  | 'date'
  | 'amount'
  | 'orderId'
  | 'cost'
  | 'profit'
  | 'segment'
  | 'activity'
  | 'actual'
  | 'plan'
  | 'period'
  | 'weight'
  | 'floor'
  | 'cap'
  | 'value'
  | 'saturation';

/** Synonyms per role, already in normalised form (see normaliseHeader). */
export const HEADER_SYNONYMS: Readonly<Record<ColumnRole, readonly string[]>> = {
  // 'id' last: a bare id column is more often a row number than the customer.
  customer: ['customer', 'customerid', 'customer_id', 'customername', 'client', 'clientid', 'account', 'accountid', 'accountname', '客户', '客户编号', '客户名称', '客户id', '客户代码', '客户号', 'id'],
  date: ['date', 'orderdate', 'order_date', 'purchasedate', 'transactiondate', 'invoicedate', '日期', '订单日期', '交易日期', '下单日期', '购买日期'],
  amount: ['amount', 'revenue', 'sales', 'value', 'ordervalue', 'orderamount', 'total', '金额', '销售额', '订单金额', '交易金额', '消费金额', '收入'],
  orderId: ['orderid', 'order_id', 'order', 'ordernumber', 'orderno', 'invoice', 'invoiceno', 'transactionid', '订单号', '订单编号', '单号'],
  cost: ['cost', 'costtoserve', 'servicecost', '成本', '服务成本'],
  profit: ['profit', 'margin', 'grossprofit', 'netprofit', '利润', '毛利', '毛利润', '净利润'],
  segment: ['segment', 'group', 'tier', 'class', '细分', '分层', '客户分层', '分组', '等级', '客户类型'],
  activity: ['activity', 'category', 'activitytype', 'expensetype', 'costtype', '活动', '费用类型', '活动类型', '类别'],
  actual: ['actual', 'spend', 'actualspend', 'actualcost', 'expense', '实际', '实际支出', '实际费用', '支出'],
  plan: ['plan', 'planned', 'budget', 'allocation', '计划', '预算', '计划金额', '预算金额', '分配金额'],
  period: ['period', 'month', 'quarter', '期间', '月份', '季度', '月'],
  weight: ['weight', 'score', 'clv', '权重', '得分', '评分'],
  floor: ['floor', 'minimum', 'min', '下限', '最低'],
  cap: ['cap', 'maximum', 'max', '上限', '最高'],
  saturation: ['saturation', 'saturationspend', '饱和', '饱和支出'],
  value: ['valueatstake', 'uplift', '价值'],
};

/** Lower-case, drop spaces, underscores, hyphens, dots and brackets: "Order ID" -> "orderid". */
export function normaliseHeader(header: CellValue): string {
  return String(header ?? '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-.()（）:：]/g, '');
}

/** The role a header names, or undefined. "amount" beats "value": the first listed role wins. */
export function roleOfHeader(header: CellValue): ColumnRole | undefined {
  const key = normaliseHeader(header);
  if (!key) return undefined;
  for (const role of Object.keys(HEADER_SYNONYMS) as ColumnRole[]) {
    if (HEADER_SYNONYMS[role].some((s) => normaliseHeader(s) === key)) return role;
  }
  return undefined;
}

export type ColumnOverrides = Partial<Record<ColumnRole, string | number>>;

/**
 * Finds the column index of each wanted role in a header row. Overrides name a header (any case)
 * or give a 0-based index; they are placed first, so no recognised header can take their column.
 * Otherwise the best synonym wins (the earliest in HEADER_SYNONYMS, e.g. 'customer' before 'id'),
 * whatever the column order. Missing required roles raise an error that lists the headers seen.
 */
export function resolveColumns<R extends ColumnRole>(
  headerRow: readonly CellValue[],
  required: readonly R[],
  optional: readonly ColumnRole[] = [],
  overrides: ColumnOverrides = {},
): Record<R, number> & Partial<Record<ColumnRole, number>> {
  const found: Partial<Record<ColumnRole, number>> = {};
  const normalised = headerRow.map(normaliseHeader);
  const roles = [...required, ...optional];
  for (const role of roles) {
    const override = overrides[role];
    if (override !== undefined) found[role] = indexOfOverride(normalised, headerRow, role, override);
  }
  for (const role of roles) {
    if (found[role] !== undefined) continue;
    const taken = new Set(Object.values(found));
    for (const synonym of HEADER_SYNONYMS[role].map(normaliseHeader)) {
      const index = normalised.findIndex((h, i) => !taken.has(i) && h === synonym);
      if (index >= 0) {
        found[role] = index;
        break;
      }
    }
  }
  assertOneColumnPerRole(headerRow, normalised, roles, found);
  for (const role of required) {
    if (found[role] === undefined) {
      const seen = headerRow.map((h) => `'${String(h ?? '')}'`).join(', ');
      throw engineError(
        'headers.missing',
        { role, headers: seen, examples: `${HEADER_SYNONYMS[role].slice(0, 2).join(' / ')} / ${HEADER_SYNONYMS[role].find((s) => /[^\x00-\x7f]/.test(s))}` },
        { column: role },
      );
    }
  }
  return found as Record<R, number> & Partial<Record<ColumnRole, number>>;
}

/**
 * Refuses a second column headed like the one found for a role ('amount' twice, or 'Amount' and
 * 'amount ' after normalisation), naming both columns: reading the first silently could read the
 * wrong one. Different synonyms ('total' beside 'amount') are ranked, not ambiguous.
 */
function assertOneColumnPerRole(headerRow: readonly CellValue[], normalised: readonly string[], roles: readonly ColumnRole[], found: Partial<Record<ColumnRole, number>>): void {
  for (const role of roles) {
    const at = found[role];
    if (at === undefined || normalised[at] === '') continue;
    const other = normalised.findIndex((h, i) => i !== at && h === normalised[at]);
    if (other < 0) continue;
    const [first, second] = other < at ? [other, at] : [at, other];
    throw engineError(
      'headers.duplicate',
      { first: columnLetter(first), second: columnLetter(second), header: String(headerRow[first] ?? '').trim(), role },
      { column: String(headerRow[second] ?? '') },
    );
  }
}

function indexOfOverride(normalised: string[], headerRow: readonly CellValue[], role: ColumnRole, override: string | number): number {
  if (typeof override === 'number') {
    if (override >= 0 && override < headerRow.length) return override;
  } else {
    const index = normalised.indexOf(normaliseHeader(override));
    if (index >= 0) return index;
  }
  throw engineError(
    'headers.notFound',
    { role, column: override, headers: headerRow.map((h) => `'${String(h ?? '')}'`).join(', ') },
    { column: String(override) },
  );
}

/** Spreadsheet column letters for a 0-based index: 0 -> A, 27 -> AB. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}
