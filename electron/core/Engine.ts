// The engine as one object: bank, ingest queue, watcher and router, wired for a data directory.
// Electron's shell, the loopback host, the CLI and the tests all start it the same way.
import type { Adapters, Caller } from './adapters.js';
import type { CallEnvelope, EventEnvelope, ReplyEnvelope } from '../contract/envelope.js';
import type { Encoder } from './optical/Encoder.js';
import type { MemoryBank } from './memory/MemoryBank.js';
import type { IngestQueue } from './ingest/IngestQueue.js';
import type { FolderWatcher } from './ingest/FolderWatcher.js';
import type { PageProducer } from './ingest/PageProducer.js';
import type { ForgettingScheduler } from './memory/ForgettingScheduler.js';
import type { Timeline } from './memory/Timeline.js';
import type { OpticalAccess } from './optical/OpticalAccess.js';

export interface EngineOptions {
  /** Where the bank, settings and watched folders live. See resolveDataDir. */
  dataDir: string;
  adapters?: Adapters;
  /** Encode in this process with this encoder (tools and tests). Without it, pages are rendered and encoded
   *  in a worker process with the encoder `encoderSpec` names. */
  encoder?: Encoder;
  /** 'default' (the model pack; the default unless ENGRAM_ENCODER=pool) or 'pool' (model-free, not decodable). */
  encoderSpec?: 'default' | 'pool';
  /** The page worker's entry file; a packaged app passes its bundled worker. */
  pageWorkerScript?: string;
  /** Start watching the persisted folders (the app does; one-shot CLI commands do not). */
  watch?: boolean;
  /** The clock (epoch ms), injected so tests can run a year in seconds. */
  now?: () => number;
  /** Transport reported by app.info. */
  transport?: 'ipc' | 'websocket' | 'direct';
}

export interface Engine {
  readonly dataDir: string;
  /** Validate, authorise and answer one call envelope. Never throws: failures come back as { ok: false }. */
  handle(call: CallEnvelope, caller: Caller): Promise<ReplyEnvelope>;
  /** Every event the engine emits, already in its envelope. */
  onEvent(listener: (e: EventEnvelope) => void): () => void;
  /** Pause or resume ingest (the tray's pause). */
  setPaused(paused: boolean): void;
  /** The parts, for in-process hosts (the CLI waits on the queue; tests inspect the bank). Transports use `handle` only. */
  readonly internals: { bank: MemoryBank; queue: IngestQueue; watcher: FolderWatcher; producer: PageProducer; forgetting: ForgettingScheduler; timeline: Timeline; optical: OpticalAccess };
  close(): Promise<void>;
}

export { createEngine, resolveDataDir } from './createEngine.js';
