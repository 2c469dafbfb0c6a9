/** Growing typed arrays that fill up as rows arrive (readers, accumulators, key tables). */

type GrowableArray = Int32Array | Uint32Array | Uint16Array | Float64Array | Uint8Array;

/**
 * `array` if it holds `size` entries, else a copy at least twice as long (so n appends cost O(n)),
 * its new entries set to `fill`.
 */
export function grownArray<T extends GrowableArray>(array: T, size: number, fill = 0): T {
  if (size <= array.length) return array;
  const next = new (array.constructor as new (length: number) => T)(Math.max(size, array.length * 2));
  next.set(array);
  if (fill !== 0) next.fill(fill, array.length);
  return next;
}
