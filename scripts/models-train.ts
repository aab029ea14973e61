// `npm run models:train`: reproduces native-models/packs/engram-optical from a clean checkout, resuming where it stopped.
// The default (v3 span pack): draws labelled line crops with Engram's renderers and PaddleOCR's frozen detector, trains
// the line reader (2 threads: 9,000 steps take about 70 minutes), builds the text corpus from node_modules, trains the span compressor (CPU, 1
// thread: 20,000 steps take about 45 minutes on this class of machine), exports the pack, measures fidelity on the
// held-out set and records it in the manifest. `--recipe grid` reproduces the v1 grid pack instead
// (renders pages, trains the page CNN: hours).
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const RECIPE = join(ROOT, 'native-models/recipes/engram-optical');
const PY = process.env.ENGRAM_PYTHON ?? '/usr/bin/python3';
const arg = (k: string, d: string) => {
  const i = process.argv.indexOf(k);
  return i >= 0 ? process.argv[i + 1] : d;
};
const recipe = arg('--recipe', 'spans');
if (recipe !== 'spans' && recipe !== 'grid') throw new Error(`--recipe is spans or grid, not ${recipe}`);
const data = resolve(arg('--data', join(RECIPE, 'data')));
const run = resolve(arg('--run', join(RECIPE, 'runs', recipe === 'spans' ? 'spans' : 'default')));
const out = resolve(arg('--out', join(ROOT, 'native-models/packs/engram-optical')));
const steps = arg('--steps', recipe === 'spans' ? '20000' : '1600');
const threads = arg('--threads', '1');
const readerRun = resolve(arg('--reader-run', join(RECIPE, 'runs', 'reader')));
const readerSteps = arg('--reader-steps', '9000');
const lines = join(data, 'lines');
const heldout = resolve(arg('--heldout', join(RECIPE, 'data', 'heldout')));
const t0 = Date.now();

function step(name: string, cmd: string, args: string[]) {
  console.log(`\n== ${name} (${((Date.now() - t0) / 60000).toFixed(1)} min in)`);
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${name} failed with exit ${r.status}`);
}

const corpus = join(data, 'corpus.txt');
const exportArgs = recipe === 'spans' ? [join(RECIPE, 'export_spans.py'), '--run', run, '--reader', readerRun, '--out', out] : [join(RECIPE, 'export.py'), '--run', run, '--data', data, '--out', out];
if (recipe === 'spans') {
  step('draw 3,200 labelled pages of line crops (skips shards already there)', process.execPath, ['--import', 'tsx', join(RECIPE, 'gen_lines.ts'), lines, '--shards', '32', '--pages', '100', '--seed', '7', '--det-side', '640']);
  step(`train the line reader to step ${readerSteps} (resumes from ${join(readerRun, 'reader.pt')})`, PY, [join(RECIPE, 'reader.py'), '--data', lines, '--run', readerRun, '--steps', readerSteps, '--threads', '2']);
  if (!existsSync(corpus)) step('build the text corpus from node_modules', process.execPath, ['--import', 'tsx', join(RECIPE, 'corpus.ts'), corpus, '--max-mb', '40']);
  step(`train the span compressor to step ${steps} (resumes from ${join(run, 'compressor.pt')})`, PY, [join(RECIPE, 'compressor.py'), '--corpus', corpus, '--run', run, '--steps', steps, '--threads', threads, '--eval-every', '500']);
} else {
  step('render 4,000 training pages (skips shards already there)', process.execPath, ['--import', 'tsx', join(RECIPE, 'gen_pages.ts'), data, '--shards', '16', '--pages', '250', '--seed', '1']);
  step(`train to step ${steps} (resumes from ${join(run, 'ckpt.pt')})`, PY, [join(RECIPE, 'train.py'), '--data', data, '--run', run, '--steps', steps, '--threads', threads, '--eval-every', '400', '--eval-pages', '10']);
}
step('export the pack', PY, exportArgs);
if (!existsSync(heldout)) step('build the held-out set', process.execPath, [join(RECIPE, 'heldout.mjs'), heldout]);

const { benchFidelity, formatFidelityTable } = await import('../electron/core/optical/benchFidelity.js');
console.log('\n== fidelity on the held-out set');
const rows = await benchFidelity(heldout, { packDir: out, onProgress: (m) => console.log(m) });
console.log(formatFidelityTable(rows));
const metricsPath = join(run, 'metrics.json');
// charAccuracy[mode][level] is what the engine reads (OpticalAccess.fidelityAt); fidelity keeps the whole table.
const charAccuracy: Record<string, Record<string, number>> = {};
const compression: Record<string, Record<string, number>> = {};
for (const r of rows) {
  (charAccuracy[r.mode] ??= {})[r.level] = Number(r.charAccuracy.toFixed(4));
  (compression[r.mode] ??= {})[r.level] = Number(r.compression.toFixed(2));
}
writeFileSync(metricsPath, JSON.stringify({ heldout: 'native-models/recipes/engram-optical/README.md#held-out-set', charAccuracy, compression, fidelity: rows }, null, 2));
step('record metrics in the manifest', PY, [...exportArgs, '--metrics', metricsPath]);
console.log(`\nmodels:train done in ${((Date.now() - t0) / 60000).toFixed(1)} min`);
