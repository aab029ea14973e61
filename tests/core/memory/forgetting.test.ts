import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Modes } from '../../../electron/contract/models.js';
import { applyPlan, LAST, levelIndex, planPass } from '../../../electron/core/memory/forgetting.js';
import type { ForgetRow } from '../../../electron/core/memory/MemoryBank.js';
import { LADDER } from '../../../electron/core/optical/ladder.js';

const DAY = 86_400_000;
const NOW = Date.parse('2027-06-01T00:00:00Z');

const rowArb = (i: number) =>
  fc
    .record({
      mode: fc.constantFrom(...Modes),
      extraSteps: fc.integer({ min: 0, max: 6 }),
      importance: fc.oneof(fc.integer({ min: 0, max: 10 }), fc.constant(10)),
      ageDays: fc.double({ min: 0, max: 800, noNaN: true }),
      accessCount: fc.integer({ min: 0, max: 20 }),
      source: fc.constantFrom('/a.pdf', '/b.md', '/c.png', 'screen:Terminal'),
      page: fc.integer({ min: 1, max: 3 }),
      phash: fc.option(fc.constantFrom('ffff0000ffff0000', 'ffff0000ffff0001', '0123456789abcdef'), { nil: null }),
    })
    .map((r): ForgetRow => {
      const li = Math.min(LAST, levelIndex(r.mode) + r.extraSteps);
      return {
        id: `m${i}`,
        documentId: `d${i}`,
        source: r.source,
        name: r.source,
        page: r.page,
        kind: 'text',
        mode: r.mode,
        level: LADDER[li].name,
        tokens: LADDER[li].count,
        importance: r.importance,
        createdAt: NOW - r.ageDays * DAY,
        lastAccessAt: null,
        accessCount: r.accessCount,
        phash: r.phash,
      };
    });

const bankArb = fc.integer({ min: 0, max: 60 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => rowArb(i))));

describe('forgetting plan (properties over random banks and clocks)', () => {
  it('keeps the bank within budget whenever pinned memories fit in it', () => {
    fc.assert(
      fc.property(bankArb, fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 400 }), (rows, frac, laterDays) => {
        const pinned = rows.filter((r) => r.importance >= 10).reduce((a, r) => a + r.tokens, 0);
        const total = rows.reduce((a, r) => a + r.tokens, 0);
        const budget = Math.max(pinned, Math.round(total * frac));
        const plan = planPass(rows, { now: NOW + laterDays * DAY, budget, halfLifeDays: 30 });
        expect(plan.after.tokens).toBeLessThanOrEqual(budget);
        expect(plan.warning).toBeNull();
      }),
      { numRuns: 300 },
    );
  });

  it('never touches a pinned memory', () => {
    fc.assert(
      fc.property(bankArb, fc.integer({ min: 1, max: 5000 }), (rows, budget) => {
        const plan = planPass(rows, { now: NOW, budget, halfLifeDays: 30 });
        const pinned = new Set(rows.filter((r) => r.importance >= 10).map((r) => r.id));
        expect(plan.events.filter((e) => pinned.has(e.memoryId))).toEqual([]);
        const pinnedTokens = rows.filter((r) => pinned.has(r.id)).reduce((a, r) => a + r.tokens, 0);
        if (pinnedTokens > budget) expect(plan.warning).toMatch(/pinned/);
      }),
      { numRuns: 300 },
    );
  });

  it('accounts for every token in its events, and only ever moves memories down the ladder', () => {
    fc.assert(
      fc.property(bankArb, fc.integer({ min: 0, max: 20000 }), fc.integer({ min: 0, max: 700 }), (rows, budget, days) => {
        const plan = planPass(rows, { now: NOW + days * DAY, budget, halfLifeDays: 14 });
        const delta = plan.events.reduce((a, e) => a + e.tokensAfter - e.tokensBefore, 0);
        expect(plan.before.tokens + delta).toBe(plan.after.tokens);
        for (const e of plan.events) {
          if (e.type === 'faded') {
            expect(levelIndex(e.to!)).toBeGreaterThan(levelIndex(e.from));
            expect(e.tokensAfter).toBe(LADDER[levelIndex(e.to!)].count);
          } else expect(e.tokensAfter).toBe(0);
        }
        const after = applyPlan(rows, plan.events);
        expect(after.reduce((a, r) => a + r.tokens, 0)).toBe(plan.after.tokens);
        expect(after.length).toBe(plan.after.memories);
      }),
      { numRuns: 300 },
    );
  });

  it('fades the least important first under budget pressure', () => {
    const mk = (id: string, importance: number): ForgetRow => ({
      id, documentId: id, source: `/${id}`, name: id, page: 1, kind: 'text', mode: 'small', level: 'small', tokens: 100,
      importance, createdAt: NOW, lastAccessAt: null, accessCount: 0, phash: null,
    });
    const rows = [mk('low', 1), mk('mid', 5), mk('high', 9)];
    const plan = planPass(rows, { now: NOW, budget: 264, halfLifeDays: 30 });
    expect(plan.events.map((e) => [e.memoryId, e.to])).toEqual([['low', 'tiny']]);
    expect(plan.after.tokens).toBe(264);
  });

  it('fades by age alone, further for less important memories, and keeps the pinned', () => {
    const mk = (id: string, importance: number, ageDays: number): ForgetRow => ({
      id, documentId: id, source: `/${id}`, name: id, page: 1, kind: 'text', mode: 'small', level: 'small', tokens: 100,
      importance, createdAt: NOW - ageDays * DAY, lastAccessAt: null, accessCount: 0, phash: null,
    });
    const rows = [mk('fresh', 5, 0), mk('old-low', 1, 365), mk('old-mid', 5, 365), mk('old-pinned', 10, 365)];
    const plan = planPass(rows, { now: NOW, budget: 1e9, halfLifeDays: 30 });
    const to = Object.fromEntries(plan.events.map((e) => [e.memoryId, e.to ?? 'dropped']));
    expect(to.fresh).toBeUndefined();
    expect(to['old-pinned']).toBeUndefined();
    expect(levelIndex(to['old-mid'])).toBeGreaterThan(levelIndex('small'));
    expect(to['old-low'] === 'dropped' || levelIndex(to['old-low']) > levelIndex(to['old-mid'])).toBe(true);
  });

  it('merges the older of two near-identical versions of a page into the newer', () => {
    const mk = (id: string, ageDays: number, phash: string): ForgetRow => ({
      id, documentId: id, source: '/notes.md', name: 'notes.md', page: 1, kind: 'markdown', mode: 'small', level: 'small', tokens: 100,
      importance: 5, createdAt: NOW - ageDays * DAY, lastAccessAt: null, accessCount: 0, phash,
    });
    const plan = planPass([mk('v1', 2, 'ffff0000ffff0000'), mk('v2', 1, 'ffff0000ffff0003'), mk('other', 0, '0000ffff0000ffff')], {
      now: NOW, budget: 1e9, halfLifeDays: 30,
    });
    expect(plan.events).toMatchObject([{ type: 'merged', memoryId: 'v1', into: 'v2' }]);
  });
});
