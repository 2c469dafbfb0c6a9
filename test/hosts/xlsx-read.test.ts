/** Reading .xlsx sheets into engine cells: dates as Dates, cached formula results, rich text flattened. */
import ExcelJS from 'exceljs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readXlsxTable } from '../../src/hosts/xlsx';
import { readTransactionTable } from '../../src/engine/transactions';
import { epochDaysFromCivil } from '../../src/engine/dates';

async function fixture(): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  const first = workbook.addWorksheet('Notes');
  first.getCell('A1').value = 'not the data';
  const sheet = workbook.addWorksheet('Sales');
  sheet.addRow(['Customer', 'Date', 'Amount', 'Flag']);
  sheet.addRow([{ richText: [{ text: 'Acme ' }, { font: { bold: true }, text: 'Ltd' }] }, new Date(Date.UTC(2025, 0, 31)), { formula: '10*2', result: 20 }, true]);
  sheet.addRow([]);
  sheet.addRow([{ text: 'Beta', hyperlink: 'https://example.com' }, new Date(Date.UTC(2025, 1, 1)), 5.5, { error: '#N/A' }]);
  const path = join(mkdtempSync(join(tmpdir(), 'cbp-read-')), 'in.xlsx');
  await workbook.xlsx.writeFile(path);
  return path;
}

describe('readXlsxTable', () => {
  it('reads the first sheet, or the named one, as engine cells', async () => {
    const path = await fixture();
    expect(await readXlsxTable(path)).toEqual([['not the data']]);
    const rows = await readXlsxTable(path, 'Sales');
    expect(rows).toEqual([
      ['Customer', 'Date', 'Amount', 'Flag'],
      ['Acme Ltd', new Date(Date.UTC(2025, 0, 31)), 20, true],
      ['', '', '', ''],
      ['Beta', new Date(Date.UTC(2025, 1, 1)), 5.5, '#N/A'],
    ]);
    // The engine takes them as they are: the blank row is skipped, dates and amounts read.
    const tx = readTransactionTable(rows.map((r) => r.slice(0, 3)));
    expect(Array.from(tx.dates)).toEqual([epochDaysFromCivil(2025, 1, 31), epochDaysFromCivil(2025, 2, 1)]);
    expect(Array.from(tx.amountsMinor)).toEqual([2000, 550]);
  });

  it('names the sheets there are when the asked one is missing', async () => {
    await expect(readXlsxTable(await fixture(), 'Nope')).rejects.toThrow("has no sheet named 'Nope'; its sheets are 'Notes', 'Sales'");
  });
});
