/**
 * The streaming reader gives what the whole-file reader gives, row for row and message for
 * message, however the file is cut into chunks, in this thread and on worker threads.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTransactionsCsv } from '../../src/cli/csv-transactions';
import { readRfmMeasuresStreamed, readTransactionsStreamed, StreamFallback, StreamOptions } from '../../src/cli/csv-stream';
import { readCsvBytes } from '../../src/cli/read-input';
import { DistinctPairCounter } from '../../src/cli/byte-keys';
import { latestPurchaseDate, rfmMeasures } from '../../src/engine/rfm';
import { seededRandom } from '../../src/engine/random';
import { Transactions } from '../../src/engine/transactions';
import { tempFolder } from './run-cbp';

const WORKER = join(__dirname, 'ts-worker.js');
const SMALL_LINES = { maxLineBytes: 400 };

/** A messy export: quoted and padded ids, notes with line breaks and quotes, CRLF, blank lines, bad cells. */
function messyCsv(seed: number, rows: number, bad: boolean): string {
  const random = seededRandom(seed);
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
  const lines = ['note,customer,order,date,amount'];
  for (let r = 0; r < rows; r++) {
    const c = 1 + Math.floor(random() * 40);
    const customer = pick([`C${c}`, `"C${c}"`, ` C${c} `, `"C ${c}"`]);
    const note = pick(['', 'plain', '"two\nlines"', '"said ""hi"",\r\nthen left"', '12" pizza', '"a,b"']);
    const order = pick([`O${Math.floor(random() * 60)}`, `"O${Math.floor(random() * 60)}"`]);
    const day = 1 + Math.floor(random() * 28);
    const date = pick([`2025-03-${String(day).padStart(2, '0')}`, `2025/04/${String(day).padStart(2, '0')}`, `"2025-05-${String(day).padStart(2, '0')}"`]);
    const amount = pick(['12.50', '-3', '"1,234.50"', '0', '99.999', '7']);
    const cell = bad && random() < 0.03 ? pick(['soon', '', '12x']) : date;
    lines.push([note, customer, order, cell, amount].join(','));
    if (random() < 0.05) lines.push('');
  }
  return lines.join(random() < 0.5 ? '\n' : '\r\n') + '\n';
}

function plain(tx: Transactions) {
  return {
    customerIds: tx.customerIds,
    customerIndex: Array.from(tx.customerIndex),
    dates: Array.from(tx.dates),
    amountsMinor: Array.from(tx.amountsMinor),
    sourceRows: Array.from(tx.sourceRows),
    orderIndex: tx.orderIndex ? Array.from(tx.orderIndex) : undefined,
    skipped: tx.skipped.map((s) => ({ row: s.row, message: s.message })),
  };
}

async function whole(folder: string, file: string, skipInvalid: boolean) {
  return readTransactionsCsv(await readCsvBytes(file, { cwd: folder, ...SMALL_LINES }), { skipInvalid });
}

const MODES: [string, StreamOptions][] = [
  ['in this thread, 64-byte chunks', { workers: 0, chunkBytes: 64 }],
  ['in this thread, 1 KiB chunks', { workers: 0, chunkBytes: 1024 }],
  ['on 2 worker threads, 300-byte chunks', { workers: 2, chunkBytes: 300, workerScript: WORKER }],
];

describe.each(MODES)('streaming %s', (_, stream) => {
  test('rows, ids, orders and skipped rows equal the whole-file reader on messy files', async () => {
    const folder = tempFolder();
    for (const seed of [1, 2, 3]) {
      writeFileSync(join(folder, `tx${seed}.csv`), (seed === 2 ? '\ufeff' : '') + messyCsv(seed, 400, true));
      const expected = await whole(folder, `tx${seed}.csv`, true);
      expect(expected.skipped.length).toBeGreaterThan(3);
      const actual = await readTransactionsStreamed(`tx${seed}.csv`, { cwd: folder, ...SMALL_LINES }, { skipInvalid: true }, stream);
      expect(plain(actual)).toEqual(plain(expected));
    }
  });

  test('RFM measures equal rfmMeasures on the whole file, with and without an as-of date', async () => {
    const folder = tempFolder({ 'tx.csv': messyCsv(9, 600, false) });
    const tx = await whole(folder, 'tx.csv', false);
    for (const asOf of [undefined, latestPurchaseDate(tx) - 20]) {
      const at = asOf ?? latestPurchaseDate(tx);
      const expected = rfmMeasures(tx, at);
      const actual = await readRfmMeasuresStreamed('tx.csv', { cwd: folder, ...SMALL_LINES }, {}, asOf, stream);
      expect(actual.asOf).toBe(at);
      expect(actual.rowsAfterAsOf).toBe(expected.rowsAfterAsOf);
      expect(actual.customersWithoutPurchase).toBe(expected.customersWithoutPurchase);
      expect(actual.measures.customerIds).toEqual(expected.measures.customerIds);
      expect(Array.from(actual.measures.frequency)).toEqual(Array.from(expected.measures.frequency));
      expect(Array.from(actual.measures.recencyDays)).toEqual(Array.from(expected.measures.recencyDays));
      expect(Array.from(actual.measures.monetaryMinor)).toEqual(Array.from(expected.measures.monetaryMinor));
    }
  });

  test('the first bad row of a later chunk stops the read with its row in the file, as the whole-file reader does', async () => {
    const rows = ['customer,date,amount', ...Array.from({ length: 300 }, (_, i) => `C${i % 7},2025-01-${String(1 + (i % 28)).padStart(2, '0')},${i}.5`)];
    rows[250] = 'C3,2025-02-30,4';
    rows[280] = 'C4,later,4';
    const folder = tempFolder({ 'tx.csv': rows.join('\n') + '\n' });
    await expect(whole(folder, 'tx.csv', false)).rejects.toThrow("row 251, column date: '2025-02-30' is not a date");
    await expect(readTransactionsStreamed('tx.csv', { cwd: folder, ...SMALL_LINES }, {}, stream)).rejects.toThrow("row 251, column date: '2025-02-30' is not a date");
  });

  test('a line too long in a later chunk is refused with its line number', async () => {
    const rows = ['customer,date,amount', ...Array.from({ length: 200 }, (_, i) => `C${i},2025-01-01,1`)];
    rows[150] = `C150,2025-01-01,1,${'x'.repeat(500)}`;
    const folder = tempFolder({ 'tx.csv': rows.join('\n') + '\n' });
    const message = 'tx.csv, row 151: the line is longer than';
    await expect(whole(folder, 'tx.csv', false)).rejects.toThrow(message);
    await expect(readTransactionsStreamed('tx.csv', { cwd: folder, ...SMALL_LINES }, {}, stream)).rejects.toThrow(message);
  });
});

