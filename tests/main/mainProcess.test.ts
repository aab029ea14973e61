// The bundled main process, run end to end on a stand-in `electron` with the real engine: the window is locked
// down, IPC trusts only our window, a markdown file ingested over IPC comes back as an event, the tray pauses ingest.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildElectron } from '../../scripts/build-electron.mjs';

const root = join(import.meta.dirname, '..', '..');
let dir: string;
let observed: Record<string, any>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'engram-main-'));
  // A miniature app folder: the bundles, a renderer page, and the real node_modules for the externals.
  await buildElectron({ outdir: join(dir, 'app', 'dist', 'electron') });
  mkdirSync(join(dir, 'app', 'dist', 'renderer'), { recursive: true });
  writeFileSync(join(dir, 'app', 'dist', 'renderer', 'index.html'), '<!doctype html><title>Engram</title>');
  writeFileSync(join(dir, 'app', 'package.json'), '{"name":"engram","version":"0.1.0"}');
  symlinkSync(join(root, 'node_modules'), join(dir, 'app', 'node_modules'), 'dir');
  const note = join(dir, 'shell-note.md');
  writeFileSync(note, '# Shell note\n\nIngested through the IPC transport.\n');

  const run = spawnSync(process.execPath, [join(import.meta.dirname, 'fixtures', 'drive-main.cjs'), join(dir, 'app', 'dist', 'electron', 'main.cjs'), join(dir, 'data'), note], {
    encoding: 'utf8',
    timeout: 150_000,
    // The shell's wiring is under test, not the model: the pooling encoder keeps the run fast and pack-free.
    env: { ...process.env, ENGRAM_ENCODER: 'pool' },
  });
  if (run.status !== 0) throw new Error(`the main process run failed (${run.status}):\n${run.stderr}\n${run.stdout}`);
  observed = JSON.parse(run.stdout.trim().split('\n').pop()!);
}, 180_000);
afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

describe('main process on a stand-in electron', () => {
  it('enables the sandbox, registers engram:// and keeps a --data run in its own profile', () => {
    expect(observed.sandboxEnabled).toBe(true);
    expect(observed.privileged).toEqual([{ scheme: 'engram', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    expect(observed.userData).toBe(join(dir, 'data', '.electron'));
  });

  it('opens a locked-down window on engram://app with the bundled preload', () => {
    expect(observed.url).toBe('engram://app/index.html');
    expect(observed.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
    expect(observed.webPreferences.preload).toBe(join(dir, 'app', 'dist', 'electron', 'preload.cjs'));
    expect(observed.page.status).toBe(200);
    expect(observed.page.csp).toContain("script-src 'self'");
  });

  it('blocks navigation away, new windows and permission requests', () => {
    expect(observed.navigateAway).toBe(true);
    expect(observed.navigateOwn).toBe(false);
    expect(observed.openWindow).toEqual({ action: 'deny' });
    expect(observed.permission).toBe(false);
  });

  it('answers IPC calls from our window, refuses strangers and malformed envelopes', () => {
    expect(observed.info).toMatchObject({ id: 1, ok: true, value: { transport: 'ipc', canPickFiles: true, dataDir: join(dir, 'data') } });
    expect(observed.stranger).toMatchObject({ id: 2, ok: false, error: { code: 'unauthorized' } });
    expect(observed.malformed).toMatchObject({ ok: false, error: { code: 'bad_input' } });
  });

  it('ingests a markdown file over IPC and pushes memory.created to the window', () => {
    expect(observed.ingest).toMatchObject({ id: 3, ok: true });
    expect(observed.createdNames).toContain('shell-note.md');
  });

  it('has a tray that pauses ingest through the engine, and a File menu', () => {
    expect(observed.trayBefore).toEqual(['Show Engram', 'Pause Ingest', 'Start Screen Capture', 'Quit Engram']);
    expect(observed.pausedAfterTray).toBe(true);
    expect(observed.trayImage).toMatch(/tray-paused\.png$/);
    expect(observed.fileMenu).toEqual(['Add Files…', 'Watch Folder…', 'Open Data Folder', 'quit']);
  });

  it('turns screen capture on from the tray and off with the global shortcut', () => {
    expect(observed.captureAfterTray).toBe(true);
    expect(observed.shortcuts).toEqual(['CommandOrControl+Shift+Alt+E']);
    expect(observed.captureAfterShortcut).toBe(false);
  });

  it('closes the engine and exits cleanly on quit', () => {
    expect(observed.exitCode).toBe(0);
  });
});
