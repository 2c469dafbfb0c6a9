import { grownArray } from '../engine/typed-arrays';

/**
 * Interns keys (customer ids, order ids) straight from the bytes of a file, so a million-row CSV
 * needs no million strings: an open-addressing hash table over byte ranges, FNV-1a hashed.
 * Keys compare byte for byte, so interning is exact (a hash collision only costs a comparison).
 */
export class ByteKeyTable {
  private slots: Int32Array; // key id + 1 per slot, 0 = empty
  private hashes: Uint32Array; // per key id
  private buffers: Uint8Array[] = []; // distinct buffers keys come from (usually one file)
  private sources: Uint16Array; // per key id: index into buffers
  private starts: Int32Array;
  private ends: Int32Array;
  private count = 0;

  constructor(expected = 1024) {
    let size = 1024;
    while (size < expected * 2) size *= 2;
    this.slots = new Int32Array(size);
    this.hashes = new Uint32Array(expected);
    this.sources = new Uint16Array(expected);
    this.starts = new Int32Array(expected);
    this.ends = new Int32Array(expected);
  }

  get size(): number {
    return this.count;
  }

  /** The id of bytes[start, end), adding it when new (the table keeps pointing into `bytes`). */
  intern(bytes: Uint8Array, start: number, end: number): number {
    const hash = hashBytes(bytes, start, end);
    const slot = this.probe(hash, bytes, start, end);
    const entry = this.slots[slot];
    return entry !== 0 ? entry - 1 : this.insert(slot, hash, bytes, start, end);
  }

  /** The id of bytes[start, end), copying the bytes of a new key into the table's arena (for buffers that are reused or dropped); `hash` when known (exportKeys). */
  internCopy(bytes: Uint8Array, start: number, end: number, hash = hashBytes(bytes, start, end)): number {
    const slot = this.probe(hash, bytes, start, end);
    const entry = this.slots[slot];
    if (entry !== 0) return entry - 1;
    const at = this.reserveArena(end - start);
    this.arena.set(bytes.subarray(start, end), at);
    this.arenaUsed += end - start;
    return this.insert(slot, hash, this.arena, at, at + end - start);
  }

