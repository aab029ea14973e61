// Fidelity table for a folder of documents (what `engram bench fidelity DIR` prints), without the CLI around it.
//   npx tsx scripts/bench-fidelity.ts DIR [--pack DIR] [--modes tiny,small] [--per-doc 3] [--max 60] [--json OUT]
import { writeFileSync } from 'node:fs';
import type { Mode } from '../electron/contract/models.js';
import { benchFidelity, formatFidelityTable } from '../electron/core/optical/benchFidelity.js';
import { releaseSessions } from '../electron/core/optical/Runtime.js';

const arg = (k: string) => {
  const i = process.argv.indexOf(k);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const dir = process.argv[2];
if (!dir || dir.startsWith('--')) throw new Error('usage: bench-fidelity.ts DIR [--pack DIR] [--modes tiny,small] [--per-doc N] [--max N] [--json OUT]');
const t0 = Date.now();
const rows = await benchFidelity(dir, {
  packDir: arg('--pack'),
  modes: arg('--modes')?.split(',') as Mode[] | undefined,
  pagesPerDocument: arg('--per-doc') ? Number(arg('--per-doc')) : undefined,
  maxPages: arg('--max') ? Number(arg('--max')) : undefined,
  onProgress: (m) => console.error(m),
});
console.log(formatFidelityTable(rows));
console.log(`(${((Date.now() - t0) / 1000).toFixed(0)} s)`);
const out = arg('--json');
if (out) {
  const charAccuracy: Record<string, Record<string, number>> = {};
  const compression: Record<string, Record<string, number>> = {};
  for (const r of rows) {
    (charAccuracy[r.mode] ??= {})[r.level] = Number(r.charAccuracy.toFixed(4));
    (compression[r.mode] ??= {})[r.level] = Number(r.compression.toFixed(2));
  }
  writeFileSync(out, JSON.stringify({ heldout: 'native-models/recipes/engram-optical/README.md#held-out-set', charAccuracy, compression, fidelity: rows }, null, 2));
}
await releaseSessions();
