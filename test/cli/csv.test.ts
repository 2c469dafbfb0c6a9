import fc from 'fast-check';
import { formatCsv, formatCsvLine, parseCsv } from '../../src/cli/csv';
import { ByteKeyTable } from '../../src/cli/byte-keys';
import { readTransactionsCsv } from '../../src/cli/csv-transactions';
import { readTransactionTable } from '../../src/engine/transactions';
import { InputError } from '../../src/engine/errors';

describe('parseCsv', () => {
  it('reads quoted fields, doubled quotes, CRLF, a BOM and short rows', () => {
    const table = parseCsv('\ufeffa,b,c\r\n1,"x, ""y""",3\r\n\r\n4,5\n');
    expect(table.header).toEqual(['a', 'b', 'c']);
    expect(table.rowCount).toBe(2);
    expect(table.columns).toEqual([
      ['1', '4'],
      ['x, "y"', '5'],
      ['3', ''],
    ]);
  });

  it('detects semicolon and tab delimiters', () => {
    expect(parseCsv('客户;金额\nA;1,5\n').columns).toEqual([['A'], ['1,5']]);
    expect(parseCsv('a\tb\n1\t2').columns).toEqual([['1'], ['2']]);
  });

  it('keeps a newline inside quotes as part of the field', () => {
    expect(parseCsv('a,b\n"line1\nline2",2\n').columns[0]).toEqual(['line1\nline2']);
  });

  it('round-trips any table through formatCsv', () => {
    const field = fc.string({ maxLength: 8 }).map((s) => s.replace(/\r/g, ''));
    fc.assert(
      fc.property(fc.array(fc.tuple(field, field, field), { minLength: 1, maxLength: 20 }), (rows) => {
        const nonBlank = rows.filter((r) => !(r[0] === '' && r[1] === '' && r[2] === '') && !(r[0].trim() === '' && r[1] === '' && r[2] === ''));
        const parsed = parseCsv(formatCsv(['a', 'b', 'c'], nonBlank));
        expect(parsed.rowCount).toBe(nonBlank.length);
        nonBlank.forEach((row, r) => row.forEach((value, c) => expect(parsed.columns[c][r]).toBe(value)));
      }),
    );
  });

  it('writes numbers plainly and quotes only what needs it', () => {
    expect(formatCsvLine(['a,b', 'say "hi"', 12.5, null, ' pad'])).toBe('"a,b","say ""hi""",12.5,," pad"');
  });
});

describe('ByteKeyTable', () => {
  it('gives equal byte strings the same id, across buffers and growth', () => {
    const table = new ByteKeyTable(4);
    const a = Buffer.from('C1,C2,C1,客户,C2');
    expect(table.intern(a, 0, 2)).toBe(0);
    expect(table.intern(a, 3, 5)).toBe(1);
    expect(table.intern(a, 6, 8)).toBe(0);
    expect(table.intern(Buffer.from('C2'), 0, 2)).toBe(1);
    const zh = Buffer.from('客户');
    expect(table.intern(zh, 0, zh.length)).toBe(2);
    expect(table.keyText(2)).toBe('客户');
    for (let i = 0; i < 5000; i++) table.intern(Buffer.from(`k${i}`), 0, `k${i}`.length);
    expect(table.size).toBe(5003);
    expect(table.intern(Buffer.from('k4321'), 0, 5)).toBe(3 + 4321);
    expect(table.intern(a, 0, 2)).toBe(0);
  });
});

describe('readTransactionsCsv (byte fast path)', () => {
  const csv = [
    'Customer,Order ID,Date,Amount',
    'A,o1,2025-01-31,10.005',
    '" A ",o2,2025/2/1,"¥1,234.50"',
    'B,o3,2025年3月1日,(12.00)',
    ',,,',
    'B,o3,45658,-0.5',
  ].join('\n');

  it('reads plain and decorated fields exactly like the engine reader', () => {
    const fast = readTransactionsCsv(Buffer.from(csv));
    const slow = readTransactionTable(parseCsv(csv).header ? [parseCsv(csv).header, ...rowsOf(csv)] : []);
    expect(fast.customerIds).toEqual(['A', 'B']);
    expect(Array.from(fast.customerIndex)).toEqual([0, 0, 1, 1]);
    // 10.005 -> 1001 cents (half up); ¥1,234.50 -> 123450; (12.00) -> -1200; -0.5 -> -50
    expect(Array.from(fast.amountsMinor)).toEqual([1001, 123450, -1200, -50]);
    // 2025-01-31 = 20119 epoch days; Excel serial 45658 = 2025-01-01 = 20089
    expect(Array.from(fast.dates)).toEqual([20119, 20120, 20148, 20089]);
    expect(Array.from(fast.sourceRows)).toEqual([2, 3, 4, 6]);
    expect(Array.from(fast.orderIndex!)).toEqual([0, 1, 2, 2]);
    expect(Array.from(fast.dates)).toEqual(Array.from(slow.dates));
    expect(Array.from(fast.amountsMinor)).toEqual(Array.from(slow.amountsMinor));
    expect(fast.customerIds).toEqual(slow.customerIds);
  });

  it('names the row, column and value of a bad field, or skips and counts it', () => {
    const bad = 'customer,date,amount\nA,2025-01-01,5\nB,soon,7\n';
    expect(() => readTransactionsCsv(Buffer.from(bad))).toThrow(InputError);
    expect(() => readTransactionsCsv(Buffer.from(bad))).toThrow("row 3, column date: 'soon' is not a date");
    const skipped = readTransactionsCsv(Buffer.from(bad), { skipInvalid: true });
    expect(skipped.skipped).toHaveLength(1);
    expect(skipped.skipped[0].row).toBe(3);
    expect(skipped.customerIds).toEqual(['A']);
  });

  it('agrees with the engine reader on random tables', () => {
    const customer = fc.constantFrom('A', 'B', ' C', '客户1', '"q"', '1001');
    const date = fc.constantFrom('2024-02-29', '2024/3/1', '2024.12.31', '2023年1月2日', '45000', '20240105', '2024-01-05 13:45');
    const amount = fc.oneof(
      fc.integer({ min: -100000, max: 100000 }).map((c) => (c / 100).toFixed(2)),
      fc.constantFrom('1,234.5', '¥8', '$1,000', '(3.25)', '0.125', '7'),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(customer, date, amount), { minLength: 1, maxLength: 30 }), (rows) => {
        const text = formatCsv(['客户', '日期', '金额'], rows);
        const fast = readTransactionsCsv(Buffer.from(text));
        const slow = readTransactionTable([['客户', '日期', '金额'], ...rows]);
        expect(fast.customerIds).toEqual(slow.customerIds);
        expect(Array.from(fast.customerIndex)).toEqual(Array.from(slow.customerIndex));
        expect(Array.from(fast.dates)).toEqual(Array.from(slow.dates));
        expect(Array.from(fast.amountsMinor)).toEqual(Array.from(slow.amountsMinor));
      }),
    );
  });
});

function rowsOf(text: string): string[][] {
  const table = parseCsv(text);
  return Array.from({ length: table.rowCount }, (_, r) => table.columns.map((c) => c[r]));
}
