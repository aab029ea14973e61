// The perception front of a span pack: a text detector (DB) finds the lines of a page, a CTC recogniser reads each
// line. In the default pack the detector is PaddleOCR's PP-OCRv4, frozen (as SAM serves DeepEncoder: pretrained, never
// trained by us), and the recogniser is the pack recipe's own line reader; 3.0.0 used PaddleOCR's recogniser, and any
// recogniser with the same interface (a [B, 3, H, W] line in [-1, 1] -> [B, T, classes]) loads. Only the page's pixels
// go in; the text that comes out is compressed into tokens and then dropped.
import { readFileSync } from 'node:fs';
import type { PageImage } from '../ingest/types.js';
import { openPackSession, type PackSessionOptions, type SpanPack } from './ModelPack.js';
import type { Session } from './Runtime.js';

/** A detected text region, in page pixels. */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export class OcrFront {
  private constructor(
    private readonly pack: SpanPack,
    private readonly det: Session,
    private readonly rec: Session,
    private readonly dict: string[],
  ) {}

  get provider(): string {
    return this.det.provider;
  }
  get note(): string | null {
    return this.det.note;
  }

  static async create(pack: SpanPack, opts: PackSessionOptions = {}): Promise<OcrFront> {
    const open = (key: 'detector' | 'recogniser') => openPackSession(pack, pack.manifest.files[key].path, pack.paths[key], opts, pack.manifest.front[key]);
    const det = await open('detector');
    const rec = await open('recogniser');
    // CTC classes: 0 is blank, then the key file's lines, then the space.
    const lines = readFileSync(pack.paths.keys, 'utf8').split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    return new OcrFront(pack, det, rec, ['', ...lines.map((l) => l.replace(/\r$/, '')), ' ']);
  }

  /** The page's text, lines top to bottom, regions of a line left to right. */
  async read(page: PageImage): Promise<string> {
    const grey = toGreyPlane(page);
    const rows = readingOrder(await this.detect(grey, page.width, page.height));
    const texts = await this.recogniseMany(grey, page.width, page.height, rows.flat());
    const out: string[] = [];
    let k = 0;
    for (const row of rows) {
      const parts: string[] = [];
      for (let i = 0; i < row.length; i++, k++) if (texts[k].trim()) parts.push(texts[k].trim());
      if (parts.length) out.push(parts.join(' '));
    }
    return out.join('\n');
  }

  /** Text regions of a grey page [0, 255]. */
  async detect(grey: Float32Array, width: number, height: number): Promise<Box[]> {
    const o = this.pack.manifest.front.detector;
    const side = Math.max(width, height);
    const target = Math.min(o.maxSide, Math.max(o.minSide, side));
    const scale = target / side;
    const w = Math.max(o.multiple, Math.round((width * scale) / o.multiple) * o.multiple);
    const h = Math.max(o.multiple, Math.round((height * scale) / o.multiple) * o.multiple);
    const img = resample(grey, width, height, 0, 0, width, height, w, h);
    const data = new Float32Array(3 * w * h);
    for (let c = 0; c < 3; c++) {
      const plane = data.subarray(c * w * h, (c + 1) * w * h);
      for (let i = 0; i < w * h; i++) plane[i] = (img[i] / 255 - o.mean[c]) / o.std[c];
    }
    const res = await this.det.run({ [o.input]: { data, dims: [1, 3, h, w] } });
    const prob = res[o.output].data as Float32Array;
    return regions(prob, w, h, o.threshold, o.boxThreshold, o.unclip).map((b) => ({
      x0: Math.max(0, (b.x0 * width) / w),
      y0: Math.max(0, (b.y0 * height) / h),
      x1: Math.min(width, (b.x1 * width) / w),
      y1: Math.min(height, (b.y1 * height) / h),
    }));
  }

  /** Greedy CTC reading of one region. */
  async recognise(grey: Float32Array, width: number, height: number, b: Box): Promise<string> {
    return (await this.recogniseMany(grey, width, height, [b]))[0];
  }

  /** Greedy CTC readings of regions, in their order. Regions of similar width share a run (at most RUN_BATCH, the
   *  widest at most RUN_SPREAD x the narrowest), padded on the right with paper; each reads only its own columns. */
  async recogniseMany(grey: Float32Array, width: number, height: number, boxes: Box[]): Promise<string[]> {
    const o = this.pack.manifest.front.recogniser;
    const H = o.height;
    const widths = boxes.map((b) => {
      const bw = b.x1 - b.x0;
      const bh = b.y1 - b.y0;
      return bw < 2 || bh < 2 ? 0 : Math.max(16, Math.min(o.maxWidth, Math.round((bw * H) / bh / 8) * 8));
    });
    const texts = boxes.map(() => '');
    const order = boxes.map((_, i) => i).filter((i) => widths[i] > 0).sort((a, b) => widths[a] - widths[b]);
    for (let at = 0; at < order.length; ) {
      let end = at + 1;
      while (end < order.length && end - at < RUN_BATCH && widths[order[end]] <= RUN_SPREAD * widths[order[at]]) end++;
      const group = order.slice(at, end);
      at = end;
      const W = widths[group[group.length - 1]];
      const plane = H * W;
      const data = new Float32Array(group.length * 3 * plane).fill(1);
      group.forEach((i, n) => {
        const b = boxes[i];
        const w = widths[i];
        const img = resample(grey, width, height, b.x0, b.y0, b.x1 - b.x0, b.y1 - b.y0, w, H);
        const base = n * 3 * plane;
        for (let y = 0; y < H; y++) for (let x = 0; x < w; x++) data[base + y * W + x] = img[y * w + x] / 127.5 - 1;
        data.copyWithin(base + plane, base, base + plane);
        data.copyWithin(base + 2 * plane, base, base + plane);
      });
      const res = await this.rec.run({ [o.input]: { data, dims: [group.length, 3, H, W] } });
      const out = res[o.output];
      const [, T, C] = out.dims;
      const p = out.data as Float32Array;
      group.forEach((i, n) => {
        const steps = Math.min(T, Math.ceil((widths[i] * T) / W));
        texts[i] = this.greedy(p, n * T * C, steps, C);
      });
    }
    return texts;
  }

  private greedy(p: Float32Array, offset: number, steps: number, C: number): string {
    let text = '';
    let prev = -1;
    for (let t = 0; t < steps; t++) {
      let best = 0;
      let bv = -Infinity;
      for (let c = 0, base = offset + t * C; c < C; c++)
        if (p[base + c] > bv) {
          bv = p[base + c];
          best = c;
        }
      if (best !== prev && best !== 0) text += this.dict[best] ?? '';
      prev = best;
    }
    return text;
  }
}

