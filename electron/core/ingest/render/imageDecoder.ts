// Decodes untrusted image bytes in a child process, because Skia (@napi-rs/canvas 0.1.x) segfaults on some corrupt
// PNG/JPEG/WEBP files instead of throwing: a crash there costs one decoder process and one file, never the app.
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { EngramError } from '../../../contract/errors.js';

/** Decoded pixels, at most `maxSide` on the longer side: RGBA, possibly transparent. */
export interface DecodedImage {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

const DECODE_TIMEOUT_MS = 30_000;
/** An idle decoder exits after this long; the next image pays the start-up (about half a second) again. */
const IDLE_EXIT_MS = 20_000;

// CommonJS run with `node -e`: no file to ship or find after bundling. argv[1] is @napi-rs/canvas's absolute path.
const CHILD_SOURCE = `
const { loadImage, createCanvas } = require(process.argv[1]);
process.on('message', async ({ id, bytes, maxSide }) => {
  try {
    const img = await loadImage(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    if (!img.width || !img.height) throw new Error('it decodes to zero pixels');
    const scale = Math.min(1, maxSide / Math.max(img.width, img.height));
    const width = Math.max(1, Math.round(img.width * scale));
    const height = Math.max(1, Math.round(img.height * scale));
    const ctx = createCanvas(width, height).getContext('2d');
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(img, 0, 0, width, height);
    process.send({ id, ok: true, width, height, data: ctx.getImageData(0, 0, width, height).data });
  } catch (err) {
    process.send({ id, ok: false, message: String((err && err.message) || err) });
  }
});
`;

type Reply = { id: number; ok: true; width: number; height: number; data: Uint8ClampedArray } | { id: number; ok: false; message: string };

interface Pending {
  id: number;
  resolve: (image: DecodedImage) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

let child: ChildProcess | null = null;
let nextId = 1;
const pending = new Map<number, Pending>();
let idleTimer: NodeJS.Timeout | null = null;

function startChild(): ChildProcess {
  const canvasPath = createRequire(import.meta.url).resolve('@napi-rs/canvas');
  const proc = spawn(process.execPath, ['-e', CHILD_SOURCE, canvasPath], {
    // Inside Electron, execPath is the app itself; this makes it behave as plain Node.
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'advanced',
  });
  let stderr = '';
  proc.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  proc.on('message', (reply: Reply) => {
    const job = pending.get(reply.id);
    if (!job) return;
    settle(job);
    if (reply.ok) job.resolve({ width: reply.width, height: reply.height, data: reply.data });
    else job.reject(new EngramError('bad_input', `not a readable image: ${reply.message}`));
  });
  proc.on('exit', (code, signal) => {
    if (child === proc) child = null;
    const why = signal ? `the decoder crashed on it (${signal})` : `the decoder exited with code ${code}${stderr ? `: ${stderr.trim()}` : ''}`;
    for (const job of [...pending.values()]) {
      settle(job);
      job.reject(new EngramError('bad_input', `not a readable image: ${why}`));
    }
  });
  proc.on('error', (err) => {
    for (const job of [...pending.values()]) {
      settle(job);
      job.reject(new EngramError('internal', `could not start the image decoder: ${err.message}`));
    }
  });
  return proc;
}

function settle(job: Pending): void {
  clearTimeout(job.timer);
  pending.delete(job.id);
  if (pending.size === 0 && child) {
    // Idle: let the process exit even though the decoder lives on, and stop it later to free its memory.
    child.unref();
    child.channel?.unref();
    const idle = child;
    idleTimer = setTimeout(() => idle.kill(), IDLE_EXIT_MS);
    idleTimer.unref();
  }
}

/** Decodes an image (first frame of animations), shrunk so its longer side is at most `maxSide`. */
export function decodeImage(bytes: Uint8Array, maxSide: number): Promise<DecodedImage> {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
  child ??= startChild();
  const proc = child;
  proc.ref();
  proc.channel?.ref();
  const id = nextId++;
  return new Promise<DecodedImage>((resolve, reject) => {
    const timer = setTimeout(() => {
      // A decoder stuck on one file is stopped; its exit rejects this and anything else it held.
      proc.kill('SIGKILL');
      reject(new EngramError('bad_input', `not a readable image: decoding took longer than ${DECODE_TIMEOUT_MS / 1000} s`));
    }, DECODE_TIMEOUT_MS);
    pending.set(id, { id, resolve, reject, timer });
    // A view into a larger buffer would send the whole buffer; copy just the file's bytes then.
    const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
    proc.send({ id, bytes: own, maxSide }, (err) => {
      if (!err) return;
      const job = pending.get(id);
      if (job) settle(job);
      reject(new EngramError('internal', `could not reach the image decoder: ${err.message}`));
    });
  });
}

/** Stops the decoder process now (tests, shutdown). Pending decodes fail. */
export function stopImageDecoder(): void {
  child?.kill();
  child = null;
}
