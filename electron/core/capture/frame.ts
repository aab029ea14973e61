// A capture as the scheduler compares it: a coarse grey grid says whether the screen changed enough, row hashes
// say which rows hold new text (a scroll is a shift, not new), and redaction paints over boxes.
import { createCanvas, loadImage, type Image } from '@napi-rs/canvas';
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
  image: Image;
  /** RGBA pixels, kept for the row comparison that finds what text is new (scrolled text is not new). */
  data: Uint8ClampedArray;
}

export async function decodeFrame(bytes: Uint8Array): Promise<Frame> {
  const image = await loadImage(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const { width, height } = image;
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  const data = ctx.getImageData(0, 0, width, height).data;
  const gw = Math.ceil(width / CELL);
  const gh = Math.ceil(height / CELL);
  const sum = new Uint32Array(gw * gh);
  const n = new Uint16Array(gw * gh);
  for (let y = 0; y < height; y++) {
    const row = ((y / CELL) | 0) * gw;
    for (let x = 0, o = y * width * 4; x < width; x++, o += 4) {
      const c = row + ((x / CELL) | 0);
      sum[c] += (77 * data[o] + 150 * data[o + 1] + 29 * data[o + 2]) >> 8;
      n[c]++;
    }
  }
  const grid = new Uint8Array(gw * gh);
  for (let i = 0; i < grid.length; i++) grid[i] = sum[i] / (n[i] || 1);
  return { bytes, width, height, gw, gh, grid, image, data };
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
  for (let y = 0; y < next.gh; y++) {
    for (let x = 0; x < next.gw; x++) {
      const i = y * next.gw + x;
      if (Math.abs(next.grid[i] - prev.grid[i]) <= CELL_DELTA) continue;
      cells++;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
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
  const canvas = createCanvas(frame.width, frame.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(frame.image, 0, 0);
  ctx.fillStyle = '#000';
  for (const b of boxes) ctx.fillRect(b.x - 3, b.y - 3, b.width + 6, b.height + 6);
  return new Uint8Array(await canvas.encode('png'));
}

/** Rows of text that are new since `prev`: full-width bands, after allowing for a vertical scroll of `dy` pixels. */
export interface NewText {
  /** next row y shows what prev showed at row y + dy. */
  dy: number;
  bands: Box[];
}

/** Bands are padded by about half a text line, so a line whose glyph rows only partly changed is read whole. */
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
  const bands: Box[] = [];
  for (const y of changed) {
    const last = bands[bands.length - 1];
    if (last && y - BAND_PAD <= last.y + last.height) last.height = Math.min(next.height, y + BAND_PAD) - last.y;
    else bands.push({ x: 0, y: Math.max(0, y - BAND_PAD), width: next.width, height: Math.min(next.height, y + BAND_PAD) - Math.max(0, y - BAND_PAD) });
  }
  return { dy, bands: bands.map((band) => trimColumns(next, band)) };
}

/** A band narrowed to the columns that hold anything but its edge colour: empty margins cost OCR time and hold no text. */
function trimColumns(f: Frame, band: Box): Box {
  const px = new Uint32Array(f.data.buffer, f.data.byteOffset, f.width * f.height);
  const blank = (x: number, bg: number) => {
    for (let y = band.y; y < band.y + band.height; y++) if (px[y * f.width + x] !== bg) return false;
    return true;
  };
  let x0 = 0;
  let x1 = f.width;
  const left = px[band.y * f.width];
  const right = px[band.y * f.width + f.width - 1];
  while (x0 < x1 && blank(x0, left)) x0++;
  while (x1 > x0 && blank(x1 - 1, right)) x1--;
  const pad = 8;
  x0 = Math.max(0, x0 - pad);
  x1 = Math.min(f.width, x1 + pad);
  return x1 > x0 ? { x: x0, y: band.y, width: x1 - x0, height: band.height } : band;
}

function rowHashes(f: Frame, x0: number, x1: number): { hash: Uint32Array; flat: Uint8Array } {
  const px = new Uint32Array(f.data.buffer, f.data.byteOffset, f.width * f.height);
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

/** The bands stacked into one PNG (one OCR call), with where each band's rows start in the stack and its left edge. */
export async function stackBands(frame: Frame, bands: readonly Box[]): Promise<{ png: Uint8Array; offsets: number[]; x0: number }> {
  const GAP = 16;
  const height = bands.reduce((h, b) => h + b.height + GAP, 0);
  const x0 = Math.min(...bands.map((b) => b.x));
  const width = Math.max(...bands.map((b) => b.x + b.width)) - x0;
  const canvas = createCanvas(width, Math.max(1, height));
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  const offsets: number[] = [];
  let at = 0;
  for (const b of bands) {
    offsets.push(at);
    ctx.drawImage(frame.image, b.x, b.y, b.width, b.height, b.x - x0, at, b.width, b.height);
    at += b.height + GAP;
  }
  return { png: new Uint8Array(await canvas.encode('png')), offsets, x0 };
}
