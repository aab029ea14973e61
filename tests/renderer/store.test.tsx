// The store's slices against a fake engine behind the contract's EngramBridge: loads, events, uploads, failures.
// The store is reset before every test, and the client is the real bridge client over the fake.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EngramBridge, EventName, EventPayload, Job, Memory, RouteInput, RouteName, RouteOutput, Settings, WatchedFolder } from '../../electron/contract';
import { createBridgeClient, setClient } from '../../renderer/api/client';
import { resetStore, startSync, useStore } from '../../renderer/store';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();

function memory(id: string, documentId: string, page: number, createdS: number, over: Partial<Memory> = {}): Memory {
  return {
    id, documentId, source: `/docs/${documentId}.pdf`, name: `${documentId}.pdf`, page, pages: 3, kind: 'pdf', mode: 'small', level: 'full',
    tokens: 100, importance: 5, createdAt: at(createdS), lastAccessAt: null, accessCount: 0, version: 1, sourceGone: false, contentHash: 'h', thumbnail: null, ...over,
  };
}

function job(id: string, state: Job['state'], updatedS: number, over: Partial<Job> = {}): Job {
  return { id, source: `/docs/${id}`, name: id, mode: 'small', state, pagesDone: 0, pagesTotal: null, error: null, memoryIds: [], createdAt: at(0), updatedAt: at(updatedS), ...over };
}

/** A stand-in for the engine on the far side of the bridge: answers routes from plain data and records calls. */
class FakeEngine implements EngramBridge {
  calls: { name: string; input: unknown }[] = [];
  memories: Memory[] = [];
  jobs: Job[] = [];
  folders: WatchedFolder[] = [];
  settings: Settings = { defaultMode: 'small', maxFileBytes: 1000, paused: false, bankBudgetTokens: 100_000, contextBudgetTokens: 4000, halfLifeDays: 30 };
  paths = new Map<File, string>();
  private listeners = new Map<string, Set<(p: never) => void>>();

  async call<N extends RouteName>(name: N, input: RouteInput<N>): Promise<RouteOutput<N>> {
    this.calls.push({ name, input });
    const answer = (v: unknown) => v as RouteOutput<N>;
    switch (name) {
      case 'app.info':
        return answer({ version: '0.1.0', dataDir: '/data', transport: 'ipc', encoder: { name: 'pool', provider: 'cpu', note: null }, canPickFiles: true });
      case 'memory.stats':
        return answer({ memories: this.memories.length, documents: 1, pages: this.memories.length, tokens: 100 * this.memories.length, diskBytes: 1 });
      case 'memory.list':
        return answer({ memories: this.memories, total: this.memories.length });
      case 'ingest.list':
        return answer({ jobs: this.jobs, progress: { total: this.jobs.length, done: 0, failed: 0, active: 0, paused: false } });
      case 'settings.get':
        return answer(this.settings);
      case 'watch.list':
        return answer({ folders: this.folders });
      case 'chat.getSettings':
        return answer({ answerer: 'extractive', openai: { baseUrl: 'http://127.0.0.1:11434/v1', model: 'm', apiKey: null, timeoutMs: 1000 }, onnxPackDir: null, minRelevance: 0.3 });
      case 'capture.getState':
        return answer({ enabled: false, intervalSeconds: 10, exclusions: { apps: [], titles: [] }, sensitiveAction: 'redact', retentionDays: 30, capturing: false, filter: null, lastCapture: null });
      case 'watch.add':
        throw new Error('bad_input: /nope is not a folder');
      case 'ingest.addPaths':
        return answer({ jobs: (input as { paths: string[] }).paths.map((p, i) => job(`p${i}`, 'queued', 1, { source: p })) });
      case 'ingest.upload':
        return answer({ job: job(`u-${(input as { name: string }).name}`, 'queued', 1) });
      default:
        throw new Error(`unsupported: ${name}`);
    }
  }
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (p: never) => void);
    return () => void set.delete(listener as (p: never) => void);
  }
  emit<E extends EventName>(event: E, payload: EventPayload<E>) {
    for (const l of this.listeners.get(event) ?? []) l(payload as never);
  }
  pathForFile(file: unknown): string {
    return this.paths.get(file as File) ?? '';
  }
}

const settle = () => new Promise((r) => setTimeout(r, 0));

let engine: FakeEngine;
let stop: () => void;

beforeEach(() => {
  resetStore();
  engine = new FakeEngine();
  setClient(createBridgeClient(engine));
});
afterEach(() => {
  stop?.();
  setClient(null);
});

async function started() {
  stop = startSync(createBridgeClient(engine), useStore);
  await settle();
  return useStore.getState();
}

