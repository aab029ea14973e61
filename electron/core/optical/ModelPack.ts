// A model pack on disk: manifest.json validated with zod, every listed file present with its sha256.
// Loading fails early with an error naming the file at fault, so a broken pack never reaches a session.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { Modes, MODE_SIZE, MODE_TOKENS, type Mode } from '../../contract/models.js';
import { getSession, type ProviderRequest, type Session } from './Runtime.js';

const PackFile = z.object({
  path: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().positive(),
});

const Level = z.object({
  name: z.string().min(1),
  count: z.number().int().positive(),
  dim: z.number().int().positive(),
});

export const Manifest = z.object({
  /** A grid pack (the default): encoder.onnx maps page pixels to a token grid, decoder.onnx reads line slots. */
  kind: z.literal('grid').optional(),
  name: z.string().min(1),
  version: z.string().min(1),
  licence: z.string().min(1),
  description: z.string().optional(),
  files: z.object({ encoder: PackFile, decoder: PackFile }),
  input: z.object({
    /** Input tensor name and layout: grey pixels in [0, 1], [batch, 1, size, size]. */
    name: z.string(),
    channels: z.literal(1),
    /** Pixels per token side: page sizes must be multiples of it. */
    patch: z.number().int().positive(),
    sizes: z.record(z.enum(Modes), z.number().int().positive()),
  }),
  output: z.object({ name: z.string() }),
  decoder: z.object({
    input: z.string(),
    output: z.string(),
    kind: z.literal('ctc-bands'),
    slots: z.number().int().positive(),
    positions: z.number().int().positive(),
  }),
  /** The ladder, from most tokens to fewest; the four modes first. */
  levels: z.array(Level).min(1),
  charset: z.object({ kind: z.literal('ctc'), blank: z.literal(0), chars: z.string().min(1) }),
  params: z.number().int().positive().optional(),
  training: z.record(z.string(), z.unknown()).optional(),
  metrics: z.record(z.string(), z.unknown()).optional(),
});
export type Manifest = z.infer<typeof Manifest>;

const Triple = z.tuple([z.number(), z.number(), z.number()]);

/** A span pack: an OCR front (a text detector and a line recogniser) reads the page, and a learnt compressor turns each
 *  of the level's N equal spans of the recognised text into one token; its decoder reads a token back to its span. */
export const SpansManifest = z.object({
  kind: z.literal('ocr-spans'),
  name: z.string().min(1),
  version: z.string().min(1),
  licence: z.string().min(1),
  description: z.string().optional(),
  files: z.object({ detector: PackFile, recogniser: PackFile, keys: PackFile, encoder: PackFile, decoder: PackFile }),
  front: z.object({
    detector: z.object({
      input: z.string(),
      output: z.string(),
      /** The page is scaled so its side is at least minSide (small text needs it) and at most maxSide, to a multiple. */
      minSide: z.number().int().positive(),
      maxSide: z.number().int().positive(),
      multiple: z.number().int().positive(),
      /** Probability above which a pixel is text, and mean probability above which a region is kept. */
      threshold: z.number().min(0).max(1),
      boxThreshold: z.number().min(0).max(1),
      /** DB's unclip ratio: a kept region grows by area * ratio / perimeter on each side. */
      unclip: z.number().positive(),
      mean: Triple,
      std: Triple,
    }),
    recogniser: z.object({ input: z.string(), output: z.string(), height: z.number().int().positive(), maxWidth: z.number().int().positive() }),
  }),
  spans: z.object({
    input: z.string(),
    output: z.string(),
    decoderInput: z.string(),
    decoderOutput: z.string(),
    /** Characters one token holds at most, and at least while the page has them (short pages use fewer tokens). */
    maxChars: z.number().int().positive(),
    minChars: z.number().int().positive().default(1),
    /** Id i (from 1) is chars[i - 1]; 0 is padding. */
    chars: z.string().min(1),
  }),
  levels: z.array(Level).min(1),
  params: z.number().int().positive().optional(),
  training: z.record(z.string(), z.unknown()).optional(),
  metrics: z.record(z.string(), z.unknown()).optional(),
});
export type SpansManifest = z.infer<typeof SpansManifest>;

export class ModelPackError extends Error {
  constructor(
    message: string,
    /** The file at fault (absolute path). */
    readonly file: string,
  ) {
    super(message);
    this.name = 'ModelPackError';
  }
}

export interface ModelPack {
  kind: 'grid';
  dir: string;
  manifest: Manifest;
  encoderPath: string;
  decoderPath: string;
  /** Token grid side at a mode: size / patch. */
  side(mode: Mode): number;
  level(name: string): z.infer<typeof Level>;
}

export type SpanFile = keyof SpansManifest['files'];

export interface SpanPack {
  kind: 'spans';
  dir: string;
  manifest: SpansManifest;
  /** Absolute path of every file the manifest lists. */
  paths: Record<SpanFile, string>;
  encoderPath: string;
  decoderPath: string;
  level(name: string): z.infer<typeof Level>;
}

/** Either kind of pack, as loadModelPack returns it. */
export type AnyPack = ModelPack | SpanPack;

const checked = new Map<string, string>(); // path:size:mtime -> sha256, so reloading a pack does not rehash 20 MB

function sha256(path: string): string {
  const buf = readFileSync(path);
  return createHash('sha256').update(buf).digest('hex');
}

