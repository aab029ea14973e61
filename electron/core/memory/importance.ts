// How much a memory matters now: manual importance, recency (halving every half-life) and use (answers it was in).
// Pure and explainable: the parts are returned with the total, so the UI and CLI can show why a memory fades.
import type { ScoreParts } from '../../contract/models.js';

export const PINNED = 10;
/** The weights of the parts; they sum to 1 so a score lies in [0, 1]. */
export const WEIGHTS = { manual: 0.4, recency: 0.4, use: 0.2 } as const;
/** Uses at which the use part reaches about 63%: a handful of citations make a memory clearly "used". */
const USE_SCALE = 3;
const DAY = 86_400_000;

export interface ScoreInput {
  importance: number;
  createdAt: number;
  lastAccessAt: number | null;
  accessCount: number;
}

export function scoreOf(m: ScoreInput, now: number, halfLifeDays: number): ScoreParts {
  const manual = Math.min(1, Math.max(0, m.importance / 10));
  const since = Math.max(0, now - Math.max(m.createdAt, m.lastAccessAt ?? 0)) / DAY;
  const recency = 0.5 ** (since / halfLifeDays);
  const use = 1 - Math.exp(-m.accessCount / USE_SCALE);
  const total = WEIGHTS.manual * manual + WEIGHTS.recency * recency + WEIGHTS.use * use;
  return { manual, recency, use, total, pinned: m.importance >= PINNED };
}

/** Above this a memory keeps its level as it ages; each FADE_STEP below it costs one step down the ladder. */
export const KEEP_ABOVE = 0.5;
export const FADE_STEP = 0.1;
/** A memory at the last level whose score is under this is dropped as it ages. */
export const DROP_BELOW = 0.12;

/** Ladder steps below its own mode that a memory of this score should sit at by age alone. */
export function ageSteps(score: number): number {
  return score >= KEEP_ABOVE ? 0 : Math.ceil((KEEP_ABOVE - score) / FADE_STEP - 1e-9);
}
