// The optical module's front door: the default encoder (a model pack, or the pooling fallback with a note), the decoder
// and the ladder. Callers never see onnxruntime-node or pack files.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GridDecoder, type Decoder } from './Decoder.js';
import type { EncodedPage, Encoder } from './Encoder.js';
import { recompress, type Recompress } from './ladder.js';
import { loadModelPack } from './ModelPack.js';
import { OpticalEncoder } from './OpticalEncoder.js';
import { PoolEncoder } from './PoolEncoder.js';
import type { ProviderRequest } from './Runtime.js';
import { SpanDecoder, SpanEncoder, SpanLadder } from './SpanCodec.js';

export type { EncodedPage, Encoder } from './Encoder.js';
export { GridDecoder, type Decoder, type DecodeOptions } from './Decoder.js';
export { loadModelPack, ModelPackError, type AnyPack, type Manifest, type ModelPack, type SpanPack, type SpansManifest } from './ModelPack.js';
export { OpticalEncoder } from './OpticalEncoder.js';
export { SpanDecoder, SpanEncoder, SpanLadder } from './SpanCodec.js';
export { PoolEncoder } from './PoolEncoder.js';
export { LADDER, levelsBelow, nextLevel, recompress, type LevelName, type Recompress } from './ladder.js';
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
    const pack = loadModelPack(dir);
    return pack.kind === 'spans' ? await SpanEncoder.create(pack, opts) : await OpticalEncoder.create(pack, opts);
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
  const pack = loadModelPack(opts.packDir ?? defaultPackDir());
  return pack.kind === 'spans' ? SpanDecoder.create(pack, opts) : GridDecoder.create(pack, opts);
}

/** A span pack's own ladder (decode, then re-encode into fewer spans); null where the grid ladder applies: a grid pack,
 *  or no pack that can load. */
export async function loadSpanLadder(opts: LoadOptions = {}): Promise<Recompress | null> {
  let pack;
  try {
    pack = loadModelPack(opts.packDir ?? defaultPackDir());
  } catch {
    return null;
  }
  if (pack.kind !== 'spans') return null;
  const ladder = await SpanLadder.create(pack, opts);
  const dim = pack.manifest.levels[0].dim;
  // Tokens of another shape were not made by this pack (the pooling encoder's, say): they fade as a grid.
  return async (page, to) => (page.dim === dim ? ladder.recompress(page, to) : recompress(page, to));
}

/** The pack's ladder as one step function: a span pack's own, else area-averaging of the token grid. */
export async function loadRecompressor(opts: LoadOptions = {}): Promise<Recompress> {
  return (await loadSpanLadder(opts)) ?? (async (page, to) => recompress(page, to));
}
