// The memory bank as the renderer sees it: the loaded page memories, kept current by events, and the open detail.
// Events carry whole memories, so they are merged in place rather than reloading the list.
import type { Memory, MemoryEvent, ScoreParts } from '../../electron/contract';
import { getClient } from '../api/client';
import type { Slice } from './types';

const PAGE = 500;

export interface MemoryDetail {
  id: string;
  memory: Memory | null;
  events: MemoryEvent[];
  tokenDim: number | null;
  score: ScoreParts | null;
  /** Whether the source file is still there, as the engine saw it just now. */
  sourceExists: boolean | null;
  loading: boolean;
  error: string | null;
  /** Text decoded from its tokens at its own level; null until decoded. */
  decoded: Decoded | null;
}

/** What `memory.decode` read back from a memory's tokens at one level. */
export interface Decoded {
  id: string;
  level: string;
  tokens: number;
  text: string | null;
  note: string | null;
}

export interface MemoriesSlice {
  memories: Memory[];
  /** How many the bank holds; may exceed `memories.length` until more are loaded. */
  total: number;
  memoriesLoaded: boolean;
  detail: MemoryDetail | null;
  loadMemories(): Promise<void>;
  loadMoreMemories(): Promise<void>;
  applyMemories(memories: Memory[]): void;
  removeMemories(ids: string[]): void;
  openDetail(id: string): Promise<void>;
  /** Re-reads the open detail (score, events, source) after something changed it; decodes again if its level moved. */
  reloadDetail(): Promise<void>;
  closeDetail(): void;
  /** Pinned memories are never faded or dropped; unpinning restores the importance they had. */
  pinMemory(id: string, pinned: boolean): Promise<void>;
  setImportance(id: string, importance: number): Promise<void>;
  /** Re-encode from the source file at full fidelity (only where the source still exists). */
  refreshMemory(id: string): Promise<void>;
}

/** Newest document first, its pages in order: a document's cards stay together. */
export function sortMemories(memories: Memory[]): Memory[] {
  const docStart = new Map<string, string>();
  for (const m of memories) {
    const seen = docStart.get(m.documentId);
    if (seen === undefined || m.createdAt < seen) docStart.set(m.documentId, m.createdAt);
  }
  return [...memories].sort((a, b) => {
    const da = docStart.get(a.documentId)!;
    const db = docStart.get(b.documentId)!;
    if (da !== db) return da < db ? 1 : -1;
    if (a.documentId !== b.documentId) return a.documentId < b.documentId ? -1 : 1;
    return a.page - b.page;
  });
}

export const createMemoriesSlice: Slice<MemoriesSlice> = (set, get) => {
  /** Reads the detail's text from its tokens; slow on a big decoder, so it lands after the rest. */
  async function decodeDetail(id: string) {
    try {
      const d = await getClient().call('memory.decode', { id });
      if (get().detail?.id === id) set({ detail: { ...get().detail!, decoded: d } });
    } catch (err) {
      if (get().detail?.id === id) set({ detail: { ...get().detail!, decoded: { id, level: get().detail!.memory?.level ?? '', tokens: 0, text: null, note: err instanceof Error ? err.message : String(err) } } });
    }
  }

  /** Every change answers with the whole memory: merge it, then re-read what depends on it. */
  async function changeMemory(what: string, call: () => Promise<{ memory: Memory }>): Promise<boolean> {
    try {
      const { memory } = await call();
      get().applyMemories([memory]);
      if (get().detail?.id === memory.id) await get().reloadDetail();
      await get().refreshTimeline();
      return true;
    } catch (err) {
      get().fail(what, err);
      return false;
    }
  }

  return {
    memories: [],
    total: 0,
    memoriesLoaded: false,
    detail: null,
    async loadMemories() {
      try {
        const limit = Math.max(PAGE, get().memories.length);
        const { memories, total } = await getClient().call('memory.list', { limit: Math.min(limit, 5000), offset: 0 });
        set({ memories: sortMemories(memories), total, memoriesLoaded: true });
      } catch (err) {
        get().fail('Could not load memories', err);
      }
    },
    async loadMoreMemories() {
      try {
        const { memories, total } = await getClient().call('memory.list', { limit: PAGE, offset: get().memories.length });
        const known = new Set(get().memories.map((m) => m.id));
        set({ memories: sortMemories([...get().memories, ...memories.filter((m) => !known.has(m.id))]), total });
      } catch (err) {
        get().fail('Could not load more memories', err);
      }
    },
    applyMemories(incoming) {
      if (incoming.length === 0) return;
      const byId = new Map(get().memories.map((m) => [m.id, m]));
      let added = 0;
      for (const m of incoming) {
        if (!byId.has(m.id)) added++;
        byId.set(m.id, m);
      }
      const detail = get().detail;
      const fresh = detail && incoming.find((m) => m.id === detail.id);
      set({
        memories: sortMemories([...byId.values()]),
        total: get().total + added,
        ...(fresh ? { detail: { ...detail, memory: fresh } } : {}),
      });
    },
    removeMemories(ids) {
      if (ids.length === 0) return;
      const gone = new Set(ids);
      const memories = get().memories.filter((m) => !gone.has(m.id));
      const removed = get().memories.length - memories.length;
      set({ memories, total: Math.max(0, get().total - removed), ...(get().detail && gone.has(get().detail!.id) ? { detail: null } : {}) });
    },
    async openDetail(id) {
      const cached = get().memories.find((m) => m.id === id) ?? null;
      set({ panel: null, detail: { id, memory: cached, events: [], tokenDim: null, score: null, sourceExists: null, loading: true, error: null, decoded: null } });
      await get().reloadDetail();
    },
    async reloadDetail() {
      const id = get().detail?.id;
      if (!id) return;
      try {
        const { memory, events, tokenDim, score, sourceExists } = await getClient().call('memory.get', { id });
        const now = get().detail;
        if (now?.id !== id) return;
        const decoded = now.decoded && now.decoded.level === memory.level ? now.decoded : null;
        set({ detail: { id, memory, events, tokenDim, score, sourceExists, loading: false, error: null, decoded } });
        if (!decoded) await decodeDetail(id);
      } catch (err) {
        if (get().detail?.id !== id) return;
        set({ detail: { ...get().detail!, loading: false, error: err instanceof Error ? err.message : String(err) } });
      }
    },
    closeDetail: () => set({ detail: null }),
    async pinMemory(id, pinned) {
      await changeMemory(pinned ? 'Could not pin' : 'Could not unpin', () => getClient().call('memory.pin', { id, pinned }));
    },
    async setImportance(id, importance) {
      await changeMemory('Could not change importance', () => getClient().call('memory.setImportance', { id, importance }));
    },
    async refreshMemory(id) {
      if (await changeMemory('Could not refresh from the source', () => getClient().call('memory.refresh', { id }))) get().notify('Refreshed from its source at full detail');
    },
  };
};
