// The opt-in answerer for a local OpenAI-compatible server (Ollama, llama.cpp server, LM Studio): it receives the
// selected memories' decoded text, numbered, and streams the reply. Off by default; a down server is a clear error.
import { EngramError } from '../../contract/errors.js';
import type { Answerer, AnswerResult, ContextMemory } from './Answerer.js';
import { contentTerms, stem, words } from './text.js';

export interface OpenAICompatOptions {
  baseUrl: string;
  model: string;
  apiKey?: string | null;
  timeoutMs?: number;
}

const SYSTEM = `You answer questions from the user's own memories of pages they read. Each memory is numbered.
Answer in one or two short sentences using only the memories. Cite the memories you used as [1], [2].
The memories were read back by OCR and may contain slips. If they do not hold the answer, reply exactly: Nothing remembered about that.`;

export class OpenAICompatAnswerer implements Answerer {
  readonly name: string;

  constructor(private readonly opts: OpenAICompatOptions) {
    this.name = `openai:${opts.model}`;
  }

  async answer(question: string, context: ContextMemory[], onDelta: (t: string) => void): Promise<AnswerResult> {
    const url = `${this.opts.baseUrl.replace(/\/+$/, '')}/chat/completions`;
    const memories = context.map((c, i) => `[${i + 1}] ${c.memory.name}, page ${c.memory.page}:\n${c.text}`).join('\n\n');
    const body = {
      model: this.opts.model,
      stream: true,
      temperature: 0,
      messages: [
        { role: 'system', content: SYSTEM },
        { role: 'user', content: `Memories:\n\n${memories}\n\nQuestion: ${question}` },
      ],
    };
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(this.opts.apiKey ? { authorization: `Bearer ${this.opts.apiKey}` } : {}) },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 120_000),
      });
    } catch (err) {
      throw this.downError(err);
    }
    if (!res.ok) {
      const text = (await res.text().catch(() => '')).slice(0, 300);
      throw new EngramError('internal', `the local model server at ${this.opts.baseUrl} answered ${res.status} ${res.statusText}${text ? `: ${text}` : ''}`);
    }
    let answer = '';
    try {
      answer = await readStream(res, onDelta);
    } catch (err) {
      throw this.downError(err);
    }
    answer = answer.trim();
    return { answer, usedIds: cited(answer, context) };
  }

  private downError(err: unknown): EngramError {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const why = e.name === 'TimeoutError' ? `no reply within ${this.opts.timeoutMs ?? 120_000} ms` : (e.cause?.code ?? e.cause?.message ?? e.message);
    return new EngramError(
      'internal',
      `the local model server at ${this.opts.baseUrl} is not answering (${why}). Start it (ollama serve, llama-server, LM Studio), or set the chat answerer back to "extractive".`,
    );
  }
}

/** Server-sent events of chat.completion.chunk objects; text lines of plain JSON (non-streaming servers) also work. */
async function readStream(res: Response, onDelta: (t: string) => void): Promise<string> {
  if (!res.body) return '';
  const decoder = new TextDecoder();
  let buf = '';
  let out = '';
  const handle = (line: string) => {
    const data = line.startsWith('data:') ? line.slice(5).trim() : line.trim();
    if (!data || data === '[DONE]') return;
    let j: { choices?: { delta?: { content?: string }; message?: { content?: string } }[] };
    try {
      j = JSON.parse(data);
    } catch {
      return;
    }
    const piece = j.choices?.[0]?.delta?.content ?? j.choices?.[0]?.message?.content ?? '';
    if (piece) {
      out += piece;
      onDelta(piece);
    }
  };
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buf += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      handle(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
    }
  }
  handle(buf);
  return out;
}

/** The memories an answer drew on: its [n] markers; without markers, those sharing the answer's topic words. */
export function cited(answer: string, context: ContextMemory[]): string[] {
  if (/^nothing remembered/i.test(answer.trim()) || !answer.trim()) return [];
  const marked = [...answer.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]) - 1).filter((i) => i >= 0 && i < context.length);
  if (marked.length) return [...new Set(marked)].map((i) => context[i].memory.id);
  const terms = contentTerms(answer);
  return context
    .filter((c) => {
      const have = new Set(words(c.text).map(stem));
      return terms.filter((t) => have.has(t)).length >= Math.max(1, Math.ceil(terms.length * 0.5));
    })
    .map((c) => c.memory.id);
}
