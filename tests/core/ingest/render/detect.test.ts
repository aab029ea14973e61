import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngramError } from '../../../../electron/contract/errors.js';
import { detectKind, SUPPORTED_EXTENSIONS } from '../../../../electron/core/ingest/render/index.js';
import { makeBadFixtures, makeGoodFixtures, type BadFixtures, type GoodFixtures } from '../../../fixtures/makeFixtures.js';

let dir: string;
let good: GoodFixtures;
let bad: BadFixtures;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'engram-detect-'));
  good = await makeGoodFixtures(dir);
  bad = await makeBadFixtures(dir);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function badInput(name: string, bytes: Uint8Array): EngramError {
  try {
    detectKind(name, bytes);
  } catch (err) {
    expect(err).toBeInstanceOf(EngramError);
    expect((err as EngramError).code).toBe('bad_input');
    return err as EngramError;
  }
  throw new Error(`expected ${name} to be refused`);
}

describe('detectKind', () => {
  it('names the kind of every good fixture', async () => {
    const expected = { pdf: 'pdf', markdown: 'markdown', code: 'code', text: 'text', png: 'image', jpeg: 'image', webp: 'image', gif: 'image', docx: 'docx', unicodeName: 'markdown' };
    for (const [key, kind] of Object.entries(expected)) {
      const file = good[key as keyof typeof expected];
      expect(detectKind(file, await readFile(file)), key).toBe(kind);
    }
  });

  it('refuses an empty file', async () => {
    expect(badInput(bad.empty, await readFile(bad.empty)).message).toMatch(/empty file/);
  });

  it('refuses binary bytes named as text, saying why', async () => {
    expect(badInput(bad.binaryTxt, await readFile(bad.binaryTxt)).message).toMatch(/looks binary, not text: .*NUL/);
    expect(badInput('notes.md', await readFile(good.png)).message).toMatch(/looks binary, not text: it starts like a PNG image/);
  });

  it('refuses a file whose content contradicts its extension', async () => {
    expect(badInput(bad.notAPdf, await readFile(bad.notAPdf)).message).toMatch(/named like a PDF but is not one: it contains plain text/);
    expect(badInput('photo.jpg', await readFile(good.pdf)).message).toMatch(/JPG image but is not one: it is a PDF/);
    expect(badInput('report.docx', await readFile(good.png)).message).toMatch(/Word .* it is a PNG image/);
  });

  it('accepts an image whose extension names another image format', async () => {
    expect(detectKind('really-a-png.jpg', await readFile(good.png))).toBe('image');
  });

  it('refuses unknown extensions and lists what is supported', async () => {
    const message = badInput(bad.unsupported, await readFile(bad.unsupported)).message;
    expect(message).toMatch(/unsupported file type \.xyz/);
    for (const ext of ['.pdf', '.md', '.docx', '.png', '.ts']) expect(message).toContain(ext);
    expect(badInput('old.doc', Buffer.from('x')).message).toMatch(/save it as \.docx/);
  });

  it('trusts content when there is no extension', async () => {
    expect(detectKind('README', Buffer.from('hello\n'))).toBe('text');
    expect(detectKind('Makefile', Buffer.from('all:\n\techo hi\n'))).toBe('code');
    expect(detectKind('upload', await readFile(good.pdf))).toBe('pdf');
    expect(badInput('blob', Buffer.from([0x1f, 0x8b, 8, 0, 0])).message).toMatch(/gzip archive/);
  });

  it('reads UTF-16 text with a BOM as text despite its NUL bytes', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('hello there', 'utf16le')]);
    expect(detectKind('notes.txt', utf16)).toBe('text');
  });

  it('publishes a sorted list of supported extensions', () => {
    expect(SUPPORTED_EXTENSIONS).toEqual([...SUPPORTED_EXTENSIONS].sort());
    for (const ext of ['.pdf', '.txt', '.md', '.markdown', '.ts', '.py', '.rs', '.go', '.json', '.yaml', '.docx', '.png', '.jpg', '.jpeg', '.webp', '.gif']) {
      expect(SUPPORTED_EXTENSIONS).toContain(ext);
    }
  });
});
