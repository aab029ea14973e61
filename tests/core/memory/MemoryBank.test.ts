import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryBank, type NewPage } from '../../../electron/core/memory/MemoryBank.js';
import { migrations } from '../../../electron/core/memory/schema.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'engram-bank-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function page(n: number, count = 64, dim = 8): NewPage {
  return {
    page: n,
    kind: 'text',
    mode: 'tiny',
    level: 'tiny',
    tokens: new Float32Array(count * dim).map((_, i) => (i % 13) / 13 + n),
    count,
    dim,
    thumbnail: Buffer.from([1, 2, 3]),
  };
}

describe('MemoryBank', () => {
  it('migrates a new bank to the latest schema and reopens it', () => {
    const bank = MemoryBank.open(dir);
    expect(bank.schemaVersion).toBe(migrations.length);
    bank.close();
    const again = MemoryBank.open(dir);
    expect(again.schemaVersion).toBe(migrations.length);
    again.close();
  });

  it('stores a document as one memory per page, with fp16 tokens and created events', () => {
    const bank = MemoryBank.open(dir);
    const created = bank.addDocument({ source: '/a/notes.txt', name: 'notes.txt', kind: 'text', contentHash: 'h1', size: 10, pages: 2 }, [page(1), page(2)]);
    expect(created.map((m) => m.page)).toEqual([1, 2]);
    expect(created[0]).toMatchObject({ source: '/a/notes.txt', pages: 2, tokens: 64, version: 1, sourceGone: false, importance: 5 });
    expect(created[0].thumbnail).toMatch(/^data:image\/png;base64,/);
    const t = bank.getTokens(created[1].id)!;
    expect(t.count).toBe(64);
    expect(t.dim).toBe(8);
    expect(t.tokens[5]).toBeCloseTo(5 / 13 + 2, 2);
    expect(bank.events(created[0].id).map((e) => e.type)).toEqual(['created']);
    expect(bank.stats()).toMatchObject({ memories: 2, documents: 1, pages: 2, tokens: 128 });
    expect(bank.stats().diskBytes).toBeGreaterThan(0);
    bank.close();
  });

  it('finds a document by content hash, so the same content is one memory', () => {
    const bank = MemoryBank.open(dir);
    const [m] = bank.addDocument({ source: '/x', name: 'x', kind: 'text', contentHash: 'same', size: 1, pages: 1 }, [page(1)]);
    expect(bank.findDocumentByHash('same')?.memoryIds).toEqual([m.id]);
    expect(bank.findDocumentByHash('other')).toBeNull();
    expect(() => bank.addDocument({ source: '/y', name: 'y', kind: 'text', contentHash: 'same', size: 1, pages: 1 }, [page(1)])).toThrow();
    expect(bank.countMemories()).toBe(1);
    bank.close();
  });

  it('keeps old versions when a source changes, marking them superseded', () => {
    const bank = MemoryBank.open(dir);
    const [v1] = bank.addDocument({ source: '/f.md', name: 'f.md', kind: 'markdown', contentHash: 'a', size: 1, pages: 1 }, [page(1)]);
    const [v2] = bank.addDocument({ source: '/f.md', name: 'f.md', kind: 'markdown', contentHash: 'b', size: 1, pages: 1 }, [page(1)]);
    expect(v2.version).toBe(2);
    expect(bank.getMemory(v1.id)).not.toBeNull();
    expect(bank.events(v1.id).map((e) => e.type)).toEqual(['created', 'superseded']);
    bank.close();
  });

  it('marks memories whose source is gone without deleting them', () => {
    const bank = MemoryBank.open(dir);
    const [m] = bank.addDocument(
      { source: '/w/a.txt', name: 'a.txt', kind: 'text', contentHash: 'a', size: 1, pages: 1, file: { path: '/w/a.txt', size: 1, mtimeMs: 5 } },
      [page(1)],
    );
    expect(bank.getFile('/w/a.txt')).toMatchObject({ contentHash: 'a', size: 1, mtimeMs: 5 });
    const gone = bank.markSourceGone('/w/a.txt');
    expect(gone.map((g) => g.id)).toEqual([m.id]);
    expect(bank.getMemory(m.id)?.sourceGone).toBe(true);
    expect(bank.getFile('/w/a.txt')).toBeNull();
    expect(bank.events(m.id).at(-1)?.type).toBe('source_gone');
    bank.close();
  });

  it('requeues jobs that were in flight when the process died', () => {
    const bank = MemoryBank.open(dir);
    bank.insertJob({ id: 'j1', source: '/a', name: 'a', mode: 'small', state: 'queued', uploadPath: null });
    bank.updateJob('j1', { state: 'encoding', pagesDone: 3 });
    bank.insertJob({ id: 'j2', source: '/b', name: 'b', mode: 'small', state: 'queued', uploadPath: null });
    bank.close();
    const reopened = MemoryBank.open(dir);
    expect(reopened.requeueInterrupted()).toBe(1);
    expect(reopened.getJob('j1')).toMatchObject({ state: 'queued', pagesDone: 0 });
    expect(reopened.nextQueuedJob()?.id).toBe('j1');
    reopened.close();
  });

  it('persists watched folders and settings', () => {
    const bank = MemoryBank.open(dir);
    bank.addWatched('/home/me/papers');
    bank.setSetting('settings', { defaultMode: 'base' });
    bank.close();
    const again = MemoryBank.open(dir);
    expect(again.watchedFolders().map((w) => w.path)).toEqual(['/home/me/papers']);
    expect(again.getSetting('settings')).toEqual({ defaultMode: 'base' });
    expect(again.removeWatched('/home/me/papers')).toBe(true);
    expect(again.watchedFolders()).toEqual([]);
    again.close();
  });
});

