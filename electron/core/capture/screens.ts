// How capture sees the screen: a Screenshotter (every display as an image) and a Presence (active, idle, locked),
// both interfaces so the scheduler runs on fakes or real X alike. The real ones use screenshot-desktop and xprintidle.
import { type CommandRunner, commandRunner } from './helper.js';

export interface Display {
  id: string;
  name: string;
}

export interface Screenshotter {
  displays(): Promise<Display[]>;
  /** The display as PNG or BMP bytes. */
  capture(display: Display): Promise<Uint8Array>;
}

export type PresenceState = 'active' | 'idle' | 'locked';

export interface Presence {
  state(): Promise<PresenceState>;
}

/** Displays rarely change; asking xrandr each tick would double the processes a capture spawns. */
const DISPLAYS_TTL_MS = 60_000;

/**
 * screenshot-desktop: X via xrandr + ImageMagick's `import` on Linux, screencapture on macOS, a helper on Windows;
 * run from the capture helper on Linux, where each of its commands would otherwise fork the whole engine.
 */
export function desktopScreenshotter(runner: CommandRunner = commandRunner()): Screenshotter {
  let cached: { at: number; displays: Display[] } | null = null;
  return {
    async displays() {
      if (cached && Date.now() - cached.at < DISPLAYS_TTL_MS) return cached.displays;
      const list = await runner.displays();
      const displays = list.map((d, i) => ({ id: String(d.id), name: d.name ?? `display ${i + 1}` }));
      cached = { at: Date.now(), displays };
      return displays;
    },
    async capture(display) {
      // On X, `import` spends most of its time compressing PNG: BMP costs a third, and only keyframes become PNG later.
      const format = process.platform === 'linux' ? 'bmp' : 'png';
      return runner.screenshot({ screen: display.id, format });
    },
  };
}

/** After this long without input the person is away, and an unchanged screen is all a capture would see. */
export const IDLE_AFTER_MS = 5 * 60 * 1000;

/**
 * Linux/X: idle from `xprintidle` (milliseconds since the last input); without it, always active. A locked
 * screen shows up as idle (no input), which is enough to stop capturing it. macOS/Windows: always active for now.
 */
export function systemPresence(env: NodeJS.ProcessEnv = process.env, idleAfterMs = IDLE_AFTER_MS, runner: CommandRunner = commandRunner()): Presence {
  let missing = process.platform !== 'linux' || !env.DISPLAY;
  // Input 20 s ago means active for idleAfterMs - 20 s more, whatever happens meanwhile: no need to ask again until then.
  let activeUntil = -Infinity;
  return {
    async state() {
      if (missing) return 'active';
      if (Date.now() < activeUntil) return 'active';
      const asked = Date.now();
      const ms = await runner.run('xprintidle', [], { env, timeoutMs: 2000 }).then(
        (out) => Number(out.toString().trim()),
        () => null,
      );
      if (ms === null || !Number.isFinite(ms)) {
        missing = true;
        return 'active';
      }
      if (ms >= idleAfterMs) return 'idle';
      activeUntil = asked + idleAfterMs - ms;
      return 'active';
    },
  };
}

export const alwaysActive: Presence = { state: async () => 'active' };
