// A capture as the scheduler compares it: a coarse grey grid says whether the screen changed enough, row hashes
// say which rows hold new text (a scroll is a shift, not new), and redaction paints over boxes.
import { crc32, deflateSync } from 'node:zlib';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import type { Box } from './privacy.js';

/** Cells are 4x4 pixels: a changed word at 14 px covers dozens, a moved mouse pointer a handful. */
export const CELL = 4;
/** A cell changed when its mean grey moved by more than this (of 255): JPEG-like noise and dithering stay under. */
const CELL_DELTA = 8;

export interface Frame {
  /** The screenshot as taken: PNG, or BMP where that is cheaper to take (X: no compression in `import`). */
  bytes: Uint8Array;
  width: number;
  height: number;
  gw: number;
  gh: number;
  grid: Uint8Array;
  /**
   * The pixels, one 32-bit RGBA word each (red in the low byte), top row first: for the row comparison, the OCR
   * crops and the PNG. Made on first use, since most captures are only compared on the grid.
   */
  readonly px: Uint32Array;
}

/** The screenshot's grid, and its pixels when asked. BMP (what X captures) is read here; anything else via Skia. */
export async function decodeFrame(bytes: Uint8Array): Promise<Frame> {
  const bmp = readBmp(bytes);
  if (bmp) return bmpFrame(bytes, bmp);
  const image = await loadImage(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const { width, height } = image;
  const ctx = createCanvas(width, height).getContext('2d');
  ctx.drawImage(image, 0, 0);
  const data = ctx.getImageData(0, 0, width, height).data;
  const px = new Uint32Array(data.buffer, data.byteOffset, width * height);
  const g = newGrid(width, height);
  for (let y = 0; y < height; y++) {
    const row = ((y / CELL) | 0) * g.gw;
    for (let x = 0, o = y * width * 4; x < width; x++, o += 4) g.sum[row + ((x / CELL) | 0)] += (77 * data[o] + 150 * data[o + 1] + 29 * data[o + 2]) >> 8;
  }
  return { bytes, width, height, gw: g.gw, gh: g.gh, grid: g.finish(), px };
}

interface Bmp {
  width: number;
  height: number;
  /** Where pixel rows start, bytes per pixel (3 or 4) and per row; rows run bottom-up unless `topDown`. */
  offset: number;
  bpp: number;
  stride: number;
  topDown: boolean;
}

/** An uncompressed 24- or 32-bit BMP's layout (what ImageMagick's `import` writes), or null for anything else. */
function readBmp(b: Uint8Array): Bmp | null {
  if (b.length < 54 || b[0] !== 0x42 || b[1] !== 0x4d) return null;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const offset = v.getUint32(10, true);
  const width = v.getInt32(18, true);
  const rawHeight = v.getInt32(22, true);
  const bits = v.getUint16(28, true);
  const compression = v.getUint32(30, true);
  // BI_RGB, or BI_BITFIELDS with the usual masks at 32 bits (X's layout, blue in the low byte).
  const standardMasks = compression === 3 && bits === 32 && v.getUint32(54, true) === 0xff0000 && v.getUint32(58, true) === 0xff00 && v.getUint32(62, true) === 0xff;
  if ((bits !== 24 && bits !== 32) || !(compression === 0 || standardMasks) || width <= 0 || rawHeight === 0) return null;
  const height = Math.abs(rawHeight);
  const bpp = bits / 8;
  const stride = Math.ceil((width * bpp) / 4) * 4;
  if (offset + stride * height > b.length) return null;
  return { width, height, offset, bpp, stride, topDown: rawHeight < 0 };
}

function bmpFrame(bytes: Uint8Array, bmp: Bmp): Frame {
  const { width, height, offset, bpp, stride, topDown } = bmp;
  const rowAt = (y: number) => offset + (topDown ? y : height - 1 - y) * stride;
  const g = newGrid(width, height);
  const full = (width / CELL) | 0;
  const step = CELL * bpp;
  const sum = g.sum;
  for (let y = 0; y < height; y++) {
    const row = ((y / CELL) | 0) * g.gw;
    let o = rowAt(y);
    // Whole cells four pixels at a time, then the ragged right edge.
    for (let cx = 0; cx < full; cx++, o += step) {
      let s = 0;
      for (let k = o; k < o + step; k += bpp) s += (29 * bytes[k] + 150 * bytes[k + 1] + 77 * bytes[k + 2]) >> 8;
      sum[row + cx] += s;
    }
    for (let x = full * CELL; x < width; x++, o += bpp) sum[row + full] += (29 * bytes[o] + 150 * bytes[o + 1] + 77 * bytes[o + 2]) >> 8;
  }
  let px: Uint32Array | null = null;
  return {
    bytes,
    width,
    height,
    gw: g.gw,
    gh: g.gh,
    grid: g.finish(),
    get px() {
      px ??= bmpPixels(bytes, bmp);
      return px;
    },
  };
}

/** BMP rows (blue, green, red[, x] per pixel, bottom-up) as RGBA words top-down, read a 32-bit word at a time. */
function bmpPixels(bytes: Uint8Array, { width, height, offset, bpp, stride, topDown }: Bmp): Uint32Array {
  const px = new Uint32Array(width * height);
  // An aligned copy of the pixel rows, so they can be read as 32-bit words (the header leaves them at offset 138).
  const words = new Uint32Array(scratch(Math.ceil((stride * height) / 4) * 4).buffer, 0, Math.ceil((stride * height) / 4));
  new Uint8Array(words.buffer, 0, stride * height).set(bytes.subarray(offset, offset + stride * height));
  const swap = (v: number) => ((v & 0xff) << 16) | (v & 0xff00) | ((v >>> 16) & 0xff);
  for (let y = 0; y < height; y++) {
    let w = ((topDown ? y : height - 1 - y) * stride) >> 2;
    let i = y * width;
    const end = i + width;
    if (bpp === 4) {
      for (; i < end; i++) px[i] = (0xff000000 | swap(words[w++])) >>> 0;
      continue;
    }
    // Four 24-bit pixels in three words: b0 g0 r0 b1 | g1 r1 b2 g2 | r2 b3 g3 r3 (little-endian).
    for (; i + 4 <= end; i += 4, w += 3) {
      const a = words[w];
      const b = words[w + 1];
      const c = words[w + 2];
      px[i] = (0xff000000 | swap(a)) >>> 0;
      px[i + 1] = (0xff000000 | swap((a >>> 24) | ((b & 0xffff) << 8))) >>> 0;
      px[i + 2] = (0xff000000 | swap((b >>> 16) | ((c & 0xff) << 16))) >>> 0;
      px[i + 3] = (0xff000000 | swap(c >>> 8)) >>> 0;
    }
    const bytesOf = new Uint8Array(words.buffer);
    for (let o = w * 4; i < end; i++, o += 3) px[i] = (0xff000000 | (bytesOf[o] << 16) | (bytesOf[o + 1] << 8) | bytesOf[o + 2]) >>> 0;
  }
  return px;
}

let scratchBuffer = new Uint8Array(0);

/**
 * One working buffer, reused: a keyframe's pixels pass through 6-8 MB of temporary rows, and fresh ones each time
 * make the engine's garbage collector work for it. Its contents never outlive the call that asked for it.
 */
function scratch(bytes: number): Uint8Array {
  if (scratchBuffer.byteLength < bytes) scratchBuffer = new Uint8Array(bytes);
  return scratchBuffer.subarray(0, bytes);
}

function newGrid(width: number, height: number) {
  const gw = Math.ceil(width / CELL);
  const gh = Math.ceil(height / CELL);
  const sum = new Uint32Array(gw * gh);
  return {
    gw,
    gh,
    sum,
    finish(): Uint8Array {
      // Cells on the right and bottom edges may hold fewer than CELL x CELL pixels.
      const grid = new Uint8Array(gw * gh);
      for (let cy = 0; cy < gh; cy++) {
        const h = Math.min(CELL, height - cy * CELL);
        for (let cx = 0; cx < gw; cx++) grid[cy * gw + cx] = sum[cy * gw + cx] / (h * Math.min(CELL, width - cx * CELL));
      }
      return grid;
    },
  };
}

export interface Change {
  /** Share of cells that changed, 0..1; 1 when the size changed. */
  fraction: number;
  cells: number;
  box: Box | null;
}

export function compareFrames(prev: Frame | null, next: Frame): Change {
  if (!prev || prev.gw !== next.gw || prev.gh !== next.gh)
    return { fraction: 1, cells: next.grid.length, box: { x: 0, y: 0, width: next.width, height: next.height } };
  let cells = 0;
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -1;
  let y1 = -1;
  const a = prev.grid;
  const b = next.grid;
  const gw = next.gw;
  for (let y = 0, i = 0; y < next.gh; y++) {
    for (let x = 0; x < gw; x++, i++) {
      const d = b[i] - a[i];
      if (d <= CELL_DELTA && d >= -CELL_DELTA) continue;
      cells++;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      y1 = y;
    }
  }
  const box = cells
    ? { x: x0 * CELL, y: y0 * CELL, width: Math.min(next.width, (x1 + 1) * CELL) - x0 * CELL, height: Math.min(next.height, (y1 + 1) * CELL) - y0 * CELL }
    : null;
  return { fraction: cells / next.grid.length, cells, box };
}

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47];

