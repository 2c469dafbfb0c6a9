import type { MessageArea } from '../index';

/** Messages of the Google Sheets host: its menu, the sidebar's title and its own errors. */
export const sheetsHost: MessageArea = {
  en: {
    'sheets.menu': 'Budget Planner',
    'sheets.menu.plan': 'Generate Plan',
    'sheets.menu.variance': 'Track Variance',
    'sheets.menu.approve': 'Approve Plan',
    'sheets.sidebarTitle': 'Customer Budget Planner',
    'sheets.settingsTooLarge': 'The settings to remember are {bytes} bytes; a document property holds at most {limit}.',
  },
  'zh-CN': {
    'sheets.menu': '预算规划',
    'sheets.menu.plan': '生成计划',
    'sheets.menu.variance': '跟踪差异',
    'sheets.menu.approve': '审批计划',
    'sheets.sidebarTitle': '客户预算规划',
    'sheets.settingsTooLarge': '要保存的设置为 {bytes} 字节；文档属性最多 {limit} 字节。',
  },
};
