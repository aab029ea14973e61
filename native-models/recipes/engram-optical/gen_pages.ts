// Renders synthetic training pages (code, prose, raw markdown) with skia + DejaVu, as Engram's renderers do.
// Text comes from files inside node_modules only (never /usr/share or the Python stdlib: those are held out).
//
// Usage: npx tsx native-models/recipes/engram-optical/gen_pages.ts OUT_DIR --shards N --pages P --seed S [--start K]
// Writes OUT_DIR/shard-KKKK.u8.gz (concatenated grey pages, 0 = ink-free white... see below) and shard-KKKK.json.
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const FONT_DIR = join(ROOT, 'node_modules/dejavu-fonts-ttf/ttf');

const FONTS = {
  mono: ['DejaVuSansMono.ttf', 'DejaVuSansMono-Bold.ttf', 'DejaVuSansMono-Oblique.ttf'],
  prose: ['DejaVuSans.ttf', 'DejaVuSerif.ttf', 'DejaVuSansCondensed.ttf', 'DejaVuSerifCondensed.ttf', 'DejaVuSans-Oblique.ttf', 'DejaVuSerif-Italic.ttf'],
  bold: ['DejaVuSans-Bold.ttf', 'DejaVuSerif-Bold.ttf'],
};
const FAMILY: Record<string, string> = {};
for (const f of [...FONTS.mono, ...FONTS.prose, ...FONTS.bold]) {
  const fam = 'gen-' + f.replace('.ttf', '');
  GlobalFonts.registerFromPath(join(FONT_DIR, f), fam);
  FAMILY[f] = fam;
}

export function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Printable ASCII only: the pack's charset. Common typographic characters map to ASCII; the rest is dropped. */
export function toCharset(s: string): string {
  return s
    .replace(/\t/g, '    ')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/\u2026/g, '...')
    .replace(/[^\x20-\x7e\n]/g, '');
}

const CODE_EXT = ['.js', '.mjs', '.cjs', '.ts', '.d.ts', '.css', '.json'];
const PROSE_EXT = ['.md', '.markdown', '.txt'];

export function collectSources(): { code: string[]; prose: string[] } {
  const code: string[] = [];
  const prose: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 6) return;
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(dir, n);
      let st;
      try {
        st = statSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        if (n === '.bin' || n === '.cache') continue;
        walk(p, depth + 1);
        continue;
      }
      // Licence texts are excluded: the held-out set may use /usr/share/common-licenses, which share them.
      if (/licen[cs]e|copying|notice|authors/i.test(n)) continue;
      if (st.size < 800 || st.size > 400_000 || /\.min\./.test(n)) continue;
      if (PROSE_EXT.some((e) => n.toLowerCase().endsWith(e))) prose.push(p);
      else if (CODE_EXT.some((e) => n.endsWith(e))) code.push(p);
    }
  };
  walk(join(ROOT, 'node_modules'), 0);
  return { code, prose };
}

/** Held-out sources for evaluation (e.g. /usr/share/doc): never used by training runs. */
function collectFrom(dirs: string[]): { code: string[]; prose: string[] } {
  const code: string[] = [];
  const prose: string[] = [];
  const walk = (p: string, depth: number) => {
    let st;
    try {
      st = statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      if (depth > 4) return;
      for (const n of readdirSync(p).sort()) walk(join(p, n), depth + 1);
      return;
    }
    if (st.size < 600 || st.size > 400_000 || /\.(gz|png|jpg|svg|pdf|html?|xz|bz2|so|pyc)$/i.test(p)) return;
    (/\.(py|js|ts|c|h|sh|pl|rb)$/.test(p) ? code : prose).push(p);
  };
  for (const d of dirs) walk(d, 0);
  if (!code.length) code.push(...prose);
  if (!prose.length) prose.push(...code);
  return { code, prose };
}

interface Line {
  cy: number;
  h: number;
  text: string;
}

type Ctx = ReturnType<ReturnType<typeof createCanvas>['getContext']>;

function wrapChars(line: string, maxChars: number): string[] {
  if (line.length <= maxChars) return [line];
  const out: string[] = [];
  for (let i = 0; i < line.length; i += maxChars) out.push(line.slice(i, i + maxChars));
  return out;
}

