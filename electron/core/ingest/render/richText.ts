// Structured documents (Markdown, DOCX) as one block model, and that model as line boxes.
// Two parsers feed it, one layout draws it, so a heading or a list looks the same whichever format it came from.
import type { Family } from './fonts.js';
import { type CodeLine, layoutCode } from './code.js';
import {
  CONTENT_WIDTH, HEADING_GAP, INDENT, INK, measure, MUTED, PARAGRAPH_GAP, STYLES, toLines, wrapSpans,
  type Line, type LineStyle, type Rect, type Span, type TextStyle,
} from './layout.js';

export interface Inline {
  text: string;
  bold?: boolean;
  italic?: boolean;
  code?: boolean;
  link?: boolean;
  /** Drawn muted: struck-through text and image placeholders. */
  muted?: boolean;
}

/** How deep a block sits: list levels and quote levels. */
export interface Nesting {
  indent: number;
  quote: number;
}

export type Block =
  | ({ type: 'heading'; level: number; inlines: Inline[] } & Nesting)
  | ({ type: 'paragraph'; inlines: Inline[]; marker?: string; listItem?: boolean } & Nesting)
  | ({ type: 'code'; lines: CodeLine[] } & Nesting)
  | ({ type: 'rule' } & Nesting)
  | ({ type: 'table'; header: Inline[][] | null; rows: Inline[][][] } & Nesting);

const QUOTE_STEP = 24;
const QUOTE_BAR = '#9a9a9a';
const CODE_BACKGROUND = '#f2f2f2';
const RULE = '#8a8a8a';
const LINK = '#0b3d91';
const CODE_PAD = 8;

const styles = new Map<string, TextStyle>();
/** One object per distinct style, so wrapSpans merges neighbours of the same style into one run. */
function style(base: TextStyle, inline: Omit<Inline, 'text'>, family: Family): TextStyle {
  const s: TextStyle = inline.code
    ? { family: 'mono', size: Math.round(base.size * 0.9), bold: base.bold, color: INK }
    : {
        family,
        size: base.size,
        bold: base.bold || inline.bold,
        italic: inline.italic,
        color: inline.link ? LINK : inline.muted ? MUTED : base.color,
      };
  const key = `${s.family}|${s.size}|${!!s.bold}|${!!s.italic}|${s.color}`;
  let shared = styles.get(key);
  if (!shared) styles.set(key, (shared = s));
  return shared;
}

function spansOf(inlines: Inline[], base: TextStyle, family: Family): Span[] {
  // Newlines inside text are soft (source wrapping); a hard break arrives as its own "\n" inline.
  return inlines.map((inline) => ({
    text: inline.text === '\n' ? '\n' : inline.text.replace(/\s*\n\s*/g, ' '),
    style: style(base, inline, family),
  }));
}

function headingStyle(level: number): LineStyle {
  return level <= 1 ? STYLES.h1 : level === 2 ? STYLES.h2 : level === 3 ? STYLES.h3 : STYLES.h4;
}

function left(n: Nesting): number {
  return n.quote * QUOTE_STEP + n.indent * INDENT;
}

function quoteBars(n: Nesting, height: number): Rect[] {
  return Array.from({ length: n.quote }, (_, q) => ({ x: q * QUOTE_STEP + 4, y: 0, w: 4, h: height, color: QUOTE_BAR }));
}

function layerPrefix(n: Nesting): string {
  return '> '.repeat(n.quote) + '  '.repeat(Math.max(0, n.indent - 1));
}

/** Lays blocks out as line boxes. Text-layer lines carry light Markdown marks (#, -, >, |) so structure survives as text. */
export function layoutBlocks(blocks: Block[], family: Family = 'sans'): Line[] {
  const out: Line[] = [];
  blocks.forEach((block, i) => {
    const lines = layoutBlock(block, family);
    if (lines.length === 0) return;
    // Items of one list sit close together and read as consecutive lines; everything else is a paragraph apart.
    lines[0].gapBefore = block.type === 'heading' ? HEADING_GAP : bothListItems(blocks[i - 1], block) ? 2 : PARAGRAPH_GAP;
    lines[lines.length - 1].join = bothListItems(block, blocks[i + 1]) ? '\n' : '\n\n';
    out.push(...lines);
  });
  return out;
}

