// The words on new rows of a capture, for the sensitive filter, read word by word where it can: a word whose exact
// pixels were read before is known (a prompt, a page's recurring words), and only the unseen ones go to OCR.
import { createHash } from 'node:crypto';
import type { Frame } from './frame.js';
import type { Box, Word } from './privacy.js';

/** A text line (rows between blank rows) within a band, and the pieces of it between gaps wider than a space. */
interface Strip {
  y0: number;
  y1: number;
  segments: Segment[];
  /** The colour between its words, to lay them out on. */
  bg: number;
}

/** Ink between gaps wider than a space: a word or a few, with its tight box and the digest of its pixels. */
interface Segment extends Box {
  key: string;
}

/** A word as read within its segment, relative to the segment's top-left corner. */
interface KnownWord {
  text: string;
  dx: number;
  dy: number;
  width: number;
  height: number;
}

/** Words remembered, least recently used first out: a few thousand cover a session's recurring words. */
const MAX_KNOWN = 4000;
/** Rows of this height or less (i dots, accents, underlines) belong to the text line they nearly touch. */
const SLIVER = 3;
const SLIVER_GAP = 2;
/** Layout of the image sent to OCR: a margin around every line of unseen words, and rows between the lines. */
const MARGIN = 8;
const LINE_GAP = 16;

export interface KnownTextRead {
  words: Word[];
  /** OCR calls made for this read: 0 when every word was known. */
  ocrCalls: number;
  /** Keep what was read for next time, except words within `sensitive` (never remembered). */
  remember(sensitive: readonly Box[]): void;
}

export class KnownText {
  private readonly known = new Map<string, KnownWord[]>();

  get size(): number {
    return this.known.size;
  }

  /**
   * The words within `bands` of `frame`, boxes in screen pixels, each with a line key of its own text line.
   * `ocr` reads an image of stacked lines (PPM) and gives its words in that image's pixels.
   */
  async read(frame: Frame, bands: readonly Box[], ocr: (image: Uint8Array) => Promise<Word[]>): Promise<KnownTextRead> {
    const strips = bands.flatMap((b) => stripsOf(frame, b));
    // Each digest is looked up, or read, once: the same word twice on screen is read once.
    const occurrences = new Map<string, { strip: number; seg: Segment }[]>();
    strips.forEach((s, strip) => {
      for (const seg of s.segments) occurrences.set(seg.key, [...(occurrences.get(seg.key) ?? []), { strip, seg }]);
    });
    const found = new Map<string, KnownWord[]>();
    const unseen: { strip: number; seg: Segment }[] = [];
    for (const [key, at] of occurrences) {
      const known = this.known.get(key);
      if (!known) {
        unseen.push(at[0]);
        continue;
      }
      // Most recently used last: the map's order is the eviction order.
      this.known.delete(key);
      this.known.set(key, known);
      found.set(key, known);
    }
    // Per digest read now: whether it may be remembered.
    const fresh = new Map<string, boolean>();
    if (unseen.length) {
      const { image, placed } = layOut(frame, strips, unseen);
      for (const { seg } of unseen) {
        fresh.set(seg.key, true);
        found.set(seg.key, []);
      }
      for (const w of await ocr(image)) {
        const at = placeOf(placed, w);
        if (!at) continue;
        const { p, spans } = at;
        found.get(p.seg.key)!.push({ text: w.text, dx: w.x - p.x, dy: w.y - p.y - (p.seg.y - strips[p.strip].y0), width: w.width, height: w.height });
        // A word read across the gap between two segments belongs to neither alone: neither is remembered.
        if (spans.length !== 1) for (const sp of spans) fresh.set(sp.seg.key, false);
      }
    }
    const words: (Word & { strip: number })[] = [];
    for (const [key, at] of occurrences) {
      for (const { strip, seg } of at) {
        for (const w of found.get(key)!) words.push({ text: w.text, x: seg.x + w.dx, y: seg.y + w.dy, width: w.width, height: w.height, line: '', strip });
      }
    }
    return {
      words: lineUp(words),
      ocrCalls: unseen.length ? 1 : 0,
      remember: (sensitive) => {
        for (const [key, ok] of fresh) {
          // Where a word was sensitive, none of the places showing those pixels is remembered.
          if (!ok || occurrences.get(key)!.some(({ seg }) => sensitive.some((b) => overlaps(b, seg)))) continue;
          this.known.set(key, found.get(key)!);
          if (this.known.size > MAX_KNOWN) this.known.delete(this.known.keys().next().value!);
        }
      },
    };
  }
}

