// The one place for page geometry: a square virtual page in abstract units, the type scale, wrapping and pagination.
// Text-like kinds lay out here once, independent of mode, then draw at the mode's pixel size, so page counts never depend on mode.
import { setImmediate } from 'node:timers/promises';
import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import { MODE_SIZE, type PageKind } from '../../../contract/models.js';
import type { PageImage, RenderedPage, RenderOptions } from '../types.js';
import { canvasToImage, clearToPaper, sharedSquareCanvas } from './canvas.js';
import { cssFont, ensureFonts, type FontStyle } from './fonts.js';

/** The virtual page is PAGE x PAGE units; a mode's square of N pixels draws it at N / PAGE pixels per unit. */
export const PAGE = 1000;
export const MARGIN = 40;
export const CONTENT_WIDTH = PAGE - 2 * MARGIN;
export const CONTENT_HEIGHT = PAGE - 2 * MARGIN;

export const INK = '#000000';
export const MUTED = '#555555';

export interface TextStyle extends FontStyle {
  color: string;
}

/** A style plus the height of the line box it sets. */
export interface LineStyle {
  text: TextStyle;
  lineHeight: number;
}

// Body text of 21 units on 28-unit lines gives 32 lines of about 80 characters: 2,000-2,500 characters of prose a page,
// about 10.75 px type at tiny (512 px) and 13.4 px at small. Monospace is narrower per line, so it is a little smaller.
export const STYLES = {
  body: { text: { family: 'sans', size: 21, color: INK }, lineHeight: 28 },
  mono: { text: { family: 'mono', size: 18, color: INK }, lineHeight: 24 },
  h1: { text: { family: 'sans', size: 34, bold: true, color: INK }, lineHeight: 44 },
  h2: { text: { family: 'sans', size: 28, bold: true, color: INK }, lineHeight: 37 },
  h3: { text: { family: 'sans', size: 24, bold: true, color: INK }, lineHeight: 32 },
  h4: { text: { family: 'sans', size: 21, bold: true, color: INK }, lineHeight: 28 },
} satisfies Record<string, LineStyle>;

/** Blank space before a paragraph and a heading, in units; dropped at the top of a page. */
export const PARAGRAPH_GAP = 10;
export const HEADING_GAP = 18;
/** One level of list or quote indentation. */
export const INDENT = 36;
export const TAB_SIZE = 4;

/** A piece of text drawn in one style, `x` units from the content box's left edge. */
export interface Run {
  x: number;
  text: string;
  style: TextStyle;
}

/** A filled rectangle (quote bar, code background, rule), relative to the line's top-left in the content box. */
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
  color: string;
}

/** One line box: the unit of pagination. */
export interface Line {
  height: number;
  /** Distance from the line's top to the text baseline. */
  baseline: number;
  runs: Run[];
  rects?: Rect[];
  /** What this line contributes to its page's text layer. */
  layer: string;
  /** Appended to the text layer after this line when another line follows on the same page ("\n", " " or ""). */
  join: string;
  /** Space above the line, unless it opens a page. */
  gapBefore?: number;
  /** Headings: never the last line of a page. */
  keepWithNext?: boolean;
  /** A form feed or explicit break: start a new page here. */
  breakBefore?: boolean;
}

export interface PlacedLine {
  line: Line;
  /** Top of the line box in the content box. */
  y: number;
}

export interface PageLayout {
  lines: PlacedLine[];
  text: string;
}

// DejaVu's ascent and descent (1901 and 483 of 2048 units per em): centring that box in the line keeps baselines even.
const ASCENT = 0.928;
const DESCENT = 0.236;

export function baselineFor(style: LineStyle): number {
  const { size } = style.text;
  return (style.lineHeight - (ASCENT + DESCENT) * size) / 2 + ASCENT * size;
}

let measureCtx: SKRSContext2D | null = null;
const widthCache = new Map<string, Map<string, number>>();
const WIDTH_CACHE_LIMIT = 200_000;
let cachedWidths = 0;

