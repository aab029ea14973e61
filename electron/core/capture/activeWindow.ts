// The active window's title and application, for exclusions and for naming a capture. Linux/X reads them with
// xprop (xdotool where no window manager publishes _NET_ACTIVE_WINDOW); elsewhere unknown. It never throws.
import { type CommandRunner, commandRunner } from './helper.js';
import type { WindowInfo } from './privacy.js';

export type ActiveWindowReader = () => Promise<WindowInfo | null>;

/**
 * Linux under X: the window _NET_ACTIVE_WINDOW names, else xdotool's input focus, else null.
 * macOS and Windows: null for now (needs Accessibility / Win32 calls from the Electron side); exclusions by
 * title then cannot apply, which `capture.getState` does not hide: the caller records 'unknown window'.
 */
export function activeWindowReader(env: NodeJS.ProcessEnv = process.env, runner: CommandRunner = commandRunner()): ActiveWindowReader {
  if (process.platform !== 'linux' || !env.DISPLAY) return async () => null;
  const opts = { env: { ...env, LC_ALL: 'C.UTF-8' }, runner };
  return async () => {
    try {
      // One command for the usual case (a named window has the focus): the three steps below in one shell.
      const out = await exec('sh', ['-c', ACTIVE_WINDOW_SCRIPT], opts);
      const at = out.indexOf(ID_MARK);
      if (at < 0) return null;
      const rest = out.slice(at + ID_MARK.length);
      const id = rest.slice(0, rest.indexOf('\n') >>> 0).trim();
      if (!id || id === '0' || id === '0x0') return null;
      const info = parseXprop(rest);
      return info.title || info.app ? info : await describe(id, opts);
    } catch {
      return null;
    }
  };
}

const ID_MARK = '@@window ';
/** _NET_ACTIVE_WINDOW's id, else xdotool's focus; then that window's names (parseXprop reads them). */
const ACTIVE_WINDOW_SCRIPT = `
a=$(xprop -root -notype _NET_ACTIVE_WINDOW 2>/dev/null)
case "$a" in *"window id # 0x"*) id=\${a##*# }; id=\${id%%,*}; id=\${id%% *};; *) id=;; esac
case "$id" in ""|0x0) id=$(xdotool getwindowfocus 2>/dev/null);; esac
echo "${ID_MARK}$id"
case "$id" in ""|0|0x0) ;; *) xprop -id "$id" -notype _NET_WM_NAME WM_NAME WM_CLASS 2>/dev/null;; esac
`;

export function parseActiveId(xpropOut: string): string | null {
  const m = /window id # (0x[0-9a-f]+)/i.exec(xpropOut);
  return m && m[1] !== '0x0' ? m[1] : null;
}

/** The window's names; focus may sit on a child without them, so walk up to the first named ancestor. */
async function describe(id: string, opts: ExecOptions): Promise<WindowInfo | null> {
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

interface ExecOptions {
  env: NodeJS.ProcessEnv;
  runner: CommandRunner;
}

async function exec(cmd: string, args: string[], opts: ExecOptions): Promise<string> {
  return (await opts.runner.run(cmd, args, { env: opts.env, timeoutMs: 3000 })).toString();
}
