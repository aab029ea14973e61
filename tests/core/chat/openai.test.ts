// The opt-in OpenAI-compatible answerer against a fake local server on 127.0.0.1, and against a closed port.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../electron/core/Engine.js';
import { releaseSessions } from '../../../electron/core/optical/Runtime.js';
import { call, tempDir, testEngine } from '../../helpers.js';
import { CODEC_PACK, rememberText } from './helpers.js';

let engine: Engine;
let cleanup: () => Promise<void>;
let server: Server;
let baseUrl: string;
const requests: { url: string; body: any }[] = [];
let shipId: string;

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let s = '';
    req.on('data', (c) => (s += c));
    req.on('end', () => resolve(s));
  });
}

beforeAll(async () => {
  process.env.ENGRAM_PACK_DIR = CODEC_PACK;
  // A stand-in for Ollama's OpenAI-compatible endpoint: streams a cited answer as server-sent events.
  server = createServer(async (req, res) => {
    const b = JSON.parse(await body(req));
    requests.push({ url: req.url!, body: b });
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const piece of ['Ibsen counted ', '1,204 barrels', ' [1].']) res.write(`data: ${JSON.stringify({ choices: [{ delta: { content: piece } }] })}\n\n`);
    res.end('data: [DONE]\n\n');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  const t = await tempDir('engram-chat-openai-');
  cleanup = t.cleanup;
  engine = await testEngine(t.dir, { inProcess: true });
  shipId = rememberText(engine.internals.bank, 'ship.txt', ['Quartermaster Ibsen counted exactly 1,204 barrels of salted herring aboard the Nordlys.'])[0].id;
  rememberText(engine.internals.bank, 'garden.txt', ['Marguerite planted thirty-two apricot trees behind the observatory.']);
});
afterAll(async () => {
  await engine.close();
  await releaseSessions();
  await cleanup();
  await new Promise((r) => server.close(r));
  delete process.env.ENGRAM_PACK_DIR;
});

describe('the local OpenAI-compatible answerer', () => {
  it('is off by default', async () => {
    const r = await call(engine, 'chat.ask', { question: 'How many barrels did Ibsen count?' });
    expect(r.answerer).toBe('extractive');
    expect(requests).toHaveLength(0);
  });

  it('sends the selected memories\' decoded text, streams the reply and cites what it marks', async () => {
    await call(engine, 'chat.setSettings', { answerer: 'openai', openai: { baseUrl, model: 'tiny-test' } });
    const deltas: string[] = [];
    const off = engine.onEvent((e) => e.event === 'chat.delta' && deltas.push((e.payload as { text: string }).text));
    const r = await call(engine, 'chat.ask', { question: 'How many barrels did Ibsen count?' });
    off();
    expect(r.answer).toBe('Ibsen counted 1,204 barrels [1].');
    expect(deltas).toEqual(['Ibsen counted ', '1,204 barrels', ' [1].']);
    expect(r.answerer).toBe('openai:tiny-test');
    expect(r.citations.map((c) => c.id)).toEqual([shipId]);
    expect(requests).toHaveLength(1);
    expect(requests[0].url).toBe('/v1/chat/completions');
    expect(requests[0].body).toMatchObject({ model: 'tiny-test', stream: true });
    const user = requests[0].body.messages.at(-1).content as string;
    expect(user).toContain('Quartermaster Ibsen counted exactly 1,204 barrels'); // decoded from tokens
    expect(user).not.toContain('apricot'); // only what retrieval selected
  });

  it('fails with a clear error when the server is down', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    await call(engine, 'chat.setSettings', { openai: { baseUrl: `http://127.0.0.1:${port}/v1` } });
    const failed: unknown[] = [];
    const off = engine.onEvent((e) => e.event === 'chat.failed' && failed.push(e.payload));
    await expect(call(engine, 'chat.ask', { question: 'How many barrels did Ibsen count?', askId: 'down' })).rejects.toThrow(
      new RegExp(`local model server at http://127.0.0.1:${port}/v1 is not answering \\(ECONNREFUSED\\)`),
    );
    off();
    expect(failed).toEqual([{ askId: 'down', error: expect.objectContaining({ code: 'internal' }) }]);
  });
});
