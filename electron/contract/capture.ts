// Routes and events of screen capture (issue: capture). Kept in their own file so capture's contract can grow
// without touching the others; routes.ts and events.ts merge these tables.
import { z } from 'zod';
import { route } from './route.js';

export const SensitiveAction = z.enum(['drop', 'redact']);
export type SensitiveAction = z.infer<typeof SensitiveAction>;

export const CaptureExclusions = z.object({
  /** Application names (X: WM_CLASS), matched case-insensitively as substrings. */
  apps: z.array(z.string().min(1).max(200)).max(500),
  /** Window title fragments, matched case-insensitively as substrings. */
  titles: z.array(z.string().min(1).max(200)).max(500),
});
export type CaptureExclusions = z.infer<typeof CaptureExclusions>;

export const CaptureSettings = z.object({
  /** Off until the person turns it on. */
  enabled: z.boolean(),
  intervalSeconds: z.number().min(1).max(3600),
  exclusions: CaptureExclusions,
  sensitiveAction: SensitiveAction,
  /** Captures older than this many days are dropped. */
  retentionDays: z.number().int().min(1).max(3650),
});
export type CaptureSettings = z.infer<typeof CaptureSettings>;

/** Why a capture was or was not stored. */
export const CaptureReasons = [
  'stored', // a new chunk: its keyframe became a memory
  'chunked', // changed, but folded into the open chunk of the same window (recorded as a change)
  'unchanged',
  'excluded', // the active window's application or title is on the exclusion list
  'own-window', // Engram's own window
  'sensitive-dropped',
  'idle',
  'locked',
  'paused',
  'disabled',
  'duplicate', // the very same pixels are already a memory
  'filter-unavailable', // no text reader for the sensitive filter: dropped rather than stored unchecked
  'failed',
] as const;
export const CaptureReason = z.enum(CaptureReasons);
export type CaptureReason = z.infer<typeof CaptureReason>;

export const CaptureOutcome = z.object({
  at: z.string(),
  stored: z.boolean(),
  reason: CaptureReason,
  /** A readable detail (the matched exclusion, the sensitive kinds found, an error). */
  detail: z.string().nullable(),
  window: z.object({ app: z.string(), title: z.string() }).nullable(),
  display: z.string().nullable(),
  source: z.string().nullable(),
  memoryId: z.string().nullable(),
  chunkId: z.string().nullable(),
  /** Sensitive text found and what was done about it: kinds only, never the text. */
  sensitive: z.object({ kinds: z.array(z.string()), action: z.enum(['dropped', 'redacted']) }).nullable(),
});
export type CaptureOutcome = z.infer<typeof CaptureOutcome>;

export const CaptureState = CaptureSettings.extend({
  /** A capture timer is running now (enabled, started, not stopped). */
  capturing: z.boolean(),
  /** What reads text for the sensitive filter ('tesseract 5.3.0'), or null where none is found. */
  filter: z.string().nullable(),
  lastCapture: z.object({ at: z.string(), stored: z.boolean(), reason: CaptureReason }).nullable(),
});
export type CaptureState = z.infer<typeof CaptureState>;

/** One chunk: a window's consecutive captures within 10 s, kept as its keyframe's memory plus what changed. */
export const CaptureChunk = z.object({
  id: z.string(),
  memoryId: z.string(),
  source: z.string(),
  display: z.string(),
  start: z.string(),
  end: z.string(),
  frames: z.number().int().min(1),
  /** Set when the keyframe was stored with sensitive text painted over: the kinds, never the text. */
  redacted: z.array(z.string()),
  changes: z.array(
    z.object({
      at: z.string(),
      /** Share of the screen's cells that changed, 0..1. */
      fraction: z.number(),
      /** The changed region in screen pixels. */
      box: z.object({ x: z.number().int(), y: z.number().int(), width: z.number().int(), height: z.number().int() }),
    }),
  ),
});
export type CaptureChunk = z.infer<typeof CaptureChunk>;

export const captureRoutes = {
  'capture.getState': route(z.object({}).strict(), CaptureState),
  /** Change some settings; turning `enabled` off stops capture at once. */
  'capture.setSettings': route(CaptureSettings.partial().strict(), CaptureState),
  /** Take one capture now (enabled or not), respecting exclusions and the sensitive filter. One outcome per display. */
  'capture.once': route(z.object({}).strict(), z.object({ outcomes: z.array(CaptureOutcome) })),
  /** Recent chunks, newest first: the timeline's view of screen activity. */
  'capture.chunks': route(
    z.object({ limit: z.number().int().min(1).max(5000).default(200) }).strict(),
    z.object({ chunks: z.array(CaptureChunk) }),
  ),
} as const;

export const captureEvents = {
  'capture.changed': CaptureState,
  'capture.taken': CaptureOutcome,
} as const;
