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
    'functions.allocate.saturationRequired':
      "method optimal needs the saturation spend: one amount for every customer (e.g. 2000) or a column aligned with the weights. It is the spend at which a customer's response reaches about 63 % of its value",
    'functions.allocate.saturationBlank': 'the saturation spend is blank; enter one for every customer that has a weight, or one amount for all',
    'functions.allocate.saturationPositive': "the saturation spend {value} must be above 0; enter the spend at which this customer's response reaches about 63 % of its value",
    'functions.allocate.segmentBlank': 'the segment is blank; enter a segment for every customer that has a weight, or leave segments out',
    'functions.allocate.outputNeedsOptimal': "'{value}' needs method \"optimal\"; with {method} use amount or bound",
    'functions.allocate.limitsNeedOptimal': 'segment limits apply to method "optimal" only; set method to "optimal" or leave segment_limits empty',
    'functions.allocate.limitsNeedSegments': 'segment limits need the segments argument: select the segment of each customer, a column aligned with the weights',
    'functions.allocate.limitShape':
      'select three columns (segment, minimum share, maximum share) or enter text such as Lost<=5%;Champions>=20% (got {rows} rows × {columns} columns)',
    'functions.allocate.limitText': "'{value}' is not a segment limit; write segment<=share or segment>=share, separated by semicolons, e.g. Lost<=5%;Champions>=20%",
    'functions.allocate.limitShare': "the share {value} for '{segment}' must be a fraction from 0 to 1, such as 20% or 0.2",
    'functions.allocate.limitNoName': 'the segment name is blank; enter the segment in the first column, or clear the shares of this row',
    'functions.allocate.limitUnknownSegment': "there is no segment '{segment}' in segments (segments: {segments}); check the spelling",
    'functions.allocate.limitDuplicate': "'{segment}' has more than one {kind} share; give each segment at most one minimum and one maximum",
    'functions.allocate.limitMinAboveMax': "the minimum share of '{segment}' ({min}) is above its maximum share ({max}); lower the minimum or raise the maximum",
    'functions.allocate.kind.min': 'minimum',
    'functions.allocate.kind.max': 'maximum',
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
    'functions.allocate.saturationRequired': 'optimal 方法需要饱和支出：所有客户一个金额（例如 2000），或与权重对齐的一列。饱和支出是客户响应达到其价值约 63% 时的支出',
    'functions.allocate.saturationBlank': '饱和支出为空；请为每位有权重的客户填写，或对所有客户使用一个金额',
    'functions.allocate.saturationPositive': '饱和支出 {value} 必须大于 0；请填写该客户响应达到其价值约 63% 时的支出',
    'functions.allocate.segmentBlank': '客户分层为空；请为每位有权重的客户填写分层，或省略分层参数',
    'functions.allocate.outputNeedsOptimal': '“{value}”需要 optimal 方法；{method} 方法请使用 amount 或 bound',
    'functions.allocate.limitsNeedOptimal': '分层限额只适用于 optimal 方法；请把方法设为 "optimal"，或清空分层限额参数',
    'functions.allocate.limitsNeedSegments': '分层限额需要分层参数：请选择每位客户的分层（与权重对齐的一列）',
    'functions.allocate.limitShape': '请选择三列（分层、最低占比、最高占比），或输入文本，例如 Lost<=5%;Champions>=20%（当前为 {rows} 行 × {columns} 列）',
    'functions.allocate.limitText': '“{value}”不是分层限额；请写成 分层<=占比 或 分层>=占比，用分号分隔，例如 Lost<=5%;Champions>=20%',
    'functions.allocate.limitShare': '“{segment}”的占比 {value} 必须是 0 到 1 之间的比例，例如 20% 或 0.2',
    'functions.allocate.limitNoName': '分层名称为空；请在第一列填写分层，或清空这一行的占比',
    'functions.allocate.limitUnknownSegment': '分层中没有“{segment}”（现有分层：{segments}）；请检查拼写',
    'functions.allocate.limitDuplicate': '“{segment}”有多个{kind}占比；每个分层最多一个最低占比和一个最高占比',
    'functions.allocate.limitMinAboveMax': '“{segment}”的最低占比（{min}）高于最高占比（{max}）；请降低最低占比或提高最高占比',
    'functions.allocate.kind.min': '最低',
    'functions.allocate.kind.max': '最高',
  },
};
