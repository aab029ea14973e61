// The only module that loads onnxruntime-node. Everyone else asks for a session by file and provider,
// so changing the runtime (or its execution providers) touches this file alone.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
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

/** Where onnxruntime-node keeps its native libraries for this platform (the CUDA providers land here). */
export function ortBinDir(): string {
  const req = createRequire(import.meta.url);
  const pkg = dirname(req.resolve('onnxruntime-node/package.json'));
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

/** One session per (file, provider request), created once and reused by every encoder and decoder. */
export function getSession(file: string, req: ProviderRequest = 'auto', threads?: number): Promise<Session> {
  const key = `${file}|${req}|${threads ?? ''}`;
  let s = cache.get(key);
  if (!s) {
    s = createSession(file, req, threads);
    cache.set(key, s);
    s.catch(() => cache.delete(key));
  }
  return s;
}

/** Drop every cached session for a file (a pack being replaced, tests). */
export async function releaseSessions(file?: string): Promise<void> {
  for (const [key, s] of [...cache]) {
    if (file && !key.startsWith(file + '|')) continue;
    cache.delete(key);
    await (await s.catch(() => null))?.release();
  }
}

async function createSession(file: string, req: ProviderRequest, threads?: number): Promise<Session> {
  const order = providerOrder(req);
  const failures: string[] = [];
  if (req === 'cuda' && !cudaInstalled()) failures.push('cuda: its provider libraries are not installed (run `engram gpu install` on a machine with an NVIDIA GPU)');
  for (const ep of order) {
    if (ep === 'cuda' && !cudaInstalled()) continue;
    try {
      const session = await ort.InferenceSession.create(file, {
        executionProviders: [ep],
        graphOptimizationLevel: 'all',
        ...(threads ? { intraOpNumThreads: threads } : {}),
      });
      const note = failures.length ? `${failures.join('; ')}; fell back to ${ep.toUpperCase()}` : null;
      return wrap(session, ep, note);
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
