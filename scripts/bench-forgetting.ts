// `npm run bench:forgetting`: a simulated year of reading at 50 pages a day under a budget of a tenth of what
// would be stored, on real pages encoded by the default pack. Prints budget, pinned and fidelity tables, and times a pass over 100,000 memories.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Settings } from '../electron/contract/models.js';
import { DEFAULT_SETTINGS } from '../electron/core/createEngine.js';
import { renderDocument } from '../electron/core/ingest/render/index.js';
import { ForgettingScheduler } from '../electron/core/memory/ForgettingScheduler.js';
import { MemoryBank, type NewPage } from '../electron/core/memory/MemoryBank.js';
import { planPass } from '../electron/core/memory/forgetting.js';
import { charAccuracy } from '../electron/core/optical/benchFidelity.js';
import { loadDecoder, loadDefaultEncoder, loadRecompressor, loadSpanLadder } from '../electron/core/optical/index.js';
import { LADDER, type LevelName } from '../electron/core/optical/ladder.js';

const { values } = parseArgs({
  options: {
    days: { type: 'string', default: '365' },
    'per-day': { type: 'string', default: '50' },
    'pool-pages': { type: 'string', default: '24' },
    big: { type: 'string', default: '100000' },
    plot: { type: 'string', default: 'dist/bench/forgetting.svg' },
  },
});
const DAYS = Number(values.days);
const PER_DAY = Number(values['per-day']);
const DAY = 86_400_000;
const MODE = 'small' as const;
// Held-out text (never trained on): Debian's licences and docs.
const SOURCES = ['/usr/share/common-licenses/Apache-2.0', '/usr/share/common-licenses/MPL-2.0', '/usr/share/common-licenses/Artistic', '/usr/share/common-licenses/GPL-3', '/usr/share/common-licenses/BSD'];
const BANDS = [
  { name: 'low (1)', importance: 1, share: 0.3 },
  { name: 'default (5)', importance: 5, share: 0.5 },
  { name: 'high (8)', importance: 8, share: 0.15 },
  { name: 'pinned (10)', importance: 10, share: 0.05 },
];
const AGES = [
  { name: '1 week', days: 7 },
  { name: '1 month', days: 30 },
  { name: '1 year', days: DAYS - 1 },
];

function table(rows: (string | number)[][]): string {
  const w = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  return rows.map((r, i) => r.map((v, c) => String(v).padEnd(w[c])).join('  ') + (i === 0 ? `\n${w.map((n) => '-'.repeat(n)).join('  ')}` : '')).join('\n');
}

// 1. A pool of real pages, encoded once by the default pack; the simulated year draws its pages from it.
const encoder = await loadDefaultEncoder();
if (encoder.name === 'pool') {
  console.error(`bench:forgetting needs the default model pack: ${encoder.note}`);
  process.exit(1);
}
const decoder = await loadDecoder();
const pool: { text: string; tokens: Float32Array; count: number; dim: number }[] = [];
for (const src of SOURCES.filter(existsSync)) {
  for await (const p of renderDocument(readFileSync(src), { name: `${src.split('/').pop()}.txt`, mode: MODE })) {
    const [e] = await encoder.encode([p.image], MODE);
    pool.push({ text: p.textLayer ?? '', tokens: e.tokens, count: e.count, dim: e.dim });
    if (pool.length >= Number(values['pool-pages'])) break;
  }
  if (pool.length >= Number(values['pool-pages'])) break;
}
console.log(`page pool: ${pool.length} held-out pages encoded at ${MODE} (${pool[0].count} tokens x ${pool[0].dim})`);