  /** The slot holding bytes[start, end), or the empty slot where it goes. */
  private probe(hash: number, bytes: Uint8Array, start: number, end: number): number {
    if ((this.count + 1) * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    for (;;) {
      const entry = this.slots[slot];
      if (entry === 0) return slot;
      const id = entry - 1;
      if (this.hashes[id] === hash && this.sameBytes(id, bytes, start, end)) return slot;
      slot = (slot + 1) & mask;
    }
  }

  private insert(slot: number, hash: number, bytes: Uint8Array, start: number, end: number): number {
    const id = this.count++;
    this.ensureCapacity();
    this.hashes[id] = hash;
    this.sources[id] = this.bufferIndex(bytes);
    this.starts[id] = start;
    this.ends[id] = end;
    this.slots[slot] = id + 1;
    return id;
  }

  /** Every key as one byte run with end offsets and FNV-1a hashes, in id order: a batch's keys, sent to another thread. */
  exportKeys(): { bytes: Uint8Array; ends: Int32Array; hashes: Uint32Array } {
    let length = 0;
    for (let id = 0; id < this.count; id++) length += this.ends[id] - this.starts[id];
    const bytes = new Uint8Array(length);
    const ends = new Int32Array(this.count);
    let at = 0;
    for (let id = 0; id < this.count; id++) {
      const source = this.buffers[this.sources[id]];
      for (let i = this.starts[id]; i < this.ends[id]; i++) bytes[at++] = source[i];
      ends[id] = at;
    }
    return { bytes, ends, hashes: this.hashes.slice(0, this.count) };
  }

  /** The key of an id as text (UTF-8). */
  keyText(id: number): string {
    const source = this.buffers[this.sources[id]];
    return Buffer.from(source.buffer, source.byteOffset + this.starts[id], this.ends[id] - this.starts[id]).toString('utf8');
  }

  private arena: Buffer = Buffer.alloc(0);
  private arenaUsed = 0;
  private arenaIndex = -1;

  /**
   * The id of a key given as text (a field that had to be decoded: quoted, padded). Its bytes are
   * kept in one growing arena, so a file of a million quoted ids costs no million small buffers.
   */
  internText(text: string): number {
    const length = Buffer.byteLength(text);
    const at = this.reserveArena(length);
    this.arena.write(text, at);
    const before = this.count;
    const id = this.intern(this.arena, at, at + length);
    if (this.count > before) this.arenaUsed += length; // keep the bytes of new keys only
    return id;
  }

  /** Room for `length` more bytes in the arena; where they go. */
  private reserveArena(length: number): number {
    if (this.arenaUsed + length > this.arena.length) {
      const grown = Buffer.alloc(Math.max(4096, (this.arenaUsed + length) * 2));
      this.arena.copy(grown, 0, 0, this.arenaUsed);
      this.arena = grown;
      if (this.arenaIndex < 0) this.arenaIndex = this.buffers.push(grown) - 1;
      else this.buffers[this.arenaIndex] = grown; // same offsets, so stored keys stay valid
    }
    return this.arenaUsed;
  }

  private bufferIndex(bytes: Uint8Array): number {
    const last = this.buffers.length - 1;
    if (last >= 0 && this.buffers[last] === bytes) return last;
    const index = this.buffers.indexOf(bytes);
    if (index >= 0) return index;
    if (this.buffers.length === 65535) throw new Error('too many distinct key buffers'); // callers use one file and the arena
    this.buffers.push(bytes);
    return this.buffers.length - 1;
  }

  private sameBytes(id: number, bytes: Uint8Array, start: number, end: number): boolean {
    return bytesEqual(this.buffers[this.sources[id]], this.starts[id], this.ends[id], bytes, start, end);
  }

  private ensureCapacity(): void {
    if (this.count > this.hashes.length) {
      const capacity = this.hashes.length * 2;
      this.hashes = grownArray(this.hashes, capacity);
      this.sources = grownArray(this.sources, capacity);
      this.starts = grownArray(this.starts, capacity);
      this.ends = grownArray(this.ends, capacity);
    }
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size);
    const mask = size - 1;
    for (let id = 0; id < this.count; id++) {
      let slot = this.hashes[id] & mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
      this.slots[slot] = id + 1;
    }
  }
}

/**
 * Counts each tag's distinct byte keys (each customer's distinct order ids) exactly. Pairs are
 * appended as they come (tag, hash, bytes: memory written in order, which is what makes this fast
 * at tens of millions of pairs; one hash table over them all would miss the cache on nearly every
 * pair) and counted at the end: grouped by tag, then each tag's keys put in a small hash set,
 * equal hashes compared byte for byte.
 */
export class DistinctPairCounter {
  private tags: Int32Array;
  private hashes: Uint32Array;
  private ends: Int32Array; // key bytes of pair k: arena[ends[k-1] .. ends[k])
  private arena: Uint8Array;
  private count = 0;

  /** `expectedPairs`: about how many pairs there will be; sizing for them saves regrowing the arrays. */
  constructor(expectedPairs: number) {
    const capacity = Math.max(1024, expectedPairs);
    this.tags = new Int32Array(capacity);
    this.hashes = new Uint32Array(capacity);
    this.ends = new Int32Array(capacity);
    this.arena = new Uint8Array(capacity * 10);
  }

