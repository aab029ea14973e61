// The preload, bundled as it ships, run against a stand-in `electron` module: it must expose call, on and
// pathForFile and nothing else, speak the { id, name, input } envelope, and require nothing but `electron`.
import { build } from 'esbuild';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
let bundle: string;

beforeAll(async () => {
  const out = await build({
    entryPoints: [join(root, 'electron/preload/preload.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    external: ['electron'],
    write: false,
  });
  bundle = out.outputFiles[0]!.text;
});

type Listener = (event: unknown, envelope: unknown) => void;

function loadPreload(reply: (req: unknown) => unknown) {
  const exposed: Record<string, unknown> = {};
  const invoked: unknown[] = [];
  const listeners = new Set<Listener>();
  const required: string[] = [];
  const electron = {
    contextBridge: {
      exposeInMainWorld(key: string, api: unknown) {
        exposed[key] = api;
      },
    },
    ipcRenderer: {
      async invoke(channel: string, req: unknown) {
        invoked.push({ channel, req });
        return reply(req);
      },
      on: (_channel: string, l: Listener) => void listeners.add(l),
      removeListener: (_channel: string, l: Listener) => void listeners.delete(l),
    },
    webUtils: { getPathForFile: (f: { fakePath: string }) => f.fakePath },
  };
  const require = (name: string) => {
    required.push(name);
    if (name === 'electron') return electron;
    throw new Error(`a sandboxed preload cannot require ${name}`);
  };
  const module = { exports: {} };
  runInNewContext(bundle, { require, module, exports: module.exports });
  const emit = (envelope: unknown) => listeners.forEach((l) => l({}, envelope));
  return { exposed, invoked, listeners, required, emit };
}

describe('preload', () => {
  it('exposes window.engram with exactly call, on and pathForFile, requiring only electron', () => {
    const p = loadPreload(() => null);
    expect(Object.keys(p.exposed)).toEqual(['engram']);
    expect(Object.keys(p.exposed.engram as object).sort()).toEqual(['call', 'on', 'pathForFile']);
    expect([...new Set(p.required)]).toEqual(['electron']);
  });

  it('call sends an rpc envelope and unwraps the value', async () => {
    const p = loadPreload((req) => ({ id: (req as { id: number }).id, ok: true, value: { memories: [], total: 0 } }));
    const engram = p.exposed.engram as { call(n: string, i: unknown): Promise<unknown> };
    await expect(engram.call('memory.list', { limit: 5 })).resolves.toEqual({ memories: [], total: 0 });
    await engram.call('app.info', {});
    expect(p.invoked).toEqual([
      { channel: 'rpc', req: { id: 1, name: 'memory.list', input: { limit: 5 } } },
      { channel: 'rpc', req: { id: 2, name: 'app.info', input: {} } },
    ]);
  });

  it('call throws an Error carrying the code, in its message too (contextBridge keeps only the message)', async () => {
    const p = loadPreload((req) => ({ id: (req as { id: number }).id, ok: false, error: { code: 'not_found', message: 'no memory m1' } }));
    const engram = p.exposed.engram as { call(n: string, i: unknown): Promise<unknown> };
    const err = (await engram.call('memory.get', { id: 'm1' }).catch((e: unknown) => e)) as Error & { code: string };
    // The vm has its own Error class, so check the kind rather than instanceof.
    expect(Object.prototype.toString.call(err)).toBe('[object Error]');
    expect(err.message).toBe('not_found: no memory m1');
    expect(err.code).toBe('not_found');
  });

  it('on delivers only the named event, and its return value unsubscribes', () => {
    const p = loadPreload(() => null);
    const engram = p.exposed.engram as { on(e: string, l: (payload: unknown) => void): () => void };
    const got: unknown[] = [];
    const off = engram.on('memory.created', (payload) => got.push(payload));
    p.emit({ event: 'ingest.progressed', payload: { x: 1 } });
    p.emit({ event: 'memory.created', payload: { memories: [] } });
    expect(got).toEqual([{ memories: [] }]);
    off();
    expect(p.listeners.size).toBe(0);
    p.emit({ event: 'memory.created', payload: { memories: [1] } });
    expect(got).toHaveLength(1);
  });

  it('pathForFile asks webUtils', () => {
    const p = loadPreload(() => null);
    const engram = p.exposed.engram as { pathForFile(f: unknown): string };
    expect(engram.pathForFile({ fakePath: '/home/me/a.md' })).toBe('/home/me/a.md');
  });
});
