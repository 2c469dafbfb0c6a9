/** The instrumented fake behaves like Excel where the host depends on it. */
import { FakeExcel, FakeOfficeError, typedInput } from './fake-excel';

describe('fake Excel: the proxy / load / sync protocol', () => {
  it('throws PropertyNotLoaded on a property read before load and sync, and answers after', async () => {
    const fake = new FakeExcel({ sheets: [{ name: 'Data', values: [['a', 1]] }] });
    const context = fake.newContext();
    const range = context.workbook.worksheets.getItem('Data').getRange('A1:B1');
    expect(() => range.values).toThrow(/The property 'values' is not available/);
    range.load('values');
    expect(() => range.values).toThrow(FakeOfficeError); // loaded, but not yet synced
    await context.sync();
    expect(range.values).toEqual([['a', 1]]);
  });

  it('applies writes only at sync, in order', async () => {
    const fake = new FakeExcel({ sheets: [{ name: 'Data' }] });
    const context = fake.newContext();
    const range = context.workbook.worksheets.getItem('Data').getRange('A1');
    range.values = [[5]];
    range.values = [[6]];
    expect(fake.cell('Data', 'A1').value).toBe('');
    await context.sync();
    expect(fake.cell('Data', 'A1').value).toBe(6);
    expect(fake.log.requests[0]).toMatchObject({ sync: 1, operations: 2 });
  });

  it('answers isNullObject only after a sync', async () => {
    const fake = new FakeExcel({ sheets: [{ name: 'Data' }] });
    const context = fake.newContext();
    const missing = context.workbook.worksheets.getItemOrNullObject('Nope');
    const present = context.workbook.worksheets.getItemOrNullObject('data'); // names ignore case
    expect(() => missing.isNullObject).toThrow(/isNullObject/);
    await context.sync();
    expect(missing.isNullObject).toBe(true);
    expect(present.isNullObject).toBe(false);
  });

  it('reads typed text as Excel does, unless the cell is formatted as text', async () => {
    expect(typedInput('=SUM(A1)')).toEqual({ value: '', formula: '=SUM(A1)' });
    expect(typedInput('+cmd')).toEqual({ value: '', formula: '=+cmd' });
    expect(typedInput('@x')).toEqual({ value: '', formula: '=@x' });
    expect(typedInput('-5')).toEqual({ value: -5 });
    expect(typedInput('00123')).toEqual({ value: 123 });
    expect(typedInput('1,234.5')).toEqual({ value: 1234.5 });
    expect(typedInput('5%')).toEqual({ value: 0.05 });
    // 2025-01-31 is 20,119 days after 1970-01-01; + 25,569 = serial 45,688.
    expect(typedInput('2025-01-31')).toEqual({ value: 45688 });
    expect(typedInput('TRUE')).toEqual({ value: true });
    expect(typedInput('Acme')).toEqual({ value: 'Acme' });
    const fake = new FakeExcel({ sheets: [{ name: 'S' }] });
    const context = fake.newContext();
    const sheet = context.workbook.worksheets.getItem('S');
    sheet.getRange('A1:B1').values = [['=SUM(A1)', '00123']];
    const text = sheet.getRange('A2:B2');
    text.numberFormat = [['@', '@']];
    text.values = [['=SUM(A1)', '00123']];
    await context.sync();
    expect(fake.cell('S', 'A1')).toMatchObject({ formula: '=SUM(A1)' });
    expect(fake.cell('S', 'B1').value).toBe(123);
    expect(fake.cell('S', 'A2')).toMatchObject({ value: '=SUM(A1)', formula: undefined, numberFormat: '@' });
    expect(fake.cell('S', 'B2').value).toBe('00123');
  });

  it('refuses a request over the payload limit and applies none of it', async () => {
    const fake = new FakeExcel({ sheets: [{ name: 'S' }], maxRequestBytes: 1000 });
    const context = fake.newContext();
    context.workbook.worksheets.getItem('S').getRange('A1:A100').values = Array.from({ length: 100 }, () => ['x'.repeat(20)]);
    await expect(context.sync()).rejects.toMatchObject({ code: 'RequestPayloadSizeLimitExceeded' });
    expect(fake.cell('S', 'A1').value).toBe('');
    // 100 rows of ["xxxxxxxxxxxxxxxxxxxx"] are 100 x 24 bytes + 101 for commas and brackets, plus the path.
    expect(fake.log.requestBytes[0]).toBeGreaterThan(2500);
  });

  it('fails the k-th sync after the given number of operations, keeping the ones before', async () => {
    const fake = new FakeExcel({ sheets: [{ name: 'S' }] });
    fake.failAtSync(2, { afterOperations: 1 });
    const context = fake.newContext();
    const sheet = context.workbook.worksheets.getItem('S');
    sheet.getRange('A1').values = [[1]];
    await context.sync();
    sheet.getRange('A2').values = [[2]];
    sheet.getRange('A3').values = [[3]];
    await expect(context.sync()).rejects.toMatchObject({ code: 'GeneralException' });
    expect(fake.values('S', 'A1:A3')).toEqual([[1], [2], ['']]);
    expect(fake.log.requests[1].failed).toMatch(/injected failure at sync 2/);
  });

  it('refuses writes to a protected sheet, and bad or taken sheet names', async () => {
    const fake = new FakeExcel({ sheets: [{ name: 'Locked', protected: true }, { name: 'Data' }] });
    const context = fake.newContext();
    context.workbook.worksheets.getItem('Locked').getRange('A1').values = [[1]];
    await expect(context.sync()).rejects.toMatchObject({ code: 'InvalidOperation' });
    context.workbook.worksheets.add('DATA');
    await expect(context.sync()).rejects.toMatchObject({ code: 'ItemAlreadyExists' });
    context.workbook.worksheets.add('a/b');
    await expect(context.sync()).rejects.toMatchObject({ code: 'InvalidArgument' });
    context.workbook.worksheets.add('x'.repeat(32));
    await expect(context.sync()).rejects.toMatchObject({ code: 'InvalidArgument' });
  });

  it('keeps table names unique in the workbook and tables from overlapping', async () => {
    const fake = new FakeExcel({ sheets: [{ name: 'A', values: [['h'], [1]], tables: [{ name: 'T1', address: 'A1:A2' }] }, { name: 'B', values: [['h'], [1]] }] });
    const context = fake.newContext();
    const added = context.workbook.worksheets.getItem('B').tables.add('A1:A2', true);
    added.name = 't1';
    await expect(context.sync()).rejects.toMatchObject({ code: 'InvalidArgument' });
    context.workbook.worksheets.getItem('A').tables.add('A2:A3', true);
    await expect(context.sync()).rejects.toMatchObject({ code: 'InvalidOperation' });
  });

  it('appends table rows below the body and moves the totals row down', async () => {
    const fake = new FakeExcel({ sheets: [{ name: 'S', values: [['k', 'v'], ['a', 1], ['Total', 1]], tables: [{ name: 'T', address: 'A1:B3', showTotals: true }] }] });
    const context = fake.newContext();
    const table = context.workbook.tables.getItem('T');
    table.rows.add(undefined, [['b', 2]]);
    const count = table.rows.getCount();
    await context.sync();
    expect(count.value).toBe(2);
    expect(fake.values('S', 'A1:B4')).toEqual([['k', 'v'], ['a', 1], ['b', 2], ['Total', 1]]);
    expect(fake.sheet('S').tables[0].address).toBe('A1:B4');
  });
});