/** Regions read in one run of the recogniser: fewer calls, and less padding than one run for the whole page. */
const RUN_BATCH = 16;
const RUN_SPREAD = 1.25;

/** RGBA -> luminance in [0, 255]. */
export function toGreyPlane(img: PageImage): Float32Array {
  const g = new Float32Array(img.width * img.height);
  const d = img.data;
  for (let i = 0; i < g.length; i++) g[i] = 0.299 * d[4 * i] + 0.587 * d[4 * i + 1] + 0.114 * d[4 * i + 2];
  return g;
}

/** Bilinear resampling of the window (x0, y0, cw, ch) of a grey plane to dw x dh. */
export function resample(src: Float32Array, sw: number, sh: number, x0: number, y0: number, cw: number, ch: number, dw: number, dh: number): Float32Array {
  const out = new Float32Array(dw * dh);
  const xs = new Int32Array(dw), xs1 = new Int32Array(dw), wx = new Float32Array(dw);
  for (let x = 0; x < dw; x++) {
    const fx = x0 + ((x + 0.5) * cw) / dw - 0.5;
    const ix = Math.max(0, Math.min(sw - 1, Math.floor(fx)));
    xs[x] = ix;
    xs1[x] = Math.min(sw - 1, ix + 1);
    wx[x] = Math.max(0, Math.min(1, fx - ix));
  }
  for (let y = 0; y < dh; y++) {
    const fy = y0 + ((y + 0.5) * ch) / dh - 0.5;
    const iy = Math.max(0, Math.min(sh - 1, Math.floor(fy)));
    const r0 = iy * sw;
    const r1 = Math.min(sh - 1, iy + 1) * sw;
    const wy = Math.max(0, Math.min(1, fy - iy));
    for (let x = 0; x < dw; x++) {
      const a = src[r0 + xs[x]] * (1 - wx[x]) + src[r0 + xs1[x]] * wx[x];
      const b = src[r1 + xs[x]] * (1 - wx[x]) + src[r1 + xs1[x]] * wx[x];
      out[y * dw + x] = a * (1 - wy) + b * wy;
    }
  }
  return out;
}

/** DB post-processing: 4-connected regions of probability >= threshold whose mean is >= boxThreshold, as boxes grown
 *  by DB's unclip distance (area * ratio / perimeter), in probability-map pixels. */
export function regions(prob: Float32Array, w: number, h: number, threshold: number, boxThreshold: number, unclip: number): Box[] {
  const seen = new Uint8Array(w * h);
  const stack: number[] = [];
  const out: Box[] = [];
  for (let i = 0; i < w * h; i++) {
    if (seen[i] || prob[i] < threshold) continue;
    seen[i] = 1;
    stack.push(i);
    let x0 = w, y0 = h, x1 = 0, y1 = 0, n = 0, sum = 0;
    while (stack.length) {
      const j = stack.pop()!;
      const x = j % w;
      const y = (j - x) / w;
      n++;
      sum += prob[j];
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      if (x > 0 && !seen[j - 1] && prob[j - 1] >= threshold) (seen[j - 1] = 1), stack.push(j - 1);
      if (x < w - 1 && !seen[j + 1] && prob[j + 1] >= threshold) (seen[j + 1] = 1), stack.push(j + 1);
      if (y > 0 && !seen[j - w] && prob[j - w] >= threshold) (seen[j - w] = 1), stack.push(j - w);
      if (y < h - 1 && !seen[j + w] && prob[j + w] >= threshold) (seen[j + w] = 1), stack.push(j + w);
    }
    if (n < 3 || sum / n < boxThreshold) continue;
    const bw = x1 - x0 + 1;
    const bh = y1 - y0 + 1;
    const d = (bw * bh * unclip) / (2 * (bw + bh));
    out.push({ x0: x0 - d, y0: y0 - d, x1: x1 + 1 + d, y1: y1 + 1 + d });
  }
  return out;
}

/** Boxes grouped into lines (a box joins a line its vertical centre falls inside), lines top to bottom, left to right. */
export function readingOrder(boxes: Box[]): Box[][] {
  const sorted = [...boxes].sort((a, b) => (a.y0 + a.y1) / 2 - (b.y0 + b.y1) / 2);
  const rows: { top: number; bottom: number; boxes: Box[] }[] = [];
  for (const b of sorted) {
    const cy = (b.y0 + b.y1) / 2;
    const row = rows.find((r) => cy >= r.top && cy <= r.bottom);
    if (row) {
      row.boxes.push(b);
    } else rows.push({ top: b.y0 + (b.y1 - b.y0) * 0.2, bottom: b.y1 - (b.y1 - b.y0) * 0.2, boxes: [b] });
  }
  rows.sort((a, b) => a.top - b.top);
  return rows.map((r) => r.boxes.sort((a, b) => a.x0 - b.x0));
}
