// The fidelity benchmark behind `engram bench fidelity DIR`: per mode and ladder level, vision tokens, o200k text tokens,
// compression and character accuracy of text decoded from the tokens alone, scored against each page's text layer.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { getEncoding, type Tiktoken } from 'js-tiktoken';
import { MODE_TOKENS, Modes, type Mode } from '../../contract/models.js';
import type { RenderedPage } from '../ingest/types.js';
import type { Decoder } from './Decoder.js';
import type { SpanEncoder } from './SpanCodec.js';
import type { EncodedPage, Encoder } from './Encoder.js';
import { levelsBelow, type LevelName, type Recompress } from './ladder.js';

export interface FidelityRow {
  mode: Mode;
  level: string;
  pages: number;
  /** Mean per page. */
  visionTokens: number;
  textTokens: number;
  /** Mean text tokens / mean vision tokens (DeepSeek-OCR's compression). */
  compression: number;
  /** Mean over pages of 1 - CER (whitespace runs collapsed on both sides), in [0, 1]. */
  charAccuracy: number;
  /** The worst page. */
  minAccuracy: number;
}

export interface FidelityOptions {
  modes?: Mode[];
  /** Also score every level below each mode (default true). */
  ladder?: boolean;
  /** At most this many pages per document, and in all (defaults 3 and 60). */
  pagesPerDocument?: number;
  maxPages?: number;
  encoder?: Encoder;
  decoder?: Decoder;
  recompress?: Recompress;
  packDir?: string;
  onProgress?: (msg: string) => void;
}

/** The row of a span pack's OCR front: its text before compression, scored like a level. */
export const FRONT_ROW = '(ocr front)';

let o200k: Tiktoken | null = null;
export function textTokens(text: string): number {
  o200k ??= getEncoding('o200k_base');
  return o200k.encode(text).length;
}

export function normalizeText(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** 1 - character error rate of `pred` against `ref` (Levenshtein / |ref|), floored at 0; whitespace runs collapsed. */
export function charAccuracy(pred: string, ref: string): number {
  const a = [...normalizeText(pred)];
  const b = [...normalizeText(ref)];
  if (b.length === 0) return a.length === 0 ? 1 : 0;
  let prev = new Int32Array(b.length + 1).map((_, j) => j);
  let cur = new Int32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    const ca = a[i - 1];
    for (let j = 1; j <= b.length; j++) {
      const sub = prev[j - 1] + (ca === b[j - 1] ? 0 : 1);
      cur[j] = Math.min(sub, prev[j] + 1, cur[j - 1] + 1);
    }
    [prev, cur] = [cur, prev];
  }
  return Math.max(0, 1 - prev[b.length] / b.length);
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (!n.startsWith('.')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** Score the pack on every document under `dir`, rendered by Engram's own renderers at each mode. */
export async function benchFidelity(dir: string, opts: FidelityOptions = {}): Promise<FidelityRow[]> {
  const { renderDocument, SUPPORTED_EXTENSIONS } = await import('../ingest/render/index.js');
  const { loadDefaultEncoder, loadDecoder, loadRecompressor } = await import('./index.js');
  const encoder = opts.encoder ?? (await loadDefaultEncoder({ packDir: opts.packDir }));
  const decoder = opts.decoder ?? (await loadDecoder({ packDir: opts.packDir }));
  const recompress = opts.recompress ?? (await loadRecompressor({ packDir: opts.packDir }));
  const files = listFiles(dir).filter((f) => SUPPORTED_EXTENSIONS.includes(extname(f).toLowerCase()));
  const perDoc = opts.pagesPerDocument ?? 3;
  const maxPages = opts.maxPages ?? 60;
  const rows: FidelityRow[] = [];
  for (const mode of opts.modes ?? [...Modes]) {
    const pages: RenderedPage[] = [];
    for (const f of files) {
      if (pages.length >= maxPages) break;
      let n = 0;
      try {
        for await (const p of renderDocument(new Uint8Array(readFileSync(f)), { mode, name: f })) {
          if (p.textLayer && normalizeText(p.textLayer)) pages.push(p);
          if (++n >= perDoc || pages.length >= maxPages) break;
        }
      } catch (e) {
        opts.onProgress?.(`skip ${f}: ${(e as Error).message}`);
      }
    }
    opts.onProgress?.(`${mode}: ${pages.length} pages with a text layer`);
    const acc = new Map<string, { vis: number[]; txt: number[]; acc: number[] }>();
    const add = (level: string, vis: number, txt: number, a: number) => {
      const r = acc.get(level) ?? { vis: [], txt: [], acc: [] };
      r.vis.push(vis), r.txt.push(txt), r.acc.push(a);
      acc.set(level, r);
    };
    const front = 'encodeWithText' in encoder ? (encoder as SpanEncoder) : null;
    for (const p of pages) {
      const ref = p.textLayer!;
      const tt = textTokens(ref);
      let enc: EncodedPage;
      if (front) {
        // A span pack: also score what its OCR front read, the ceiling of every level (no tokens: not a level).
        const r = await front.encodeWithText(p.image, mode);
        enc = r.encoded;
        add(FRONT_ROW, 0, tt, charAccuracy(r.text, ref));
      } else [enc] = await encoder.encode([p.image], mode);
      const chain: EncodedPage[] = [enc];
      if (opts.ladder ?? true) for (const l of levelsBelow(mode)) chain.push(await recompress(chain[chain.length - 1], l as LevelName));
      const texts = await decoder.decodeMany(chain.map((c) => ({ ...c, nativeCount: MODE_TOKENS[mode] })));
      chain.forEach((c, i) => add(c.level, c.count, tt, charAccuracy(texts[i], ref)));
    }
    for (const [level, r] of acc) {
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
      rows.push({
        mode,
        level,
        pages: r.acc.length,
        visionTokens: mean(r.vis),
        textTokens: mean(r.txt),
        compression: mean(r.vis) ? mean(r.txt) / mean(r.vis) : 0,
        charAccuracy: mean(r.acc),
        minAccuracy: Math.min(...r.acc),
      });
    }
  }
  if (!opts.encoder) await encoder.close();
  return rows;
}

/** A table in the manner of DeepSeek-OCR's Fox table. */
export function formatFidelityTable(rows: FidelityRow[]): string {
  const head = ['mode', 'level', 'pages', 'vision tok', 'text tok', 'compression', 'char acc', 'min acc'];
  const body = rows.map((r) => [
    r.mode,
    r.level,
    String(r.pages),
    r.visionTokens ? r.visionTokens.toFixed(0) : '-',
    r.textTokens.toFixed(0),
    r.visionTokens ? `${r.compression.toFixed(1)}x` : '-',
    `${(100 * r.charAccuracy).toFixed(1)}%`,
    `${(100 * r.minAccuracy).toFixed(1)}%`,
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  return [line(head), w.map((n) => '-'.repeat(n)).join('  '), ...body.map(line)].join('\n');
}
