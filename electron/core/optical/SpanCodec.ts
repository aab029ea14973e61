// A span pack's encoder and decoder. Encoding: the OCR front reads the page's pixels, the recognised text is cut into
// the level's N equal spans, and encoder.onnx compresses each span into one token. Decoding: decoder.onnx reads each
// token back to its span. A step down the ladder decodes the tokens and re-encodes the text into fewer, longer spans:
// from the tokens alone, so what a faded memory lost is gone.
import type { Mode } from '../../contract/models.js';
import type { PageImage } from '../ingest/types.js';
import type { DecodablePage, Decoder } from './Decoder.js';
import type { EncodedPage, Encoder } from './Encoder.js';
import { ModelPackError, openPackSession, type PackSessionOptions, type SpanPack } from './ModelPack.js';
import { OcrFront } from './ocrFront.js';
import { cutSpans, spanIds, spansFromIds, spanText } from './spans.js';
import type { Session } from './Runtime.js';
import { levelCount, type LevelName } from './ladder.js';

async function open(pack: SpanPack, key: 'encoder' | 'decoder', input: string, output: string, opts: PackSessionOptions): Promise<Session> {
  const s = await openPackSession(pack, pack.manifest.files[key].path, pack.paths[key], opts, { input, output });
  const inp = s.inputs.find((i) => i.name === input)!;
  const width = inp.shape[1];
  const want = key === 'encoder' ? pack.manifest.spans.maxChars : pack.manifest.levels[0].dim;
  if (inp.shape.length !== 2 || (typeof width === 'number' && width !== want))
    throw new ModelPackError(`model pack ${pack.manifest.name}: ${pack.manifest.files[key].path} input "${input}" has shape [${inp.shape.join(', ')}], manifest.json needs [batch, ${want}]`, pack.paths[key]);
  return s;
}

/** Text -> tokens, shared by the page encoder and the ladder. */
export class SpanCompressor {
  private constructor(
    readonly pack: SpanPack,
    private readonly session: Session,
  ) {}

  static async create(pack: SpanPack, opts: PackSessionOptions = {}): Promise<SpanCompressor> {
    const { input, output } = pack.manifest.spans;
    return new SpanCompressor(pack, await open(pack, 'encoder', input, output, opts));
  }

  get provider(): string {
    return this.session.provider;
  }
  get note(): string | null {
    return this.session.note;
  }

  /** One page's text at a level: [count, dim] tokens. */
  async encodeText(text: string, level: string): Promise<EncodedPage> {
    const { spans, levels } = this.pack.manifest;
    const count = this.pack.level(level).count;
    const ids = spanIds(cutSpans(spanText(text, spans.chars), count, spans.maxChars, spans.minChars), spans.chars, spans.maxChars);
    const res = await this.session.run({ [spans.input]: { data: ids, dims: [count, spans.maxChars] } });
    const t = res[spans.output];
    const dim = levels[0].dim;
    if (t.dims.length !== 2 || t.dims[0] !== count || t.dims[1] !== dim)
      throw new ModelPackError(`${this.pack.manifest.files.encoder.path} returned [${t.dims.join(', ')}], manifest promises [${count}, ${dim}]`, this.pack.paths.encoder);
    return { tokens: Float32Array.from(t.data as Float32Array), count, dim, level };
  }
}

export class SpanEncoder implements Encoder {
  readonly name: string;
  private constructor(
    readonly pack: SpanPack,
    private readonly front: OcrFront,
    private readonly compressor: SpanCompressor,
  ) {
    this.name = `${pack.manifest.name}@${pack.manifest.version}`;
  }

  get provider(): string {
    return this.front.provider;
  }
  get note(): string | null {
    return this.front.note;
  }

  static async create(pack: SpanPack, opts: PackSessionOptions = {}): Promise<SpanEncoder> {
    const front = await OcrFront.create(pack, opts);
    return new SpanEncoder(pack, front, await SpanCompressor.create(pack, opts));
  }