/** Width of `text` in units, measured at the style's unit size (the scale every mode shares). */
export function measure(style: FontStyle, text: string): number {
  if (text.length === 0) return 0;
  const font = cssFont(style);
  let byText = widthCache.get(font);
  if (!byText) {
    byText = new Map();
    widthCache.set(font, byText);
  }
  const hit = byText.get(text);
  if (hit !== undefined) return hit;
  if (!measureCtx) {
    ensureFonts();
    measureCtx = createCanvas(16, 16).getContext('2d');
  }
  if (measureCtx.font !== font) measureCtx.font = font;
  const width = measureCtx.measureText(text).width;
  // A bound on memory for huge documents; the cache only saves time, so dropping it is harmless.
  if (cachedWidths >= WIDTH_CACHE_LIMIT) {
    widthCache.clear();
    cachedWidths = 0;
    byText = new Map();
    widthCache.set(font, byText);
  }
  byText.set(text, width);
  cachedWidths++;
  return width;
}

/** Replaces tabs with spaces to the next multiple of TAB_SIZE columns. */
export function expandTabs(line: string, tabSize = TAB_SIZE): string {
  if (!line.includes('\t')) return line;
  let out = '';
  for (const ch of line) {
    if (ch === '\t') out += ' '.repeat(tabSize - (out.length % tabSize));
    else out += ch;
  }
  return out;
}

/** Styled text to wrap; a span whose text is "\n" is a hard line break. */
export interface Span {
  text: string;
  style: TextStyle;
}

export interface WrappedLine {
  runs: Run[];
  layer: string;
  /** How this line joins the next one in the text layer: " " at a space, "" inside a broken word, "\n" at a hard break. */
  join: string;
}

interface Part {
  text: string;
  style: TextStyle;
  width: number;
}

type Token = { kind: 'word'; parts: Part[]; width: number } | { kind: 'space'; part: Part } | { kind: 'break' };

function tokenize(spans: Span[]): Token[] {
  const tokens: Token[] = [];
  let word: Part[] = [];
  const endWord = () => {
    if (word.length === 0) return;
    tokens.push({ kind: 'word', parts: word, width: word.reduce((sum, p) => sum + p.width, 0) });
    word = [];
  };
  for (const span of spans) {
    for (const piece of span.text.split(/(\n| +)/)) {
      if (piece === '') continue;
      if (piece === '\n') {
        endWord();
        tokens.push({ kind: 'break' });
      } else if (piece[0] === ' ') {
        endWord();
        tokens.push({ kind: 'space', part: { text: piece, style: span.style, width: measure(span.style, piece) } });
      } else {
        word.push({ text: piece, style: span.style, width: measure(span.style, piece) });
      }
    }
  }
  endWord();
  return tokens;
}

/**
 * Breaks styled text into lines at most `width` units wide: at spaces where it can, inside a word only when the word
 * alone is too wide. Leading spaces of a hard line are kept (indentation); spaces at a soft break are dropped.
 * Continuation lines start `hang` units in.
 */
export function wrapSpans(spans: Span[], width: number, hang = 0): WrappedLine[] {
  const lines: WrappedLine[] = [];
  let parts: { part: Part; x: number }[] = [];
  let x = 0;
  let hardStart = true;
  let pending: Part[] = [];

  const lineStart = () => (hardStart ? 0 : hang);
  const finish = (join: string) => {
    lines.push(toWrapped(parts, join));
    parts = [];
    pending = [];
  };
  const place = (part: Part) => {
    parts.push({ part, x });
    x += part.width;
  };
  const startLine = (hard: boolean) => {
    hardStart = hard;
    x = lineStart();
  };

  startLine(true);
  for (const token of tokenize(spans)) {
    if (token.kind === 'break') {
      finish('\n');
      startLine(true);
      continue;
    }
    if (token.kind === 'space') {
      if (parts.length > 0 || hardStart) pending.push(token.part);
      continue;
    }
    const spaceWidth = pending.reduce((sum, p) => sum + p.width, 0);
    if (parts.length > 0 && x + spaceWidth + token.width > width) {
      finish(' ');
      startLine(false);
    }
    if (parts.length > 0 || hardStart) for (const space of pending) place(space);
    pending = [];
    if (x + token.width <= width) {
      for (const part of token.parts) place(part);
      continue;
    }
    // A word wider than a whole line (a URL, a hash, minified code): break it between characters.
    for (const part of token.parts) {
      let chunk = '';
      let chunkWidth = 0;
      for (const ch of part.text) {
        const w = measure(part.style, ch);
        if (x + chunkWidth + w > width && (chunk !== '' || parts.length > 0)) {
          if (chunk !== '') place({ text: chunk, style: part.style, width: chunkWidth });
          finish('');
          startLine(false);
          chunk = '';
          chunkWidth = 0;
        }
        chunk += ch;
        chunkWidth += w;
      }
      if (chunk !== '') place({ text: chunk, style: part.style, width: chunkWidth });
    }
  }
  if (parts.length > 0 || lines.length === 0 || hardStart) finish('\n');
  return lines;
}