/** The frame as PNG, what the page renderers take: only keyframes pay for the compression. */
export async function toPng(frame: Frame): Promise<Uint8Array> {
  if (PNG_MAGIC.every((b, i) => frame.bytes[i] === b)) return frame.bytes;
  return redact(frame, []);
}

/** The frame as PNG with every box painted solid black, a few pixels wider so no glyph edge survives. */
export async function redact(frame: Frame, boxes: readonly Box[]): Promise<Uint8Array> {
  const { width, height, px } = frame;
  // RGBA rows as the pixels lie in memory, each after its filter byte (none): a copy per row, no work per pixel.
  const rowBytes = 1 + width * 4;
  const raw = scratch(height * rowBytes);
  const bytes = new Uint8Array(px.buffer, px.byteOffset, px.byteLength);
  for (let y = 0; y < height; y++) {
    raw[y * rowBytes] = 0;
    raw.set(bytes.subarray(y * width * 4, (y + 1) * width * 4), y * rowBytes + 1);
  }
  for (const b of boxes) {
    const x0 = Math.max(0, Math.floor(b.x - 3));
    const x1 = Math.min(width, Math.ceil(b.x + b.width + 3));
    const y0 = Math.max(0, Math.floor(b.y - 3));
    const y1 = Math.min(height, Math.ceil(b.y + b.height + 3));
    for (let y = y0; y < y1; y++) {
      for (let o = y * rowBytes + 1 + x0 * 4, end = y * rowBytes + 1 + x1 * 4; o < end; o += 4) {
        raw[o] = raw[o + 1] = raw[o + 2] = 0;
        raw[o + 3] = 255;
      }
    }
  }
  return png(width, height, raw);
}

