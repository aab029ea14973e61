import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../electron/core/Engine.js';
import { call, tempDir, testEngine, waitFor } from '../../helpers.js';

let dir: string;
let watched: string;
let cleanup: () => Promise<void>;
let engine: Engine;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('engram-watch-'));
  watched = join(dir, 'inbox');
  await mkdir(watched);
  engine = await testEngine(join(dir, 'data'), { watch: true });
});
afterEach(async () => {
  await engine.close();
  await cleanup();
});

const memoriesOf = async (source: string) => (await call(engine, 'memory.list', {})).memories.filter((m) => m.source === source);

describe('folder watcher', () => {
  it('ingests files already there and files written later; ignores dotfiles and node_modules', async () => {
    await writeFile(join(watched, 'before.md'), '# Before\n\nalready here\n');
    await mkdir(join(watched, 'node_modules'));
    await writeFile(join(watched, 'node_modules', 'dep.md'), '# no\n');
    await writeFile(join(watched, '.hidden.md'), '# no\n');
    await call(engine, 'watch.add', { path: watched });
    await waitFor(async () => (await memoriesOf(join(watched, 'before.md'))).length === 1, 'the existing file');
    await writeFile(join(watched, 'after.md'), '# After\n\nwritten while watching\n');
    await waitFor(async () => (await memoriesOf(join(watched, 'after.md'))).length === 1, 'the new file');
    await engine.internals.queue.idle();
    const sources = (await call(engine, 'memory.list', {})).memories.map((m) => m.source).sort();
    expect(sources).toEqual([join(watched, 'after.md'), join(watched, 'before.md')]);
  });

  it('sees a file written the moment adding the folder returns', async () => {
    // The e2e once missed such a file: adding returned before chokidar's first scan had finished.
    for (let i = 0; i < 5; i++) await writeFile(join(watched, `old-${i}.md`), `# Old ${i}\n\nalready here\n`);
    await call(engine, 'watch.add', { path: watched });
    await writeFile(join(watched, 'right-after.md'), '# Right after\n\nwritten as soon as watching began\n');
    await waitFor(async () => (await memoriesOf(join(watched, 'right-after.md'))).length === 1, 'the file written right after adding');
  });

  it('re-ingests a changed file as a new version and keeps the old one', async () => {
    const file = join(watched, 'draft.md');
    await writeFile(file, '# Draft\n\nfirst words\n');
    await call(engine, 'watch.add', { path: watched });
    await waitFor(async () => (await memoriesOf(file)).length === 1, 'version 1');
    await writeFile(file, '# Draft\n\nsecond, better words\n');
    await waitFor(async () => (await memoriesOf(file)).length === 2, 'version 2');
    expect((await memoriesOf(file)).map((m) => m.version).sort()).toEqual([1, 2]);
  });

  it('marks memories "source gone" when the file is deleted, and keeps them', async () => {
    const file = join(watched, 'ephemeral.md');
    await writeFile(file, '# Soon gone\n');
    await call(engine, 'watch.add', { path: watched });
    await waitFor(async () => (await memoriesOf(file)).length === 1, 'ingest');
    await rm(file);
    await waitFor(async () => (await memoriesOf(file))[0]?.sourceGone, 'source gone');
    expect(await memoriesOf(file)).toHaveLength(1);
  });

  it('resumes watching after a restart without re-ingesting unchanged files', async () => {
    await writeFile(join(watched, 'stable.md'), '# Stable\n');
    await call(engine, 'watch.add', { path: watched });
    await waitFor(async () => (await memoriesOf(join(watched, 'stable.md'))).length === 1, 'first ingest');
    await engine.internals.queue.idle();
    await engine.close();

    engine = await testEngine(join(dir, 'data'), { watch: true });
    await engine.internals.watcher.ready();
    await new Promise((r) => setTimeout(r, 800)); // past awaitWriteFinish, so a re-ingest would have been queued
    await engine.internals.queue.idle();
    expect((await call(engine, 'ingest.list', {})).jobs.filter((j) => j.state === 'queued' || j.state === 'ready')).toHaveLength(1);
    expect((await call(engine, 'watch.list', {})).folders).toMatchObject([{ path: watched, status: 'watching' }]);

    await writeFile(join(watched, 'new.md'), '# New after restart\n');
    await waitFor(async () => (await memoriesOf(join(watched, 'new.md'))).length === 1, 'a file written after the restart');
    expect(await memoriesOf(join(watched, 'stable.md'))).toHaveLength(1);
  });

  it('survives a symlink loop inside a watched folder', async () => {
    await symlink(watched, join(watched, 'loop'));
    await symlink(join(watched, 'x.md'), join(watched, 'y.md'));
    await symlink(join(watched, 'y.md'), join(watched, 'x.md'));
    await writeFile(join(watched, 'real.md'), '# Real\n');
    await call(engine, 'watch.add', { path: watched });
    await waitFor(async () => (await memoriesOf(join(watched, 'real.md'))).length === 1, 'the real file');
    await engine.internals.queue.idle();
    const jobs = (await call(engine, 'ingest.list', {})).jobs;
    expect(jobs.some((j) => j.source.includes(`${join(watched, 'loop')}/`))).toBe(false);
    const looped = jobs.filter((j) => j.state === 'failed');
    for (const j of looped) expect(j.error).toMatch(/symbolic link loop|not found/);
  });
});
