import type { MessageArea } from '../index';

/** Messages of the runs (Generate Plan, Track Variance), in every host, that reach the user. */
export const runs: MessageArea = {
  en: {
    'runs.noPlanTable': 'No plan table (CBP_Plan) was found{where}; generate a plan first, or choose the sheet that holds one.',
    'runs.onSheet': ' on sheet {sheet}',
    'runs.noAllocationColumn': 'The plan table {table} has no allocation column; choose a sheet written by Generate Plan.',
    'runs.noActuals': 'The actual spend {source} has no rows; choose a table with customer, date and amount columns.',
    'runs.needsActivity': 'Comparing by activity needs an activity column in the actual spend and activity columns in the plan.',
    'runs.clvFailed': 'The customer lifetime values (BG/NBD) could not be estimated from these transactions: {reason}. Choose another weight basis, or use a longer purchase history.',
    'runs.clvNotFinite': 'the fitted model gives no finite value for {count} of {customers} customers',
  },
  'zh-CN': {
    'runs.noPlanTable': '未找到计划表（CBP_Plan）{where}；请先生成计划，或选择包含计划表的工作表。',
    'runs.onSheet': '（工作表 {sheet}）',
    'runs.noAllocationColumn': '计划表 {table} 没有分配金额列；请选择由“生成计划”写入的工作表。',
    'runs.noActuals': '实际支出 {source} 没有数据行；请选择包含客户、日期和金额列的表。',
    'runs.needsActivity': '按活动比较需要实际支出中有活动列，且计划中有活动列。',
    'runs.clvFailed': '无法根据这些交易估计客户终身价值（BG/NBD）：{reason}。请选择其他权重依据，或使用更长的购买历史。',
    'runs.clvNotFinite': '拟合的模型对 {customers} 位客户中的 {count} 位给不出有限值',
  },
};
