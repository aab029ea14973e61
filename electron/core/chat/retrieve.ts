// Ranks memories for a question and picks what fits the context budget. Relevance comes from the decoded text
// (question terms found, BM25, n-gram cosine); recency and importance only order what is already relevant.
import type { Memory } from '../../contract/models.js';
import type { ChatIndex } from './ChatIndex.js';
import { contentTerms, cosine, ngramVector, stem, wordSim, words } from './text.js';

export interface Ranked {
  memory: Memory;
  text: string;
  score: number;
  parts: { coverage: number; bm25: number; vector: number; recency: number; importance: number };
  relevant: boolean;
  selected: boolean;
}

export interface RetrieveOptions {
  budgetTokens: number;
  minRelevance: number;
  halfLifeDays: number;
  now: number;
  getMemory: (id: string) => Memory | null;
}

/** How much of the question's topic a text holds: each term counts fully when found, partly when only a near spelling is. */
export function coverage(terms: string[], text: string): number {
  if (!terms.length) return 0;
  const have = new Set(words(text).map(stem));
  let got = 0;
  for (const t of terms) {
    if (have.has(t)) {
      got += 1;
      continue;
    }
    let best = 0;
    for (const w of have) if (Math.abs(w.length - t.length) <= 3) best = Math.max(best, wordSim(t, w));
    if (best >= 0.7) got += best;
  }
  return got / terms.length;
}

export function retrieve(index: ChatIndex, question: string, opts: RetrieveOptions): { ranked: Ranked[]; selectedTokens: number } {
  const terms = contentTerms(question);
  const docs = index.all();
  if (!terms.length || !docs.length) return { ranked: [], selectedTokens: 0 };
  const bm = index.bm25(terms);
  const maxBm = Math.max(1e-9, ...bm.values());
  const qv = ngramVector(question);
  // Candidates: every BM25 hit, plus the nearest by vector (OCR slips can hide a term from FTS).
  const byVec = docs.map((d) => ({ d, v: cosine(qv, d.vec) })).sort((a, b) => b.v - a.v);
  const pool = new Map<string, { text: string; v: number }>();
  for (const { d, v } of byVec.slice(0, 50)) if (v > 0) pool.set(d.id, { text: d.text, v });
  for (const { d, v } of byVec) if (bm.has(d.id)) pool.set(d.id, { text: d.text, v });
  const ranked: Ranked[] = [];
  for (const [id, { text, v }] of pool) {
    const memory = opts.getMemory(id);
    if (!memory) continue;
    const cov = coverage(terms, text);
    const bm25 = (bm.get(id) ?? 0) / maxBm;
    const ageDays = Math.max(0, opts.now - Date.parse(memory.lastAccessAt ?? memory.createdAt)) / 86_400_000;
    const recency = Math.pow(0.5, ageDays / opts.halfLifeDays);
    const importance = memory.importance / 10;
    const relevance = 0.6 * cov + 0.25 * bm25 + 0.15 * Math.max(0, v);
    const score = 0.85 * relevance + 0.1 * recency + 0.05 * importance;
    ranked.push({ memory, text, score, parts: { coverage: cov, bm25, vector: Math.max(0, v), recency, importance }, relevant: relevance >= opts.minRelevance && cov > 0, selected: false });
  }
  ranked.sort((a, b) => b.score - a.score || a.memory.page - b.memory.page);
  // Greedy within the budget; a memory far below the best one is filler, not context.
  let used = 0;
  const top = ranked.find((r) => r.relevant)?.score ?? 0;
  for (const r of ranked) {
    if (!r.relevant || r.score < top * 0.6) continue;
    if (used + r.memory.tokens > opts.budgetTokens) continue;
    r.selected = true;
    used += r.memory.tokens;
  }
  return { ranked, selectedTokens: used };
}