  async encode(pages: PageImage[], mode: Mode): Promise<EncodedPage[]> {
    const out: EncodedPage[] = [];
    for (const p of pages) out.push(await this.compressor.encodeText(await this.front.read(p), mode));
    return out;
  }

  /** What the front reads on a page, before compression (benchmarks and tests; never stored). */
  readText(page: PageImage): Promise<string> {
    return this.front.read(page);
  }

  /** One page's tokens and, for the fidelity benchmark, the front's text they were made from. */
  async encodeWithText(page: PageImage, mode: Mode): Promise<{ encoded: EncodedPage; text: string }> {
    const text = await this.front.read(page);
    return { encoded: await this.compressor.encodeText(text, mode), text };
  }

  async close(): Promise<void> {
    // Sessions are shared and cached by the runtime.
  }
}

export class SpanDecoder implements Decoder {
  private constructor(
    readonly pack: SpanPack,
    private readonly session: Session,
  ) {}

  static async create(pack: SpanPack, opts: PackSessionOptions = {}): Promise<SpanDecoder> {
    const { decoderInput, decoderOutput } = pack.manifest.spans;
    return new SpanDecoder(pack, await open(pack, 'decoder', decoderInput, decoderOutput, opts));
  }

  get provider(): string {
    return this.session.provider;
  }
  get note(): string | null {
    return this.session.note;
  }

  async decode(tokens: Float32Array, count: number, dim: number): Promise<string> {
    const [text] = await this.decodeMany([{ tokens, count, dim }]);
    return text;
  }

  /** All pages' tokens in one session run; the text of a page is its spans in order. */
  async decodeMany(pages: DecodablePage[]): Promise<string[]> {
    const { decoderInput, decoderOutput, maxChars, chars } = this.pack.manifest.spans;
    const dim = this.pack.manifest.levels[0].dim;
    let total = 0;
    for (const p of pages) {
      if (p.tokens.length !== p.count * p.dim) throw new Error(`decode: ${p.tokens.length} values is not ${p.count} tokens x ${p.dim}`);
      if (p.dim !== dim) throw new Error(`decode: tokens have dim ${p.dim}, pack ${this.pack.manifest.name} makes ${dim}`);
      total += p.count;
    }
    if (total === 0) return pages.map(() => '');
    const data = new Float32Array(total * dim);
    let at = 0;
    for (const p of pages) data.set(p.tokens, at), (at += p.tokens.length);
    const res = await this.session.run({ [decoderInput]: { data, dims: [total, dim] } });
    const ids = res[decoderOutput];
    if (ids.dims[0] !== total || ids.dims[1] !== maxChars)
      throw new ModelPackError(`${this.pack.manifest.files.decoder.path} returned [${ids.dims.join(', ')}], manifest promises [${total}, ${maxChars}]`, this.pack.paths.decoder);
    const out: string[] = [];
    let row = 0;
    for (const p of pages) {
      const slice = Array.prototype.slice.call(ids.data, row * maxChars, (row + p.count) * maxChars) as (number | bigint)[];
      out.push(spansFromIds(slice, p.count, maxChars, chars));
      row += p.count;
    }
    return out;
  }

  async close(): Promise<void> {}
}

/** A step down a span pack's ladder: decode, then re-encode the text at the lower level's token count. */
export class SpanLadder {
  constructor(
    private readonly decoder: SpanDecoder,
    private readonly compressor: SpanCompressor,
  ) {}

  static async create(pack: SpanPack, opts: PackSessionOptions = {}): Promise<SpanLadder> {
    return new SpanLadder(await SpanDecoder.create(pack, opts), await SpanCompressor.create(pack, opts));
  }

  async recompress(page: EncodedPage, to: LevelName): Promise<EncodedPage> {
    const count = levelCount(to);
    if (count >= page.count) throw new Error(`cannot re-compress ${page.count} tokens (${page.level}) up to ${count} (${to})`);
    return this.compressor.encodeText(await this.decoder.decode(page.tokens, page.count, page.dim), to);
  }
}
