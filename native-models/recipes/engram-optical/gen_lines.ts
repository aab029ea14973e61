// Line crops for the span pack's recogniser, labelled exactly: pages are laid out and drawn by Engram's own renderers
// (text, markdown, code; PDFs made with pdf-lib's standard fonts and drawn by pdf.js), the pack's frozen detector finds
// the text regions as it will at encode time, and each region is labelled with the characters the layout put inside
// it. Text comes from node_modules only (never /usr/share or the Python stdlib: those are held out).
//
// Usage: npx tsx native-models/recipes/engram-optical/gen_lines.ts OUT_DIR --shards N --pages P --seed S [--start K]
//        [--pack DIR] [--height 24] [--det-side PX (the detector's page side; default the pack's)]
// Writes OUT_DIR/shard-KKKK.bin (grey crops, height H, concatenated row-major) and shard-KKKK.json: for each crop its
// byte offset, width, label and the label's character centres in crop columns (so training can cut windows at
// character boundaries).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PDFDocument, StandardFonts, type PDFFont } from 'pdf-lib';
import { MODE_SIZE, type Mode } from '../../../electron/contract/models.js';
import { highlight, languageFor, layoutCode } from '../../../electron/core/ingest/render/code.js';
import { drawPage, MARGIN, measure, paginate, PAGE, STYLES, type PageLayout } from '../../../electron/core/ingest/render/layout.js';
import { markdownToBlocks } from '../../../electron/core/ingest/render/markdown.js';
import { renderPdf } from '../../../electron/core/ingest/render/pdf.js';
import { layoutBlocks } from '../../../electron/core/ingest/render/richText.js';
import { layoutPlainText } from '../../../electron/core/ingest/render/text.js';
import type { PageImage } from '../../../electron/core/ingest/types.js';
import { loadModelPack, type SpanPack } from '../../../electron/core/optical/ModelPack.js';
import { OcrFront, resample, toGreyPlane, type Box } from '../../../electron/core/optical/ocrFront.js';
import { collectSources, mulberry32, toCharset } from './gen_pages.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** One character the page shows: its centre in page pixels, and the centre line of the text line it sits on. */
interface Glyph {
  ch: string;
  x: number;
  y: number;
}

export interface Crop {
  o: number;
  w: number;
  t: string;
  c: number[];
}

type Rand = () => number;
const pick = <T>(rand: Rand, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];

/** A window of a source file, cut at a line start, in the pack's charset. */
function excerpt(rand: Rand, file: string, chars: number): string {
  const src = toCharset(readFileSync(file, 'utf8'));
  if (src.length <= chars) return src;
  let at = Math.floor(rand() * (src.length - chars));
  const nl = src.indexOf('\n', at);
  if (nl >= 0 && nl < at + 400) at = nl + 1;
  return src.slice(at, at + chars);
}

/** Glyphs of a page laid out by Engram's layout: x from the measured prefix widths, y from the line's baseline. */
function layoutGlyphs(page: PageLayout, size: number): Glyph[] {
  const scale = size / PAGE;
  const out: Glyph[] = [];
  for (const { line, y } of page.lines) {
    const baseline = Math.round((MARGIN + y + line.baseline) * scale);
    for (const run of line.runs) {
      const cy = baseline - 0.35 * run.style.size * scale;
      let prev = 0;
      for (let k = 0; k < run.text.length; k++) {
        const next = measure(run.style, run.text.slice(0, k + 1));
        out.push({ ch: run.text[k], x: (MARGIN + run.x + (prev + next) / 2) * scale, y: cy });
        prev = next;
      }
    }
  }
  return out;
}

async function textLikePage(rand: Rand, size: number, srcs: { code: string[]; prose: string[] }): Promise<{ image: PageImage; glyphs: Glyph[] }> {
  const r = rand();
  let pages: PageLayout[];
  if (r < 0.35) {
    const style = rand() < 0.7 ? STYLES.body : STYLES.mono;
    pages = paginate(layoutPlainText(excerpt(rand, pick(rand, rand() < 0.8 ? srcs.prose : srcs.code), 4000), style));
  } else if (r < 0.65) {
    const blocks = await markdownToBlocks(excerpt(rand, pick(rand, srcs.prose), 4000));
    pages = paginate(layoutBlocks(blocks, rand() < 0.7 ? 'sans' : 'serif'));
  } else {
    const src = excerpt(rand, pick(rand, srcs.code), 4000);
    pages = paginate(layoutCode(await highlight(src, languageFor(pick(rand, ['a.js', 'a.ts', 'a.py', 'a.json', 'a.css', 'a.c', 'a.sh'])))));
  }
  return { image: drawPage(pages[0], size), glyphs: layoutGlyphs(pages[0], size) };
}

