/**
 * Test helpers that write text the way Windows Excel saves it. Node can decode GB18030 but not
 * encode it, so gb18030Bytes builds the reverse of the decoder's two-byte table (GBK, which covers
 * every Chinese character the tests use, and ASCII as itself).
 */
let table: Map<string, number[]> | undefined;

function gbkTable(): Map<string, number[]> {
  if (table) return table;
  table = new Map();
  const decoder = new TextDecoder('gb18030');
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      const char = decoder.decode(Uint8Array.of(lead, trail));
      if (char.length === 1 && char !== '\ufffd' && !table.has(char)) table.set(char, [lead, trail]);
    }
  }
  return table;
}

/** Text as GB18030 bytes (ASCII and the two-byte GBK range). */
export function gb18030Bytes(text: string): Buffer {
  const out: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    if (code < 0x80) out.push(code);
    else {
      const bytes = gbkTable().get(char);
      if (!bytes) throw new Error(`no two-byte GB18030 code for ${char}`);
      out.push(...bytes);
    }
  }
  return Buffer.from(out);
}

/** "Unicode Text": UTF-16LE with a byte-order mark. */
export function utf16leBytes(text: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
}

/** UTF-16BE with a byte-order mark. */
export function utf16beBytes(text: string): Buffer {
  return utf16leBytes(text).swap16();
}

/** CSV UTF-8 as Excel saves it: with a byte-order mark. */
export function utf8BomBytes(text: string): Buffer {
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
}

/**
 * The smallest OLE compound file (CFB) header plus one directory sector: the magic bytes, a 512-byte
 * sector size, the first directory sector at sector 0, and a directory entry named `streamName`
 * (UTF-16LE, as CFB stores names). Enough for format detection, not a readable compound file.
 */
export function cfbBytes(streamName: string): Buffer {
  const file = Buffer.alloc(1024);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(file, 0);
  file.writeUInt16LE(0x003e, 0x18); // minor version
  file.writeUInt16LE(0x0003, 0x1a); // major version 3
  file.writeUInt16LE(0xfffe, 0x1c); // little-endian
  file.writeUInt16LE(9, 0x1e); // sector size 2^9
  file.writeUInt16LE(6, 0x20); // mini sector size 2^6
  file.writeUInt32LE(0, 0x30); // first directory sector
  const entry = 512; // sector 0
  const name = Buffer.from(`${streamName}\0`, 'utf16le');
  name.copy(file, entry);
  file.writeUInt16LE(name.length, entry + 0x40);
  file[entry + 0x42] = 2; // stream object
  return file;
}
