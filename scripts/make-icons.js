#!/usr/bin/env node
/**
 * Draws the add-in icon: a blue tile with three rising budget bars and a gold coin.
 * The same shape list is written as assets/icon.svg and rasterised (8x8 supersampling, pure JS,
 * PNG encoded with Node's zlib) to assets/icon-16/32/64/80/128.png. Run: node scripts/make-icons.js
 *
 * Coordinates are in an 80 x 80 design grid; each size scales it. At 16 px the coin's inner ring
 * is dropped (it would be a smudge) and the bars widen slightly so they stay distinct.
 */
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const SIZES = [16, 32, 64, 80, 128];
const GRID = 80;
const SUPERSAMPLE = 8;

const COLORS = {
  tileTop: [0x1b, 0x8a, 0xe0],
  tileBottom: [0x0b, 0x55, 0x96],
  bar: [0xff, 0xff, 0xff],
  coin: [0xff, 0xc8, 0x3d],
  coinRing: [0xd9, 0x9a, 0x00],
};

/** The drawing, back to front. Small sizes get a simplified variant. */
function shapes(size) {
  const small = size <= 16;
  const barWidth = small ? 14 : 12;
  const barGap = small ? 3 : 4;
  const left = small ? 11 : 13;
  const bottom = 66;
  const heights = [18, 29, 41];
  const list = [{ kind: 'rect', x: 0, y: 0, w: GRID, h: GRID, r: 16, fill: 'tile' }];
  heights.forEach((h, i) => {
    list.push({ kind: 'rect', x: left + i * (barWidth + barGap), y: bottom - h, w: barWidth, h, r: small ? 1 : 2.5, fill: 'bar' });
  });
  // The coin sits top right; a tile-coloured halo separates it from the tallest bar.
  list.push({ kind: 'circle', cx: 61, cy: 19, r: small ? 14 : 13, fill: 'tile' });
  list.push({ kind: 'circle', cx: 61, cy: 19, r: small ? 11.5 : 10, fill: 'coin' });
  if (!small) {
    list.push({ kind: 'ring', cx: 61, cy: 19, r: 6, width: 2, fill: 'coinRing' });
  }
  return list;
}

function tileColor(y) {
  const t = Math.min(1, Math.max(0, y / GRID));
  return COLORS.tileTop.map((c, i) => c + (COLORS.tileBottom[i] - c) * t);
}

function colorOf(fill, y) {
  return fill === 'tile' ? tileColor(y) : COLORS[fill];
}

function insideRoundRect(px, py, s) {
  if (px < s.x || px > s.x + s.w || py < s.y || py > s.y + s.h) return false;
  const cx = Math.min(Math.max(px, s.x + s.r), s.x + s.w - s.r);
  const cy = Math.min(Math.max(py, s.y + s.r), s.y + s.h - s.r);
  return (px - cx) ** 2 + (py - cy) ** 2 <= s.r * s.r;
}

function inside(px, py, s) {
  if (s.kind === 'rect') return insideRoundRect(px, py, s);
  const d2 = (px - s.cx) ** 2 + (py - s.cy) ** 2;
  if (s.kind === 'circle') return d2 <= s.r * s.r;
  const outer = s.r + s.width / 2;
  const inner = s.r - s.width / 2;
  return d2 <= outer * outer && d2 >= inner * inner;
}

/** RGBA bytes, straight (not premultiplied) alpha. */
function rasterise(size) {
  const list = shapes(size);
  const rgba = Buffer.alloc(size * size * 4);
  const scale = GRID / size;
  const samples = SUPERSAMPLE * SUPERSAMPLE;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let covered = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const px = (x + (sx + 0.5) / SUPERSAMPLE) * scale;
          const py = (y + (sy + 0.5) / SUPERSAMPLE) * scale;
          let color = null;
          for (const s of list) if (inside(px, py, s)) color = colorOf(s.fill, py);
          if (color) {
            r += color[0];
            g += color[1];
            b += color[2];
            covered++;
          }
        }
      }
      const o = (y * size + x) * 4;
      if (covered > 0) {
        rgba[o] = Math.round(r / covered);
        rgba[o + 1] = Math.round(g / covered);
        rgba[o + 2] = Math.round(b / covered);
        rgba[o + 3] = Math.round((255 * covered) / samples);
      }
    }
  }
  return rgba;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** Minimal PNG: 8-bit RGBA, no interlace, filter 0 on every scanline. */
function encodePng(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function hex(rgb) {
  return '#' + rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('');
}

function svg() {
  const body = shapes(GRID)
    .map((s) => {
      const fill = s.fill === 'tile' ? 'url(#tile)' : hex(COLORS[s.fill]);
      if (s.kind === 'rect') return `  <rect x="${s.x}" y="${s.y}" width="${s.w}" height="${s.h}" rx="${s.r}" fill="${fill}"/>`;
      if (s.kind === 'circle') return `  <circle cx="${s.cx}" cy="${s.cy}" r="${s.r}" fill="${fill}"/>`;
      return `  <circle cx="${s.cx}" cy="${s.cy}" r="${s.r}" fill="none" stroke="${fill}" stroke-width="${s.width}"/>`;
    })
    .join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${GRID}" height="${GRID}" viewBox="0 0 ${GRID} ${GRID}">
  <title>Customer Budget Planner</title>
  <defs>
    <linearGradient id="tile" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="${hex(COLORS.tileTop)}"/>
      <stop offset="1" stop-color="${hex(COLORS.tileBottom)}"/>
    </linearGradient>
  </defs>
${body}
</svg>
`;
}

function main() {
  const outDir = path.resolve(__dirname, '..', 'assets');
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'icon.svg'), svg());
  for (const size of SIZES) {
    fs.writeFileSync(path.join(outDir, `icon-${size}.png`), encodePng(size, rasterise(size)));
  }
  console.log(`wrote assets/icon.svg and icon-{${SIZES.join(',')}}.png`);
}

if (require.main === module) main();
module.exports = { encodePng, rasterise, crc32, SIZES };