function bothListItems(a: Block | undefined, b: Block | undefined): boolean {
  return a?.type === 'paragraph' && !!a.listItem && b?.type === 'paragraph' && !!b.listItem;
}

function layoutBlock(block: Block, family: Family): Line[] {
  const x = left(block);
  const width = CONTENT_WIDTH - x;
  const body: LineStyle = { ...STYLES.body, text: family === 'sans' ? STYLES.body.text : { ...STYLES.body.text, family } };
  switch (block.type) {
    case 'heading': {
      const ls = headingStyle(block.level);
      const lines = toLines(wrapSpans(spansOf(block.inlines, ls.text, family), width), ls, x);
      decorate(lines, block, `${layerPrefix(block)}${'#'.repeat(Math.min(6, Math.max(1, block.level)))} `);
      lines.forEach((l, n) => (l.keepWithNext = n === lines.length - 1));
      return lines;
    }
    case 'paragraph': {
      const lines = toLines(wrapSpans(spansOf(block.inlines, body.text, family), width), body, x);
      let prefix = layerPrefix(block);
      if (block.marker) {
        const markerStyle = style(body.text, {}, family);
        lines[0].runs.unshift({ x: x - 8 - measure(markerStyle, block.marker), text: block.marker, style: markerStyle });
        prefix += /^\w+[.)]$/.test(block.marker) ? `${block.marker} ` : '- ';
      }
      decorate(lines, block, prefix);
      return lines;
    }
    case 'code': {
      const lines = layoutCode(block.lines, STYLES.mono, width - 2 * CODE_PAD).map((l) => ({
        ...l,
        runs: l.runs.map((r) => ({ ...r, x: r.x + x + CODE_PAD })),
        rects: [{ x, y: 0, w: width, h: l.height, color: CODE_BACKGROUND }],
      }));
      decorate(lines, block, layerPrefix(block));
      return lines;
    }
    case 'rule': {
      const height = 16;
      const line: Line = { height, baseline: height, runs: [], rects: [{ x, y: height / 2 - 1, w: width, h: 2, color: RULE }], layer: '---', join: '\n' };
      decorate([line], block, layerPrefix(block));
      return [line];
    }
    case 'table':
      return layoutTable(block, x, width, body, family);
  }
}

/** Adds quote bars to every line and the text-layer prefix to the first. */
function decorate(lines: Line[], n: Nesting, prefix: string): void {
  for (const line of lines) if (n.quote > 0) line.rects = [...(line.rects ?? []), ...quoteBars(n, line.height)];
  if (lines.length > 0) lines[0].layer = prefix + lines[0].layer;
}

/** Rows as wrapped lines with cells divided by a muted bar: readable, and far simpler than column fitting. */
function layoutTable(block: Extract<Block, { type: 'table' }>, x: number, width: number, body: LineStyle, family: Family): Line[] {
  const sep: Span = { text: '  |  ', style: style(body.text, { muted: true }, family) };
  const out: Line[] = [];
  const row = (cells: Inline[][], header: boolean) => {
    const base = header ? { ...body.text, bold: true } : body.text;
    const spans: Span[] = [];
    cells.forEach((cell, c) => {
      if (c > 0) spans.push(sep);
      spans.push(...spansOf(cell.length > 0 ? cell : [{ text: ' ' }], base, family));
    });
    const lines = toLines(wrapSpans(spans, width), body, x);
    lines[0].layer = `${layerPrefix(block)}| ${lines[0].layer}`;
    const last = lines[lines.length - 1];
    last.layer += header ? ` |\n|${' --- |'.repeat(cells.length)}` : ' |';
    last.join = '\n';
    if (header) last.rects = [{ x, y: last.height - 2, w: width, h: 1.5, color: RULE }];
    for (const l of lines) if (block.quote > 0) l.rects = [...(l.rects ?? []), ...quoteBars(block, l.height)];
    out.push(...lines);
  };
  if (block.header) row(block.header, true);
  for (const r of block.rows) row(r, false);
  if (out.length > 0) out[out.length - 1].join = '\n\n';
  return out;
}
