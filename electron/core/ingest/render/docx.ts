// Word documents as pages: mammoth turns the DOCX into simple HTML, parsed here into the shared block model.
// mammoth's HTML is a small, regular subset (p, h1-h6, lists, tables, strong/em, a, img, br), so a tag scanner is enough.
import mammoth from 'mammoth';
import { EngramError } from '../../../contract/errors.js';
import type { PageRenderer, RenderOptions } from '../types.js';
import { drawPages, paginate } from './layout.js';
import { layoutBlocks, type Block, type Inline } from './richText.js';
import { decodeEntities } from './text.js';

const BULLETS = ['•', '◦', '▪'];

interface Table {
  header: Inline[][] | null;
  rows: Inline[][][];
}

/** Converts mammoth's HTML to blocks. Exported for tests; the renderer is the usual entry point. */
export function htmlToBlocks(html: string): Block[] {
  const blocks: Block[] = [];
  let inlines: Inline[] = [];
  let heading = 0;
  let quote = 0;
  const marks = { bold: 0, italic: 0, link: 0, muted: 0 };
  const lists: { ordered: boolean; n: number }[] = [];
  let marker: string | undefined;
  let table: Table | null = null;
  let row: Inline[][] | null = null;
  let rowIsHeader = false;
  let cell: Inline[] | null = null;

  const push = (text: string, extra: Partial<Inline> = {}) => {
    const inline: Inline = { text, bold: marks.bold > 0, italic: marks.italic > 0, link: marks.link > 0, muted: marks.muted > 0, ...extra };
    (cell ?? inlines).push(inline);
  };
  const flush = () => {
    const hasText = inlines.some((i) => i.text.trim() !== '');
    const nest = { indent: lists.length, quote };
    if (hasText && heading > 0) blocks.push({ type: 'heading', level: heading, inlines, ...nest });
    else if (hasText) blocks.push({ type: 'paragraph', inlines, marker, listItem: lists.length > 0, ...nest });
    if (hasText) marker = undefined;
    inlines = [];
  };

  for (const m of html.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>|([^<]+)/g)) {
    if (m[4] !== undefined) {
      push(decodeEntities(m[4]));
      continue;
    }
    const closing = m[1] === '/';
    const tag = m[2].toLowerCase();
    switch (tag) {
      case 'p':
      case 'h1': case 'h2': case 'h3': case 'h4': case 'h5': case 'h6':
        if (cell) {
          if (closing) push(' ');
          break;
        }
        flush();
        heading = !closing && tag[0] === 'h' ? Number(tag[1]) : 0;
        break;
      case 'ul':
      case 'ol':
        flush();
        if (closing) lists.pop();
        else lists.push({ ordered: tag === 'ol', n: 0 });
        break;
      case 'li':
        flush();
        if (!closing && lists.length > 0) {
          const list = lists[lists.length - 1];
          list.n++;
          marker = list.ordered ? `${list.n}.` : BULLETS[(lists.length - 1) % BULLETS.length];
        } else marker = undefined;
        break;
      case 'blockquote':
        flush();
        quote = Math.max(0, quote + (closing ? -1 : 1));
        break;
      case 'table':
        flush();
        if (!closing) table = { header: null, rows: [] };
        else if (table) {
          blocks.push({ type: 'table', header: table.header, rows: table.rows, indent: lists.length, quote });
          table = null;
        }
        break;
      case 'tr':
        if (!closing) {
          row = [];
          rowIsHeader = false;
        } else if (table && row) {
          if (rowIsHeader && table.header === null && table.rows.length === 0) table.header = row;
          else table.rows.push(row);
          row = null;
        }
        break;
      case 'td':
      case 'th':
        if (!closing) {
          cell = [];
          if (tag === 'th') rowIsHeader = true;
        } else if (row && cell) {
          row.push(cell);
          cell = null;
        }
        break;
      case 'strong': case 'b':
        marks.bold += closing ? -1 : 1;
        break;
      case 'em': case 'i':
        marks.italic += closing ? -1 : 1;
        break;
      case 'a':
        marks.link += closing ? -1 : 1;
        break;
      case 's': case 'del': case 'strike':
        marks.muted += closing ? -1 : 1;
        break;
      case 'br':
        push('\n');
        break;
      case 'img': {
        const alt = /\balt="([^"]*)"/.exec(m[3])?.[1];
        push(`[image${alt ? `: ${decodeEntities(alt)}` : ''}]`, { muted: true, italic: true });
        break;
      }
      default:
        break; // sup, sub, u, span...: their text is kept, their styling is not
    }
  }
  flush();
  return blocks;
}

export async function docxToBlocks(bytes: Uint8Array): Promise<Block[]> {
  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
      // Images become a placeholder: decoding and inlining them as data URIs would cost more than the page gains.
      {
        convertImage: mammoth.images.imgElement(async () => ({ src: '' })),
        externalFileAccess: false,
        // mammoth's default map leaves Word's Title and Subtitle as plain paragraphs; they read as headings.
        styleMap: ["p[style-name='Title'] => h1:fresh", "p[style-name='Subtitle'] => h2:fresh"],
      },
    );
    html = result.value;
  } catch (err) {
    throw new EngramError('bad_input', `not a readable DOCX: ${(err as Error).message}`);
  }
  return htmlToBlocks(html);
}

export const docxRenderer: PageRenderer = {
  kinds: ['docx'],
  async *render(bytes: Uint8Array, opts: RenderOptions) {
    opts.signal?.throwIfAborted();
    const blocks = await docxToBlocks(bytes);
    opts.signal?.throwIfAborted();
    // Word documents are set in serif, as most are printed: it also shows the encoder a second face.
    yield* drawPages('docx', paginate(layoutBlocks(blocks, 'serif')), opts);
  },
};
