// Window state: parsing what is on disk, clamping it to the displays attached now, and the file round trip.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_STATE, MIN_SIZE, clampWindowState, loadWindowState, parseWindowState, saveWindowState } from '../../electron/main/windowState.js';

const laptop = { x: 0, y: 0, width: 1440, height: 875 };
const rightMonitor = { x: 1440, y: 0, width: 2560, height: 1415 };

describe('parseWindowState', () => {
  it('falls back to the default for missing, broken or partial files', () => {
    expect(parseWindowState(null)).toEqual(DEFAULT_STATE);
    expect(parseWindowState('{not json')).toEqual(DEFAULT_STATE);
    expect(parseWindowState('{"x": 10}')).toEqual(DEFAULT_STATE);
    expect(parseWindowState('{"width": "wide", "height": 600}')).toEqual(DEFAULT_STATE);
  });
  it('keeps a position only when both coordinates are numbers', () => {
    expect(parseWindowState('{"width": 900, "height": 600, "x": 5}')).toEqual({ width: 900, height: 600, maximized: false });
    expect(parseWindowState('{"width": 900, "height": 600, "x": 5, "y": 6, "maximized": true}')).toEqual({ width: 900, height: 600, x: 5, y: 6, maximized: true });
  });
});

describe('clampWindowState', () => {
  it('keeps a window that fits its display', () => {
    const s = { x: 100, y: 50, width: 1000, height: 700, maximized: false };
    expect(clampWindowState(s, [laptop])).toEqual(s);
  });
  it('drops the position of a window left on a monitor that is gone, so it is centred', () => {
    const s = { x: 2000, y: 100, width: 1200, height: 800, maximized: false };
    expect(clampWindowState(s, [laptop, rightMonitor])).toEqual(s);
    expect(clampWindowState(s, [laptop])).toEqual({ width: 1200, height: 800, maximized: false });
  });
  it('shrinks a window larger than any display', () => {
    const s = { x: 0, y: 0, width: 3000, height: 2000, maximized: true };
    expect(clampWindowState(s, [laptop])).toEqual({ x: 0, y: 0, width: 1440, height: 875, maximized: true });
  });
  it('pulls a window hanging off an edge back inside its display', () => {
    const s = { x: 1000, y: -20, width: 800, height: 600, maximized: false };
    expect(clampWindowState(s, [laptop])).toEqual({ x: 640, y: 0, width: 800, height: 600, maximized: false });
  });
  it('forgets a position whose title bar is above every display', () => {
    const s = { x: 100, y: -700, width: 800, height: 600, maximized: false };
    expect(clampWindowState(s, [laptop])).toEqual({ width: 800, height: 600, maximized: false });
  });
  it('raises a tiny remembered size to the minimum, unless the display is smaller still', () => {
    const s = { width: 100, height: 100, maximized: false };
    expect(clampWindowState(s, [laptop])).toEqual({ ...MIN_SIZE, maximized: false });
    expect(clampWindowState(s, [{ x: 0, y: 0, width: 640, height: 400 }])).toEqual({ width: 640, height: 400, maximized: false });
  });
  it('leaves the state alone when no display is known', () => {
    const s = { x: 9999, y: 9999, width: 800, height: 600, maximized: false };
    expect(clampWindowState(s, [])).toEqual(s);
  });
});

describe('load and save', () => {
  let dir: string | undefined;
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('round-trips through a real file, creating its folder, and clamps on load', () => {
    dir = mkdtempSync(join(tmpdir(), 'engram-winstate-'));
    const file = join(dir, 'nested', 'window-state.json');
    expect(loadWindowState(file, [laptop])).toEqual(DEFAULT_STATE);
    saveWindowState(file, { x: 2000, y: 10, width: 900, height: 650, maximized: false });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ x: 2000, width: 900 });
    expect(loadWindowState(file, [laptop, rightMonitor])).toEqual({ x: 2000, y: 10, width: 900, height: 650, maximized: false });
    expect(loadWindowState(file, [laptop])).toEqual({ width: 900, height: 650, maximized: false });
    writeFileSync(file, 'garbage');
    expect(loadWindowState(file, [laptop])).toEqual(DEFAULT_STATE);
  });
});
