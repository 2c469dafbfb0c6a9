import type { MessageArea } from '../index';

/** Messages of the CBP.* custom functions (argument shape, result size, options). */
export const functions: MessageArea = {
  en: {
    'functions.error.notAColumn': 'select a single column or row (got {rows} rows × {columns} columns)',
    'functions.error.notOneCell': 'enter one value or select one cell (got {rows} rows × {columns} columns)',
    'functions.error.lengthMismatch': 'has {count} rows but {reference} has {expected}; select ranges of the same height',
    'functions.error.noData': 'there is no data; select the cells that hold the values',
    'functions.error.notOneOf': "'{value}' is not one of {choices}",
    'functions.error.notABoolean': "'{value}' is not TRUE or FALSE",
    'functions.error.notANumberList': "'{value}' is not a list of numbers such as 1,1,2",
    'functions.error.tooLarge':
      "the result ({rows} rows, about {megabytes} MB) is larger than Excel's 5 MB limit for a custom function's result. Use the Customer Budget Planner task pane (Home > Budget Planner), which writes large tables to a sheet in batches.",
    'functions.error.tooManyRows':
      'the result has {rows} rows but a worksheet holds at most 1,048,576. Use the Customer Budget Planner task pane (Home > Budget Planner) or the cbp command line for data this large.',
    'functions.error.unexpected': '{function} failed unexpectedly ({detail}). Please report it with the inputs that cause it.',
  },
  'zh-CN': {
    'functions.error.notAColumn': '请选择单列或单行（当前为 {rows} 行 × {columns} 列）',
    'functions.error.notOneCell': '请输入一个值或选择一个单元格（当前为 {rows} 行 × {columns} 列）',
    'functions.error.lengthMismatch': '有 {count} 行，但 {reference} 有 {expected} 行；请选择高度相同的区域',
    'functions.error.noData': '没有数据；请选择包含数值的单元格',
    'functions.error.notOneOf': '“{value}”不是以下选项之一：{choices}',
    'functions.error.notABoolean': '“{value}”不是 TRUE 或 FALSE',
    'functions.error.notANumberList': '“{value}”不是数字列表（例如 1,1,2）',
    'functions.error.tooLarge':
      '结果（{rows} 行，约 {megabytes} MB）超过了 Excel 自定义函数结果 5 MB 的上限。请使用“客户预算规划”任务窗格（开始 > 预算规划），它会分批把大表写入工作表。',
    'functions.error.tooManyRows':
      '结果有 {rows} 行，但一张工作表最多只有 1,048,576 行。数据量这么大时，请使用“客户预算规划”任务窗格（开始 > 预算规划）或 cbp 命令行。',
    'functions.error.unexpected': '{function} 意外失败（{detail}）。请连同导致问题的输入一起报告。',
  },
};
