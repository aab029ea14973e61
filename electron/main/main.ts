// The Electron main process: one instance, one engine, one locked-down window, a tray and a menu.
// Kept thin on purpose: everything Engram does lives in electron/core, reached through the same router as the loopback host.
import { app, BrowserWindow, dialog, globalShortcut, session, shell } from 'electron';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EventEnvelope } from '../contract/envelope.js';
import type { RouteInput, RouteName, RouteOutput } from '../contract/routes.js';
import { createEngine, resolveDataDir, type Engine } from '../core/Engine.js';
import { electronDialogs } from './dialogs.js';
import { serveIpc } from './ipc.js';
import { installMenu } from './menu.js';
import { INDEX_URL, registerScheme, serveRenderer } from './protocol.js';
import { CAPTURE_SHORTCUT, createTray, type EngramTray } from './tray.js';
import { createMainWindow } from './window.js';

// The bundle sits in dist/electron; the renderer beside it, icons in build/ (dev) or resources/icons (packaged).
const here = __dirname;
const rendererDir = join(here, '..', 'renderer');
const iconDir = app.isPackaged ? join(process.resourcesPath, 'icons') : join(here, '..', '..', 'build');

app.setName('Engram');
const defaultDataDir = app.getPath('userData');
const dataDir = resolveDataDir(process.argv, process.env, defaultDataDir);
// A data dir named by --data or ENGRAM_DATA gets its own Chromium profile too, so the single-instance
// lock guards that data dir: a run on another data dir (an e2e test) is a separate app, not a focus request.
if (dataDir !== defaultDataDir) app.setPath('userData', join(dataDir, '.electron'));

app.enableSandbox();
registerScheme();

let engine: Engine | undefined;
let mainWindow: BrowserWindow | undefined;
let tray: EngramTray | undefined;
let quitting = false;
let nextCallId = 1;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => showWindow());
  app.whenReady().then(start).catch(fail);
}

async function start(): Promise<void> {
  if (!existsSync(join(rendererDir, 'index.html'))) {
    return fail(new Error(`The renderer is not built (no ${join(rendererDir, 'index.html')}). Run \`npm run build\` first.`));
  }
  mkdirSync(dataDir, { recursive: true });
  const eng: Engine = await createEngine({
    dataDir,
    adapters: { dialogs: electronDialogs() },
    // The bundled worker: the sources' boot file needs tsx, which a packaged app does not run.
    pageWorkerScript: join(here, 'pageWorker.cjs'),
    watch: true,
    transport: 'ipc',
  });
  engine = eng;

  // No page of ours needs the camera, notifications or anything else a permission guards.
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, done) => done(false));
  serveRenderer(rendererDir);
  serveIpc(eng);

  installMenu({
    isMac: process.platform === 'darwin',
    isDev: !app.isPackaged,
    actions: {
      addFiles: () => void pickAndSend(false),
      watchFolder: () => void pickAndSend(true),
      openDataFolder: () => void shell.openPath(dataDir),
      about: () => app.showAboutPanel(),
    },
  });
  app.setAboutPanelOptions({ applicationName: 'Engram', applicationVersion: app.getVersion() });

  try {
    tray = createTray(
      { normal: join(iconDir, 'tray.png'), paused: join(iconDir, 'tray-paused.png') },
      { show: showWindow, setPaused: (p) => pauseIngest(eng, p), setCapturing: (on) => void setCapturing(on), quit: () => app.quit() },
    );
  } catch (err) {
    // Some Linux desktops have no tray; the window and menu still work.
    console.warn('[engram] no tray icon:', err);
  }
  // The engine persists the flag and announces it; the tray follows, whoever paused (tray or settings screen).
  eng.onEvent((e: EventEnvelope) => {
    if (e.event === 'settings.changed') tray?.setPaused((e.payload as { paused: boolean }).paused);
    if (e.event === 'capture.changed') tray?.setCapturing((e.payload as { enabled: boolean }).enabled);
  });
  const settings = await call('settings.get', {}).catch(() => undefined);
  if (settings) tray?.setPaused(settings.paused);
  const capture = await call('capture.getState', {}).catch(() => undefined);
  if (capture) tray?.setCapturing(capture.enabled);
  // Capture on and off from anywhere; another app may own the chord, which is not worth failing over.
  if (!globalShortcut.register(CAPTURE_SHORTCUT, () => void toggleCapture())) console.warn(`[engram] could not register ${CAPTURE_SHORTCUT}`);

  showWindow();
  app.on('activate', showWindow);
}

function showWindow(): void {
  if (!app.isReady() || !engine) return;
  if (!mainWindow || mainWindow.isDestroyed()) {
    mainWindow = createMainWindow({
      url: INDEX_URL,
      preload: join(here, 'preload.cjs'),
      icon: join(iconDir, 'icon.png'),
      stateFile: join(app.getPath('userData'), 'window-state.json'),
    });
    return;
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

/** The shell's own calls go through the router like any client's, so they are validated and emit the same events. */
async function call<N extends RouteName>(name: N, input: RouteInput<N>): Promise<RouteOutput<N>> {
  if (!engine) throw new Error('the engine is not running');
  const reply = await engine.handle({ id: nextCallId++, name, input }, { transport: 'direct', trusted: true });
  if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`);
  return reply.value as RouteOutput<N>;
}

async function setCapturing(enabled: boolean): Promise<void> {
  try {
    await call('capture.setSettings', { enabled });
  } catch (err) {
    dialog.showErrorBox(enabled ? 'Could not start screen capture' : 'Could not stop screen capture', String((err as Error).message ?? err));
  }
}

async function toggleCapture(): Promise<void> {
  const state = await call('capture.getState', {}).catch(() => undefined);
  if (state) await setCapturing(!state.enabled);
}

/** The tray's pause: a failure is shown, never thrown out of a menu click (that would take the main process down). */
function pauseIngest(eng: Engine, paused: boolean): void {
  try {
    eng.setPaused(paused);
  } catch (err) {
    dialog.showErrorBox(paused ? 'Could not pause ingest' : 'Could not resume ingest', String((err as Error).message ?? err));
  }
}

/** File > Add Files… and File > Watch Folder…: a native picker, then the same routes the renderer uses. */
async function pickAndSend(folders: boolean): Promise<void> {
  try {
    const { paths } = await call('dialog.pickPaths', { folders });
    if (paths.length === 0) return;
    if (folders) for (const path of paths) await call('watch.add', { path });
    else await call('ingest.addPaths', { paths });
  } catch (err) {
    dialog.showErrorBox(folders ? 'Could not watch that folder' : 'Could not add those files', String((err as Error).message ?? err));
  }
}

function fail(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  console.error('[engram] could not start:', err);
  dialog.showErrorBox('Engram could not start', message);
  app.exit(1);
}

app.on('window-all-closed', () => {
  // macOS apps stay alive with no window; elsewhere closing the last window quits.
  if (process.platform !== 'darwin') app.quit();
});

// Close the engine (flush the bank, stop watchers) before the process goes.
app.on('will-quit', (e) => {
  if (quitting || !engine) return;
  quitting = true;
  e.preventDefault();
  globalShortcut.unregisterAll();
  tray?.destroy();
  const closing = engine.close().catch((err) => console.error('[engram] engine close failed:', err));
  void closing.finally(() => app.exit(0));
});
