/**
 * Small typed-array helpers for the hot paths. Plain loops on purpose: `Float64Array.from(source,
 * mapFn)` goes through the iterator protocol and is many times slower on a million rows.
 */

export function sumOf(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total;
}

/** The values as a Float64Array: the same array when it already is one, else a copy. */
export function asFloat64(values: ArrayLike<number>): Float64Array {
  if (values instanceof Float64Array) return values;
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i];
  return out;
}

/** values[rows[k]] for every k. */
export function gather(values: ArrayLike<number>, rows: ArrayLike<number>): Float64Array {
  const out = new Float64Array(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = values[rows[k]];
  return out;
}

/** The rows of each group in order, from each row's group number 0..count-1. */
export function rowsByGroup(groupOf: Int32Array, count: number): Int32Array[] {
  const sizes = new Int32Array(count);
  for (let i = 0; i < groupOf.length; i++) sizes[groupOf[i]]++;
  const rows = Array.from(sizes, (size) => new Int32Array(size));
  const filled = new Int32Array(count);
  for (let i = 0; i < groupOf.length; i++) rows[groupOf[i]][filled[groupOf[i]]++] = i;
  return rows;
}