// 2. The year: each day 50 new pages, then the day's forgetting pass.
const dir = mkdtempSync(join(tmpdir(), 'engram-bench-forget-'));
let clock = Date.parse('2026-01-01T08:00:00Z');
const bank = MemoryBank.open(dir, { now: () => new Date(clock) });
const perDayTokens = PER_DAY * pool[0].count;
const budget = Math.round((DAYS * perDayTokens) / 10);
const settings: Settings = { ...DEFAULT_SETTINGS, bankBudgetTokens: budget };
const spanLadder = await loadSpanLadder();
const recompress = await loadRecompressor();
const forgetting = new ForgettingScheduler({ bank, settings: () => settings, now: () => clock, spanLadder: async () => spanLadder });
const created: { id: string; day: number; band: number; page: number }[] = [];
const pinnedOriginal = new Map<string, Buffer>();
let maxTokens = 0;
let overBudget = 0;
let seq = 0;
const t0 = Date.now();
for (let day = 0; day < DAYS; day++) {
  clock = Date.parse('2026-01-01T08:00:00Z') + day * DAY;
  for (let k = 0; k < PER_DAY; k++) {
    const r = (k + 0.5) / PER_DAY;
    let acc = 0;
    const band = BANDS.findIndex((b) => (acc += b.share) >= r);
    const pi = seq % pool.length;
    const p = pool[pi];
    const page: NewPage = { page: 1, kind: 'text', mode: MODE, level: MODE, tokens: p.tokens, count: p.count, dim: p.dim, thumbnail: null, phash: null };
    const [m] = bank.addDocument({ source: `/sim/day${day}/doc${k}.txt`, name: `doc${k}.txt`, kind: 'text', contentHash: `sim-${seq++}`, size: 1, pages: 1 }, [page]);
    if (BANDS[band].importance !== 5) bank.setImportance(m.id, BANDS[band].importance);
    if (BANDS[band].importance === 10) pinnedOriginal.set(m.id, Buffer.from(bank.getTokens(m.id)!.tokens.buffer));
    created.push({ id: m.id, day, band, page: pi });
  }
  const report = await forgetting.run();
  maxTokens = Math.max(maxTokens, report.after.tokens);
  if (report.after.tokens > budget) overBudget++;
  if (day % 30 === 0) process.stderr.write(`\r  day ${day}/${DAYS}: ${report.after.memories} memories, ${report.after.tokens}/${budget} tokens`);
}
process.stderr.write('\n');
const simSeconds = (Date.now() - t0) / 1000;
let pinnedIntact = 0;
for (const [id, orig] of pinnedOriginal) {
  const t = bank.getTokens(id);
  if (t && bank.getMemory(id)?.level === MODE && Buffer.from(t.tokens.buffer).equals(orig)) pinnedIntact++;
}

console.log(`\nA simulated year: ${DAYS} days x ${PER_DAY} pages at ${MODE} (${pool[0].count} tokens a page), budget ${budget} tokens (a tenth of ${DAYS * perDayTokens}); ${simSeconds.toFixed(1)} s`);
console.log(table([
  ['passes', 'passes over budget', 'peak tokens', 'budget', 'memories at the end', 'pinned intact'],
  [DAYS, overBudget, maxTokens, budget, bank.totals().memories, `${pinnedIntact}/${pinnedOriginal.size} (${((100 * pinnedIntact) / Math.max(1, pinnedOriginal.size)).toFixed(1)}%)`],
]));

// 3. Fidelity by importance band and age at the end of the year: decode what each memory still holds.
const baseline = new Map<number, number>();
async function fidelity(c: { id: string; page: number }): Promise<{ acc: number; level: string }> {
  const m = bank.getMemory(c.id);
  if (!m) return { acc: 0, level: 'dropped' };
  const t = bank.getTokens(c.id)!;
  const text = await decoder.decode(t.tokens, t.count, t.dim, { nativeCount: pool[c.page].count });
  return { acc: charAccuracy(text, pool[c.page].text), level: m.level };
}
for (let i = 0; i < pool.length; i++) {
  const p = pool[i];
  baseline.set(i, charAccuracy(await decoder.decode(p.tokens, p.count, p.dim), p.text));
}
const rows: (string | number)[][] = [['band', ...AGES.map((a) => `${a.name}: accuracy (levels)`)]];
const series: Record<string, number[]> = {};
for (let b = 0; b < BANDS.length; b++) {
  const cells: string[] = [];
  series[BANDS[b].name] = [];
  for (const age of AGES) {
    const day = DAYS - 1 - age.days;
    const sample = created.filter((c) => c.band === b && c.day === Math.max(0, day)).slice(0, 12);
    let sum = 0;
    const levels = new Map<string, number>();
    for (const c of sample) {
      const f = await fidelity(c);
      sum += f.acc;
      levels.set(f.level, (levels.get(f.level) ?? 0) + 1);
    }
    const mean = sample.length ? sum / sample.length : NaN;
    series[BANDS[b].name].push(mean);
    cells.push(`${(100 * mean).toFixed(1)}% (${[...levels].map(([l, n]) => `${l}×${n}`).join(' ')})`);
  }
  rows.push([BANDS[b].name, ...cells]);
}
const fresh = [...baseline.values()].reduce((a, b) => a + b, 0) / baseline.size;
console.log(`\nDecoded fidelity (char accuracy against the page's text) by importance and age; a fresh ${MODE} page decodes at ${(100 * fresh).toFixed(1)}%:`);
console.log(table(rows));

// Fidelity at each ladder level of the pool, for reading the table above.
const ladderRow: (string | number)[][] = [['level', 'tokens', 'accuracy']];
for (const l of LADDER.filter((x) => x.count <= pool[0].count)) {
  let s = 0;
  for (const p of pool) {
    const f = l.count === p.count ? p : await recompress({ tokens: p.tokens, count: p.count, dim: p.dim, level: MODE }, l.name as LevelName);
    s += charAccuracy(await decoder.decode(f.tokens, f.count, f.dim, { nativeCount: p.count }), p.text);
  }
  ladderRow.push([l.name, l.count, `${((100 * s) / pool.length).toFixed(1)}%`]);
}
console.log(table(ladderRow));

