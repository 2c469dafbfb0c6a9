import type { MessageArea } from '../index';

/** Messages of `cbp sql`, the SQL for the user's warehouse. */
export const warehouse: MessageArea = {
  en: {
    'sql.unknownQuery': "unknown query '{query}'; give one of {queries}, e.g. cbp sql rfm --dialect postgres --table sales.transactions",
    'sql.unknownDialect': "unknown dialect '{dialect}'; give --dialect {dialects}",
    'sql.missingDialect': 'give the warehouse with --dialect {dialects}',
    'sql.missingTable': 'give the transactions table with --table NAME (schema.table or project.dataset.table)',
    'sql.badDate': "--as-of '{value}' is not a date; write it as yyyy-mm-dd, e.g. 2025-12-31",
    'sql.badNumber': "--{option} '{value}' is not {what}",
  },
  'zh-CN': {
    'sql.unknownQuery': '未知的查询“{query}”；请给出 {queries} 之一，例如 cbp sql rfm --dialect postgres --table sales.transactions',
    'sql.unknownDialect': '未知的数据库方言“{dialect}”；请用 --dialect {dialects}',
    'sql.missingDialect': '请用 --dialect {dialects} 指定数据仓库',
    'sql.missingTable': '请用 --table 名称 指定交易表（schema.table 或 project.dataset.table）',
    'sql.badDate': '--as-of “{value}” 不是日期；请写成 yyyy-mm-dd，例如 2025-12-31',
    'sql.badNumber': '--{option} “{value}” 不是{what}',
  },
};
