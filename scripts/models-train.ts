// `npm run models:train`: reproduces native-models/packs/engram-optical from a clean checkout, resuming where it stopped.
// Renders pages, trains (CPU, 1 thread by default: about 2 hours on this class of machine), exports, measures fidelity.
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
const data = resolve(arg('--data', join(RECIPE, 'data')));
const run = resolve(arg('--run', join(RECIPE, 'runs', 'default')));
const out = resolve(arg('--out', join(ROOT, 'native-models/packs/engram-optical')));
const steps = arg('--steps', '1600');
const threads = arg('--threads', '1');
const heldout = resolve(arg('--heldout', join(RECIPE, 'data', 'heldout')));
const t0 = Date.now();

function step(name: string, cmd: string, args: string[]) {
  console.log(`\n== ${name} (${((Date.now() - t0) / 60000).toFixed(1)} min in)`);
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${name} failed with exit ${r.status}`);
}

step('render 4,000 training pages (skips shards already there)', process.execPath, ['--import', 'tsx', join(RECIPE, 'gen_pages.ts'), data, '--shards', '16', '--pages', '250', '--seed', '1']);
step(`train to step ${steps} (resumes from ${join(run, 'ckpt.pt')})`, PY, [join(RECIPE, 'train.py'), '--data', data, '--run', run, '--steps', steps, '--threads', threads, '--eval-every', '400', '--eval-pages', '10']);
step('export the pack', PY, [join(RECIPE, 'export.py'), '--run', run, '--data', data, '--out', out]);
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
step('record metrics in the manifest', PY, [join(RECIPE, 'export.py'), '--run', run, '--data', data, '--out', out, '--metrics', metricsPath]);
console.log(`\nmodels:train done in ${((Date.now() - t0) / 60000).toFixed(1)} min`);
