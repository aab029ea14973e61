// Watches the persisted folders with chokidar and feeds the ingest queue: add and change ingest (a change is a
// new version), unlink marks memories "source gone". Unchanged files (same size and mtime as last ingested) are skipped at start-up.
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import chokidar, { type FSWatcher } from 'chokidar';
import { EngramError } from '../../contract/errors.js';
import type { Memory, Mode, WatchedFolder } from '../../contract/models.js';
import type { MemoryBank } from '../memory/MemoryBank.js';
import type { IngestQueue } from './IngestQueue.js';
import { isSupportedName } from './IngestQueue.js';
import { isIgnoredName } from './walk.js';

export interface FolderWatcherOptions {
  bank: MemoryBank;
  queue: IngestQueue;
  mode: () => Mode;
  onChange?: (folders: WatchedFolder[]) => void;
  onSourceGone?: (memories: Memory[]) => void;
  /** How long a file's size must hold still before it counts as written (chokidar's awaitWriteFinish). */
  stabilityMs?: number;
}

/** The longest `add` waits for a new folder's first scan. */
const READY_WAIT_MS = 15_000;

interface Watch {
  watcher: FSWatcher;
  status: WatchedFolder['status'];
  error: string | null;
  ready: Promise<void>;
}

export class FolderWatcher {
  private watches = new Map<string, Watch>();

  constructor(private readonly o: FolderWatcherOptions) {}

  /** Resume watching every persisted folder. */
  async start(): Promise<void> {
    await Promise.all(this.o.bank.watchedFolders().map((w) => this.watch(w.path)));
  }

  async add(path: string): Promise<WatchedFolder> {
    const dir = resolve(path);
    const st = await stat(dir).catch(() => null);
    if (!st) throw new EngramError('bad_input', `folder not found: ${dir}`);
    if (!st.isDirectory()) throw new EngramError('bad_input', `not a folder: ${dir}`);
    this.o.bank.addWatched(dir);
    const entry = await this.watch(dir);
    // Until chokidar's first scan is done, a file written into the folder can slip between its listing and its
    // watch, and be missed. Adding returns once the folder is really watched (a huge folder stops waiting after
    // READY_WAIT_MS, and its scan goes on).
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([entry.ready, new Promise<void>((r) => (timer = setTimeout(r, READY_WAIT_MS)))]);
    clearTimeout(timer);
    this.changed();
    return this.list().find((f) => f.path === dir)!;
  }

  async remove(path: string): Promise<void> {
    const dir = resolve(path);
    if (!this.o.bank.removeWatched(dir)) throw new EngramError('not_found', `not a watched folder: ${dir}`);
    await this.watches.get(dir)?.watcher.close();
    this.watches.delete(dir);
    this.changed();
  }

  list(): WatchedFolder[] {
    return this.o.bank.watchedFolders().map((w) => {
      const live = this.watches.get(w.path);
      return { path: w.path, addedAt: w.addedAt, status: live?.status ?? 'missing', error: live?.error ?? null };
    });
  }

  /** Resolves once every folder's initial scan has been seen. */
  async ready(): Promise<void> {
    await Promise.all([...this.watches.values()].map((w) => w.ready));
  }

  async close(): Promise<void> {
    await Promise.all([...this.watches.values()].map((w) => w.watcher.close()));
    this.watches.clear();
  }

  private async watch(dir: string): Promise<Watch> {
    const have = this.watches.get(dir);
    if (have) return have;
    const exists = await stat(dir).then((s) => s.isDirectory()).catch(() => false);
    const watcher = chokidar.watch(dir, {
      ignored: (p: string) => p !== dir && isIgnoredName(basename(p)),
      ignoreInitial: false,
      // Symlinks are not followed, so a link that points back up the tree cannot loop the watcher.
      followSymlinks: false,
      awaitWriteFinish: { stabilityThreshold: this.o.stabilityMs ?? 400, pollInterval: 100 },
    });
    let markReady!: () => void;
    const entry: Watch = { watcher, status: exists ? 'watching' : 'missing', error: exists ? null : 'folder not found', ready: new Promise((r) => (markReady = r)) };
    this.watches.set(dir, entry);
    watcher
      .on('add', (p, s) => void this.seen(p, s?.size, s?.mtimeMs))
      .on('change', (p, s) => void this.seen(p, s?.size, s?.mtimeMs))
      .on('unlink', (p) => {
        const gone = this.o.bank.markSourceGone(p);
        if (gone.length) this.o.onSourceGone?.(gone);
      })
      .on('ready', () => markReady())
      .on('error', (err) => {
        entry.status = 'error';
        entry.error = err instanceof Error ? err.message : String(err);
        this.changed();
      });
    if (!exists) markReady();
    return entry;
  }

  private async seen(path: string, size?: number, mtimeMs?: number): Promise<void> {
    if (!isSupportedName(basename(path))) return;
    if (size === undefined || mtimeMs === undefined) {
      const st = await stat(path).catch(() => null);
      size = st?.size;
      mtimeMs = st?.mtimeMs;
    }
    const known = this.o.bank.getFile(path);
    // Unchanged since it was ingested: nothing to do. A changed file is re-hashed by the queue, which also catches touch-only changes.
    if (known && known.size === size && known.mtimeMs === mtimeMs) return;
    this.o.queue.addWatched(path, this.o.mode());
  }

  private changed(): void {
    this.o.onChange?.(this.list());
  }
}
