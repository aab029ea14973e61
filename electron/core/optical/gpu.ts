// `engram gpu install`: fetches onnxruntime-node's CUDA providers with its own install script, on demand.
// It checks for an NVIDIA GPU and the network first, and never waits without a time limit.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { lookup } from 'node:dns/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { cudaInstalled, getSession, releaseSession } from './Runtime.js';

export interface GpuInstallResult {
  ok: boolean;
  /** The provider sessions will use after this (what `loadDefaultEncoder` would pick). */
  provider: 'cuda' | 'cpu';
  message: string;
}

export interface GpuInstallOptions {
  timeoutMs?: number;
  /** Progress lines from the install script. */
  onLine?: (line: string) => void;
  /** For tests: skip the hardware check. */
  assumeGpu?: boolean;
}

function hasNvidiaGpu(): boolean {
  if (process.platform === 'linux') return existsSync('/proc/driver/nvidia/version') || existsSync('/dev/nvidia0');
  if (process.platform === 'win32') return existsSync(join(process.env.SystemRoot ?? 'C:\\Windows', 'System32', 'nvidia-smi.exe'));
  return false;
}

async function reachable(host: string, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      lookup(host).then(() => true),
      new Promise<boolean>((res) => (timer = setTimeout(() => res(false), ms))),
    ]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** Install the CUDA execution provider into onnxruntime-node (linux/x64 and win32/x64 only). */
export async function installGpuProviders(opts: GpuInstallOptions = {}): Promise<GpuInstallResult> {
  if (cudaInstalled()) return { ok: true, provider: 'cuda', message: 'CUDA providers are already installed' };
  if (!(process.platform === 'linux' || process.platform === 'win32') || process.arch !== 'x64')
    return { ok: false, provider: 'cpu', message: `CUDA providers exist only for linux/x64 and win32/x64, not ${process.platform}/${process.arch}; Engram keeps running on CPU` };
  if (!opts.assumeGpu && !hasNvidiaGpu())
    return { ok: false, provider: 'cpu', message: 'no NVIDIA GPU (or driver) found on this machine; Engram keeps running on CPU' };
  if (!(await reachable('api.nuget.org', 5000)))
    return { ok: false, provider: 'cpu', message: 'cannot reach api.nuget.org (no network?): the CUDA providers are downloaded from NuGet; Engram keeps running on CPU' };

  const req = createRequire(import.meta.url);
  const script = join(dirname(req.resolve('onnxruntime-node/package.json')), 'script', 'install.js');
  const timeoutMs = opts.timeoutMs ?? 10 * 60_000;
  const code = await new Promise<number | string>((res) => {
    const child = spawn(process.execPath, [script, '--onnxruntime-node-install=cuda12'], {
      env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'cuda12', ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const timer = setTimeout(() => {
      child.kill();
      res('timeout');
    }, timeoutMs);
    const onData = (b: Buffer) => b.toString().split('\n').filter(Boolean).forEach((l) => opts.onLine?.(l));
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (e) => res(e.message));
    child.on('exit', (c) => {
      clearTimeout(timer);
      res(c ?? 'killed');
    });
  });
  if (code === 0 && cudaInstalled()) return { ok: true, provider: 'cuda', message: 'CUDA providers installed; new sessions run on CUDA' };
  return { ok: false, provider: 'cpu', message: `onnxruntime-node's CUDA install failed (${code === 'timeout' ? `no answer in ${timeoutMs / 1000} s` : `exit ${code}`}); Engram keeps running on CPU` };
}

/**
 * `engram gpu install` and the settings button: install where possible, then open a fresh encoder session asking
 * for CUDA and report the provider it really ran on (and why not CUDA, when not).
 */
export async function installGpuAndProbe(opts: GpuInstallOptions & { packDir?: string } = {}): Promise<GpuInstallResultWithProbe> {
  const result = await installGpuProviders(opts);
  const { loadModelPack, defaultPackDir } = await import('./index.js');
  let ran = 'cpu';
  let note: string | null = null;
  try {
    const pack = loadModelPack(opts.packDir ?? defaultPackDir());
    // A session of its own (in-thread, not cached with the app's): the app's sessions keep running until restart.
    const probe = { offThread: false, threads: 1 };
    try {
      const session = await getSession(pack.encoderPath, 'cuda', probe);
      ran = session.provider;
      note = session.note;
    } finally {
      await releaseSession(pack.encoderPath, 'cuda', probe);
    }
  } catch (e) {
    note = `no model pack to probe with: ${(e as Error).message}`;
  }
  const restart = result.ok && ran === 'cuda' ? '; restart Engram to encode on CUDA' : '';
  return { ok: result.ok && ran === 'cuda', ran, message: `${result.message}${restart}`, note };
}

export interface GpuInstallResultWithProbe {
  ok: boolean;
  ran: string;
  message: string;
  note: string | null;
}
