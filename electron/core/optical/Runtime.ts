// The only module that loads onnxruntime-node. Everyone else asks for a session by file and provider,
// so changing the runtime (or its execution providers) touches this file alone.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';

export type ProviderRequest = 'auto' | 'cpu' | 'cuda';

export interface Session {
  /** The provider that actually runs this session. */
  provider: string;
  /** Why it is not the one asked for, when it is not. */
  note: string | null;
  inputs: readonly { name: string; shape: readonly (number | string)[] }[];
  outputs: readonly string[];
  run(feeds: Record<string, { data: Float32Array; dims: number[] }>): Promise<Record<string, { data: ArrayLike<number | bigint>; dims: readonly number[] }>>;
  release(): Promise<void>;
}

function localRequire(): NodeRequire {
  // Bundled to CommonJS (Electron's main), import.meta.url is empty and __filename is there.
  return createRequire(typeof __filename === 'string' ? __filename : import.meta.url);
}

/** Where onnxruntime-node keeps its native libraries for this platform (the CUDA providers land here). */
export function ortBinDir(): string {
  const pkg = dirname(localRequire().resolve('onnxruntime-node/package.json'));
  return join(pkg, 'bin', 'napi-v6', process.platform, process.arch);
}

/** Whether the CUDA execution provider's libraries are installed (they are skipped by .npmrc and fetched by `engram gpu install`). */
export function cudaInstalled(): boolean {
  if (process.platform !== 'linux' && process.platform !== 'win32') return false;
  const lib = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
  return existsSync(join(ortBinDir(), lib));
}

/** Execution providers to try, best first. CPU is always last and always works. */
export function providerOrder(req: ProviderRequest): string[] {
  if (req === 'cpu') return ['cpu'];
  if (req === 'cuda') return ['cuda', 'cpu'];
  const order: string[] = [];
  if (cudaInstalled()) order.push('cuda');
  if (process.platform === 'win32') order.push('dml');
  if (process.platform === 'darwin') order.push('coreml');
  order.push('cpu');
  return order;
}

const cache = new Map<string, Promise<Session>>();

export interface SessionOptions {
  threads?: number;
  /** Run inference on a worker thread (default true): onnxruntime-node's run() is synchronous on the calling
   *  thread (a setImmediate around a blocking call), so in-thread runs stall the event loop for a whole page. */
  offThread?: boolean;
}

/** One session per (file, provider request), created once and reused by every encoder and decoder. */
export function getSession(file: string, req: ProviderRequest = 'auto', opts: SessionOptions = {}): Promise<Session> {
  const offThread = opts.offThread ?? true;
  const key = `${file}|${req}|${opts.threads ?? ''}|${offThread}`;
  let s = cache.get(key);
  if (!s) {
    s = offThread ? createThreadSession(file, req, opts.threads) : createSession(file, req, opts.threads);
    cache.set(key, s);
    s.catch(() => cache.delete(key));
  }
  return s;
}

/** Drop the one cached session getSession(file, req, opts) returns (a probe that must not outlive its question). */
export async function releaseSession(file: string, req: ProviderRequest, opts: SessionOptions = {}): Promise<void> {
  const key = `${file}|${req}|${opts.threads ?? ''}|${opts.offThread ?? true}`;
  const s = cache.get(key);
  cache.delete(key);
  await (await s?.catch(() => null))?.release();
}

/** Drop every cached session for a file (a pack being replaced, tests). */
export async function releaseSessions(file?: string): Promise<void> {
  for (const [key, s] of [...cache]) {
    if (file && !key.startsWith(file + '|')) continue;
    cache.delete(key);
    await (await s.catch(() => null))?.release();
  }
}

function providerPlan(req: ProviderRequest): { order: string[]; failures: string[] } {
  const failures: string[] = [];
  if (req === 'cuda' && !cudaInstalled()) failures.push('cuda: its provider libraries are not installed (run `engram gpu install` on a machine with an NVIDIA GPU)');
  return { order: providerOrder(req).filter((ep) => ep !== 'cuda' || cudaInstalled()), failures };
}

function fallbackNote(failures: string[], ep: string): string | null {
  return failures.length ? `${failures.join('; ')}; fell back to ${ep.toUpperCase()}` : null;
}

