// What a group of route handlers gets from the engine: its parts and its emitter. Feature folders (chat,
// capture) export handler groups built from this, so createEngine stays the one place that wires them.
import type { EventName, EventPayload } from '../contract/events.js';
import type { Settings } from '../contract/models.js';
import type { IngestQueue } from './ingest/IngestQueue.js';
import type { PageProducer } from './ingest/PageProducer.js';
import type { ForgettingScheduler } from './memory/ForgettingScheduler.js';
import type { MemoryBank } from './memory/MemoryBank.js';
import type { OpticalAccess } from './optical/OpticalAccess.js';

export interface EngineContext {
  dataDir: string;
  bank: MemoryBank;
  queue: IngestQueue;
  producer: PageProducer;
  forgetting: ForgettingScheduler;
  optical: OpticalAccess;
  settings: () => Settings;
  now: () => number;
  emit: <E extends EventName>(event: E, payload: EventPayload<E>) => void;
  /** Start background work (timers); called once when the engine runs as an app (watch: true). */
  onStart: (fn: () => void | Promise<void>) => void;
  /** Release resources; called when the engine closes. */
  onClose: (fn: () => void | Promise<void>) => void;
}
