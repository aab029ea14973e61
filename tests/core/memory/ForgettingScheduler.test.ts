import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Settings } from '../../../electron/contract/models.js';
import { DEFAULT_SETTINGS } from '../../../electron/core/createEngine.js';
import { ForgettingScheduler } from '../../../electron/core/memory/ForgettingScheduler.js';
import { MemoryBank } from '../../../electron/core/memory/MemoryBank.js';
import { Timeline } from '../../../electron/core/memory/Timeline.js';
import { LADDER, recompress } from '../../../electron/core/optical/ladder.js';
import { tempDir } from '../../helpers.js';

const DAY = 86_400_000;
const START = Date.parse('2026-01-01T09:00:00Z');
let dir: string;
let cleanup: () => Promise<void>;
let clock: number;
let bank: MemoryBank;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('engram-forget-'));
  clock = START;
  bank = MemoryBank.open(dir, { now: () => new Date(clock) });
});
afterEach(async () => {
  bank.close();
  await cleanup();
});

let seq = 0;
function addPage(mode: 'small' | 'tiny' = 'small', source = `/docs/${seq}.md`) {
  const count = mode === 'small' ? 100 : 64;
  const dim = 8;
  const n = seq++;
  const tokens = new Float32Array(count * dim).map((_, i) => Math.sin(n * 7.1 + i * 0.3));
  const [m] = bank.addDocument({ source, name: source, kind: 'markdown', contentHash: `h${n}`, size: 10, pages: 1 }, [
    { page: 1, kind: 'markdown', mode, level: mode, tokens, count, dim, thumbnail: null, phash: null },
  ]);
  return m;
}

function eventTokenDelta(): number {
  return bank.allEvents(0, 10_000_000).reduce((a, e) => {
    const d = e.data as { tokensBefore?: number; tokensAfter?: number };
    return typeof d.tokensAfter === 'number' ? a + d.tokensAfter - (d.tokensBefore ?? 0) : a;
  }, 0);
}

