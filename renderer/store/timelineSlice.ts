// The memory timeline: a cursor from the first memory through now into "what if", the bank at that moment
// (timeline.at), the totals over time (timeline.series), forgetting curves, and text decoded at a chosen level.
import type { CaptureChunk, ForgetReport, ForgettingCurve, RouteOutput, ScoreParts, TimelineAt } from '../../electron/contract';
import { getClient } from '../api/client';
import type { Decoded } from './memoriesSlice';
import type { Slice } from './types';

const DAY = 86_400_000;
/** The slider's resolution: positions 0..CURSOR_MAX. */
export const CURSOR_MAX = 1000;
/** Share of the axis given to the past (first memory → now) when there is one; the rest is the simulated future. */
export const PAST_SHARE = 0.32;
export const HORIZON_DAYS = 365;

export type Series = RouteOutput<'timeline.series'>;

/** Where "now" sits on the axis, and how positions map to times: linear over the past, quadratic over the future,
 *  so a week ahead gets room next to a year ahead. */
export interface Axis {
  start: number | null;
  now: number;
  horizonDays: number;
}

export const nowCursor = (axis: Pick<Axis, 'start'>) => (axis.start === null ? 0 : Math.round(PAST_SHARE * CURSOR_MAX));

/** The moment a cursor position stands for; `liveNow` is the clock now, so the "now" position asks for the bank as it is. */
export function cursorTime(axis: Axis, cursor: number, liveNow = Date.now()): number {
  const n = nowCursor(axis);
  if (cursor === n) return liveNow;
  if (cursor < n && axis.start !== null) return axis.start + ((axis.now - axis.start) * cursor) / n;
  const f = (cursor - n) / (CURSOR_MAX - n);
  return liveNow + axis.horizonDays * DAY * f * f;
}

/** The inverse of cursorTime, against the axis' own "now": where a moment sits (clamped to the axis). */
export function timeCursor(axis: Axis, t: number): number {
  const n = nowCursor(axis);
  if (t <= axis.now) {
    if (axis.start === null || axis.now <= axis.start) return n;
    return Math.max(0, Math.round((n * (t - axis.start)) / (axis.now - axis.start)));
  }
  const f = Math.sqrt(Math.min(1, (t - axis.now) / (axis.horizonDays * DAY)));
  return Math.round(n + f * (CURSOR_MAX - n));
}

/** A cursor position for "now plus so many days". */
export const daysCursor = (axis: Axis, days: number) => timeCursor(axis, axis.now + days * DAY);

export interface TimelineMemoryInfo {
  id: string;
  score: ScoreParts;
  sourceExists: boolean;
}

export interface TimelineSlice {
  axis: Axis | null;
  series: Series | null;
  curves: ForgettingCurve[] | null;
  /** Screen activity: capture chunks, newest first (empty when capture never ran). */
  chunks: CaptureChunk[];
  cursor: number;
  /** The bank at the cursor, and the cursor it was asked for (answers for older positions are dropped). */
  at: TimelineAt | null;
  atCursor: number | null;
  atLoading: boolean;
  selectedId: string | null;
  /** Score parts and whether the source exists, for the selected memory (memory.get). */
  selectedInfo: TimelineMemoryInfo | null;
  /** Text decoded per `${id}@${level}`. */
  decodedAt: Record<string, Decoded>;
  forgetReport: ForgetReport | null;
  forgetting: boolean;
  loadTimeline(): Promise<void>;
  seek(cursor: number): Promise<void>;
  selectTimelineMemory(id: string | null): Promise<void>;
  decodeAt(id: string, level: string): Promise<void>;
  /** Something changed the bank or the settings: re-read what the timeline shows, if it was ever opened. */
  refreshTimeline(): Promise<void>;
  runForget(): Promise<void>;
}

let atSeq = 0;

export const createTimelineSlice: Slice<TimelineSlice> = (set, get) => {
  const fetchAt = async (cursor: number) => {
    const axis = get().axis;
    if (!axis) return;
    const seq = ++atSeq;
    set({ atLoading: true });
    try {
      const at = await getClient().call('timeline.at', { at: new Date(cursorTime(axis, cursor)).toISOString() });
      if (seq !== atSeq) return;
      set({ at, atCursor: cursor, atLoading: false });
    } catch (err) {
      if (seq !== atSeq) return;
      set({ atLoading: false });
      get().fail('Could not read the timeline', err);
    }
  };

  const loadSelectedInfo = async () => {
    const id = get().selectedId;
    if (!id) return set({ selectedInfo: null });
    try {
      const { score, sourceExists } = await getClient().call('memory.get', { id });
      if (get().selectedId === id) set({ selectedInfo: { id, score, sourceExists } });
    } catch {
      // Dropped or merged away: the timeline says so; there is nothing to score.
      if (get().selectedId === id) set({ selectedInfo: null });
    }
  };

  return {
    axis: null,
    series: null,
    curves: null,
    chunks: [],
    cursor: 0,
    at: null,
    atCursor: null,
    atLoading: false,
    selectedId: null,
    selectedInfo: null,
    decodedAt: {},
    forgetReport: null,
    forgetting: false,
    async loadTimeline() {
      try {
        const [series, { curves }, chunks] = await Promise.all([
          getClient().call('timeline.series', { horizonDays: HORIZON_DAYS }),
          getClient().call('timeline.curve', { horizonDays: HORIZON_DAYS }),
          // Screen activity is a bonus: a host without capture still shows the timeline.
          getClient()
            .call('capture.chunks', { limit: 50 })
            .then((r) => r.chunks)
            .catch(() => [] as CaptureChunk[]),
        ]);
        const prev = get().axis;
        const axis: Axis = { start: series.start ? Date.parse(series.start) : null, now: Date.parse(series.now), horizonDays: HORIZON_DAYS };
        // Keep the cursor on "now" if it was there (or never set); else keep its moment.
        const wasNow = !prev || get().cursor === nowCursor(prev);
        const cursor = wasNow ? nowCursor(axis) : timeCursor(axis, cursorTime(prev, get().cursor, prev.now));
        set({ series, curves, chunks, axis, cursor });
        await Promise.all([fetchAt(cursor), loadSelectedInfo()]);
      } catch (err) {
        get().fail('Could not load the timeline', err);
      }
    },
    async seek(cursor) {
      const c = Math.max(0, Math.min(CURSOR_MAX, Math.round(cursor)));
      set({ cursor: c });
      await fetchAt(c);
    },
    async selectTimelineMemory(id) {
      set({ selectedId: id, selectedInfo: null });
      await loadSelectedInfo();
    },
    async decodeAt(id, level) {
      const key = `${id}@${level}`;
      if (get().decodedAt[key]) return;
      try {
        const d = await getClient().call('memory.decode', { id, level });
        set({ decodedAt: { ...get().decodedAt, [key]: d } });
      } catch (err) {
        set({ decodedAt: { ...get().decodedAt, [key]: { id, level, tokens: 0, text: null, note: `could not decode: ${err instanceof Error ? err.message : String(err)}` } } });
      }
    },
    async refreshTimeline() {
      if (!get().axis) return;
      // A refresh re-encodes tokens at the same level, so cached text may be stale.
      set({ decodedAt: {} });
      await get().loadTimeline();
    },
    async runForget() {
      set({ forgetting: true });
      try {
        const report = await getClient().call('forget.run', {});
        set({ forgetReport: report });
      } catch (err) {
        get().fail('Could not run forgetting', err);
      } finally {
        set({ forgetting: false });
      }
    },
  };
};
