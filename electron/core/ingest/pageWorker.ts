// The page worker process: renders a document's pages, encodes them in batches and sends back tokens and
// thumbnails. Native decoders (canvas, pdfjs) and the model run here, so a crash on a hostile file costs one job, not the app.
import type { Mode } from '../../contract/models.js';
import { EngramError } from '../../contract/errors.js';
import type { Encoder } from '../optical/Encoder.js';
import { PoolEncoder } from '../optical/PoolEncoder.js';
import { makeThumbnail, renderDocument } from './render/index.js';
import type { PageImage } from './types.js';
import { averageHash } from '../memory/phash.js';
import type { WorkerReply, WorkerRequest } from './workerProtocol.js';

const BATCH = 8;
let encoder: Encoder | null = null;
let current: AbortController | null = null;

async function getEncoder(spec: string): Promise<Encoder> {
  if (!encoder) {
    const loaded = spec === 'pool' ? new PoolEncoder() : await (await import('../optical/index.js')).loadDefaultEncoder();
    send({ type: 'encoder', name: loaded.name, provider: loaded.provider, note: loaded.note });
    encoder = loaded;
  }
  return encoder;
}

function send(msg: WorkerReply): void {
  process.send?.(msg);
}

async function run(req: Extract<WorkerRequest, { type: 'render' }>): Promise<void> {
  const abort = (current = new AbortController());
  const enc = await getEncoder(req.encoder);
  let batch: { page: number; image: PageImage; thumbnail: Buffer; phash: string }[] = [];
  let total = 0;
  const flush = async () => {
    if (!batch.length) return;
    send({ type: 'state', id: req.id, state: 'encoding' });
    const out = await enc.encode(
      batch.map((b) => b.image),
      req.mode as Mode,
    );
    out.forEach((e, i) =>
      send({
        type: 'page',
        id: req.id,
        page: batch[i].page,
        tokens: Buffer.from(e.tokens.buffer, e.tokens.byteOffset, e.tokens.byteLength),
        count: e.count,
        dim: e.dim,
        level: e.level,
        thumbnail: batch[i].thumbnail,
        phash: batch[i].phash,
      }),
    );
    batch = [];
    send({ type: 'state', id: req.id, state: 'rendering' });
  };
  for await (const p of renderDocument(new Uint8Array(req.bytes), { mode: req.mode as Mode, name: req.name, signal: abort.signal })) {
    if (p.pages !== total) send({ type: 'total', id: req.id, pages: (total = p.pages) });
    batch.push({ page: p.page, image: p.image, thumbnail: makeThumbnail(p.image), phash: averageHash(p.image) });
    if (batch.length >= BATCH) await flush();
  }
  await flush();
}

process.on('message', (msg: WorkerRequest) => {
  if (msg.type === 'cancel') {
    current?.abort(new EngramError('bad_input', 'cancelled'));
    return;
  }
  if (msg.type === 'warm') {
    getEncoder(msg.encoder).catch((err) => send({ type: 'error', id: -1, code: 'internal', message: String(err?.message ?? err) }));
    return;
  }
  run(msg).then(
    () => send({ type: 'done', id: msg.id }),
    (err) => {
      const code = err instanceof EngramError ? err.code : 'internal';
      send({ type: 'error', id: msg.id, code, message: err instanceof Error ? err.message : String(err) });
    },
  );
});

process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