const PDF_FONTS = [
  StandardFonts.TimesRoman,
  StandardFonts.TimesRomanItalic,
  StandardFonts.TimesRomanBold,
  StandardFonts.Helvetica,
  StandardFonts.HelveticaBold,
  StandardFonts.HelveticaOblique,
  StandardFonts.Courier,
  StandardFonts.CourierBold,
] as const;

function wrapPdf(font: PDFFont, size: number, width: number, text: string): string[] {
  const lines: string[] = [];
  for (const para of text.split('\n')) {
    let cur = '';
    for (const w of para.split(/\s+/).filter(Boolean)) {
      const next = cur ? cur + ' ' + w : w;
      if (font.widthOfTextAtSize(next, size) > width && cur) {
        lines.push(cur);
        cur = w;
      } else cur = next;
    }
    lines.push(cur);
  }
  return lines;
}

/** A one-page PDF in a standard font, drawn by Engram's PDF renderer; glyphs from pdf-lib's font metrics. */
async function pdfPage(rand: Rand, mode: Mode, srcs: { code: string[]; prose: string[] }): Promise<{ image: PageImage; glyphs: Glyph[] }> {
  const doc = await PDFDocument.create();
  const name = pick(rand, PDF_FONTS);
  const font = await doc.embedFont(name);
  const [W, H] = rand() < 0.6 ? [612, 792] : [595, 842];
  const fs = 9 + Math.floor(rand() * 6);
  const lh = fs * (1.15 + rand() * 0.3);
  const margin = 50 + Math.floor(rand() * 40);
  const lines = wrapPdf(font, fs, W - 2 * margin, excerpt(rand, pick(rand, rand() < 0.8 ? srcs.prose : srcs.code), 5000));
  const page = doc.addPage([W, H]);
  const placed: { text: string; y: number }[] = [];
  for (let i = 0, y = H - margin; i < lines.length && y > margin; i++, y -= lh) {
    if (lines[i]) {
      page.drawText(lines[i], { x: margin, y, size: fs, font });
      placed.push({ text: lines[i], y });
    }
  }
  const bytes = await doc.save();
  let image: PageImage | null = null;
  for await (const p of renderPdf(bytes, { mode })) {
    image = p.image;
    break;
  }
  const size = MODE_SIZE[mode];
  const s = size / Math.max(W, H);
  const ox = Math.floor((size - W * s) / 2);
  const oy = Math.floor((size - H * s) / 2);
  const glyphs: Glyph[] = [];
  for (const l of placed) {
    const cy = oy + (H - l.y) * s - 0.35 * fs * s;
    let prev = 0;
    for (let k = 0; k < l.text.length; k++) {
      const next = font.widthOfTextAtSize(l.text.slice(0, k + 1), fs);
      glyphs.push({ ch: l.text[k], x: ox + (margin + (prev + next) / 2) * s, y: cy });
      prev = next;
    }
  }
  return { image: image!, glyphs };
}

/** The label of a detected region: the glyphs of the one text line whose centre line crosses it, left to right, with
 *  runs of spaces collapsed; null when it crosses no line or more than one. */
export function labelRegion(b: Box, glyphs: Glyph[]): { text: string; xs: number[] } | null {
  const inside = glyphs.filter((g) => g.x >= b.x0 && g.x <= b.x1 && g.y >= b.y0 && g.y <= b.y1);
  if (!inside.length) return null;
  const ys = [...new Set(inside.map((g) => Math.round(g.y)))];
  if (Math.max(...ys) - Math.min(...ys) > 2) return null;
  inside.sort((a, b) => a.x - b.x);
  let text = '';
  const xs: number[] = [];
  for (const g of inside) {
    if (g.ch === ' ' && (text === '' || text.endsWith(' '))) continue;
    text += g.ch;
    xs.push(g.x);
  }
  while (text.endsWith(' ')) {
    text = text.slice(0, -1);
    xs.pop();
  }
  return text ? { text, xs } : null;
}

