// The memory timeline: what the bank held at any moment. The past is replayed from the event log; the future
// is simulated by running daily forgetting passes over today's bank under today's settings (no new memories).
import type { ForgettingCurve, Mode, PageKind, Settings, TimelineAt, TimelineMemory, TimelinePoint } from '../../contract/models.js';
import { LADDER } from '../optical/ladder.js';
import { applyPlan, LAST, levelIndex, planPass } from './forgetting.js';
import { ageSteps, scoreOf } from './importance.js';
import type { ForgetRow, MemoryBank } from './MemoryBank.js';

const DAY = 86_400_000;

export interface TimelineOptions {
  bank: MemoryBank;
  settings: () => Settings;
  now?: () => number;
  /** Measured char accuracy of decoded text at a ladder level (from the model pack's metrics), or null if unknown. */
  fidelityAt?: (level: string, mode: Mode) => number | null;
}

export class Timeline {
  private readonly now: () => number;
  constructor(private readonly o: TimelineOptions) {
    this.now = o.now ?? Date.now;
  }

  at(atIso: string): TimelineAt {
    const t = Date.parse(atIso);
    const now = this.now();
    const s = this.o.settings();
    let rows: ForgetRow[];
    let kind: TimelineAt['kind'];
    if (Math.abs(t - now) < 1000) {
      rows = this.o.bank.forgetRows();
      kind = 'now';
    } else if (t < now) {
      rows = this.replay(new Date(t).toISOString());
      kind = 'past';
    } else {
      rows = this.simulate(now, t, () => {});
      kind = 'future';
    }
    const memories: TimelineMemory[] = rows
      .map((r) => ({
        id: r.id,
        source: r.source,
        name: r.name,
        page: r.page,
        kind: r.kind,
        mode: r.mode,
        level: r.level,
        tokens: r.tokens,
        importance: r.importance,
        score: Number(scoreOf(r, t, s.halfLifeDays).total.toFixed(4)),
        createdAt: new Date(r.createdAt).toISOString(),
      }))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.source.localeCompare(b.source) || a.page - b.page);
    return { at: new Date(t).toISOString(), kind, budget: s.bankBudgetTokens, tokens: rows.reduce((a, r) => a + r.tokens, 0), memories };
  }

  /** Totals from the first memory to now (from the log) and on to now + horizon (simulated). */
  series(horizonDays: number, steps = 60): { start: string | null; now: string; budget: number; points: TimelinePoint[] } {
    const now = this.now();
    const first = this.o.bank.firstEventAt();
    const points: TimelinePoint[] = [];
    if (first) {
      const events = this.o.bank.timelineEvents();
      const t0 = Date.parse(first);
      const span = Math.max(1, now - t0);
      let tokens = 0;
      let memories = 0;
      let i = 0;
      for (let k = 0; k <= steps; k++) {
        const t = t0 + (span * k) / steps;
        for (; i < events.length && Date.parse(events[i].at) <= t; i++) {
          const e = events[i];
          const d = e.data as { tokensBefore?: number; tokensAfter?: number };
          if (e.type === 'created') memories++;
          if (e.type === 'dropped' || e.type === 'merged') memories--;
          if (typeof d.tokensAfter === 'number') tokens += d.tokensAfter - (d.tokensBefore ?? 0);
        }
        points.push({ at: new Date(t).toISOString(), tokens, memories, future: false });
      }
    }
    if (horizonDays > 0) {
      const end = now + horizonDays * DAY;
      const step = Math.max(DAY, (end - now) / steps);
      this.simulate(now, end, (t, rows) => {
        points.push({ at: new Date(t).toISOString(), tokens: rows.reduce((a, r) => a + r.tokens, 0), memories: rows.length, future: true });
      }, step);
    }
    return { start: first, now: new Date(now).toISOString(), budget: this.o.settings().bankBudgetTokens, points };
  }

  /** Expected fidelity against age for a fresh, never-used memory of each importance band, by age alone. */
  curve(horizonDays: number): ForgettingCurve[] {
    const s = this.o.settings();
    const mode = s.defaultMode;
    const bands = [
      { band: 'low (1)', importance: 1 },
      { band: 'default (5)', importance: 5 },
      { band: 'high (8)', importance: 8 },
      { band: 'pinned (10)', importance: 10 },
    ];
    const ages = [0, 1, 3, 7, 14, 30, 60, 90, 180, 365, 730].filter((d) => d <= horizonDays);
    return bands.map(({ band, importance }) => ({
      band,
      importance,
      points: ages.map((ageDays) => {
        const score = scoreOf({ importance, createdAt: 0, lastAccessAt: null, accessCount: 0 }, ageDays * DAY, s.halfLifeDays);
        const li = score.pinned ? levelIndex(mode) : Math.min(LAST, levelIndex(mode) + ageSteps(score.total));
        const level = LADDER[li].name;
        return { ageDays, level, fidelity: this.o.fidelityAt?.(level, mode) ?? null };
      }),
    }));
  }

  /** The bank as it stood at `atIso`, rebuilt from the events up to then. */
  replay(atIso: string): ForgetRow[] {
    const live = new Map<string, ForgetRow>();
    for (const e of this.o.bank.timelineEvents(atIso)) {
      const id = e.memoryId;
      if (!id) continue;
      const d = e.data as Record<string, unknown>;
      if (e.type === 'created') {
        live.set(id, {
          id,
          documentId: '',
          source: String(d.source ?? ''),
          name: String(d.name ?? d.source ?? ''),
          page: Number(d.page ?? 1),
          kind: (d.kind as PageKind) ?? 'text',
          mode: (d.mode as Mode) ?? 'small',
          level: String(d.level ?? d.mode ?? 'small'),
          tokens: Number(d.tokensAfter ?? d.tokens ?? 0),
          importance: Number(d.importance ?? 5),
          createdAt: Date.parse(e.at),
          lastAccessAt: null,
          accessCount: 0,
          phash: null,
        });
        continue;
      }
      const r = live.get(id);
      if (!r) continue;
      if (e.type === 'faded' || e.type === 'refreshed') {
        r.level = String(d.to);
        r.tokens = Number(d.tokensAfter);
      } else if (e.type === 'importance_changed') r.importance = Number(d.to);
      else if (e.type === 'dropped' || e.type === 'merged') live.delete(id);
    }
    return [...live.values()];
  }

  /** Today's bank carried forward by daily passes (or `step`) until `end`; `each` sees every step. */
  private simulate(now: number, end: number, each: (t: number, rows: ForgetRow[]) => void, step = DAY): ForgetRow[] {
    const s = this.o.settings();
    let rows = this.o.bank.forgetRows();
    for (let t = now + step; t <= end + 1; t += step) {
      const plan = planPass(rows, { now: t, budget: s.bankBudgetTokens, halfLifeDays: s.halfLifeDays });
      rows = applyPlan(rows, plan.events);
      each(t, rows);
    }
    if ((end - now) % step !== 0 || end - now < step) {
      const plan = planPass(rows, { now: end, budget: s.bankBudgetTokens, halfLifeDays: s.halfLifeDays });
      rows = applyPlan(rows, plan.events);
    }
    return rows;
  }
}