/** Merges neighbouring parts of one style into a single run: fewer draw calls, and the font's own kerning inside it. */
function toWrapped(parts: { part: Part; x: number }[], join: string): WrappedLine {
  const runs: Run[] = [];
  let layer = '';
  for (const { part, x } of parts) {
    layer += part.text;
    const last = runs[runs.length - 1];
    if (last && last.style === part.style) last.text += part.text;
    else runs.push({ x, text: part.text, style: part.style });
  }
  return { runs, layer, join };
}

/** Turns wrapped lines into line boxes of one style, shifted `indent` units right. */
export function toLines(wrapped: WrappedLine[], style: LineStyle, indent = 0): Line[] {
  const baseline = baselineFor(style);
  return wrapped.map((w) => ({
    height: style.lineHeight,
    baseline,
    runs: indent === 0 ? w.runs : w.runs.map((r) => ({ ...r, x: r.x + indent })),
    layer: w.layer,
    join: w.join,
  }));
}

/** Flows line boxes onto pages of CONTENT_HEIGHT. Always at least one page, so an empty file still has a page. */
export function paginate(lines: Line[]): PageLayout[] {
  const pages: PlacedLine[][] = [];
  let current: PlacedLine[] = [];
  let y = 0;
  const flush = () => {
    pages.push(current);
    current = [];
    y = 0;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.breakBefore && current.length > 0) flush();
    let gap = current.length > 0 ? (line.gapBefore ?? 0) : 0;
    const next = lines[i + 1];
    const keep = line.keepWithNext && next && !next.breakBefore ? (next.gapBefore ?? 0) + next.height : 0;
    if (current.length > 0 && y + gap + line.height + keep > CONTENT_HEIGHT) {
      flush();
      gap = 0;
    }
    y += gap;
    current.push({ line, y });
    y += line.height;
  }
  if (current.length > 0 || pages.length === 0) flush();
  return pages.map((placed) => ({ lines: placed, text: pageText(placed) }));
}

function pageText(placed: PlacedLine[]): string {
  let text = '';
  placed.forEach(({ line }, i) => {
    text += line.layer;
    if (i < placed.length - 1) text += line.join;
  });
  return text.trimEnd();
}

/** Draws one laid-out page at `size` pixels square. Synchronous, so the shared canvas is never seen half-drawn. */
export function drawPage(page: PageLayout, size: number): PageImage {
  ensureFonts();
  const canvas = sharedSquareCanvas(size);
  const ctx = canvas.getContext('2d');
  clearToPaper(ctx, size, size);
  const scale = size / PAGE;
  ctx.textBaseline = 'alphabetic';
  ctx.textAlign = 'left';
  let font = '';
  let fill = '';
  for (const { line, y } of page.lines) {
    const top = MARGIN + y;
    for (const r of line.rects ?? []) {
      if (fill !== r.color) ctx.fillStyle = fill = r.color;
      ctx.fillRect((MARGIN + r.x) * scale, (top + r.y) * scale, r.w * scale, r.h * scale);
    }
    // Baselines snap to whole pixels so glyphs are not smeared across two rows; x keeps subpixel precision.
    const baseline = Math.round((top + line.baseline) * scale);
    for (const run of line.runs) {
      const runFont = cssFont(run.style, run.style.size * scale);
      if (font !== runFont) ctx.font = font = runFont;
      if (fill !== run.style.color) ctx.fillStyle = fill = run.style.color;
      ctx.fillText(run.text, (MARGIN + run.x) * scale, baseline);
    }
  }
  return canvasToImage(canvas);
}

/** Yields laid-out pages in order, drawing each only when asked for, and stops between pages once `signal` aborts. */
export async function* drawPages(kind: PageKind, layouts: PageLayout[], opts: RenderOptions): AsyncGenerator<RenderedPage> {
  const size = MODE_SIZE[opts.mode];
  for (let i = 0; i < layouts.length; i++) {
    // A turn of the event loop per page: IPC and cancels get through, and @napi-rs/canvas frees pixel buffers then.
    await setImmediate();
    opts.signal?.throwIfAborted();
    yield { kind, page: i + 1, pages: layouts.length, image: drawPage(layouts[i], size), textLayer: layouts[i].text };
  }
}
