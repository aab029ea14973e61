// The capture routes' handlers, built on the engine context.
import type { captureRoutes } from '../../contract/capture.js';
import type { EngineContext } from '../context.js';
import type { Handlers } from '../router.js';

export function captureHandlers(_ctx: EngineContext): Pick<Handlers, keyof typeof captureRoutes> {
  return {};
}
