// Test fixtures for the browser e2e: the renderer built once, then a loopback host per test on a fresh data folder,
// started as users start it (`npx tsx electron/host/main.ts --data DIR --port 0`) and stopped after the test.
import { test as base, expect } from '@playwright/test';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EngramPage } from './pages/EngramPage';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds dist/renderer when it is missing or older than any file under renderer/. */
export function ensureRendererBuilt(): void {
  const index = join(root, 'dist/renderer/index.html');
  const sources = Math.max(newestMtime(join(root, 'renderer')), statSync(join(root, 'package-lock.json')).mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  const r = spawnSync('npm', ['run', 'build:renderer'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`npm run build:renderer failed (${r.status ?? r.signal})`);
}

export interface Host {
  url: string;
  dataDir: string;
  /** Everything the host printed so far, for failure messages. */
  log(): string;
  /** Stop the host now (it is stopped after the test anyway). */
  stop(): Promise<void>;
}

/** ENGRAM_E2E_HOST names another entry with the same flags and output (a host on a stub encoder, say). */
const hostEntry = process.env.ENGRAM_E2E_HOST ?? 'electron/host/main.ts';

async function startHost(dataDir: string): Promise<{ host: Host; stop(): Promise<void> }> {
  // Its own process group, so stopping it also stops the node process tsx starts beneath npx.
  const child: ChildProcess = spawn('npx', ['tsx', hostEntry, '--data', dataDir, '--port', '0'], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the host printed no URL within 120 s:\n${out}`)), 120_000);
    const look = () => {
      const m = /Engram is running at (http:\/\/\S+#token=\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', look);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the host exited (${code}) before printing its URL:\n${out}`));
    });
  });

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      return;
    }
    const done = await Promise.race([exited.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 10_000))]);
    if (!done) {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  };
  return { host: { url, dataDir, log: () => out, stop }, stop };
}

export const test = base.extend<{ host: Host; engram: EngramPage; tempDir: string }, { rendererBuilt: true }>({
  rendererBuilt: [
    async ({}, use) => {
      ensureRendererBuilt();
      await use(true);
    },
    { scope: 'worker', timeout: 180_000 },
  ],
  tempDir: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'engram-e2e-files-'));
    await use(dir);
    rmSync(dir, { recursive: true, force: true });
  },
  host: async ({ rendererBuilt }, use, testInfo) => {
    void rendererBuilt;
    const dataDir = mkdtempSync(join(tmpdir(), 'engram-e2e-data-'));
    const { host, stop } = await startHost(dataDir);
    try {
      await use(host);
    } finally {
      await stop();
      if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach('host.log', { body: host.log(), contentType: 'text/plain' });
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
  engram: async ({ page, host }, use) => {
    const engram = new EngramPage(page);
    await engram.open(host.url);
    await use(engram);
  },
});

export { expect };

/** Call the engine straight over the host's WebSocket, for facts a spec needs that the UI does not show. */
export async function callHost<T = unknown>(host: Host, name: string, input: unknown): Promise<T> {
  const { default: WebSocket } = await import('ws');
  const url = new URL(host.url);
  const token = new URLSearchParams(url.hash.slice(1)).get('token') ?? '';
  const ws = new WebSocket(`ws://${url.host}/rpc?token=${encodeURIComponent(token)}`, { headers: { Origin: url.origin } });
  try {
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    return await new Promise<T>((resolve, reject) => {
      ws.on('message', (d) => {
        const m = JSON.parse(d.toString());
        if (m.id !== 1) return;
        if (m.ok) resolve(m.value as T);
        else reject(new Error(`${m.error.code}: ${m.error.message}`));
      });
      ws.send(JSON.stringify({ id: 1, name, input }));
    });
  } finally {
    ws.close();
  }
}