/** Load and verify a pack folder. Throws ModelPackError naming manifest.json or the file at fault. */
export function loadModelPack(dir: string, opts: { verify?: boolean } = {}): AnyPack {
  const root = resolve(dir);
  const mpath = join(root, 'manifest.json');
  if (!existsSync(mpath)) throw new ModelPackError(`model pack ${root}: manifest.json is missing`, mpath);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(mpath, 'utf8'));
  } catch (e) {
    throw new ModelPackError(`model pack ${root}: manifest.json is not valid JSON (${(e as Error).message})`, mpath);
  }
  const spans = (raw as { kind?: unknown } | null)?.kind === 'ocr-spans';
  const parsed = spans ? SpansManifest.safeParse(raw) : Manifest.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ModelPackError(`model pack ${root}: manifest.json is invalid at ${issue.path.join('.') || '(root)'}: ${issue.message}`, mpath);
  }
  const level = (levels: z.infer<typeof Level>[], name: string) => {
    const l = levels.find((x) => x.name === name);
    if (!l) throw new ModelPackError(`model pack ${parsed.data.name} has no level "${name}"`, mpath);
    return l;
  };
  if (spans) {
    const m = parsed.data as SpansManifest;
    for (const mode of Modes)
      if (!m.levels.some((l) => l.name === mode && l.count === MODE_TOKENS[mode]))
        throw new ModelPackError(`manifest.json: levels has no "${mode}" level of ${MODE_TOKENS[mode]} tokens`, mpath);
    const paths = verifyFiles(root, m.name, m.files, opts.verify ?? true);
    return { kind: 'spans', dir: root, manifest: m, paths, encoderPath: paths.encoder, decoderPath: paths.decoder, level: (name) => level(m.levels, name) };
  }
  const m = parsed.data as Manifest;
  for (const mode of Modes) {
    const size = m.input.sizes[mode];
    if (size === undefined) throw new ModelPackError(`manifest.json: input.sizes has no size for mode "${mode}"`, mpath);
    if (size !== MODE_SIZE[mode])
      throw new ModelPackError(`manifest.json: input size for mode "${mode}" is ${size}, but Engram renders ${mode} pages at ${MODE_SIZE[mode]} px`, mpath);
    if (size % m.input.patch !== 0) throw new ModelPackError(`manifest.json: input size ${size} is not a multiple of patch ${m.input.patch}`, mpath);
    const count = (size / m.input.patch) ** 2;
    if (count !== MODE_TOKENS[mode])
      throw new ModelPackError(`manifest.json: mode "${mode}" gives ${count} tokens, Engram expects ${MODE_TOKENS[mode]}`, mpath);
    if (!m.levels.some((l) => l.name === mode && l.count === count))
      throw new ModelPackError(`manifest.json: levels has no "${mode}" level of ${count} tokens`, mpath);
  }
  const paths = verifyFiles(root, m.name, m.files, opts.verify ?? true);
  return {
    kind: 'grid',
    dir: root,
    manifest: m,
    encoderPath: paths.encoder,
    decoderPath: paths.decoder,
    side: (mode) => m.input.sizes[mode]! / m.input.patch,
    level: (name) => level(m.levels, name),
  };
}

/** Every listed file present, with its sha256 when `verify`; absolute paths by key. */
function verifyFiles<K extends string>(root: string, packName: string, files: Record<K, z.infer<typeof PackFile>>, verify: boolean): Record<K, string> {
  const paths = {} as Record<K, string>;
  for (const key of Object.keys(files) as K[]) {
    const f = files[key];
    const p = join(root, f.path);
    if (!existsSync(p)) throw new ModelPackError(`model pack ${packName}: ${key} file ${f.path} is missing (expected at ${p})`, p);
    if (verify) {
      const { size, mtimeMs } = statSync(p);
      const cacheKey = `${p}:${size}:${mtimeMs}`;
      let got = checked.get(cacheKey);
      if (!got) {
        got = sha256(p);
        checked.set(cacheKey, got);
      }
      if (got !== f.sha256)
        throw new ModelPackError(`model pack ${packName}: ${f.path} fails its checksum (sha256 ${got.slice(0, 12)}..., manifest says ${f.sha256.slice(0, 12)}...): the file is corrupt or from another pack`, p);
    }
    paths[key] = p;
  }
  return paths;
}

export interface PackSessionOptions {
  provider?: ProviderRequest;
  threads?: number;
  /** Inference on a worker thread (default true). */
  offThread?: boolean;
}

/** The shared session of one of a pack's files (`rel` as the manifest names it, at `path`). A file onnxruntime cannot
 *  load, or, when `io` is given, one without that input and output, is a ModelPackError naming the file. */
export async function openPackSession(pack: AnyPack, rel: string, path: string, opts: PackSessionOptions = {}, io?: { input: string; output: string }): Promise<Session> {
  let s: Session;
  try {
    s = await getSession(path, opts.provider ?? 'auto', { threads: opts.threads, offThread: opts.offThread });
  } catch (e) {
    throw new ModelPackError(`model pack ${pack.manifest.name}: ${rel} cannot be loaded by onnxruntime: ${(e as Error).message.split('\n')[0]}`, path);
  }
  if (io && (!s.inputs.some((i) => i.name === io.input) || !s.outputs.includes(io.output)))
    throw new ModelPackError(
      `model pack ${pack.manifest.name}: ${rel} has inputs ${s.inputs.map((i) => i.name).join(', ')} and outputs ${s.outputs.join(', ')}; manifest.json expects ${io.input} -> ${io.output}`,
      path,
    );
  return s;
}