/** The text lines of a band: runs of rows with ink, slivers joined to their neighbour, each cut into segments. */
function stripsOf(f: Frame, band: Box): Strip[] {
  const x0 = band.x;
  const x1 = band.x + band.width;
  const runs: { y0: number; y1: number }[] = [];
  for (let y = band.y; y < band.y + band.height; y++) {
    if (uniform(f, x0, x1, y, y + 1)) continue;
    const last = runs[runs.length - 1];
    if (last && last.y1 === y) last.y1 = y + 1;
    else runs.push({ y0: y, y1: y + 1 });
  }
  for (let i = 0; i < runs.length; ) {
    const r = runs[i];
    if (r.y1 - r.y0 > SLIVER) {
      i++;
      continue;
    }
    const up = i > 0 ? r.y0 - runs[i - 1].y1 : Infinity;
    const down = i < runs.length - 1 ? runs[i + 1].y0 - r.y1 : Infinity;
    if (Math.min(up, down) > SLIVER_GAP) {
      i++;
      continue;
    }
    if (up <= down) runs[i - 1].y1 = r.y1;
    else runs[i + 1].y0 = r.y0;
    runs.splice(i, 1);
  }
  return runs.map(({ y0, y1 }) => {
    const bg = background(f, x0, x1, y0, y1);
    // A gap of half the line's height is wider than any gap within a word, and no wider than a space.
    const gap = Math.max(6, Math.ceil((y1 - y0) / 2));
    const segments: Segment[] = [];
    // Ink: anything but the background (a glyph's stem can be one colour top to bottom, and is still ink).
    const ink = (x: number) => !all(f, x, x + 1, y0, y1, bg);
    for (let x = x0; x < x1; ) {
      while (x < x1 && !ink(x)) x++;
      if (x >= x1) break;
      const start = x;
      let end = ++x;
      for (let blank = 0; x < x1; x++) {
        if (ink(x)) {
          end = x + 1;
          blank = 0;
        } else if (++blank >= gap) break;
      }
      segments.push(segment(f, start, end, y0, y1, bg));
    }
    return { y0, y1, segments, bg };
  });
}

/**
 * The colour text of this strip sits on: that of the blank row just above or below it (what separated it from
 * the next line), else the commonest of its pixels.
 */
