// Chat tests' plumbing: the lossless test codec pack (tests/fixtures/chat/codec-pack, made by make_codec_pack.py)
// and a writer of its tokens, so memories decode through the real Decoder without depending on OCR quality.
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { MODE_TOKENS, type Memory, type Mode } from '../../../electron/contract/models.js';
import type { MemoryBank } from '../../../electron/core/memory/MemoryBank.js';

export const CODEC_PACK = resolve(__dirname, '../../fixtures/chat/codec-pack');
export const TINY_ANSWERER = resolve(__dirname, '../../fixtures/chat/tiny-answerer');
const CHARS = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";
const SLOTS = 8;
const POS = 24;
const DIM = 256;

/** Tokens the codec pack decodes back to `text`: each line slot holds character ids with blanks between (CTC). */
export function codecTokens(text: string, mode: Mode): { tokens: Float32Array; count: number; dim: number } {
  const count = MODE_TOKENS[mode];
  const side = Math.sqrt(count);
  const perLine = (side * POS) / 2;
  const lines: string[] = [];
  for (const para of text.split(/\n+/)) {
    let line = '';
    for (const w of para.split(/\s+/).filter(Boolean)) {
      if (line && line.length + 1 + w.length > perLine) {
        lines.push(line);
        line = w;
      } else line = line ? `${line} ${w}` : w;
    }
    if (line) lines.push(line);
  }
  if (lines.length > side * SLOTS) throw new Error(`text needs ${lines.length} lines; a ${mode} page holds ${side * SLOTS}`);
  const tokens = new Float32Array(count * DIM);
  lines.forEach((line, n) => {
    const band = Math.floor(n / SLOTS);
    const slot = n % SLOTS;
    [...line].forEach((ch, i) => {
      const t = i * 2; // a blank after every character keeps doubled letters apart
      const w = Math.floor(t / POS);
      const id = CHARS.indexOf(ch) + 1;
      tokens[(band * side + w) * DIM + slot * POS + (t % POS)] = id > 0 ? id : CHARS.indexOf('?') + 1;
    });
  });
  return { tokens, count, dim: DIM };
}

/** Remember a document whose pages carry `pages` as codec tokens (one entry per page). */
export function rememberText(bank: MemoryBank, name: string, pages: string[], mode: Mode = 'small', source = `/notes/${name}`): Memory[] {
  const hash = createHash('sha256').update(name + pages.join('\f')).digest('hex');
  return bank.addDocument(
    { source, name, kind: 'text', contentHash: hash, size: pages.join('').length, pages: pages.length },
    pages.map((text, i) => ({ page: i + 1, kind: 'text', mode, level: mode, ...codecTokens(text, mode), thumbnail: null })),
  );
}
