// `engram ask` as a person runs it: a real process on a bank of codec memories (tests/core/chat/helpers.ts).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryBank } from '../../electron/core/memory/MemoryBank.js';
import { CODEC_PACK, rememberText } from '../core/chat/helpers.js';
import { tempDir } from '../helpers.js';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'engram.mjs');
let dir: string;
let cleanup: () => Promise<void>;

function engram(args: string[]) {
  const r = spawnSync(process.execPath, [bin, '--data', dir, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ENGRAM_ENCODER: 'pool', ENGRAM_PACK_DIR: CODEC_PACK },
    timeout: 120_000,
  });
  return { code: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('engram-cli-ask-'));
  const bank = MemoryBank.open(dir);
  rememberText(bank, 'chronicle.txt', ['Page one is about maps.', 'Page two is about trees.', 'The lighthouse keeper on Skerryvore paints the north door teal every ninth of March.']);
  bank.close();
});
afterAll(async () => cleanup());

describe('engram ask', () => {
  it('prints the answer, its citations and its timings as one JSON document', () => {
    const r = engram(['ask', 'What colour does the keeper paint the north door?', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toEqual({
      answer: 'teal',
      citations: [{ id: expect.stringMatching(/^m_/), source: '/notes/chronicle.txt', page: 3, level: 'small' }],
      firstTokenMs: expect.any(Number),
      totalMs: expect.any(Number),
    });
  });

  it('says plainly when nothing is remembered, and needs a question', () => {
    const r = engram(['ask', 'Who', 'won', 'the', 'Reykjavik', 'chess', 'tournament?']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Nothing remembered about that\.\n\n\(no memories cited\)/);
    expect(engram(['ask']).code).toBe(2);
  });
});
