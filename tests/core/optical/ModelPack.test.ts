import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDefaultEncoder, loadDecoder, loadModelPack, ModelPackError, OpticalEncoder, SpanEncoder } from '../../../electron/core/optical/index.js';
import { releaseSessions } from '../../../electron/core/optical/Runtime.js';
import { GRID_PACK_DIR, PACK_DIR, packCopy } from './helpers.js';

const cleanups: (() => void)[] = [];
afterEach(async () => {
  cleanups.splice(0).forEach((c) => c());
  await releaseSessions();
});

function copy(from?: string) {
  const c = packCopy(from);
  cleanups.push(c.cleanup);
  return c;
}

describe('the committed span pack', () => {
  it('loads and verifies: a frozen OCR front, a span compressor, the whole ladder, under 40 MB', () => {
    const pack = loadModelPack(PACK_DIR);
    expect(pack.kind).toBe('spans');
    if (pack.kind !== 'spans') return;
    expect(pack.manifest.name).toBe('engram-optical');
    expect(Object.keys(pack.paths).sort()).toEqual(['decoder', 'detector', 'encoder', 'keys', 'recogniser']);
    expect(pack.manifest.levels.map((l) => l.count)).toEqual([400, 256, 100, 64, 16, 4, 1]);
    const bytes = Object.values(pack.manifest.files).reduce((a, f) => a + f.bytes, 0);
    expect(bytes).toBeLessThan(40 * 1024 * 1024);
  });

  it('names the missing file, whichever it is', () => {
    for (const f of ['decoder.onnx', 'recogniser.onnx', 'recogniser-keys.txt']) {
      const c = copy();
      rmSync(join(c.dir, f));
      expect(() => loadModelPack(c.dir)).toThrow(ModelPackError);
      expect(() => loadModelPack(c.dir)).toThrow(new RegExp(`${f.replace('.', '\\.')} is missing`));
    }
  });

  it('names the file that fails its checksum', () => {
    const c = copy();
    const p = join(c.dir, 'detector.onnx');
    const buf = readFileSync(p);
    buf[buf.length - 10] ^= 0xff;
    writeFileSync(p, buf);
    try {
      loadModelPack(c.dir);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ModelPackError);
      expect((e as Error).message).toMatch(/detector\.onnx fails its checksum/);
      expect((e as ModelPackError).file).toBe(p);
    }
  });

  it('names manifest.json when it is malformed or lacks a mode', () => {
    const c = copy();
    const m = c.manifest();
    m.levels = m.levels.filter((l: { name: string }) => l.name !== 'tiny');
    c.writeManifest(m);
    expect(() => loadModelPack(c.dir)).toThrow(/manifest\.json: levels has no "tiny" level of 64 tokens/);
    delete m.front;
    c.writeManifest(m);
    expect(() => loadModelPack(c.dir)).toThrow(/manifest\.json is invalid at front/);
  });

  it('names the ONNX file whose input shape does not match the manifest', async () => {
    const c = copy();
    const m = c.manifest();
    m.spans.maxChars = 64;
    c.writeManifest(m);
    const pack = loadModelPack(c.dir);
    await expect(SpanEncoder.create(pack as never)).rejects.toThrow(/encoder\.onnx input "ids" has shape \[spans, 128\], manifest\.json needs \[batch, 64\]/);
  });

  it('names the front model that lacks the input or output the manifest promises', async () => {
    const c = copy();
    copyFileSync(join(c.dir, 'detector.onnx'), join(c.dir, 'recogniser.onnx'));
    c.rehash('recogniser');
    await expect(SpanEncoder.create(loadModelPack(c.dir) as never)).rejects.toThrow(/recogniser\.onnx has inputs x and outputs sigmoid_0\.tmp_0; manifest\.json expects x -> probs/);
  });

  it('falls back to the pooling encoder, saying why, when no pack loads', async () => {
    const c = copy();
    rmSync(join(c.dir, 'encoder.onnx'));
    const enc = await loadDefaultEncoder({ packDir: c.dir });
    expect(enc.name).toBe('pool');
    expect(enc.note).toMatch(/no model pack could load .*encoder\.onnx is missing/);
    await expect(loadDecoder({ packDir: c.dir })).rejects.toThrow(/encoder\.onnx is missing/);
  });
});

describe('a grid pack', () => {
  it('loads, with its token grid per mode', () => {
    const pack = loadModelPack(GRID_PACK_DIR);
    expect(pack.kind).toBe('grid');
    if (pack.kind !== 'grid') return;
    expect(pack.side('tiny')).toBe(8);
    expect(pack.side('large')).toBe(20);
  });

  it('names manifest.json when it promises the wrong page sizes', () => {
    const c = copy(GRID_PACK_DIR);
    const m = c.manifest();
    m.input.sizes.tiny = 500;
    c.writeManifest(m);
    expect(() => loadModelPack(c.dir)).toThrow(/manifest\.json: input size for mode "tiny" is 500/);
    delete m.files;
    c.writeManifest(m);
    expect(() => loadModelPack(c.dir)).toThrow(/manifest\.json is invalid at files/);
  });

  it('names the ONNX file whose input shape does not match the manifest', async () => {
    const c = copy(GRID_PACK_DIR);
    copyFileSync(resolve(__dirname, '../../fixtures/optical/fixed-input.onnx'), join(c.dir, 'encoder.onnx'));
    c.rehash('encoder');
    const pack = loadModelPack(c.dir);
    if (pack.kind !== 'grid') throw new Error('not a grid pack');
    await expect(OpticalEncoder.create(pack)).rejects.toThrow(/encoder\.onnx input "pixels" is fixed at 256x256, but manifest\.json needs 512x512/);
  });
});
