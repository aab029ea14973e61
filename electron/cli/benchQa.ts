// `engram bench qa DIR`: the chat's held-out QA benchmark. Ingests DIR's documents into a temporary bank with the
// default pack, then measures retrieval recall, answer EM/F1, citation precision and latency through the chat routes.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { getEncoding } from 'js-tiktoken';
import type { ChatAnswer, RetrievalCandidate } from '../contract/chat.js';
import type { CallEnvelope } from '../contract/envelope.js';
import { EngramError } from '../contract/errors.js';
import type { Mode } from '../contract/models.js';
import { createEngine, type Engine } from '../core/Engine.js';
import { renderDocument } from '../core/ingest/render/index.js';
import { charAccuracy } from '../core/optical/benchFidelity.js';

interface QaQuestion {
  id: string;
  question: string;
  answers: string[];
  source: string | null;
  evidence: string | null;
}

export interface QaRow {
  id: string;
  question: string;
  gold: string | null;
  answer: string;
  em: number;
  f1: number;
  rank: number | null;
  citations: string[];
  citedCorrect: number;
  firstTokenMs: number;
  totalMs: number;
  tokens: number;
}

export interface QaReport {
  set: string;
  mode: Mode;
  encoder: string;
  documents: number;
  memories: number;
  decodeCharAccuracy: number | null;
  indexMs: number;
  unreadable: number;
  answerable: number;
  recallAt1: number;
  recallAt3: number;
  exactMatch: number;
  f1: number;
  citationPrecision: number | null;
  abstention: number | null;
  firstTokenMsMean: number;
  firstTokenMsP95: number;
  tokensPerSecond: number;
  notes: string[];
  rows: QaRow[];
}

