// CI smoke of the engram-optical recipe: render a few pages, train a few steps, export, and check that
// onnxruntime-node (through Engram's own optical runtime) reproduces torch's outputs. Well under 3 minutes on 2 cores.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GridDecoder } from '../electron/core/optical/Decoder.js';
import { loadModelPack } from '../electron/core/optical/ModelPack.js';
import { OpticalEncoder } from '../electron/core/optical/OpticalEncoder.js';
import { releaseSessions } from '../electron/core/optical/Runtime.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const RECIPE = join(ROOT, 'native-models/recipes/engram-optical');
const PY = process.env.ENGRAM_PYTHON ?? '/usr/bin/python3';
const t0 = Date.now();
const work = mkdtempSync(join(tmpdir(), 'engram-models-smoke-'));
const keep = process.argv.includes('--keep');

function step(name: string, cmd: string, args: string[]) {
  const t = Date.now();
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const tail = (r.stdout + r.stderr).trim().split('\n').slice(-3).join('\n  ');
  console.log(`[${((Date.now() - t0) / 1000).toFixed(0)}s] ${name} (${((Date.now() - t) / 1000).toFixed(1)}s)\n  ${tail}`);
  if (r.status !== 0) throw new Error(`${name} failed with exit ${r.status}`);
}

async function parity(arch: string, run: string, pack: string): Promise<void> {
  const mp = loadModelPack(pack);
  if (mp.kind !== 'grid') throw new Error(`${pack} is a ${mp.kind} pack; the ${arch} export makes grid packs`);
  const fx = join(run, 'parity');
  const meta = JSON.parse(readFileSync(join(fx, 'parity.json'), 'utf8')) as { size: number; tokens: number[]; ids: number[] };
  const px = new Float32Array(readFileSync(join(fx, 'pixels.f32')).buffer.slice(0));
  const refTok = new Float32Array(readFileSync(join(fx, 'tokens.f32')).buffer.slice(0));
  const refIds = new BigInt64Array(readFileSync(join(fx, 'ids.i64')).buffer.slice(0));
  const s = meta.size;
  const rgba = new Uint8ClampedArray(s * s * 4);
  // The fixture's pixels are whole grey levels / 255, so this round trip to RGBA is exact.
  for (let i = 0; i < s * s; i++) rgba.fill(Math.round(px[i] * 255), i * 4, i * 4 + 3), (rgba[i * 4 + 3] = 255);
  const mode = s === 512 ? 'tiny' : 'small';
  const enc = await OpticalEncoder.create(mp, { provider: 'cpu' });
  const [page] = await enc.encode([{ width: s, height: s, data: rgba }], mode);
  let maxDiff = 0;
  for (let i = 0; i < refTok.length; i++) maxDiff = Math.max(maxDiff, Math.abs(refTok[i] - page.tokens[i]));
  const dec = await GridDecoder.create(mp, { provider: 'cpu' });
  const side = Math.sqrt(page.count);
  const sess = await (await import('../electron/core/optical/Runtime.js')).getSession(mp.decoderPath, 'cpu', { offThread: false });
  const out = await sess.run({ tokens: { data: refTok, dims: [1, side, side, page.dim] } });
  const ids = out.ids.data as BigInt64Array;
  let same = 0;
  for (let i = 0; i < refIds.length; i++) if (ids[i] === refIds[i]) same++;
  const agree = same / refIds.length;
  const text = await dec.decode(page.tokens, page.count, page.dim);
  console.log(`${arch} parity: tokens max |torch - onnxruntime| = ${maxDiff.toExponential(2)}; decoder ids agree ${(100 * agree).toFixed(3)}%; decoded ${text.length} chars`);
  await releaseSessions();
  if (!(maxDiff < 1e-4)) throw new Error(`${arch} encoder parity failed: ${maxDiff}`);
  if (!(agree > 0.999)) throw new Error(`${arch} decoder parity failed: ${agree}`);
}

/** The span pack (v3): the reader and the compressor through torch and through onnxruntime-node agree, the smoke's
 *  whole pack runs a page end to end, and the committed default pack reads that page. */
