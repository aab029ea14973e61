// The QA set through the lossless test codec: what retrieval and the extractive answerer reach when the optical
// pack reads every character, and with simulated decoding slips. `engram bench qa` measures it through the real pack.
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatQaReport, runQaBench, type QaReport } from '../../../electron/cli/benchQa.js';
import { renderDocument } from '../../../electron/core/ingest/render/index.js';
import { releaseSessions } from '../../../electron/core/optical/Runtime.js';
import { testEngine } from '../../helpers.js';
import { CODEC_PACK, rememberText } from './helpers.js';

const QA_DIR = resolve(__dirname, '../../../native-models/qa');

beforeAll(() => void (process.env.ENGRAM_PACK_DIR = CODEC_PACK));
afterAll(async () => {
  await releaseSessions();
  delete process.env.ENGRAM_PACK_DIR;
});

/** Seeded character slips (substitutions and drops, spaces included), as a decoder at `rate` CER would make. */
function slip(text: string, rate: number, seed = 7): string {
  let x = seed;
  const rnd = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  const letters = 'abcdefghijklmnopqrstuvwxyz ';
  return [...text].map((c) => (c !== '\n' && rnd() < rate ? (rnd() < 0.3 ? '' : letters[Math.floor(rnd() * letters.length)]) : c)).join('');
}

function bench(rate: number): Promise<QaReport> {
  return runQaBench(QA_DIR, {
    engine: (dir) => testEngine(dir, { inProcess: true }),
    async remember(engine, files, mode) {
      for (const f of files) {
        const pages: string[] = [];
        for await (const p of renderDocument(new Uint8Array(await readFile(f)), { mode, name: basename(f) })) pages.push(slip(p.textLayer ?? '', rate));
        rememberText(engine.internals.bank, basename(f), pages, mode, f);
      }
    },
  });
}

describe('the QA set through the test codec', () => {
  it('meets the retrieval, answer and citation targets when every character decodes', async () => {
    const report = await bench(0);
    console.log(formatQaReport(report));
    expect(report.recallAt3).toBeGreaterThanOrEqual(0.9);
    expect(report.citationPrecision).toBeGreaterThanOrEqual(0.9);
    expect(report.f1).toBeGreaterThanOrEqual(0.6);
    expect(report.abstention).toBe(1);
  });

  it('still retrieves and cites honestly when a tenth of the characters slip', async () => {
    const report = await bench(0.1);
    console.log(formatQaReport(report).split('\n').slice(-9).join('\n'));
    expect(report.recallAt3).toBeGreaterThanOrEqual(0.9);
    expect(report.citationPrecision).toBeGreaterThanOrEqual(0.9);
    expect(report.abstention).toBe(1);
  });
});
