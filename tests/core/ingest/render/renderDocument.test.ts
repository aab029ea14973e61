import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngramError } from '../../../../electron/contract/errors.js';
import { MODE_SIZE, type Mode } from '../../../../electron/contract/models.js';
import { makeThumbnail, renderDocument } from '../../../../electron/core/ingest/render/index.js';
import { stopImageDecoder } from '../../../../electron/core/ingest/render/imageDecoder.js';
import type { PageImage, RenderedPage } from '../../../../electron/core/ingest/types.js';
import { makeBadFixtures, makeGoodFixtures, PDF_FACTS, prose, type BadFixtures, type GoodFixtures } from '../../../fixtures/makeFixtures.js';

let dir: string;
let good: GoodFixtures;
let bad: BadFixtures;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'engram-render-'));
  good = await makeGoodFixtures(dir);
  bad = await makeBadFixtures(dir);
});
afterAll(async () => {
  stopImageDecoder();
  await rm(dir, { recursive: true, force: true });
});

async function renderFile(file: string, mode: Mode = 'small', signal?: AbortSignal): Promise<RenderedPage[]> {
  const pages: RenderedPage[] = [];
  for await (const page of renderDocument(await readFile(file), { mode, name: path.basename(file), signal })) pages.push(page);
  return pages;
}

async function refusal(file: string): Promise<EngramError> {
  const err = await renderFile(file).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, `${path.basename(file)} should be refused`).toBeInstanceOf(EngramError);
  expect((err as EngramError).code).toBe('bad_input');
  return err as EngramError;
}

/** Share of pixels that are not (near) white. */
function ink(image: PageImage): number {
  let dark = 0;
  for (let i = 0; i < image.data.length; i += 4) if (image.data[i] < 200 || image.data[i + 1] < 200 || image.data[i + 2] < 200) dark++;
  return dark / (image.width * image.height);
}

function pixel(image: PageImage, x: number, y: number): [number, number, number, number] {
  const i = (y * image.width + x) * 4;
  return [image.data[i], image.data[i + 1], image.data[i + 2], image.data[i + 3]];
}

const TEXT_KINDS = ['pdf', 'markdown', 'code', 'text', 'docx', 'unicodeName'] as const;
const IMAGE_KINDS = ['png', 'jpeg', 'webp', 'gif'] as const;