describe('store', () => {
  it('loads everything on connect and keeps a document’s pages together, newest document first', async () => {
    engine.memories = [memory('a2', 'a', 2, 2), memory('b1', 'b', 1, 10), memory('a1', 'a', 1, 1)];
    const s = await started();
    expect(s.connection).toBe('open');
    expect(s.info?.canPickFiles).toBe(true);
    expect(s.settings?.defaultMode).toBe('small');
    expect(s.memories.map((m) => m.id)).toEqual(['b1', 'a1', 'a2']);
    expect(s.total).toBe(3);
  });

  it('merges memory.created, memory.updated and memory.removed into the list and the open detail', async () => {
    engine.memories = [memory('a1', 'a', 1, 1)];
    await started();
    engine.emit('memory.created', { memories: [memory('c1', 'c', 1, 20)] });
    expect(useStore.getState().memories.map((m) => m.id)).toEqual(['c1', 'a1']);
    expect(useStore.getState().total).toBe(2);

    useStore.setState({ detail: { id: 'a1', memory: memory('a1', 'a', 1, 1), events: [], tokenDim: 8, score: null, sourceExists: true, loading: false, error: null, decoded: null } });
    engine.emit('memory.updated', { memories: [memory('a1', 'a', 1, 1, { sourceGone: true })] });
    expect(useStore.getState().detail?.memory?.sourceGone).toBe(true);
    expect(useStore.getState().total).toBe(2);

    engine.emit('memory.removed', { ids: ['a1'] });
    expect(useStore.getState().memories.map((m) => m.id)).toEqual(['c1']);
    expect(useStore.getState().total).toBe(1);
    expect(useStore.getState().detail).toBeNull();
  });

  it('applies ingest.progressed, never letting an older snapshot overwrite a newer one', async () => {
    await started();
    const progress = { total: 1, done: 0, failed: 0, active: 1, paused: false };
    engine.emit('ingest.progressed', { job: job('j', 'encoding', 5, { pagesDone: 2, pagesTotal: 4 }), progress });
    engine.emit('ingest.progressed', { job: job('j', 'rendering', 3), progress });
    expect(useStore.getState().jobs).toMatchObject([{ id: 'j', state: 'encoding', pagesDone: 2 }]);
    engine.emit('ingest.progressed', { job: job('j', 'failed', 9, { error: 'not a PDF' }), progress: { ...progress, failed: 1, active: 0 } });
    expect(useStore.getState().jobs[0]).toMatchObject({ state: 'failed', error: 'not a PDF' });
    expect(useStore.getState().progress?.failed).toBe(1);
  });

  it('follows watch.changed and settings.changed', async () => {
    await started();
    engine.emit('watch.changed', { folders: [{ path: '/notes', addedAt: at(0), status: 'watching', error: null }] });
    const next: Settings = { ...engine.settings, defaultMode: 'large', maxFileBytes: 5, paused: true };
    engine.emit('settings.changed', next);
    expect(useStore.getState().folders.map((f) => f.path)).toEqual(['/notes']);
    expect(useStore.getState().settings).toEqual(next);
  });

  it('ingests files with a path by path, uploads the rest as base64, and skips files over the limit', async () => {
    await started();
    const withPath = new File(['x'], 'local.md');
    engine.paths.set(withPath, '/home/me/local.md');
    const upload = new File([new Uint8Array([0, 1, 2, 250, 255])], 'dropped.bin');
    const huge = new File([new Uint8Array(2000)], 'huge.pdf');
    await useStore.getState().ingestFiles([withPath, upload, huge]);

    const byName = (n: string) => engine.calls.filter((c) => c.name === n).map((c) => c.input);
    expect(byName('ingest.addPaths')).toEqual([{ paths: ['/home/me/local.md'] }]);
    expect(byName('ingest.upload')).toEqual([{ name: 'dropped.bin', dataBase64: btoa(String.fromCharCode(0, 1, 2, 250, 255)) }]);
    const s = useStore.getState();
    expect(s.jobs.map((j) => j.id).sort()).toEqual(['p0', 'u-dropped.bin']);
    expect(s.uploads).toEqual([]);
    expect(s.notices.map((n) => n.text)).toEqual([expect.stringContaining('Skipped 1 file')]);
  });

  it('reports a failed call as an error notice with the engine’s reason', async () => {
    await started();
    expect(await useStore.getState().addFolder('/nope')).toBe(false);
    expect(useStore.getState().notices).toMatchObject([{ tone: 'error', text: 'Could not watch /nope: /nope is not a folder' }]);
  });

  it('resetStore returns every slice to its first state', async () => {
    engine.memories = [memory('a1', 'a', 1, 1)];
    await started();
    useStore.getState().openPanel('settings');
    resetStore();
    const s = useStore.getState();
    expect([s.memories, s.jobs, s.panel, s.settings, s.memoriesLoaded]).toEqual([[], [], null, null, false]);
  });
});