async function main() {
  const args = process.argv.slice(2);
  const outDir = resolve(args[0] ?? '');
  if (!args[0] || args[0].startsWith('--')) throw new Error('usage: gen_lines.ts OUT_DIR --shards N --pages P --seed S [--start K] [--pack DIR] [--height H] [--det-side PX]');
  const opt = (k: string, d: number) => (args.includes(k) ? Number(args[args.indexOf(k) + 1]) : d);
  const shards = opt('--shards', 1);
  const perShard = opt('--pages', 100);
  const seed = opt('--seed', 1);
  const start = opt('--start', 0);
  const H = opt('--height', 24);
  const detSide = opt('--det-side', 0);
  const packDir = args.includes('--pack') ? args[args.indexOf('--pack') + 1] : join(ROOT, 'native-models/packs/engram-optical');
  const pack = await loadModelPack(packDir);
  if (pack.manifest.kind !== 'ocr-spans') throw new Error(`${packDir} is not a span pack: its detector finds the regions`);
  const front = await OcrFront.create(pack as SpanPack, { provider: 'cpu', threads: 1, offThread: false });
  if (detSide) Object.assign(pack.manifest.front.detector, { minSide: detSide, maxSide: detSide });
  mkdirSync(outDir, { recursive: true });
  const srcs = collectSources();
  const modes: Mode[] = ['tiny', 'tiny', 'small', 'small', 'small', 'base', 'base', 'large'];
  for (let s = start; s < start + shards; s++) {
    const name = `shard-${String(s).padStart(4, '0')}`;
    if (existsSync(join(outDir, name + '.json'))) continue;
    const rand = mulberry32(seed * 100_003 + s);
    const crops: Crop[] = [];
    const bufs: Uint8Array[] = [];
    let offset = 0;
    let skipped = 0;
    const t0 = Date.now();
    for (let i = 0; i < perShard; i++) {
      const mode = pick(rand, modes);
      const { image, glyphs } = rand() < 0.2 ? await pdfPage(rand, mode, srcs) : await textLikePage(rand, MODE_SIZE[mode], srcs);
      const grey = toGreyPlane(image);
      const boxes = await front.detect(grey, image.width, image.height);
      for (const found of boxes) {
        const label = labelRegion(found, glyphs);
        const fh = found.y1 - found.y0;
        if (!label || found.x1 - found.x0 < 2 || fh < 2) {
          skipped++;
          continue;
        }
        // The detector's margins vary with the page's size and ink: a little jitter, so the reader does not learn one.
        const b = {
          x0: Math.max(0, found.x0 - fh * 0.3 * rand()),
          x1: Math.min(image.width, found.x1 + fh * 0.3 * rand()),
          y0: Math.max(0, found.y0 - fh * (0.2 * rand() - 0.08)),
          y1: Math.min(image.height, found.y1 + fh * (0.2 * rand() - 0.08)),
        };
        const bw = b.x1 - b.x0;
        const bh = b.y1 - b.y0;
        const w = Math.max(8, Math.min(2400, Math.round((bw * H) / bh / 4) * 4));
        const img = resample(grey, image.width, image.height, b.x0, b.y0, bw, bh, w, H);
        const u8 = new Uint8Array(img.length);
        for (let k = 0; k < img.length; k++) u8[k] = Math.max(0, Math.min(255, Math.round(img[k])));
        crops.push({ o: offset, w, t: label.text, c: label.xs.map((x) => Math.round(((x - b.x0) * w * 10) / bw) / 10) });
        bufs.push(u8);
        offset += u8.length;
      }
    }
    writeFileSync(join(outDir, name + '.bin'), Buffer.concat(bufs));
    writeFileSync(join(outDir, name + '.json'), JSON.stringify({ height: H, sources: 'node_modules (see MODEL_CARD.md)', crops }));
    console.log(`${name}: ${perShard} pages, ${crops.length} regions (${skipped} unlabelled) in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) void main();