// ASCII plot and an SVG of fidelity against age by band.
console.log('\nfidelity by age (each row a band; columns 1 week | 1 month | 1 year):');
for (const [name, v] of Object.entries(series)) console.log(`  ${name.padEnd(12)} ${v.map((x) => '█'.repeat(Math.round((x || 0) * 30)).padEnd(30)).join(' | ')}`);
const svg = plotSvg(series);
mkdirSync(dirname(values.plot!), { recursive: true });
writeFileSync(values.plot!, svg);
console.log(`plot: ${values.plot}`);
bank.close();
rmSync(dir, { recursive: true, force: true });

// 4. A pass over 100,000 memories.
const N = Number(values.big);
const bigDir = mkdtempSync(join(tmpdir(), 'engram-bench-forget-big-'));
clock = Date.parse('2026-01-01T00:00:00Z');
const big = MemoryBank.open(bigDir, { now: () => new Date(clock) });
const tiny = new Float32Array(64 * 8).fill(0.5);
process.stderr.write(`  building a bank of ${N} memories...`);
big.tx(() => {
  for (let i = 0; i < N; i++) {
    if (i % 274 === 0) clock += DAY;
    big.addDocument({ source: `/big/${i}.txt`, name: `${i}.txt`, kind: 'text', contentHash: `big-${i}`, size: 1, pages: 1 }, [
      { page: 1, kind: 'text', mode: 'tiny', level: 'tiny', tokens: tiny, count: 64, dim: 8, thumbnail: null, phash: null },
    ]);
  }
});
process.stderr.write(' done\n');
const bigSettings: Settings = { ...DEFAULT_SETTINGS, bankBudgetTokens: N * 64 };
const bigForget = new ForgettingScheduler({ bank: big, settings: () => bigSettings, now: () => clock });
const timings: (string | number)[][] = [['pass over the bank', 'whole pass ms', 'events', 'then: read rows ms', 'plan ms']];
const scenarios: [string, () => void][] = [
  ['first pass, bank just opened (a year of ageing at once)', () => {}],
  ['the next day (the pass before rewrote most rows)', () => (clock += DAY)],
  ['a steady day', () => (clock += DAY)],
  ['budget cut to 99% of what the bank holds', () => (bigSettings.bankBudgetTokens = Math.round(big.totals().tokens * 0.99))],
];
for (const [label, setup] of scenarios) {
  setup();
  const r0 = performance.now();
  const report = await bigForget.run();
  const r1 = performance.now();
  // The parts of a pass, measured again after it (rows come from the bank's row cache, as in the app).
  const rowsBig = big.forgetRows();
  const r2 = performance.now();
  planPass(rowsBig, { now: clock, budget: bigSettings.bankBudgetTokens, halfLifeDays: bigSettings.halfLifeDays });
  const r3 = performance.now();
  timings.push([label, (r1 - r0).toFixed(0), report.events.length, (r2 - r1).toFixed(0), (r3 - r2).toFixed(0)]);
}
console.log(`\nA forgetting pass over ${N} memories (tokens 64 x 8 each):`);
console.log(table(timings));
big.close();
rmSync(bigDir, { recursive: true, force: true });
await encoder.close();

function plotSvg(s: Record<string, number[]>): string {
  const W = 520, H = 300, L = 50, B = 40, colors = ['#c0392b', '#2980b9', '#27ae60', '#8e44ad'];
  const xs = AGES.map((_, i) => L + 30 + (i * (W - L - 60)) / (AGES.length - 1));
  const y = (v: number) => H - B - v * (H - B - 20);
  let out = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12"><rect width="100%" height="100%" fill="white"/>`;
  out += `<line x1="${L}" y1="${H - B}" x2="${W - 10}" y2="${H - B}" stroke="black"/><line x1="${L}" y1="20" x2="${L}" y2="${H - B}" stroke="black"/>`;
  for (const t of [0, 0.25, 0.5, 0.75, 1]) out += `<text x="${L - 8}" y="${y(t) + 4}" text-anchor="end">${t * 100}%</text>`;
  AGES.forEach((a, i) => (out += `<text x="${xs[i]}" y="${H - B + 18}" text-anchor="middle">${a.name}</text>`));
  Object.entries(s).forEach(([name, v], k) => {
    out += `<polyline fill="none" stroke="${colors[k]}" stroke-width="2" points="${v.map((p, i) => `${xs[i]},${y(p || 0)}`).join(' ')}"/>`;
    out += `<text x="${W - 120}" y="${30 + k * 16}" fill="${colors[k]}">${name}</text>`;
  });
  return `${out}<text x="${W / 2}" y="${H - 6}" text-anchor="middle">age of the memory (decoded char accuracy by importance)</text></svg>`;
}
