/**
 * One chunk of a transaction CSV (whole lines) parsed into a batch that can cross a thread
 * boundary: typed arrays and the bytes of the batch's distinct customer and order ids, no objects
 * pointing into the chunk. Used on worker threads (./csv-worker) and, without workers, in the
 * command's own thread, so both give the same batches.
 */
import { CellLocation, CellValue, ErrorDetail, InputError, InputErrorCode, withLocation } from '../engine/errors';
import { countsAsPurchase } from '../engine/rfm-stream';
import { bytesEqual } from './byte-keys';
import { CsvTransactionOptions, readRecordBatch, RecordBatch, TransactionLayout } from './csv-transactions';
import { checkLines, LineProblem } from './read-input';

export interface ChunkRequest {
  bytes: Buffer;
  /** Where the chunk's records start (after the header row in the first chunk). */
  start: number;
  layout: TransactionLayout;
  options: Omit<CsvTransactionOptions, 'onProgress' | 'columns'>;
  maxLineBytes: number;
  delimiter: string;
  /** Counting distinct orders (cbp rfm): the batch carries the (customer, order) pairs of the rows frequency counts, not an order table. */
  countPairs?: { asOf?: number };
}

/** An InputError as plain data; `message` without its location. */
export interface PortableError {
  code: InputErrorCode;
  message: string;
  location: CellLocation;
  value: CellValue;
  detail?: ErrorDetail;
}

/** The keys of a ByteKeyTable as one byte run, their end offsets (key k is bytes[ends[k-1], ends[k])) and FNV-1a hashes. */
export interface PortableKeys {
  bytes: Uint8Array;
  ends: Int32Array;
  hashes: Uint32Array;
}

/** (customer, order id) pairs: pair k is (customers[k], bytes[ends[k-1], ends[k])), hashes[k] the FNV-1a hash of its bytes. */
export interface PortablePairs {
  customers: Int32Array;
  hashes: Uint32Array;
  ends: Int32Array;
  bytes: Uint8Array;
}

/** A RecordBatch as plain data: key tables as byte runs, errors as data, order ids as pairs (with countPairs). */
export interface PortableBatch extends Omit<RecordBatch, 'customers' | 'orders' | 'skipped' | 'orderBytes' | 'orderEnds' | 'orderHashes'> {
  customers: PortableKeys;
  orders?: PortableKeys;
  /** With countPairs: the pairs of the counted rows, customers numbered as in `customers`. */
  pairs?: PortablePairs;
  skipped: PortableError[];
  /** Lines of the chunk. */
  lines: number;
}

/** A chunk's batch; or the first row it could not read; or a line too long to read, found before any row is read. */
export type ChunkResult = { batch: PortableBatch } | { error: PortableError } | { lines: number; lineProblem: LineProblem };

export function portableError(error: InputError): PortableError {
  const prefix = withLocation('', error.location).length;
  return { code: error.code, message: error.message.slice(prefix), location: error.location, value: error.value, ...(error.detail ? { detail: error.detail } : {}) };
}

/** The InputError again, its row moved on by `rowsBefore`. */
export function relocatedError(error: PortableError, rowsBefore: number): InputError {
  const location = error.location.row === undefined ? error.location : { ...error.location, row: error.location.row + rowsBefore };
  return new InputError(error.code, error.message, location, error.value, error.detail); // the constructor puts the location in front
}

/** The (customer, order) pairs of the rows whose orders frequency counts, orders repeated on one customer's consecutive rows taken once. */
function countedPairs(batch: RecordBatch, asOf: number | undefined): PortablePairs {
  const { orderBytes, orderEnds, orderHashes } = batch as Required<RecordBatch>;
  const customers = new Int32Array(batch.kept);
  const hashes = new Uint32Array(batch.kept);
  const ends = new Int32Array(batch.kept);
  const bytes = new Uint8Array(orderBytes.length);
  let n = 0;
  let used = 0;
  for (let i = 0; i < batch.kept; i++) {
    if (!countsAsPurchase(batch.dates[i], batch.amountsMinor[i], asOf)) continue;
    const from = i === 0 ? 0 : orderEnds[i - 1];
    const to = orderEnds[i];
    const c = batch.customerIndex[i];
    if (n > 0 && customers[n - 1] === c && hashes[n - 1] === orderHashes[i] && bytesEqual(orderBytes, from, to, bytes, n > 1 ? ends[n - 2] : 0, used)) continue;
    for (let k = from; k < to; k++) bytes[used++] = orderBytes[k];
    customers[n] = c;
    hashes[n] = orderHashes[i];
    ends[n] = used;
    n++;
  }
  return { customers: customers.slice(0, n), hashes: hashes.slice(0, n), ends: ends.slice(0, n), bytes: bytes.slice(0, used) };
}

/** Parses a chunk; an unreadable row (without skipInvalid) comes back as its error, not thrown. */
export function parseChunk(request: ChunkRequest): ChunkResult {
  const { bytes, start, layout, options, maxLineBytes, delimiter } = request;
  const { lines, problem } = checkLines(bytes, maxLineBytes, delimiter);
  if (problem) return { lines, lineProblem: problem };
  let batch;
  try {
    batch = readRecordBatch(bytes, start, layout, options, 0, request.countPairs ? 'bytes' : 'intern', lines);
  } catch (error) {
    if (error instanceof InputError) return { error: portableError(error) };
    throw error;
  }
  return {
    batch: {
      customers: batch.customers.exportKeys(),
      ...(batch.orders ? { orders: batch.orders.exportKeys() } : {}),
      customerIndex: batch.customerIndex.slice(0, batch.kept),
      dates: batch.dates.slice(0, batch.kept),
      amountsMinor: batch.amountsMinor.slice(0, batch.kept),
      sourceRows: batch.sourceRows.slice(0, batch.kept),
      ...(batch.orderIndex ? { orderIndex: batch.orderIndex.slice(0, batch.kept) } : {}),
      ...(request.countPairs && batch.orderBytes ? { pairs: countedPairs(batch, request.countPairs.asOf) } : {}),
      kept: batch.kept,
      records: batch.records,
      skipped: batch.skipped.map(portableError),
      endedInQuote: batch.endedInQuote,
      lines,
    },
  };
}

/** The buffers of a result, to transfer rather than copy to the thread that asked. */
export function transferables(result: ChunkResult): ArrayBuffer[] {
  if (!('batch' in result)) return [];
  const b = result.batch;
  const arrays = [b.customers.bytes, b.customers.ends, b.customers.hashes, b.customerIndex, b.dates, b.amountsMinor, b.sourceRows, ...(b.orders ? [b.orders.bytes, b.orders.ends, b.orders.hashes] : []), ...(b.orderIndex ? [b.orderIndex] : []), ...(b.pairs ? [b.pairs.customers, b.pairs.hashes, b.pairs.ends, b.pairs.bytes] : [])];
  const buffers = new Set<ArrayBuffer>();
  for (const a of arrays) if (a.buffer instanceof ArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength) buffers.add(a.buffer);
  return [...buffers];
}
