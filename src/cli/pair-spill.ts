/**
 * Distinct (customer, order) pairs beyond memory: a DistinctPairCounter that, past a budget,
 * writes its pairs to partition files by customer (a customer's pairs all land in one file) and
 * starts again; at the end each file is counted on its own. Memory stays near the budget whatever
 * the number of orders; the files live in a temporary folder removed by `dispose` (or when the process exits).
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempFolder, removeTempFolder } from './temp-folders';
import { DistinctPairCounter } from './byte-keys';

type Pairs = ReturnType<DistinctPairCounter['contents']>;

/** Bytes of pairs held in memory before they go to disk. */
export const PAIR_MEMORY_BYTES = 512 << 20;
const PARTITIONS = 64;
/** Per pair on disk: customer (int32), hash (uint32), key length (uint16), then the key's bytes. */
const RECORD_HEAD = 10;

export class SpillingPairCounter {
  private memory: DistinctPairCounter;
  private folder: string | undefined;

  constructor(
    expectedPairs: number,
    private readonly memoryBytes = PAIR_MEMORY_BYTES,
  ) {
    this.memory = new DistinctPairCounter(Math.min(expectedPairs, Math.floor(memoryBytes / 22)));
  }

  addBatch(pairs: Pairs): void {
    this.memory.addBatch(pairs);
    if (this.memory.bytesUsed > this.memoryBytes) this.spill();
  }

  /** Distinct keys per tag, for tags 0 .. tags - 1. */
  distinctPerTag(tagCount: number): Int32Array {
    if (!this.folder) return this.memory.distinctPerTag(tagCount);
    this.spill();
    const distinct = new Int32Array(tagCount);
    for (let p = 0; p < PARTITIONS; p++) {
      const file = join(this.folder, `${p}.pairs`);
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch {
        continue; // no pair fell in this partition
      }
      const counter = new DistinctPairCounter(0);
      counter.addBatch(decode(bytes));
      const counts = counter.distinctPerTag(tagCount);
      for (let t = p; t < tagCount; t += PARTITIONS) distinct[t] += counts[t];
    }
    return distinct;
  }

  /** Removes the files, if any were written. */
  dispose(): void {
    if (this.folder) removeTempFolder(this.folder);
    this.folder = undefined;
  }

  private spill(): void {
    this.folder ??= makeTempFolder('cbp-orders-');
    const pairs = this.memory.contents();
    const n = pairs.customers.length;
    const sizes = new Int32Array(PARTITIONS);
    for (let k = 0; k < n; k++) sizes[pairs.customers[k] % PARTITIONS] += RECORD_HEAD + keyLength(pairs, k);
    const buffers = Array.from(sizes, (size) => Buffer.allocUnsafe(size));
    const used = new Int32Array(PARTITIONS);
    for (let k = 0; k < n; k++) {
      const p = pairs.customers[k] % PARTITIONS;
      const buffer = buffers[p];
      const from = k === 0 ? 0 : pairs.ends[k - 1];
      const length = pairs.ends[k] - from;
      let at = used[p];
      at = buffer.writeInt32LE(pairs.customers[k], at);
      at = buffer.writeUInt32LE(pairs.hashes[k], at);
      at = buffer.writeUInt16LE(length, at);
      buffer.set(pairs.bytes.subarray(from, from + length), at);
      used[p] = at + length;
    }
    buffers.forEach((buffer, p) => {
      if (buffer.length > 0) appendFileSync(join(this.folder as string, `${p}.pairs`), buffer);
    });
    this.memory = new DistinctPairCounter(this.memory.size);
  }
}

function keyLength(pairs: Pairs, k: number): number {
  return pairs.ends[k] - (k === 0 ? 0 : pairs.ends[k - 1]);
}

/** A partition file's records back as pairs. */
function decode(bytes: Buffer): Pairs {
  let n = 0;
  for (let at = 0; at < bytes.length; at += RECORD_HEAD + bytes.readUInt16LE(at + 8)) n++;
  const pairs: Pairs = { customers: new Int32Array(n), hashes: new Uint32Array(n), ends: new Int32Array(n), bytes: new Uint8Array(bytes.length - n * RECORD_HEAD) };
  let used = 0;
  for (let at = 0, k = 0; k < n; k++) {
    pairs.customers[k] = bytes.readInt32LE(at);
    pairs.hashes[k] = bytes.readUInt32LE(at + 4);
    const length = bytes.readUInt16LE(at + 8);
    pairs.bytes.set(bytes.subarray(at + RECORD_HEAD, at + RECORD_HEAD + length), used);
    used += length;
    pairs.ends[k] = used;
    at += RECORD_HEAD + length;
  }
  return pairs;
}