describe('forgetting scheduler on a real bank', () => {
  it('runs a simulated year of daily ingestion: budget holds after every pass, pinned stay intact, events account for every token', async () => {
    const perDay = 8;
    const budget = Math.round((365 * perDay * 100) / 10); // a tenth of what would be stored
    const settings: Settings = { ...DEFAULT_SETTINGS, bankBudgetTokens: budget, halfLifeDays: 30 };
    const forgetting = new ForgettingScheduler({ bank, settings: () => settings, now: () => clock });
    const pinned: { id: string; tokens: Float32Array }[] = [];
    for (let day = 0; day < 365; day++) {
      clock = START + day * DAY;
      for (let k = 0; k < perDay; k++) {
        const m = addPage();
        if ((day * perDay + k) % 97 === 0) {
          bank.setImportance(m.id, 10);
          pinned.push({ id: m.id, tokens: bank.getTokens(m.id)!.tokens });
        } else if (k === 0) bank.setImportance(m.id, 8);
      }
      const report = await forgetting.run();
      expect(report.after.tokens, `day ${day}`).toBeLessThanOrEqual(budget);
      expect(bank.totals().tokens).toBe(report.after.tokens);
    }
    for (const p of pinned) {
      const now = bank.getTokens(p.id)!;
      expect(bank.getMemory(p.id)?.level).toBe('small');
      expect(Array.from(now.tokens)).toEqual(Array.from(p.tokens));
    }
    expect(eventTokenDelta()).toBe(bank.totals().tokens);
    const levels = new Set(bank.forgetRows().map((r) => r.level));
    expect(levels.size).toBeGreaterThan(1);
  });

  it('fades tokens for real: a faded memory holds fewer tokens, pooled from the old ones', async () => {
    const settings: Settings = { ...DEFAULT_SETTINGS, bankBudgetTokens: 1_000_000 };
    const m = addPage();
    bank.setImportance(m.id, 0);
    const forgetting = new ForgettingScheduler({ bank, settings: () => settings, now: () => clock + 120 * DAY });
    const report = await forgetting.run();
    const e = report.events.find((x) => x.memoryId === m.id)!;
    expect(e.type === 'dropped' || e.tokensAfter < 100).toBe(true);
    if (e.type === 'faded') {
      const t = bank.getTokens(m.id)!;
      expect(t.count).toBe(e.tokensAfter);
      expect(t.tokens.length).toBe(e.tokensAfter * 8);
      expect(bank.events(m.id).at(-1)).toMatchObject({ type: 'faded', data: { from: 'small', to: e.to, tokensBefore: 100 } });
    }
  });

  it("uses the pack's own ladder when given one, computed before the pass writes", async () => {
    const settings: Settings = { ...DEFAULT_SETTINGS, bankBudgetTokens: 1_000_000 };
    const m = addPage();
    bank.setImportance(m.id, 0);
    // The first age at which this memory fades (rather than stays or is dropped), found by dry runs.
    let age = 0;
    for (const days of [1, 3, 7, 14, 30, 60, 120]) {
      const dry = await new ForgettingScheduler({ bank, settings: () => settings, now: () => clock + days * DAY }).run({ dryRun: true });
      if (dry.events.find((x) => x.memoryId === m.id)?.type === 'faded') {
        age = days;
        break;
      }
    }
    expect(age).toBeGreaterThan(0);
    const steps: string[] = [];
    const forgetting = new ForgettingScheduler({
      bank,
      settings: () => settings,
      now: () => clock + age * DAY,
      // A stand-in for a span pack's decode and re-encode: asynchronous, and recognisable in the bank afterwards.
      spanLadder: async () => async (page, to) => {
        await new Promise((r) => setTimeout(r, 1));
        steps.push(`${page.level}->${to}`);
        const count = LADDER.find((l) => l.name === to)!.count;
        return { tokens: new Float32Array(count * page.dim).fill(0.5), count, dim: page.dim, level: to };
      },
    });
    const report = await forgetting.run();
    const e = report.events.find((x) => x.memoryId === m.id)!;
    expect(e.type).toBe('faded');
    expect(steps).toEqual([`small->${e.to}`]);
    const t = bank.getTokens(m.id)!;
    expect(t.count).toBe(e.tokensAfter);
    expect([...t.tokens].every((v) => v === 0.5)).toBe(true);
  });

  it('runs one pass at a time', async () => {
    for (let i = 0; i < 50; i++) addPage();
    const settings: Settings = { ...DEFAULT_SETTINGS, bankBudgetTokens: 2000 };
    let inside = 0;
    let most = 0;
    const forgetting = new ForgettingScheduler({
      bank,
      settings: () => settings,
      now: () => clock,
      spanLadder: async () => async (page, to) => {
        most = Math.max(most, ++inside);
        await new Promise((r) => setTimeout(r, 1));
        inside--;
        return recompress(page, to);
      },
    });
    const [a, b] = await Promise.all([forgetting.run(), forgetting.run()]);
    expect(most).toBe(1);
    expect(a.events.length).toBeGreaterThan(0);
    expect(b.before.tokens).toBe(a.after.tokens);
    expect(bank.totals().tokens).toBeLessThanOrEqual(2000);
  });

  it('a dry run changes nothing', async () => {
    for (let i = 0; i < 20; i++) addPage();
    const settings: Settings = { ...DEFAULT_SETTINGS, bankBudgetTokens: 500 };
    const forgetting = new ForgettingScheduler({ bank, settings: () => settings, now: () => clock });
    const report = await forgetting.run({ dryRun: true });
    expect(report.after.tokens).toBeLessThanOrEqual(500);
    expect(bank.totals().tokens).toBe(2000);
  });

  it('completes a pass that was interrupted between its transactions', async () => {
    for (let i = 0; i < 600; i++) addPage();
    const settings: Settings = { ...DEFAULT_SETTINGS, bankBudgetTokens: 6000 };
    const forgetting = new ForgettingScheduler({ bank, settings: () => settings, now: () => clock });
    // Interrupt the pass after its first chunk commits, as a kill would between transactions.
    const real = bank.tx.bind(bank);
    let chunks = 0;
    (bank as { tx: typeof bank.tx }).tx = (fn) => {
      if (++chunks === 2) throw new Error('killed');
      return real(fn);
    };
    await expect(forgetting.run()).rejects.toThrow('killed');
    (bank as { tx: typeof bank.tx }).tx = real;
    expect(bank.totals().tokens).toBeGreaterThan(6000);
    expect(bank.getSetting('forget.pending')).toBeTruthy();

    const reopened = new ForgettingScheduler({ bank, settings: () => settings, now: () => clock });
    const report = (await reopened.resumePending())!;
    expect(report.after.tokens).toBeLessThanOrEqual(6000);
    expect(bank.getSetting('forget.pending')).toBeNull();
    for (const r of bank.forgetRows()) expect(bank.getTokens(r.id)?.count).toBe(r.tokens);
    expect(eventTokenDelta()).toBe(bank.totals().tokens);
  });

  it('replays the past and simulates the future on the timeline', async () => {
    const settings: Settings = { ...DEFAULT_SETTINGS, bankBudgetTokens: 100_000, halfLifeDays: 30 };
    const a = addPage();
    clock += 10 * DAY;
    const b = addPage();
    bank.setImportance(b.id, 10);
    const forgetting = new ForgettingScheduler({ bank, settings: () => settings, now: () => clock });
    const timeline = new Timeline({ bank, settings: () => settings, now: () => clock });
    const middle = new Date(START + 5 * DAY).toISOString();
    expect(timeline.at(middle).memories.map((m) => m.id)).toEqual([a.id]);
    expect(timeline.at(new Date(clock).toISOString()).kind).toBe('now');
    const year = timeline.at(new Date(clock + 365 * DAY).toISOString());
    expect(year.kind).toBe('future');
    const ina = year.memories.find((m) => m.id === a.id);
    expect(ina === undefined || ina.level !== 'small').toBe(true);
    expect(year.memories.find((m) => m.id === b.id)?.level).toBe('small');
    // The simulation changed nothing real.
    expect(bank.getMemory(a.id)?.level).toBe('small');
    clock += 90 * DAY;
    await forgetting.run();
    const before = timeline.at(new Date(clock - 60 * DAY).toISOString());
    expect(before.memories.find((m) => m.id === a.id)?.level).toBe('small');
    const series = timeline.series(30, 10);
    expect(series.points.filter((p) => !p.future).length).toBe(11);
    expect(series.points.some((p) => p.future)).toBe(true);
    const curves = timeline.curve(365);
    const levelAtYear = (band: string) => curves.find((c) => c.band.startsWith(band))!.points.at(-1)!.level;
    expect(levelAtYear('pinned')).toBe('small');
    expect(levelAtYear('low')).not.toBe('small');
  });
});
