// The chat's search index: text decoded from each memory's tokens, in FTS5 (BM25) and as n-gram vectors, in the
// bank's own file. Memories keep no text, so the index is rebuilt lazily from tokens whenever a memory's level changes.
import { join } from 'node:path';
import Database from 'libsql';
import type { Memory } from '../../contract/models.js';
import { BANK_FILE, type MemoryBank } from '../memory/MemoryBank.js';
import type { DecodeResult } from '../optical/OpticalAccess.js';
import { ngramVector, VECTOR_DIM, words } from './text.js';

type Db = InstanceType<typeof Database>;
export type DecodeFn = (memory: Memory, tokens: { tokens: Float32Array; count: number; dim: number }) => Promise<DecodeResult>;

export interface IndexedMemory {
  id: string;
  text: string;
  vec: Float32Array;
}

export interface SyncReport {
  indexed: number;
  decoded: number;
  removed: number;
  unreadable: number;
  ms: number;
  notes: string[];
}

export class ChatIndex {
  private readonly db: Db;
  private syncing: Promise<SyncReport> | null = null;
  /** Memories that could not be decoded are retried once per process, so a repaired pack is picked up on restart. */
  private readonly triedUnreadable = new Set<string>();
  private cache = new Map<string, IndexedMemory>();

  constructor(
    private readonly bank: MemoryBank,
    private readonly decode: DecodeFn,
    private readonly now: () => number = Date.now,
  ) {
    // A second connection on the bank's file (WAL): the bank's own API stays free of chat concerns.
    this.db = new Database(join(bank.dir, BANK_FILE));
    this.db.pragma('busy_timeout = 5000');
  }

  private closed = false;

  /** Waits for a sync in flight (it stops at the next memory), then lets go of the file. */
  async close(): Promise<void> {
    this.closed = true;
    await this.syncing?.catch(() => {});
    this.db.close();
  }

  /** Decode what is new or changed since the last sync; drop what the bank forgot. One sync runs at a time. */
  sync(): Promise<SyncReport> {
    if (!this.syncing) this.syncing = this.runSync().finally(() => (this.syncing = null));
    return this.syncing;
  }

  private async runSync(): Promise<SyncReport> {
    const start = performance.now();
    const rows = this.bank.forgetRows();
    const have = new Map<string, { level: string; count: number; readable: boolean }>();
    for (const r of this.db.prepare('SELECT memory_id, level, token_count, text IS NOT NULL AS readable FROM chat_index').raw().all() as unknown[][])
      have.set(String(r[0]), { level: String(r[1]), count: Number(r[2]), readable: Number(r[3]) === 1 });
    const live = new Set(rows.map((r) => r.id));
    const gone = [...have.keys()].filter((id) => !live.has(id));
    if (gone.length)
      this.tx(() => {
        for (const id of gone) this.remove(id);
      });
    let decoded = 0;
    const notes = new Set<string>();
    for (const r of rows) {
      if (this.closed) break;
      const h = have.get(r.id);
      const stale = !h || h.level !== r.level || h.count !== r.tokens;
      if (!stale && (h.readable || this.triedUnreadable.has(r.id))) continue;
      const memory = this.bank.getMemory(r.id);
      const tokens = this.bank.getTokens(r.id);
      if (!memory || !tokens) continue;
      let res: DecodeResult;
      try {
        res = await this.decode(memory, tokens);
      } catch (err) {
        res = { level: memory.level, tokens: memory.tokens, text: null, note: `decoding failed: ${(err as Error).message}` };
      }
      if (res.text === null) this.triedUnreadable.add(r.id);
      if (res.note && res.text === null) notes.add(res.note);
      this.tx(() => {
        this.remove(r.id);
        const vec = res.text ? ngramVector(res.text) : null;
        this.db
          .prepare('INSERT INTO chat_index (memory_id, level, token_count, text, vec, note, indexed_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
          .run(r.id, r.level, r.tokens, res.text, vec ? Buffer.from(vec.buffer) : null, res.note, new Date(this.now()).toISOString());
        if (res.text) this.db.prepare('INSERT INTO chat_fts (text, memory_id) VALUES (?, ?)').run(res.text, r.id);
      });
      decoded++;
    }
    const counts = this.db.prepare('SELECT COUNT(*) n, SUM(text IS NULL) u FROM chat_index').raw().get() as unknown[];
    return { indexed: Number(counts[0]), decoded, removed: gone.length, unreadable: Number(counts[1] ?? 0), ms: performance.now() - start, notes: [...notes] };
  }

  private remove(id: string): void {
    this.db.prepare('DELETE FROM chat_index WHERE memory_id = ?').run(id);
    this.db.prepare('DELETE FROM chat_fts WHERE memory_id = ?').run(id);
    this.cache.delete(id);
  }

  private tx(fn: () => void): void {
    this.db.transaction(fn)();
  }

  /** BM25 over decoded text for any of `terms` (stems are matched by FTS5's porter tokenizer): memory id -> -bm25 (higher is better). */
  bm25(terms: string[], limit = 100): Map<string, number> {
    const safe = [...new Set(terms.flatMap((t) => words(t)))].filter((t) => t.length > 0);
    if (!safe.length) return new Map();
    const q = safe.map((t) => `"${t}"${t.length >= 4 ? '*' : ''}`).join(' OR ');
    const rows = this.db.prepare('SELECT memory_id, bm25(chat_fts) s FROM chat_fts WHERE chat_fts MATCH ? ORDER BY s LIMIT ?').raw().all(q, limit) as unknown[][];
    return new Map(rows.map((r) => [String(r[0]), -Number(r[1])]));
  }

  /** Every readable memory's decoded text and vector (a bank holds thousands of pages: a scan is cheap). */
  all(): IndexedMemory[] {
    const rows = this.db.prepare('SELECT memory_id, text, vec FROM chat_index WHERE text IS NOT NULL').raw().all() as unknown[][];
    const out: IndexedMemory[] = [];
    const next = new Map<string, IndexedMemory>();
    for (const r of rows) {
      const id = String(r[0]);
      let m = this.cache.get(id);
      if (!m || m.text !== r[1]) {
        const b = r[2] as Uint8Array;
        const vec = b && b.byteLength === VECTOR_DIM * 4 ? new Float32Array(new Uint8Array(b).buffer) : ngramVector(String(r[1]));
        m = { id, text: String(r[1]), vec };
      }
      next.set(id, m);
      out.push(m);
    }
    this.cache = next;
    return out;
  }

  /** Notes on memories that could not be read back (no decoder, tokens from another pack), de-duplicated. */
  unreadableNotes(): string[] {
    const rows = this.db.prepare('SELECT DISTINCT note FROM chat_index WHERE text IS NULL AND note IS NOT NULL LIMIT 5').raw().all() as unknown[][];
    return rows.map((r) => String(r[0]));
  }
}
