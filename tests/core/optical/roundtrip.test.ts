import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { charAccuracy, formatFidelityTable } from '../../../electron/core/optical/benchFidelity.js';
import { levelsBelow, loadDecoder, loadDefaultEncoder, loadRecompressor, SpanEncoder, type Decoder, type EncodedPage, type Encoder, type Recompress } from '../../../electron/core/optical/index.js';
import { loadModelPack } from '../../../electron/core/optical/ModelPack.js';
import { OcrFront, toGreyPlane } from '../../../electron/core/optical/ocrFront.js';
import { releaseSessions } from '../../../electron/core/optical/Runtime.js';
import { PACK_DIR, PROSE, renderText } from './helpers.js';

let encoder: Encoder;
let decoder: Decoder;
let recompress: Recompress;
beforeAll(async () => {
  encoder = await loadDefaultEncoder({ packDir: PACK_DIR, provider: 'cpu' });
  decoder = await loadDecoder({ packDir: PACK_DIR, provider: 'cpu' });
  recompress = await loadRecompressor({ packDir: PACK_DIR, provider: 'cpu' });
});
afterAll(() => releaseSessions());

describe('encode and decode on the committed pack', () => {
  it("reads the page's pixels with the pack's front (detector and line reader)", async () => {
    expect(encoder).toBeInstanceOf(SpanEncoder);
    const [page] = await renderText(PROSE, 'small');
    const text = await (encoder as SpanEncoder).readText(page.image);
    // The pack's front on a clean rendered page (text written for this test, never trained on).
    expect(charAccuracy(text, page.textLayer!)).toBeGreaterThan(0.95);
  });

  it('reads regions the same in runs of several as one at a time', async () => {
    const pack = loadModelPack(PACK_DIR);
    if (pack.kind !== 'spans') throw new Error('the committed pack is a span pack');
    const front = await OcrFront.create(pack, { provider: 'cpu' });
    const [page] = await renderText(PROSE, 'small');
    const grey = toGreyPlane(page.image);
    const boxes = await front.detect(grey, page.image.width, page.image.height);
    expect(boxes.length).toBeGreaterThan(10);
    const together = await front.recogniseMany(grey, page.image.width, page.image.height, boxes);
    const alone: string[] = [];
    for (const b of boxes) alone.push(await front.recognise(grey, page.image.width, page.image.height, b));
    expect(together).toEqual(alone);
    expect(together.join(' ').length).toBeGreaterThan(500);
  });

  it("encodes a page to its mode's tokens and decodes text back from the tokens alone", async () => {
    const [page] = await renderText(PROSE, 'small');
    const [enc] = await encoder.encode([page.image], 'small');
    expect(enc.count).toBe(100);
    expect(enc.dim).toBe(256);
    expect(enc.tokens.length).toBe(100 * 256);
    expect(enc.level).toBe('small');
    expect([...enc.tokens].every(Number.isFinite)).toBe(true);
    const text = await decoder.decode(enc.tokens, enc.count, enc.dim);
    // About 7 characters a token here; the held-out figures are in MODEL_CARD.md.
    expect(charAccuracy(text, page.textLayer!)).toBeGreaterThan(0.8);
  });

  it('encodes the same page to the same tokens, in one call or several', async () => {
    const [page] = await renderText(PROSE, 'tiny');
    const out = await encoder.encode([page.image, page.image, page.image], 'tiny');
    expect(out.map((p) => p.count)).toEqual([64, 64, 64]);
    expect(out[2].tokens).toEqual(out[0].tokens);
    const [again] = await encoder.encode([page.image], 'tiny');
    expect(again.tokens).toEqual(out[0].tokens);
  });

  it('every ladder level decodes, from the tokens alone, and fidelity falls monotonically down the ladder', async () => {
    const texts = [PROSE, PROSE.split('\n').reverse().join('\n'), PROSE.toUpperCase()];
    const acc = new Map<string, number[]>();
    for (const t of texts) {
      const [page] = await renderText(t, 'small');
      let cur: EncodedPage = (await encoder.encode([page.image], 'small'))[0];
      const chain = [cur];
      for (const level of levelsBelow('small')) chain.push((cur = await recompress(cur, level)));
      expect(chain.map((c) => c.count)).toEqual([100, 64, 16, 4, 1]);
      expect(chain.map((c) => c.level)).toEqual(['small', 'tiny', 'gist16', 'gist4', 'gist1']);
      const decoded = await decoder.decodeMany(chain);
      chain.forEach((c, i) => acc.set(c.level, [...(acc.get(c.level) ?? []), charAccuracy(decoded[i], page.textLayer!)]));
    }
    const means = [...acc].map(([level, xs]) => ({ level, acc: xs.reduce((a, b) => a + b, 0) / xs.length }));
    for (let i = 1; i < means.length; i++) expect(means[i].acc).toBeLessThanOrEqual(means[i - 1].acc + 1e-9);
    expect(means[0].acc).toBeGreaterThan(means[means.length - 1].acc);
    console.log(formatFidelityTable(means.map((m) => ({ mode: 'small', level: m.level, pages: texts.length, visionTokens: 0, textTokens: 0, compression: 0, charAccuracy: m.acc, minAccuracy: m.acc }))));
  });

  it('fades tokens it did not make (the pooling encoder\'s) as a grid, rather than failing the forgetting pass', async () => {
    const pool = { tokens: new Float32Array(100 * 16).map((_, i) => (i % 16) / 16), count: 100, dim: 16, level: 'small' };
    const faded = await recompress(pool, 'gist4');
    expect(faded).toMatchObject({ count: 4, dim: 16, level: 'gist4' });
  });

  it('rejects tokens it did not make', async () => {
    await expect(decoder.decode(new Float32Array(10 * 16), 10, 16)).rejects.toThrow(/tokens have dim 16, pack engram-optical makes 256/);
    await expect(decoder.decode(new Float32Array(5), 10, 256)).rejects.toThrow(/5 values is not 10 tokens x 256/);
  });
});

describe('char accuracy', () => {
  it('is 1 - CER with whitespace runs collapsed', () => {
    expect(charAccuracy('hello  world', 'hello\nworld')).toBe(1);
    expect(charAccuracy('hallo world', 'hello world')).toBeCloseTo(1 - 1 / 11, 9);
    expect(charAccuracy('', 'abc')).toBe(0);
    expect(charAccuracy('abcdefgh', 'a')).toBe(0);
  });
});
