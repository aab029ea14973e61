// How fast the page renderers turn documents into pages: generated PDF, text and code, timed per kind and mode.
// Speed is measured here rather than asserted in tests, so a slow CI machine never fails a build.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Modes, type Mode } from '../electron/contract/models.js';
import { renderDocument } from '../electron/core/ingest/render/index.js';
import { makePdfBytes, prose, sampleCode } from '../tests/fixtures/makeFixtures.js';

const PAGES = Number(process.env.BENCH_PAGES ?? 30);
const modes: Mode[] = process.argv.includes('--all-modes') ? [...Modes] : ['small'];

interface Row {
  kind: string;
  mode: Mode;
  pages: number;
  seconds: number;
  pagesPerSecond: number;
  peakRssMb: number;
}

async function bench(name: string, bytes: Uint8Array, mode: Mode): Promise<Row> {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const start = performance.now();
  let pages = 0;
  for await (const page of renderDocument(bytes, { mode, name })) {
    pages = page.page;
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  const seconds = (performance.now() - start) / 1000;
  clearInterval(sampler);
  return { kind: path.extname(name).slice(1), mode, pages, seconds, pagesPerSecond: pages / seconds, peakRssMb: peak / 2 ** 20 };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'engram-bench-'));
  try {
    // About 2,300 characters of prose per page and 38 code lines per page.
    const docs: [string, Uint8Array][] = [
      ['bench.pdf', await makePdfBytes(PAGES)],
      ['bench.txt', Buffer.from(Array.from({ length: PAGES * 3 }, (_, i) => prose(i + 1, 9)).join('\n\n'))],
      ['bench.ts', Buffer.from(sampleCode(PAGES * 38))],
    ];
    for (const [name, bytes] of docs) await writeFile(path.join(dir, name), bytes);
    // One warm-up pass loads the libraries (pdf.js, highlight.js) and fonts, which the first real file pays once.
    for (const [name, bytes] of docs) for await (const _ of renderDocument(bytes, { mode: 'tiny', name })) break;

    const rows: Row[] = [];
    for (const mode of modes) for (const [name, bytes] of docs) rows.push(await bench(name, bytes, mode));
    console.log(`page renderers, ${PAGES}-page documents, node ${process.version}\n`);
    console.log(['kind', 'mode', 'pages', 'seconds', 'pages/s', 'peak RSS MB'].map((h) => h.padEnd(11)).join(' '));
    for (const r of rows) {
      console.log(
        [r.kind, r.mode, String(r.pages), r.seconds.toFixed(2), r.pagesPerSecond.toFixed(1), r.peakRssMb.toFixed(0)].map((c) => c.padEnd(11)).join(' '),
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
