// The Debian packages the tests need beyond npm (a browser for e2e, Xvfb for capture, torch for the model
// recipe smoke). Installs what is missing when it can (root with apt-get), else says exactly what to run.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const py = (mod) => spawnSync('/usr/bin/python3', ['-c', `import ${mod}`], { stdio: 'ignore' }).status === 0;

export function missingSystemPackages() {
  const need = [];
  if (!existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')) need.push('chromium');
  if (!has('Xvfb')) need.push('xvfb');
  // Screen capture (tests and bench:capture): a real window, screenshots, the active window, idle time, OCR.
  if (!has('xterm')) need.push('xterm');
  if (!existsSync('/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf')) need.push('fonts-dejavu-core');
  if (!has('xdotool')) need.push('xdotool');
  if (!has('import')) need.push('imagemagick');
  if (!has('xrandr')) need.push('x11-xserver-utils');
  if (!has('xprop') || !has('xwininfo')) need.push('x11-utils');
  if (!has('xprintidle')) need.push('xprintidle');
  if (!has('tesseract')) need.push('tesseract-ocr', 'tesseract-ocr-eng');
  if (!py('torch')) need.push('python3-torch', 'libopenblas0-pthread');
  if (!py('onnx')) need.push('python3-onnx');
  return need;
}

export function ensureSystemPackages() {
  const need = missingSystemPackages();
  if (!need.length) return true;
  const root = process.getuid?.() === 0;
  if (!root || !has('apt-get')) {
    console.error(`Missing system packages: ${need.join(' ')}\nInstall them with: sudo apt-get install -y ${need.join(' ')}`);
    return false;
  }
  console.log(`Installing system packages the tests need: ${need.join(' ')} (apt-get)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...need], { stdio: 'inherit', env });
  return missingSystemPackages().length === 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(ensureSystemPackages() ? 0 : 1);
