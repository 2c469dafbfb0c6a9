import ExcelJS from 'exceljs';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { writeSpecStreaming, TABLE_NOTE } from '../../src/hosts/xlsx/write-streaming';
import { WorkbookSpec } from '../../src/workbook/spec';

describe('streaming .xlsx writer (large plans)', () => {
  it('writes values, formats, an AutoFilter and SUBTOTAL totals where a table would be', async () => {
    const spec: WorkbookSpec = {
      sheets: [
        {
          name: 'Budget Plan',
          blocks: [{ row: 0, col: 0, values: [['Budget', 300]], numberFormats: [null, '#,##0.00'] }],
          tables: [{ name: 'CBP_Plan', row: 3, col: 0, header: ['Customer', 'Allocation'], rows: [['=A1', 100], ['B', 200]], numberFormats: [null, '#,##0'], totalsRow: true }],
          conditionalFormats: [{ type: 'dataBar', range: 'B5:B6', color: '2E75B6' }],
          charts: [],
        },
      ],
    };
    const path = join(mkdtempSync(join(tmpdir(), 'cbp-stream-')), 'plan.xlsx');
    await writeSpecStreaming(spec, path);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    const sheet = workbook.getWorksheet('Budget Plan')!;
    expect(sheet.getCell('B1').value).toBe(300);
    expect(sheet.getCell('A3').value).toBe(TABLE_NOTE);
    expect(sheet.getCell('A4').value).toBe('Customer');
    expect(sheet.getCell('A5').value).toBe('=A1'); // text stays text
    expect(sheet.getCell('B6').value).toBe(200);
    expect(sheet.getCell('B6').numFmt).toBe('#,##0');
    // Header on row 4, data rows 5-6, totals on row 7 summing rows 5-6.
    expect(sheet.getCell('B7').value).toMatchObject({ formula: 'SUBTOTAL(109,B5:B6)', result: 300 });
    expect(sheet.autoFilter).toBe('A4:B6');
  });
});
