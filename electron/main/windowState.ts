// The main window's remembered size and position, kept as JSON in userData and clamped to a visible display.
// Pure functions plus a tiny file store, so clamping is tested without Electron and a lost monitor never hides the window.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  /** Absent on first launch: the window is centred by Electron. */
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const DEFAULT_STATE: WindowState = { width: 1200, height: 800, maximized: false };
export const MIN_SIZE = { width: 720, height: 480 };

/** How much of the title bar must stay on a display for a position to be kept. */
const MIN_VISIBLE = 64;

/** A state read from disk, or the default when the file is missing, unreadable or nonsense. */
export function parseWindowState(text: string | null): WindowState {
  if (!text) return { ...DEFAULT_STATE };
  try {
    const v = JSON.parse(text) as Partial<WindowState>;
    const num = (n: unknown) => typeof n === 'number' && Number.isFinite(n);
    if (!num(v.width) || !num(v.height)) return { ...DEFAULT_STATE };
    const state: WindowState = { width: v.width!, height: v.height!, maximized: v.maximized === true };
    if (num(v.x) && num(v.y)) Object.assign(state, { x: v.x, y: v.y });
    return state;
  } catch {
    return { ...DEFAULT_STATE };
  }
}

/**
 * Fit a remembered state to the displays attached now (their work areas): the size shrinks to the
 * largest display, and a position whose title bar no display shows is dropped so Electron centres it.
 */
export function clampWindowState(state: WindowState, workAreas: Rect[]): WindowState {
  if (workAreas.length === 0) return { ...state };
  const maxW = Math.max(...workAreas.map((a) => a.width));
  const maxH = Math.max(...workAreas.map((a) => a.height));
  const width = Math.round(Math.max(Math.min(state.width, maxW), Math.min(MIN_SIZE.width, maxW)));
  const height = Math.round(Math.max(Math.min(state.height, maxH), Math.min(MIN_SIZE.height, maxH)));
  const out: WindowState = { width, height, maximized: state.maximized };
  if (state.x === undefined || state.y === undefined) return out;

  // The title bar strip: the top MIN_VISIBLE px of the window.
  const bar: Rect = { x: state.x, y: state.y, width, height: Math.min(MIN_VISIBLE, height) };
  const needed = Math.min(MIN_VISIBLE, width) * Math.min(MIN_VISIBLE / 2, bar.height);
  const home = workAreas.find((a) => overlap(bar, a) >= needed);
  if (!home) return out;
  // Pull the window inside its display so no edge hangs off it.
  const x = Math.min(Math.max(state.x, home.x), home.x + home.width - Math.min(width, home.width));
  const y = Math.min(Math.max(state.y, home.y), home.y + home.height - Math.min(height, home.height));
  return { ...out, x: Math.round(x), y: Math.round(y) };
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

export function loadWindowState(file: string, workAreas: Rect[]): WindowState {
  let text: string | null = null;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    // First launch, or the file was removed: the default is right.
  }
  return clampWindowState(parseWindowState(text), workAreas);
}

export function saveWindowState(file: string, state: WindowState): void {
  mkdirSync(dirname(file), { recursive: true });
  // Write then rename, so a crash mid-write leaves the old state rather than half a JSON file.
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2));
  renameSync(tmp, file);
}
