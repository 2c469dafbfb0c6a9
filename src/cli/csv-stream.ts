/**
 * Reads a transaction CSV of any size as a stream. The file is cut into chunks at line breaks;
 * each chunk is parsed on a worker thread (./csv-worker, when the compiled worker is there) or in
 * this thread; batches are merged in file order into one table of customer ids (and of orders or
 * (customer, order) pairs), so a reader keeps what grows with customers, not with rows. Results
 * and messages are those of readTransactionsCsv on the whole file. What this reader does not
 * handle (another encoding than UTF-8, found in any chunk) it signals with StreamFallback: the
 * caller then drops what it has and reads the file whole.
 */
import { isUtf8 } from 'node:buffer';
import { existsSync } from 'node:fs';
import { FileHandle, open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { InputError } from '../engine/errors';
import type { EpochDays } from '../engine/dates';
import { RfmMeasuresAccumulator, StreamedRfmMeasures } from '../engine/rfm-stream';
import { skippedRow, Transactions } from '../engine/transactions';
import { ByteKeyTable } from './byte-keys';
import { grownArray } from '../engine/typed-arrays';
import { SpillingPairCounter } from './pair-spill';
import { ChunkRequest, ChunkResult, parseChunk, PortableBatch, PortableKeys, relocatedError } from './csv-chunk';
import { countLineBreaks, CsvTransactionOptions, readTransactionLayout, TransactionLayout } from './csv-transactions';
import { byteOrderMark } from './encoding';
import { assertDistinctHeaderLine, fileError, firstLineDelimiter, InputOptions, lineProblemError, MAX_LINE_BYTES } from './read-input';
import type { WorkerRequest } from './csv-worker';

/** Bytes per chunk on worker threads: large enough that a worker's message costs nothing beside its parsing. */
export const STREAM_CHUNK_BYTES = 16 << 20;
/** Bytes per chunk in this thread: small enough that a chunk's own key tables stay in the cache. */
export const IN_THREAD_CHUNK_BYTES = 2 << 20;
/** Below this size a file is parsed in this thread: workers start cold (each compiles the parser again), which costs more than they save. */
export const WORKERS_FROM_BYTES = 64 << 20;

/** The file is not one this reader handles (not UTF-8): read it whole instead. */
export class StreamFallback extends Error {}

export interface StreamOptions {
  /** Worker threads (default: one per core, at most 4); 0 parses in this thread. */
  workers?: number;
  /** The worker's script (default: the compiled ./csv-worker.js beside this file; without it, no workers). */
  workerScript?: string;
  chunkBytes?: number;
  /** Bytes of (customer, order) pairs held in memory before they go to temporary files (default PAIR_MEMORY_BYTES). */
  pairMemoryBytes?: number;
}

/** Rows of one chunk after merging: customers (and orders or pairs) numbered across the whole file. */
export interface MergedRows {
  customers: Int32Array;
  dates: Int32Array;
  amountsMinor: Float64Array;
  /** Record numbers in the file (header = 1). */
  sourceRows: Int32Array;
  /** Per row, when orders are numbered: the order's number. */
  orderKeys?: Int32Array;
  count: number;
}

/**
 * What to do with an order column: number the orders (for Transactions), or count each customer's
 * distinct orders among the rows frequency counts at `asOf` (countsAsPurchase), without keeping rows.
 */
export type OrderKeys = 'number' | { countDistinctAsOf: EpochDays | undefined };

export interface StreamSummary {
  customers: ByteKeyTable;
  /** With countDistinct and an order column: per customer, its distinct orders among the counted rows. */
  distinctOrders?: Int32Array;
  skipped: InputError[];
  records: number;
}

function defaultWorkerScript(): string | undefined {
  const script = join(__dirname, 'csv-worker.js');
  return existsSync(script) ? script : undefined;
}

/** A first chunk's header: the layout, where data starts, and the bytes to skip (a UTF-8 BOM). */
function headerOf(first: Buffer, path: string, options: CsvTransactionOptions): { layout: TransactionLayout; bodyStart: number; delimiter: string } {
  assertDistinctHeaderLine(first, path);
  const { layout, bodyStart } = readTransactionLayout(first, options);
  return { layout, bodyStart, delimiter: firstLineDelimiter(first) };
}

/** Parses chunks on worker threads, each worker taking every n-th chunk; results come back by id. */
class ChunkWorkers {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, { resolve: (r: ChunkResult) => void; reject: (e: Error) => void }>();

  constructor(script: string, count: number) {
    this.workers = Array.from({ length: count }, () => {
      const worker = new Worker(script);
      worker.on('message', (message: { id: number; result?: ChunkResult; failure?: string }) => {
        const task = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.result) task?.resolve(message.result);
        else task?.reject(new Error(message.failure));
      });
      worker.on('error', (error) => {
        for (const task of this.pending.values()) task.reject(error);
        this.pending.clear();
      });
      return worker;
    });
  }

  parse(id: number, request: ChunkRequest): Promise<ChunkResult> {
    return new Promise((resolvePromise, reject) => {
      this.pending.set(id, { resolve: resolvePromise, reject });
      const { bytes, ...rest } = request;
      const message: WorkerRequest = { ...rest, id, buffer: bytes.buffer as ArrayBuffer, byteOffset: bytes.byteOffset, byteLength: bytes.byteLength };
      this.workers[id % this.workers.length].postMessage(message, [bytes.buffer as ArrayBuffer]);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

interface Chunk {
  /** Where its bytes start in the file. */
  offset: number;
  end: number;
  result: Promise<ChunkResult>;
}

/**
 * Merges batches in file order: customer ids (and orders or pairs) into tables that copy their
 * bytes, rows renumbered, errors moved to their row in the file.
 */
class BatchMerger {
  readonly customers = new ByteKeyTable(1 << 16);
  private readonly orders: ByteKeyTable | undefined;
  private readonly pairs: SpillingPairCounter | undefined;
  readonly skipped: InputError[] = [];
  recordsBefore = 1; // the header row
  linesBefore = 0;

  constructor(
    keys: OrderKeys,
    hasOrder: boolean,
    private readonly path: string,
    private readonly maxLineBytes: number,
    expectedRows: number,
    pairMemoryBytes: number | undefined,
  ) {
    this.orders = hasOrder && keys === 'number' ? new ByteKeyTable(1 << 16) : undefined;
    this.pairs = hasOrder && keys !== 'number' ? new SpillingPairCounter(expectedRows, pairMemoryBytes) : undefined;
  }

  merge(batch: PortableBatch): MergedRows {
    const localCustomers = this.globalIds(batch.customers, this.customers);
    const count = batch.kept;
    const customers = new Int32Array(count);
    for (let i = 0; i < count; i++) customers[i] = localCustomers[batch.customerIndex[i]];
    const sourceRows = batch.sourceRows;
    for (let i = 0; i < count; i++) sourceRows[i] += this.recordsBefore;
    const rows: MergedRows = { customers, dates: batch.dates, amountsMinor: batch.amountsMinor, sourceRows, count };
    if (this.orders) rows.orderKeys = this.orderNumbers(batch, this.orders);
    if (this.pairs && batch.pairs) {
      const pairCustomers = batch.pairs.customers;
      for (let k = 0; k < pairCustomers.length; k++) pairCustomers[k] = localCustomers[pairCustomers[k]];
      this.pairs.addBatch(batch.pairs);
    }
    for (const error of batch.skipped) this.skipped.push(relocatedError(error, this.recordsBefore));
    this.recordsBefore += batch.records;
    this.linesBefore += batch.lines;
    return rows;
  }

  /** A chunk that stopped: at a line too long to read, or at a row it could not read (no --skip-invalid); its row in the file. */
  fail(result: Exclude<ChunkResult, { batch: PortableBatch }>): never {
    if ('error' in result) throw relocatedError(result.error, this.recordsBefore);
    throw lineProblemError({ ...result.lineProblem, row: result.lineProblem.row + this.linesBefore }, this.path, this.maxLineBytes);
  }

  private globalIds(keys: PortableKeys, table: ByteKeyTable): Int32Array {
    const { bytes, ends, hashes } = keys;
    const ids = new Int32Array(ends.length);
    for (let k = 0, start = 0; k < ends.length; start = ends[k], k++) ids[k] = table.internCopy(bytes, start, ends[k], hashes[k]);
    return ids;
  }

  private orderNumbers(batch: PortableBatch, table: ByteKeyTable): Int32Array {
    const local = this.globalIds(batch.orders!, table);
    return Int32Array.from(batch.orderIndex!.subarray(0, batch.kept), (o) => local[o]);
  }

  distinctOrders(): Int32Array | undefined {
    return this.pairs?.distinctPerTag(this.customers.size);
  }

  /** Removes the order pairs written to disk, if any. */
  dispose(): void {
    this.pairs?.dispose();
  }
}

async function readAt(file: FileHandle, offset: number, length: number): Promise<Buffer> {
  const bytes = Buffer.allocUnsafeSlow(length); // its own ArrayBuffer, so it can be moved to a worker
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await file.read(bytes, filled, length - filled, offset + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled === length ? bytes : bytes.subarray(0, filled);
}

/**
 * Streams a transaction CSV through `onRows`, chunk by chunk in file order. `keys`: number orders
 * ('orders', for Transactions) or (customer, order) pairs ('pairs', for counting each customer's
 * distinct orders). `onProgress` is called after each chunk with the records and the fraction of
 * the file read.
 */
export async function streamTransactionCsv(
  path: string,
  input: InputOptions,
  options: CsvTransactionOptions,
  keys: OrderKeys,
  onRows: (rows: MergedRows) => void,
  stream: StreamOptions = {},
): Promise<StreamSummary> {
  if (input.encoding !== undefined && input.encoding !== 'utf-8') throw new StreamFallback('encoding');
  let file: FileHandle;
  try {
    file = await open(resolve(input.cwd ?? process.cwd(), path), 'r');
  } catch (error) {
    throw fileError(error, path);
  }
  let workers: ChunkWorkers | undefined;
  let merger: BatchMerger | undefined;
  try {
    const { size } = await file.stat().catch((error: unknown) => {
      throw fileError(error, path);
    });
    const script = stream.workerScript ?? defaultWorkerScript();
    const workerCount = script ? (stream.workers ?? (size >= WORKERS_FROM_BYTES ? Math.min(4, availableParallelism()) : 0)) : 0;
    workers = workerCount > 0 && script ? new ChunkWorkers(script, workerCount) : undefined;
    const maxLineBytes = input.maxLineBytes ?? MAX_LINE_BYTES;
    const chunkBytes = stream.chunkBytes ?? (workers ? STREAM_CHUNK_BYTES : IN_THREAD_CHUNK_BYTES);
    const head = await readAt(file, 0, Math.min(size, 4));
    const bom = byteOrderMark(head);
    if (bom && bom.encoding !== 'utf-8') throw new StreamFallback('byte-order mark');
    const firstOffset = bom ? bom.length : 0;
    const { options: parseOptions, header, expectedRows } = await (async () => {
      const first = await readAt(file, firstOffset, Math.min(size - firstOffset, Math.max(chunkBytes, 1 << 16)));
      if (!isUtf8(first.subarray(0, Math.max(0, first.lastIndexOf(10) + 1) || first.length))) throw new StreamFallback('not UTF-8');
      const rest = { ...options }; // what a worker needs: no callback, columns already in the layout
      delete rest.onProgress;
      delete rest.columns;
      // Rows in the file, guessed from the first block's lines: to size the pair table once.
      const lines = Math.max(1, countLineBreaks(first, 0));
      return { options: rest, header: headerOf(first, path, options), expectedRows: Math.ceil((size / Math.max(1, first.length)) * lines) };
    })();
    const merging = new BatchMerger(keys, header.layout.hasOrder, path, maxLineBytes, expectedRows, stream.pairMemoryBytes);
    merger = merging;

    let nextId = 0;
    const dispatch = (bytes: Buffer, start: number, inThread: boolean): Promise<ChunkResult> => {
      const request: ChunkRequest = { bytes, start, layout: header.layout, options: parseOptions, maxLineBytes, delimiter: header.delimiter, ...(keys === 'number' ? {} : { countPairs: { asOf: keys.countDistinctAsOf } }) };
      const id = nextId++;
      if (workers && !inThread) return workers.parse(id, request);
      try {
        return Promise.resolve(parseChunk(request));
      } catch (error) {
        return Promise.reject(error);
      }
    };

    // Chunks are cut at the last line break of each block; a line longer than a block is refused.
    let offset = firstOffset;
    const nextChunk = async (): Promise<Chunk | undefined> => {
      if (offset >= size) return undefined;
      const isFirst = offset === firstOffset;
      const blockLength = Math.min(size - offset, Math.max(chunkBytes, maxLineBytes + 1));
      let bytes = await readAt(file, offset, blockLength);
      if (offset + bytes.length < size) {
        const lastBreak = bytes.lastIndexOf(10);
        if (lastBreak < 0) {
          // No line break in more than the longest line: refused when its turn comes, with its row then known.
          const chunk: Chunk = { offset, end: size, result: Promise.resolve({ lines: 0, lineProblem: { kind: 'line', row: 1 } }) };
          offset = size;
          return chunk;
        }
        bytes = bytes.subarray(0, lastBreak + 1);
      }
      if (!isUtf8(bytes)) throw new StreamFallback('not UTF-8');
      const chunk: Chunk = { offset, end: offset + bytes.length, result: dispatch(bytes, isFirst ? header.bodyStart : 0, false) };
      offset = chunk.end;
      return chunk;
    };

    const inFlight: Chunk[] = [];
    const depth = Math.max(1, 2 * workerCount);
    for (;;) {
      while (inFlight.length < depth) {
        const chunk = await nextChunk();
        if (!chunk) break;
        inFlight.push(chunk);
      }
      let chunk = inFlight.shift();
      if (!chunk) break;
      let result = await chunk.result;
      // A quoted field ran past the chunk's end: read this chunk and the next as one, in this thread.
      while ('batch' in result && result.batch.endedInQuote && chunk.end < size) {
        const following = inFlight.shift() ?? (await nextChunk());
        if (!following) break;
        await following.result.catch(() => undefined);
        const bytes = await readAt(file, chunk.offset, following.end - chunk.offset);
        chunk = { offset: chunk.offset, end: following.end, result: dispatch(bytes, chunk.offset === firstOffset ? header.bodyStart : 0, true) };
        result = await chunk.result;
      }
      if (!('batch' in result)) return merging.fail(result);
      onRows(merging.merge(result.batch));
      options.onProgress?.(merging.recordsBefore - 1, chunk.end / Math.max(1, size));
    }
    const distinctOrders = merging.distinctOrders();
    return { customers: merging.customers, ...(distinctOrders ? { distinctOrders } : {}), skipped: merging.skipped, records: merging.recordsBefore - 1 };
  } finally {
    merger?.dispose();
    await workers?.close();
    await file.close();
  }
}

/** All the rows of a transaction CSV as the engine's Transactions, read as a stream: no file-size limit, memory by rows (about 20 bytes each). */
export async function readTransactionsStreamed(path: string, input: InputOptions, options: CsvTransactionOptions, stream: StreamOptions = {}): Promise<Transactions> {
  let customerIndex = new Int32Array(1 << 16);
  let dates = new Int32Array(1 << 16);
  let amountsMinor = new Float64Array(1 << 16);
  let sourceRows = new Int32Array(1 << 16);
  let orderIndex: Int32Array | undefined;
  let hasOrder = false;
  let kept = 0;
  const summary = await streamTransactionCsv(
    path,
    input,
    options,
    'number',
    (rows) => {
      const size = kept + rows.count;
      customerIndex = grownArray(customerIndex, size);
      dates = grownArray(dates, size);
      amountsMinor = grownArray(amountsMinor, size);
      sourceRows = grownArray(sourceRows, size);
      customerIndex.set(rows.customers.subarray(0, rows.count), kept);
      dates.set(rows.dates.subarray(0, rows.count), kept);
      amountsMinor.set(rows.amountsMinor.subarray(0, rows.count), kept);
      sourceRows.set(rows.sourceRows.subarray(0, rows.count), kept);
      if (rows.orderKeys) {
        hasOrder = true;
        orderIndex = grownArray(orderIndex ?? new Int32Array(1 << 16), size);
        orderIndex.set(rows.orderKeys.subarray(0, rows.count), kept);
      }
      kept = size;
    },
    stream,
  );
  const customerIds = Array.from({ length: summary.customers.size }, (_, id) => summary.customers.keyText(id));
  return {
    customerIds,
    customerIndex: customerIndex.subarray(0, kept),
    dates: dates.subarray(0, kept),
    amountsMinor: amountsMinor.subarray(0, kept),
    sourceRows: sourceRows.subarray(0, kept),
    skipped: summary.skipped.map(skippedRow),
    ...(hasOrder ? { orderIndex: (orderIndex ?? new Int32Array(0)).subarray(0, kept) } : {}),
  };
}

/** The RFM measures of a transaction CSV, read as a stream in memory by customers (and (customer, order) pairs), not rows. */
export async function readRfmMeasuresStreamed(path: string, input: InputOptions, options: CsvTransactionOptions, asOf: EpochDays | undefined, stream: StreamOptions = {}): Promise<StreamedRfmMeasures & { rowsSkipped: number }> {
  const accumulator = new RfmMeasuresAccumulator(asOf);
  const summary = await streamTransactionCsv(path, input, options, { countDistinctAsOf: asOf }, (rows) => accumulator.add(rows), stream);
  const customerIds = Array.from({ length: summary.customers.size }, (_, id) => summary.customers.keyText(id));
  const result = accumulator.finish(customerIds, summary.distinctOrders); // without an order column, frequency counts purchase rows
  return { ...result, rowsSkipped: summary.skipped.length };
}
