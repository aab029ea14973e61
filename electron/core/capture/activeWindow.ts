// The active window's title and application, for exclusions and for naming a capture. Linux/X reads them with
// xprop (xdotool where no window manager publishes _NET_ACTIVE_WINDOW); elsewhere unknown. It never throws.
import { execFile } from 'node:child_process';
import type { WindowInfo } from './privacy.js';

export type ActiveWindowReader = () => Promise<WindowInfo | null>;

/**
 * Linux under X: the window _NET_ACTIVE_WINDOW names, else xdotool's input focus, else null.
 * macOS and Windows: null for now (needs Accessibility / Win32 calls from the Electron side); exclusions by
 * title then cannot apply, which `capture.getState` does not hide: the caller records 'unknown window'.
 */
export function activeWindowReader(env: NodeJS.ProcessEnv = process.env): ActiveWindowReader {
  if (process.platform !== 'linux' || !env.DISPLAY) return async () => null;
  const opts = { env: { ...env, LC_ALL: 'C.UTF-8' } };
  return async () => {
    try {
      let id = parseActiveId(await exec('xprop', ['-root', '-notype', '_NET_ACTIVE_WINDOW'], opts).catch(() => ''));
      if (!id) id = (await exec('xdotool', ['getwindowfocus'], opts).catch(() => '')).trim() || null;
      if (!id || id === '0' || id === '0x0') return null;
      return await describe(id, opts);
    } catch {
      return null;
    }
  };
}

export function parseActiveId(xpropOut: string): string | null {
  const m = /window id # (0x[0-9a-f]+)/i.exec(xpropOut);
  return m && m[1] !== '0x0' ? m[1] : null;
}

/** The window's names; focus may sit on a child without them, so walk up to the first named ancestor. */
async function describe(id: string, opts: { env: NodeJS.ProcessEnv }): Promise<WindowInfo | null> {
  for (let hops = 0; hops < 4 && id; hops++) {
    const out = await exec('xprop', ['-id', id, '-notype', '_NET_WM_NAME', 'WM_NAME', 'WM_CLASS'], opts).catch(() => '');
    const info = parseXprop(out);
    if (info.title || info.app) return info;
    const tree = await exec('xwininfo', ['-children', '-id', id], opts).catch(() => '');
    id = /Parent window id: (0x[0-9a-f]+)/i.exec(tree)?.[1] ?? '';
    if (/\(the root window\)/.test(tree.split('\n').find((l) => l.includes('Parent window id')) ?? '')) break;
  }
  return null;
}

export function parseXprop(out: string): WindowInfo {
  const str = (name: string) => {
    const line = out.split('\n').find((l) => l.startsWith(`${name} =`) || l.startsWith(`${name}=`));
    if (!line) return null;
    return [...line.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1].replace(/\\(.)/g, '$1'));
  };
  const title = str('_NET_WM_NAME')?.[0] ?? str('WM_NAME')?.[0] ?? '';
  const cls = str('WM_CLASS');
  return { title, app: cls?.[1] ?? cls?.[0] ?? '' };
}

function exec(cmd: string, args: string[], opts: { env: NodeJS.ProcessEnv }): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(cmd, args, { ...opts, timeout: 3000 }, (err, stdout) => (err ? reject(err) : resolve(String(stdout)))),
  );
}
