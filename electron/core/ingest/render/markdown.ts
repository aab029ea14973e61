// Markdown as pages: marked's lexer turns the source into the shared block model (richText.ts), drawn like a document.
// Headings, lists, quotes, tables and fenced code keep their look; raw HTML is reduced to its text.
import { lexer, type Token, type Tokens } from 'marked';
import type { PageRenderer, RenderOptions } from '../types.js';
import { highlight } from './code.js';
import { drawPages, paginate } from './layout.js';
import { layoutBlocks, type Block, type Inline, type Nesting } from './richText.js';
import { decodeEntities, decodeText } from './text.js';

type Marks = Omit<Inline, 'text'>;
const BULLETS = ['•', '◦', '▪'];

function inlinesOf(tokens: Token[] | undefined, marks: Marks = {}): Inline[] {
  const out: Inline[] = [];
  for (const token of tokens ?? []) {
    const t = token as Tokens.Generic;
    switch (t.type) {
      case 'strong':
        out.push(...inlinesOf(t.tokens, { ...marks, bold: true }));
        break;
      case 'em':
        out.push(...inlinesOf(t.tokens, { ...marks, italic: true }));
        break;
      case 'del':
        out.push(...inlinesOf(t.tokens, { ...marks, muted: true }));
        break;
      case 'link':
        out.push(...inlinesOf(t.tokens, { ...marks, link: true }));
        break;
      case 'codespan':
        out.push({ ...marks, text: decodeEntities(t.text), code: true });
        break;
      case 'image':
        out.push({ ...marks, text: `[image${t.text ? `: ${t.text}` : ''}]`, muted: true, italic: true });
        break;
      case 'br':
        out.push({ text: '\n' });
        break;
      case 'checkbox':
        out.push({ ...marks, text: t.checked ? '☑ ' : '☐ ' });
        break;
      case 'html':
        if (/^<br\s*\/?>$/i.test(t.text.trim())) out.push({ text: '\n' });
        break;
      case 'text':
      case 'escape':
        if (t.tokens && t.tokens.length > 0) out.push(...inlinesOf(t.tokens, marks));
        else out.push({ ...marks, text: decodeEntities(t.text) });
        break;
      default:
        if (typeof t.text === 'string') out.push({ ...marks, text: decodeEntities(t.text) });
    }
  }
  return out;
}

async function blocksOf(tokens: Token[], nest: Nesting): Promise<Block[]> {
  const out: Block[] = [];
  for (const token of tokens) {
    const t = token as Tokens.Generic;
    switch (t.type) {
      case 'heading':
        out.push({ type: 'heading', level: t.depth, inlines: inlinesOf(t.tokens), ...nest });
        break;
      case 'paragraph':
      case 'text':
        out.push({ type: 'paragraph', inlines: inlinesOf(t.tokens ?? [t as Token]), ...nest });
        break;
      case 'list':
        out.push(...(await listBlocks(t as Tokens.List, nest)));
        break;
      case 'blockquote':
        out.push(...(await blocksOf(t.tokens ?? [], { ...nest, quote: nest.quote + 1 })));
        break;
      case 'code':
        out.push({ type: 'code', lines: await highlight(t.text, t.lang ? String(t.lang).split(/\s/)[0].toLowerCase() : null), ...nest });
        break;
      case 'hr':
        out.push({ type: 'rule', ...nest });
        break;
      case 'table': {
        const table = t as Tokens.Table;
        out.push({ type: 'table', header: table.header.map((c) => inlinesOf(c.tokens)), rows: table.rows.map((r) => r.map((c) => inlinesOf(c.tokens))), ...nest });
        break;
      }
      case 'html': {
        // Raw HTML is not rendered as a browser would; its visible words still belong on the page.
        const text = decodeEntities(t.text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim());
        if (text) out.push({ type: 'paragraph', inlines: [{ text }], ...nest });
        break;
      }
      default:
        break; // space, def: nothing to draw
    }
  }
  return out;
}

async function listBlocks(list: Tokens.List, nest: Nesting): Promise<Block[]> {
  const out: Block[] = [];
  const start = typeof list.start === 'number' ? list.start : 1;
  const inner: Nesting = { ...nest, indent: nest.indent + 1 };
  for (const [i, item] of list.items.entries()) {
    const marker = list.ordered ? `${start + i}.` : BULLETS[nest.indent % BULLETS.length];
    const blocks = await blocksOf(item.tokens, inner);
    if (blocks[0]?.type !== 'paragraph') blocks.unshift({ type: 'paragraph', inlines: [], ...inner });
    const first = blocks[0] as Extract<Block, { type: 'paragraph' }>;
    first.marker = marker;
    for (const b of blocks) if (b.type === 'paragraph') b.listItem = true;
    out.push(...blocks);
  }
  return out;
}

export async function markdownToBlocks(source: string): Promise<Block[]> {
  return blocksOf(lexer(source), { indent: 0, quote: 0 });
}

export const markdownRenderer: PageRenderer = {
  kinds: ['markdown'],
  async *render(bytes: Uint8Array, opts: RenderOptions) {
    opts.signal?.throwIfAborted();
    const blocks = await markdownToBlocks(decodeText(bytes));
    opts.signal?.throwIfAborted();
    yield* drawPages('markdown', paginate(layoutBlocks(blocks)), opts);
  },
};
