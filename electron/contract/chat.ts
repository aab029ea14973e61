// Routes and events of the chat sidebar (issue: chat). Kept in their own file so the chat's contract can grow
// without touching the others; routes.ts and events.ts merge these tables.
import { z } from 'zod';
import { route } from './route.js';

/** A memory an answer used: enough to show it in a list and open its detail (`memory.get`). */
export const Citation = z.object({
  id: z.string(),
  documentId: z.string(),
  source: z.string(),
  name: z.string(),
  page: z.number().int().min(1),
  pages: z.number().int().min(1),
  /** How faded: the ladder level its tokens sit at. */
  level: z.string(),
  tokens: z.number().int().min(0),
  createdAt: z.string(),
  thumbnail: z.string().nullable(),
  sourceGone: z.boolean(),
  /** Retrieval score in [0, 1]. */
  score: z.number(),
});
export type Citation = z.infer<typeof Citation>;

export const Answerers = ['extractive', 'openai', 'onnx'] as const;

/** How chat answers. Off-machine-free by default: the local server and the large ONNX answerer are opt-in. */
export const ChatSettings = z.object({
  answerer: z.enum(Answerers),
  /** An OpenAI-compatible server on this machine (Ollama, llama.cpp server, LM Studio). Used only when answerer = 'openai'. */
  openai: z.object({
    baseUrl: z.string().url(),
    model: z.string().min(1),
    apiKey: z.string().nullable(),
    timeoutMs: z.number().int().min(100).max(600_000),
  }),
  /** An answerer pack folder (manifest.json kind inputs-embeds-lm). Used only when answerer = 'onnx'. */
  onnxPackDir: z.string().nullable(),
  /** Below this relevance (0-1) a memory is not used: the answer says nothing is remembered instead. */
  minRelevance: z.number().min(0).max(1),
});
export type ChatSettings = z.infer<typeof ChatSettings>;

export const ChatAnswer = z.object({
  askId: z.string(),
  question: z.string(),
  answer: z.string(),
  /** True when retrieval found nothing relevant: the answer says so and there are no citations. */
  nothingRemembered: z.boolean(),
  /** Only memories whose decoded text the answer came from. */
  citations: z.array(Citation),
  answerer: z.string(),
  /** Vision tokens the answerer read, out of the budget. */
  contextTokens: z.number().int(),
  budgetTokens: z.number().int(),
  firstTokenMs: z.number(),
  totalMs: z.number(),
  /** Why some memories could not be read (no decoder, tokens from another pack), if any. */
  notes: z.array(z.string()),
});
export type ChatAnswer = z.infer<typeof ChatAnswer>;

export const RetrievalCandidate = z.object({
  citation: Citation,
  /** Each part in [0, 1]: question terms found, BM25 (normalised), n-gram cosine, recency, importance. */
  parts: z.object({ coverage: z.number(), bm25: z.number(), vector: z.number(), recency: z.number(), importance: z.number() }),
  relevant: z.boolean(),
  selected: z.boolean(),
});
export type RetrievalCandidate = z.infer<typeof RetrievalCandidate>;

const Question = z.string().trim().min(1).max(2000);
const Budget = z.number().int().min(1).max(100_000);

export const chatRoutes = {
  /** Answer a question from what is remembered. Streams `chat.delta` events tagged with `askId` (pass your own to
   *  match them before the reply lands), then `chat.done`; the reply is the whole answer. */
  'chat.ask': route(z.object({ question: Question, askId: z.string().min(1).max(64).optional(), budgetTokens: Budget.optional() }).strict(), ChatAnswer),
  /** What `chat.ask` would read, ranked, without answering or counting an access. */
  'chat.retrieve': route(
    z.object({ question: Question, budgetTokens: Budget.optional(), limit: z.number().int().min(1).max(100).default(10) }).strict(),
    z.object({ candidates: z.array(RetrievalCandidate), budgetTokens: z.number().int(), selectedTokens: z.number().int(), notes: z.array(z.string()) }),
  ),
  /** Bring the search index up to date with the bank (decode new or re-faded memories). `chat.ask` does this itself. */
  'chat.syncIndex': route(
    z.object({}).strict(),
    z.object({ indexed: z.number().int(), decoded: z.number().int(), removed: z.number().int(), unreadable: z.number().int(), ms: z.number(), notes: z.array(z.string()) }),
  ),
  'chat.getSettings': route(z.object({}).strict(), ChatSettings),
  'chat.setSettings': route(
    ChatSettings.omit({ openai: true })
      .partial()
      .extend({ openai: ChatSettings.shape.openai.partial().optional() })
      .strict(),
    ChatSettings,
  ),
} as const;

export const chatEvents = {
  /** The next piece of an answer being written (words, with their leading space). */
  'chat.delta': z.object({ askId: z.string(), text: z.string() }),
  'chat.done': ChatAnswer,
  'chat.failed': z.object({ askId: z.string(), error: z.object({ code: z.string(), message: z.string() }) }),
} as const;
