// Wires the engine for one data directory: the bank, the ingest queue, the folder watcher, settings, and the
// route handlers. Every host (Electron, the loopback host, the CLI, tests) gets the same engine from here.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync, readFileSync } from 'node:fs';
import { EngramError } from '../contract/errors.js';
import type { CallEnvelope, EventEnvelope } from '../contract/envelope.js';
import type { EventName, EventPayload } from '../contract/events.js';
import { Settings, type Settings as SettingsT } from '../contract/models.js';
import type { Caller } from './adapters.js';
import type { Engine, EngineOptions } from './Engine.js';
import { IngestQueue } from './ingest/IngestQueue.js';
import { FolderWatcher } from './ingest/FolderWatcher.js';
import { MemoryBank } from './memory/MemoryBank.js';
import { createRouter, type Handlers } from './router.js';
import { InProcessProducer, PageWorker } from './ingest/PageProducer.js';
import { ForgettingScheduler } from './memory/ForgettingScheduler.js';
import { Timeline } from './memory/Timeline.js';
import { PINNED, scoreOf } from './memory/importance.js';
import { OpticalAccess } from './optical/OpticalAccess.js';
import { refreshMemory } from './memory/refresh.js';
import type { EngineContext } from './context.js';
import { chatHandlers } from './chat/handlers.js';
import { captureHandlers } from './capture/handlers.js';

export const DEFAULT_SETTINGS: SettingsT = {
  defaultMode: 'small',
  maxFileBytes: 200 * 1024 * 1024,
  paused: false,
  // About 5,000 pages at small mode: room for months of reading before the budget starts to bite.
  bankBudgetTokens: 500_000,
  contextBudgetTokens: 400,
  // Two months: a default memory steps down the ladder over a season, not a week.
  halfLifeDays: 60,
};
/** How often the forgetting pass runs on its own (it also runs shortly after each ingest). */
const FORGET_EVERY_MS = 60 * 60 * 1000;
const MAX_UPLOAD_BASE64 = Math.ceil((DEFAULT_SETTINGS.maxFileBytes * 4) / 3) + 4;

/** `--data DIR` beats ENGRAM_DATA beats the host's default (Electron's userData; ~/.engram elsewhere). */
export function resolveDataDir(argv: readonly string[] = [], env: NodeJS.ProcessEnv = process.env, fallback?: string): string {
  const i = argv.indexOf('--data');
  if (i >= 0 && argv[i + 1]) return resolve(argv[i + 1]);
  const eq = argv.find((a) => a.startsWith('--data='));
  if (eq) return resolve(eq.slice('--data='.length));
  if (env.ENGRAM_DATA) return resolve(env.ENGRAM_DATA);
  return fallback ?? join(homedir(), '.engram');
}

export function appVersion(): string {
  try {
    return JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;
  } catch {
    return '0.0.0';
  }
}

