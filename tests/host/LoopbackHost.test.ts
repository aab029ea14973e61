import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Engine } from '../../electron/core/Engine.js';
import { startLoopbackHost, type LoopbackHost } from '../../electron/host/LoopbackHost.js';
import { tempDir, testEngine } from '../helpers.js';

let engine: Engine;
let host: LoopbackHost;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const t = await tempDir('engram-host-');
  cleanup = t.cleanup;
  const rendererDir = join(t.dir, 'renderer');
  await mkdir(rendererDir);
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Engram</title>');
  await writeFile(join(t.dir, 'secret.txt'), 'not for the web');
  engine = await testEngine(join(t.dir, 'data'));
  host = await startLoopbackHost({ engine, rendererDir });
});

afterAll(async () => {
  await host.close();
  await engine.close();
  await cleanup();
});

const base = () => `http://127.0.0.1:${host.port}`;
const wsUrl = (token: string) => `ws://127.0.0.1:${host.port}/rpc?token=${encodeURIComponent(token)}`;

function connect(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

function rpc(ws: WebSocket, id: number, name: string, input: unknown): Promise<any> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const msg = JSON.parse(data.toString());
      if (msg.id === id) {
        ws.off('message', onMessage);
        resolve(msg);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ id, name, input }));
  });
}

describe('loopback host', () => {
  it('binds to 127.0.0.1 on a random port and prints a URL with a long random token', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{32,}$/);
    expect(host.port).toBeGreaterThan(0);
  });

  it('serves the renderer with a strict CSP and nothing outside it', async () => {
    const res = await fetch(`${base()}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await res.text()).toContain('<title>Engram</title>');
    expect((await fetch(`${base()}/..%2fsecret.txt`)).status).toBe(404);
    expect((await fetch(`${base()}/%2e%2e/secret.txt`)).status).toBe(404);
    expect((await fetch(`${base()}/`, { method: 'POST' })).status).toBe(405);
  });

  it('refuses a WebSocket from another origin or path, and closes one without the right token before any call', async () => {
    await expect(connect(wsUrl(host.token), { Origin: 'http://evil.example' })).rejects.toThrow(/403/);
    await expect(connect(`ws://127.0.0.1:${host.port}/other?token=${host.token}`)).rejects.toThrow(/403/);
    for (const url of [`ws://127.0.0.1:${host.port}/rpc`, wsUrl('wrong')]) {
      const ws = new WebSocket(url);
      const replies: string[] = [];
      ws.on('open', () => ws.send(JSON.stringify({ id: 1, name: 'memory.list', input: {} })));
      ws.on('message', (d) => replies.push(d.toString()));
      const code = await new Promise<number>((resolve) => ws.on('close', (c) => resolve(c)));
      expect(code).toBe(4401);
      expect(replies).toEqual([]);
    }
  });

  it('answers calls over the same contract and validates input', async () => {
    const ws = await connect(wsUrl(host.token), { Origin: base() });
    const info = await rpc(ws, 1, 'app.info', {});
    expect(info).toMatchObject({ id: 1, ok: true, value: { transport: 'direct' } });
    const unknown = await rpc(ws, 2, 'fs.readFile', { path: '/etc/passwd' });
    expect(unknown).toMatchObject({ id: 2, ok: false, error: { code: 'bad_input' } });
    const bad = await rpc(ws, 3, 'memory.get', { id: 42 });
    expect(bad).toMatchObject({ id: 3, ok: false, error: { code: 'bad_input' } });
    ws.close();
  });

  it('pushes engine events to connected clients', async () => {
    const ws = await connect(wsUrl(host.token), { Origin: base() });
    const seen: string[] = [];
    const created = new Promise<void>((resolve) =>
      ws.on('message', (d) => {
        const m = JSON.parse(d.toString());
        if (m.event) seen.push(`${m.event}:${m.payload?.job?.state ?? ''}`);
        if (m.event === 'memory.created') resolve();
      }),
    );
    const text = '# Hello\n\nA note dropped into a browser.\n';
    const reply = await rpc(ws, 1, 'ingest.upload', { name: 'note.md', dataBase64: Buffer.from(text).toString('base64') });
    expect(reply.ok).toBe(true);
    await created;
    expect(seen).toContain('ingest.progressed:queued');
    expect(seen).toContain('ingest.progressed:ready');
    const list = await rpc(ws, 2, 'memory.list', {});
    expect(list.value.memories.map((m: { name: string }) => m.name)).toContain('note.md');
    ws.close();
  });
});