describe('renderDocument', () => {
  it.each([...TEXT_KINDS, ...IMAGE_KINDS])('renders %s with its page count, square pixels and ink', async (key) => {
    const pages = await renderFile(good[key]);
    expect(pages.length).toBe(good.pages[key]);
    pages.forEach((page, i) => {
      expect(page.page).toBe(i + 1);
      expect(page.pages).toBe(good.pages[key]);
      expect(page.image.width).toBe(MODE_SIZE.small);
      expect(page.image.height).toBe(MODE_SIZE.small);
      expect(page.image.data.length).toBe(MODE_SIZE.small ** 2 * 4);
      expect(ink(page.image)).toBeGreaterThan(0.002);
    });
  });

  it.each(TEXT_KINDS)('gives every %s page its text layer', async (key) => {
    for (const page of await renderFile(good[key])) expect(page.textLayer?.trim().length ?? 0).toBeGreaterThan(10);
  });

  it.each(IMAGE_KINDS)('gives %s no text layer', async (key) => {
    const [page] = await renderFile(good[key]);
    expect(page.kind).toBe('image');
    expect(page.textLayer).toBeNull();
  });

  it('draws each mode at its own square size', async () => {
    for (const mode of ['tiny', 'small', 'base', 'large'] as const) {
      const [page] = await renderFile(good.markdown, mode);
      expect([page.image.width, page.image.height]).toEqual([MODE_SIZE[mode], MODE_SIZE[mode]]);
    }
  });

  it.each(['text', 'code', 'markdown', 'docx', 'pdf'] as const)('paginates %s the same in every mode', async (key) => {
    const tiny = await renderFile(good[key], 'tiny');
    const large = await renderFile(good[key], 'large');
    expect(tiny.length).toBe(large.length);
    expect(tiny.map((p) => p.textLayer)).toEqual(large.map((p) => p.textLayer));
  });

  it('keeps each PDF page its own text', async () => {
    const pages = await renderFile(good.pdf);
    PDF_FACTS.forEach((fact, i) => expect(pages[i].textLayer).toContain(fact));
    expect(pages[0].textLayer).not.toContain(PDF_FACTS[2]);
  });

  it('lays plain text out at 1,500-2,500 characters a page', async () => {
    const file = path.join(dir, 'dense.txt');
    await writeFile(file, Array.from({ length: 30 }, (_, i) => prose(i + 1, 9)).join('\n\n'));
    const pages = await renderFile(file);
    expect(pages.length).toBeGreaterThan(2);
    for (const page of pages.slice(0, -1)) {
      expect(page.textLayer!.length).toBeGreaterThanOrEqual(1500);
      expect(page.textLayer!.length).toBeLessThanOrEqual(2500);
    }
  });

  it('keeps the source lines of code as its text layer', async () => {
    const source = await readFile(good.code, 'utf8');
    const [page] = await renderFile(good.code);
    expect(page.textLayer).toBe(source.trimEnd());
  });

  it('puts markdown structure into the text layer', async () => {
    const [page] = await renderFile(good.markdown);
    expect(page.textLayer).toMatch(/^# Engram fixture/);
    expect(page.textLayer).toContain('## A list');
    expect(page.textLayer).toContain('- first item');
    expect(page.textLayer).toContain('> A quotation that spans two source lines.');
    expect(page.textLayer).toContain('const answer: number = 42;');
    expect(page.textLayer).toContain('| alpha  |  1 |');
  });

  it('reads DOCX text and headings', async () => {
    const pages = await renderFile(good.docx);
    expect(pages[0].textLayer).toMatch(/^# Field Notes on Forgetting/);
    expect(pages[0].textLayer).toContain('DOCX renderer');
    expect(pages.map((p) => p.textLayer).join('\n')).toContain('- Bullet two of section 3');
  });

  it('draws the first frame of an animated GIF', async () => {
    const pages = await renderFile(good.gif);
    expect(pages).toHaveLength(1);
    const [r, g, b] = pixel(pages[0].image, MODE_SIZE.small / 2, MODE_SIZE.small / 2);
    expect(r).toBeGreaterThan(180);
    expect(b).toBeLessThan(80);
    expect(g).toBeLessThan(80);
  });

  it('pads images with white and keeps their aspect', async () => {
    const [page] = await renderFile(good.png); // 480 x 300: bands above and below
    expect(pixel(page.image, 320, 5)).toEqual([255, 255, 255, 255]);
    expect(pixel(page.image, 320, 634)).toEqual([255, 255, 255, 255]);
    expect(pixel(page.image, 5, 320)).not.toEqual([255, 255, 255, 255]);
  });

  it('stops between pages when cancelled', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const run = (async () => {
      for await (const page of renderDocument(await readFile(good.pdf), { mode: 'tiny', name: 'facts.pdf', signal: controller.signal })) {
        seen.push(page.page);
        if (page.page === 2) controller.abort();
      }
    })();
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toEqual([1, 2]);
  });

  it('does not start when already cancelled', async () => {
    await expect(renderFile(good.text, 'small', AbortSignal.abort())).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('leaves the caller its bytes', async () => {
    const bytes = await readFile(good.pdf);
    const before = bytes.length;
    for await (const _ of renderDocument(bytes, { mode: 'tiny', name: 'facts.pdf' })) break;
    expect(bytes.length).toBe(before);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('refuses broken inputs with bad_input and a clear reason', async () => {
    expect((await refusal(bad.corruptPdf)).message).toMatch(/not a readable PDF/);
    expect((await refusal(bad.truncatedPdf)).message).toMatch(/not a readable PDF/);
    expect((await refusal(bad.empty)).message).toMatch(/empty file/);
    expect((await refusal(bad.binaryTxt)).message).toMatch(/looks binary/);
    expect((await refusal(bad.notAPdf)).message).toMatch(/not one/);
    expect((await refusal(bad.unsupported)).message).toMatch(/unsupported file type/);
  });

  it('survives an image that crashes the decoder, and decodes the next one', async () => {
    expect((await refusal(bad.corruptPng)).message).toMatch(/not a readable image/);
    expect(await renderFile(good.jpeg)).toHaveLength(1);
  });

  it('draws what it can of a truncated JPEG, or refuses it, without taking the process down', async () => {
    const jpeg = await readFile(good.jpeg);
    const file = path.join(dir, 'truncated.jpg');
    await writeFile(file, jpeg.subarray(0, jpeg.length >> 1));
    const outcome = await renderFile(file).then(
      (pages) => pages.length,
      (err: EngramError) => err.code,
    );
    expect([1, 'bad_input']).toContain(outcome);
    expect(await renderFile(good.webp)).toHaveLength(1);
  });
});

describe('makeThumbnail', () => {
  it('makes a small PNG of a page', async () => {
    const [page] = await renderFile(good.markdown);
    const png = makeThumbnail(page.image);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(192);
    expect(png.readUInt32BE(20)).toBe(192);
    expect(makeThumbnail(page.image, 64).readUInt32BE(16)).toBe(64);
  });
});
