// The chat routes' handlers, built on the engine context: one Chat per engine, its index on the bank's file,
// decoding through the engine's optical access so chat reads memories exactly as `memory.decode` shows them.
import type { chatRoutes } from '../../contract/chat.js';
import type { EngineContext } from '../context.js';
import type { Handlers } from '../router.js';
import { Chat } from './Chat.js';

const INDEX_EVERY_MS = 20_000;

export function chatHandlers(ctx: EngineContext): Pick<Handlers, keyof typeof chatRoutes> {
  const chat = new Chat({ bank: ctx.bank, settings: ctx.settings, now: ctx.now, emit: ctx.emit, decode: (m, t) => ctx.optical.decodeAt(m, t) });
  // In the app, keep the index warm so a question does not wait on decoding pages ingested since the last one.
  let timer: NodeJS.Timeout | null = null;
  ctx.onStart(() => {
    timer = setInterval(() => void chat.index.sync().catch(() => {}), INDEX_EVERY_MS);
    timer.unref();
  });
  ctx.onClose(async () => {
    if (timer) clearInterval(timer);
    await chat.close();
  });
  return {
    'chat.ask': ({ question, askId, budgetTokens }) => chat.ask(question, { askId, budgetTokens }),
    'chat.retrieve': async ({ question, budgetTokens, limit }) => {
      const r = await chat.retrieve(question, budgetTokens);
      return { candidates: chat.candidates(r.ranked, limit), budgetTokens: r.budgetTokens, selectedTokens: r.selectedTokens, notes: r.notes };
    },
    'chat.syncIndex': () => chat.index.sync(),
    'chat.getSettings': () => chat.settings(),
    'chat.setSettings': (patch) => chat.setSettings(patch),
  };
}
