// Serves the engine's one contract over a WebSocket on 127.0.0.1, guarded by a random token, plus the built
// renderer's static files, so the same app runs in a plain browser where Electron cannot start. Nothing else is exposed.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { CallEnvelope, EventEnvelope } from '../contract/envelope.js';
import type { Engine } from '../core/Engine.js';

export interface LoopbackHostOptions {
  engine: Engine;
  /** The built renderer (vite's outDir). */
  rendererDir: string;
  port?: number;
  /** Largest message accepted: an upload arrives base64-encoded in one call. */
  maxPayloadBytes?: number;
}

export interface LoopbackHost {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export async function startLoopbackHost(o: LoopbackHostOptions): Promise<LoopbackHost> {
  const token = randomBytes(24).toString('base64url');
  const rendererDir = resolve(o.rendererDir);
  let port = 0;

  const server = createServer((req, res) => {
    serveStatic(req, res, rendererDir, port).catch((err) => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err));
    });
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: o.maxPayloadBytes ?? 320 * 1024 * 1024 });
  const clients = new Set<WebSocket>();

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ok =
      url.pathname === '/rpc' &&
      isLoopbackHost(req.headers.host, port) &&
      (req.headers.origin === undefined || isLoopbackOrigin(req.headers.origin, port));
    if (!ok) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    // A wrong token is told apart from a dead host (a browser sees any refused upgrade as 1006): accept, then
    // close with 4401 before reading anything, so the page can say "this address's token is stale".
    if (!sameSecret(url.searchParams.get('token') ?? '', token)) {
      wss.handleUpgrade(req, socket, head, (ws) => ws.close(4401, 'token refused'));
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
      ws.on('message', async (data) => {
        let call: CallEnvelope;
        try {
          call = JSON.parse(data.toString());
        } catch {
          ws.send(JSON.stringify({ id: -1, ok: false, error: { code: 'bad_input', message: 'not JSON' } }));
          return;
        }
        const reply = await o.engine.handle(call, { transport: 'websocket', trusted: true });
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(reply));
      });
    });
  });

  const unsubscribe = o.engine.onEvent((e: EventEnvelope) => {
    const text = JSON.stringify(e);
    for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(o.port ?? 0, '127.0.0.1', () => res());
  });
  const addr = server.address();
  port = typeof addr === 'object' && addr ? addr.port : 0;

  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    token,
    async close() {
      unsubscribe();
      for (const ws of clients) ws.terminate();
      wss.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function isLoopbackHost(host: string | undefined, port: number): boolean {
  // Checking Host defeats DNS rebinding: a page on evil.example resolving to 127.0.0.1 still sends its own name.
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

function isLoopbackOrigin(origin: string, port: number): boolean {
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:*; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

async function serveStatic(req: IncomingMessage, res: ServerResponse, root: string, port: number): Promise<void> {
  if (!isLoopbackHost(req.headers.host, port)) {
    res.writeHead(403, { 'content-type': 'text/plain' }).end('forbidden');
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
  const rel = normalize(pathname === '/' ? '/index.html' : pathname).replace(/^([/\\])+/, '');
  const file = join(root, rel);
  const headers = {
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  };
  if (!file.startsWith(root + sep) || rel.split(/[/\\]/).some((p) => p.startsWith('.'))) {
    res.writeHead(404, headers).end('not found');
    return;
  }
  const st = await stat(file).catch(() => null);
  if (!st?.isFile()) {
    if (rel === 'index.html') {
      res.writeHead(503, { ...headers, 'content-type': 'text/plain; charset=utf-8' }).end('The renderer is not built yet: run `npm run build:renderer`.');
      return;
    }
    res.writeHead(404, headers).end('not found');
    return;
  }
  res.writeHead(200, { ...headers, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': st.size });
  res.end(req.method === 'HEAD' ? undefined : await readFile(file));
}
