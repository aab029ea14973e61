// The only module that touches window.engram or a WebSocket: one typed client over either transport.
// Features call `client.call('memory.list', …)` and never learn whether Electron or the loopback host answers.
import type {
  CallEnvelope,
  EngramBridge,
  ErrorCode,
  EventName,
  EventPayload,
  RouteInput,
  RouteName,
  RouteOutput,
  WireError,
} from '../../electron/contract';

/** 'no-token': a browser page opened without the #token the host printed; nothing to connect with. */
export type Connection = 'connecting' | 'open' | 'reconnecting' | 'unauthorized' | 'no-token';

export type ClientErrorCode = ErrorCode | 'disconnected';

export class ClientError extends Error {
  readonly code: ClientErrorCode;
  constructor(code: ClientErrorCode, message: string) {
    super(message);
    this.name = 'ClientError';
    this.code = code;
  }
}

export interface Client {
  readonly transport: 'ipc' | 'websocket';
  call<N extends RouteName>(name: N, input: RouteInput<N>): Promise<RouteOutput<N>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  readonly connection: Connection;
  /** Fires on every change of `connection`, and `retryInMs` while waiting to reconnect. */
  onConnection(listener: (connection: Connection, retryInMs?: number) => void): () => void;
  /** Reconnect now instead of waiting out the backoff. */
  retryNow(): void;
  /** A dropped file's real path (Electron only); null in a browser, where files are uploaded instead. */
  pathForFile(file: File): string | null;
  close(): void;
}

const ERROR_CODES: readonly ErrorCode[] = ['bad_input', 'not_found', 'unsupported', 'too_large', 'unauthorized', 'busy', 'internal'];

/** An Error crossing Electron's contextBridge keeps only its message, so the preload writes "code: message". */
export function toClientError(err: unknown): ClientError {
  if (err instanceof ClientError) return err;
  const raw = err instanceof Error ? err.message : String(err);
  const own = (err as { code?: unknown } | null)?.code;
  // ipcRenderer.invoke may prefix "Error invoking remote method 'rpc': Error: ".
  const m = /(?:^|:\s)([a-z_]+): (.*)$/s.exec(raw);
  if (typeof own === 'string' && (ERROR_CODES as string[]).includes(own)) {
    return new ClientError(own as ErrorCode, m && m[1] === own ? m[2] : raw);
  }
  if (m && (ERROR_CODES as string[]).includes(m[1])) return new ClientError(m[1] as ErrorCode, m[2]);
  return new ClientError('internal', raw);
}

type Listener = (payload: never) => void;

class Listeners {
  private readonly byEvent = new Map<string, Set<Listener>>();
  add(event: string, listener: Listener): () => void {
    let set = this.byEvent.get(event);
    if (!set) this.byEvent.set(event, (set = new Set()));
    set.add(listener);
    return () => void set.delete(listener);
  }
  emit(event: string, payload: unknown): void {
    for (const l of this.byEvent.get(event) ?? []) {
      try {
        l(payload as never);
      } catch (err) {
        console.error(`[engram] listener for ${event} failed`, err);
      }
    }
  }
}

/** Electron: the preload bridge does the transport; we only normalise its errors. */
export function createBridgeClient(bridge: EngramBridge): Client {
  return {
    transport: 'ipc',
    connection: 'open',
    async call(name, input) {
      try {
        return await bridge.call(name, input);
      } catch (err) {
        throw toClientError(err);
      }
    },
    on: (event, listener) => bridge.on(event, listener),
    onConnection: () => () => {},
    retryNow: () => {},
    pathForFile: (file) => bridge.pathForFile?.(file) || null,
    close: () => {},
  };
}

/** The subset of the browser WebSocket the client uses, so tests can hand in a fake. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason?: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}
export type SocketFactory = (url: string) => SocketLike;

export interface SocketClientOptions {
  url: string;
  socket?: SocketFactory;
  /** Reconnect delays double from `minMs` up to `maxMs`. */
  backoff?: { minMs: number; maxMs: number };
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

const OPEN = 1;
/** Close codes the host uses to refuse a token: retrying with the same one cannot help. */
const REFUSED = new Set([1008, 4001, 4003, 4401, 4403]);

interface Pending {
  envelope: CallEnvelope;
  sent: boolean;
  resolve(value: unknown): void;
  reject(err: ClientError): void;
}