describe('MemoryBank row cache (what a forgetting pass reads)', () => {
  const byId = (rows: { id: string }[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id));

  it('after any mix of writes, here or from another process, the cached rows equal a fresh read', () => {
    const bank = MemoryBank.open(dir);
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const ids: string[] = [];
    for (let d = 0; d < 30; d++) ids.push(...bank.addDocument({ source: `/r/${d}.txt`, name: `${d}.txt`, kind: 'text', contentHash: `r${d}`, size: 1, pages: 2 }, [page(1), page(2)]).map((m) => m.id));
    expect(byId(bank.forgetRows())).toHaveLength(60); // cache filled
    for (let step = 0; step < 200; step++) {
      const live = bank.forgetRows().map((r) => r.id);
      const id = live[Math.floor(rand() * live.length)];
      const op = Math.floor(rand() * 6);
      if (op === 0) bank.setImportance(id, Math.floor(rand() * 11));
      else if (op === 1) bank.touch([id]);
      else if (op === 2) bank.fadeMany([{ id, to: 'gist16', data: {} }], (_i, t) => ({ tokens: t.tokens.slice(0, 16 * t.dim), count: 16, dim: t.dim }));
      else if (op === 3) bank.dropMany([{ id, data: { reason: 'test' } }]);
      else if (op === 4) ids.push(...bank.addDocument({ source: `/n/${step}.txt`, name: 'n', kind: 'text', contentHash: `n${step}`, size: 1, pages: 1 }, [page(1)]).map((m) => m.id));
      else {
        // Another process writes: the cache must notice without being told.
        const other = MemoryBank.open(dir);
        other.setImportance(id, 9);
        other.close();
      }
      if (step % 10 === 0 || op === 5) {
        const fresh = MemoryBank.open(dir);
        expect(byId(bank.forgetRows())).toEqual(byId(fresh.forgetRows()));
        fresh.close();
      }
    }
    const fresh = MemoryBank.open(dir);
    expect(byId(bank.forgetRows())).toEqual(byId(fresh.forgetRows()));
    expect(bank.totals()).toEqual(fresh.totals());
    fresh.close();
    bank.close();
  });

  it('a write rolled back leaves the cache agreeing with the bank', () => {
    const bank = MemoryBank.open(dir);
    const [m] = bank.addDocument({ source: '/a.txt', name: 'a.txt', kind: 'text', contentHash: 'a', size: 1, pages: 1 }, [page(1)]);
    bank.forgetRows();
    expect(() =>
      bank.tx(() => {
        bank.setImportance(m.id, 2);
        throw new Error('abort');
      }),
    ).toThrow('abort');
    expect(bank.forgetRows().find((r) => r.id === m.id)?.importance).toBe(5);
    bank.close();
  });

  it('dropMany and fadeMany log one event per memory with the tokens before and after, and drop emptied documents', () => {
    const bank = MemoryBank.open(dir);
    const [a, b] = bank.addDocument({ source: '/two.txt', name: 'two.txt', kind: 'text', contentHash: 'two', size: 1, pages: 2 }, [page(1), page(2)]);
    bank.fadeMany([{ id: a.id, to: 'gist16', data: { reason: 'age' } }], (_i, t) => ({ tokens: t.tokens.slice(0, 16 * t.dim), count: 16, dim: t.dim }));
    expect(bank.getMemory(a.id)).toMatchObject({ level: 'gist16', tokens: 16 });
    expect(bank.getTokens(a.id)!.count).toBe(16);
    expect(bank.events(a.id).at(-1)).toMatchObject({ type: 'faded', data: { reason: 'age', from: 'tiny', to: 'gist16', tokensBefore: 64, tokensAfter: 16 } });
    bank.dropMany([{ id: a.id, data: { reason: 'faint' } }]);
    expect(bank.getMemory(a.id)).toBeNull();
    expect(bank.findDocumentByHash('two')).not.toBeNull(); // page 2 still there
    bank.dropMany([{ id: b.id, data: { reason: 'faint' } }]);
    expect(bank.events(b.id).at(-1)).toMatchObject({ type: 'dropped', data: { reason: 'faint', from: 'tiny', to: null, tokensBefore: 64, tokensAfter: 0 } });
    expect(bank.findDocumentByHash('two')).toBeNull();
    expect(bank.totals()).toEqual({ tokens: 0, memories: 0 });
    bank.close();
  });
});
