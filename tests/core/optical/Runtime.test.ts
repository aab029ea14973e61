import { afterEach, describe, expect, it } from 'vitest';
import { installGpuProviders, loadDefaultEncoder } from '../../../electron/core/optical/index.js';
import { cudaInstalled, providerOrder, releaseSessions } from '../../../electron/core/optical/Runtime.js';
import { PACK_DIR } from './helpers.js';

afterEach(() => releaseSessions());

describe('execution providers', () => {
  it('orders providers best first and always ends on CPU', () => {
    expect(providerOrder('cpu')).toEqual(['cpu']);
    expect(providerOrder('cuda')).toEqual(['cuda', 'cpu']);
    expect(providerOrder('auto').at(-1)).toBe('cpu');
  });

  it.skipIf(cudaInstalled())('falls back to CPU with a note when CUDA is asked for but not installed', async () => {
    const enc = await loadDefaultEncoder({ packDir: PACK_DIR, provider: 'cuda' });
    expect(enc.name).toMatch(/^engram-optical@/);
    expect(enc.provider).toBe('cpu');
    expect(enc.note).toMatch(/cuda: .*not installed.*fell back to CPU/i);
    const auto = await loadDefaultEncoder({ packDir: PACK_DIR });
    expect(auto.provider).toBe('cpu');
    expect(auto.note).toBeNull();
  });

  it.skipIf(cudaInstalled())('gpu install fails fast and clearly without an NVIDIA GPU or network', async () => {
    const t0 = Date.now();
    const res = await installGpuProviders({ timeoutMs: 20_000 });
    expect(res.ok).toBe(false);
    expect(res.provider).toBe('cpu');
    expect(res.message).toMatch(/NVIDIA GPU|cannot reach|only for/);
    // Even past the GPU check, no network means an answer within the DNS time limit.
    const res2 = await installGpuProviders({ timeoutMs: 20_000, assumeGpu: true });
    expect(res2.ok).toBe(false);
    expect(res2.message).toMatch(/cannot reach api\.nuget\.org|install failed/);
    expect(Date.now() - t0).toBeLessThan(30_000);
  });
});
