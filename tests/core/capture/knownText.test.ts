import { spawnSync } from 'node:child_process';
import { createCanvas } from '@napi-rs/canvas';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeFrame, type Frame } from '../../../electron/core/capture/frame.js';
import { KnownText } from '../../../electron/core/capture/knownText.js';
import { findTextReader, type TextReader } from '../../../electron/core/capture/ocr.js';
import { findSensitive, type Word } from '../../../electron/core/capture/privacy.js';
import { ensureFonts, FAMILY } from '../../../electron/core/ingest/render/fonts.js';

const hasTesseract = spawnSync('sh', ['-c', 'command -v tesseract'], { stdio: 'ignore' }).status === 0;

/** A terminal-like screen: monospace text on whole pixel cells, so a word looks the same in every column. */
async function terminal(lines: string[]): Promise<Frame> {
  ensureFonts();
  const cell = { w: 10, h: 22 };
  const c = createCanvas(700, lines.length * cell.h + 20);
  const ctx = c.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, c.width, c.height);
  ctx.fillStyle = '#111';
  ctx.font = `16px "${FAMILY.mono}"`;
  lines.forEach((line, row) => [...line].forEach((ch, col) => ctx.fillText(ch, 10 + col * cell.w, 26 + row * cell.h)));
  return decodeFrame(new Uint8Array(await c.encode('png')));
}

const whole = (f: Frame) => [{ x: 0, y: 0, width: f.width, height: f.height }];
const lineTexts = (words: Word[]) => {
  const lines = new Map<string, Word[]>();
  for (const w of words) lines.set(w.line, [...(lines.get(w.line) ?? []), w]);
  return [...lines.values()].map((ws) => ws.sort((a, b) => a.x - b.x).map((w) => w.text).join(' ')).sort();
};

describe.skipIf(!hasTesseract)('known text', () => {
  let reader: TextReader;
  const images: Uint8Array[] = [];
  const ocr = (image: Uint8Array) => {
    images.push(image);
    return reader.read(image, { lines: true });
  };
  beforeAll(async () => {
    reader = (await findTextReader())!;
  });

  it('reads a word once: the same pixels elsewhere come back from memory, at their own place', async () => {
    const known = new KnownText();
    images.length = 0;
    const seen = await terminal(['holder alice', 'order 4111 and 1111']);
    const first = await known.read(seen, whole(seen), ocr);
    first.remember([]);
    expect(lineTexts(first.words)).toEqual(['holder alice', 'order 4111 and 1111']);
    expect(first.ocrCalls).toBe(1);

    // Every word of this line was read before, in other columns: no OCR at all, and the card is still found.
    const frame = await terminal(['alice 4111 1111 1111 1111']);
    const second = await known.read(frame, whole(frame), ocr);
    expect(second.ocrCalls).toBe(0);
    expect(images).toHaveLength(1);
    expect(lineTexts(second.words)).toEqual(['alice 4111 1111 1111 1111']);
    const alice = second.words.find((w) => w.text === 'alice')!;
    expect(alice.x).toBeGreaterThanOrEqual(9);
    expect(alice.x).toBeLessThan(14);
    expect(findSensitive(second.words).map((m) => m.kind)).toEqual(['card']);
  });

  it('sends only the unseen words to OCR, and reads a line of them as one line', async () => {
    const known = new KnownText();
    images.length = 0;
    const a = await terminal(['lorem ipsum dolor 2026-11-23T09:10:00Z sit amet']);
    (await known.read(a, whole(a), ocr)).remember([]);
    const b = await terminal(['lorem ipsum dolor 2026-11-23T09:10:04Z sit amet']);
    const read = await known.read(b, whole(b), ocr);
    expect(lineTexts(read.words)).toEqual(['lorem ipsum dolor 2026-11-23T09:10:04Z sit amet']);
    // The second image holds the one new word: far narrower than the whole line the first one held.
    const width = (ppm: Uint8Array) => Number(Buffer.from(ppm.subarray(0, 32)).toString('latin1').split(/\s+/)[1]);
    expect(width(images[1])).toBeLessThan(width(images[0]) / 2);
  });

  it('never remembers a word that was part of something sensitive', async () => {
    const known = new KnownText();
    const f = await terminal(['password: hunter2 ok']);
    const first = await known.read(f, whole(f), ocr);
    const found = findSensitive(first.words);
    expect(found.map((m) => m.kind)).toEqual(['password']);
    first.remember(found.flatMap((m) => m.boxes));
    const again = await known.read(f, whole(f), ocr);
    expect(again.ocrCalls).toBe(1);
    expect(lineTexts(again.words)).toEqual(['password: hunter2 ok']);
    expect(findSensitive(again.words).map((m) => m.kind)).toEqual(['password']);
  });
});