function background(f: Frame, x0: number, x1: number, y0: number, y1: number): number {
  if (y0 > 0 && uniform(f, x0, x1, y0 - 1, y0)) return f.px[(y0 - 1) * f.width + x0];
  if (y1 < f.height && uniform(f, x0, x1, y1, y1 + 1)) return f.px[y1 * f.width + x0];
  const counts = new Map<number, number>();
  for (let y = y0; y < y1; y++) for (let i = y * f.width + x0; i < y * f.width + x1; i += 3) counts.set(f.px[i], (counts.get(f.px[i]) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0][0];
}

/** The segment's columns sx0..sx1 narrowed to its own ink rows, named by the digest of exactly those pixels. */
function segment(f: Frame, sx0: number, sx1: number, y0: number, y1: number, bg: number): Segment {
  while (y0 < y1 - 1 && all(f, sx0, sx1, y0, y0 + 1, bg)) y0++;
  while (y1 > y0 + 1 && all(f, sx0, sx1, y1 - 1, y1, bg)) y1--;
  const h = createHash('sha256').update(`${sx1 - sx0}x${y1 - y0}:`);
  for (let y = y0; y < y1; y++) h.update(new Uint8Array(f.px.buffer, f.px.byteOffset + (y * f.width + sx0) * 4, (sx1 - sx0) * 4));
  return { x: sx0, y: y0, width: sx1 - sx0, height: y1 - y0, key: h.digest('base64') };
}

/** Whether every pixel of the rectangle x0..x1 by y0..y1 is `colour`. */
function all(f: Frame, x0: number, x1: number, y0: number, y1: number, colour: number): boolean {
  const px = f.px;
  for (let y = y0; y < y1; y++) {
    for (let x = x0, i = y * f.width + x0; x < x1; x++, i++) if (px[i] !== colour) return false;
  }
  return true;
}

/** Whether the rectangle x0..x1 by y0..y1 is all one colour. */
function uniform(f: Frame, x0: number, x1: number, y0: number, y1: number): boolean {
  const px = f.px;
  const c = px[y0 * f.width + x0];
  for (let y = y0; y < y1; y++) {
    for (let x = x0, i = y * f.width + x0; x < x1; x++, i++) if (px[i] !== c) return false;
  }
  return true;
}

interface Placed {
  strip: number;
  seg: Segment;
  /** Where the segment's left edge and its strip's top row landed in the image, and the strip's height. */
  x: number;
  y: number;
  height: number;
}

/**
 * The unseen segments as lines of a PPM: each strip's unseen segments side by side, two gaps apart on the strip's
 * own background and at their own height within it, so OCR reads them as the line they came from.
 */
function layOut(f: Frame, strips: readonly Strip[], unseen: readonly { strip: number; seg: Segment }[]): { image: Uint8Array; placed: Placed[] } {
  const byStrip = new Map<number, Segment[]>();
  for (const u of unseen) byStrip.set(u.strip, [...(byStrip.get(u.strip) ?? []), u.seg]);
  const lines = [...byStrip].map(([strip, segs]) => {
    const s = strips[strip];
    const sep = 2 * Math.max(6, Math.ceil((s.y1 - s.y0) / 2));
    const width = segs.reduce((w, g) => w + g.width, 0) + sep * (segs.length - 1) + 2 * MARGIN;
    return { strip, segs, sep, width, height: s.y1 - s.y0 };
  });
  const width = Math.max(...lines.map((l) => l.width));
  const height = LINE_GAP + lines.reduce((h, l) => h + l.height + LINE_GAP, 0);
  const header = Buffer.from(`P6\n${width} ${height}\n255\n`, 'latin1');
  const out = Buffer.alloc(header.length + width * height * 3, 0xff);
  header.copy(out, 0);
  const put = (o: number, v: number) => {
    out[o] = v & 0xff;
    out[o + 1] = (v >>> 8) & 0xff;
    out[o + 2] = (v >>> 16) & 0xff;
  };
  const placed: Placed[] = [];
  let top = LINE_GAP;
  for (const l of lines) {
    const s = strips[l.strip];
    for (let y = 0; y < l.height; y++) for (let x = 0; x < l.width; x++) put(header.length + ((top + y) * width + x) * 3, s.bg);
    let left = MARGIN;
    for (const seg of l.segs) {
      placed.push({ strip: l.strip, seg, x: left, y: top, height: l.height });
      for (let y = seg.y; y < seg.y + seg.height; y++) {
        let o = header.length + ((top + y - s.y0) * width + left) * 3;
        for (let x = seg.x, i = y * f.width + seg.x; x < seg.x + seg.width; x++, i++, o += 3) put(o, f.px[i]);
      }
      left += seg.width + l.sep;
    }
    top += l.height + LINE_GAP;
  }
  return { image: out, placed };
}

/** The segment a word read from the laid-out image came from, and every segment its box reaches into. */
function placeOf(placed: readonly Placed[], w: Word): { p: Placed; spans: Placed[] } | null {
  const cy = w.y + w.height / 2;
  const row = placed.filter((p) => cy >= p.y - LINE_GAP / 2 && cy < p.y + p.height + LINE_GAP / 2);
  const spans = row.filter((p) => w.x < p.x + p.seg.width && w.x + w.width > p.x);
  if (spans.length) return { p: spans[0], spans };
  // A word in a margin or gap (a stray mark): pinned to the nearest segment of its line, and remembered by none.
  const near = row.sort((a, b) => Math.abs(a.x - w.x) - Math.abs(b.x - w.x))[0];
  return near ? { p: near, spans: [near, near] } : null;
}

/** Words of one strip split into text lines by their vertical centres, each line a key of its own. */
function lineUp(words: (Word & { strip: number })[]): Word[] {
  const out: Word[] = [];
  const byStrip = new Map<number, (Word & { strip: number })[]>();
  for (const w of words) byStrip.set(w.strip, [...(byStrip.get(w.strip) ?? []), w]);
  for (const [strip, ws] of byStrip) {
    ws.sort((a, b) => a.y + a.height / 2 - (b.y + b.height / 2));
    let line = 0;
    let centre = -Infinity;
    let height = 0;
    for (const w of ws) {
      const c = w.y + w.height / 2;
      if (Math.abs(c - centre) > Math.max(height, w.height) / 2) {
        line++;
        centre = c;
        height = w.height;
      }
      out.push({ text: w.text, x: w.x, y: w.y, width: w.width, height: w.height, line: `strip ${strip}.${line}` });
    }
  }
  return out;
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && a.x + a.width > b.x && a.y < b.y + b.height && a.y + a.height > b.y;
}
