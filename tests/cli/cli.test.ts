// The `engram` command end to end, as a person runs it: real processes, real files, real exit codes.
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import Database from 'libsql';
import { MemoryBank } from '../../electron/core/memory/MemoryBank.js';
import { makeBadFixtures, makeGoodFixtures, type BadFixtures, type GoodFixtures } from '../fixtures/makeFixtures.js';
import { prose } from '../fixtures/makeFixtures.js';
import { tempDir } from '../helpers.js';

// Each test runs several real `engram` processes; on a loaded 2-core machine that takes a while.
vi.setConfig({ testTimeout: 240_000, hookTimeout: 120_000 });

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'engram.mjs');
let dir: string;
let cleanup: () => Promise<void>;
let good: GoodFixtures;
let bad: BadFixtures;

function engram(args: string[], { env, ...opts }: SpawnSyncOptions = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ENGRAM_ENCODER: 'pool', ...env },
    timeout: 120_000,
    ...opts,
  });
  return { code: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('engram-cli-'));
  await chmod(dir, 0o777);
  await mkdir(join(dir, 'good'));
  await mkdir(join(dir, 'bad'));
  good = await makeGoodFixtures(join(dir, 'good'));
  bad = await makeBadFixtures(join(dir, 'bad'));
});
afterAll(async () => cleanup());

