// The shapes that cross the contract: memories, ingest jobs, settings, stats.
// Pure zod, imported by the engine, both transports and (as types) the renderer.
import { z } from 'zod';

export const Modes = ['tiny', 'small', 'base', 'large'] as const;
export const Mode = z.enum(Modes);
export type Mode = z.infer<typeof Mode>;

/** Vision tokens a page gets at each mode, and the square page size the encoder sees (DeepEncoder's). */
export const MODE_TOKENS: Record<Mode, number> = { tiny: 64, small: 100, base: 256, large: 400 };
export const MODE_SIZE: Record<Mode, number> = { tiny: 512, small: 640, base: 1024, large: 1280 };

export const PageKinds = ['pdf', 'text', 'markdown', 'code', 'docx', 'image', 'screenshot'] as const;
export const PageKind = z.enum(PageKinds);
export type PageKind = z.infer<typeof PageKind>;

export const Memory = z.object({
  id: z.string(),
  documentId: z.string(),
  source: z.string(),
  name: z.string(),
  page: z.number().int().min(1),
  pages: z.number().int().min(1),
  kind: PageKind,
  mode: Mode,
  level: z.string(),
  tokens: z.number().int().min(0),
  importance: z.number().min(0).max(10),
  createdAt: z.string(),
  lastAccessAt: z.string().nullable(),
  accessCount: z.number().int().min(0),
  version: z.number().int().min(1),
  sourceGone: z.boolean(),
  contentHash: z.string(),
  /** A small PNG data URL; pages are never kept at full size once encoded. */
  thumbnail: z.string().nullable(),
});
export type Memory = z.infer<typeof Memory>;

export const MemoryEvent = z.object({
  id: z.number().int(),
  at: z.string(),
  memoryId: z.string().nullable(),
  type: z.enum(['created', 'accessed', 'importance_changed', 'faded', 'merged', 'dropped', 'source_gone', 'superseded']),
  data: z.record(z.string(), z.unknown()),
});
export type MemoryEvent = z.infer<typeof MemoryEvent>;

export const JobStates = ['queued', 'rendering', 'encoding', 'ready', 'failed', 'cancelled', 'skipped'] as const;
export const JobState = z.enum(JobStates);
export type JobState = z.infer<typeof JobState>;

export const Job = z.object({
  id: z.string(),
  source: z.string(),
  name: z.string(),
  mode: Mode,
  state: JobState,
  pagesDone: z.number().int().min(0),
  pagesTotal: z.number().int().min(0).nullable(),
  error: z.string().nullable(),
  memoryIds: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Job = z.infer<typeof Job>;

export const QueueProgress = z.object({
  total: z.number().int(),
  done: z.number().int(),
  failed: z.number().int(),
  active: z.number().int(),
  paused: z.boolean(),
});
export type QueueProgress = z.infer<typeof QueueProgress>;

export const Stats = z.object({
  memories: z.number().int(),
  documents: z.number().int(),
  pages: z.number().int(),
  tokens: z.number().int(),
  diskBytes: z.number().int(),
});
export type Stats = z.infer<typeof Stats>;

export const Settings = z.object({
  defaultMode: Mode,
  maxFileBytes: z.number().int().positive(),
  paused: z.boolean(),
});
export type Settings = z.infer<typeof Settings>;

export const WatchedFolder = z.object({
  path: z.string(),
  addedAt: z.string(),
  status: z.enum(['watching', 'missing', 'error']),
  error: z.string().nullable(),
});
export type WatchedFolder = z.infer<typeof WatchedFolder>;

export const AppInfo = z.object({
  version: z.string(),
  dataDir: z.string(),
  transport: z.enum(['ipc', 'websocket', 'direct']),
  encoder: z.object({ name: z.string(), provider: z.string(), note: z.string().nullable() }),
  canPickFiles: z.boolean(),
});
export type AppInfo = z.infer<typeof AppInfo>;
