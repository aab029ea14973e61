// One router for every transport: validates a call's input against its route's schema, refuses untrusted
// callers, runs the handler and wraps the answer. The handler map is typed from the routes table, so a missing route does not compile.
import { z } from 'zod';
import { EngramError, toWireError } from '../contract/errors.js';
import type { CallEnvelope, ReplyEnvelope } from '../contract/envelope.js';
import { routes, type RouteName, type RouteOutput, type RouteParsedInput } from '../contract/routes.js';
import type { Caller } from './adapters.js';

export type Handlers = { [N in RouteName]: (input: RouteParsedInput<N>, caller: Caller) => Promise<RouteOutput<N>> | RouteOutput<N> };

export interface Router {
  handle(call: CallEnvelope, caller: Caller): Promise<ReplyEnvelope>;
}

export function createRouter(handlers: Handlers, opts: { validateOutput?: boolean } = {}): Router {
  return {
    async handle(call, caller) {
      const id = typeof call?.id === 'number' ? call.id : -1;
      try {
        if (!caller.trusted) throw new EngramError('unauthorized', 'caller is not trusted');
        const name = call?.name;
        if (typeof name !== 'string' || !Object.hasOwn(routes, name)) throw new EngramError('bad_input', `unknown route: ${String(name)}`);
        const route = routes[name as RouteName];
        const parsed = route.input.safeParse(call.input ?? {});
        if (!parsed.success) throw new EngramError('bad_input', `${name}: ${z.prettifyError(parsed.error)}`);
        const handler = handlers[name as RouteName] as (input: unknown, caller: Caller) => unknown;
        let value = await handler(parsed.data, caller);
        if (opts.validateOutput) value = route.output.parse(value);
        return { id, ok: true, value } as ReplyEnvelope;
      } catch (err) {
        return { id, ok: false, error: toWireError(err) };
      }
    },
  };
}