describe('engram CLI', () => {
  it('ingests a folder of every kind, lists each page, and adds nothing the second time', () => {
    const data = join(dir, 'bank1');
    const first = engram(['ingest', good.dir, '--mode', 'tiny', '--data', data, '--json']);
    expect(first.code, first.stderr).toBe(0);
    const doc = JSON.parse(first.stdout);
    expect(doc.failed).toEqual([]);
    for (const key of Object.keys(good.pages) as (keyof typeof good.pages)[]) {
      const entry = doc.ingested.find((i: { source: string }) => i.source === good[key]);
      expect(entry?.pages, key).toBe(good.pages[key]);
    }
    const list = JSON.parse(engram(['list', '--json', '--data', data]).stdout);
    const total = Object.values(good.pages).reduce((a, b) => a + b, 0);
    expect(list.memories).toHaveLength(total);
    expect(list.memories[0]).toEqual({
      id: expect.any(String),
      source: expect.any(String),
      page: expect.any(Number),
      kind: expect.any(String),
      mode: 'tiny',
      level: 'tiny',
      tokens: 64,
      importance: 5,
      createdAt: expect.any(String),
    });
    const pdfPages = list.memories.filter((m: { source: string }) => m.source === good.pdf).map((m: { page: number }) => m.page).sort();
    expect(pdfPages).toEqual([1, 2, 3, 4]);

    const second = engram(['ingest', good.dir, '--data', data, '--json']);
    expect(second.code).toBe(0);
    expect(JSON.parse(engram(['list', '--json', '--data', data]).stdout).memories).toHaveLength(total);
    const stats = JSON.parse(engram(['stats', '--json', '--data', data]).stdout);
    expect(stats).toMatchObject({ memories: total, tokens: total * 64 });
  });

  it('exits 1 naming every bad input with its reason, and stores the good files', () => {
    const data = join(dir, 'bank2');
    const r = engram(['ingest', bad.corruptPdf, bad.empty, bad.binaryTxt, good.markdown, join(dir, 'nope.pdf'), '--data', data, '--json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.ingested.map((i: { source: string }) => i.source)).toEqual([good.markdown]);
    const reasons = Object.fromEntries(doc.failed.map((f: { source: string; error: string }) => [f.source, f.error]));
    expect(reasons[bad.corruptPdf]).toMatch(/PDF/);
    expect(reasons[bad.empty]).toMatch(/empty/);
    expect(reasons[bad.binaryTxt]).toMatch(/binary/);
    expect(reasons[join(dir, 'nope.pdf')]).toMatch(/not found/);
    for (const f of doc.failed) expect(r.stderr).toContain(f.source);
  });

  it('reports a file it has no permission to read', async () => {
    const locked = join(dir, 'locked.md');
    await writeFile(locked, '# secret\n');
    await chmod(locked, 0o000);
    const data = join(dir, 'bank3');
    await mkdir(data, { mode: 0o777 });
    await chmod(data, 0o777);
    // root reads anything, so as root the CLI runs as an ordinary user for this test, as a person would.
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534, env: { HOME: dir } } : {};
    const r = engram(['ingest', locked, good.markdown, '--data', data, '--json'], asUser);
    expect(r.code, r.stderr + r.stdout).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.failed).toEqual([{ source: locked, error: expect.stringMatching(/permission denied/) }]);
    expect(doc.ingested).toHaveLength(1);
  });

  it('exits 2 on usage errors', () => {
    expect(engram(['frobnicate']).code).toBe(2);
    expect(engram(['ingest']).code).toBe(2);
    expect(engram(['ingest', good.markdown, '--mode', 'huge']).stderr).toMatch(/--mode must be one of tiny, small, base, large/);
    expect(engram(['list', '--no-such-flag']).code).toBe(2);
    expect(engram(['--help']).code).toBe(0);
  });

  it('survives kill -9 half way through an ingest: the bank opens, committed documents are whole, the rest resumes', async () => {
    const src = join(dir, 'many');
    await mkdir(src);
    const n = 24;
    for (let i = 0; i < n; i++) await writeFile(join(src, `doc-${String(i).padStart(2, '0')}.txt`), `${prose(100 + i, 40)}\n`);
    const data = join(dir, 'bank-crash');
    const child = spawn(process.execPath, [bin, 'ingest', src, '--data', data, '--mode', 'tiny'], { env: { ...process.env, ENGRAM_ENCODER: 'pool' } });
    let done = 0;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('ingest did not progress')), 60_000);
      child.stderr.on('data', (d: Buffer) => {
        done += (d.toString().match(/✓/g) ?? []).length;
        if (done >= 3) {
          clearTimeout(timer);
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', () => resolve());
    });
    await new Promise((r) => child.once('exit', r));

    const bank = MemoryBank.open(data);
    const before = bank.stats();
    expect(before.documents).toBeGreaterThanOrEqual(3);
    expect(before.documents).toBeLessThan(n);
    for (const m of bank.listMemories(10_000).memories) expect(bank.getTokens(m.id)?.count).toBe(64);
    bank.close();

    const again = engram(['ingest', src, '--data', data, '--json']);
    expect(again.code, again.stderr).toBe(0);
    const after = JSON.parse(engram(['stats', '--json', '--data', data]).stdout);
    expect(after.documents).toBe(n);
    const list = JSON.parse(engram(['list', '--json', '--data', data]).stdout).memories as { source: string; page: number }[];
    const keys = list.map((m) => `${m.source}#${m.page}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('engram forget under kill -9', () => {
  it('loses nothing when killed in the middle of a pass: the bank opens consistent and the pass completes', async () => {
    const data = join(dir, 'bank-forget-crash');
    const bank = MemoryBank.open(data);
    const dim = 64;
    const n = 1500;
    bank.tx(() => {
      for (let i = 0; i < n; i++) {
        const tokens = new Float32Array(100 * dim).map((_, k) => Math.sin(i + k * 0.01));
        bank.addDocument({ source: `/c/${i}.txt`, name: `${i}.txt`, kind: 'text', contentHash: `c${i}`, size: 1, pages: 1 }, [
          { page: 1, kind: 'text', mode: 'small', level: 'small', tokens, count: 100, dim, thumbnail: null, phash: null },
        ]);
      }
    });
    bank.close();
    const budget = n * 30;
    const child = spawn(process.execPath, [bin, 'forget', '--budget', String(budget), '--data', data], { env: { ...process.env, ENGRAM_ENCODER: 'pool' } });
    // Kill once the first transactions of fades have landed and the pass is still marked pending.
    const watcher = new Database(join(data, 'engram.db'), { readonly: true });
    const faded = watcher.prepare("SELECT COUNT(*) AS n FROM events WHERE type = 'faded'");
    let killedMidway = false;
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        const n = Number((faded.get() as { n: number }).n);
        if (n > 0 && n < 1500 && !killedMidway) {
          child.kill('SIGKILL');
          killedMidway = true;
        }
      }, 2);
      child.on('exit', () => {
        clearInterval(poll);
        resolve();
      });
    });
    watcher.close();

    const after = MemoryBank.open(data);
    for (const r of after.forgetRows()) expect(after.getTokens(r.id)?.count).toBe(r.tokens);
    const delta = after.allEvents(0, 1e9).reduce((a, e) => {
      const d = e.data as { tokensBefore?: number; tokensAfter?: number };
      return typeof d.tokensAfter === 'number' ? a + d.tokensAfter - (d.tokensBefore ?? 0) : a;
    }, 0);
    expect(delta).toBe(after.totals().tokens);
    after.close();

    // The next start finishes the pass the kill interrupted.
    const stats = JSON.parse(engram(['stats', '--json', '--data', data]).stdout);
    expect(stats.tokens).toBeLessThanOrEqual(budget);
    const reopened = MemoryBank.open(data);
    expect(reopened.getSetting('forget.pending')).toBeNull();
    reopened.close();
    expect(killedMidway).toBe(true);
  });
});

describe('engram forget, timeline, importance, pin, refresh', () => {
  it('speaks the documented JSON and steers forgetting', () => {
    const data = join(dir, 'bank-forget');
    expect(engram(['ingest', good.markdown, good.code, good.text, '--mode', 'small', '--data', data]).code).toBe(0);
    const list = JSON.parse(engram(['list', '--json', '--data', data]).stdout).memories as { id: string; source: string }[];
    const pinned = list.find((m) => m.source === good.markdown)!.id;
    const pin = JSON.parse(engram(['pin', pinned, '--json', '--data', data]).stdout);
    expect(pin.memory).toMatchObject({ id: pinned, importance: 10 });
    const low = list.find((m) => m.source === good.code)!.id;
    expect(JSON.parse(engram(['importance', low, '0', '--json', '--data', data]).stdout).memory.importance).toBe(0);

    const future = new Date(Date.now() + 200 * 86_400_000).toISOString();
    const dry = JSON.parse(engram(['forget', '--now', future, '--dry-run', '--json', '--data', data]).stdout);
    expect(dry).toMatchObject({ dryRun: true, before: { tokens: 500, memories: 5 }, after: { tokens: expect.any(Number), memories: expect.any(Number) } });
    expect(dry.events.some((e: { memoryId: string }) => e.memoryId === low)).toBe(true);
    expect(dry.events.some((e: { memoryId: string }) => e.memoryId === pinned)).toBe(false);
    expect(JSON.parse(engram(['stats', '--json', '--data', data]).stdout).tokens).toBe(500);

    const real = JSON.parse(engram(['forget', '--budget', '250', '--json', '--data', data]).stdout);
    expect(real.after.tokens).toBeLessThanOrEqual(250);
    expect(real.events.every((e: { type: string; tokensBefore: number; tokensAfter: number }) => e.tokensAfter < e.tokensBefore)).toBe(true);

    const now = JSON.parse(engram(['timeline', '--json', '--data', data]).stdout);
    expect(now).toMatchObject({ at: expect.any(String), budget: 250, tokens: real.after.tokens });
    expect(now.memories[0]).toEqual({
      id: expect.any(String), source: expect.any(String), page: expect.any(Number), level: expect.any(String),
      tokens: expect.any(Number), importance: expect.any(Number), score: expect.any(Number),
    });
    expect(now.memories.find((m: { id: string }) => m.id === pinned)).toMatchObject({ level: 'small', tokens: 100 });
    const past = JSON.parse(engram(['timeline', '--at', '2000-01-01T00:00:00Z', '--json', '--data', data]).stdout);
    expect(past.memories).toEqual([]);

    const faded = now.memories.find((m: { id: string; level: string }) => m.id !== pinned && m.level !== 'small');
    if (faded) {
      const r = JSON.parse(engram(['refresh', faded.id, '--json', '--data', data]).stdout);
      expect(r.memory).toMatchObject({ id: faded.id, level: 'small', tokens: 100 });
    }
    expect(engram(['importance', pinned, 'eleven', '--data', data]).code).toBe(2);
    expect(engram(['pin', 'm_nope', '--data', data]).code).toBe(1);
  });
});

describe('engram bench fidelity and engram gpu install', () => {
  it('bench fidelity scores the pack on a folder: one row per mode and level, tokens from the ladder, accuracy in [0, 1]', async () => {
    const docs = join(dir, 'fidelity-docs');
    await mkdir(docs, { recursive: true });
    await writeFile(join(docs, 'notes.txt'), prose(7, 40));
    const r = engram(['bench', 'fidelity', docs, '--modes', 'tiny', '--max', '1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const { rows } = JSON.parse(r.stdout) as { rows: { mode: string; level: string; pages: number; visionTokens: number; textTokens: number; compression: number; charAccuracy: number }[] };
    // The default pack is a span pack: its OCR front's own reading comes first (no tokens), then the ladder.
    expect(rows.map((x) => x.level)).toEqual(['(ocr front)', 'tiny', 'gist16', 'gist4', 'gist1']);
    expect(rows.map((x) => x.visionTokens)).toEqual([0, 64, 16, 4, 1]);
    expect(rows[0].charAccuracy).toBeGreaterThan(0.9);
    expect(rows[0].charAccuracy).toBeGreaterThanOrEqual(rows[1].charAccuracy);
    for (const row of rows.slice(1)) {
      expect(row.mode).toBe('tiny');
      expect(row.pages).toBe(1);
      expect(row.textTokens).toBeGreaterThan(50);
      expect(row.compression).toBeCloseTo(row.textTokens / row.visionTokens, 6);
      expect(row.charAccuracy).toBeGreaterThanOrEqual(0);
      expect(row.charAccuracy).toBeLessThanOrEqual(1);
    }
    const human = engram(['bench', 'fidelity', docs, '--modes', 'tiny', '--max', '1']);
    expect(human.stdout).toMatch(/mode\s+level\s+pages\s+vision tok\s+text tok\s+compression\s+char acc/);
    const usage = engram(['bench', 'fidelity']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('bench fidelity needs one DIR');
  });

  it.skipIf(existsSync('/proc/driver/nvidia/version'))('gpu install on a machine without an NVIDIA GPU says so, and a fresh session runs on CPU', () => {
    const r = engram(['gpu', 'install', '--json']);
    expect(r.code, r.stderr).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ ok: false, ran: 'cpu' });
    expect(doc.message).toMatch(/no NVIDIA GPU|CUDA providers exist only for/);
    // The probe asked for CUDA and fell back: the note says why.
    expect(doc.note).toMatch(/cuda/i);
    const human = engram(['gpu', 'install']);
    expect(human.stdout).toContain('a fresh session runs on: CPU');
  });
});
