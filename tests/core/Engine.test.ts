import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { routeNames } from '../../electron/contract/routes.js';
import type { Engine } from '../../electron/core/Engine.js';
import { call, tempDir, testEngine } from '../helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
let engine: Engine;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('engram-engine-'));
  engine = await testEngine(join(dir, 'data'));
});
afterEach(async () => {
  await engine.close();
  await cleanup();
});

describe('engine router', () => {
  it('has a handler for every route in the contract', async () => {
    for (const name of routeNames) {
      const reply = await engine.handle({ id: 1, name, input: {} as never }, { transport: 'direct', trusted: true });
      if (!reply.ok) expect(reply.error.message).not.toMatch(/unknown route/);
    }
  });

  it('refuses untrusted callers and unknown routes', async () => {
    const r1 = await engine.handle({ id: 7, name: 'memory.list', input: {} }, { transport: 'ipc', trusted: false });
    expect(r1).toEqual({ id: 7, ok: false, error: { code: 'unauthorized', message: 'caller is not trusted' } });
    const r2 = await engine.handle({ id: 8, name: 'shell.exec' as never, input: {} as never }, { transport: 'ipc', trusted: true });
    expect(r2).toMatchObject({ id: 8, ok: false, error: { code: 'bad_input' } });
  });

  it('rejects input that does not fit the route schema, with the field named', async () => {
    await expect(call(engine, 'memory.list', { limit: -1 } as never)).rejects.toThrow(/bad_input.*limit/s);
    await expect(call(engine, 'settings.set', { defaultMode: 'huge' } as never)).rejects.toThrow(/bad_input.*defaultMode/s);
    await expect(call(engine, 'ingest.addPaths', { paths: [] } as never)).rejects.toThrow(/bad_input/);
  });

  it('persists settings and reports them', async () => {
    expect(await call(engine, 'settings.get', {})).toMatchObject({ defaultMode: 'small', paused: false, maxFileBytes: 200 * 1024 * 1024 });
    await call(engine, 'settings.set', { defaultMode: 'base', maxFileBytes: 1024 });
    await engine.close();
    engine = await testEngine(join(dir, 'data'));
    expect(await call(engine, 'settings.get', {})).toMatchObject({ defaultMode: 'base', maxFileBytes: 1024 });
  });

  it('says plainly that native dialogs are not available without a shell', async () => {
    await expect(call(engine, 'dialog.pickPaths', { folders: false })).rejects.toThrow(/unsupported/);
  });

  it('adds, lists and removes watched folders, refusing paths that are not folders', async () => {
    const folder = join(dir, 'papers');
    await mkdir(folder);
    await writeFile(join(dir, 'file.txt'), 'x');
    const { folder: added } = await call(engine, 'watch.add', { path: folder });
    expect(added).toMatchObject({ path: folder, status: 'watching' });
    await expect(call(engine, 'watch.add', { path: join(dir, 'nope') })).rejects.toThrow(/folder not found/);
    await expect(call(engine, 'watch.add', { path: join(dir, 'file.txt') })).rejects.toThrow(/not a folder/);
    expect((await call(engine, 'watch.list', {})).folders.map((f) => f.path)).toEqual([folder]);
    await call(engine, 'watch.remove', { path: folder });
    expect((await call(engine, 'watch.list', {})).folders).toEqual([]);
  });

  it('reports stats of an empty bank', async () => {
    expect(await call(engine, 'memory.stats', {})).toMatchObject({ memories: 0, documents: 0, pages: 0, tokens: 0 });
  });
});