/** An RGBA PNG of filtered rows: level 1 deflate, since the page renderer decodes it at once and nothing keeps it. */
function png(width: number, height: number, raw: Uint8Array): Uint8Array {
  const chunk = (type: string, data: Uint8Array) => {
    const out = Buffer.allocUnsafe(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'latin1');
    out.set(data, 8);
    out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bits per channel
  ihdr[9] = 6; // RGBA
  return Buffer.concat([Buffer.from(PNG_MAGIC.concat([0x0d, 0x0a, 0x1a, 0x0a])), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 1 })), chunk('IEND', Buffer.alloc(0))]);
}

/** Rows of text that are new since `prev`: full-width bands, after allowing for a vertical scroll of `dy` pixels. */
export interface NewText {
  /** next row y shows what prev showed at row y + dy. */
  dy: number;
  bands: Box[];
}

/** At most this much is added above and below changed rows, so a line whose glyph rows only partly changed is read whole. */
const BAND_PAD = 10;
/** Above this share of the screen, one read of the whole screen is cheaper than stitching bands. */
const BANDS_MAX_SHARE = 0.5;

/**
 * Where new text can be on `next` compared with `prev`, or null when it could be anywhere (first frame, new size,
 * most of the screen new). Rows are compared across the changed columns only, so a scroll in one window is found
 * as a shift even while the rest of the screen stands still.
 */