/** Browser: CallEnvelopes over the loopback host's WebSocket, replies matched by id, reconnecting with backoff. */
export function createSocketClient(opts: SocketClientOptions): Client {
  const makeSocket: SocketFactory = opts.socket ?? ((url) => new WebSocket(url) as unknown as SocketLike);
  const { minMs, maxMs } = opts.backoff ?? { minMs: 500, maxMs: 15_000 };
  const setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = opts.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));

  const pending = new Map<number, Pending>();
  const events = new Listeners();
  const watchers = new Set<(c: Connection, retryInMs?: number) => void>();
  let socket: SocketLike | null = null;
  let connection: Connection = 'connecting';
  let attempt = 0;
  let nextId = 1;
  let timer: unknown = null;
  let closed = false;

  const setConnection = (c: Connection, retryInMs?: number) => {
    connection = c;
    for (const w of watchers) w(c, retryInMs);
  };

  const send = (p: Pending) => {
    if (!socket || socket.readyState !== OPEN) return;
    socket.send(JSON.stringify(p.envelope));
    p.sent = true;
  };

  const open = () => {
    timer = null;
    if (closed) return;
    const ws = makeSocket(opts.url);
    socket = ws;
    ws.onopen = () => {
      if (socket !== ws) return;
      attempt = 0;
      setConnection('open');
      for (const p of pending.values()) if (!p.sent) send(p);
    };
    ws.onmessage = (ev) => {
      if (socket !== ws || typeof ev.data !== 'string') return;
      let msg: { id?: unknown; ok?: boolean; value?: unknown; error?: Partial<WireError>; event?: unknown; payload?: unknown };
      try {
        msg = JSON.parse(ev.data);
      } catch {
        return console.warn('[engram] ignoring a malformed message');
      }
      if (typeof msg.id === 'number') {
        const p = pending.get(msg.id);
        if (!p) return;
        pending.delete(msg.id);
        if (msg.ok) p.resolve(msg.value);
        else p.reject(new ClientError(msg.error?.code ?? 'internal', msg.error?.message ?? 'unknown error'));
      } else if (typeof msg.event === 'string') {
        events.emit(msg.event, msg.payload);
      }
    };
    ws.onerror = () => {};
    ws.onclose = (ev) => {
      if (socket !== ws) return;
      socket = null;
      // A call already sent may or may not have run; say so rather than resend it.
      for (const [id, p] of pending) {
        if (!p.sent) continue;
        pending.delete(id);
        p.reject(new ClientError('disconnected', `lost the connection to Engram during ${p.envelope.name}`));
      }
      if (closed) return;
      const refused = REFUSED.has(ev.code);
      const delay = Math.min(maxMs, minMs * 2 ** attempt) * (refused ? 4 : 1);
      attempt = Math.min(attempt + 1, 16);
      setConnection(refused ? 'unauthorized' : 'reconnecting', delay);
      timer = setTimer(open, delay);
    };
  };

  open();

  return {
    transport: 'websocket',
    get connection() {
      return connection;
    },
    call<N extends RouteName>(name: N, input: RouteInput<N>) {
      if (closed) return Promise.reject(new ClientError('disconnected', 'the client is closed'));
      return new Promise<RouteOutput<N>>((resolve, reject) => {
        const p: Pending = { envelope: { id: nextId++, name, input } as CallEnvelope, sent: false, resolve: resolve as Pending['resolve'], reject };
        pending.set(p.envelope.id, p);
        // Calls made while disconnected wait for the next connection.
        send(p);
      });
    },
    on: (event, listener) => events.add(event, listener as Listener),
    onConnection(listener) {
      watchers.add(listener);
      return () => void watchers.delete(listener);
    },
    retryNow() {
      if (closed || socket) return;
      if (timer !== null) clearTimer(timer);
      setConnection(attempt === 0 ? 'connecting' : 'reconnecting');
      open();
    },
    pathForFile: () => null,
    close() {
      closed = true;
      if (timer !== null) clearTimer(timer);
      const ws = socket;
      socket = null;
      ws?.close(1000, 'client closed');
      for (const p of pending.values()) p.reject(new ClientError('disconnected', 'the client is closed'));
      pending.clear();
    },
  };
}

/** A browser page without a token: every call fails the same way, and the UI explains where to get one. */
function createTokenlessClient(): Client {
  return {
    transport: 'websocket',
    connection: 'no-token',
    call: () => Promise.reject(new ClientError('unauthorized', 'no access token: open the address Engram printed')),
    on: () => () => {},
    onConnection: () => () => {},
    retryNow: () => {},
    pathForFile: () => null,
    close: () => {},
  };
}

const TOKEN_KEY = 'engram.token';

/** Reads `#token=…` once, keeps it in sessionStorage so a reload still connects, and drops it from the address bar. */
export function takeToken(loc: Pick<Location, 'hash' | 'pathname' | 'search'>, storage: Pick<Storage, 'getItem' | 'setItem'>, history?: Pick<History, 'replaceState'>): string | null {
  const fromHash = new URLSearchParams(loc.hash.replace(/^#/, '')).get('token');
  if (fromHash) {
    storage.setItem(TOKEN_KEY, fromHash);
    history?.replaceState(null, '', loc.pathname + loc.search);
    return fromHash;
  }
  return storage.getItem(TOKEN_KEY);
}

export function socketUrl(loc: Pick<Location, 'protocol' | 'host'>, token: string): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/rpc?token=${encodeURIComponent(token)}`;
}

/** Picks the transport this page has: Electron's preload bridge, else the host's WebSocket on our own origin. */
export function connectFromWindow(): Client {
  const bridge = (window as Window & { engram?: EngramBridge }).engram;
  if (bridge) return createBridgeClient(bridge);
  const token = takeToken(window.location, window.sessionStorage, window.history);
  if (!token) return createTokenlessClient();
  return createSocketClient({ url: socketUrl(window.location, token) });
}

let current: Client | null = null;

export function getClient(): Client {
  return (current ??= connectFromWindow());
}

/** Install a client (tests, or a reconnect with a new token); closes the previous one. */
export function setClient(client: Client | null): void {
  if (current && current !== client) current.close();
  current = client;
}
