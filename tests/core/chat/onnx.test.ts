// The large-answerer path end to end through onnxruntime-node, on the tiny pack of gpt-oss-20b's shape
// (tests/fixtures/chat/tiny-answerer, made by native-models/recipes/engram-answerer/make_tiny.py).
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../electron/core/Engine.js';
import { loadAnswererPack, OnnxAnswerer } from '../../../electron/core/chat/OnnxAnswerer.js';
import { releaseSessions } from '../../../electron/core/optical/Runtime.js';
import { call, tempDir, testEngine } from '../../helpers.js';
import { CODEC_PACK, codecTokens, rememberText, TINY_ANSWERER } from './helpers.js';

let engine: Engine;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  process.env.ENGRAM_PACK_DIR = CODEC_PACK;
  const t = await tempDir('engram-chat-onnx-');
  cleanup = t.cleanup;
  engine = await testEngine(t.dir, { inProcess: true });
  rememberText(engine.internals.bank, 'ship.txt', ['Quartermaster Ibsen counted exactly 1,204 barrels of salted herring aboard the Nordlys.']);
});
afterAll(async () => {
  await engine.close();
  await releaseSessions();
  await cleanup();
  delete process.env.ENGRAM_PACK_DIR;
});

describe('the large-answerer path on a tiny model of the same shape', () => {
  it('projects vision tokens into the LM embedding space and streams a greedy answer through onnxruntime', async () => {
    const a = await OnnxAnswerer.load(TINY_ANSWERER, { provider: 'cpu', threads: 1 });
    const t = codecTokens('Quartermaster Ibsen counted exactly 1,204 barrels.', 'small');
    const proj = await a.project(t.tokens, t.count, t.dim);
    expect(proj.length).toBe(100 * 64); // 100 vision tokens -> hidden 64
    const ctx = (tokens: Float32Array) => [{ memory: { id: 'm1' } as never, text: '', tokens: () => ({ tokens, count: 100, dim: 256 }) }];
    const deltas: string[] = [];
    const r1 = await a.answer('How many barrels?', ctx(t.tokens), (d) => deltas.push(d));
    expect(deltas.length).toBeGreaterThan(0);
    expect(deltas.join('')).toBe(r1.answer);
    // Deterministic, and the vision tokens really reach the LM: other tokens, another answer.
    expect((await a.answer('How many barrels?', ctx(t.tokens), () => {})).answer).toBe(r1.answer);
    const other = codecTokens('The ferry to Inchkeith leaves from pier four.', 'small');
    const l1 = await a.firstLogits('How many barrels?', ctx(t.tokens));
    const l2 = await a.firstLogits('How many barrels?', ctx(other.tokens));
    expect(l1.length).toBe(260);
    expect(Math.max(...l1.map((v, i) => Math.abs(v - l2[i])))).toBeGreaterThan(1e-3);
  });

  it('answers chat.ask when the settings choose it, citing nothing its answer does not draw on', async () => {
    await call(engine, 'chat.setSettings', { answerer: 'onnx', onnxPackDir: TINY_ANSWERER });
    const r = await call(engine, 'chat.ask', { question: 'How many barrels did Ibsen count?' });
    expect(r.answerer).toBe('onnx:tiny-answerer');
    expect(r.contextTokens).toBe(100);
    expect(r.totalMs).toBeGreaterThan(0);
    // Random weights write bytes, not words about the memory: an honest answerer cites none of it.
    expect(r.citations).toEqual([]);
  });

  it('refuses a pack whose files do not match the manifest, naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'engram-answerer-'));
    try {
      cpSync(TINY_ANSWERER, dir, { recursive: true });
      writeFileSync(join(dir, 'projector.onnx'), 'not a model');
      expect(() => loadAnswererPack(dir)).toThrow(/projector\.onnx fails its checksum/);
      rmSync(join(dir, 'manifest.json'));
      expect(() => loadAnswererPack(dir)).toThrow(/manifest\.json is missing/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