export async function createEngine(opts: EngineOptions): Promise<Engine> {
  const dataDir = resolve(opts.dataDir);
  const bank = MemoryBank.open(dataDir, { now: opts.now ? () => new Date(opts.now!()) : undefined });
  const now = opts.now ?? Date.now;
  const producer = opts.encoder
    ? new InProcessProducer(opts.encoder)
    : new PageWorker({
        script: opts.pageWorkerScript ?? fileURLToPath(new URL('./ingest/pageWorkerBoot.mjs', import.meta.url)),
        encoder: opts.encoderSpec ?? (process.env.ENGRAM_ENCODER === 'pool' ? 'pool' : 'default'),
      });
  const listeners = new Set<(e: EventEnvelope) => void>();
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => {
    for (const l of listeners) l({ event, payload } as EventEnvelope);
  };

  const settings = (): SettingsT => ({ ...DEFAULT_SETTINGS, ...(bank.getSetting<Partial<SettingsT>>('settings') ?? {}) });
  const queue = new IngestQueue({
    bank,
    producer,
    uploadsDir: join(dataDir, 'uploads'),
    maxFileBytes: () => settings().maxFileBytes,
    onJob: (job, progress) => emit('ingest.progressed', { job, progress }),
    onMemories: (memories) => {
      emit('memory.created', { memories });
      forgetting.poke();
    },
  });
  const optical = new OpticalAccess();
  const forgetting = new ForgettingScheduler({
    bank,
    settings,
    now,
    spanLadder: () => optical.spanLadder(),
    onPass: (report, changed, removed) => {
      emit('memory.forgot', { ...report, events: report.events.slice(0, 200) });
      const memories = changed.map((id) => bank.getMemory(id)).filter((m): m is NonNullable<typeof m> => m !== null);
      if (memories.length) emit('memory.updated', { memories });
      if (removed.length) emit('memory.removed', { ids: removed });
    },
  });
  const timeline = new Timeline({ bank, settings, now, fidelityAt: (level, mode) => optical.fidelityAt(level, mode) });
  await forgetting.resumePending().catch((err) => console.error(`engram: the interrupted forgetting pass could not finish: ${(err as Error).message}`));
  queue.setPaused(settings().paused);
  const watcher = new FolderWatcher({
    bank,
    queue,
    mode: () => settings().defaultMode,
    onChange: (folders) => emit('watch.changed', { folders }),
    onSourceGone: (memories) => emit('memory.updated', { memories }),
  });
  if (opts.watch) {
    forgetting.start(FORGET_EVERY_MS);
    await watcher.start();
    if (producer instanceof PageWorker) producer.warm();
  }

  const setSettings = (patch: Partial<SettingsT>): SettingsT => {
    const next = Settings.parse({ ...settings(), ...patch });
    bank.setSetting('settings', next);
    queue.setPaused(next.paused);
    emit('settings.changed', next);
    return next;
  };

  const starters: (() => void | Promise<void>)[] = [];
  const closers: (() => void | Promise<void>)[] = [];
  const ctx: EngineContext = {
    dataDir,
    bank,
    queue,
    producer,
    forgetting,
    optical,
    settings,
    now,
    emit,
    onStart: (fn) => void starters.push(fn),
    onClose: (fn) => void closers.push(fn),
  };

  const handlers: Handlers = {
    ...chatHandlers(ctx),
    ...captureHandlers(ctx),
    'app.info': () => ({
      version: appVersion(),
      dataDir,
      transport: opts.transport ?? 'direct',
      encoder: producer.encoderInfo(),
      canPickFiles: Boolean(opts.adapters?.dialogs),
    }),
    'app.gpuInstall': async () => {
      const { installGpuAndProbe } = await import('./optical/gpu.js');
      return installGpuAndProbe();
    },
    'memory.list': ({ limit, offset }) => bank.listMemories(limit, offset),
    'memory.get': ({ id }) => {
      const memory = mustGet(id);
      const tokens = bank.getTokens(id);
      const row = { importance: memory.importance, createdAt: Date.parse(memory.createdAt), lastAccessAt: memory.lastAccessAt ? Date.parse(memory.lastAccessAt) : null, accessCount: memory.accessCount };
      return {
        memory,
        events: bank.events(id),
        tokenDim: tokens?.dim ?? 0,
        score: scoreOf(row, now(), settings().halfLifeDays),
        sourceExists: !memory.source.startsWith('upload:') && existsSync(memory.source),
      };
    },
    'memory.decode': async ({ id, level }) => {
      const memory = mustGet(id);
      const t = bank.getTokens(id)!;
      return { id, ...(await optical.decodeAt(memory, t, level)) };
    },
    'memory.setImportance': ({ id, importance }) => {
      mustGet(id);
      const memory = bank.setImportance(id, importance);
      emit('memory.updated', { memories: [memory] });
      return { memory };
    },
    'memory.pin': ({ id, pinned }) => {
      const m = mustGet(id);
      let next = PINNED;
      if (!pinned) {
        // Unpinning restores what it was before the pin, if the log knows, else the default.
        const pin = [...bank.events(id)].reverse().find((e) => e.type === 'importance_changed' && e.data.to === PINNED);
        next = m.importance < PINNED ? m.importance : Number(pin?.data.from ?? 5);
      }
      const memory = bank.setImportance(id, next);
      emit('memory.updated', { memories: [memory] });
      return { memory };
    },
    'memory.refresh': async ({ id }) => {
      const memory = await refreshMemory(bank, producer, mustGet(id));
      emit('memory.updated', { memories: [memory] });
      return { memory };
    },
    'forget.run': ({ now: at, dryRun }) => forgetting.run({ now: at ? Date.parse(at) : undefined, dryRun }),
    'timeline.at': ({ at }) => timeline.at(at),
    'timeline.series': ({ horizonDays }) => timeline.series(horizonDays),
    'timeline.curve': async ({ horizonDays }) => {
      await optical.loadMetrics();
      return { curves: timeline.curve(horizonDays) };
    },
    'memory.stats': () => bank.stats(),
    'ingest.addPaths': async ({ paths, mode }) => ({ jobs: strip(await queue.addPaths(paths, mode ?? settings().defaultMode)) }),
    'ingest.upload': async ({ name, dataBase64, mode }) => {
      if (dataBase64.length > Math.max(MAX_UPLOAD_BASE64, Math.ceil((settings().maxFileBytes * 4) / 3) + 4))
        throw new EngramError('too_large', `${name} is over the ${Math.round(settings().maxFileBytes / 1048576)} MB limit`);
      const bytes = Buffer.from(dataBase64, 'base64');
      return { job: strip([await queue.addUpload(name, bytes, mode ?? settings().defaultMode)])[0] };
    },
    'ingest.list': () => queue.list(),
    'ingest.cancel': ({ jobId }) => ({ job: strip([queue.cancel(jobId)])[0] }),
    'ingest.clearFinished': () => {
      queue.clearFinished();
      return { ok: true as const };
    },
    'watch.list': () => ({ folders: watcher.list() }),
    'watch.add': async ({ path }) => ({ folder: await watcher.add(path) }),
    'watch.remove': async ({ path }) => {
      await watcher.remove(path);
      return { ok: true as const };
    },
    'settings.get': () => settings(),
    'settings.set': (patch) => setSettings(patch),
    'dialog.pickPaths': async ({ folders }) => {
      const dialogs = opts.adapters?.dialogs;
      if (!dialogs) throw new EngramError('unsupported', 'no native file dialog here: use the file picker or drop files on the window');
      return { paths: await dialogs.pickPaths({ folders }) };
    },
  };
  function mustGet(id: string) {
    const memory = bank.getMemory(id);
    if (!memory) throw new EngramError('not_found', `no memory ${id}`);
    return memory;
  }

  const router = createRouter(handlers, { validateOutput: process.env.NODE_ENV === 'test' || Boolean(process.env.VITEST) });

  if (opts.watch) for (const start of starters) await start();

  let closed = false;
  return {
    dataDir,
    handle: (call: CallEnvelope, caller: Caller) => router.handle(call, caller),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setPaused: (paused) => void setSettings({ paused }),
    internals: { bank, queue, watcher, producer, forgetting, timeline, optical },
    async close() {
      if (closed) return;
      closed = true;
      forgetting.stop();
      for (const close of closers) await close();
      await watcher.close();
      await queue.close();
      await producer.close();
      await optical.close();
      bank.close();
    },
  };
}

function strip<T extends { uploadPath?: unknown }>(jobs: T[]): Omit<T, 'uploadPath'>[] {
  return jobs.map(({ uploadPath: _u, ...rest }) => rest);
}
