// `npm start`: launch Electron when its binary is here and can open a window, else the loopback host in a browser.
// Says plainly which it chose and why, builds what is missing or stale, and never triggers Electron's download.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Can Electron start here? Finds the binary the way node_modules/electron/index.js does, but without its
 * download fallback (requiring `electron` from Node fetches the binary, which hangs or throws offline).
 * @returns {{ ok: true, bin: string, version: string } | { ok: false, reason: string }}
 */
export function detectElectron({ root = ROOT, env = process.env, platform = process.platform, probe = probeBinary } = {}) {
  if (env.ENGRAM_NO_ELECTRON === '1') return { ok: false, reason: 'ENGRAM_NO_ELECTRON=1 asks for the loopback host.' };
  const pkg = join(root, 'node_modules', 'electron');
  if (!existsSync(join(pkg, 'package.json'))) return { ok: false, reason: 'the electron package is not installed (run `npm install`).' };
  const pathTxt = join(pkg, 'path.txt');
  const exe = existsSync(pathTxt) ? readFileSync(pathTxt, 'utf8').trim() : null;
  let bin;
  if (env.ELECTRON_OVERRIDE_DIST_PATH) bin = join(env.ELECTRON_OVERRIDE_DIST_PATH, exe || (platform === 'win32' ? 'electron.exe' : 'electron'));
  else if (exe) bin = join(pkg, 'dist', exe);
  else {
    return {
      ok: false,
      reason:
        'the Electron binary was never downloaded (node_modules/electron/path.txt is missing). Electron fetches it on first run, ' +
        'and this machine cannot reach its download host. Where the network allows, run `npx install-electron`; ' +
        'or point ELECTRON_OVERRIDE_DIST_PATH at an unpacked Electron.',
    };
  }
  if (!existsSync(bin)) return { ok: false, reason: `the Electron binary is missing at ${bin}.` };
  const ran = probe(bin);
  if (!ran.ok) return { ok: false, reason: `the Electron binary at ${bin} does not run: ${ran.detail}` };
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return { ok: false, reason: 'there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set), so Electron cannot open a window. Try `xvfb-run npm start`.' };
  }
  return { ok: true, bin, version: ran.detail };
}

/** `electron --version` with a short timeout: proves the binary and its shared libraries load, opens no window. */
export function probeBinary(bin) {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 15_000, env: { ...process.env, ELECTRON_ENABLE_LOGGING: '' } });
  if (r.error) return { ok: false, detail: r.error.code === 'ETIMEDOUT' ? 'it did not answer --version within 15 s' : r.error.message };
  if (r.status !== 0) return { ok: false, detail: (r.stderr || r.stdout || `exit code ${r.status}`).trim().split('\n').slice(-3).join(' ') };
  return { ok: true, detail: r.stdout.trim() };
}

/** Newest modification time (ms) of any file under these paths, skipping node_modules and dotfiles. */
export function newestMtime(paths) {
  let newest = 0;
  const visit = (p) => {
    let st;
    try {
      st = statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      for (const name of readdirSync(p)) if (name !== 'node_modules' && !name.startsWith('.')) visit(join(p, name));
    } else newest = Math.max(newest, st.mtimeMs);
  };
  for (const p of paths) visit(p);
  return newest;
}

/** True when `output` is missing or older than any of `inputs`. */
export function isStale(output, inputs) {
  if (!existsSync(output)) return true;
  return statSync(output).mtimeMs < newestMtime(inputs);
}

const RENDERER_INPUTS = ['renderer', 'electron/contract', 'package.json'].map((p) => join(ROOT, p));
const ELECTRON_INPUTS = ['electron/main', 'electron/preload', 'electron/core', 'electron/contract', 'scripts/build-electron.mjs'].map((p) => join(ROOT, p));

function npmRun(script) {
  console.log(`[engram] npm run ${script}`);
  const r = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', script], { cwd: ROOT, stdio: 'inherit' });
  return r.status === 0;
}

/** Run a child in the foreground: Ctrl-C and SIGTERM go to it, and we exit with its code. */
function foreground(cmd, args, env = process.env) {
  const child = spawn(cmd, args, { cwd: ROOT, stdio: 'inherit', env });
  const forward = (sig) => () => {
    if (child.exitCode === null) child.kill(sig);
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, forward(sig));
  child.on('error', (err) => {
    console.error(`[engram] could not start ${cmd}: ${err.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
}

function main() {
  const passThrough = process.argv.slice(2);
  const electron = detectElectron();
  const rendererIndex = join(ROOT, 'dist', 'renderer', 'index.html');
  const rendererStale = isStale(rendererIndex, RENDERER_INPUTS);

  if (electron.ok) {
    console.log(`[engram] starting Electron ${electron.version}`);
    if (rendererStale && !npmRun('build:renderer')) process.exit(1);
    if (isStale(join(ROOT, 'dist', 'electron', 'main.cjs'), ELECTRON_INPUTS) && !npmRun('build:electron')) process.exit(1);
    // Chromium will not start as root with its OS sandbox (dev containers); say so rather than fail obscurely.
    const asRoot = process.platform === 'linux' && process.getuid?.() === 0;
    if (asRoot) console.log('[engram] running as root: passing --no-sandbox to Chromium (the renderer sandbox option still applies).');
    foreground(electron.bin, [...(asRoot ? ['--no-sandbox'] : []), ROOT, ...passThrough]);
    return;
  }

  console.log(`[engram] Electron cannot start here: ${electron.reason}`);
  console.log('[engram] starting the loopback host instead: the same engine and UI, in your browser.');
  if (rendererStale && !npmRun('build:renderer')) {
    if (!existsSync(rendererIndex)) console.warn('[engram] the renderer could not be built; the host will answer API calls but has no UI to serve.');
    else console.warn('[engram] the renderer build failed; serving the previous build.');
  }
  const host = join(ROOT, 'electron', 'host', 'main.ts');
  if (!existsSync(host)) {
    console.error(`[engram] the loopback host is missing (${host}).`);
    process.exit(1);
  }
  const tsx = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  foreground(process.execPath, [tsx, host, ...passThrough]);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
