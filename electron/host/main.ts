// `npx tsx electron/host/main.ts [--data DIR] [--port N] [--renderer DIR]`: the engine and the renderer on
// loopback, for browsers and for machines where Electron cannot start. Runs until SIGINT or SIGTERM.
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { createEngine, resolveDataDir } from '../core/Engine.js';
import { startLoopbackHost } from './LoopbackHost.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    port: { type: 'string', default: '0' },
    renderer: { type: 'string', default: fileURLToPath(new URL('../../dist/renderer', import.meta.url)) },
  },
  strict: true,
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`engram host: --port must be 0-65535, got ${values.port}`);
  process.exit(2);
}

const engine = await createEngine({
  dataDir: resolveDataDir(values.data ? ['--data', values.data] : []),
  watch: true,
  transport: 'websocket',
});
const host = await startLoopbackHost({ engine, rendererDir: values.renderer!, port });
const info = (await engine.handle({ id: 0, name: 'app.info', input: {} }, { transport: 'direct', trusted: true })) as {
  ok: boolean;
  value?: { encoder: { name: string; provider: string; note: string | null } };
};
console.log(`Engram is running at ${host.url}`);
console.log(`  data: ${engine.dataDir}`);
if (info.ok && info.value) {
  const e = info.value.encoder;
  console.log(`  encoder: ${e.name} on ${e.provider}${e.note ? ` (${e.note})` : ''}`);
}
console.log('  open the address above in a browser; press Ctrl-C to stop');

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await host.close();
  await engine.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