function wrapWords(ctx: Ctx, para: string, width: number): string[] {
  const words = para.split(/\s+/).filter(Boolean);
  const out: string[] = [];
  let cur = '';
  for (const w of words) {
    const next = cur ? cur + ' ' + w : w;
    if (ctx.measureText(next).width <= width || !cur) {
      if (!cur && ctx.measureText(w).width > width) {
        // A word longer than the line: break it by characters.
        let piece = '';
        for (const ch of w) {
          if (ctx.measureText(piece + ch).width > width && piece) {
            out.push(piece);
            piece = '';
          }
          piece += ch;
        }
        cur = piece;
      } else cur = next;
    } else {
      out.push(cur);
      cur = w;
    }
  }
  if (cur) out.push(cur);
  return out;
}

interface Page {
  size: number;
  style: string;
  lines: Line[];
  grey: Uint8Array;
}

export function renderPage(rand: () => number, size: number, srcs: { code: string[]; prose: string[] }): Page {
  const pick = <T>(a: T[]) => a[Math.floor(rand() * a.length)];
  const canvas = createCanvas(size, size);
  const ctx = canvas.getContext('2d');
  const dark = rand() < 0.1;
  const bg = dark ? 15 + Math.floor(rand() * 40) : 225 + Math.floor(rand() * 31);
  const fg = dark ? 190 + Math.floor(rand() * 66) : Math.floor(rand() * 90);
  ctx.fillStyle = `rgb(${bg},${bg},${bg})`;
  ctx.fillRect(0, 0, size, size);
  ctx.fillStyle = `rgb(${fg},${fg},${fg})`;
  ctx.textBaseline = 'middle';

  const r = rand();
  const style = r < 0.4 ? 'code' : r < 0.85 ? 'prose' : 'raw';
  // Line pitch in px: 9..22 on a 512 page, scaled with the page as Engram's renderers scale (tiny 512 .. large 1280).
  const lh = Math.max(9, (9 + rand() * 13) * (0.85 + rand() * 0.3)) * (size / 512);
  const fs = lh / (1.12 + rand() * 0.33);
  const margin = (4 + rand() * 44) * (size / 512);
  const top = (2 + rand() * 40) * (size / 512);
  const width = size - 2 * margin;
  const font = style === 'prose' ? pick(FONTS.prose) : pick(FONTS.mono);
  const setFont = (f: string, px: number) => (ctx.font = `${px.toFixed(2)}px ${FAMILY[f]}`);
  setFont(font, fs);

  const file = style === 'code' ? pick(srcs.code) : pick(srcs.prose);
  let raw = toCharset(readFileSync(file, 'utf8'));
  const rawLines = raw.split('\n');
  const start = Math.floor(rand() * Math.max(1, rawLines.length - 20));
  const out: Line[] = [];
  let y = top;
  const emit = (text: string, h: number) => {
    if (y + h > size - 2) return false;
    const t = text.replace(/\s+$/, '');
    if (t.trim()) {
      ctx.fillText(t, margin, y + h / 2);
      out.push({ cy: y + h / 2, h, text: t });
    }
    y += h;
    return true;
  };

  if (style === 'prose') {
    // Reflow paragraphs, markdown headings in bold at a larger size.
    const paras: string[] = [];
    let cur: string[] = [];
    for (const l of rawLines.slice(start)) {
      if (!l.trim()) {
        if (cur.length) paras.push(cur.join(' '));
        cur = [];
      } else if (/^#{1,6}\s/.test(l)) {
        if (cur.length) paras.push(cur.join(' '));
        cur = [];
        paras.push(l);
      } else cur.push(l.trim());
      if (paras.length > 60) break;
    }
    if (cur.length) paras.push(cur.join(' '));
    outer: for (const p of paras) {
      const heading = /^#{1,6}\s/.test(p);
      const hs = heading ? fs * (1.15 + rand() * 0.5) : fs;
      setFont(heading ? pick(FONTS.bold) : font, hs);
      const h = heading ? hs * 1.3 : lh;
      for (const w of wrapWords(ctx, heading ? p.replace(/^#+\s*/, '') : p, width)) if (!emit(w, h)) break outer;
      y += lh * (0.3 + rand() * 0.5);
      setFont(font, fs);
    }
  } else {
    const cw = ctx.measureText('M'.repeat(20)).width / 20;
    const maxChars = Math.max(8, Math.floor(width / cw));
    outer2: for (const l of rawLines.slice(start)) {
      for (const w of wrapChars(l, maxChars)) if (!emit(w, lh)) break outer2;
    }
  }

  const img = ctx.getImageData(0, 0, size, size).data;
  const grey = new Uint8Array(size * size);
  for (let i = 0; i < size * size; i++) grey[i] = Math.round(0.299 * img[i * 4] + 0.587 * img[i * 4 + 1] + 0.114 * img[i * 4 + 2]);
  return { size, style, lines: out, grey };
}

/** A page drawn by Engram's own layout (text or highlighted code), exactly as ingest draws it; line boxes from the layout. */
async function renderEngramPage(rand: () => number, size: number, srcs: { code: string[]; prose: string[] }): Promise<Page> {
  const L = await import('../../../electron/core/ingest/render/layout.js');
  const T = await import('../../../electron/core/ingest/render/text.js');
  const C = await import('../../../electron/core/ingest/render/code.js');
  const code = rand() < 0.5;
  const pick = <T>(a: T[]) => a[Math.floor(rand() * a.length)];
  const file = code ? pick(srcs.code) : pick(srcs.prose);
  const all = toCharset(readFileSync(file, 'utf8')).split('\n');
  const start = Math.floor(rand() * Math.max(1, all.length - 30));
  const src = all.slice(start, start + 120).join('\n');
  const lines = code
    ? L.paginate(C.layoutCode(await C.highlight(src, C.languageFor(file)))).slice(0, 1)
    : L.paginate(T.layoutPlainText(src, rand() < 0.3 ? L.STYLES.mono : L.STYLES.body)).slice(0, 1);
  const layout = lines[0];
  const img = L.drawPage(layout, size);
  const scale = size / L.PAGE;
  const out: Line[] = [];
  for (const { line, y } of layout.lines) {
    const t = line.layer.replace(/\s+$/, '');
    if (t.trim()) out.push({ cy: (L.MARGIN + y + line.height / 2) * scale, h: line.height * scale, text: t });
  }
  const grey = new Uint8Array(size * size);
  for (let i = 0; i < size * size; i++) grey[i] = Math.round(0.299 * img.data[i * 4] + 0.587 * img.data[i * 4 + 1] + 0.114 * img.data[i * 4 + 2]);
  return { size, style: code ? 'engram-code' : 'engram-text', lines: out, grey };
}

async function main() {
  const args = process.argv.slice(2);
  const outDir = resolve(args[0] ?? 'data');
  const opt = (k: string, d: number) => {
    const i = args.indexOf(k);
    return i >= 0 ? Number(args[i + 1]) : d;
  };
  const shards = opt('--shards', 4);
  const perShard = opt('--pages', 250);
  const seed = opt('--seed', 1);
  const startShard = opt('--start', 0);
  const sizesArg = args.includes('--sizes') ? args[args.indexOf('--sizes') + 1].split(',').map(Number) : [512, 512, 512, 640, 640, 1024, 1024, 1280];
  const engramShare = opt('--engram', 0.4);
  const srcDirs = args.includes('--sources') ? args[args.indexOf('--sources') + 1].split(',') : null;
  mkdirSync(outDir, { recursive: true });
  const srcs = srcDirs ? collectFrom(srcDirs) : collectSources();
  console.log(`sources: ${srcs.code.length} code files, ${srcs.prose.length} prose files`);
  for (let s = startShard; s < startShard + shards; s++) {
    const name = `shard-${String(s).padStart(4, '0')}`;
    if (existsSync(join(outDir, name + '.json'))) continue;
    const rand = mulberry32(seed * 100_003 + s);
    const meta: { size: number; style: string; offset: number; lines: Line[] }[] = [];
    const bufs: Uint8Array[] = [];
    let offset = 0;
    for (let i = 0; i < perShard; i++) {
      const size = sizesArg[Math.floor(rand() * sizesArg.length)];
      const p = rand() < engramShare ? await renderEngramPage(rand, size, srcs) : renderPage(rand, size, srcs);
      meta.push({ size, style: p.style, offset, lines: p.lines });
      bufs.push(p.grey);
      offset += p.grey.length;
    }
    writeFileSync(join(outDir, name + '.u8.gz'), gzipSync(Buffer.concat(bufs), { level: 3 }));
    writeFileSync(join(outDir, name + '.json'), JSON.stringify({ sources: 'node_modules (see MODEL_CARD.md)', pages: meta }));
    console.log(`${name}: ${perShard} pages`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) void main();
