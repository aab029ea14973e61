import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODE_TOKENS } from '../../../electron/contract/models.js';
import { charAccuracy, formatFidelityTable } from '../../../electron/core/optical/benchFidelity.js';
import { levelsBelow, loadDecoder, loadDefaultEncoder, recompress, type Decoder, type EncodedPage, type Encoder } from '../../../electron/core/optical/index.js';
import { releaseSessions } from '../../../electron/core/optical/Runtime.js';
import { PACK_DIR, PROSE, renderText } from './helpers.js';

let encoder: Encoder;
let decoder: Decoder;
beforeAll(async () => {
  encoder = await loadDefaultEncoder({ packDir: PACK_DIR, provider: 'cpu' });
  decoder = await loadDecoder({ packDir: PACK_DIR, provider: 'cpu' });
});
afterAll(() => releaseSessions());

describe('encode and decode on the committed pack', () => {
  it('encodes a page to its mode\'s tokens and decodes text back from the tokens alone', async () => {
    const [page] = await renderText(PROSE, 'small');
    const [enc] = await encoder.encode([page.image], 'small');
    expect(enc.count).toBe(100);
    expect(enc.dim).toBe(256);
    expect(enc.tokens.length).toBe(100 * 256);
    expect(enc.level).toBe('small');
    expect([...enc.tokens].every(Number.isFinite)).toBe(true);
    const text = await decoder.decode(enc.tokens, enc.count, enc.dim);
    // The committed pack reads ~10% of a held-out page (MODEL_CARD.md); this floor only catches a broken pipeline (empty output scores 0).
    expect(charAccuracy(text, page.textLayer!)).toBeGreaterThan(0.02);
  });

  it('batches pages of one mode in one call', async () => {
    const pages = await renderText(PROSE + '\n' + PROSE, 'tiny');
    const imgs = [pages[0].image, pages[0].image, pages[0].image];
    const out = await encoder.encode(imgs, 'tiny');
    expect(out.map((p) => p.count)).toEqual([64, 64, 64]);
    expect(out[2].tokens).toEqual(out[0].tokens);
  });

  it('every ladder level decodes, and fidelity falls monotonically down the ladder', async () => {
    const texts = [PROSE, PROSE.split('\n').reverse().join('\n'), PROSE.toUpperCase()];
    const acc = new Map<string, number[]>();
    for (const t of texts) {
      const [page] = await renderText(t, 'small');
      let cur: EncodedPage = (await encoder.encode([page.image], 'small'))[0];
      const chain = [cur];
      for (const level of levelsBelow('small')) chain.push((cur = recompress(cur, level)));
      expect(chain.map((c) => c.count)).toEqual([100, 64, 16, 4, 1]);
      for (const c of chain) {
        const text = await decoder.decode(c.tokens, c.count, c.dim, { nativeCount: MODE_TOKENS.small });
        expect(typeof text).toBe('string');
        acc.set(c.level, [...(acc.get(c.level) ?? []), charAccuracy(text, page.textLayer!)]);
      }
    }
    const means = [...acc].map(([level, xs]) => ({ level, acc: xs.reduce((a, b) => a + b, 0) / xs.length }));
    for (let i = 1; i < means.length; i++) expect(means[i].acc).toBeLessThanOrEqual(means[i - 1].acc + 1e-9);
    expect(means[0].acc).toBeGreaterThan(means[means.length - 1].acc);
    console.log(formatFidelityTable(means.map((m) => ({ mode: 'small', level: m.level, pages: texts.length, visionTokens: 0, textTokens: 0, compression: 0, charAccuracy: m.acc, minAccuracy: m.acc }))));
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
