import { describe, expect, it } from 'vitest';
import { highlight, layoutCode } from '../../../../electron/core/ingest/render/code.js';
import { htmlToBlocks } from '../../../../electron/core/ingest/render/docx.js';
import {
  CONTENT_HEIGHT, CONTENT_WIDTH, expandTabs, measure, paginate, STYLES, wrapSpans, type Run,
} from '../../../../electron/core/ingest/render/layout.js';
import { markdownToBlocks } from '../../../../electron/core/ingest/render/markdown.js';
import { layoutBlocks } from '../../../../electron/core/ingest/render/richText.js';
import { decodeText, layoutPlainText } from '../../../../electron/core/ingest/render/text.js';

const body = STYLES.body.text;
const lineWidth = (runs: Run[]) => {
  const last = runs[runs.length - 1];
  return last ? last.x + measure(last.style, last.text) : 0;
};

describe('wrapSpans', () => {
  it('breaks at spaces within the width and joins soft breaks with a space', () => {
    const text = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
    const lines = wrapSpans([{ text, style: body }], CONTENT_WIDTH);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(lineWidth(line.runs)).toBeLessThanOrEqual(CONTENT_WIDTH + 0.01);
    expect(lines.slice(0, -1).every((l) => l.join === ' ')).toBe(true);
    expect(lines.map((l, i) => l.layer + (i < lines.length - 1 ? l.join : '')).join('')).toBe(text);
  });

  it('breaks a word wider than the line between characters', () => {
    const hash = 'a1b2c3d4'.repeat(40);
    const lines = wrapSpans([{ text: hash, style: body }], CONTENT_WIDTH);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(0, -1).every((l) => l.join === '')).toBe(true);
    expect(lines.map((l) => l.layer).join('')).toBe(hash);
  });

  it('keeps leading indentation but drops spaces at a soft break', () => {
    const [first, second] = wrapSpans([{ text: `    indented ${'x '.repeat(200)}`, style: body }], CONTENT_WIDTH);
    expect(first.layer.startsWith('    indented')).toBe(true);
    expect(second.layer.startsWith(' ')).toBe(false);
  });

  it('merges neighbouring text of one style into one run', () => {
    const [line] = wrapSpans([{ text: 'one two', style: body }, { text: ' three', style: body }], CONTENT_WIDTH);
    expect(line.runs).toHaveLength(1);
    expect(line.runs[0].text).toBe('one two three');
  });

  it('indents continuation lines by the hang', () => {
    const lines = wrapSpans([{ text: 'y '.repeat(300), style: body }], CONTENT_WIDTH, 40);
    expect(lines[0].runs[0].x).toBe(0);
    expect(lines[1].runs[0].x).toBe(40);
  });
});

describe('plain text', () => {
  it('expands tabs to the next stop', () => {
    expect(expandTabs('a\tb')).toBe('a   b');
    expect(expandTabs('\tx')).toBe('    x');
    expect(expandTabs('abcd\te')).toBe('abcd    e');
  });

  it('starts a new page at a form feed', () => {
    expect(paginate(layoutPlainText('one\n\ftwo\n\fthree\n', STYLES.body))).toHaveLength(3);
  });

  it('fills a page with as many lines as fit, then starts another', () => {
    const perPage = Math.floor(CONTENT_HEIGHT / STYLES.body.lineHeight);
    const lines = Array.from({ length: perPage + 1 }, (_, i) => `line ${i}`).join('\n');
    const pages = paginate(layoutPlainText(lines, STYLES.body));
    expect(pages).toHaveLength(2);
    expect(pages[1].text).toBe(`line ${perPage}`);
  });

  it('gives whitespace-only text one blank page', () => {
    const pages = paginate(layoutPlainText('\n\n', STYLES.body));
    expect(pages).toHaveLength(1);
    expect(pages[0].text).toBe('');
  });

  it('decodes UTF-8, UTF-16 and Windows-1252, with Unix line ends', () => {
    expect(decodeText(Buffer.from('caf\u00e9\r\nna\u00efve'))).toBe('caf\u00e9\nna\u00efve');
    expect(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('bom')]))).toBe('bom');
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('wide', 'utf16le')]))).toBe('wide');
    expect(decodeText(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x80]))).toBe('caf\u00e9 \u20ac');
    // Mostly good UTF-8 with one broken byte stays UTF-8.
    expect(decodeText(Buffer.concat([Buffer.from('\u00e9t\u00e9 \u00e0 na\u00efve '), Buffer.from([0xff])]))).toBe('\u00e9t\u00e9 \u00e0 na\u00efve \ufffd');
  });
});

