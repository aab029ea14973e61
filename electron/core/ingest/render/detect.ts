// What a file is: its extension says what it claims to be, its first bytes say what it is.
// A mismatch is refused with a reason the user can act on, never rendered as garbage.
import path from 'node:path';
import { EngramError } from '../../../contract/errors.js';
import type { PageKind } from '../../../contract/models.js';
import { CODE_LANGUAGES } from './code.js';

const TEXT_EXTENSIONS = ['.txt', '.text', '.log', '.csv', '.tsv', '.rst', '.adoc', '.org', '.tex', '.out', '.diff', '.patch', '.nfo', '.srt', '.vtt', '.env', '.conf', '.properties'];
const MARKDOWN_EXTENSIONS = ['.md', '.markdown', '.mdown', '.mkd', '.mdx'];
const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.jpe', '.webp', '.gif'];

const KIND_BY_EXTENSION: ReadonlyMap<string, PageKind> = new Map<string, PageKind>([
  ['.pdf', 'pdf'],
  ['.docx', 'docx'],
  ...IMAGE_EXTENSIONS.map((e) => [e, 'image'] as [string, PageKind]),
  ...MARKDOWN_EXTENSIONS.map((e) => [e, 'markdown'] as [string, PageKind]),
  ...TEXT_EXTENSIONS.map((e) => [e, 'text'] as [string, PageKind]),
  ...Object.keys(CODE_LANGUAGES).filter((e) => e.startsWith('.')).map((e) => [e, 'code'] as [string, PageKind]),
]);

/** Every extension Engram renders, dot included, sorted. */
export const SUPPORTED_EXTENSIONS: readonly string[] = [...KIND_BY_EXTENSION.keys()].sort();

/** Extension-less names that are code by convention. */
const CODE_NAMES = new Set(Object.keys(CODE_LANGUAGES).filter((n) => !n.startsWith('.')));

/** Formats people will try that we refuse with advice rather than a bare "unsupported". */
const ADVICE: Record<string, string> = {
  '.doc': 'legacy Word .doc files are not supported; save it as .docx',
  '.rtf': 'RTF is not supported; save it as .docx or .txt',
  '.odt': 'OpenDocument text is not supported; save it as .docx',
  '.pages': 'Pages documents are not supported; export it as PDF or .docx',
  '.heic': 'HEIC images are not supported; export it as JPEG or PNG',
  '.tif': 'TIFF images are not supported; convert it to PNG',
  '.tiff': 'TIFF images are not supported; convert it to PNG',
};

type Sniffed = { kind: PageKind; what: string } | { kind: null; what: string };

const startsWith = (bytes: Uint8Array, sig: number[], at = 0) => sig.every((b, i) => bytes[at + i] === b);
const ascii = (bytes: Uint8Array, from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));

/** Recognises formats by magic number. Returns null for anything that is not a known binary format (text included). */
export function sniff(bytes: Uint8Array): Sniffed | null {
  const head = ascii(bytes, 0, Math.min(bytes.length, 16));
  if (head.startsWith('%PDF-')) return { kind: 'pdf', what: 'a PDF' };
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { kind: 'image', what: 'a PNG image' };
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { kind: 'image', what: 'a JPEG image' };
  if (head.startsWith('GIF87a') || head.startsWith('GIF89a')) return { kind: 'image', what: 'a GIF image' };
  if (head.startsWith('RIFF') && ascii(bytes, 8, 12) === 'WEBP') return { kind: 'image', what: 'a WEBP image' };
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) {
    // A DOCX is a ZIP whose entries live under word/; the names are stored uncompressed, so a byte search finds them.
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes('word/document.xml')
      ? { kind: 'docx', what: 'a Word document' }
      : { kind: null, what: 'a ZIP archive' };
  }
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return { kind: null, what: 'an old Office (OLE) document' };
  if (startsWith(bytes, [0x1f, 0x8b])) return { kind: null, what: 'a gzip archive' };
  if (startsWith(bytes, [0x7f, 0x45, 0x4c, 0x46])) return { kind: null, what: 'an ELF executable' };
  if (startsWith(bytes, [0x4d, 0x5a])) return { kind: null, what: 'a Windows executable' };
  if (head.startsWith('7z\xbc\xaf\x27\x1c')) return { kind: null, what: 'a 7-Zip archive' };
  if (head.startsWith('Rar!')) return { kind: null, what: 'a RAR archive' };
  if (ascii(bytes, 4, 8) === 'ftyp') return { kind: null, what: 'a video or HEIC/AVIF image' };
  return null;
}

