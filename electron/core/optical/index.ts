// The optical module's front door: the default encoder (a model pack, or the pooling fallback with a note), the decoder
// and the ladder. Callers never see onnxruntime-node or pack files.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Decoder } from './Decoder.js';
import type { Encoder } from './Encoder.js';
import { loadModelPack, type ModelPack } from './ModelPack.js';
import { OpticalEncoder } from './OpticalEncoder.js';
import { PoolEncoder } from './PoolEncoder.js';
import type { ProviderRequest } from './Runtime.js';

export type { EncodedPage, Encoder } from './Encoder.js';
export { Decoder, type DecodeOptions } from './Decoder.js';
export { loadModelPack, ModelPackError, type Manifest, type ModelPack } from './ModelPack.js';
export { OpticalEncoder } from './OpticalEncoder.js';
export { PoolEncoder } from './PoolEncoder.js';
export { LADDER, levelsBelow, nextLevel, recompress, type LevelName } from './ladder.js';
export { installGpuAndProbe, installGpuProviders, type GpuInstallResult } from './gpu.js';

export const DEFAULT_PACK = 'engram-optical';

export interface LoadOptions {
  packDir?: string;
  provider?: ProviderRequest;
  batchSize?: number;
  threads?: number;
  /** Inference on a worker thread (default true). */
  offThread?: boolean;
}

/** The default pack folder: ENGRAM_PACK_DIR, else native-models/packs/engram-optical next to the sources or the cwd. */
export function defaultPackDir(): string {
  if (process.env.ENGRAM_PACK_DIR) return resolve(process.env.ENGRAM_PACK_DIR);
  const candidates: string[] = [];
  try {
    candidates.push(resolve(dirname(fileURLToPath(import.meta.url)), '../../../native-models/packs', DEFAULT_PACK));
    candidates.push(resolve(dirname(fileURLToPath(import.meta.url)), '../../native-models/packs', DEFAULT_PACK));
  } catch {
    // Bundled to CommonJS: import.meta.url is not there; fall back to the working directory.
  }
  candidates.push(resolve(process.cwd(), 'native-models/packs', DEFAULT_PACK));
  const rp = (process as { resourcesPath?: string }).resourcesPath;
  if (rp) candidates.push(join(rp, 'native-models/packs', DEFAULT_PACK));
  return candidates.find((c) => existsSync(join(c, 'manifest.json'))) ?? candidates[0];
}

/** The pack's encoder; if no pack can load, the model-free PoolEncoder with a note saying why. */
export async function loadDefaultEncoder(opts: LoadOptions = {}): Promise<Encoder> {
  const dir = opts.packDir ?? defaultPackDir();
  try {
    return await OpticalEncoder.create(loadModelPack(dir), opts);
  } catch (e) {
    const pool = new PoolEncoder();
    const why = (e as Error).message;
    Object.defineProperty(pool, 'note', {
      value: `no model pack could load (${why}); using the model-free pooling encoder: tokens cannot be decoded to text`,
    });
    return pool;
  }
}

/** The pack's decoder. Throws ModelPackError when the pack is broken: there is no text without a model. */
export async function loadDecoder(opts: LoadOptions = {}): Promise<Decoder> {
  const pack: ModelPack = loadModelPack(opts.packDir ?? defaultPackDir());
  return Decoder.create(pack, opts);
}
