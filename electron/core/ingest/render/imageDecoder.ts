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
  resolve: (image: DecodedImage) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/** A decode whose message never left this process. */
class UnsentError extends Error {}

/**
 * One decoder process and the decodes it holds. A decoder that is being stopped (idle, or stuck on a file) is
 * detached first, so no new decode is ever sent to a dying process, and its exit fails only the decodes it held.
 */
class DecoderProcess {
  readonly proc: ChildProcess;
  private readonly pending = new Map<number, Pending>();
  private idleTimer: NodeJS.Timeout | null = null;
  private stderr = '';

  constructor() {
    const canvasPath = createRequire(import.meta.url).resolve('@napi-rs/canvas');
    this.proc = spawn(process.execPath, ['-e', CHILD_SOURCE, canvasPath], {
      // Inside Electron, execPath is the app itself; this makes it behave as plain Node.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    this.proc.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-2000);
    });
    this.proc.on('message', (reply: Reply) => {
      const job = this.take(reply.id);
      if (!job) return;
      if (reply.ok) job.resolve({ width: reply.width, height: reply.height, data: reply.data });
      else job.reject(new EngramError('bad_input', `not a readable image: ${reply.message}`));
    });
    this.proc.on('exit', (code, signal) => {
      this.detach();
      const why = signal
        ? `the decoder crashed on it (${signal})`
        : `the decoder exited with code ${code}${this.stderr ? `: ${this.stderr.trim()}` : ''}`;
      this.failAll(new EngramError('bad_input', `not a readable image: ${why}`));
    });
    this.proc.on('error', (err) => {
      this.detach();
      this.failAll(new EngramError('internal', `could not start the image decoder: ${err.message}`));
    });
  }

  /** Whether new decodes may be sent here. */
  get usable(): boolean {
    return this.proc.connected && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  decode(id: number, bytes: Uint8Array, maxSide: number): Promise<DecodedImage> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.proc.ref();
    this.proc.channel?.ref();
    return new Promise<DecodedImage>((resolve, reject) => {
      const timer = setTimeout(() => {
        // A decoder stuck on one file is stopped; its exit fails anything else it held.
        this.take(id);
        this.stop('SIGKILL');
        reject(new EngramError('bad_input', `not a readable image: decoding took longer than ${DECODE_TIMEOUT_MS / 1000} s`));
      }, DECODE_TIMEOUT_MS);
      this.pending.set(id, { resolve, reject, timer });
      this.proc.send({ id, bytes, maxSide }, (err) => {
        if (!err || !this.take(id)) return;
        // The message never reached this decoder (it closed under us): stop it, and let the caller retry.
        this.stop();
        reject(new UnsentError(err.message));
      });
    });
  }

  /** Detaches this decoder and stops it; decodes it still holds fail when it exits. */
  stop(signal: NodeJS.Signals = 'SIGTERM'): void {
    this.detach();
    this.proc.kill(signal);
  }

  private detach(): void {
    if (current === this) current = null;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private take(id: number): Pending | undefined {
    const job = this.pending.get(id);
    if (!job) return undefined;
    clearTimeout(job.timer);
    this.pending.delete(id);
    if (this.pending.size === 0 && current === this) {
      // Idle: let the app exit even though the decoder lives on, and stop it later to free its memory.
      this.proc.unref();
      this.proc.channel?.unref();
      this.idleTimer = setTimeout(() => this.stop(), idleExitMs);
      this.idleTimer.unref();
    }
    return job;
  }

  private failAll(err: Error): void {
    for (const id of [...this.pending.keys()]) this.take(id)?.reject(err);
  }
}

let current: DecoderProcess | null = null;
let nextId = 1;
let idleExitMs = IDLE_EXIT_MS;

function decoder(): DecoderProcess {
  if (!current?.usable) current = new DecoderProcess();
  return current;
}

/** Decodes an image (first frame of animations), shrunk so its longer side is at most `maxSide`. */
export async function decodeImage(bytes: Uint8Array, maxSide: number): Promise<DecodedImage> {
  // A view into a larger buffer would send the whole buffer; copy just the file's bytes then.
  const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
  try {
    return await decoder().decode(nextId++, own, maxSide);
  } catch (err) {
    if (!(err instanceof UnsentError)) throw err;
  }
  // The file never reached a decoder, so it was never tried: once more, on a fresh one.
  try {
    return await decoder().decode(nextId++, own, maxSide);
  } catch (err) {
    if (err instanceof UnsentError) throw new EngramError('internal', `could not reach the image decoder: ${err.message}`);
    throw err;
  }
}

/** Stops the decoder process now (tests, shutdown). Pending decodes fail. */
export function stopImageDecoder(): void {
  current?.stop();
  current = null;
}

/** For tests: how long an idle decoder lives, and the process now serving decodes. */
export const imageDecoderInternals = {
  setIdleExitMs(ms: number): void {
    idleExitMs = ms;
  },
  get pid(): number | undefined {
    return current?.proc.pid;
  },
};
