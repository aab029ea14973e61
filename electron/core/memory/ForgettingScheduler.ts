// Runs the forgetting pass against the bank: plans over metadata, then fades tokens down the ladder, merges and
// drops in small transactions. A pass killed half way is recorded as pending and completes at the next start.
import type { ForgetReport, Settings } from '../../contract/models.js';
import type { EncodedPage } from '../optical/Encoder.js';
import { recompress, type LevelName, type Recompress } from '../optical/ladder.js';
import { planPass } from './forgetting.js';
import type { ForgetRow, MemoryBank } from './MemoryBank.js';

export interface ForgettingOptions {
  bank: MemoryBank;
  settings: () => Settings;
  /** The clock, injected so tests and the simulator can run a year in seconds. */
  now?: () => number;
  onPass?: (report: ForgetReport, changedIds: string[], removedIds: string[]) => void;
  /** A span pack's own step down the ladder, from the tokens alone (it decodes and re-encodes), or null: then, as
   *  without this option, fades area-average the token grid inside the pass's transactions. Asked once a pass. */
  spanLadder?: () => Promise<Recompress | null>;
}

const PENDING = 'forget.pending';
/** A pass commits in about this many transactions (each at least MIN_CHUNK operations): a commit costs tens of
 *  milliseconds on a big bank, so few and large; a kill loses one uncommitted chunk, which the pending pass redoes. */
const COMMITS = 4;
const MIN_CHUNK = 256;
/** Cosine similarity of two pages' gist tokens above which a perceptual-hash match is confirmed as a duplicate. */
const MERGE_MIN_COSINE = 0.9;

export class ForgettingScheduler {
  private timer: NodeJS.Timeout | null = null;
  private soon: NodeJS.Timeout | null = null;
  private readonly now: () => number;
  /** Passes run one at a time: a timer and a poke never interleave their writes. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: ForgettingOptions) {
    this.now = o.now ?? Date.now;
  }

  /** Finish a pass that a crash interrupted. */
  async resumePending(): Promise<ForgetReport | null> {
    const pending = this.o.bank.getSetting<{ now: number; budget: number }>(PENDING);
    return pending ? this.run({ now: pending.now, budget: pending.budget }) : null;
  }

  run(opts: { now?: number; dryRun?: boolean; budget?: number } = {}): Promise<ForgetReport> {
    const next = this.queue.then(() => this.pass(opts));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async pass(opts: { now?: number; dryRun?: boolean; budget?: number }): Promise<ForgetReport> {
    const { bank } = this.o;
    const settings = this.o.settings();
    const now = opts.now ?? this.now();
    const budget = opts.budget ?? settings.bankBudgetTokens;
    const rows = bank.forgetRows();
    const plan = planPass(rows, {
      now,
      budget,
      halfLifeDays: settings.halfLifeDays,
      similar: (a, b) => this.similar(a, b),
    });
    const report: ForgetReport = {
      at: new Date(now).toISOString(),
      dryRun: Boolean(opts.dryRun),
      budget,
      before: plan.before,
      after: plan.after,
      events: plan.events,
      warning: plan.warning,
    };
    if (opts.dryRun || plan.events.length === 0) {
      if (!opts.dryRun) bank.setSetting(PENDING, null);
      return report;
    }

    bank.setSetting(PENDING, { now, budget });
    const at = report.at;
    const changed: string[] = [];
    const removed: string[] = [];
    const chunk = Math.max(MIN_CHUNK, Math.ceil(plan.events.length / COMMITS));
    const levels = new Map(rows.map((r) => [r.id, r.level]));
    const step = (await this.o.spanLadder?.()) ?? null;
    for (let i = 0; i < plan.events.length; i += chunk) {
      const faded = step ? await this.fadeAhead(step, plan.events.slice(i, i + chunk), levels) : null;
      bank.tx(() => {
        const fades: { id: string; to: string; data: Record<string, unknown> }[] = [];
        const drops: { id: string; data: Record<string, unknown> }[] = [];
        for (const e of plan.events.slice(i, i + chunk)) {
          const data = { reason: e.reason, score: Number(e.score.toFixed(4)), budget };
          if (e.type === 'faded') fades.push({ id: e.memoryId, to: e.to!, data });
          else if (e.type === 'merged') {
            bank.absorb(e.into!, e.memoryId);
            bank.deleteMemory(e.memoryId, 'merged', { ...data, into: e.into }, at);
            removed.push(e.memoryId);
            changed.push(e.into!);
          } else drops.push({ id: e.memoryId, data });
        }
        removed.push(...bank.dropMany(drops, at));
        // Fades from the tokens alone, down the ladder (a merge's survivor may fade in the same pass: order kept per chunk).
        changed.push(...bank.fadeMany(fades, (id, t, to) => faded?.get(`${id}|${to}`) ?? recompress(t, to as LevelName), at));
      });
    }
    bank.setSetting(PENDING, null);
    report.after = bank.totals();
    this.o.onPass?.(report, changed, removed);
    return report;
  }

  /** With a span pack's (asynchronous) ladder, the chunk's fades are computed before its transaction opens:
   *  id|to -> tokens. A memory fading twice in one pass fades from its first result. */
  private async fadeAhead(
    step: Recompress,
    events: ForgetReport['events'],
    levels: Map<string, string>,
  ): Promise<Map<string, EncodedPage>> {
    const out = new Map<string, EncodedPage>();
    const current = new Map<string, EncodedPage>();
    for (const e of events) {
      if (e.type !== 'faded' || !e.to) continue;
      let page = current.get(e.memoryId);
      if (!page) {
        const t = this.o.bank.getTokens(e.memoryId);
        if (!t) continue;
        page = { ...t, level: levels.get(e.memoryId) ?? 'unknown' };
      }
      const next = await step(page, e.to as LevelName);
      current.set(e.memoryId, next);
      out.set(`${e.memoryId}|${e.to}`, next);
    }
    return out;
  }

  /** Run every `intervalMs`, and shortly after `poke()` (each ingest). */
  start(intervalMs: number): void {
    this.stop();
    this.timer = setInterval(() => this.safeRun(), intervalMs);
    this.timer.unref();
  }

  poke(delayMs = 2000): void {
    if (this.soon) return;
    this.soon = setTimeout(() => {
      this.soon = null;
      this.safeRun();
    }, delayMs);
    this.soon.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.soon) clearTimeout(this.soon);
    this.timer = this.soon = null;
  }

  private safeRun(): void {
    this.run().catch((err) => {
      // A failed pass changes nothing it did not commit; the next one retries. Say so rather than die.
      console.error(`engram: forgetting pass failed: ${(err as Error).message}`);
    });
  }

  private similar(a: ForgetRow, b: ForgetRow): boolean {
    const ta = this.o.bank.getTokens(a.id);
    const tb = this.o.bank.getTokens(b.id);
    if (!ta || !tb || ta.dim !== tb.dim) return false;
    const ga = gist(ta.tokens, ta.count, ta.dim);
    const gb = gist(tb.tokens, tb.count, tb.dim);
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (let i = 0; i < ga.length; i++) {
      dot += ga[i] * gb[i];
      na += ga[i] * ga[i];
      nb += gb[i] * gb[i];
    }
    return na > 0 && nb > 0 && dot / Math.sqrt(na * nb) >= MERGE_MIN_COSINE;
  }
}

/** A page's tokens pooled to a 4x4 grid, so pages of different levels compare. */
function gist(tokens: Float32Array, count: number, dim: number): Float32Array {
  if (count <= 16) return tokens;
  return recompress({ tokens, count, dim, level: 'tiny' }, 'gist16').tokens;
}
