// One question end to end: bring the index up to date, retrieve within the context budget, answer with the
// configured answerer while streaming, count the memories read as accesses, and cite only what the answer came from.
import { randomBytes } from 'node:crypto';
import type { ChatAnswer, ChatSettings, Citation, RetrievalCandidate } from '../../contract/chat.js';
import { EngramError, toWireError } from '../../contract/errors.js';
import type { Memory } from '../../contract/models.js';
import type { EngineContext } from '../context.js';
import { NOTHING_REMEMBERED, streamWords, type Answerer, type ContextMemory } from './Answerer.js';
import { ChatIndex, type DecodeFn } from './ChatIndex.js';
import { ExtractiveAnswerer } from './ExtractiveAnswerer.js';
import { OnnxAnswerer } from './OnnxAnswerer.js';
import { OpenAICompatAnswerer } from './OpenAICompatAnswerer.js';
import { retrieve, type Ranked } from './retrieve.js';

export const DEFAULT_CHAT_SETTINGS: ChatSettings = {
  answerer: 'extractive',
  openai: { baseUrl: 'http://127.0.0.1:11434/v1', model: 'llama3.2', apiKey: null, timeoutMs: 120_000 },
  onnxPackDir: null,
  minRelevance: 0.3,
};

export type ChatDeps = Pick<EngineContext, 'bank' | 'settings' | 'now' | 'emit'> & { decode: DecodeFn };

export class Chat {
  readonly index: ChatIndex;
  private onnx: { dir: string; answerer: Promise<OnnxAnswerer> } | null = null;

  constructor(private readonly deps: ChatDeps) {
    this.index = new ChatIndex(deps.bank, deps.decode, deps.now);
  }

  settings(): ChatSettings {
    const saved = this.deps.bank.getSetting<Partial<ChatSettings>>('chat') ?? {};
    return { ...DEFAULT_CHAT_SETTINGS, ...saved, openai: { ...DEFAULT_CHAT_SETTINGS.openai, ...(saved.openai ?? {}) } };
  }

  setSettings(patch: Partial<Omit<ChatSettings, 'openai'>> & { openai?: Partial<ChatSettings['openai']> }): ChatSettings {
    const cur = this.settings();
    const next: ChatSettings = { ...cur, ...patch, openai: { ...cur.openai, ...(patch.openai ?? {}) } };
    if (next.answerer === 'onnx' && !next.onnxPackDir) throw new EngramError('bad_input', 'the "onnx" answerer needs onnxPackDir: a folder holding an answerer pack (manifest.json)');
    this.deps.bank.setSetting('chat', next);
    return next;
  }

  private async answerer(s: ChatSettings): Promise<Answerer> {
    if (s.answerer === 'openai') return new OpenAICompatAnswerer(s.openai);
    if (s.answerer === 'onnx') {
      if (!s.onnxPackDir) throw new EngramError('bad_input', 'the chat answerer is "onnx" but no answerer pack folder is set (chat.setSettings { onnxPackDir })');
      if (this.onnx?.dir !== s.onnxPackDir) {
        const answerer = OnnxAnswerer.load(s.onnxPackDir);
        answerer.catch(() => (this.onnx = null));
        this.onnx = { dir: s.onnxPackDir, answerer };
      }
      return this.onnx.answerer;
    }
    return new ExtractiveAnswerer();
  }

  /** Rank without answering or counting an access (the sidebar's "what would be read", the QA bench). */
  async retrieve(question: string, budgetTokens?: number): Promise<{ ranked: Ranked[]; selectedTokens: number; budgetTokens: number; notes: string[] }> {
    const report = await this.index.sync();
    const budget = budgetTokens ?? this.deps.settings().contextBudgetTokens;
    const { ranked, selectedTokens } = retrieve(this.index, question, {
      budgetTokens: budget,
      minRelevance: this.settings().minRelevance,
      halfLifeDays: this.deps.settings().halfLifeDays,
      now: this.deps.now(),
      getMemory: (id) => this.deps.bank.getMemory(id),
    });
    const n = report.unreadable;
    const notes = n ? [`${n} ${n === 1 ? 'memory' : 'memories'} cannot be read back: ${this.index.unreadableNotes().join('; ')}`] : [];
    return { ranked, selectedTokens, budgetTokens: budget, notes };
  }

  async ask(question: string, opts: { askId?: string; budgetTokens?: number } = {}): Promise<ChatAnswer> {
    const askId = opts.askId ?? `a_${randomBytes(6).toString('hex')}`;
    const start = performance.now();
    let firstTokenMs = -1;
    try {
      const { ranked, selectedTokens, budgetTokens, notes } = await this.retrieve(question, opts.budgetTokens);
      const selected = ranked.filter((r) => r.selected);
      const onDelta = (text: string) => {
        if (firstTokenMs < 0) firstTokenMs = performance.now() - start;
        this.deps.emit('chat.delta', { askId, text });
      };
      let answer: string;
      let usedIds: string[];
      let answererName: string;
      if (!selected.length) {
        // Honesty before fluency: no relevant memory means no answerer call and no citation.
        answererName = 'none';
        await streamWords(NOTHING_REMEMBERED, onDelta);
        answer = NOTHING_REMEMBERED;
        usedIds = [];
      } else {
        const s = this.settings();
        const answerer = await this.answerer(s);
        answererName = answerer.name;
        const context: ContextMemory[] = selected.map((r) => ({ memory: r.memory, text: r.text, tokens: () => this.deps.bank.getTokens(r.memory.id) }));
        ({ answer, usedIds } = await answerer.answer(question, context, onDelta));
        // The memories the answerer read count as uses, whether or not the answer cites them.
        this.deps.bank.touch(selected.map((r) => r.memory.id));
        if (!answer.trim()) answer = NOTHING_REMEMBERED;
      }
      const byId = new Map(selected.map((r) => [r.memory.id, r]));
      const citations = usedIds.map((id) => byId.get(id)).filter((r): r is Ranked => Boolean(r)).map((r) => citationOf(this.deps.bank.getMemory(r.memory.id) ?? r.memory, r.score));
      const totalMs = performance.now() - start;
      const result: ChatAnswer = {
        askId,
        question,
        answer,
        nothingRemembered: citations.length === 0,
        citations,
        answerer: answererName,
        contextTokens: selectedTokens,
        budgetTokens,
        firstTokenMs: firstTokenMs < 0 ? totalMs : firstTokenMs,
        totalMs,
        notes,
      };
      this.deps.emit('chat.done', result);
      return result;
    } catch (err) {
      this.deps.emit('chat.failed', { askId, error: toWireError(err) });
      throw err;
    }
  }

  candidates(ranked: Ranked[], limit: number): RetrievalCandidate[] {
    return ranked.slice(0, limit).map((r) => ({ citation: citationOf(r.memory, r.score), parts: r.parts, relevant: r.relevant, selected: r.selected }));
  }

  async close(): Promise<void> {
    await this.index.close();
  }
}

export function citationOf(m: Memory, score: number): Citation {
  return {
    id: m.id,
    documentId: m.documentId,
    source: m.source,
    name: m.name,
    page: m.page,
    pages: m.pages,
    level: m.level,
    tokens: m.tokens,
    createdAt: m.createdAt,
    thumbnail: m.thumbnail,
    sourceGone: m.sourceGone,
    score: Math.max(0, Math.min(1, score)),
  };
}
