// `engram ask "QUESTION" [--json] [--budget TOKENS]`: one chat question through the same route the sidebar uses.
// The answer streams to a terminal as it is written; --json prints one document when it is done.
import { EngramError } from '../contract/errors.js';
import type { ChatAnswer } from '../contract/chat.js';
import type { CallEnvelope } from '../contract/envelope.js';
import type { Engine } from '../core/Engine.js';

export interface AskOutput {
  answer: string;
  citations: { id: string; source: string; page: number; level: string }[];
  firstTokenMs: number;
  totalMs: number;
}

export function askDocument(a: ChatAnswer): AskOutput {
  return {
    answer: a.answer,
    citations: a.citations.map(({ id, source, page, level }) => ({ id, source, page, level })),
    firstTokenMs: Math.round(a.firstTokenMs * 10) / 10,
    totalMs: Math.round(a.totalMs * 10) / 10,
  };
}

export async function ask(engine: Engine, question: string, opts: { json: boolean; budgetTokens?: number }): Promise<number> {
  if (!question.trim()) throw new EngramError('bad_input', 'ask needs a QUESTION');
  const askId = `cli_${process.pid}`;
  const off = opts.json
    ? () => {}
    : engine.onEvent((e) => {
        if (e.event !== 'chat.delta') return;
        const d = e.payload as { askId: string; text: string };
        if (d.askId === askId) process.stdout.write(d.text);
      });
  const reply = await engine.handle({ id: 1, name: 'chat.ask', input: { question, askId, budgetTokens: opts.budgetTokens } } as CallEnvelope, { transport: 'direct', trusted: true });
  off();
  if (!reply.ok) throw new EngramError(reply.error.code, reply.error.message);
  const a = reply.value as ChatAnswer;
  const doc = askDocument(a);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    return 0;
  }
  const lines = ['', ''];
  for (const [i, c] of a.citations.entries()) lines.push(`[${i + 1}] ${c.source} p${c.page} (${c.level}, ${c.tokens} tokens) ${c.id}`);
  if (!a.citations.length) lines.push('(no memories cited)');
  for (const n of a.notes) lines.push(`note: ${n}`);
  lines.push(`first token ${doc.firstTokenMs} ms, total ${doc.totalMs} ms, ${a.contextTokens}/${a.budgetTokens} context tokens, answerer ${a.answerer}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
