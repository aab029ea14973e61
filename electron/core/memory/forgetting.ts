// The forgetting pass as a pure plan over memory metadata: merge near-duplicates, fade by age, drop the faintest,
// then fade and drop the least important until the bank fits its budget. No I/O here, so a year simulates in memory.
import type { ForgetEvent, ScoreParts } from '../../contract/models.js';
import { LADDER } from '../optical/ladder.js';
import { ageSteps, DROP_BELOW, scoreOf } from './importance.js';
import type { ForgetRow } from './MemoryBank.js';
import { hammingHex } from './phash.js';

export const LAST = LADDER.length - 1;
/** Pages whose hashes differ in at most this many of 64 bits count as the same picture. */
export const MERGE_MAX_BITS = 6;

const LEVEL_INDEX = new Map<string, number>(LADDER.map((l, i) => [l.name, i]));

export function levelIndex(level: string): number {
  const i = LEVEL_INDEX.get(level);
  if (i === undefined) throw new Error(`unknown level ${level}`);
  return i;
}

export interface PlanOptions {
  now: number;
  budget: number;
  halfLifeDays: number;
  /** Confirms a merge by the memories' tokens; without it the perceptual hash decides alone (simulations). */
  similar?: (older: ForgetRow, newer: ForgetRow) => boolean;
}

export interface Plan {
  events: ForgetEvent[];
  before: { tokens: number; memories: number };
  after: { tokens: number; memories: number };
  warning: string | null;
}

interface State {
  row: ForgetRow;
  score: Pick<ScoreParts, 'total' | 'pinned'>;
  li: number;
  tokens: number;
  alive: boolean;
  reason: string | null;
  into?: string;
  merged?: boolean;
}

export function planPass(rows: readonly ForgetRow[], o: PlanOptions): Plan {
  const states: State[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const { total, pinned } = scoreOf(row, o.now, o.halfLifeDays);
    states[i] = { row, score: { total, pinned }, li: levelIndex(row.level), tokens: row.tokens, alive: true, reason: null };
  }
  const before = { tokens: rows.reduce((a, r) => a + r.tokens, 0), memories: rows.length };

  // 1. Near-duplicates: versions of one page, consecutive captures of one window. The older folds into the newer.
  const groups = new Map<string, State[]>();
  for (const s of states) {
    if (!s.row.phash) continue;
    const key = `${s.row.source}\u0000${s.row.page}`;
    const g = groups.get(key);
    if (g) g.push(s);
    else groups.set(key, [s]);
  }
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    g.sort((a, b) => a.row.createdAt - b.row.createdAt);
    for (let i = 0; i + 1 < g.length; i++) {
      const older = g[i];
      const newer = g[i + 1];
      if (older.score.pinned || hammingHex(older.row.phash!, newer.row.phash!) > MERGE_MAX_BITS) continue;
      if (o.similar && !o.similar(older.row, newer.row)) continue;
      older.alive = false;
      older.merged = true;
      older.into = newer.row.id;
      older.reason = 'near-duplicate of a newer memory';
    }
  }

  // 2. Age: a memory sinks as many steps below its own mode as its score says; the faintest at the last level go.
  for (const s of states) {
    if (!s.alive || s.score.pinned) continue;
    const target = Math.min(LAST, levelIndex(s.row.mode) + ageSteps(s.score.total));
    if (target > s.li) {
      s.li = target;
      s.tokens = LADDER[target].count;
      s.reason = 'age';
    }
    if (s.li === LAST && s.score.total < DROP_BELOW) {
      s.alive = false;
      s.reason = 'faint: at the last level and rarely relevant';
    }
  }

  // 3. Budget: in rounds, the least important first, each memory one step down (or out, from the last level).
  let total = states.reduce((a, s) => a + (s.alive ? s.tokens : 0), 0);
  let warning: string | null = null;
  if (total > o.budget) {
    const order = states.filter((s) => s.alive && !s.score.pinned).sort((a, b) => a.score.total - b.score.total);
    while (total > o.budget) {
      let moved = false;
      for (const s of order) {
        if (total <= o.budget) break;
        if (!s.alive) continue;
        moved = true;
        s.reason = 'over budget';
        if (s.li < LAST) {
          const next = LADDER[s.li + 1].count;
          total -= s.tokens - next;
          s.tokens = next;
          s.li++;
        } else {
          total -= s.tokens;
          s.alive = false;
        }
      }
      if (!moved) {
        warning = `pinned memories alone hold ${total} tokens, over the budget of ${o.budget}: unpin some or raise the budget`;
        break;
      }
    }
  }

  const events: ForgetEvent[] = [];
  let aliveTokens = 0;
  let aliveCount = 0;
  for (const s of states) {
    if (s.alive) {
      aliveTokens += s.tokens;
      aliveCount++;
    }
    const r = s.row;
    if (!s.alive) {
      const e: ForgetEvent = {
        type: s.merged ? 'merged' : 'dropped', memoryId: r.id, source: r.source, page: r.page, from: r.level, to: null,
        tokensBefore: r.tokens, tokensAfter: 0, reason: s.reason ?? '', score: s.score.total,
      };
      if (s.into) e.into = s.into;
      events.push(e);
    } else if (s.tokens !== r.tokens) {
      events.push({
        type: 'faded', memoryId: r.id, source: r.source, page: r.page, from: r.level, to: LADDER[s.li].name,
        tokensBefore: r.tokens, tokensAfter: s.tokens, reason: s.reason ?? '', score: s.score.total,
      });
    }
  }
  return { events, before, after: { tokens: aliveTokens, memories: aliveCount }, warning };
}
/** The rows as they would be after a plan: for simulating passes into the future. */
export function applyPlan(rows: readonly ForgetRow[], events: readonly ForgetEvent[]): ForgetRow[] {
  const byId = new Map(events.map((e) => [e.memoryId, e]));
  const out: ForgetRow[] = [];
  for (const r of rows) {
    const e = byId.get(r.id);
    if (!e) out.push(r);
    else if (e.type === 'faded') out.push({ ...r, level: e.to!, tokens: e.tokensAfter });
  }
  return out;
}
