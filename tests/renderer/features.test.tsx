// The timeline, chat and capture slices against a fake engine behind the bridge: the timeline's axis and cursor,
// a streamed answer saved with its citations to IndexedDB (fake-indexeddb), and capture turned off at once.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaptureState, ChatAnswer, Citation, EngramBridge, EventName, EventPayload, RouteInput, RouteName, RouteOutput, TimelineAt } from '../../electron/contract';
import { createBridgeClient, setClient } from '../../renderer/api/client';
import { resetStore, useStore } from '../../renderer/store';
import { chatHistory, resetChatHistory, threadMarkdown } from '../../renderer/store/chatHistory';
import { CURSOR_MAX, cursorTime, daysCursor, nowCursor, timeCursor, type Axis } from '../../renderer/store/timelineSlice';

const DAY = 86_400_000;
const NOW = Date.now();

const citation: Citation = {
  id: 'm3', documentId: 'd', source: '/docs/facts.pdf', name: 'facts.pdf', page: 3, pages: 4, level: 'small', tokens: 100,
  createdAt: new Date(NOW).toISOString(), thumbnail: null, sourceGone: false, score: 0.9,
};

class FakeEngine implements EngramBridge {
  calls: { name: string; input: unknown }[] = [];
  capture: CaptureState = {
    enabled: true, intervalSeconds: 10, exclusions: { apps: ['KeePassXC'], titles: [] }, sensitiveAction: 'redact', retentionDays: 30, capturing: true, filter: null, lastCapture: null,
  };
  /** Resolves chat.ask; the test emits deltas before calling it. */
  answer: ((a: ChatAnswer) => void) | null = null;
  private listeners = new Map<string, Set<(p: never) => void>>();

  async call<N extends RouteName>(name: N, input: RouteInput<N>): Promise<RouteOutput<N>> {
    this.calls.push({ name, input });
    const answer = (v: unknown) => v as RouteOutput<N>;
    switch (name) {
      case 'timeline.series':
        return answer({ start: new Date(NOW - 10 * DAY).toISOString(), now: new Date(NOW).toISOString(), budget: 1000, points: [] });
      case 'timeline.curve':
        return answer({ curves: [] });
      case 'timeline.at': {
        const at = Date.parse((input as { at: string }).at);
        const level = at > NOW + 100 * DAY ? 'gist4' : 'small';
        const tl: TimelineAt = {
          at: new Date(at).toISOString(), kind: at > NOW + 1000 ? 'future' : 'now', budget: 1000, tokens: level === 'small' ? 100 : 4,
          memories: [{ id: 'm3', source: '/docs/facts.pdf', name: 'facts.pdf', page: 3, kind: 'pdf', mode: 'small', level, tokens: level === 'small' ? 100 : 4, importance: 5, score: 0.5, createdAt: new Date(NOW).toISOString() }],
        };
        return answer(tl);
      }
      case 'memory.get':
        throw new Error('not_found: no memory');
      case 'memory.decode': {
        const { id, level } = input as { id: string; level: string };
        return answer({ id, level, tokens: level === 'small' ? 100 : 4, text: level === 'small' ? 'The lighthouse keeper paints the door teal.' : null, note: level === 'small' ? null : 'finer tokens were forgotten' });
      }
      case 'chat.ask':
        return new Promise((resolve) => (this.answer = (a) => resolve(answer(a))));
      case 'capture.setSettings':
        this.capture = { ...this.capture, ...(input as object), capturing: (input as { enabled?: boolean }).enabled ?? this.capture.capturing };
        return answer(this.capture);
      case 'capture.getState':
        return answer(this.capture);
      default:
        throw new Error(`unsupported: ${name}`);
    }
  }
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (p: never) => void);
    return () => void set.delete(listener as (p: never) => void);
  }
  emit<E extends EventName>(event: E, payload: EventPayload<E>) {
    for (const l of this.listeners.get(event) ?? []) l(payload as never);
  }
}

const settle = () => new Promise((r) => setTimeout(r, 5));
let engine: FakeEngine;

beforeEach(async () => {
  resetStore();
  await resetChatHistory();
  engine = new FakeEngine();
  setClient(createBridgeClient(engine));
});
afterEach(() => setClient(null));

