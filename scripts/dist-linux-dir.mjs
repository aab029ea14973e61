// `npm run dist:linux-dir`: proves as much of packaging as this machine allows, and says what it skipped.
// With a real Electron dist it builds release/linux-unpacked; without one it packs around a placeholder binary.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const say = (msg) => console.log(`[dist:linux-dir] ${msg}`);
// Nothing here may fetch: not Electron, not rebuild headers, not publishing metadata.
const offlineEnv = { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1', ELECTRON_BUILDER_OFFLINE: '1', CSC_IDENTITY_AUTO_DISCOVERY: 'false' };

/** An unpacked Electron for linux: ELECTRON_DIST, else node_modules/electron/dist when its binary is there. */
function findElectronDist() {
  const candidates = [process.env.ELECTRON_DIST, join(root, 'node_modules', 'electron', 'dist')].filter(Boolean);
  return candidates.find((dir) => existsSync(join(dir, 'electron'))) ?? null;
}

async function validateConfig() {
  const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
  const { DebugLogger } = require('builder-util');
  const config = await getConfig(root, join(root, 'electron-builder.yml'), null);
  await validateConfiguration(config, new DebugLogger(false));
  return config;
}

const BUILT = ['dist/electron/main.cjs', 'dist/electron/pageWorker.cjs', 'dist/electron/preload.cjs', 'dist/renderer/index.html'];

function ensureBuilt() {
  const missing = () => BUILT.filter((f) => !existsSync(join(root, f)));
  if (missing().length === 0) return [];
  say(`building first (missing: ${missing().join(', ')})`);
  spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit', env: offlineEnv });
  return missing();
}

/** A stand-in for Electron's unpacked dist: a shell script named `electron` and an empty resources folder. */
function placeholderDist() {
  const dir = mkdtempSync(join(tmpdir(), 'engram-electron-placeholder-'));
  mkdirSync(join(dir, 'resources'));
  writeFileSync(join(dir, 'electron'), '#!/bin/sh\necho "placeholder for the Electron binary: this package was built offline and cannot run" >&2\nexit 1\n');
  chmodSync(join(dir, 'electron'), 0o755);
  writeFileSync(join(dir, 'version'), JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version);
  return dir;
}

function runBuilder(electronDist, outDir) {
  const cli = join(root, 'node_modules', 'electron-builder', 'cli.js');
  const args = [cli, '--linux', 'dir', '--publish', 'never', `-c.electronDist=${electronDist}`, `-c.directories.output=${outDir}`];
  say(`electron-builder ${args.slice(1).join(' ')}`);
  return spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: offlineEnv, timeout: 9 * 60_000 }).status === 0;
}

/** What the packed app holds: the shell, the renderer, and native addons outside the asar. */
function inspect(outDir) {
  const asar = require('@electron/asar');
  const resources = join(outDir, 'linux-unpacked', 'resources');
  const files = new Set(asar.listPackage(join(resources, 'app.asar'), { isPack: false }).map((f) => f.replaceAll('\\', '/')));
  const checks = [
    ['app.asar has dist/electron/main.cjs', files.has('/dist/electron/main.cjs')],
    ['app.asar has dist/electron/preload.cjs', files.has('/dist/electron/preload.cjs')],
    ['app.asar has dist/electron/pageWorker.cjs', files.has('/dist/electron/pageWorker.cjs')],
    ['no source maps in the app', ![...files].some((f) => f.startsWith('/dist/') && f.endsWith('.map'))],
    ['app.asar has dist/renderer/index.html', files.has('/dist/renderer/index.html')],
    ['app.asar has package.json', files.has('/package.json')],
    ['libsql unpacked', existsSync(join(resources, 'app.asar.unpacked', 'node_modules', 'libsql'))],
    ['onnxruntime-node unpacked', existsSync(join(resources, 'app.asar.unpacked', 'node_modules', 'onnxruntime-node'))],
    ['@napi-rs/canvas unpacked', existsSync(join(resources, 'app.asar.unpacked', 'node_modules', '@napi-rs', 'canvas'))],
    ['DejaVu fonts unpacked', existsSync(join(resources, 'app.asar.unpacked', 'node_modules', 'dejavu-fonts-ttf', 'ttf', 'DejaVuSans.ttf'))],
    ['only linux x64 onnxruntime binaries', readdirSync(join(resources, 'app.asar.unpacked', 'node_modules', 'onnxruntime-node', 'bin', 'napi-v6')).join() === 'linux' &&
      readdirSync(join(resources, 'app.asar.unpacked', 'node_modules', 'onnxruntime-node', 'bin', 'napi-v6', 'linux')).join() === process.arch],
    ['no electron in the app (devDependency)', ![...files].some((f) => f.startsWith('/node_modules/electron/'))],
    ['no sources, tests or dotfiles in the app', ![...files].some((f) => /^\/(electron|renderer|tests|e2e|scripts|\.[^/]+)(\/|$)/.test(f))],
    ['icons in resources/icons', existsSync(join(resources, 'icons', 'tray.png')) && existsSync(join(resources, 'icons', 'icon.png'))],
  ];
  // Packs are optional (the app falls back to the pooling encoder); when the repo has one, the package must too.
  if (readdirSync(join(root, 'native-models', 'packs')).some((d) => existsSync(join(root, 'native-models', 'packs', d, 'manifest.json')))) {
    checks.push(['model packs in resources/native-models/packs', existsSync(join(resources, 'native-models', 'packs'))]);
  } else say('no model pack in native-models/packs yet: nothing to check there');
  for (const [name, ok] of checks) say(`${ok ? 'ok  ' : 'FAIL'} ${name}`);
  return checks.every(([, ok]) => ok);
}

async function main() {
  try {
    const config = await validateConfig();
    say(`config ok: ${config.appId} / ${config.productName}; linux ${JSON.stringify(config.linux?.target)}, win ${JSON.stringify(config.win?.target)}, mac ${JSON.stringify(config.mac?.target)}`);
  } catch (err) {
    say(`electron-builder.yml is invalid: ${err.message}`);
    process.exit(1);
  }
  const missing = ensureBuilt();
  if (missing.length) {
    say(`cannot package: the build did not produce ${missing.join(', ')}. Fix \`npm run build\` first.`);
    process.exit(1);
  }

  const real = findElectronDist();
  let dist = real;
  let outDir = join(root, 'dist', 'release');
  if (!real) {
    say('no Electron dist here (set ELECTRON_DIST, or node_modules/electron/dist has no binary because it could not be downloaded).');
    say('SKIPPED the real package. Packing around a placeholder binary instead, to prove the file set, asar and unpacked natives.');
    dist = placeholderDist();
    outDir = join(root, 'dist', 'release', 'placeholder');
  }
  rmSync(join(outDir, 'linux-unpacked'), { recursive: true, force: true });
  const built = runBuilder(dist, outDir);
  if (!real) rmSync(dist, { recursive: true, force: true });
  if (!built) {
    say('electron-builder failed (see above). Offline, any step that needs a download fails here by design.');
    process.exit(1);
  }
  const ok = inspect(outDir);
  say(
    real
      ? `packaged ${join(outDir, 'linux-unpacked')} with the Electron at ${real}.`
      : `packed ${join(outDir, 'linux-unpacked')} with a PLACEHOLDER binary: the layout is proven, the app is not runnable.`,
  );
  process.exit(ok ? 0 : 1);
}

await main();