test('files in another encoding are left to the whole-file reader', async () => {
  const folder = tempFolder();
  writeFileSync(join(folder, 'gbk.csv'), Buffer.from([...Buffer.from('customer,date,amount\n'), 0xc0, 0xee, ...Buffer.from(',2025-01-01,5\n')]));
  writeFileSync(join(folder, 'utf16.csv'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('customer,date,amount\nA,2025-01-01,5\n', 'utf16le')]));
  await expect(readTransactionsStreamed('gbk.csv', { cwd: folder }, {}, { workers: 0 })).rejects.toThrow(StreamFallback);
  await expect(readTransactionsStreamed('utf16.csv', { cwd: folder }, {}, { workers: 0 })).rejects.toThrow(StreamFallback);
  await expect(readTransactionsStreamed('gbk.csv', { cwd: folder, encoding: 'gb18030' }, {}, { workers: 0 })).rejects.toThrow(StreamFallback);
});

test('a missing file is named as typed', async () => {
  await expect(readTransactionsStreamed('nope.csv', { cwd: tempFolder() }, {}, { workers: 0 })).rejects.toThrow('cannot read nope.csv: no such file');
});

describe('DistinctPairCounter', () => {
  test('counts distinct keys per tag exactly, also when different keys share a hash', () => {
    const random = seededRandom(5);
    const counter = new DistinctPairCounter(10);
    const expected = new Map<number, Set<string>>();
    for (let batch = 0; batch < 20; batch++) {
      const keys = Array.from({ length: 300 }, () => ({ tag: Math.floor(random() * 30), key: `O${Math.floor(random() * 200)}` }));
      const bytes = Buffer.from(keys.map((k) => k.key).join(''));
      let end = 0;
      counter.addBatch({
        customers: Int32Array.from(keys, (k) => k.tag),
        hashes: Uint32Array.from(keys, (k) => k.key.length % 3), // few hash values: most equal hashes are different keys
        ends: Int32Array.from(keys, (k) => (end += k.key.length)),
        bytes,
      });
      for (const { tag, key } of keys) expected.set(tag, (expected.get(tag) ?? new Set()).add(key));
    }
    const distinct = counter.distinctPerTag(32);
    expect(Array.from(distinct)).toEqual(Array.from({ length: 32 }, (_, t) => expected.get(t)?.size ?? 0));
    expect(distinct[31]).toBe(0);
  });
});

test('orders beyond the pair memory go to temporary files: the same frequencies, and the files are removed', async () => {
  const { readdirSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const spillFolders = () => readdirSync(tmpdir()).filter((name) => name.startsWith('cbp-orders-')).length;
  const before = spillFolders();
  const folder = tempFolder({ 'tx.csv': messyCsv(11, 3000, false) });
  const tx = await whole(folder, 'tx.csv', false);
  const expected = rfmMeasures(tx, latestPurchaseDate(tx));
  for (const stream of [{ workers: 0, chunkBytes: 64 }, { workers: 2, chunkBytes: 500, workerScript: WORKER }]) {
    const actual = await readRfmMeasuresStreamed('tx.csv', { cwd: folder, ...SMALL_LINES }, {}, undefined, { ...stream, pairMemoryBytes: 600 });
    expect(Array.from(actual.measures.frequency)).toEqual(Array.from(expected.measures.frequency));
    expect(actual.measures.customerIds).toEqual(expected.measures.customerIds);
  }
  expect(Math.max(...expected.measures.frequency)).toBeGreaterThan(20);
  expect(spillFolders()).toBe(before);
});
