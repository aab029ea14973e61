// The memory bank: one libsql (SQLite, WAL) file holding documents, per-page memories, their fp16 vision
// tokens and an append-only event log. Every write that belongs together is one transaction, so a killed process never leaves half a document.
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'libsql';
import type { JobState, Memory, MemoryEvent, Mode, PageKind, Stats, WatchedFolder } from '../../contract/models.js';
import { EngramError } from '../../contract/errors.js';
import { migrations } from './schema.js';
import { decodeFp16, encodeFp16 } from './fp16.js';

type Row = Record<string, unknown>;
type Db = InstanceType<typeof Database>;
type Statement = ReturnType<Db['prepare']> & { run(...params: unknown[]): unknown; get(...params: unknown[]): unknown };

export const BANK_FILE = 'engram.db';

export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(8).toString('hex')}`;
}

export interface NewPage {
  page: number;
  kind: PageKind;
  mode: Mode;
  level: string;
  tokens: Float32Array;
  count: number;
  dim: number;
  thumbnail: Buffer | null;
  phash?: string | null;
}

export interface NewDocument {
  source: string;
  name: string;
  kind: PageKind;
  contentHash: string;
  size: number;
  pages: number;
  /** Remember where the file stood so a restart of the watcher can skip it unchanged. */
  file?: { path: string; size: number; mtimeMs: number };
}

export interface JobRow {
  id: string;
  source: string;
  name: string;
  mode: Mode;
  state: JobState;
  pagesDone: number;
  pagesTotal: number | null;
  error: string | null;
  memoryIds: string[];
  uploadPath: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ForgetRow {
  id: string;
  documentId: string;
  source: string;
  name: string;
  page: number;
  kind: PageKind;
  mode: Mode;
  level: string;
  tokens: number;
  importance: number;
  /** Epoch milliseconds. */
  createdAt: number;
  lastAccessAt: number | null;
  accessCount: number;
  phash: string | null;
}

export interface FileRow {
  path: string;
  contentHash: string;
  size: number;
  mtimeMs: number;
  documentId: string | null;
}

const FORGET_SELECT = `SELECT m.id, m.document_id, d.source, d.name, m.page, m.kind, m.mode, m.level, m.token_count, m.importance,
         CAST(unixepoch(m.created_at, 'subsec') * 1000 AS INTEGER),
         CAST(unixepoch(m.last_access_at, 'subsec') * 1000 AS INTEGER), m.access_count, m.phash
  FROM memories m JOIN documents d ON d.id = m.document_id`;

function forgetRow(r: unknown[]): ForgetRow {
  return {
    id: r[0] as string,
    documentId: r[1] as string,
    source: r[2] as string,
    name: r[3] as string,
    page: r[4] as number,
    kind: r[5] as PageKind,
    mode: r[6] as Mode,
    level: r[7] as string,
    tokens: r[8] as number,
    importance: r[9] as number,
    createdAt: r[10] as number,
    lastAccessAt: (r[11] as number | null) ?? null,
    accessCount: r[12] as number,
    phash: (r[13] as string | null) ?? null,
  };
}

const MEMORY_SELECT = `
  SELECT m.*, d.source, d.name, d.pages, d.version, d.source_gone, d.content_hash
  FROM memories m JOIN documents d ON d.id = m.document_id`;

export class MemoryBank {
  private rowCache: Map<string, ForgetRow> | null = null;
  private readonly rowDirty = new Set<string>();
  private rowVersion = -1;
  private readonly stmts = new Map<string, Statement>();

  private constructor(
    private readonly db: Db,
    readonly dir: string,
    private readonly now: () => Date,
  ) {}

  static open(dir: string, opts: { now?: () => Date } = {}): MemoryBank {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, BANK_FILE);
    let db: Db;
    try {
      db = new Database(path);
      db.pragma('journal_mode = WAL');
    } catch (err) {
      throw new EngramError('internal', `cannot open the memory bank at ${path}: ${(err as Error).message}`);
    }
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // 64 MB of page cache (SQLite's default is 2 MB): a forgetting pass over a big bank touches pages all over it.
    db.pragma('cache_size = -65536');
    const bank = new MemoryBank(db, dir, opts.now ?? (() => new Date()));
    bank.migrate();
    return bank;
  }

  get schemaVersion(): number {
    return Number((this.db.prepare('PRAGMA user_version').get() as Row).user_version);
  }

  private migrate(): void {
    const from = this.schemaVersion;
    if (from > migrations.length)
      throw new EngramError('internal', `the memory bank is schema v${from}, newer than this Engram (v${migrations.length}); update Engram`);
    for (let v = from; v < migrations.length; v++) {
      this.tx(() => {
        this.db.exec(migrations[v]);
        this.db.pragma(`user_version = ${v + 1}`);
      });
    }
  }

  private depth = 0;

  /** Run `fn` in a transaction; nested calls join the outer one (SQLite has no nested BEGIN). */
  tx<T>(fn: () => T): T {
    if (this.depth > 0) return fn();
    this.depth++;
    try {
      return this.db.transaction(fn)();
    } finally {
      this.depth--;
    }
  }

  close(): void {
    this.db.close();
  }

  private iso(): string {
    return this.now().toISOString();
  }

  // ---- documents and memories ----

  findDocumentByHash(hash: string): { id: string; memoryIds: string[] } | null {
    const doc = this.db.prepare('SELECT id FROM documents WHERE content_hash = ?').get(hash) as Row | undefined;
    if (!doc) return null;
    const ids = this.db.prepare('SELECT id FROM memories WHERE document_id = ? ORDER BY page').all(doc.id) as Row[];
    return { id: String(doc.id), memoryIds: ids.map((r) => String(r.id)) };
  }

  /** Store a whole document, its pages' tokens and their 'created' events in one transaction. */
  addDocument(doc: NewDocument, pages: NewPage[]): Memory[] {
    const at = this.iso();
    const ids = this.tx(() => {
      const prev = this.db
        .prepare('SELECT MAX(version) v FROM documents WHERE source = ?')
        .get(doc.source) as Row | undefined;
      const version = Number(prev?.v ?? 0) + 1;
      const documentId = newId('d');
      this.db
        .prepare(
          `INSERT INTO documents (id, source, name, kind, content_hash, size, version, pages, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(documentId, doc.source, doc.name, doc.kind, doc.contentHash, doc.size, version, doc.pages, at);
      // The version before this one is superseded (older ones were, when it came). Screen captures of one window
      // are not versions of a file, so they skip this: a day of captures would otherwise log quadratically.
      if (version > 1 && doc.kind !== 'screenshot') {
        const older = this.db
          .prepare(`SELECT m.id FROM memories m JOIN documents d ON d.id = m.document_id WHERE d.source = ? AND d.version = ?`)
          .all(doc.source, version - 1) as Row[];
        for (const r of older) this.event(String(r.id), 'superseded', { by: documentId, version }, at);
      }
      const insertMemory = this.db.prepare(
        `INSERT INTO memories (id, document_id, page, kind, mode, level, token_count, token_dim, created_at, thumbnail, phash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const insertTokens = this.db.prepare('INSERT INTO tokens (memory_id, data) VALUES (?, ?)');
      const ids: string[] = [];
      for (const p of pages) {
        const id = newId('m');
        insertMemory.run(id, documentId, p.page, p.kind, p.mode, p.level, p.count, p.dim, at, p.thumbnail, p.phash ?? null);
        this.dirty(id);
        insertTokens.run(id, encodeFp16(p.tokens));
        // Events describe themselves, so the timeline can replay memories that have since been dropped.
        this.event(
          id,
          'created',
          { source: doc.source, name: doc.name, page: p.page, kind: p.kind, mode: p.mode, level: p.level, importance: 5, tokensBefore: 0, tokensAfter: p.count },
          at,
        );
        ids.push(id);
      }
      if (doc.file) this.recordFile({ ...doc.file, contentHash: doc.contentHash, documentId });
      return ids;
    });
    return ids.map((id) => this.getMemory(id)!);
  }

  listMemories(limit = 500, offset = 0): { memories: Memory[]; total: number } {
    const rows = this.db
      .prepare(`${MEMORY_SELECT} ORDER BY m.created_at DESC, d.source, m.page LIMIT ? OFFSET ?`)
      .all(limit, offset) as Row[];
    return { memories: rows.map(toMemory), total: this.countMemories() };
  }

  countMemories(): number {
    return Number((this.db.prepare('SELECT COUNT(*) n FROM memories').get() as Row).n);
  }

  getMemory(id: string): Memory | null {
    const row = this.db.prepare(`${MEMORY_SELECT} WHERE m.id = ?`).get(id) as Row | undefined;
    return row ? toMemory(row) : null;
  }

  getTokens(id: string): { tokens: Float32Array; count: number; dim: number } | null {
    const row = this.stmt('SELECT t.data, m.token_count, m.token_dim FROM tokens t JOIN memories m ON m.id = t.memory_id WHERE t.memory_id = ?').get(id) as Row | undefined;
    if (!row) return null;
    return { tokens: decodeFp16(row.data as Uint8Array), count: Number(row.token_count), dim: Number(row.token_dim) };
  }

  events(memoryId: string): MemoryEvent[] {
    const rows = this.db.prepare('SELECT * FROM events WHERE memory_id = ? ORDER BY id').all(memoryId) as Row[];
    return rows.map(toEvent);
  }

  allEvents(sinceId = 0, limit = 10_000): MemoryEvent[] {
    const rows = this.db.prepare('SELECT * FROM events WHERE id > ? ORDER BY id LIMIT ?').all(sinceId, limit) as Row[];
    return rows.map(toEvent);
  }

  event(memoryId: string | null, type: MemoryEvent['type'], data: Record<string, unknown>, at = this.iso()): void {
    this.stmt('INSERT INTO events (at, memory_id, type, data) VALUES (?, ?, ?, ?)').run(at, memoryId, type, JSON.stringify(data));
  }

  /** The file at `source` is gone: its memories stay, marked so. Returns the memories marked. */
  markSourceGone(source: string): Memory[] {
    const at = this.iso();
    const ids = this.tx(() => {
      const docs = this.db.prepare('SELECT id FROM documents WHERE source = ? AND source_gone = 0').all(source) as Row[];
      const ids: string[] = [];
      for (const d of docs) {
        this.db.prepare('UPDATE documents SET source_gone = 1 WHERE id = ?').run(d.id);
        const ms = this.db.prepare('SELECT id FROM memories WHERE document_id = ?').all(d.id) as Row[];
        for (const m of ms) {
          this.event(String(m.id), 'source_gone', { source }, at);
          ids.push(String(m.id));
        }
      }
      this.db.prepare('DELETE FROM files WHERE path = ?').run(source);
      return ids;
    });
    return ids.map((id) => this.getMemory(id)!);
  }

  /** A source that came back (same path re-added) is no longer gone. */
  markSourcePresent(source: string): void {
    this.db.prepare('UPDATE documents SET source_gone = 0 WHERE source = ?').run(source);
  }

  stats(): Stats {
    const m = this.db.prepare('SELECT COUNT(*) n, COALESCE(SUM(token_count), 0) t FROM memories').get() as Row;
    const d = this.db.prepare('SELECT COUNT(*) n FROM documents').get() as Row;
    return {
      memories: Number(m.n),
      documents: Number(d.n),
      pages: Number(m.n),
      tokens: Number(m.t),
      diskBytes: this.diskBytes(),
    };
  }

  diskBytes(): number {
    let total = 0;
    for (const f of [BANK_FILE, `${BANK_FILE}-wal`, `${BANK_FILE}-shm`]) {
      try {
        total += statSync(join(this.dir, f)).size;
      } catch {
        // the WAL and shm files come and go with checkpoints
      }
    }
    return total;
  }

  // ---- forgetting ----

  /** Every memory's metadata, as the forgetting pass plans over it (no tokens, no thumbnails). Dates come out of
   *  SQLite as epoch milliseconds: parsing 100,000 ISO strings in JS would cost more than the whole plan. */
  /**
   * Every memory's metadata for the forgetting pass. Reading 100,000 rows through N-API costs most of a second, so
   * the rows are kept in memory: this connection's own writes mark the rows they touch, and a write by another
   * process (PRAGMA data_version moves) reloads them all. The objects are shared: callers must not change them.
   */
  forgetRows(): ForgetRow[] {
    const version = Number((this.db.prepare('PRAGMA data_version').raw().get() as unknown[])[0]);
    // Past a fifth of the bank, one full read is cheaper than reading the changed rows by id.
    if (!this.rowCache || version !== this.rowVersion || this.rowDirty.size > this.rowCache.size / 5) {
      const rows = this.db.prepare(FORGET_SELECT).raw().all() as unknown[][];
      this.rowCache = new Map();
      for (const r of rows) this.rowCache.set(r[0] as string, forgetRow(r));
      this.rowVersion = version;
      this.rowDirty.clear();
    } else if (this.rowDirty.size) {
      const ids = [...this.rowDirty];
      this.rowDirty.clear();
      for (let i = 0; i < ids.length; i += 500) {
        const part = ids.slice(i, i + 500);
        const found = new Set<string>();
        const rows = this.db.prepare(`${FORGET_SELECT} WHERE m.id IN (${part.map(() => '?').join(',')})`).raw().all(...part) as unknown[][];
        for (const r of rows) {
          found.add(r[0] as string);
          this.rowCache.set(r[0] as string, forgetRow(r));
        }
        for (const id of part) if (!found.has(id)) this.rowCache.delete(id);
      }
    }
    return [...this.rowCache.values()];
  }

  /** A write touched these memories: the row cache re-reads them on its next use (rolled back or not). */
  private dirty(id: string): void {
    if (this.rowCache) this.rowDirty.add(id);
  }

  /** One prepared statement per SQL text, for the statements a forgetting pass runs thousands of times. */
  private stmt(sql: string): Statement {
    let st = this.stmts.get(sql);
    if (!st) this.stmts.set(sql, (st = this.db.prepare(sql) as Statement));
    return st;
  }

  totals(): { tokens: number; memories: number } {
    const r = this.db.prepare('SELECT COUNT(*) n, COALESCE(SUM(token_count), 0) t FROM memories').get() as Row;
    return { tokens: Number(r.t), memories: Number(r.n) };
  }

  /** Replace a memory's tokens (a fade down the ladder, or a refresh back up) and log it, atomically with the caller's other writes. */
  setTokens(id: string, level: string, tokens: Float32Array, count: number, dim: number, type: 'faded' | 'refreshed', data: Record<string, unknown>, at = this.iso()): void {
    const before = this.stmt('SELECT level, token_count FROM memories WHERE id = ?').get(id) as Row | undefined;
    if (!before) throw new EngramError('not_found', `no memory ${id}`);
    this.dirty(id);
    this.stmt('UPDATE memories SET level = ?, token_count = ?, token_dim = ? WHERE id = ?').run(level, count, dim, id);
    this.stmt('UPDATE tokens SET data = ? WHERE memory_id = ?').run(encodeFp16(tokens), id);
    this.event(id, type, { ...data, from: before.level, to: level, tokensBefore: Number(before.token_count), tokensAfter: count }, at);
  }

  /**
   * Fade many memories at once (a forgetting pass): tokens read and written, rows updated and events logged in
   * statements of a few hundred rows each rather than five statements a memory. `fade` maps old tokens to new.
   */
  fadeMany(
    items: readonly { id: string; to: string; data: Record<string, unknown> }[],
    fade: (id: string, t: { tokens: Float32Array; count: number; dim: number; level: string }, to: string) => { tokens: Float32Array; count: number; dim: number },
    at = this.iso(),
  ): string[] {
    const done: string[] = [];
    const B = 200;
    this.tx(() => {
      for (let i = 0; i < items.length; i += B) {
        const part = items.slice(i, i + B);
        const marks = part.map(() => '?').join(',');
        const rows = this.db
          .prepare(`SELECT m.id, m.level, m.token_count, m.token_dim, t.data FROM memories m JOIN tokens t ON t.memory_id = m.id WHERE m.id IN (${marks})`)
          .raw()
          .all(...part.map((p) => p.id)) as unknown[][];
        const have = new Map(rows.map((r) => [r[0] as string, r]));
        const tokenArgs: unknown[] = [];
        const eventArgs: unknown[] = [];
        const byLevel = new Map<string, { count: number; dim: number; ids: string[] }>();
        for (const item of part) {
          const r = have.get(item.id);
          if (!r) continue;
          const from = r[1] as string;
          const next = fade(item.id, { tokens: decodeFp16(r[4] as Uint8Array), count: Number(r[2]), dim: Number(r[3]), level: from }, item.to);
          const key = `${item.to}|${next.count}|${next.dim}`;
          const g = byLevel.get(key) ?? { count: next.count, dim: next.dim, ids: [] };
          g.ids.push(item.id);
          byLevel.set(key, g);
          tokenArgs.push(item.id, encodeFp16(next.tokens));
          eventArgs.push(at, item.id, 'faded', JSON.stringify({ ...item.data, from, to: item.to, tokensBefore: Number(r[2]), tokensAfter: next.count }));
          this.dirty(item.id);
          done.push(item.id);
        }
        if (!tokenArgs.length) continue;
        for (const [key, g] of byLevel)
          this.db.prepare(`UPDATE memories SET level = ?, token_count = ?, token_dim = ? WHERE id IN (${g.ids.map(() => '?').join(',')})`).run(key.split('|')[0], g.count, g.dim, ...g.ids);
        const n = tokenArgs.length / 2;
        this.db
          .prepare(`INSERT INTO tokens (memory_id, data) VALUES ${Array(n).fill('(?, ?)').join(',')} ON CONFLICT(memory_id) DO UPDATE SET data = excluded.data`)
          .run(...tokenArgs);
        this.db.prepare(`INSERT INTO events (at, memory_id, type, data) VALUES ${Array(n).fill('(?, ?, ?, ?)').join(',')}`).run(...eventArgs);
      }
    });
    return done;
  }

  /** deleteMemory for many memories (a forgetting pass's drops), a few hundred rows a statement. */
  dropMany(items: readonly { id: string; data: Record<string, unknown> }[], at = this.iso()): string[] {
    const done: string[] = [];
    const B = 200;
    this.tx(() => {
      for (let i = 0; i < items.length; i += B) {
        const part = items.slice(i, i + B);
        const rows = this.db
          .prepare(`SELECT id, level, token_count, document_id FROM memories WHERE id IN (${part.map(() => '?').join(',')})`)
          .raw()
          .all(...part.map((p) => p.id)) as unknown[][];
        if (!rows.length) continue;
        const have = new Map(rows.map((r) => [r[0] as string, r]));
        const ids: string[] = [];
        const eventArgs: unknown[] = [];
        const docs = new Set<string>();
        for (const item of part) {
          const r = have.get(item.id);
          if (!r) continue;
          ids.push(item.id);
          docs.add(r[3] as string);
          eventArgs.push(at, item.id, 'dropped', JSON.stringify({ ...item.data, from: r[1], to: null, tokensBefore: Number(r[2]), tokensAfter: 0 }));
          this.dirty(item.id);
        }
        const marks = ids.map(() => '?').join(',');
        this.db.prepare(`DELETE FROM tokens WHERE memory_id IN (${marks})`).run(...ids);
        this.db.prepare(`DELETE FROM memories WHERE id IN (${marks})`).run(...ids);
        this.db.prepare(`INSERT INTO events (at, memory_id, type, data) VALUES ${Array(ids.length).fill('(?, ?, ?, ?)').join(',')}`).run(...eventArgs);
        // Documents whose every page is now forgotten go too, so their content can be remembered afresh.
        const d = [...docs];
        const empty = (
          this.db
            .prepare(`SELECT id FROM documents WHERE id IN (${d.map(() => '?').join(',')}) AND NOT EXISTS (SELECT 1 FROM memories m WHERE m.document_id = documents.id)`)
            .raw()
            .all(...d) as unknown[][]
        ).map((r) => r[0] as string);
        if (empty.length) {
          const em = empty.map(() => '?').join(',');
          this.db.prepare(`DELETE FROM files WHERE document_id IN (${em})`).run(...empty);
          this.db.prepare(`DELETE FROM documents WHERE id IN (${em})`).run(...empty);
        }
        done.push(...ids);
      }
    });
    return done;
  }

  /** Forget a memory for good: its row, tokens and thumbnail go; the event log keeps what it was. */
  deleteMemory(id: string, type: 'dropped' | 'merged', data: Record<string, unknown>, at = this.iso()): void {
    const m = this.stmt('SELECT level, token_count, document_id FROM memories WHERE id = ?').get(id) as Row | undefined;
    if (!m) return;
    this.dirty(id);
    this.stmt('DELETE FROM tokens WHERE memory_id = ?').run(id);
    this.stmt('DELETE FROM memories WHERE id = ?').run(id);
    this.event(id, type, { ...data, from: m.level, to: null, tokensBefore: Number(m.token_count), tokensAfter: 0 }, at);
    // A document whose every page is forgotten goes too, so its content can be remembered afresh if seen again.
    const left = this.stmt('SELECT COUNT(*) n FROM memories WHERE document_id = ?').get(m.document_id) as Row;
    if (Number(left.n) === 0) {
      this.stmt('DELETE FROM files WHERE document_id = ?').run(m.document_id);
      this.stmt('DELETE FROM documents WHERE id = ?').run(m.document_id);
    }
  }

  setImportance(id: string, importance: number, at = this.iso()): Memory {
    const m = this.getMemory(id);
    if (!m) throw new EngramError('not_found', `no memory ${id}`);
    if (m.importance !== importance) {
      this.tx(() => {
        this.dirty(id);
        this.db.prepare('UPDATE memories SET importance = ? WHERE id = ?').run(importance, id);
        this.event(id, 'importance_changed', { from: m.importance, to: importance }, at);
      });
    }
    return this.getMemory(id)!;
  }

  /** A merge keeps the survivor's tokens and takes the larger importance and the sum of uses. */
  absorb(intoId: string, fromId: string): void {
    const from = this.db.prepare('SELECT importance, access_count, last_access_at FROM memories WHERE id = ?').get(fromId) as Row | undefined;
    if (!from) return;
    this.dirty(intoId);
    this.db
      .prepare(
        `UPDATE memories SET importance = MAX(importance, ?), access_count = access_count + ?,
           last_access_at = CASE WHEN last_access_at IS NULL OR last_access_at < ? THEN ? ELSE last_access_at END WHERE id = ?`,
      )
      .run(from.importance, from.access_count, from.last_access_at, from.last_access_at, intoId);
  }

  /** Memories put into an answer: each counts as a use. */
  touch(ids: string[], at = this.iso()): void {
    this.tx(() => {
      for (const id of ids) {
        this.dirty(id);
        if (this.db.prepare('UPDATE memories SET last_access_at = ?, access_count = access_count + 1 WHERE id = ?').run(at, id).changes)
          this.event(id, 'accessed', {}, at);
      }
    });
  }

  firstEventAt(): string | null {
    const r = this.db.prepare('SELECT MIN(at) a FROM events').get() as Row | undefined;
    return (r?.a as string | null) ?? null;
  }

  /** Events that change what the bank holds, in order, for replaying the timeline. */
  timelineEvents(until?: string): MemoryEvent[] {
    const types = "('created', 'faded', 'refreshed', 'dropped', 'merged', 'importance_changed')";
    const rows = (until
      ? this.db.prepare(`SELECT * FROM events WHERE type IN ${types} AND at <= ? ORDER BY id`).all(until)
      : this.db.prepare(`SELECT * FROM events WHERE type IN ${types} ORDER BY id`).all()) as Row[];
    return rows.map(toEvent);
  }

  // ---- files seen by the watcher ----

  getFile(path: string): FileRow | null {
    const r = this.db.prepare('SELECT * FROM files WHERE path = ?').get(path) as Row | undefined;
    return r
      ? { path: String(r.path), contentHash: String(r.content_hash), size: Number(r.size), mtimeMs: Number(r.mtime_ms), documentId: (r.document_id as string) ?? null }
      : null;
  }

  recordFile(f: FileRow): void {
    this.db
      .prepare(
        `INSERT INTO files (path, content_hash, size, mtime_ms, document_id) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(path) DO UPDATE SET content_hash = excluded.content_hash, size = excluded.size,
           mtime_ms = excluded.mtime_ms, document_id = excluded.document_id`,
      )
      .run(f.path, f.contentHash, f.size, f.mtimeMs, f.documentId);
  }

  // ---- watched folders ----

  watchedFolders(): { path: string; addedAt: string }[] {
    return (this.db.prepare('SELECT * FROM watched ORDER BY added_at').all() as Row[]).map((r) => ({
      path: String(r.path),
      addedAt: String(r.added_at),
    }));
  }

  addWatched(path: string): { path: string; addedAt: string } {
    const at = this.iso();
    this.db.prepare('INSERT INTO watched (path, added_at) VALUES (?, ?) ON CONFLICT(path) DO NOTHING').run(path, at);
    return this.watchedFolders().find((w) => w.path === path)!;
  }

  removeWatched(path: string): boolean {
    return this.db.prepare('DELETE FROM watched WHERE path = ?').run(path).changes > 0;
  }

  // ---- settings ----

  getSetting<T>(key: string): T | undefined {
    const r = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as Row | undefined;
    return r ? (JSON.parse(String(r.value)) as T) : undefined;
  }

  setSetting(key: string, value: unknown): void {
    this.db
      .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      .run(key, JSON.stringify(value));
  }

  // ---- the persistent ingest queue ----

  insertJob(j: Omit<JobRow, 'createdAt' | 'updatedAt' | 'pagesDone' | 'pagesTotal' | 'error' | 'memoryIds'>): JobRow {
    const at = this.iso();
    const seq = Number((this.db.prepare('SELECT COALESCE(MAX(seq), 0) + 1 s FROM jobs').get() as Row).s);
    this.db
      .prepare(
        `INSERT INTO jobs (id, seq, source, name, mode, state, upload_path, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(j.id, seq, j.source, j.name, j.mode, j.state, j.uploadPath, at, at);
    return this.getJob(j.id)!;
  }

  updateJob(id: string, patch: Partial<Pick<JobRow, 'state' | 'pagesDone' | 'pagesTotal' | 'error' | 'memoryIds'>>): JobRow {
    const cols: string[] = [];
    const vals: unknown[] = [];
    const map: Record<string, string> = { state: 'state', pagesDone: 'pages_done', pagesTotal: 'pages_total', error: 'error', memoryIds: 'memory_ids' };
    for (const [k, v] of Object.entries(patch)) {
      cols.push(`${map[k]} = ?`);
      vals.push(k === 'memoryIds' ? JSON.stringify(v) : v);
    }
    cols.push('updated_at = ?');
    vals.push(this.iso());
    this.db.prepare(`UPDATE jobs SET ${cols.join(', ')} WHERE id = ?`).run(...vals, id);
    return this.getJob(id)!;
  }

  getJob(id: string): JobRow | null {
    const r = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as Row | undefined;
    return r ? toJob(r) : null;
  }

  jobs(): JobRow[] {
    return (this.db.prepare('SELECT * FROM jobs ORDER BY seq').all() as Row[]).map(toJob);
  }

  nextQueuedJob(): JobRow | null {
    const r = this.db.prepare(`SELECT * FROM jobs WHERE state = 'queued' ORDER BY seq LIMIT 1`).get() as Row | undefined;
    return r ? toJob(r) : null;
  }

  /** After a crash, work that was in flight goes back to the queue; the document transaction either landed or did not. */
  requeueInterrupted(): number {
    return this.db
      .prepare(`UPDATE jobs SET state = 'queued', pages_done = 0, updated_at = ? WHERE state IN ('rendering', 'encoding')`)
      .run(this.iso()).changes;
  }

  deleteFinishedJobs(): number {
    return this.db.prepare(`DELETE FROM jobs WHERE state IN ('ready', 'failed', 'cancelled', 'skipped')`).run().changes;
  }
}

function toMemory(r: Row): Memory {
  const thumb = r.thumbnail as Uint8Array | null;
  return {
    id: String(r.id),
    documentId: String(r.document_id),
    source: String(r.source),
    name: String(r.name),
    page: Number(r.page),
    pages: Number(r.pages),
    kind: r.kind as PageKind,
    mode: r.mode as Mode,
    level: String(r.level),
    tokens: Number(r.token_count),
    importance: Number(r.importance),
    createdAt: String(r.created_at),
    lastAccessAt: (r.last_access_at as string | null) ?? null,
    accessCount: Number(r.access_count),
    version: Number(r.version),
    sourceGone: Number(r.source_gone) === 1,
    contentHash: String(r.content_hash),
    thumbnail: thumb ? `data:image/png;base64,${Buffer.from(thumb).toString('base64')}` : null,
  };
}

function toEvent(r: Row): MemoryEvent {
  return {
    id: Number(r.id),
    at: String(r.at),
    memoryId: (r.memory_id as string | null) ?? null,
    type: r.type as MemoryEvent['type'],
    data: JSON.parse(String(r.data)) as Record<string, unknown>,
  };
}

function toJob(r: Row): JobRow {
  return {
    id: String(r.id),
    source: String(r.source),
    name: String(r.name),
    mode: r.mode as Mode,
    state: r.state as JobState,
    pagesDone: Number(r.pages_done),
    pagesTotal: r.pages_total === null ? null : Number(r.pages_total),
    error: (r.error as string | null) ?? null,
    memoryIds: JSON.parse(String(r.memory_ids)) as string[],
    uploadPath: (r.upload_path as string | null) ?? null,
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
  };
}

export type { WatchedFolder };
