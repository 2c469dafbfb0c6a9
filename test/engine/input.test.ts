import fc from 'fast-check';
import { epochDaysFromExcelSerial, excelSerialFromEpochDays, formatIsoDate, readDate, epochDaysFromCivil } from '../../src/engine/dates';
import { readMoney, readNumber, toMinorUnits } from '../../src/engine/money';
import { resolveColumns, roleOfHeader } from '../../src/engine/headers';
import { readTransactionColumns, readTransactionTable } from '../../src/engine/transactions';
import { InputError } from '../../src/engine/errors';

describe('dates', () => {
  it('reads Excel serials in the 1900 system, including the fictitious 1900-02-29', () => {
    expect(formatIsoDate(epochDaysFromExcelSerial(1)!)).toBe('1900-01-01');
    expect(formatIsoDate(epochDaysFromExcelSerial(59)!)).toBe('1900-02-28');
    expect(epochDaysFromExcelSerial(60)).toBeUndefined(); // 1900-02-29 never existed
    expect(formatIsoDate(epochDaysFromExcelSerial(61)!)).toBe('1900-03-01');
    expect(formatIsoDate(epochDaysFromExcelSerial(45658.75)!)).toBe('2025-01-01'); // time part ignored
  });

  it('round-trips serials', () => {
    fc.assert(fc.property(fc.integer({ min: 61, max: 2958465 }), (serial) => expect(excelSerialFromEpochDays(epochDaysFromExcelSerial(serial)!)).toBe(serial)));
  });

  it('reads every listed text form and Date objects to the same day', () => {
    const jan31 = epochDaysFromCivil(2025, 1, 31);
    for (const text of ['2025-01-31', '2025/1/31', '2025.1.31', '2025年1月31日', '2025-01-31T08:30:00', '2025/01/31 23:59', '20250131', '45688']) {
      expect(readDate(text)).toBe(jan31);
    }
    expect(readDate(new Date(Date.UTC(2025, 0, 31)))).toBe(jan31);
    expect(readDate(45688)).toBe(jan31);
  });

  it('refuses ambiguous day/month text unless an order is set, naming the cell', () => {
    expect(() => readDate('01/02/2025', { row: 12, column: 'date' })).toThrow("row 12, column date: '01/02/2025' could be day/month or month/day");
    expect(formatIsoDate(readDate('01/02/2025', {}, { dateOrder: 'dmy' }))).toBe('2025-02-01');
    expect(formatIsoDate(readDate('01/02/2025', {}, { dateOrder: 'mdy' }))).toBe('2025-01-02');
    expect(formatIsoDate(readDate('31/01/2025'))).toBe('2025-01-31'); // only one reading is a date
    expect(() => readDate('2025-02-30', { cell: 'B7' })).toThrow("cell B7: '2025-02-30' is not a date");
    expect(() => readDate('', { row: 3 })).toThrow(/row 3: the date is blank/);
  });
});

describe('money', () => {
  it('reads numbers and money text into exact minor units', () => {
    expect(readMoney('1,234.50')).toBe(123450);
    expect(readMoney('¥1,234.50')).toBe(123450);
    expect(readMoney('$1,234')).toBe(123400);
    expect(readMoney('(123.00)')).toBe(-12300);
    expect(readMoney('-12.345')).toBe(-1235); // half away from zero
    expect(readMoney('1234元')).toBe(123400);
    expect(readMoney('RMB 88')).toBe(8800);
    expect(readMoney(1.005)).toBe(101); // 1.005 is 1.00499999... in binary; money rounds as written
    expect(readMoney(0.1 + 0.2)).toBe(30);
    expect(readMoney('1,234', {}, { minorDigits: 0 })).toBe(1234);
  });

  it('adds up exactly: equal totals compare equal', () => {
    expect(readMoney('0.10') + readMoney('0.20')).toBe(readMoney('0.30'));
    fc.assert(fc.property(fc.integer({ min: -1e12, max: 1e12 }), (cents) => expect(readMoney((cents / 100).toFixed(2))).toBe(cents)));
    fc.assert(fc.property(fc.integer({ min: -1e12, max: 1e12 }), (cents) => expect(toMinorUnits(cents / 100)).toBe(cents)));
  });

  it('names the cell and says what to do with bad money', () => {
    expect(() => readMoney('12x', { row: 5, column: '金额' })).toThrow("row 5, column 金额: '12x' is not an amount; use a number such as 1234.50");
    expect(() => readNumber('abc', { row: 2, column: 'score' })).toThrow(InputError);
    expect(readNumber('5%')).toBe(0.05);
  });

  it('refuses a decimal comma instead of misreading it, and says how to write the number', () => {
    // Before: '1.234,50' was read as 1.2345 and '12,5' as 125, silently.
    expect(() => readMoney('1.234,50', { row: 3, column: 'amount' })).toThrow("row 3, column amount: '1.234,50' is not an amount; it looks like a decimal comma; write 1234.50 (a dot before the decimals, commas only between thousands)");
    expect(() => readMoney('€12,5')).toThrow('write 12.5');
    expect(() => readNumber('12,5', { row: 4, column: 'weight' })).toThrow("row 4, column weight: '12,5' is not a number; it looks like a decimal comma; write 12.5");
    expect(() => readMoney('1 234,50')).toThrow('is not an amount');
    expect(() => readMoney('12,34,567')).toThrow('is not an amount'); // commas only between groups of three
    // Commas between thousands are still fine, with or without decimals.
    expect(readMoney('1,234')).toBe(123400);
    expect(readMoney('12,345,678.9')).toBe(1234567890);
    expect(readNumber('1,234.5')).toBe(1234.5);
  });

  it('reads full-width digits and signs as typed with a Chinese input method', () => {
    expect(readMoney('１２３４．５０')).toBe(123450);
    expect(readMoney('￥１，２３４')).toBe(123400);
    expect(readMoney('（１２）')).toBe(-1200);
    expect(readNumber('８０％')).toBe(0.8);
    expect(readNumber('－３')).toBe(-3);
  });

  it('reads plain numbers as JavaScript does, and nothing else', () => {
    fc.assert(fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), (x) => expect(readNumber(String(x))).toBe(Number(String(x)))));
    for (const text of ['0x10', '1.5.5', '(3)', '- ', 'Infinity']) expect(() => readNumber(text)).toThrow('is not a number');
  });
});

