// Where the optical model runs (CPU, CUDA, ...) and, on a machine with an NVIDIA GPU and a network, the one-time
// download of onnxruntime's CUDA providers. The answer names the provider a fresh session really ran on.
import { useState } from 'react';
import type { GpuInstallResult } from '../../../electron/contract';
import { getClient } from '../../api/client';
import { useStore } from '../../store';

export function AccelerationSettings() {
  const info = useStore((s) => s.info);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<GpuInstallResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  const install = async () => {
    setBusy(true);
    setError(null);
    try {
      setResult(await getClient().call('app.gpuInstall', {}));
      void useStore.getState().loadInfo();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const provider = info?.encoder.provider ?? 'unknown';
  // Before the first page the page worker has not loaded the encoder yet, and its note says so.
  const known = provider !== 'unknown';
  return (
    <section className="setting" aria-labelledby="gpu-label" data-testid="gpu-settings">
      <h3 className="setting__title" id="gpu-label">
        Optical model
      </h3>
      <p className="setting__hint" data-testid="gpu-provider">
        {!info ? 'Reading…' : known ? `${info.encoder.name} runs on ${provider.toUpperCase()}.` : ''} {info?.encoder.note ? <span data-testid="gpu-note">{info.encoder.note}</span> : null}
      </p>
      {provider !== 'cuda' ? (
        <div className="subsetting">
          <button type="button" className="btn btn--secondary btn--sm" onClick={() => void install()} disabled={busy || !info} data-testid="gpu-install">
            {busy ? 'Installing CUDA providers…' : 'Use my NVIDIA GPU'}
          </button>
          <p className="setting__hint">Downloads onnxruntime's CUDA providers (about 300 MB) from NuGet. Needs an NVIDIA GPU and a network.</p>
        </div>
      ) : null}
      {result ? (
        <p className={`setting__hint${result.ok ? '' : ' setting__hint--warn'}`} role="status" data-testid="gpu-result">
          {result.message} A fresh session runs on {result.ran.toUpperCase()}.{result.note ? ` (${result.note})` : ''}
        </p>
      ) : null}
      {error ? (
        <p className="setting__hint setting__hint--warn" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
