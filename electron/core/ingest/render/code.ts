// Source code as pages: highlight.js scopes become colours on monospace lines, wrapped with a hanging indent.
// Markdown's fenced blocks reuse the same highlighter, so code looks the same wherever it appears.
import path from 'node:path';
import type { HLJSApi } from 'highlight.js';
import type { PageRenderer, RenderOptions } from '../types.js';
import { CONTENT_WIDTH, drawPages, expandTabs, INK, measure, paginate, STYLES, toLines, wrapSpans, type Line, type LineStyle, type Span, type TextStyle } from './layout.js';
import { decodeEntities, decodeText } from './text.js';

/** File extension (or exact file name) to highlight.js language. */
export const CODE_LANGUAGES: Record<string, string> = {
  '.ts': 'typescript', '.tsx': 'typescript', '.mts': 'typescript', '.cts': 'typescript',
  '.js': 'javascript', '.jsx': 'javascript', '.mjs': 'javascript', '.cjs': 'javascript',
  '.py': 'python', '.pyi': 'python', '.rs': 'rust', '.go': 'go',
  '.c': 'c', '.h': 'c', '.cpp': 'cpp', '.cc': 'cpp', '.cxx': 'cpp', '.hpp': 'cpp', '.hh': 'cpp',
  '.cs': 'csharp', '.java': 'java', '.kt': 'kotlin', '.kts': 'kotlin', '.scala': 'scala', '.swift': 'swift',
  '.rb': 'ruby', '.php': 'php', '.pl': 'perl', '.lua': 'lua', '.r': 'r', '.dart': 'dart', '.m': 'objectivec',
  '.sh': 'bash', '.bash': 'bash', '.zsh': 'bash', '.ps1': 'powershell', '.bat': 'dos',
  '.css': 'css', '.scss': 'scss', '.less': 'less', '.html': 'xml', '.htm': 'xml', '.xml': 'xml', '.svg': 'xml', '.vue': 'xml',
  '.json': 'json', '.yaml': 'yaml', '.yml': 'yaml', '.toml': 'ini', '.ini': 'ini', '.cfg': 'ini', '.sql': 'sql',
  '.graphql': 'graphql', '.proto': 'protobuf', '.tf': 'ini',
  'dockerfile': 'dockerfile', 'makefile': 'makefile',
};

/** Source larger than this is drawn uncoloured: highlighting cost grows faster than the value of colour. */
const HIGHLIGHT_MAX_CHARS = 512 * 1024;

// Darker than the usual editor themes: every colour keeps at least 4.5:1 contrast on white at small sizes.
const SCOPE_COLORS: Record<string, string> = {
  keyword: '#7a1fa2', built_in: '#0b4fb0', type: '#0b4fb0', literal: '#0b4fb0', symbol: '#0b4fb0',
  string: '#0a6b1f', regexp: '#0a6b1f', char: '#0a6b1f', subst: INK,
  comment: '#626262', quote: '#626262', doctag: '#626262', meta: '#626262',
  number: '#a34400', variable: '#8a3a00', attr: '#8a3a00', attribute: '#8a3a00', property: '#8a3a00', params: INK,
  title: '#1a4fa0', section: '#1a4fa0', name: '#116611', tag: '#116611', 'selector-tag': '#116611', 'selector-class': '#8a3a00',
  addition: '#0a6b1f', deletion: '#b00020',
};

export interface CodeToken {
  text: string;
  /** The innermost highlight.js scope ("keyword", "string"...), null for plain text. */
  scope: string | null;
}
export type CodeLine = CodeToken[];

let hljs: Promise<HLJSApi> | null = null;
function loadHighlighter(): Promise<HLJSApi> {
  hljs ??= import('highlight.js').then((m) => m.default);
  return hljs;
}

export function languageFor(name: string | undefined): string | null {
  const base = path.basename(name ?? '').toLowerCase();
  return CODE_LANGUAGES[base] ?? CODE_LANGUAGES[path.extname(base)] ?? null;
}

/** Splits source into lines of scoped tokens. Unknown languages and very large files come back as plain lines. */
export async function highlight(source: string, language: string | null): Promise<CodeLine[]> {
  const plain = () => source.split('\n').map((line) => (line === '' ? [] : [{ text: line, scope: null }]));
  if (!language || source.length > HIGHLIGHT_MAX_CHARS) return plain();
  const api = await loadHighlighter();
  if (!api.getLanguage(language)) return plain();
  const html = api.highlight(source, { language, ignoreIllegals: true }).value;

  // highlight.js emits only <span class="..."> nesting and escaped text, so a flat scan rebuilds the scope tree.
  const lines: CodeLine[] = [[]];
  const scopes: (string | null)[] = [];
  for (const m of html.matchAll(/<span class="([^"]*)">|<\/span>|([^<]+)/g)) {
    if (m[1] !== undefined) scopes.push(m[1].split(' ')[0].replace(/^hljs-/, ''));
    else if (m[2] === undefined) scopes.pop();
    else {
      const scope = scopes.length > 0 ? scopes[scopes.length - 1] : null;
      decodeEntities(m[2]).split('\n').forEach((piece, i) => {
        if (i > 0) lines.push([]);
        if (piece !== '') lines[lines.length - 1].push({ text: piece, scope });
      });
    }
  }
  return lines;
}

const styleCache = new Map<string, TextStyle>();
/** One style object per colour, so neighbouring tokens of one colour merge into a single run. */
function styleForScope(base: TextStyle, scope: string | null): TextStyle {
  const color = (scope && SCOPE_COLORS[scope]) || base.color;
  const key = `${base.family}|${base.size}|${base.bold ?? false}|${base.italic ?? false}|${color}`;
  let style = styleCache.get(key);
  if (!style) {
    style = { ...base, color };
    styleCache.set(key, style);
  }
  return style;
}

/** Lays code lines out in `width` units, continuation lines indented by four columns. */
export function layoutCode(lines: CodeLine[], style: LineStyle = STYLES.mono, width = CONTENT_WIDTH): Line[] {
  const hang = 4 * measure(style.text, ' ');
  const out: Line[] = [];
  for (const tokens of lines) {
    let column = 0;
    // Tabs expand by column across token boundaries, so expansion happens on the whole line's running column.
    const spans: Span[] = tokens.map((token) => {
      let text = token.text;
      if (text.includes('\t')) text = expandTabs(' '.repeat(column) + text).slice(column);
      column += text.length;
      return { text, style: styleForScope(style.text, token.scope) };
    });
    out.push(...toLines(wrapSpans(spans, width, hang), style));
  }
  return out;
}

export const codeRenderer: PageRenderer = {
  kinds: ['code'],
  async *render(bytes: Uint8Array, opts: RenderOptions) {
    opts.signal?.throwIfAborted();
    const source = decodeText(bytes).replace(/\n$/, '');
    const lines = await highlight(source, languageFor(opts.name));
    opts.signal?.throwIfAborted();
    yield* drawPages('code', paginate(layoutCode(lines)), opts);
  },
};
