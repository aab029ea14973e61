import { readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDefaultEncoder, loadDecoder, loadModelPack, ModelPackError, OpticalEncoder } from '../../../electron/core/optical/index.js';
import { releaseSessions } from '../../../electron/core/optical/Runtime.js';
import { PACK_DIR, packCopy } from './helpers.js';

const cleanups: (() => void)[] = [];
afterEach(async () => {
  cleanups.splice(0).forEach((c) => c());
  await releaseSessions();
});

function copy() {
  const c = packCopy();
  cleanups.push(c.cleanup);
  return c;
}

describe('model pack', () => {
  it('loads and verifies the committed pack', () => {
    const pack = loadModelPack(PACK_DIR);
    expect(pack.manifest.name).toBe('engram-optical');
    expect(pack.side('tiny')).toBe(8);
    expect(pack.side('large')).toBe(20);
    expect(pack.manifest.levels.map((l) => l.count)).toEqual([400, 256, 100, 64, 16, 4, 1]);
  });

  it('names the missing file', () => {
    const c = copy();
    rmSync(join(c.dir, 'decoder.onnx'));
    expect(() => loadModelPack(c.dir)).toThrow(ModelPackError);
    expect(() => loadModelPack(c.dir)).toThrow(/decoder\.onnx is missing/);
  });

  it('names the file that fails its checksum', () => {
    const c = copy();
    const p = join(c.dir, 'encoder.onnx');
    const buf = readFileSync(p);
    buf[buf.length - 10] ^= 0xff;
    writeFileSync(p, buf);
    try {
      loadModelPack(c.dir);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ModelPackError);
      expect((e as Error).message).toMatch(/encoder\.onnx fails its checksum/);
      expect((e as ModelPackError).file).toBe(p);
    }
  });

  it('names manifest.json when it is malformed or promises the wrong sizes', () => {
    const c = copy();
    const m = c.manifest();
    m.input.sizes.tiny = 500;
    c.writeManifest(m);
    expect(() => loadModelPack(c.dir)).toThrow(/manifest\.json: input size for mode "tiny" is 500/);
    delete m.files;
    c.writeManifest(m);
    expect(() => loadModelPack(c.dir)).toThrow(/manifest\.json is invalid at files/);
  });

  it('names the ONNX file whose input shape does not match the manifest', async () => {
    const c = copy();
    copyFileSync(resolve(__dirname, '../../fixtures/optical/fixed-input.onnx'), join(c.dir, 'encoder.onnx'));
    c.rehash('encoder');
    const pack = loadModelPack(c.dir);
    await expect(OpticalEncoder.create(pack)).rejects.toThrow(/encoder\.onnx input "pixels" is fixed at 256x256, but manifest\.json needs 512x512/);
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
