import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaptureOutcome } from '../../../electron/contract/capture.js';
import type { Engine } from '../../../electron/core/Engine.js';
import { activeWindowReader } from '../../../electron/core/capture/activeWindow.js';
import { CaptureScheduler } from '../../../electron/core/capture/CaptureScheduler.js';
import { findTextReader } from '../../../electron/core/capture/ocr.js';
import { decodeFrame, redact } from '../../../electron/core/capture/frame.js';
import { findSensitive } from '../../../electron/core/capture/privacy.js';
import { alwaysActive, desktopScreenshotter } from '../../../electron/core/capture/screens.js';
import { call, tempDir, testEngine, waitFor } from '../../helpers.js';
import { hasXvfb, startX, type XDisplay } from './xdisplay.js';

if (!hasXvfb) console.log('capture tests skipped: Xvfb is not installed (apt-get install xvfb xterm xdotool tesseract-ocr imagemagick x11-xserver-utils)');

describe.skipIf(!hasXvfb)('capture under Xvfb', () => {
  let x: XDisplay;
  let dir: string;
  let cleanup: () => Promise<void>;
  let engine: Engine;
  let scheduler: CaptureScheduler;
  let clock = Date.parse('2026-11-23T09:00:00Z');
  const notes = () => join(dir, 'notes.txt');
  const memories = () => engine.internals.bank.countMemories();
  const tick = async (advanceMs: number): Promise<CaptureOutcome> => {
    clock += advanceMs;
    const [o] = await scheduler.tick(true);
    return o;
  };

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('engram-capture-'));
    x = await startX();
    process.env.DISPLAY = x.display;
    engine = await testEngine(join(dir, 'data'), { inProcess: true });
    scheduler = new CaptureScheduler({
      bank: engine.internals.bank,
      producer: engine.internals.producer,
      dataDir: engine.dataDir,
      now: () => clock,
      mode: () => 'tiny',
      paused: () => false,
      screenshotter: desktopScreenshotter(),
      presence: alwaysActive,
      activeWindow: activeWindowReader({ ...process.env, DISPLAY: x.display }),
      textReader: findTextReader,
    });
    await x.window('Notes — capture test', notes(), ['Reading about optical memory', 'line two of the notes']);
  });
  afterAll(async () => {
    await engine?.close();
    await x?.close();
    await cleanup?.();
  });

  it('stores the first capture, then nothing while the screen stays the same', async () => {
    const first = await tick(0);
    expect(first).toMatchObject({ reason: 'stored', stored: true, window: { app: 'XTerm', title: 'Notes — capture test' } });
    expect(first.source).toBe('screen:XTerm — Notes — capture test');
    const m = engine.internals.bank.getMemory(first.memoryId!)!;
    expect(m.kind).toBe('screenshot');
    expect(await tick(10_000)).toMatchObject({ reason: 'unchanged', stored: false });
    expect(memories()).toBe(1);
  });

  it('stores a change at the next interval', async () => {
    await x.append(notes(), 'a new paragraph appears on the screen right now');
    expect(await tick(10_000)).toMatchObject({ reason: 'stored', stored: true });
    expect(memories()).toBe(2);
  });

  it('redacts or drops a capture showing a card number, as configured', async () => {
    scheduler.setSettings({ sensitiveAction: 'redact' });
    await x.append(notes(), 'card 4111 1111 1111 1111 exp 12/29');
    const redacted = await tick(10_000);
    expect(redacted).toMatchObject({ reason: 'stored', stored: true, sensitive: { kinds: ['card'], action: 'redacted' } });
    expect(memories()).toBe(3);
    expect(scheduler.recentChunks(1)[0]).toMatchObject({ memoryId: redacted.memoryId, redacted: ['card'] });
    // What redaction paints over is gone for a reader too.
    const screens = desktopScreenshotter();
    const frame = await decodeFrame(await screens.capture((await screens.displays())[0]));
    const reader = (await findTextReader())!;
    const found = findSensitive(await reader.read(frame.bytes));
    expect(found.map((f) => f.kind)).toContain('card');
    expect(findSensitive(await reader.read(await redact(frame, found.flatMap((f) => f.boxes))))).toEqual([]);

    scheduler.setSettings({ sensitiveAction: 'drop' });
    await x.append(notes(), 'and again the same card 4111-1111-1111-1111');
    const dropped = await tick(10_000);
    expect(dropped).toMatchObject({ reason: 'sensitive-dropped', stored: false, sensitive: { action: 'dropped' } });
    expect(dropped.sensitive!.kinds).toContain('card');
    expect(memories()).toBe(3);
    expect(scheduler.chunks.dropped()).toEqual([expect.objectContaining({ action: 'dropped', kinds: dropped.sensitive!.kinds })]);
  });

  it('makes 3 chunks of a 30 s burst of changes', async () => {
    // Out of the card's sight first: a fresh screen, so the filter has nothing to drop.
    await x.window('Burst — capture test', join(dir, 'burst.txt'), ['a burst of typing']);
    const before = memories();
    const reasons: string[] = [];
    clock += 10_000;
    for (let i = 0; i < 15; i++) {
      await x.append(join(dir, 'burst.txt'), `typed line ${i} ${'word '.repeat(6)}`);
      reasons.push((await tick(i === 0 ? 0 : 2000)).reason);
    }
    expect(reasons.filter((r) => r === 'stored')).toHaveLength(3);
    expect(reasons.filter((r) => r === 'chunked')).toHaveLength(12);
    expect(memories() - before).toBe(3);
    const chunks = scheduler.recentChunks(3);
    // Keyframes at 0, 12 and 24 s: each chunk takes the captures within 10 s of its keyframe.
    expect(chunks.map((c) => c.frames)).toEqual([3, 6, 6]);
    expect(chunks.every((c) => c.source === 'screen:XTerm — Burst — capture test' && c.changes.length === c.frames - 1)).toBe(true);
  });

  it('stores nothing from an excluded window, nor from Engram’s own', async () => {
    const before = memories();
    await x.window('Private Browsing — Mozilla Firefox', join(dir, 'private.txt'), ['my private browsing']);
    expect(await tick(10_000)).toMatchObject({ reason: 'excluded', stored: false });
    await x.window('Engram', join(dir, 'own.txt'), ['engram itself']);
    const own = await tick(10_000);
    expect(own, JSON.stringify(own.window)).toMatchObject({ reason: 'own-window', stored: false });
    scheduler.setSettings({ exclusions: { apps: [], titles: ['secret project'] } });
    await x.window('The Secret Project plan', join(dir, 'plan.txt'), ['plans']);
    expect(await tick(10_000)).toMatchObject({ reason: 'excluded', detail: 'window title matches “secret project”' });
    expect(memories()).toBe(before);
  });

  it('captures on its timer once enabled through the routes, and stops at once when turned off', async () => {
    await x.window('Timer — capture test', join(dir, 'timer.txt'), ['the timer window']);
    const app = await testEngine(join(dir, 'app'), { inProcess: true, watch: true });
    try {
      const taken: CaptureOutcome[] = [];
      app.onEvent((e) => e.event === 'capture.taken' && taken.push(e.payload as CaptureOutcome));
      const initial = await call(app, 'capture.getState', {});
      expect(initial).toMatchObject({ enabled: false, capturing: false, intervalSeconds: 10, sensitiveAction: 'redact', lastCapture: null });
      expect(initial.exclusions.apps).toContain('KeePassXC');
      expect(await call(app, 'capture.setSettings', { enabled: true, intervalSeconds: 1 })).toMatchObject({ enabled: true, capturing: true });
      await waitFor(() => taken.find((t) => t.stored), 'a capture on the timer');
      const off = await call(app, 'capture.setSettings', { enabled: false });
      expect(off).toMatchObject({ enabled: false, capturing: false, lastCapture: { stored: true, reason: 'stored' } });
      const count = taken.length;
      await x.append(join(dir, 'timer.txt'), 'a change nobody should capture');
      await new Promise((r) => setTimeout(r, 2500));
      expect(taken.length).toBe(count);
      const { chunks } = await call(app, 'capture.chunks', {});
      expect(chunks[0]).toMatchObject({ source: 'screen:XTerm — Timer — capture test' });
    } finally {
      await app.close();
    }
  });
});
