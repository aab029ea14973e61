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
  type: z.enum(['created', 'accessed', 'importance_changed', 'faded', 'merged', 'dropped', 'source_gone', 'superseded', 'refreshed']),
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
  /** The bank's budget in vision tokens: forgetting keeps the total under it. */
  bankBudgetTokens: z.number().int().min(1),
  /** The vision tokens one chat answer may read. */
  contextBudgetTokens: z.number().int().min(1).max(100_000),
  /** Recency halves every this many days. */
  halfLifeDays: z.number().positive().max(36500),
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

/** What `engram gpu install` (and the settings button) did, and which provider a fresh session then actually ran on. */
export const GpuInstallResult = z.object({
  ok: z.boolean(),
  /** The provider a fresh encoder session ran on after the attempt ("cpu", "cuda", ...). */
  ran: z.string(),
  message: z.string(),
  /** Why the session is not on CUDA, when it is not (e.g. the CUDA libraries are missing). */
  note: z.string().nullable(),
});
export type GpuInstallResult = z.infer<typeof GpuInstallResult>;

/** Why a memory scores what it does: each part in [0, 1], weighted into `total`. */
export const ScoreParts = z.object({
  manual: z.number(),
  recency: z.number(),
  use: z.number(),
  total: z.number(),
  pinned: z.boolean(),
});
export type ScoreParts = z.infer<typeof ScoreParts>;

export const BankTotals = z.object({ tokens: z.number().int(), memories: z.number().int() });

export const ForgetEvent = z.object({
  type: z.enum(['faded', 'merged', 'dropped']),
  memoryId: z.string(),
  source: z.string(),
  page: z.number().int(),
  from: z.string(),
  to: z.string().nullable(),
  tokensBefore: z.number().int(),
  tokensAfter: z.number().int(),
  reason: z.string(),
  score: z.number(),
  into: z.string().optional(),
});
export type ForgetEvent = z.infer<typeof ForgetEvent>;

export const ForgetReport = z.object({
  at: z.string(),
  dryRun: z.boolean(),
  budget: z.number().int(),
  before: BankTotals,
  after: BankTotals,
  events: z.array(ForgetEvent),
  /** Set when pinned memories alone exceed the budget, so the budget cannot hold. */
  warning: z.string().nullable(),
});
export type ForgetReport = z.infer<typeof ForgetReport>;

export const TimelineMemory = z.object({
  id: z.string(),
  source: z.string(),
  name: z.string(),
  page: z.number().int(),
  kind: PageKind,
  mode: Mode,
  level: z.string(),
  tokens: z.number().int(),
  importance: z.number(),
  score: z.number(),
  createdAt: z.string(),
});
export type TimelineMemory = z.infer<typeof TimelineMemory>;

export const TimelineAt = z.object({
  at: z.string(),
  /** 'past' is read from the event log; 'future' is simulated under today's settings. */
  kind: z.enum(['past', 'now', 'future']),
  budget: z.number().int(),
  tokens: z.number().int(),
  memories: z.array(TimelineMemory),
});
export type TimelineAt = z.infer<typeof TimelineAt>;

export const TimelinePoint = z.object({ at: z.string(), tokens: z.number().int(), memories: z.number().int(), future: z.boolean() });
export type TimelinePoint = z.infer<typeof TimelinePoint>;

export const CurvePoint = z.object({ ageDays: z.number(), fidelity: z.number().nullable(), level: z.string() });
export const ForgettingCurve = z.object({ band: z.string(), importance: z.number(), points: z.array(CurvePoint) });
export type ForgettingCurve = z.infer<typeof ForgettingCurve>;