async function createSession(file: string, req: ProviderRequest, threads?: number): Promise<Session> {
  const { order, failures } = providerPlan(req);
  for (const ep of order) {
    try {
      const session = await ort.InferenceSession.create(file, {
        executionProviders: [ep],
        graphOptimizationLevel: 'all',
        ...(threads ? { intraOpNumThreads: threads } : {}),
      });
      return wrap(session, ep, fallbackNote(failures, ep));
    } catch (e) {
      // onnxruntime-node throws rather than falling back when a provider's libraries or device are missing.
      if (ep === 'cpu') throw e;
      failures.push(`${ep}: ${firstLine((e as Error).message)}`);
    }
  }
  throw new Error(`no execution provider could load ${file}`);
}

function firstLine(s: string): string {
  return (s.split('\n')[0] ?? s).slice(0, 200);
}

function wrap(session: ort.InferenceSession, provider: string, note: string | null): Session {
  const meta = (m: readonly ort.InferenceSession.ValueMetadata[]) =>
    m.map((v) => ({ name: v.name, shape: v.isTensor ? v.shape : [] }));
  return {
    provider,
    note,
    inputs: meta(session.inputMetadata),
    outputs: session.outputNames,
    async run(feeds) {
      const f: Record<string, ort.Tensor> = {};
      for (const [k, v] of Object.entries(feeds)) f[k] = new ort.Tensor('float32', v.data, v.dims);
      const out = await session.run(f);
      const res: Record<string, { data: ArrayLike<number | bigint>; dims: readonly number[] }> = {};
      for (const [k, v] of Object.entries(out)) res[k] = { data: v.data as ArrayLike<number | bigint>, dims: v.dims };
      return res;
    },
    release: () => session.release(),
  };
}

// The worker's whole program: the same provider walk as createSession, then run() on request. Evaluated as CommonJS
// with onnxruntime-node's resolved path, so no separate worker file has to survive bundling.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const ort = require(workerData.ortPath);
(async () => {
  const failures = [];
  let session = null, provider = null;
  for (const ep of workerData.order) {
    try {
      session = await ort.InferenceSession.create(workerData.file, {
        executionProviders: [ep], graphOptimizationLevel: 'all',
        ...(workerData.threads ? { intraOpNumThreads: workerData.threads } : {}),
      });
      provider = ep;
      break;
    } catch (e) {
      const msg = String((e && e.message) || e).split('\\n')[0].slice(0, 200);
      if (ep === 'cpu') { parentPort.postMessage({ type: 'failed', message: msg }); return; }
      failures.push(ep + ': ' + msg);
    }
  }
  const meta = (m) => m.map((v) => ({ name: v.name, shape: v.isTensor ? v.shape : [] }));
  parentPort.postMessage({ type: 'ready', provider, failures, inputs: meta(session.inputMetadata), outputs: session.outputNames });
  parentPort.on('message', async (m) => {
    if (m.type === 'release') { await session.release(); parentPort.postMessage({ type: 'released' }); return; }
    try {
      const feeds = {};
      for (const [k, v] of Object.entries(m.feeds)) feeds[k] = new ort.Tensor('float32', v.data, v.dims);
      const out = await session.run(feeds);
      const res = {}, transfer = [];
      for (const [k, v] of Object.entries(out)) { res[k] = { data: v.data, dims: v.dims }; transfer.push(v.data.buffer); }
      parentPort.postMessage({ type: 'result', id: m.id, res }, transfer);
    } catch (e) {
      parentPort.postMessage({ type: 'error', id: m.id, message: String((e && e.message) || e) });
    }
  });
})();
`;

async function createThreadSession(file: string, req: ProviderRequest, threads?: number): Promise<Session> {
  const { order, failures } = providerPlan(req);
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ortPath: localRequire().resolve('onnxruntime-node'), file, order, threads } });
  worker.unref(); // an idle session never keeps the process alive
  const ready = await new Promise<{ provider: string; failures: string[]; inputs: Session['inputs']; outputs: string[] }>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (m) => (m.type === 'ready' ? resolve(m) : reject(new Error(m.message))));
  });
  const pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  worker.on('message', (m) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.type === 'result') p.resolve(m.res);
    else p.reject(new Error(m.message));
  });
  worker.on('error', (e) => {
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  });
  return {
    provider: ready.provider,
    note: fallbackNote([...failures, ...ready.failures], ready.provider),
    inputs: ready.inputs,
    outputs: ready.outputs,
    run(feeds) {
      const id = nextId++;
      worker.ref();
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ type: 'run', id, feeds });
      }).finally(() => {
        if (pending.size === 0) worker.unref();
      }) as ReturnType<Session['run']>;
    },
    async release() {
      await worker.terminate();
    },
  };
}
