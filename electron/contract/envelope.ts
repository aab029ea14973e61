// The wire envelopes shared by both transports: a call, its answer, and a pushed event.
import type { WireError } from './errors.js';
import type { EventName, EventPayload } from './events.js';
import type { RouteInput, RouteName, RouteOutput } from './routes.js';

export interface CallEnvelope<N extends RouteName = RouteName> {
  id: number;
  name: N;
  input: RouteInput<N>;
}
export type ReplyEnvelope<N extends RouteName = RouteName> =
  | { id: number; ok: true; value: RouteOutput<N> }
  | { id: number; ok: false; error: WireError };
export interface EventEnvelope<E extends EventName = EventName> {
  event: E;
  payload: EventPayload<E>;
}

/** What the preload exposes as `window.engram`, and what the WebSocket client mimics. */
export interface EngramBridge {
  call<N extends RouteName>(name: N, input: RouteInput<N>): Promise<RouteOutput<N>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** Electron only: the path of a dropped File (webUtils.getPathForFile); absent in a browser. */
  pathForFile?(file: unknown): string;
}
