// Text decoding for every text-like kind (UTF-8, UTF-16, Windows-1252, HTML references), and plain text as pages.
// Prose files get the proportional body face; logs and tables get monospace, where columns carry meaning.
import path from 'node:path';
import type { PageRenderer, RenderOptions } from '../types.js';
import { CONTENT_WIDTH, drawPages, expandTabs, paginate, STYLES, toLines, wrapSpans, type Line, type LineStyle } from './layout.js';

/** Extensions whose columns matter, drawn in monospace. */
const MONO_TEXT_EXTENSIONS = new Set(['.log', '.csv', '.tsv', '.out', '.diff', '.patch']);

// Windows-1252 differs from Latin-1 only in 0x80-0x9F. Spelled out because Node 20's TextDecoder treats the two as one.
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    const chunk = Array.from(bytes.subarray(i, i + 8192), (b) => (b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80] : String.fromCharCode(b)));
    out += chunk.join('');
  }
  return out;
}

function count(text: string, test: (code: number) => boolean): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (test(text.charCodeAt(i))) n++;
  return n;
}

/** Bytes to a string with "\n" line ends. Text that is not UTF-8 is read as Windows-1252 rather than shown as "\ufffd". */
export function decodeText(bytes: Uint8Array): string {
  let text: string;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    text = new TextDecoder('utf-8').decode(bytes.subarray(3));
  } else if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    text = new TextDecoder('utf-16le').decode(bytes.subarray(2));
  } else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    text = new TextDecoder('utf-16be').decode(bytes.subarray(2));
  } else {
    text = new TextDecoder('utf-8').decode(bytes);
    const invalid = count(text, (c) => c === 0xfffd);
    // Valid multi-byte characters outnumbering the broken ones mean damaged UTF-8; otherwise it is legacy
    // Windows/Latin-1 text, which cp1252 decodes byte for byte.
    if (invalid > 0 && count(text, (c) => c > 0x7f && c !== 0xfffd) < invalid * 4) text = decodeWindows1252(bytes);
  }
  return text.replace(/\r\n?/g, '\n');
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', mdash: '—', ndash: '–', hellip: '…', copy: '©', reg: '®', trade: '™' };

/** Decodes the HTML character references Markdown and mammoth's HTML leave in text. Unknown names stay as written. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] !== '#') return NAMED_ENTITIES[ref.toLowerCase()] ?? whole;
    const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** Lays out source text line by line; a form feed starts a new page. */
export function layoutPlainText(source: string, style: LineStyle, hang = 0): Line[] {
  const lines: Line[] = [];
  const sections = source.split('\f');
  sections.forEach((section, s) => {
    // A trailing newline ends the last line rather than opening an empty one.
    const body = section.endsWith('\n') ? section.slice(0, -1) : section;
    if (body === '' && s > 0 && s === sections.length - 1) return;
    const sourceLines = body.split('\n');
    sourceLines.forEach((sourceLine, i) => {
      const laid = toLines(wrapSpans([{ text: expandTabs(sourceLine), style: style.text }], CONTENT_WIDTH, hang), style);
      if (i === 0 && s > 0) laid[0].breakBefore = true;
      lines.push(...laid);
    });
  });
  return lines;
}

export function textStyleFor(name: string | undefined): LineStyle {
  return MONO_TEXT_EXTENSIONS.has(path.extname(name ?? '').toLowerCase()) ? STYLES.mono : STYLES.body;
}

export const textRenderer: PageRenderer = {
  kinds: ['text'],
  async *render(bytes: Uint8Array, opts: RenderOptions) {
    opts.signal?.throwIfAborted();
    yield* drawPages('text', paginate(layoutPlainText(decodeText(bytes), textStyleFor(opts.name))), opts);
  },
};
