// The large answerer: a causal LM exported to ONNX taking `inputs_embeds` (gpt-oss-20b in production), fed the
// selected memories' vision tokens through a projector into its embedding space, plus the question's text embeddings.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { EngramError } from '../../contract/errors.js';
import { decodeFp16 } from '../memory/fp16.js';
import { getSession, type ProviderRequest, type Session } from '../optical/Runtime.js';
import type { Answerer, AnswerResult, ContextMemory } from './Answerer.js';
import { cited } from './OpenAICompatAnswerer.js';

const PackFile = z.object({ path: z.string().min(1), sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int().positive() });

export const AnswererManifest = z.object({
  name: z.string().min(1),
  version: z.string().min(1),
  licence: z.string().min(1),
  kind: z.literal('inputs-embeds-lm'),
  description: z.string().optional(),
  files: z.object({ lm: PackFile, projector: PackFile, embeddings: PackFile }),
  /** [batch, seq, hidden] float32 in, [batch, seq, vocab] logits out; no KV cache (see the recipe's README). */
  lm: z.object({ input: z.string(), output: z.string(), hidden: z.number().int().positive(), vocab: z.number().int().positive(), maxPositions: z.number().int().positive() }),
  /** [batch, n, visionDim] vision tokens in, [batch, n, hidden] embeddings out. */
  projector: z.object({ input: z.string(), output: z.string(), visionDim: z.number().int().positive() }),
  /** The LM's input embedding table, [vocab, hidden] row-major little-endian. */
  embeddings: z.object({ dtype: z.enum(['float32', 'float16']) }),
  tokenizer: z.object({
    kind: z.enum(['bytes', 'o200k_base']),
    bos: z.number().int().min(0).nullable().optional(),
    eos: z.union([z.number().int().min(0), z.array(z.number().int().min(0)).min(1)]),
    sep: z.number().int().min(0).nullable().optional(),
  }),
  prompt: z.object({ system: z.string(), maxNewTokens: z.number().int().min(1).max(4096) }),
});
export type AnswererManifest = z.infer<typeof AnswererManifest>;

const hashed = new Map<string, string>();

function sha256Cached(p: string): string {
  const { size, mtimeMs } = statSync(p);
  const key = `${p}:${size}:${mtimeMs}`;
  let h = hashed.get(key);
  if (!h) hashed.set(key, (h = createHash('sha256').update(readFileSync(p)).digest('hex')));
  return h;
}

/** Read and verify an answerer pack; errors name the file at fault. */
export function loadAnswererPack(dir: string, opts: { verify?: boolean } = {}): { dir: string; manifest: AnswererManifest; path: (k: 'lm' | 'projector' | 'embeddings') => string } {
  const root = resolve(dir);
  const mpath = join(root, 'manifest.json');
  if (!existsSync(mpath)) throw new EngramError('not_found', `answerer pack ${root}: manifest.json is missing`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(mpath, 'utf8'));
  } catch (e) {
    throw new EngramError('bad_input', `answerer pack ${root}: manifest.json is not valid JSON (${(e as Error).message})`);
  }
  const parsed = AnswererManifest.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new EngramError('bad_input', `answerer pack ${root}: manifest.json is invalid at ${i.path.join('.') || '(root)'}: ${i.message}`);
  }
  const m = parsed.data;
  for (const k of ['lm', 'projector', 'embeddings'] as const) {
    const p = join(root, m.files[k].path);
    if (!existsSync(p)) throw new EngramError('not_found', `answerer pack ${m.name}: ${k} file ${m.files[k].path} is missing`);
    if ((opts.verify ?? true) && sha256Cached(p) !== m.files[k].sha256)
      throw new EngramError('bad_input', `answerer pack ${m.name}: ${m.files[k].path} fails its checksum: the file is corrupt or from another pack`);
  }
  const width = m.embeddings.dtype === 'float32' ? 4 : 2;
  if (m.files.embeddings.bytes !== m.lm.vocab * m.lm.hidden * width)
    throw new EngramError('bad_input', `answerer pack ${m.name}: embeddings are ${m.files.embeddings.bytes} bytes, not vocab x hidden x ${width}`);
  return { dir: root, manifest: m, path: (k) => join(root, m.files[k].path) };
}

interface Tokenizer {
  encode(text: string): number[];
  /** Streaming detokeniser: feed ids, get the text they complete. */
  decoder(): { push(id: number): string; end(): string };
}

async function tokenizerFor(m: AnswererManifest): Promise<Tokenizer> {
  if (m.tokenizer.kind === 'bytes')
    return {
      encode: (t) => [...new TextEncoder().encode(t)],
      decoder() {
        const td = new TextDecoder();
        return { push: (id) => (id < 256 ? td.decode(new Uint8Array([id]), { stream: true }) : ''), end: () => td.decode() };
      },
    };
  const { getEncoding } = await import('js-tiktoken');
  const enc = getEncoding('o200k_base');
  return {
    encode: (t) => enc.encode(t),
    decoder() {
      const ids: number[] = [];
      let said = '';
      return {
        push(id) {
          ids.push(id);
          const all = enc.decode(ids);
          if (all.endsWith('\uFFFD')) return ''; // wait for the rest of a multi-byte character
          const piece = all.slice(said.length);
          said = all;
          return piece;
        },
        end: () => '',
      };
    },
  };
}

export class OnnxAnswerer implements Answerer {
  readonly name: string;

  private constructor(
    private readonly m: AnswererManifest,
    private readonly lm: Session,
    private readonly projector: Session,
    private readonly table: Buffer,
    private readonly tok: Tokenizer,
  ) {
    this.name = `onnx:${m.name}`;
  }

