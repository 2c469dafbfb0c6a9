/**
 * Input encodings. Excel saves "CSV UTF-8" (with a BOM), plain "CSV" in the system code page (GBK /
 * GB18030 on Chinese Windows) and "Unicode Text" as UTF-16LE with a BOM. Every CSV is turned into
 * UTF-8 bytes without a BOM once, here, so the byte-level fast path and the general reader see the
 * same bytes: UTF-8 input is passed through untouched (no copy), anything else is transcoded.
 */
import { isUtf8 } from 'node:buffer';
import { t } from '../i18n';
import { CLI_LOCALE, UsageError } from './io';

export const INPUT_ENCODINGS = ['utf-8', 'gb18030', 'gbk', 'utf-16le', 'utf-16be'] as const;
export type InputEncoding = (typeof INPUT_ENCODINGS)[number];

/** The encoding a byte-order mark announces, and the mark's length. */
export function byteOrderMark(bytes: Uint8Array): { encoding: InputEncoding; length: number } | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return undefined;
}

export interface Utf8Input {
  /** The text as UTF-8, without a byte-order mark. */
  bytes: Buffer;
  encoding: InputEncoding;
  /** True when the file was not UTF-8 and no encoding was named: it was read as GB18030. */
  guessed: boolean;
}

/**
 * A CSV file's bytes as UTF-8: `forced` when given, else the byte-order mark's encoding, else UTF-8
 * when the bytes are valid UTF-8, else GB18030 (`guessed`; the caller says so). Bytes that are not
 * valid in the chosen encoding are a UsageError naming the file and the offset.
 */
export function toUtf8(bytes: Buffer, path: string, forced?: InputEncoding): Utf8Input {
  const bom = byteOrderMark(bytes);
  const encoding = forced ?? bom?.encoding ?? (isUtf8(bytes) ? 'utf-8' : 'gb18030');
  const guessed = forced === undefined && bom === undefined && encoding === 'gb18030';
  const body = bom && bom.encoding === encoding ? bytes.subarray(bom.length) : bytes;
  if (encoding === 'utf-8') {
    if (forced !== undefined && !isUtf8(body)) throw new UsageError(t(CLI_LOCALE, 'input.badEncoding', { path, encoding: 'UTF-8', offset: firstInvalidOffset(body, 'utf-8') }));
    return { bytes: body, encoding, guessed };
  }
  let text: string;
  try {
    text = new TextDecoder(encoding, { fatal: true }).decode(body);
  } catch {
    throw new UsageError(t(CLI_LOCALE, 'input.badEncoding', { path, encoding: encoding.toUpperCase(), offset: firstInvalidOffset(body, encoding) }));
  }
  return { bytes: Buffer.from(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, 'utf8'), encoding, guessed };
}

/** Offset of the first undecodable byte in a non-UTF-8 encoding, found by bisection over prefixes. */
function firstInvalidOffset(bytes: Uint8Array, encoding: InputEncoding): number {
  const decodes = (end: number) => {
    try {
      new TextDecoder(encoding, { fatal: true }).decode(bytes.subarray(0, end), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  let lo = 0;
  let hi = bytes.length;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (decodes(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}
