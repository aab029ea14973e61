// `npm run bench:optical`: pages/s encoded and characters/s decoded per mode on this machine, and peak memory.
// Pages are drawn by Engram's own text renderer, so the numbers are what ingest sees. Options: --pages N, --provider cpu|cuda|auto.
import { MODE_TOKENS, Modes } from '../electron/contract/models.js';
import { renderDocument } from '../electron/core/ingest/render/index.js';
import type { PageImage } from '../electron/core/ingest/types.js';
import { loadDecoder, loadDefaultEncoder } from '../electron/core/optical/index.js';
import { releaseSessions } from '../electron/core/optical/Runtime.js';

const arg = (k: string, d: string) => {
  const i = process.argv.indexOf(k);
  return i >= 0 ? process.argv[i + 1] : d;
};
const N = Number(arg('--pages', '8'));
const provider = arg('--provider', 'auto') as 'auto' | 'cpu' | 'cuda';
const packDir = process.argv.includes('--pack') ? arg('--pack', '') : undefined;

const para = 'Vision tokens keep a page as a picture compressed into a handful of vectors; text is read back from them alone. ';
const text = Array.from({ length: 200 }, (_, i) => `${i + 1}. ${para}`).join('\n');

let peak = process.memoryUsage().rss;
const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);

const encoder = await loadDefaultEncoder({ packDir, provider });
const decoder = await loadDecoder({ packDir, provider });
console.log(`encoder ${encoder.name} on ${encoder.provider}${encoder.note ? ` (${encoder.note})` : ''}; ${N} pages a mode`);
const rows: string[][] = [];
for (const mode of Modes) {
  const pages: PageImage[] = [];
  for await (const p of renderDocument(new TextEncoder().encode(text), { mode, name: 'bench.txt' })) {
    pages.push(p.image);
    if (pages.length >= N) break;
  }
  while (pages.length < N) pages.push(pages[pages.length % pages.length]);
  await encoder.encode(pages.slice(0, 1), mode); // warm-up: first runs allocate
  let t = performance.now();
  const enc = await encoder.encode(pages, mode);
  const encS = (performance.now() - t) / 1000;
  await decoder.decode(enc[0].tokens, enc[0].count, enc[0].dim);
  t = performance.now();
  const texts = await decoder.decodeMany(enc);
  const decS = (performance.now() - t) / 1000;
  const chars = texts.reduce((a, s) => a + s.length, 0);
  rows.push([mode, String(MODE_TOKENS[mode]), (N / encS).toFixed(2), (1000 * encS / N).toFixed(0), (chars / decS).toFixed(0), (1000 * decS / N).toFixed(0)]);
}
clearInterval(sample);
peak = Math.max(peak, process.memoryUsage().rss);
const head = ['mode', 'tokens', 'enc pages/s', 'enc ms/page', 'dec chars/s', 'dec ms/page'];
const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
console.log([head, w.map((n) => '-'.repeat(n)), ...rows].map((r) => r.map((c, i) => (i ? c.padStart(w[i]) : c.padEnd(w[i]))).join('  ')).join('\n'));
console.log(`peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB; provider ${encoder.provider}`);
await releaseSessions();