describe('timeline axis', () => {
  const axis: Axis = { start: NOW - 10 * DAY, now: NOW, horizonDays: 365 };

  it('maps the past linearly, now to the live clock, and the future so a week ahead gets room', () => {
    expect(cursorTime(axis, 0, NOW)).toBe(NOW - 10 * DAY);
    expect(cursorTime(axis, nowCursor(axis), NOW + 5)).toBe(NOW + 5);
    expect(cursorTime(axis, CURSOR_MAX, NOW)).toBe(NOW + 365 * DAY);
    expect(daysCursor(axis, 7) - nowCursor(axis)).toBeGreaterThan(60);
    for (const c of [0, 100, 320, 500, 777, 1000]) expect(timeCursor(axis, cursorTime(axis, c, NOW))).toBe(c);
  });

  it('with no memories yet the whole axis is the future', () => {
    expect(nowCursor({ start: null })).toBe(0);
  });
});

describe('timeline slice', () => {
  it('loads at now, seeks a year ahead, and decodes the chosen memory at each level once', async () => {
    await useStore.getState().loadTimeline();
    let s = useStore.getState();
    expect(s.cursor).toBe(nowCursor(s.axis!));
    expect(s.at?.memories[0].level).toBe('small');
    await s.decodeAt('m3', 'small');
    await useStore.getState().seek(CURSOR_MAX);
    s = useStore.getState();
    expect(s.at?.kind).toBe('future');
    expect(s.at?.memories[0].level).toBe('gist4');
    await s.decodeAt('m3', 'gist4');
    await s.decodeAt('m3', 'gist4');
    s = useStore.getState();
    expect(s.decodedAt['m3@small'].text).toContain('teal');
    expect(s.decodedAt['m3@gist4']).toMatchObject({ text: null, note: 'finer tokens were forgotten' });
    expect(engine.calls.filter((c) => c.name === 'memory.decode')).toHaveLength(2);
  });

  it('refreshTimeline does nothing until the timeline was opened, then keeps the cursor on its moment', async () => {
    await useStore.getState().refreshTimeline();
    expect(engine.calls).toEqual([]);
    await useStore.getState().loadTimeline();
    await useStore.getState().seek(CURSOR_MAX);
    await useStore.getState().refreshTimeline();
    expect(useStore.getState().cursor).toBe(CURSOR_MAX);
    expect(useStore.getState().at?.kind).toBe('future');
  });
});

describe('chat slice', () => {
  it('streams deltas for its own askId, then saves the answer with its citations to IndexedDB', async () => {
    const asking = useStore.getState().ask('What colour is the door?');
    while (!useStore.getState().streaming) await settle();
    const { askId, threadId } = useStore.getState().streaming!;
    engine.emit('chat.delta', { askId: 'someone-else', text: 'no' });
    useStore.getState().applyChatDelta(askId, 'The door');
    useStore.getState().applyChatDelta(askId, ' is teal.');
    expect(useStore.getState().streaming?.text).toBe('The door is teal.');
    engine.answer!({
      askId, question: 'What colour is the door?', answer: 'The door is teal.', nothingRemembered: false, citations: [citation], answerer: 'extractive',
      contextTokens: 100, budgetTokens: 400, firstTokenMs: 5, totalMs: 9, notes: [],
    });
    await asking;
    const s = useStore.getState();
    expect(s.streaming).toBeNull();
    expect(s.messages.map((m) => [m.role, m.text])).toEqual([
      ['user', 'What colour is the door?'],
      ['assistant', 'The door is teal.'],
    ]);
    expect(s.threads.map((t) => t.title)).toEqual(['What colour is the door?']);

    // A fresh store (a reload) finds the thread and its citation again.
    resetStore();
    await useStore.getState().loadChat();
    const again = useStore.getState();
    expect(again.threadId).toBe(threadId);
    expect(again.messages[1].citations).toEqual([citation]);
    const md = threadMarkdown(again.threads[0], await chatHistory().listMessages(threadId));
    expect(md).toContain('## What colour is the door?');
    expect(md).toContain('- facts.pdf, page 3 of 4 (small, 100 tokens');
  });

  it('a failed answer is kept with its reason and what had streamed', async () => {
    engine.call = async () => {
      throw new Error('internal: the answerer crashed');
    };
    await useStore.getState().ask('Anything?');
    const last = useStore.getState().messages.at(-1)!;
    expect(last).toMatchObject({ role: 'assistant', error: 'the answerer crashed', citations: [] });
  });
});

describe('capture slice', () => {
  it('turning capture off shows at once, before the engine answers', async () => {
    await useStore.getState().loadCapture();
    expect(useStore.getState().capture?.capturing).toBe(true);
    const off = useStore.getState().setCapture({ enabled: false });
    expect(useStore.getState().capture).toMatchObject({ enabled: false, capturing: false });
    expect(await off).toBe(true);
    expect(engine.calls.at(-1)).toEqual({ name: 'capture.setSettings', input: { enabled: false } });
  });
});