async function spanParity(run: string, readerRun: string, pack: string): Promise<void> {
  const mp = loadModelPack(pack);
  if (mp.kind !== 'spans') throw new Error(`${pack} is a ${mp.kind} pack; export_spans.py makes span packs`);
  const fx = join(run, 'parity-spans');
  const meta = JSON.parse(readFileSync(join(fx, 'parity.json'), 'utf8')) as { spans: number; maxChars: number; dim: number };
  const ids = new Float32Array(readFileSync(join(fx, 'ids.f32')).buffer.slice(0));
  const refTok = new Float32Array(readFileSync(join(fx, 'tokens.f32')).buffer.slice(0));
  const refOut = new BigInt64Array(readFileSync(join(fx, 'out.i64')).buffer.slice(0));
  const { getSession } = await import('../electron/core/optical/Runtime.js');
  const enc = await getSession(mp.paths.encoder, 'cpu', { offThread: false });
  const tok = (await enc.run({ ids: { data: ids, dims: [meta.spans, meta.maxChars] } })).tokens.data as Float32Array;
  let maxDiff = 0;
  for (let i = 0; i < refTok.length; i++) maxDiff = Math.max(maxDiff, Math.abs(refTok[i] - tok[i]));
  const dec = await getSession(mp.paths.decoder, 'cpu', { offThread: false });
  const out = (await dec.run({ tokens: { data: refTok, dims: [meta.spans, meta.dim] } })).ids.data as BigInt64Array;
  let same = 0;
  for (let i = 0; i < refOut.length; i++) if (out[i] === refOut[i]) same++;
  const agree = same / refOut.length;
  // The reader: torch's probabilities for a fixed input against onnxruntime-node's.
  const rfx = join(readerRun, 'parity-reader');
  const shapes = JSON.parse(readFileSync(join(rfx, 'shapes.json'), 'utf8')) as { input: number[]; probs: number[] };
  const rin = new Float32Array(readFileSync(join(rfx, 'input.f32')).buffer.slice(0));
  const rref = new Float32Array(readFileSync(join(rfx, 'probs.f32')).buffer.slice(0));
  const rec = await getSession(mp.paths.recogniser, 'cpu', { offThread: false });
  const rout = (await rec.run({ x: { data: rin, dims: shapes.input } })).probs.data as Float32Array;
  let readerDiff = rout.length === rref.length ? 0 : Infinity;
  for (let i = 0; i < rref.length; i++) readerDiff = Math.max(readerDiff, Math.abs(rref[i] - rout[i]));
  // The whole pack on a rendered page: the front reads it, the compressor makes the mode's tokens, the decoder reads them.
  const { renderDocument } = await import('../electron/core/ingest/render/index.js');
  const { SpanEncoder, SpanDecoder } = await import('../electron/core/optical/SpanCodec.js');
  let page;
  for await (const p of renderDocument(new TextEncoder().encode('The models smoke reads this line.\nAnd this one, 42 times.'), { mode: 'tiny', name: 'smoke.txt' })) page ??= p;
  const se = await SpanEncoder.create(mp, { provider: 'cpu' });
  const [e] = await se.encode([page!.image], 'tiny');
  const text = await (await SpanDecoder.create(mp, { provider: 'cpu' })).decode(e.tokens, e.count, e.dim);
  const committed = loadModelPack(join(ROOT, 'native-models/packs/engram-optical'));
  if (committed.kind !== 'spans') throw new Error('the default pack is not a span pack');
  const front = await (await SpanEncoder.create(committed, { provider: 'cpu' })).readText(page!.image);
  console.log(`v3 parity: reader max |torch - onnxruntime| = ${readerDiff.toExponential(2)}; compressor tokens ${maxDiff.toExponential(2)}; decoder ids agree ${(100 * agree).toFixed(3)}%; ${e.count} tokens decoded to ${text.length} chars; the default pack's front read ${JSON.stringify(front)}`);
  await releaseSessions();
  if (!(readerDiff < 1e-4)) throw new Error(`v3 reader parity failed: ${readerDiff}`);
  if (!(maxDiff < 1e-4)) throw new Error(`v3 compressor parity failed: ${maxDiff}`);
  if (!(agree > 0.999)) throw new Error(`v3 decoder parity failed: ${agree}`);
  if (!/models smoke/i.test(front)) throw new Error(`v3: the default pack's front did not read the page (${JSON.stringify(front)})`);
  if (e.count !== 64) throw new Error(`v3: tiny gave ${e.count} tokens`);
}

