/** A short, stable fingerprint of a run's parameters, so a plan can be traced to how it was made. */

/** JSON with object keys sorted, so equal parameters always give the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * 16 hex digits over the UTF-16 code units: the first 8 are standard 32-bit FNV-1a, the last 8 a
 * second FNV-style lane with another seed that also mixes in the first (so that the two lanes do not
 * collide together). A fingerprint for tracing runs, not a cryptographic hash.
 */
export function fnv1a64(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0xcbf29ce4;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c ^ (h1 >>> 16), 0x01000193);
  }
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}

export function parameterHash(parameters: unknown): string {
  return fnv1a64(canonicalJson(parameters));
}
