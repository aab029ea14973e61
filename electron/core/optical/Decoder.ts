// Text back from vision tokens alone. A grid pack's decoder.onnx reads each 64-px band of the token grid as line slots
// (GridDecoder, here); a span pack's reads each token back to its span (SpanDecoder, in SpanCodec.ts).
// The bank keeps no source text, so what a decoder returns is all Engram can recall of a page.
import { ModelPackError, openPackSession, type AnyPack, type ModelPack, type PackSessionOptions } from './ModelPack.js';
import { checkInputShape } from './OpticalEncoder.js';
import { sideOf, spreadGrid } from './ladder.js';
import type { Session } from './Runtime.js';

export interface DecodeOptions {
  /** Token count of the page's own mode (MODE_TOKENS[memory.mode]); faded tokens are spread back onto that grid.
   *  Defaults to `count`, or 64 (tiny) below tiny. */
  nativeCount?: number;
}

export interface DecodablePage {
  tokens: Float32Array;
  count: number;
  dim: number;
  nativeCount?: number;
}

/** What every pack's decoder offers. */
export interface Decoder {
  readonly pack: AnyPack;
  readonly provider: string;
  readonly note: string | null;
  /** Decode one page's row-major [count, dim] tokens to text. */
  decode(tokens: Float32Array, count: number, dim: number, opts?: DecodeOptions): Promise<string>;
  decodeMany(pages: DecodablePage[], opts?: DecodeOptions): Promise<string[]>;
  close(): Promise<void>;
}

export class GridDecoder implements Decoder {
  private constructor(
    readonly pack: ModelPack,
    private readonly session: Session,
  ) {}

  get provider(): string {
    return this.session.provider;
  }
  get note(): string | null {
    return this.session.note;
  }

  static async create(pack: ModelPack, opts: PackSessionOptions = {}): Promise<GridDecoder> {
    const session = await openPackSession(pack, pack.manifest.files.decoder.path, pack.decoderPath, opts);
    checkInputShape(pack, session, pack.manifest.decoder.input, pack.decoderPath, pack.manifest.files.decoder.path, 4);
    if (!session.outputs.includes(pack.manifest.decoder.output))
      throw new ModelPackError(`model pack ${pack.manifest.name}: ${pack.manifest.files.decoder.path} has no output "${pack.manifest.decoder.output}"`, pack.decoderPath);
    return new GridDecoder(pack, session);
  }

  /** Decode one page's row-major [count, dim] tokens to text (lines joined by newlines). */
  async decode(tokens: Float32Array, count: number, dim: number, opts: DecodeOptions = {}): Promise<string> {
    const [text] = await this.decodeMany([{ tokens, count, dim }], opts);
    return text;
  }

  /** Decode several pages; pages of the same native grid share one session run. */
  async decodeMany(pages: DecodablePage[], opts: DecodeOptions = {}): Promise<string[]> {
    const out: string[] = new Array(pages.length);
    const groups = new Map<number, number[]>();
    const grids: Float32Array[] = [];
    pages.forEach((p, i) => {
      if (p.tokens.length !== p.count * p.dim) throw new Error(`decode: ${p.tokens.length} values is not ${p.count} tokens x ${p.dim}`);
      const expectDim = this.pack.manifest.levels[0].dim;
      if (p.dim !== expectDim) throw new Error(`decode: tokens have dim ${p.dim}, pack ${this.pack.manifest.name} makes ${expectDim}`);
      const native = p.nativeCount ?? opts.nativeCount ?? Math.max(p.count, 64);
      const nside = sideOf(native);
      grids[i] = spreadGrid(p.tokens, sideOf(p.count), p.dim, nside);
      groups.set(nside, [...(groups.get(nside) ?? []), i]);
    });
    const { input, output, slots } = this.pack.manifest.decoder;
    const chars = this.pack.manifest.charset.chars;
    for (const [side, idx] of groups) {
      const dim = pages[idx[0]].dim;
      const per = side * side * dim;
      const data = new Float32Array(idx.length * per);
      idx.forEach((i, b) => data.set(grids[i], b * per));
      const res = await this.session.run({ [input]: { data, dims: [idx.length, side, side, dim] } });
      const ids = res[output];
      const [, H, S, T] = ids.dims;
      if (S !== slots) throw new ModelPackError(`${this.pack.manifest.files.decoder.path} returned ${S} slots, manifest says ${slots}`, this.pack.decoderPath);
      idx.forEach((i, b) => {
        const lines: string[] = [];
        for (let h = 0; h < H; h++)
          for (let s = 0; s < S; s++) {
            const base = ((b * H + h) * S + s) * T;
            let line = '';
            let prev = 0;
            for (let t = 0; t < T; t++) {
              const c = Number(ids.data[base + t]);
              if (c !== prev && c !== 0) line += chars[c - 1] ?? '';
              prev = c;
            }
            line = line.trim();
            if (line) lines.push(line);
          }
        out[i] = lines.join('\n');
      });
    }
    return out;
  }

  async close(): Promise<void> {}
}