  static async load(dir: string, opts: { provider?: ProviderRequest; threads?: number } = {}): Promise<OnnxAnswerer> {
    const pack = loadAnswererPack(dir);
    const m = pack.manifest;
    const lm = await getSession(pack.path('lm'), opts.provider ?? 'auto', { threads: opts.threads });
    const projector = await getSession(pack.path('projector'), opts.provider ?? 'auto', { threads: opts.threads });
    for (const [s, name, file] of [[lm, m.lm.input, 'lm'], [projector, m.projector.input, 'projector']] as const)
      if (!s.inputs.some((i) => i.name === name)) throw new EngramError('bad_input', `answerer pack ${m.name}: ${file} has no input "${name}" (it has ${s.inputs.map((i) => i.name).join(', ')})`);
    return new OnnxAnswerer(m, lm, projector, readFileSync(pack.path('embeddings')), await tokenizerFor(m));
  }

  private embed(ids: number[]): Float32Array {
    const H = this.m.lm.hidden;
    const out = new Float32Array(ids.length * H);
    const w = this.m.embeddings.dtype === 'float32' ? 4 : 2;
    ids.forEach((id, i) => {
      if (id < 0 || id >= this.m.lm.vocab) throw new EngramError('internal', `token id ${id} is outside the vocabulary (${this.m.lm.vocab})`);
      const row = this.table.subarray(id * H * w, (id + 1) * H * w);
      out.set(w === 4 ? new Float32Array(row.buffer.slice(row.byteOffset, row.byteOffset + row.byteLength)) : decodeFp16(row), i * H);
    });
    return out;
  }

  /** Vision tokens [n, visionDim] -> LM embeddings [n, hidden], through the pack's projector. */
  async project(tokens: Float32Array, count: number, dim: number): Promise<Float32Array> {
    if (dim !== this.m.projector.visionDim) throw new EngramError('bad_input', `vision tokens have dim ${dim}; the projector takes ${this.m.projector.visionDim}`);
    const res = await this.projector.run({ [this.m.projector.input]: { data: tokens, dims: [1, count, dim] } });
    return Float32Array.from(res[this.m.projector.output].data as ArrayLike<number>);
  }

  /** The prompt as LM input embeddings: system text, each memory's projected vision tokens, then the question. */
  private async prompt(question: string, context: ContextMemory[]): Promise<Float32Array[]> {
    const { bos, sep } = this.m.tokenizer;
    const parts: Float32Array[] = [];
    if (bos !== null && bos !== undefined) parts.push(this.embed([bos]));
    parts.push(this.embed(this.tok.encode(`${this.m.prompt.system}\nMemories:\n`)));
    for (const c of context) {
      const t = c.tokens();
      if (!t) continue;
      parts.push(await this.project(t.tokens, t.count, t.dim));
      if (sep !== null && sep !== undefined) parts.push(this.embed([sep]));
    }
    parts.push(this.embed(this.tok.encode(`\nQuestion: ${question}\nAnswer:`)));
    return parts;
  }

  /** Logits for the first answer token (diagnostics and tests: shows what the vision tokens change). */
  async firstLogits(question: string, context: ContextMemory[]): Promise<Float32Array> {
    const parts = await this.prompt(question, context);
    const H = this.m.lm.hidden;
    const seq = parts.reduce((n, p) => n + p.length / H, 0);
    const embeds = new Float32Array(seq * H);
    let at = 0;
    for (const p of parts) {
      embeds.set(p, at);
      at += p.length;
    }
    const res = await this.lm.run({ [this.m.lm.input]: { data: embeds, dims: [1, seq, H] } });
    return Float32Array.from((res[this.m.lm.output].data as Float32Array).subarray((seq - 1) * this.m.lm.vocab, seq * this.m.lm.vocab));
  }

  async answer(question: string, context: ContextMemory[], onDelta: (t: string) => void): Promise<AnswerResult> {
    const H = this.m.lm.hidden;
    const eos = new Set([this.m.tokenizer.eos].flat());
    const parts = await this.prompt(question, context);
    let seq = parts.reduce((n, p) => n + p.length / H, 0);
    const maxNew = Math.min(this.m.prompt.maxNewTokens, this.m.lm.maxPositions - seq);
    if (maxNew < 1) throw new EngramError('too_large', `the context (${seq} positions) fills the answerer's ${this.m.lm.maxPositions}: lower the context budget`);
    let embeds = new Float32Array(this.m.lm.maxPositions * H);
    let at = 0;
    for (const p of parts) {
      embeds.set(p, at);
      at += p.length;
    }
    const detok = this.tok.decoder();
    let answer = '';
    // Greedy, recomputing the whole sequence each step: the exported graph takes no KV cache.
    for (let step = 0; step < maxNew; step++) {
      const res = await this.lm.run({ [this.m.lm.input]: { data: embeds.subarray(0, seq * H), dims: [1, seq, H] } });
      const logits = res[this.m.lm.output].data as Float32Array;
      const V = this.m.lm.vocab;
      const last = logits.subarray((seq - 1) * V, seq * V);
      let id = 0;
      for (let i = 1; i < V; i++) if (last[i] > last[id]) id = i;
      if (eos.has(id)) break;
      const piece = detok.push(id);
      if (piece) {
        answer += piece;
        onDelta(piece);
      }
      embeds.set(this.embed([id]), seq * H);
      seq++;
    }
    const rest = detok.end();
    if (rest) {
      answer += rest;
      onDelta(rest);
    }
    embeds = new Float32Array(0);
    return { answer, usedIds: cited(answer, context) };
  }
}
