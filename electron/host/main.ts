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
console.log(`Engram is running at ${host.url}`);
console.log(`  data: ${engine.dataDir}`);
// Say which encoder and execution provider really run (and why not the GPU, when it fell back), as soon as known.
const encoder = await Promise.race([engine.internals.producer.ready(), new Promise<null>((r) => setTimeout(() => r(null), 20_000))]);
if (encoder) console.log(`  encoder: ${encoder.name} on ${encoder.provider}${encoder.note ? ` (${encoder.note})` : ''}`);
else console.log('  encoder: still loading; it will be ready for the first page');
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
