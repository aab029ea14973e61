import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../electron/core/Engine.js';
import { CaptureScheduler } from '../../../electron/core/capture/CaptureScheduler.js';
import { compareFrames, decodeFrame, newText } from '../../../electron/core/capture/frame.js';
import { alwaysActive, type Screenshotter } from '../../../electron/core/capture/screens.js';
import type { TextReader } from '../../../electron/core/capture/ocr.js';
import { tempDir, testEngine } from '../../helpers.js';

/** A screen that shows whatever text it is told: real PNGs, no X needed for the bookkeeping rules. */
function paintedScreen(): Screenshotter & { text: string } {
  const s = {
    text: 'first',
    displays: async () => [{ id: '0', name: 'screen' }],
    capture: async () => {
      const c = createCanvas(320, 200);
      const ctx = c.getContext('2d');
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, 320, 200);
      ctx.fillStyle = '#000';
      ctx.font = '32px sans-serif';
      ctx.fillText(s.text, 10, 100);
      return new Uint8Array(await c.encode('png'));
    },
  };
  return s;
}

const DAY = 24 * 60 * 60 * 1000;
const noText: TextReader = { name: 'none', read: async () => [] };

describe('capture bookkeeping', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let engine: Engine;
  let clock: number;
  let screen: ReturnType<typeof paintedScreen>;
  const make = (reader: TextReader | null, removed: string[] = []) =>
    new CaptureScheduler({
      bank: engine.internals.bank,
      producer: engine.internals.producer,
      dataDir: engine.dataDir,
      now: () => clock,
      mode: () => 'tiny',
      paused: () => false,
      screenshotter: screen,
      presence: alwaysActive,
      activeWindow: async () => ({ app: 'Editor', title: 'draft.md' }),
      textReader: async () => reader,
      onRemoved: (ids) => removed.push(...ids),
    });

  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir('engram-capture-ret-'));
    engine = await testEngine(join(dir, 'data'), { inProcess: true });
    // The bank stamps memories with the real time (testEngine has no clock), so the injected clock starts there.
    clock = Date.now();
    screen = paintedScreen();
  });
  afterEach(async () => {
    await engine.close();
    await cleanup();
  });

  it('drops captures older than the retention limit, and logs why', async () => {
    const removed: string[] = [];
    const s = make(noText, removed);
    s.setSettings({ retentionDays: 7 });
    const [first] = await s.tick(true);
    expect(first.reason).toBe('stored');
    clock += 8 * DAY;
    screen.text = 'second';
    const [second] = await s.tick(true);
    expect(second.reason).toBe('stored');
    expect(removed).toEqual([first.memoryId]);
    expect(engine.internals.bank.getMemory(first.memoryId!)).toBeNull();
    const log = engine.internals.bank.events(first.memoryId!);
    expect(log.at(-1)).toMatchObject({ type: 'dropped', data: { reason: 'capture retention: older than 7 days' } });
    expect(s.recentChunks(10).map((c) => c.memoryId)).toEqual([second.memoryId]);
  });

  it('stores nothing unchecked when no text reader exists', async () => {
    const [o] = await make(null).tick(true);
    expect(o).toMatchObject({ reason: 'filter-unavailable', stored: false });
    expect(engine.internals.bank.countMemories()).toBe(0);
  });

  it('captures nothing on its timer while off', async () => {
    const s = make(noText);
    expect((await s.tick(false))[0].reason).toBe('disabled');
    expect(s.state()).toMatchObject({ enabled: false, capturing: false });
  });
});

describe('new text between frames', () => {
  const page = async (lines: string[], top: number) => {
    const c = createCanvas(400, 300);
    const ctx = c.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, 400, 300);
    ctx.fillStyle = '#000';
    ctx.font = '16px sans-serif';
    lines.forEach((l, i) => ctx.fillText(l, 10, top + i * 20));
    return decodeFrame(new Uint8Array(await c.encode('png')));
  };
  it('sees a scroll as a shift, and only the line that scrolled in as new', async () => {
    const lines = Array.from({ length: 12 }, (_, i) => `line ${i} of a page that scrolls`);
    const before = await page(lines.slice(0, 10), 30);
    const after = await page(lines.slice(1, 11), 30);
    const plan = newText(before, after, compareFrames(before, after).box)!;
    expect(plan.dy).toBe(20);
    expect(plan.bands).toHaveLength(1);
    expect(plan.bands[0].y).toBeGreaterThan(180); // the last line, near y = 30 + 9 * 20
    expect(newText(before, before, null)).toBeNull();
  });
});
