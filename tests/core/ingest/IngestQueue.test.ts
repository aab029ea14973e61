import { chmod, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../electron/core/Engine.js';
import { makeBadFixtures, makeGoodFixtures } from '../../fixtures/makeFixtures.js';
import { call, tempDir, testEngine } from '../../helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
let engine: Engine;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('engram-queue-'));
  engine = await testEngine(join(dir, 'data'));
});
afterEach(async () => {
  await engine.close();
  await cleanup();
});

async function ingest(paths: string[]) {
  const { jobs } = await call(engine, 'ingest.addPaths', { paths, mode: 'tiny' });
  await engine.internals.queue.idle();
  return jobs.map((j) => engine.internals.bank.getJob(j.id)!);
}

describe('ingest queue', () => {
  it('ingests a folder of every kind, one memory per page, with thumbnails', async () => {
    const good = await makeGoodFixtures(await mk('good'));
    const jobs = await ingest([good.dir]);
    expect(jobs.every((j) => j.state === 'ready')).toBe(true);
    const { memories } = await call(engine, 'memory.list', {});
    const byName = new Map<string, number>();
    for (const m of memories) byName.set(m.source, (byName.get(m.source) ?? 0) + 1);
    for (const key of Object.keys(good.pages) as (keyof typeof good.pages)[]) expect(byName.get(good[key]), key).toBe(good.pages[key]);
    expect(memories.every((m) => m.thumbnail?.startsWith('data:image/png;base64,'))).toBe(true);
    expect(memories.every((m) => m.mode === 'tiny' && m.tokens === 64)).toBe(true);
    const stats = await call(engine, 'memory.stats', {});
    expect(stats.memories).toBe(Object.values(good.pages).reduce((a, b) => a + b, 0));
  });

  it('adds nothing when the same files are ingested twice', async () => {
    const good = await makeGoodFixtures(await mk('good'));
    await ingest([good.markdown, good.pdf]);
    const before = (await call(engine, 'memory.stats', {})).memories;
    const again = await ingest([good.markdown, good.pdf]);
    expect(again.map((j) => j.state)).toEqual(['skipped', 'skipped']);
    expect(again[1].memoryIds).toHaveLength(4);
    expect((await call(engine, 'memory.stats', {})).memories).toBe(before);
  });

  it('fails each bad input with its reason and still stores the good ones', async () => {
    const bad = await makeBadFixtures(await mk('bad'));
    const good = await makeGoodFixtures(await mk('good'));
    const jobs = await ingest([bad.corruptPdf, bad.empty, bad.binaryTxt, bad.notAPdf, bad.corruptPng, bad.unsupported, good.markdown, join(dir, 'missing.md')]);
    const reason = (p: string) => jobs.find((j) => j.source === p)?.error ?? '';
    expect(reason(bad.corruptPdf)).toMatch(/PDF/i);
    expect(reason(bad.empty)).toMatch(/empty/i);
    expect(reason(bad.binaryTxt)).toMatch(/binary/i);
    expect(reason(bad.notAPdf)).toMatch(/PDF/i);
    expect(reason(bad.corruptPng)).toMatch(/image|PNG/i);
    expect(reason(bad.unsupported)).toMatch(/support/i);
    expect(reason(join(dir, 'missing.md'))).toMatch(/not found/);
    expect(jobs.find((j) => j.source === good.markdown)?.state).toBe('ready');
    expect((await call(engine, 'memory.list', {})).memories.map((m) => m.source)).toEqual([good.markdown]);
  });

  it('refuses a file over the size limit with the sizes in the message', async () => {
    const good = await makeGoodFixtures(await mk('good'));
    await call(engine, 'settings.set', { maxFileBytes: 1000 });
    const [job] = await ingest([good.pdf]);
    expect(job.state).toBe('failed');
    expect(job.error).toMatch(/over the .* limit/);
  });

  it('reports a file deleted after it was queued, and carries on', async () => {
    const good = await makeGoodFixtures(await mk('good'));
    await call(engine, 'settings.set', { paused: true });
    const { jobs } = await call(engine, 'ingest.addPaths', { paths: [good.text, good.markdown] });
    await rm(good.text);
    await call(engine, 'settings.set', { paused: false });
    await engine.internals.queue.idle();
    const [gone, kept] = jobs.map((j) => engine.internals.bank.getJob(j.id)!);
    expect(gone).toMatchObject({ state: 'failed', error: expect.stringMatching(/not found/) });
    expect(kept.state).toBe('ready');
  });

  it('reports a symlink loop named directly, and does not follow symlinked folders when walking', async () => {
    const folder = await mk('loops');
    await symlink(join(folder, 'b.md'), join(folder, 'a.md'));
    await symlink(join(folder, 'a.md'), join(folder, 'b.md'));
    await symlink(folder, join(folder, 'self'));
    await writeFile(join(folder, 'ok.md'), '# fine\n');
    const jobs = await ingest([folder]);
    expect(jobs.find((j) => j.source.endsWith('a.md'))?.error).toMatch(/symbolic link loop/);
    expect(jobs.find((j) => j.source.endsWith('ok.md'))?.state).toBe('ready');
    expect(jobs.some((j) => j.source.includes('/self/'))).toBe(false);
  });

  it('ingests names with unicode and spaces', async () => {
    const good = await makeGoodFixtures(await mk('good'));
    const [job] = await ingest([good.unicodeName]);
    expect(job.state).toBe('ready');
    expect((await call(engine, 'memory.list', {})).memories[0].name).toBe('Notizen über Café – 東京 ✓.md');
  });

  it('cancels a queued job and keeps going with the rest', async () => {
    const good = await makeGoodFixtures(await mk('good'));
    await call(engine, 'settings.set', { paused: true });
    const { jobs } = await call(engine, 'ingest.addPaths', { paths: [good.code, good.markdown] });
    await call(engine, 'ingest.cancel', { jobId: jobs[0].id });
    await call(engine, 'settings.set', { paused: false });
    await engine.internals.queue.idle();
    const { jobs: after, progress } = await call(engine, 'ingest.list', {});
    expect(after.map((j) => j.state)).toEqual(['cancelled', 'ready']);
    expect(progress).toMatchObject({ total: 2, done: 2, active: 0 });
  });

  it('stores uploads (drops without a path) and removes the uploaded bytes afterwards', async () => {
    const { job } = await call(engine, 'ingest.upload', { name: 'dropped note.md', dataBase64: Buffer.from('# Dropped\n\nhello\n').toString('base64') });
    await engine.internals.queue.idle();
    expect(engine.internals.bank.getJob(job.id)?.state).toBe('ready');
    const { memories } = await call(engine, 'memory.list', {});
    expect(memories[0]).toMatchObject({ name: 'dropped note.md', source: 'upload:dropped note.md', kind: 'markdown' });
    const { readdir } = await import('node:fs/promises');
    expect(await readdir(join(dir, 'data', 'uploads'))).toEqual([]);
  });

  it('resumes jobs left in flight by a crash when the engine starts again', async () => {
    const good = await makeGoodFixtures(await mk('good'));
    await call(engine, 'settings.set', { paused: true });
    const { jobs } = await call(engine, 'ingest.addPaths', { paths: [good.markdown] });
    engine.internals.bank.updateJob(jobs[0].id, { state: 'encoding', pagesDone: 1 });
    await call(engine, 'settings.set', { paused: false });
    // The queue only picks 'queued' jobs: this one looks in flight, as after kill -9, until a restart requeues it.
    await engine.close();
    engine = await testEngine(join(dir, 'data'));
    await engine.internals.queue.idle();
    expect(engine.internals.bank.getJob(jobs[0].id)?.state).toBe('ready');
  });
});

async function mk(name: string): Promise<string> {
  const p = join(dir, name);
  await mkdir(p, { recursive: true });
  await chmod(p, 0o755);
  return p;
}
