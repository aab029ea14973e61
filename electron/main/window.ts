// Creates the main window, locked down: isolated, sandboxed, no Node, no navigation away, no pop-ups.
// Also remembers its bounds; every window this module creates is the set the IPC layer trusts.
import { BrowserWindow, screen, shell } from 'electron';
import { SCHEME } from './protocol.js';
import { MIN_SIZE, loadWindowState, saveWindowState, type WindowState } from './windowState.js';

export interface MainWindowOptions {
  url: string;
  preload: string;
  icon?: string;
  stateFile: string;
}

/** The webContents ids of windows we created: the only senders ipc.ts trusts. */
export const ourWebContents = new Set<number>();

export function createMainWindow(opts: MainWindowOptions): BrowserWindow {
  const workAreas = screen.getAllDisplays().map((d) => d.workArea);
  const state = loadWindowState(opts.stateFile, workAreas);
  const win = new BrowserWindow({
    x: state.x,
    y: state.y,
    width: state.width,
    height: state.height,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    title: 'Engram',
    icon: opts.icon,
    backgroundColor: '#111318',
    webPreferences: {
      preload: opts.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  const id = win.webContents.id;
  ourWebContents.add(id);
  win.on('closed', () => ourWebContents.delete(id));
  if (state.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());

  guardNavigation(win);
  rememberBounds(win, opts.stateFile);
  void win.loadURL(opts.url);
  return win;
}

/** True when a URL belongs to the app's own origin (engram://app). */
export function isOwnUrl(url: string): boolean {
  try {
    // Node's URL gives custom schemes an opaque 'null' origin, so compare scheme and host instead.
    const u = new URL(url);
    return u.protocol === `${SCHEME}:` && u.host === 'app';
  } catch {
    return false;
  }
}

function guardNavigation(win: BrowserWindow): void {
  const wc = win.webContents;
  const refuse = (e: { preventDefault(): void }, url: string) => {
    if (!isOwnUrl(url)) e.preventDefault();
  };
  wc.on('will-navigate', refuse);
  wc.on('will-redirect', refuse);
  wc.on('will-attach-webview', (e) => e.preventDefault());
  // No new windows, ever. A web link the user clicked opens in their browser instead.
  wc.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//i.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

function rememberBounds(win: BrowserWindow, file: string): void {
  let timer: NodeJS.Timeout | undefined;
  const save = () => {
    if (win.isDestroyed()) return;
    const b = win.getNormalBounds();
    const state: WindowState = { x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() };
    try {
      saveWindowState(file, state);
    } catch (err) {
      console.warn('[engram] could not save window state:', err);
    }
  };
  // Moves and resizes come in bursts; write once the burst settles, and always on close.
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(save, 500);
  };
  win.on('resize', later);
  win.on('move', later);
  win.on('close', () => {
    clearTimeout(timer);
    save();
  });
}