  /** Adds pairs k = (tags[k], bytes[ends[k-1], ends[k])), `hashes[k]` being the FNV-1a hash of its bytes. */
  addBatch(pairs: { customers: Int32Array; hashes: Uint32Array; ends: Int32Array; bytes: Uint8Array }): void {
    const n = pairs.customers.length;
    const size = this.count + n;
    if (size > this.tags.length) {
      const capacity = Math.max(size, this.tags.length * 2);
      this.tags = grownArray(this.tags, capacity);
      this.hashes = grownArray(this.hashes, capacity);
      this.ends = grownArray(this.ends, capacity);
    }
    const base = this.count === 0 ? 0 : this.ends[this.count - 1];
    if (base + pairs.bytes.length > this.arena.length) {
      const grown = new Uint8Array(Math.max(this.arena.length * 2, base + pairs.bytes.length));
      grown.set(this.arena.subarray(0, base));
      this.arena = grown;
    }
    this.arena.set(pairs.bytes, base);
    this.tags.set(pairs.customers, this.count);
    this.hashes.set(pairs.hashes, this.count);
    for (let k = 0; k < n; k++) this.ends[this.count + k] = base + pairs.ends[k];
    this.count = size;
  }

  /** Bytes the pairs take now (arrays and key bytes). */
  get bytesUsed(): number {
    return this.count * 12 + (this.count === 0 ? 0 : this.ends[this.count - 1]);
  }

  get size(): number {
    return this.count;
  }

  /** The pairs held, in the shape addBatch takes (views, valid until the next add). */
  contents(): { customers: Int32Array; hashes: Uint32Array; ends: Int32Array; bytes: Uint8Array } {
    const n = this.count;
    return { customers: this.tags.subarray(0, n), hashes: this.hashes.subarray(0, n), ends: this.ends.subarray(0, n), bytes: this.arena.subarray(0, n === 0 ? 0 : this.ends[n - 1]) };
  }

  /** Distinct keys per tag, for tags 0 .. tags - 1. */
  distinctPerTag(tagCount: number): Int32Array {
    const n = this.count;
    const firsts = new Int32Array(tagCount + 1);
    for (let k = 0; k < n; k++) firsts[this.tags[k] + 1]++;
    for (let t = 0; t < tagCount; t++) firsts[t + 1] += firsts[t];
    const order = new Int32Array(n);
    const fill = firsts.slice(0, tagCount);
    for (let k = 0; k < n; k++) order[fill[this.tags[k]]++] = k; // stable: a tag's pairs stay in arrival order
    const distinct = new Int32Array(tagCount);
    let table = new Int32Array(64); // a small open-addressing set of pair ids + 1, reused for each tag
    for (let t = 0; t < tagCount; t++) {
      const from = firsts[t];
      const to = firsts[t + 1];
      if (to - from <= 1) {
        distinct[t] = to - from;
        continue;
      }
      let size = 64;
      while (size < 2 * (to - from)) size *= 2;
      if (size > table.length) table = new Int32Array(size);
      const slots = table.subarray(0, size).fill(0);
      const mask = size - 1;
      let count = 0;
      for (let j = from; j < to; j++) {
        const k = order[j];
        let slot = this.hashes[k] & mask;
        let seen = false;
        for (; slots[slot] !== 0; slot = (slot + 1) & mask) {
          const other = slots[slot] - 1;
          if (this.hashes[other] === this.hashes[k] && this.sameKey(other, k)) {
            seen = true;
            break;
          }
        }
        if (seen) continue;
        slots[slot] = k + 1;
        count++;
      }
      distinct[t] = count;
    }
    return distinct;
  }

  private sameKey(a: number, b: number): boolean {
    return bytesEqual(this.arena, a === 0 ? 0 : this.ends[a - 1], this.ends[a], this.arena, b === 0 ? 0 : this.ends[b - 1], this.ends[b]);
  }
}

/** Whether a[aFrom, aTo) and b[bFrom, bTo) hold the same bytes. */
export function bytesEqual(a: Uint8Array, aFrom: number, aTo: number, b: Uint8Array, bFrom: number, bTo: number): boolean {
  if (aTo - aFrom !== bTo - bFrom) return false;
  for (let i = 0; i < aTo - aFrom; i++) if (a[aFrom + i] !== b[bFrom + i]) return false;
  return true;
}

/** FNV-1a over bytes[start, end). */
function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193);
  return hash >>> 0;
}
