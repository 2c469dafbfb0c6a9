/**
 * One chunk of a transaction CSV (whole lines) parsed into a batch that can cross a thread
 * boundary: typed arrays and the bytes of the batch's distinct customer and order ids, no objects
 * pointing into the chunk. Used on worker threads (./csv-worker) and, without workers, in the
 * command's own thread, so both give the same batches.
 */
import { CellLocation, CellValue, ErrorDetail, InputError, InputErrorCode, withLocation } from '../engine/errors';
import { CsvTransactionOptions, readRecordBatch, TransactionLayout } from './csv-transactions';
import { checkLines, LineProblem } from './read-input';

export interface ChunkRequest {
  bytes: Buffer;
  /** Where the chunk's records start (after the header row in the first chunk). */
  start: number;
  layout: TransactionLayout;
  options: Omit<CsvTransactionOptions, 'onProgress' | 'columns'>;
  maxLineBytes: number;
  delimiter: string;
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

export interface PortableBatch {
  customers: PortableKeys;
  orders?: PortableKeys;
  customerIndex: Int32Array;
  dates: Int32Array;
  amountsMinor: Float64Array;
  /** Record numbers counted from the chunk's first record (1). */
  sourceRows: Int32Array;
  orderIndex?: Int32Array;
  kept: number;
  records: number;
  skipped: PortableError[];
  endedInQuote: boolean;
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

/** Parses a chunk; an unreadable row (without skipInvalid) comes back as its error, not thrown. */
export function parseChunk(request: ChunkRequest): ChunkResult {
  const { bytes, start, layout, options, maxLineBytes, delimiter } = request;
  const { lines, problem } = checkLines(bytes, maxLineBytes, delimiter);
  if (problem) return { lines, lineProblem: problem };
  let batch;
  try {
    batch = readRecordBatch(bytes, start, layout, options, 0);
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
  const arrays = [b.customers.bytes, b.customers.ends, b.customers.hashes, b.customerIndex, b.dates, b.amountsMinor, b.sourceRows, ...(b.orders ? [b.orders.bytes, b.orders.ends, b.orders.hashes] : []), ...(b.orderIndex ? [b.orderIndex] : [])];
  const buffers = new Set<ArrayBuffer>();
  for (const a of arrays) if (a.buffer instanceof ArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength) buffers.add(a.buffer);
  return [...buffers];
}
