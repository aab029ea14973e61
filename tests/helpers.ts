// Shared test plumbing: a fresh data folder and an engine on it with the model-free encoder, so engine tests
// exercise the real bank, queue and renderers without waiting on a model.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallEnvelope } from '../electron/contract/envelope.js';
import type { RouteInput, RouteName, RouteOutput } from '../electron/contract/routes.js';
import { createEngine, type Engine } from '../electron/core/Engine.js';
import { PoolEncoder } from '../electron/core/optical/PoolEncoder.js';

export async function tempDir(prefix = 'engram-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** The app's real path (a page worker process), with the model-free encoder; `inProcess` skips the worker. */
export async function testEngine(dataDir: string, opts: { watch?: boolean; inProcess?: boolean } = {}): Promise<Engine> {
  return createEngine({
    dataDir,
    ...(opts.inProcess ? { encoder: new PoolEncoder() } : { encoderSpec: 'pool' as const }),
    watch: opts.watch ?? false,
    transport: 'direct',
  });
}

let nextId = 1;
/** Call a route as a trusted in-process caller; throws with the wire error's code and message on failure. */
export async function call<N extends RouteName>(engine: Engine, name: N, input: RouteInput<N>): Promise<RouteOutput<N>> {
  const reply = await engine.handle({ id: nextId++, name, input } as CallEnvelope, { transport: 'direct', trusted: true });
  if (!reply.ok) throw Object.assign(new Error(`${reply.error.code}: ${reply.error.message}`), { code: reply.error.code });
  return reply.value as RouteOutput<N>;
}

export async function waitFor<T>(fn: () => T | Promise<T>, what: string, timeoutMs = 20_000): Promise<NonNullable<T>> {
  const start = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