try {
  const data = join(work, 'data');
  const run = join(work, 'run');
  const pack = join(work, 'pack');
  step('render pages', process.execPath, ['--import', 'tsx', join(RECIPE, 'gen_pages.ts'), data, '--shards', '1', '--pages', '24', '--seed', '7', '--sizes', '512,640']);
  step('train 6 steps', PY, [join(RECIPE, 'train.py'), '--data', data, '--run', run, '--steps', '6', '--eval-every', '6', '--ckpt-every', '3', '--threads', '2', '--val-pages', '4', '--eval-pages', '2']);
  step('resume to 8 steps', PY, [join(RECIPE, 'train.py'), '--data', data, '--run', run, '--steps', '8', '--eval-every', '100', '--threads', '2', '--val-pages', '4', '--eval-pages', '1']);
  step('export', PY, [join(RECIPE, 'export.py'), '--run', run, '--data', data, '--out', pack]);
  await parity('v1', run, pack);
  // The MLP token path (v2), warm-started from the run above as the recipe does it: train, export, parity.
  const run2 = join(work, 'run-v2');
  const pack2 = join(work, 'pack-v2');
  step('v2: warm start, 4 steps', PY, [join(RECIPE, 'train.py'), '--data', data, '--run', run2, '--arch', 'v2', '--init-from', join(run, 'ckpt.pt'), '--steps', '4', '--eval-every', '4', '--threads', '2', '--val-pages', '4', '--eval-pages', '1']);
  step('v2: export', PY, [join(RECIPE, 'export.py'), '--run', run2, '--data', data, '--out', pack2]);
  await parity('v2', run2, pack2);
  // The span pack (v3, the default): line crops from 6 pages, the reader 4 steps and a resume to 6; a 1 MB corpus, the
  // compressor 6 steps and a resume to 8; export with the frozen detector; parity.
  const lines = join(work, 'lines');
  const runR = join(work, 'run-reader');
  step('v3: line crops', process.execPath, ['--import', 'tsx', join(RECIPE, 'gen_lines.ts'), lines, '--shards', '1', '--pages', '6', '--seed', '7']);
  step('v3: reader 4 steps', PY, [join(RECIPE, 'reader.py'), '--data', lines, '--run', runR, '--steps', '4', '--eval-every', '4', '--batch', '8', '--val', '20']);
  step('v3: reader resume to 6 steps', PY, [join(RECIPE, 'reader.py'), '--data', lines, '--run', runR, '--steps', '6', '--eval-every', '100', '--batch', '8', '--val', '20']);
  const corpus = join(work, 'corpus.txt');
  const run3 = join(work, 'run-v3');
  const pack3 = join(work, 'pack-v3');
  step('v3: corpus', process.execPath, ['--import', 'tsx', join(RECIPE, 'corpus.ts'), corpus, '--max-mb', '1']);
  step('v3: train 6 steps', PY, [join(RECIPE, 'compressor.py'), '--corpus', corpus, '--run', run3, '--steps', '6', '--eval-every', '6', '--batch', '16']);
  step('v3: resume to 8 steps', PY, [join(RECIPE, 'compressor.py'), '--corpus', corpus, '--run', run3, '--steps', '8', '--eval-every', '100', '--batch', '16']);
  step('v3: export', PY, [join(RECIPE, 'export_spans.py'), '--run', run3, '--reader', runR, '--out', pack3]);
  await spanParity(run3, runR, pack3);
  console.log(`models smoke passed in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
} finally {
  if (!keep) rmSync(work, { recursive: true, force: true });
  else console.log(`kept ${work}`);
}
