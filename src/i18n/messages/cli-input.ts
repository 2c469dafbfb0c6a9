import type { MessageArea } from '../index';

/** Messages about the files the `cbp` command reads and writes (encodings, sizes, file formats). */
export const cliInput: MessageArea = {
  en: {
    'input.encodingFallback': '{path} is not UTF-8; reading it as GB18030 (Chinese Windows Excel). If the text looks wrong, name the encoding with --encoding',
    'input.badEncoding': '{path} is not valid {encoding} (at byte {offset}); save it as CSV UTF-8, or name its encoding with --encoding utf-8|gb18030|gbk|utf-16le|utf-16be',
    'input.lineTooLong': '{path}, row {row}: the line is longer than {limit} MiB, the most cbp reads in one line; check that the file is a CSV with line breaks and balanced quotes',
    'input.cellTooLong': '{path}, row {row}, column {column}: the cell has {length} characters, more than the {limit} Excel allows in a cell; shorten it',
    'input.passwordProtected': '{path} is password-protected; open it in Excel, remove the password (File > Info > Protect Workbook) and save an unprotected copy to use',
    'input.oldXls': '{path} is an old Excel 97-2003 workbook (.xls), not .xlsx; open it in Excel and save it as an Excel Workbook (.xlsx)',
    'input.notXlsx': '{path} is not a valid .xlsx file (it is damaged, truncated or another kind of file); open it in Excel and save it again as an Excel Workbook (.xlsx)',
    'output.notWritable': 'cannot write {path}: {reason}; choose a folder you can write to',
    'input.duplicateHeader': "{path}: columns {first} and {second} are both headed '{header}'; rename or delete one so each column has its own header",
    'input.tooLargeNotUtf8': '{path} is larger than 2 GiB and not UTF-8; cbp reads files that large in UTF-8 only: save it as CSV UTF-8 or convert it (e.g. iconv -f GB18030 -t UTF-8)',
  },
  'zh-CN': {
    'input.encodingFallback': '{path} 不是 UTF-8 编码，已按 GB18030（中文版 Windows Excel）读取。若文字显示不对，请用 --encoding 指定编码',
    'input.badEncoding': '{path} 不是有效的 {encoding} 编码（第 {offset} 字节）；请另存为 “CSV UTF-8”，或用 --encoding utf-8|gb18030|gbk|utf-16le|utf-16be 指定编码',
    'input.lineTooLong': '{path}，第 {row} 行：该行超过 {limit} MiB，超出 cbp 单行读取的上限；请检查文件是否为带换行、引号成对的 CSV',
    'input.cellTooLong': '{path}，第 {row} 行，{column} 列：单元格有 {length} 个字符，超过 Excel 单元格上限 {limit}；请缩短',
    'input.passwordProtected': '{path} 受密码保护；请在 Excel 中打开，取消密码（文件 > 信息 > 保护工作簿）后另存一份无密码的副本再使用',
    'input.oldXls': '{path} 是旧版 Excel 97-2003 工作簿（.xls），不是 .xlsx；请在 Excel 中打开并另存为 “Excel 工作簿 (.xlsx)”',
    'input.notXlsx': '{path} 不是有效的 .xlsx 文件（已损坏、不完整或是其他类型的文件）；请在 Excel 中打开并重新另存为 “Excel 工作簿 (.xlsx)”',
    'output.notWritable': '无法写入 {path}：{reason}；请选择可写入的文件夹',
    'input.duplicateHeader': '{path}：第 {first} 列和第 {second} 列的标题都是“{header}”；请重命名或删除其中一列，使每列标题各不相同',
    'input.tooLargeNotUtf8': '{path} 大于 2 GiB 且不是 UTF-8 编码；这么大的文件 cbp 只读取 UTF-8：请另存为 “CSV UTF-8” 或转换编码（如 iconv -f GB18030 -t UTF-8）',
  },
};
