// The one persistent ingest queue: every file, dropped, uploaded or seen by a watcher, becomes a job row,
// and a single worker takes jobs in order through render -> encode -> store. Jobs survive restarts; errors stay per job.
import { createHash } from 'node:crypto';
import { mkdir, open, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { EngramError } from '../../contract/errors.js';
import type { Job, Memory, Mode, QueueProgress } from '../../contract/models.js';
import type { JobRow, MemoryBank, NewPage } from '../memory/MemoryBank.js';
import { newId } from '../memory/MemoryBank.js';
import { detectKind, SUPPORTED_EXTENSIONS } from './render/index.js';
import type { PageProducer } from './PageProducer.js';
import { describeFsError, expandPaths } from './walk.js';

export interface IngestQueueOptions {
  bank: MemoryBank;
  /** Renders and encodes; in the app a worker process, so a native crash costs one job. */
  producer: PageProducer;
  uploadsDir: string;
  maxFileBytes: () => number;
  onJob?: (job: Job, progress: QueueProgress) => void;
  onMemories?: (created: Memory[]) => void;
}

const TERMINAL = new Set(['ready', 'failed', 'cancelled', 'skipped']);

export function isSupportedName(name: string): boolean {
  const dot = name.lastIndexOf('.');
  return dot > 0 && (SUPPORTED_EXTENSIONS as readonly string[]).includes(name.slice(dot).toLowerCase());
}

export class IngestQueue {
  private running: { id: string; abort: AbortController } | null = null;
  private loop: Promise<void> | null = null;
  private paused = false;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly o: IngestQueueOptions) {
    const n = o.bank.requeueInterrupted();
    if (n > 0) this.kick();
  }

  /** Queue files and folders by path. Paths that cannot be expanded come back as failed jobs, so the caller sees why. */
  async addPaths(paths: string[], mode: Mode): Promise<JobRow[]> {
    const { files, failed } = await expandPaths(paths, isSupportedName);
    const jobs: JobRow[] = [];
    for (const f of failed) {
      const job = this.o.bank.insertJob({ id: newId('j'), source: f.source, name: basename(f.source), mode, state: 'failed', uploadPath: null });
      jobs.push(this.update(job.id, { error: f.error }));
    }
    for (const file of files) jobs.push(this.enqueue(file, basename(file), mode, null));
    this.kick();
    return jobs;
  }

  /** Queue bytes that arrived without a path (a drop in a browser). They wait in the uploads folder until ingested. */
  async addUpload(name: string, bytes: Uint8Array, mode: Mode): Promise<JobRow> {
    const safe = basename(name).replace(/[\u0000-\u001f/\\]/g, '_') || 'upload';
    const max = this.o.maxFileBytes();
    if (bytes.byteLength > max) {
      const job = this.o.bank.insertJob({ id: newId('j'), source: `upload:${safe}`, name: safe, mode, state: 'failed', uploadPath: null });
      return this.update(job.id, { error: tooLargeMessage(bytes.byteLength, max) });
    }
    await mkdir(this.o.uploadsDir, { recursive: true });
    const id = newId('j');
    const path = join(this.o.uploadsDir, `${id}-${safe}`);
    await writeFile(path, bytes);
    const job = this.enqueue(`upload:${safe}`, safe, mode, path, id);
    this.kick();
    return job;
  }

  /** A watcher saw this file; queue it unless the same path is already waiting. */
  addWatched(path: string, mode: Mode): JobRow | null {
    const waiting = this.o.bank.jobs().find((j) => j.source === path && (j.state === 'queued' || j.id === this.running?.id));
    if (waiting) return null;
    const job = this.enqueue(path, basename(path), mode, null);
    this.kick();
    return job;
  }

  cancel(id: string): JobRow {
    const job = this.o.bank.getJob(id);
    if (!job) throw new EngramError('not_found', `no ingest job ${id}`);
    if (this.running?.id === id) {
      this.running.abort.abort(new EngramError('bad_input', 'cancelled'));
      return job;
    }
    if (job.state === 'queued') {
      if (job.uploadPath) void rm(job.uploadPath, { force: true });
      return this.finish(id, { state: 'cancelled' });
    }
    return job;
  }

  list(): { jobs: Job[]; progress: QueueProgress } {
    return { jobs: this.o.bank.jobs().map(toJob), progress: this.progress() };
  }

  clearFinished(): void {
    this.o.bank.deleteFinishedJobs();
  }

  setPaused(paused: boolean): void {
    this.paused = paused;
    if (!paused) this.kick();
  }

  /** Resolves once nothing is queued or running (or the queue is paused). */
  idle(): Promise<void> {
    if (!this.loop && (this.paused || !this.o.bank.nextQueuedJob())) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.running?.abort.abort(new EngramError('busy', 'Engram is shutting down'));
    await this.loop;
  }

  progress(): QueueProgress {
    const jobs = this.o.bank.jobs();
    return {
      total: jobs.length,
      done: jobs.filter((j) => TERMINAL.has(j.state)).length,
      failed: jobs.filter((j) => j.state === 'failed').length,
      active: jobs.filter((j) => !TERMINAL.has(j.state)).length,
      paused: this.paused,
    };
  }

  private enqueue(source: string, name: string, mode: Mode, uploadPath: string | null, id = newId('j')): JobRow {
    const job = this.o.bank.insertJob({ id, source, name, mode, state: 'queued', uploadPath });
    this.emit(job);
    return job;
  }

  private kick(): void {
    if (this.loop || this.paused || this.closed) return;
    this.loop = this.drain().finally(() => {
      this.loop = null;
      if (!this.closed && !this.paused && this.o.bank.nextQueuedJob()) this.kick();
      else for (const w of this.idleWaiters.splice(0)) w();
    });
  }

  private async drain(): Promise<void> {
    // Yield first so a caller that queued several files sees them all queued before work starts.
    await new Promise((r) => setImmediate(r));
    for (let job = this.o.bank.nextQueuedJob(); job && !this.paused && !this.closed; job = this.o.bank.nextQueuedJob()) {
      const abort = new AbortController();
      this.running = { id: job.id, abort };
      try {
        await this.run(job, abort.signal);
      } catch (err) {
        if (abort.signal.aborted && !this.closed) this.finish(job.id, { state: 'cancelled' });
        else if (!this.closed) this.finish(job.id, { state: 'failed', error: errorMessage(err) });
        // On shutdown the job stays in flight and is requeued at the next start.
      } finally {
        this.running = null;
        // The uploaded bytes were only a way in: once the job has an outcome they go.
        if (job.uploadPath && !this.closed) await rm(job.uploadPath, { force: true });
      }
    }
  }

  private async run(job: JobRow, signal: AbortSignal): Promise<void> {
    const { bank } = this.o;
    this.update(job.id, { state: 'rendering', pagesDone: 0 });
    const path = job.uploadPath ?? job.source;
    const { bytes, size, mtimeMs } = await readLimited(path, this.o.maxFileBytes());
    signal.throwIfAborted();
    const contentHash = createHash('sha256').update(bytes).digest('hex');
    const file = job.uploadPath ? undefined : { path: job.source, size, mtimeMs };

    const existing = bank.findDocumentByHash(contentHash);
    if (existing) {
      // The same content twice is one memory; a watched file that is back where it was is no longer gone.
      if (file) {
        bank.recordFile({ ...file, contentHash, documentId: existing.id });
        bank.markSourcePresent(job.source);
      }
      this.finish(job.id, { state: 'skipped', memoryIds: existing.memoryIds, error: null });
      return;
    }

    const kind = detectKind(job.name, bytes);
    const pages: NewPage[] = [];
    let state = 'rendering';
    await this.o.producer.produce(bytes, job.name, job.mode, signal, {
      total: (n) => void this.update(job.id, { pagesTotal: n }),
      state: (s) => {
        if (s !== state) this.update(job.id, { state: (state = s) });
      },
      page: (p) => {
        pages.push({ page: p.page, kind, mode: job.mode, level: p.level, tokens: p.tokens, count: p.count, dim: p.dim, thumbnail: p.thumbnail, phash: p.phash });
        this.update(job.id, { pagesDone: pages.length });
      },
    });
    signal.throwIfAborted();
    if (!pages.length) throw new EngramError('bad_input', 'the document has no pages');

    const memories = bank.addDocument(
      { source: job.source, name: job.name, kind, contentHash, size, pages: pages.length, file },
      pages,
    );
    this.finish(job.id, { state: 'ready', memoryIds: memories.map((m) => m.id), pagesDone: pages.length, pagesTotal: pages.length, error: null });
    this.o.onMemories?.(memories);
  }

  private update(id: string, patch: Parameters<MemoryBank['updateJob']>[1]): JobRow {
    const job = this.o.bank.updateJob(id, patch);
    this.emit(job);
    return job;
  }

  private finish(id: string, patch: Parameters<MemoryBank['updateJob']>[1]): JobRow {
    return this.update(id, patch);
  }

  private emit(job: JobRow): void {
    this.o.onJob?.(toJob(job), this.progress());
  }
}

function toJob(j: JobRow): Job {
  const { uploadPath: _u, ...rest } = j;
  return rest;
}

async function readLimited(path: string, max: number): Promise<{ bytes: Uint8Array; size: number; mtimeMs: number }> {
  let fh;
  try {
    fh = await open(path, 'r');
    const st = await fh.stat();
    if (st.isDirectory()) throw new EngramError('bad_input', 'this is a folder, not a file');
    if (st.size > max) throw new EngramError('too_large', tooLargeMessage(st.size, max));
    const bytes = await fh.readFile();
    return { bytes, size: st.size, mtimeMs: st.mtimeMs };
  } catch (err) {
    if (err instanceof EngramError) throw err;
    throw new EngramError('bad_input', describeFsError(err as NodeJS.ErrnoException));
  } finally {
    await fh?.close();
  }
}

function tooLargeMessage(size: number, max: number): string {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MB`;
  return `file is ${mb(size)}, over the ${mb(max)} limit (change it in settings)`;
}

function errorMessage(err: unknown): string {
  if (err instanceof EngramError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}