describe('code', () => {
  it('splits highlighted source into lines of scoped tokens that rebuild the source', async () => {
    const source = 'const s = "a < b && c";\n// done\n\nfunction f() {}';
    const lines = await highlight(source, 'typescript');
    expect(lines.map((l) => l.map((t) => t.text).join('')).join('\n')).toBe(source);
    expect(lines[0].find((t) => t.text === 'const')?.scope).toBe('keyword');
    expect(lines[1][0].scope).toBe('comment');
  });

  it('draws an unknown language as plain lines', async () => {
    const lines = await highlight('x = 1\ny = 2', null);
    expect(lines).toEqual([[{ text: 'x = 1', scope: null }], [{ text: 'y = 2', scope: null }]]);
  });

  it('expands tabs by column across tokens', async () => {
    const [line] = layoutCode(await highlight('\tif (x) {}', 'javascript'));
    expect(line.layer).toBe('    if (x) {}');
  });
});

describe('structured documents', () => {
  it('turns Markdown into headings, lists, quotes, code and tables', async () => {
    const blocks = await markdownToBlocks('# T\n\n- a\n  - b\n\n> q\n\n```js\nx()\n```\n\n| h |\n|---|\n| v |\n\n---\n');
    expect(blocks.map((b) => b.type)).toEqual(['heading', 'paragraph', 'paragraph', 'paragraph', 'code', 'table', 'rule']);
    const [, a, b, q] = blocks as { marker?: string; indent: number; quote: number }[];
    expect([a.marker, a.indent, b.marker, b.indent, q.quote]).toEqual(['•', 1, '◦', 2, 1]);
  });

  it('reads mammoth HTML: headings, emphasis, nested lists, tables and entities', () => {
    const blocks = htmlToBlocks(
      '<h1>Title</h1><p>A <strong>bold</strong> &amp; <em>fine</em> day</p><ol><li>one<ul><li>inner</li></ul></li><li>two</li></ol>' +
        '<table><tr><th><p>k</p></th><th><p>v</p></th></tr><tr><td><p>a</p></td><td><p>1</p></td></tr></table>',
    );
    expect(blocks.map((b) => b.type)).toEqual(['heading', 'paragraph', 'paragraph', 'paragraph', 'paragraph', 'table']);
    const para = blocks[1] as { inlines: { text: string; bold?: boolean }[] };
    expect(para.inlines.map((i) => i.text).join('')).toBe('A bold & fine day');
    expect(para.inlines.find((i) => i.text === 'bold')?.bold).toBe(true);
    const markers = blocks.slice(2, 5).map((b) => (b as { marker?: string; indent: number }).marker);
    expect(markers).toEqual(['1.', '◦', '2.']);
    const table = blocks[5] as { header: unknown[] | null; rows: unknown[] };
    expect(table.header).toHaveLength(2);
    expect(table.rows).toHaveLength(1);
  });

  it('keeps a heading on the page with the text it introduces', () => {
    const filler = Array.from({ length: 31 }, (_, i) => ({ type: 'paragraph' as const, inlines: [{ text: `p${i}` }], indent: 0, quote: 0 }));
    const pages = paginate(
      layoutBlocks([...filler, { type: 'heading', level: 2, inlines: [{ text: 'Next' }], indent: 0, quote: 0 }, { type: 'paragraph', inlines: [{ text: 'after' }], indent: 0, quote: 0 }]),
    );
    const withHeading = pages.find((p) => p.text.includes('## Next'))!;
    expect(withHeading.text).toContain('after');
  });
});
