// The client's envelope handling over a fake WebSocket: replies matched by id, errors as codes, events,
// calls queued until open, and reconnection with backoff. Also the token's trip from the URL hash to storage.
import { afterEach, describe, expect, it } from 'vitest';
import { ClientError, createBridgeClient, createSocketClient, takeToken, toClientError, type Client, type SocketLike } from '../../renderer/api/client';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: { id: number; name: string; input: unknown }[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason?: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  constructor(readonly url: string) {}
  send(data: string) {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.drop(1000);
  }
  // What the server side does:
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  reply(msg: object) {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
  drop(code = 1006) {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.onclose?.({ code });
  }
}

function harness() {
  const sockets: FakeSocket[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const client = createSocketClient({
    url: 'ws://127.0.0.1:1/rpc?token=t',
    socket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    backoff: { minMs: 100, maxMs: 1000 },
    setTimer: (fn, ms) => timers.push({ fn, ms }),
    clearTimer: () => {},
  });
  const states: string[] = [];
  client.onConnection((c) => states.push(c));
  return { client, sockets, timers, states, last: () => sockets[sockets.length - 1] };
}

let open: Client[] = [];
afterEach(() => {
  for (const c of open) c.close();
  open = [];
});

describe('socket client', () => {
  it('queues calls until the socket opens, then matches replies by id in any order', async () => {
    const h = harness();
    open.push(h.client);
    const stats = h.client.call('memory.stats', {});
    const info = h.client.call('app.info', {});
    expect(h.last().sent).toEqual([]);
    h.last().open();
    expect(h.last().sent.map((c) => c.name)).toEqual(['memory.stats', 'app.info']);
    const [a, b] = h.last().sent;
    h.last().reply({ id: b.id, ok: true, value: { version: '1' } });
    h.last().reply({ id: a.id, ok: true, value: { memories: 3 } });
    expect(await info).toEqual({ version: '1' });
    expect(await stats).toEqual({ memories: 3 });
    expect(h.states).toEqual(['open']);
  });

  it('turns an error reply into a ClientError with the wire code', async () => {
    const h = harness();
    open.push(h.client);
    h.last().open();
    const p = h.client.call('dialog.pickPaths', { folders: true });
    h.last().reply({ id: h.last().sent[0].id, ok: false, error: { code: 'unsupported', message: 'no native dialogs here' } });
    await expect(p).rejects.toMatchObject({ name: 'ClientError', code: 'unsupported', message: 'no native dialogs here' });
  });

  it('dispatches events to listeners of that event only, and stops after unsubscribe', () => {
    const h = harness();
    open.push(h.client);
    h.last().open();
    const got: unknown[] = [];
    const off = h.client.on('settings.changed', (s) => got.push(s));
    h.client.on('watch.changed', () => got.push('wrong'));
    h.last().reply({ event: 'settings.changed', payload: { defaultMode: 'base', maxFileBytes: 1, paused: false } });
    off();
    h.last().reply({ event: 'settings.changed', payload: { defaultMode: 'tiny', maxFileBytes: 1, paused: false } });
    h.last().onmessage?.({ data: 'not json' });
    expect(got).toEqual([{ defaultMode: 'base', maxFileBytes: 1, paused: false }]);
  });

  it('rejects calls in flight when the connection drops, and reconnects with doubling backoff', async () => {
    const h = harness();
    open.push(h.client);
    h.last().open();
    const inFlight = h.client.call('memory.stats', {});
    h.last().drop();
    await expect(inFlight).rejects.toMatchObject({ code: 'disconnected' });
    expect(h.client.connection).toBe('reconnecting');
    expect(h.timers.map((t) => t.ms)).toEqual([100]);

    // A call made while away waits for the next connection rather than failing.
    const later = h.client.call('memory.stats', {});
    h.timers.shift()!.fn();
    expect(h.sockets).toHaveLength(2);
    h.last().drop();
    h.timers.shift()!.fn();
    h.last().drop();
    expect(h.timers.map((t) => t.ms)).toEqual([400]);
    h.timers.shift()!.fn();
    h.last().open();
    expect(h.client.connection).toBe('open');
    h.last().reply({ id: h.last().sent[0].id, ok: true, value: { memories: 7 } });
    expect(await later).toEqual({ memories: 7 });
    expect(h.states).toEqual(['open', 'reconnecting', 'reconnecting', 'reconnecting', 'open']);
  });

  it('says unauthorized when the host refuses the token', () => {
    const h = harness();
    open.push(h.client);
    h.last().drop(4401);
    expect(h.client.connection).toBe('unauthorized');
  });

  it('rejects everything pending once closed, and does not reconnect', async () => {
    const h = harness();
    const p = h.client.call('memory.stats', {});
    h.client.close();
    await expect(p).rejects.toBeInstanceOf(ClientError);
    expect(h.timers).toEqual([]);
  });
});

describe('bridge client', () => {
  it('recovers the error code the preload folds into the message', async () => {
    const bridge = {
      call: async () => {
        throw new Error("Error invoking remote method 'rpc': Error: not_found: no memory m1");
      },
      on: () => () => {},
    };
    const client = createBridgeClient(bridge);
    await expect(client.call('memory.get', { id: 'm1' })).rejects.toMatchObject({ code: 'not_found', message: 'no memory m1' });
    expect(client.pathForFile(new File([], 'x'))).toBeNull();
  });

  it('keeps unknown errors as internal', () => {
    expect(toClientError(new Error('boom'))).toMatchObject({ code: 'internal', message: 'boom' });
    expect(toClientError(Object.assign(new Error('busy: later'), { code: 'busy' }))).toMatchObject({ code: 'busy', message: 'later' });
  });
});

describe('takeToken', () => {
  const memoryStorage = () => {
    const m = new Map<string, string>();
    return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
  };

  it('reads the hash once, keeps it for reloads, and clears it from the address bar', () => {
    const storage = memoryStorage();
    const replaced: string[] = [];
    const history = { replaceState: (_d: unknown, _t: string, url?: string | URL | null) => void replaced.push(String(url)) };
    expect(takeToken({ hash: '#token=abc-123', pathname: '/', search: '' }, storage, history)).toBe('abc-123');
    expect(replaced).toEqual(['/']);
    expect(takeToken({ hash: '', pathname: '/', search: '' }, storage, history)).toBe('abc-123');
  });

  it('is null with neither a hash nor a stored token', () => {
    expect(takeToken({ hash: '', pathname: '/', search: '' }, memoryStorage())).toBeNull();
  });
});