/** Why bytes are not text, or null when they read as text. Looks at the first 8 KB. */
export function binaryReason(bytes: Uint8Array): string | null {
  const known = sniff(bytes);
  if (known) return `it starts like ${known.what}`;
  // UTF-16 text is full of NULs, so a BOM vouches for it before the NUL test.
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) return null;
  const sample = bytes.subarray(0, 8192);
  let control = 0;
  for (const b of sample) {
    if (b === 0) return 'it contains NUL bytes';
    // Tab, LF, VT, FF, CR and ESC (ANSI colours in logs) are normal in text.
    if (b < 0x20 && b !== 9 && b !== 10 && b !== 11 && b !== 12 && b !== 13 && b !== 27) control++;
  }
  if (control > sample.length * 0.05) return `${Math.round((control / sample.length) * 100)}% of its first bytes are control characters`;
  return null;
}

/** The PDF header may follow up to 1 KB of junk: the spec tolerates it and real files have it. */
function hasLatePdfHeader(bytes: Uint8Array): boolean {
  return ascii(bytes, 0, Math.min(bytes.length, 1024)).includes('%PDF-');
}

function supportedList(): string {
  return SUPPORTED_EXTENSIONS.join(' ');
}

/** The page kind of a file, by extension checked against content. Throws EngramError('bad_input') with the reason. */
export function detectKind(name: string, bytes: Uint8Array): PageKind {
  const base = path.basename(name);
  if (bytes.length === 0) throw new EngramError('bad_input', `empty file: ${base} has no bytes`);
  const ext = path.extname(base).toLowerCase();
  const claimed = KIND_BY_EXTENSION.get(ext);
  const found = sniff(bytes);

  if (claimed === 'pdf' || claimed === 'docx' || claimed === 'image') {
    if (found?.kind === claimed || (claimed === 'pdf' && hasLatePdfHeader(bytes))) return claimed;
    const label = claimed === 'pdf' ? 'a PDF' : claimed === 'docx' ? 'a Word (.docx) document' : `a ${ext.slice(1).toUpperCase()} image`;
    const actually = found ? `it is ${found.what}` : binaryReason(bytes) === null ? 'it contains plain text' : 'its first bytes match no known format';
    throw new EngramError('bad_input', `${base} is named like ${label} but is not one: ${actually}`);
  }
  if (claimed) {
    const reason = binaryReason(bytes);
    if (reason) throw new EngramError('bad_input', `${base} looks binary, not text: ${reason}`);
    return claimed;
  }

  if (ext === '' || CODE_NAMES.has(base.toLowerCase())) {
    // No extension (README, Makefile, an upload without a name): trust the content.
    if (found?.kind) return found.kind;
    if (found) throw new EngramError('bad_input', `${base} is ${found.what}, which Engram cannot read; supported: ${supportedList()}`);
    const reason = binaryReason(bytes);
    if (reason) throw new EngramError('bad_input', `${base} looks binary, not text: ${reason}`);
    return CODE_NAMES.has(base.toLowerCase()) ? 'code' : 'text';
  }
  const advice = ADVICE[ext];
  if (advice) throw new EngramError('bad_input', `unsupported file type ${ext} (${base}): ${advice}`);
  throw new EngramError('bad_input', `unsupported file type ${ext} (${base}); supported: ${supportedList()}`);
}
