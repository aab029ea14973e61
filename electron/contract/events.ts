// Events the engine pushes to every connected client. Names say what happened.
import { z } from 'zod';
import { chatEvents } from './chat.js';
import { captureEvents } from './capture.js';
import { ForgetReport, Job, Memory, QueueProgress, Settings, WatchedFolder } from './models.js';

export const events = {
  'ingest.progressed': z.object({ job: Job, progress: QueueProgress }),
  'memory.created': z.object({ memories: z.array(Memory) }),
  'memory.updated': z.object({ memories: z.array(Memory) }),
  'memory.removed': z.object({ ids: z.array(z.string()) }),
  'memory.forgot': ForgetReport,
  'watch.changed': z.object({ folders: z.array(WatchedFolder) }),
  'settings.changed': Settings,
  ...chatEvents,
  ...captureEvents,
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;
