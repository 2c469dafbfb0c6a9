/**
 * Reads a sheet of an .xlsx file into rows of host cell values (numbers, text, booleans, Dates,
 * '' for blanks), the form the engine's readers take. Formula cells give their cached result.
 */
import ExcelJS from 'exceljs';
import { readFile } from 'node:fs/promises';
import { CellValue, InputError } from '../../engine/errors';
import { Locale, t } from '../../i18n';

/** An OLE compound file (CFB): old .xls workbooks, and .xlsx files Excel has encrypted with a password. */
const CFB_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
/** The stream an encrypted OOXML package is stored in, as its directory entry names it (UTF-16LE). */
const ENCRYPTED_PACKAGE = Buffer.from('EncryptedPackage', 'utf16le');
/** Every .xlsx is a zip package: local file header "PK\x03\x04". */
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

export type XlsxProblem = 'password-protected' | 'old-xls' | 'not-xlsx';

/**
 * Why bytes named .xlsx cannot be an .xlsx, from their first bytes: a CFB container holding an
 * "EncryptedPackage" stream is a password-protected workbook (the name is looked for anywhere in
 * the file, which covers its directory sectors wherever they lie); any other CFB is an old .xls;
 * anything else that is not a zip package is not an .xlsx. Undefined when it looks like a zip.
 */
export function xlsxProblem(bytes: Uint8Array): XlsxProblem | undefined {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.subarray(0, 8).equals(CFB_MAGIC)) return buffer.includes(ENCRYPTED_PACKAGE) ? 'password-protected' : 'old-xls';
  return buffer.subarray(0, 4).equals(ZIP_MAGIC) ? undefined : 'not-xlsx';
}

const PROBLEM_MESSAGES: Readonly<Record<XlsxProblem, string>> = {
  'password-protected': 'input.passwordProtected',
  'old-xls': 'input.oldXls',
  'not-xlsx': 'input.notXlsx',
};

/**
 * Opens an .xlsx file, saying what is wrong in the user's terms (`shownPath`: the path as they
 * gave it) when it is password-protected, an old .xls, or damaged; never a zip library's message.
 * A missing file is the file system's ENOENT error, for the caller to report.
 */
export async function loadXlsxWorkbook(path: string, shownPath = path, locale: Locale = 'en'): Promise<ExcelJS.Workbook> {
  const bytes = await readFile(path);
  const problem = xlsxProblem(bytes);
  const fail = (p: XlsxProblem) => new InputError('bad-file', t(locale, PROBLEM_MESSAGES[p], { path: shownPath }));
  if (problem) throw fail(problem);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch {
    throw fail('not-xlsx');
  }
  return workbook;
}

/** Converts one ExcelJS cell value to an engine cell value. */
export function excelJsToCell(value: ExcelJS.CellValue): CellValue {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value;
  if (typeof value === 'object') {
    if ('result' in value) return excelJsToCell((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
    if ('richText' in value) return (value as ExcelJS.CellRichTextValue).richText.map((run) => run.text).join('');
    if ('text' in value) return String((value as ExcelJS.CellHyperlinkValue).text);
    if ('error' in value) return String((value as ExcelJS.CellErrorValue).error);
  }
  return String(value);
}

/** Names the sheets of a workbook, for messages. */
function sheetNames(workbook: ExcelJS.Workbook): string {
  return workbook.worksheets.map((s) => `'${s.name}'`).join(', ');
}

/** Rows of the first sheet (or the named one), trimmed to the used width; blank rows kept as ''. */
export async function readXlsxTable(path: string, sheet?: string, shownPath = path): Promise<CellValue[][]> {
  const workbook = await loadXlsxWorkbook(path, shownPath);
  const worksheet = sheet === undefined ? workbook.worksheets[0] : workbook.getWorksheet(sheet);
  if (!worksheet) {
    throw new InputError(
      'bad-parameter',
      sheet === undefined
        ? `${shownPath} has no worksheets`
        : `${shownPath} has no sheet named '${sheet}'; its sheets are ${sheetNames(workbook)}`,
    );
  }
  const width = worksheet.actualColumnCount > 0 ? worksheet.columnCount : 0;
  const rows: CellValue[][] = [];
  worksheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
    const cells: CellValue[] = new Array(width);
    for (let c = 1; c <= width; c++) cells[c - 1] = excelJsToCell(row.getCell(c).value);
    rows[rowNumber - 1] = cells;
  });
  for (let r = 0; r < rows.length; r++) if (!rows[r]) rows[r] = new Array<CellValue>(width).fill('');
  return rows;
}