describe('headers', () => {
  it('recognises English and Chinese synonyms, case- and space-insensitively', () => {
    expect(roleOfHeader(' Order ID ')).toBe('orderId');
    expect(roleOfHeader('客户名称')).toBe('customer');
    expect(roleOfHeader('交易日期')).toBe('date');
    expect(roleOfHeader('销售额')).toBe('amount');
    expect(roleOfHeader('实际支出')).toBe('actual');
    expect(roleOfHeader('费用类型')).toBe('activity');
    expect(resolveColumns(['订单号', '客户', '日期', '金额'], ['customer', 'date', 'amount'], ['orderId'])).toMatchObject({ customer: 1, date: 2, amount: 3, orderId: 0 });
  });

  it('takes user mappings and lists the headers it saw when one is missing', () => {
    expect(resolveColumns(['who', 'when', 'how much'], ['customer', 'date', 'amount'], [], { customer: 'who', date: 'WHEN', amount: 2 })).toMatchObject({ customer: 0, date: 1, amount: 2 });
    expect(() => resolveColumns(['who', 'date', 'amount'], ['customer', 'date', 'amount'])).toThrow("no customer column found among the headers 'who', 'date', 'amount'");
  });

  it('prefers the best-named column, not the leftmost: a row id is not the customer', () => {
    expect(resolveColumns(['id', 'customer', 'date', 'amount'], ['customer', 'date', 'amount'])).toMatchObject({ customer: 1, date: 2, amount: 3 });
    expect(resolveColumns(['total', 'amount', 'customer', 'date'], ['customer', 'date', 'amount'])).toMatchObject({ amount: 1 });
    expect(resolveColumns(['id', 'date', 'amount'], ['customer', 'date', 'amount'])).toMatchObject({ customer: 0 }); // still found when it is all there is
  });

  it('places user mappings first, so a recognised header cannot take their column', () => {
    // The order id is mapped to the 'customer' column by the user; the customer is then 'client'.
    expect(resolveColumns(['customer', 'client', 'date', 'amount'], ['customer', 'date', 'amount'], ['orderId'], { orderId: 'customer' })).toMatchObject({ orderId: 0, customer: 1 });
  });
});

describe('transaction tables', () => {
  it('skips fully blank rows and names the row, column and value of a bad one', () => {
    const rows = [['Customer', 'Date', 'Amount'], ['A', '2025-01-01', '5'], ['', '', ''], ['B', 'someday', '7']];
    expect(() => readTransactionTable(rows)).toThrow("row 4, column Date: 'someday' is not a date");
    const skipped = readTransactionTable(rows, { skipInvalid: true });
    expect(skipped.skipped).toEqual([{ row: 4, message: expect.stringContaining('someday'), error: expect.any(InputError) }]);
    expect(skipped.skipped[0].error?.location).toEqual({ row: 4, column: 'Date' });
    expect(skipped.customerIds).toEqual(['A']);
  });

  it('checks that argument columns have the same length', () => {
    expect(() => readTransactionColumns({ customers: ['A', 'B'], dates: [45000], amounts: [1, 2] }, {}, 1, { dates: 'dates' })).toThrow('dates has 1 rows but customer has 2');
  });
});
