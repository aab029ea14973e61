// The chat routes' handlers, built on the engine context.
import type { chatRoutes } from '../../contract/chat.js';
import type { EngineContext } from '../context.js';
import type { Handlers } from '../router.js';

export function chatHandlers(_ctx: EngineContext): Pick<Handlers, keyof typeof chatRoutes> {
  return {};
}
