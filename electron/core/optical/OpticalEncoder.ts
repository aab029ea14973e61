// The model-pack encoder: page pixels -> vision tokens through the pack's encoder.onnx, in batches.
// Sessions run on a worker thread (see Runtime.ts), so only the grey conversion happens on the caller's thread.
import { MODE_TOKENS, type Mode } from '../../contract/models.js';
import type { PageImage } from '../ingest/types.js';
import type { EncodedPage, Encoder } from './Encoder.js';
import { ModelPackError, openPackSession, type ModelPack } from './ModelPack.js';
import type { ProviderRequest, Session } from './Runtime.js';

export interface OpticalEncoderOptions {
  provider?: ProviderRequest;
  /** Pages per session run. */
  batchSize?: number;
  threads?: number;
  /** Inference on a worker thread (default true), so encoding never stalls the caller's event loop. */
  offThread?: boolean;
}

export class OpticalEncoder implements Encoder {
  readonly name: string;
  private constructor(
    readonly pack: ModelPack,
    private readonly session: Session,
    private readonly batchSize: number,
  ) {
    this.name = `${pack.manifest.name}@${pack.manifest.version}`;
  }

  get provider(): string {
    return this.session.provider;
  }
  get note(): string | null {
    return this.session.note;
  }

  static async create(pack: ModelPack, opts: OpticalEncoderOptions = {}): Promise<OpticalEncoder> {
    const session = await openPackSession(pack, pack.manifest.files.encoder.path, pack.encoderPath, opts);
    checkInputShape(pack, session, pack.manifest.input.name, pack.encoderPath, pack.manifest.files.encoder.path, 4);
    const out = pack.manifest.output.name;
    if (!session.outputs.includes(out))
      throw new ModelPackError(`model pack ${pack.manifest.name}: ${pack.manifest.files.encoder.path} has no output "${out}" (it has ${session.outputs.join(', ')})`, pack.encoderPath);
    return new OpticalEncoder(pack, session, Math.max(1, opts.batchSize ?? 4));
  }

  async encode(pages: PageImage[], mode: Mode): Promise<EncodedPage[]> {
    const size = this.pack.manifest.input.sizes[mode]!;
    const side = this.pack.side(mode);
    const out: EncodedPage[] = [];
    for (let i = 0; i < pages.length; i += this.batchSize) {
      const batch = pages.slice(i, i + this.batchSize);
      const data = new Float32Array(batch.length * size * size);
      batch.forEach((p, b) => toGrey(p, size, data.subarray(b * size * size, (b + 1) * size * size)));
      const res = await this.session.run({ [this.pack.manifest.input.name]: { data, dims: [batch.length, 1, size, size] } });
      const t = res[this.pack.manifest.output.name];
      const [, h, w, dim] = t.dims;
      if (h !== side || w !== side)
        throw new ModelPackError(`${this.pack.manifest.files.encoder.path} produced a ${h}x${w} token grid for ${mode}, manifest promises ${side}x${side}`, this.pack.encoderPath);
      const per = h * w * dim;
      const all = t.data as Float32Array;
      for (let b = 0; b < batch.length; b++)
        out.push({ tokens: all.slice(b * per, (b + 1) * per), count: MODE_TOKENS[mode], dim, level: mode });
    }
    return out;
  }

  async close(): Promise<void> {
    // Sessions are shared and cached by the runtime; nothing per-encoder to free.
  }
}

/** The model's declared input must be [batch, 1, size, size] with free or matching dims. */
export function checkInputShape(pack: ModelPack, session: Session, name: string, file: string, rel: string, rank: number): void {
  const inp = session.inputs.find((x) => x.name === name);
  if (!inp)
    throw new ModelPackError(`model pack ${pack.manifest.name}: ${rel} has no input "${name}" (it has ${session.inputs.map((x) => x.name).join(', ')})`, file);
  if (inp.shape.length !== rank)
    throw new ModelPackError(`model pack ${pack.manifest.name}: ${rel} input "${name}" has rank ${inp.shape.length}, expected ${rank}`, file);
  if (rank === 4 && name === pack.manifest.input.name) {
    const [, c, hh, ww] = inp.shape;
    if (typeof c === 'number' && c !== pack.manifest.input.channels)
      throw new ModelPackError(`model pack ${pack.manifest.name}: ${rel} input "${name}" takes ${c} channels, manifest.json declares ${pack.manifest.input.channels}`, file);
    for (const [mode, size] of Object.entries(pack.manifest.input.sizes)) {
      if ((typeof hh === 'number' && hh !== size) || (typeof ww === 'number' && ww !== size))
        throw new ModelPackError(`model pack ${pack.manifest.name}: ${rel} input "${name}" is fixed at ${hh}x${ww}, but manifest.json needs ${size}x${size} for mode ${mode}`, file);
    }
  }
}

/** RGBA page -> grey [0,1] at size x size: fitted (aspect kept, box-sampled) and white-padded when the size differs. */
export function toGrey(img: PageImage, size: number, out: Float32Array): void {
  const d = img.data;
  if (img.width === size && img.height === size) {
    for (let i = 0, n = size * size; i < n; i++) out[i] = (0.299 * d[i * 4] + 0.587 * d[i * 4 + 1] + 0.114 * d[i * 4 + 2]) / 255;
    return;
  }
  out.fill(1);
  const scale = size / Math.max(img.width, img.height);
  const w = Math.max(1, Math.round(img.width * scale));
  const h = Math.max(1, Math.round(img.height * scale));
  for (let y = 0; y < h; y++) {
    const y0 = Math.floor(y / scale), y1 = Math.max(y0 + 1, Math.min(img.height, Math.floor((y + 1) / scale)));
    for (let x = 0; x < w; x++) {
      const x0 = Math.floor(x / scale), x1 = Math.max(x0 + 1, Math.min(img.width, Math.floor((x + 1) / scale)));
      let s = 0, n = 0;
      for (let yy = y0; yy < y1; yy++)
        for (let xx = x0; xx < x1; xx++) {
          const o = (yy * img.width + xx) * 4;
          s += 0.299 * d[o] + 0.587 * d[o + 1] + 0.114 * d[o + 2];
          n++;
        }
      out[y * size + x] = s / n / 255;
    }
  }
}
