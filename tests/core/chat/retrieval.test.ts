// Chat over a real bank whose memories decode through the test codec: retrieval within budget, accesses,
// citations, honesty when nothing is relevant, re-indexing after a fade.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../../electron/contract/envelope.js';
import type { Engine } from '../../../electron/core/Engine.js';
import { recompress } from '../../../electron/core/optical/ladder.js';
import { releaseSessions } from '../../../electron/core/optical/Runtime.js';
import { call, tempDir, testEngine } from '../../helpers.js';
import { CODEC_PACK, rememberText } from './helpers.js';

let engine: Engine;
let cleanup: () => Promise<void>;
const events: EventEnvelope[] = [];
const ids: Record<string, string> = {};

beforeAll(async () => {
  process.env.ENGRAM_PACK_DIR = CODEC_PACK;
  const t = await tempDir('engram-chat-');
  cleanup = t.cleanup;
  engine = await testEngine(t.dir, { inProcess: true });
  engine.onEvent((e) => events.push(e));
  const bank = engine.internals.bank;
  const harbour = rememberText(bank, 'harbour.txt', [
    'Harbour notes. The ferry to Inchkeith leaves from pier four. Captain Oyelaran has run it for eleven years.',
    'The bakery on Wharf Street sells cardamom buns on Thursdays only. Its oven was built in 1932.',
  ]);
  const garden = rememberText(bank, 'garden.txt', ['Garden log. Marguerite planted thirty-two apricot trees behind the observatory. The greenhouse roof leaks when the wind is from the east.']);
  const ship = rememberText(bank, 'ship.txt', ['Quartermaster Ibsen counted exactly 1,204 barrels of salted herring aboard the Nordlys.']);
  [ids.ferry, ids.bakery] = harbour.map((m) => m.id);
  ids.garden = garden[0].id;
  ids.ship = ship[0].id;
});
afterAll(async () => {
  await engine.close();
  await releaseSessions();
  await cleanup();
  delete process.env.ENGRAM_PACK_DIR;
});

describe('chat over decoded memories', () => {
  it('answers from the right memory, cites it, and streams the answer', async () => {
    const r = await call(engine, 'chat.ask', { question: 'How many barrels of herring did Ibsen count?', askId: 'q1' });
    expect(r.answer).toBe('1,204');
    expect(r.citations.map((c) => c.id)).toEqual([ids.ship]);
    expect(r.citations[0]).toMatchObject({ source: '/notes/ship.txt', page: 1, level: 'small' });
    expect(r.nothingRemembered).toBe(false);
    const deltas = events.filter((e) => e.event === 'chat.delta' && (e.payload as { askId: string }).askId === 'q1');
    expect(deltas.map((e) => (e.payload as { text: string }).text).join('')).toBe(r.answer);
    expect(events.some((e) => e.event === 'chat.done' && (e.payload as { askId: string }).askId === 'q1')).toBe(true);
    expect(r.firstTokenMs).toBeLessThanOrEqual(r.totalMs);
  });

  it('finds a fact on the second page of a document', async () => {
    const r = await call(engine, 'chat.ask', { question: 'What does the bakery on Wharf Street sell?' });
    expect(r.answer).toMatch(/cardamom buns/);
    expect(r.citations.map((c) => [c.id, c.page])).toEqual([[ids.bakery, 2]]);
  });

  it('selects within the context budget', async () => {
    const all = await call(engine, 'chat.retrieve', { question: 'ferry pier bakery oven Wharf Street Inchkeith', budgetTokens: 400 });
    expect(all.selectedTokens).toBe(200); // both harbour pages, 100 tokens each
    const tight = await call(engine, 'chat.retrieve', { question: 'ferry pier bakery oven Wharf Street Inchkeith', budgetTokens: 150 });
    expect(tight.selectedTokens).toBeLessThanOrEqual(150);
    expect(tight.candidates.filter((c) => c.selected)).toHaveLength(1);
    const none = await call(engine, 'chat.retrieve', { question: 'ferry pier Inchkeith', budgetTokens: 50 });
    expect(none.candidates.some((c) => c.selected)).toBe(false);
  });

  it('counts each memory read as an access, and retrieval alone as none', async () => {
    const bank = engine.internals.bank;
    const before = bank.getMemory(ids.garden)!.accessCount;
    await call(engine, 'chat.retrieve', { question: 'Who planted the apricot trees?' });
    expect(bank.getMemory(ids.garden)!.accessCount).toBe(before);
    const r = await call(engine, 'chat.ask', { question: 'Who planted the apricot trees?' });
    expect(r.answer).toBe('Marguerite');
    expect(bank.getMemory(ids.garden)!.accessCount).toBe(before + 1);
    expect(bank.events(ids.garden).at(-1)?.type).toBe('accessed');
  });

  it('says nothing is remembered, with no citation and no access, for an unrelated question', async () => {
    const bank = engine.internals.bank;
    const counts = () => Object.values(ids).map((id) => bank.getMemory(id)!.accessCount);
    const before = counts();
    const r = await call(engine, 'chat.ask', { question: 'What is the boiling point of mercury in kelvin?' });
    expect(r.answer).toBe('Nothing remembered about that.');
    expect(r.citations).toEqual([]);
    expect(r.nothingRemembered).toBe(true);
    expect(counts()).toEqual(before);
  });

  it('re-decodes a memory whose tokens faded, and forgets what they no longer hold', async () => {
    const bank = engine.internals.bank;
    const m = bank.getMemory(ids.ship)!;
    const faded = recompress({ ...bank.getTokens(ids.ship)!, level: m.level }, 'gist4');
    bank.setTokens(ids.ship, faded.level, faded.tokens, faded.count, faded.dim, 'faded', {});
    const sync = await call(engine, 'chat.syncIndex', {});
    expect(sync.decoded).toBe(1);
    const r = await call(engine, 'chat.ask', { question: 'How many barrels of herring did Ibsen count?' });
    expect(r.citations).toEqual([]);
    expect(r.answer).toBe('Nothing remembered about that.');
  });

  it('keeps its settings, with the local server off by default', async () => {
    expect((await call(engine, 'chat.getSettings', {})).answerer).toBe('extractive');
    const s = await call(engine, 'chat.setSettings', { openai: { model: 'qwen2.5:3b' } });
    expect(s.openai).toMatchObject({ model: 'qwen2.5:3b', baseUrl: 'http://127.0.0.1:11434/v1' });
    expect(s.answerer).toBe('extractive');
  });
});

describe('chat without a decoder', () => {
  it('says nothing is remembered and why, rather than guessing', async () => {
    const t = await tempDir('engram-chat-nopack-');
    const saved = process.env.ENGRAM_PACK_DIR;
    process.env.ENGRAM_PACK_DIR = `${t.dir}/no-such-pack`;
    const e = await testEngine(t.dir, { inProcess: true });
    try {
      rememberText(e.internals.bank, 'ship.txt', ['Quartermaster Ibsen counted exactly 1,204 barrels of salted herring aboard the Nordlys.']);
      const r = await call(e, 'chat.ask', { question: 'How many barrels did Ibsen count?' });
      expect(r).toMatchObject({ answer: 'Nothing remembered about that.', citations: [], nothingRemembered: true });
      expect(r.notes.join(' ')).toMatch(/1 memory cannot be read back: no decoder: .*manifest\.json is missing/);
    } finally {
      await e.close();
      process.env.ENGRAM_PACK_DIR = saved;
      await t.cleanup();
    }
  });
});
