#!/usr/bin/env node
// `npm test`: typecheck, unit tests (Vitest), then the app end to end in Chromium through the loopback host
// and in Electron where its binary exists. Ends with one 'N passed, N failed' line summing every suite.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ensureSystemPackages } from './system-deps.mjs';

const tmp = mkdtempSync(join(tmpdir(), 'engram-test-'));
const only = process.argv.slice(2);
const want = (step) => only.length === 0 || only.includes(step);
let passed = 0;
let failed = 0;
let skipped = 0;
const problems = [];

function run(label, cmd, args, env = {}) {
  console.log(`\n== ${label}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) problems.push(`${label} exited ${r.status ?? r.signal}`);
  return r.status === 0;
}

function countVitest(file) {
  if (!existsSync(file)) return;
  const r = JSON.parse(readFileSync(file, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + r.numTodoTests;
  // A file that fails outside its tests (a beforeAll, an import) leaves them all skipped: count it as a failure.
  for (const f of r.testResults ?? []) {
    if (f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed')) {
      failed++;
      problems.push(`${relative(process.cwd(), f.name)} failed outside its tests: ${(f.message ?? '').split('\n')[0]}`);
    }
  }
}

function countPlaywright(file) {
  if (!existsSync(file)) return;
  const s = JSON.parse(readFileSync(file, 'utf8')).stats ?? {};
  passed += (s.expected ?? 0) + (s.flaky ?? 0);
  failed += s.unexpected ?? 0;
  skipped += s.skipped ?? 0;
}

if (!ensureSystemPackages()) problems.push('system packages are missing (see above)');

if (want('typecheck')) {
  if (run('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit'])) passed++;
  else failed++;
  if (existsSync('renderer/tsconfig.json')) {
    if (run('typecheck renderer', 'npx', ['tsc', '-p', 'renderer/tsconfig.json', '--noEmit'])) passed++;
    else failed++;
  }
}

if (want('unit')) {
  const out = join(tmp, 'vitest.json');
  run('unit tests', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`]);
  countVitest(out);
}

if (want('e2e') && existsSync('e2e/playwright.config.ts')) {
  if (!existsSync('/usr/bin/chromium') && !process.env.CHROMIUM_PATH) {
    problems.push('e2e: Chromium is missing (apt-get install chromium, or set CHROMIUM_PATH)');
    failed++;
  } else if (run('build renderer', 'npm', ['run', 'build:renderer'])) {
    const out = join(tmp, 'e2e.json');
    run('e2e in Chromium', 'npx', ['playwright', 'test', '-c', 'e2e/playwright.config.ts', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: out });
    countPlaywright(out);
  } else failed++;
}

if (want('electron') && existsSync('e2e/electron/playwright.electron.config.ts')) {
  const out = join(tmp, 'electron.json');
  run('e2e in Electron', 'npx', ['playwright', 'test', '-c', 'e2e/electron/playwright.electron.config.ts', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: out });
  countPlaywright(out);
}

const scripts = JSON.parse(readFileSync('package.json', 'utf8')).scripts ?? {};
if (want('models') && scripts['models:smoke']) {
  if (run('model recipe smoke (a few training steps, export, torch vs onnxruntime-node parity)', 'npm', ['run', 'models:smoke'])) passed++;
  else failed++;
}

rmSync(tmp, { recursive: true, force: true });
if (problems.length) console.log(`\nProblems:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed || problems.length ? 1 : 0);
