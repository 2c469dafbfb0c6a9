import type { MessageArea } from '../index';

export const common: MessageArea = {
  en: {
    'product.name': 'Customer Budget Planner',
    'sheet.plan': 'Budget Plan',
    'sheet.variance': 'Variance',
    'sheet.log': 'CBP Log',
  },
  'zh-CN': {
    'product.name': '客户预算规划',
    'sheet.plan': '预算方案',
    'sheet.variance': '预算差异',
    'sheet.log': '运行日志',
  },
};