export function newText(prev: Frame, next: Frame, change: Box | null): NewText | null {
  if (prev.width !== next.width || prev.height !== next.height || !change) return null;
  const x0 = change.x;
  const x1 = change.x + change.width;
  const a = rowHashes(prev, x0, x1);
  const b = rowHashes(next, x0, x1);
  // Vote for the scroll: each distinctive new row that also appears in the old frame says how far it moved.
  const where = new Map<number, number>();
  for (let y = 0; y < a.hash.length; y++) if (!a.flat[y] && !where.has(a.hash[y])) where.set(a.hash[y], y);
  const votes = new Map<number, number>();
  for (let y = 0; y < b.hash.length; y++) {
    if (b.flat[y]) continue;
    const old = where.get(b.hash[y]);
    if (old !== undefined) votes.set(old - y, (votes.get(old - y) ?? 0) + 1);
  }
  let dy = 0;
  let best = votes.get(0) ?? 0;
  for (const [d, v] of votes) if (v > best) [dy, best] = [d, v];
  const changed: number[] = [];
  for (let y = 0; y < next.height; y++) {
    // A row of one colour holds no text, whatever was there before.
    if (b.flat[y]) continue;
    const o = y + dy;
    if (o < 0 || o >= prev.height || a.hash[o] !== b.hash[y]) changed.push(y);
  }
  if (changed.length > next.height * BANDS_MAX_SHARE) return null;
  // Runs of changed rows, joined where less than two pads apart (the padding would make them touch anyway).
  const runs: { y0: number; y1: number }[] = [];
  for (const y of changed) {
    const last = runs[runs.length - 1];
    if (last && y - last.y1 <= 2 * BAND_PAD) last.y1 = y + 1;
    else runs.push({ y0: y, y1: y + 1 });
  }
  return { dy, bands: runs.map((r) => band(next, r.y0, r.y1)) };
}

/**
 * The rows y0..y1 as a band to read: narrowed to the columns with anything on them within reach of the padding
 * (blank margins cost OCR time and hold no text), then grown to the blank rows around the text line, at most BAND_PAD.
 */
function band(f: Frame, y0: number, y1: number): Box {
  const top = Math.max(0, y0 - BAND_PAD);
  const bottom = Math.min(f.height, y1 + BAND_PAD);
  const cols = inkColumns(f, top, bottom);
  if (!cols) return { x: 0, y: top, width: f.width, height: bottom - top };
  while (y0 > top && !uniformRow(f, y0 - 1, cols.x0, cols.x1)) y0--;
  while (y1 < bottom && !uniformRow(f, y1, cols.x0, cols.x1)) y1++;
  return { x: cols.x0, y: y0, width: cols.x1 - cols.x0, height: y1 - y0 };
}

/** The span of columns that are not one colour from row y0 to y1, or null when every column is. */
function inkColumns(f: Frame, y0: number, y1: number): { x0: number; x1: number } | null {
  const px = f.px;
  const blank = (x: number) => {
    const c = px[y0 * f.width + x];
    for (let y = y0 + 1; y < y1; y++) if (px[y * f.width + x] !== c) return false;
    return true;
  };
  let x0 = 0;
  let x1 = f.width;
  while (x0 < x1 && blank(x0)) x0++;
  while (x1 > x0 && blank(x1 - 1)) x1--;
  return x1 > x0 ? { x0, x1 } : null;
}

function uniformRow(f: Frame, y: number, x0: number, x1: number): boolean {
  const px = f.px;
  const row = y * f.width;
  const c = px[row + x0];
  for (let x = x0 + 1; x < x1; x++) if (px[row + x] !== c) return false;
  return true;
}

function rowHashes(f: Frame, x0: number, x1: number): { hash: Uint32Array; flat: Uint8Array } {
  const px = f.px;
  const hash = new Uint32Array(f.height);
  const flat = new Uint8Array(f.height);
  for (let y = 0; y < f.height; y++) {
    let h = 0x811c9dc5;
    const row = y * f.width;
    const first = px[row + x0];
    let same = 1;
    for (let x = x0; x < x1; x++) {
      const v = px[row + x];
      if (v !== first) same = 0;
      h = Math.imul(h ^ v, 16777619);
    }
    hash[y] = h >>> 0;
    flat[y] = same;
  }
  return { hash, flat };
}