/** SQuAD's normalisation: lower case, no punctuation, no articles, single spaces; "1,204" and "1204" agree. */
export function normalise(s: string): string {
  return s
    .toLowerCase()
    .replace(/(\d),(?=\d{3}\b)/g, '$1')
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\b(a|an|the)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function tokenF1(pred: string, gold: string): number {
  const p = normalise(pred).split(' ').filter(Boolean);
  const g = normalise(gold).split(' ').filter(Boolean);
  if (!p.length || !g.length) return p.length === g.length ? 1 : 0;
  const counts = new Map<string, number>();
  for (const t of g) counts.set(t, (counts.get(t) ?? 0) + 1);
  let same = 0;
  for (const t of p) {
    const n = counts.get(t) ?? 0;
    if (n > 0) {
      same++;
      counts.set(t, n - 1);
    }
  }
  if (!same) return 0;
  const prec = same / p.length;
  const rec = same / g.length;
  return (2 * prec * rec) / (prec + rec);
}

async function call<T>(engine: Engine, name: string, input: unknown): Promise<T> {
  const reply = await engine.handle({ id: 1, name, input } as CallEnvelope, { transport: 'direct', trusted: true });
  if (!reply.ok) throw new EngramError(reply.error.code, reply.error.message);
  return reply.value as T;
}

const flat = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();

export interface QaBenchOptions {
  mode?: Mode;
  progress?: (line: string) => void;
  /** The engine to measure (tests pass one on a test codec); by default the app's, with the default pack. */
  engine?: (dataDir: string) => Promise<Engine>;
  /** How documents are remembered; by default the ingest queue (render, encode). */
  remember?: (engine: Engine, files: string[], mode: Mode) => Promise<void>;
}

export async function runQaBench(dir: string, opts: QaBenchOptions = {}): Promise<QaReport> {
  const root = resolve(dir);
  const set = JSON.parse(await readFile(join(root, 'questions.json'), 'utf8')) as { name: string; sources: { file: string }[]; questions: QaQuestion[] };
  const mode = opts.mode ?? 'small';
  const say = opts.progress ?? (() => {});
  const dataDir = await mkdtemp(join(tmpdir(), 'engram-qa-'));
  const engine = await (opts.engine ?? ((d) => createEngine({ dataDir: d, watch: false, transport: 'direct' })))(dataDir);
  try {
    const files = set.sources.map((s) => join(root, s.file));
    say(`ingesting ${files.length} documents (${mode})`);
    if (opts.remember) await opts.remember(engine, files, mode);
    else {
      await engine.internals.queue.addPaths(files, mode);
      await engine.internals.queue.idle();
    }
    const { memories } = engine.internals.bank.listMemories(100_000, 0);
    // Gold pages come from rendering the sources here: the bank itself never holds their text.
    const goldPage = new Map<string, number>();
    const pageText = new Map<string, string>();
    for (const s of set.sources) {
      const bytes = new Uint8Array(await readFile(join(root, s.file)));
      for await (const p of renderDocument(bytes, { mode, name: basename(s.file) })) pageText.set(`${join(root, s.file)}#${p.page}`, p.textLayer ?? '');
    }
    for (const q of set.questions) {
      if (!q.source || !q.evidence) continue;
      const src = join(root, q.source);
      const hit = [...pageText].find(([k, t]) => k.startsWith(`${src}#`) && flat(t).includes(flat(q.evidence!)));
      if (!hit) throw new Error(`question ${q.id}: evidence "${q.evidence}" is on no rendered page of ${q.source}`);
      goldPage.set(q.id, Number(hit[0].split('#').at(-1)));
    }
    say('decoding memories into the search index');
    const sync = await call<{ ms: number; unreadable: number; notes: string[] }>(engine, 'chat.syncIndex', {});
    let accSum = 0;
    let accN = 0;
    for (const m of memories) {
      const d = await call<{ text: string | null }>(engine, 'memory.decode', { id: m.id });
      const ref = pageText.get(`${m.source}#${m.page}`);
      if (d.text !== null && ref) {
        accSum += charAccuracy(d.text, ref);
        accN++;
      }
    }
    const enc = getEncoding('o200k_base');
    const rows: QaRow[] = [];
    for (const q of set.questions) {
      const gold = q.source ? `${join(root, q.source)}#${goldPage.get(q.id)}` : null;
      const r = await call<{ candidates: RetrievalCandidate[] }>(engine, 'chat.retrieve', { question: q.question, limit: 10 });
      const idx = gold ? r.candidates.findIndex((c) => `${c.citation.source}#${c.citation.page}` === gold) : -1;
      const a = await call<ChatAnswer>(engine, 'chat.ask', { question: q.question });
      const cites = a.citations.map((c) => `${c.source}#${c.page}`);
      const em = q.answers.length ? Math.max(...q.answers.map((g) => Number(normalise(a.answer) === normalise(g)))) : Number(a.nothingRemembered);
      const f1 = q.answers.length ? Math.max(...q.answers.map((g) => tokenF1(a.answer, g))) : Number(a.nothingRemembered);
      rows.push({
        id: q.id,
        question: q.question,
        gold: q.answers[0] ?? null,
        answer: a.answer,
        em,
        f1,
        rank: gold ? (idx >= 0 ? idx + 1 : null) : null,
        citations: cites.map((c) => `${basename(c.split('#')[0])} p${c.split('#')[1]}`),
        citedCorrect: cites.filter((c) => c === gold).length,
        firstTokenMs: a.firstTokenMs,
        totalMs: a.totalMs,
        tokens: enc.encode(a.answer).length,
      });
      say(`${q.id}: ${a.answer}`);
    }
    const pos = rows.filter((r) => set.questions.find((q) => q.id === r.id)!.source);
    const neg = rows.filter((r) => !set.questions.find((q) => q.id === r.id)!.source);
    const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
    const cited = rows.reduce((n, r) => n + r.citations.length, 0);
    const ft = rows.map((r) => r.firstTokenMs).sort((a, b) => a - b);
    return {
      set: set.name,
      mode,
      encoder: engine.internals.producer.encoderInfo().name,
      documents: files.length,
      memories: memories.length,
      decodeCharAccuracy: accN ? accSum / accN : null,
      indexMs: sync.ms,
      unreadable: sync.unreadable,
      answerable: pos.length,
      recallAt1: mean(pos.map((r) => Number(r.rank === 1))),
      recallAt3: mean(pos.map((r) => Number(r.rank !== null && r.rank <= 3))),
      exactMatch: mean(pos.map((r) => r.em)),
      f1: mean(pos.map((r) => r.f1)),
      citationPrecision: cited ? rows.reduce((n, r) => n + r.citedCorrect, 0) / cited : null,
      abstention: neg.length ? mean(neg.map((r) => r.em)) : null,
      firstTokenMsMean: mean(ft),
      firstTokenMsP95: ft[Math.min(ft.length - 1, Math.floor(ft.length * 0.95))] ?? 0,
      tokensPerSecond: rows.reduce((n, r) => n + r.tokens, 0) / (rows.reduce((n, r) => n + r.totalMs, 0) / 1000),
      notes: sync.notes,
      rows,
    };
  } finally {
    await engine.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

export function formatQaReport(r: QaReport): string {
  const pct = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(1)}%`);
  const rows: (string | number)[][] = [['id', 'rank', 'EM', 'F1', 'cited', 'first ms', 'answer', 'gold']];
  for (const q of r.rows) rows.push([q.id, q.rank ?? '-', q.em, q.f1.toFixed(2), q.citations.join(', ') || '-', q.firstTokenMs.toFixed(0), clip(q.answer, 40), clip(q.gold ?? '(none)', 30)]);
  const summary: (string | number)[][] = [
    ['metric', 'value', 'target'],
    ['retrieval recall@1', pct(r.recallAt1), ''],
    ['retrieval recall@3', pct(r.recallAt3), '>= 90%'],
    ['answer exact match', pct(r.exactMatch), ''],
    ['answer token F1', r.f1.toFixed(3), '>= 0.6'],
    ['citation precision', pct(r.citationPrecision), '>= 90%'],
    ['"nothing remembered" on unanswerable', pct(r.abstention), ''],
    ['first token (mean / p95)', `${r.firstTokenMsMean.toFixed(0)} / ${r.firstTokenMsP95.toFixed(0)} ms`, '<= 1500 ms'],
    ['answer tokens/s (end to end)', r.tokensPerSecond.toFixed(1), ''],
  ];
  return [
    `QA set ${r.set}: ${r.answerable} answerable + ${r.rows.length - r.answerable} unanswerable questions, ${r.documents} documents, ${r.memories} memories (${r.mode}), encoder ${r.encoder}`,
    `decoded text char accuracy ${r.decodeCharAccuracy === null ? '- (nothing decodes)' : pct(r.decodeCharAccuracy)}, index built in ${r.indexMs.toFixed(0)} ms, ${r.unreadable} unreadable`,
    ...r.notes.map((n) => `note: ${n}`),
    '',
    table(rows),
    '',
    table(summary),
  ].join('\n');
}

function clip(s: string, n: number): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}

function table(rows: (string | number)[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c] ?? '').length)));
  return rows.map((r) => r.map((v, c) => String(v ?? '').padEnd(widths[c])).join('  ').trimEnd()).join('\n');
}
