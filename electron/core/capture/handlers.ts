// The capture routes' handlers, built on the engine context: one scheduler per engine, started with the app
// (ctx.onStart) and stopped on close, with the real screen, window and OCR readers of this machine.
import type { captureRoutes } from '../../contract/capture.js';
import type { EngineContext } from '../context.js';
import type { Handlers } from '../router.js';
import { activeWindowReader } from './activeWindow.js';
import { CaptureScheduler } from './CaptureScheduler.js';
import { findTextReader, type TextReader } from './ocr.js';
import { desktopScreenshotter, systemPresence } from './screens.js';

export function createCaptureScheduler(ctx: EngineContext): CaptureScheduler {
  let reader: Promise<TextReader | null> | null = null;
  return new CaptureScheduler({
    bank: ctx.bank,
    producer: ctx.producer,
    dataDir: ctx.dataDir,
    now: ctx.now,
    mode: () => ctx.settings().defaultMode,
    paused: () => ctx.settings().paused,
    screenshotter: desktopScreenshotter(),
    presence: systemPresence(),
    activeWindow: activeWindowReader(),
    textReader: () => (reader ??= findTextReader()),
    onMemories: (memories) => {
      ctx.emit('memory.created', { memories });
      ctx.forgetting.poke();
    },
    onRemoved: (ids) => ctx.emit('memory.removed', { ids }),
    onTaken: (outcome) => ctx.emit('capture.taken', outcome),
    onChanged: (state) => ctx.emit('capture.changed', state),
  });
}

export function captureHandlers(ctx: EngineContext): Pick<Handlers, keyof typeof captureRoutes> {
  const scheduler = createCaptureScheduler(ctx);
  ctx.onStart(() => {
    scheduler.start();
    scheduler.applyRetention(scheduler.settings().retentionDays);
  });
  ctx.onClose(() => scheduler.stop());
  return {
    'capture.getState': () => scheduler.state(),
    'capture.setSettings': (patch) => scheduler.setSettings(patch),
    'capture.once': async () => ({ outcomes: await scheduler.tick(true) }),
    'capture.chunks': ({ limit }) => ({ chunks: scheduler.recentChunks(limit) }),
  };
}
