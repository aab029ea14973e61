// Plain text as pages: decoding (UTF-8, UTF-16 by BOM, Windows-1252 as a last resort), word wrap, tabs, form feeds.
// Prose files get the proportional body face; logs and tables get monospace, where columns carry meaning.
import path from 'node:path';
import type { PageRenderer, RenderOptions } from '../types.js';
import { CONTENT_WIDTH, drawPages, expandTabs, paginate, STYLES, toLines, wrapSpans, type Line, type LineStyle } from './layout.js';

/** Extensions whose columns matter, drawn in monospace. */
const MONO_TEXT_EXTENSIONS = new Set(['.log', '.csv', '.tsv', '.out', '.diff', '.patch']);

/** Bytes to a string with "\n" line ends. Undecodable UTF-8 is read as Windows-1252, never as replacement characters. */
export function decodeText(bytes: Uint8Array): string {
  let text: string;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    text = new TextDecoder('utf-8').decode(bytes.subarray(3));
  } else if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    text = new TextDecoder('utf-16le').decode(bytes.subarray(2));
  } else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    text = new TextDecoder('utf-16be').decode(bytes.subarray(2));
  } else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      // Not UTF-8: legacy Windows/Latin-1 text is by far the likeliest, and cp1252 decodes every byte.
      text = new TextDecoder('windows-1252').decode(bytes);
    }
  }
  return text.replace(/\r\n?/g, '\n');
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
