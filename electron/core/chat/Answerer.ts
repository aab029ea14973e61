// The seam between retrieval and whatever writes the answer: the selected memories in, a streamed answer and the
// ids it drew on out. The extractive default, a local OpenAI-compatible server and an ONNX LM all fit it.
import type { Memory } from '../../contract/models.js';

export interface ContextMemory {
  memory: Memory;
  /** What the memory's tokens decode to (the bank keeps no source text). */
  text: string;
  /** The memory's vision tokens, for answerers that read tokens rather than text. */
  tokens: () => { tokens: Float32Array; count: number; dim: number } | null;
}

export interface AnswerResult {
  answer: string;
  /** Memories the answer came from: the citations. Empty means the answerer found nothing to say. */
  usedIds: string[];
}

export interface Answerer {
  readonly name: string;
  answer(question: string, context: ContextMemory[], onDelta: (text: string) => void): Promise<AnswerResult>;
  close?(): Promise<void>;
}

export const NOTHING_REMEMBERED = 'Nothing remembered about that.';

/** Stream `text` word by word (each piece keeps its leading space), yielding between words so events flush. */
export async function streamWords(text: string, onDelta: (t: string) => void): Promise<void> {
  const parts = text.match(/\s*\S+/g) ?? [];
  for (const p of parts) {
    onDelta(p);
    await new Promise((r) => setImmediate(r));
  }
}
