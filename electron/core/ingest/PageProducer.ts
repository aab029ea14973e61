// Turns a file's bytes into encoded pages (render -> thumbnail -> encode), either in this process or in the page
// worker process. The queue sees only this interface, so where the native work happens is the host's choice.
import { fork, type ChildProcess } from 'node:child_process';
import { EngramError } from '../../contract/errors.js';
import type { Mode } from '../../contract/models.js';
import type { Encoder } from '../optical/Encoder.js';
import { makeThumbnail, renderDocument } from './render/index.js';
import type { PageImage } from './types.js';
import { averageHash } from '../memory/phash.js';
import type { WorkerReply, WorkerRequest } from './workerProtocol.js';

export interface ProducedPage {
  page: number;
  tokens: Float32Array;
  count: number;
  dim: number;
  level: string;
  thumbnail: Buffer;
  /** Perceptual hash of the rendered page (phash.ts), for merging near-duplicates. */
  phash: string;
}

export interface PageSink {
  total(pages: number): void;
  state(state: 'rendering' | 'encoding'): void;
  page(p: ProducedPage): void;
}

export interface EncoderInfo {
  name: string;
  provider: string;
  note: string | null;
}

export interface PageProducer {
  produce(bytes: Uint8Array, name: string, mode: Mode, signal: AbortSignal, sink: PageSink): Promise<void>;
  encoderInfo(): EncoderInfo;
  /** Resolves with the encoder's info once it is loaded (the worker loads it on first use or on warm()). */
  ready(): Promise<EncoderInfo>;
  close(): Promise<void>;
}

/** Renders and encodes in the calling process: for tests and tools that bring their own encoder. */
export class InProcessProducer implements PageProducer {
  constructor(
    private readonly encoder: Encoder,
    private readonly batchSize = 8,
  ) {}

  encoderInfo(): EncoderInfo {
    return { name: this.encoder.name, provider: this.encoder.provider, note: this.encoder.note };
  }

  async ready(): Promise<EncoderInfo> {
    return this.encoderInfo();
  }

  async produce(bytes: Uint8Array, name: string, mode: Mode, signal: AbortSignal, sink: PageSink): Promise<void> {
    let batch: { page: number; image: PageImage; thumbnail: Buffer; phash: string }[] = [];
    let total = 0;
    const flush = async () => {
      if (!batch.length) return;
      sink.state('encoding');
      const encoded = await this.encoder.encode(
        batch.map((b) => b.image),
        mode,
      );
      encoded.forEach((e, i) =>
        sink.page({ page: batch[i].page, tokens: e.tokens, count: e.count, dim: e.dim, level: e.level, thumbnail: batch[i].thumbnail, phash: batch[i].phash }),
      );
      batch = [];
      sink.state('rendering');
    };
    for await (const p of renderDocument(bytes, { mode, name, signal })) {
      if (p.pages !== total) sink.total((total = p.pages));
      batch.push({ page: p.page, image: p.image, thumbnail: makeThumbnail(p.image), phash: averageHash(p.image) });
      if (batch.length >= this.batchSize) await flush();
    }
    await flush();
  }

  async close(): Promise<void> {
    await this.encoder.close();
  }
}

export interface PageWorkerOptions {
  /** The worker's entry: pageWorkerBoot.mjs from sources, or the bundled worker in a packaged app. */
  script: string;
  /** 'default' (the model pack) or 'pool' (model-free). */
  encoder: string;
}

/** Runs render and encode in a child process, started on first use and restarted after a crash. */
export class PageWorker implements PageProducer {
  private child: ChildProcess | null = null;
  private nextId = 1;
  private info: EncoderInfo = { name: 'loading', provider: 'unknown', note: 'the encoder loads with the first page' };
  private loaded: Promise<EncoderInfo>;
  private markLoaded!: (info: EncoderInfo) => void;
  private turn: Promise<void> = Promise.resolve();
  private pending: { id: number; sink: PageSink; resolve: () => void; reject: (e: Error) => void } | null = null;

  constructor(private readonly o: PageWorkerOptions) {
    this.loaded = new Promise((resolve) => (this.markLoaded = resolve));
  }

  ready(): Promise<EncoderInfo> {
    return this.loaded;
  }

  encoderInfo(): EncoderInfo {
    return this.info;
  }

  /** Start the worker and load the encoder now, so the first file does not wait for it. */
  warm(): void {
    this.send({ type: 'warm', encoder: this.o.encoder });
  }

  /** One document at a time: later callers (a refresh while ingest runs) wait their turn. */
  produce(bytes: Uint8Array, name: string, mode: Mode, signal: AbortSignal, sink: PageSink): Promise<void> {
    const run = this.turn.then(() => this.produceNow(bytes, name, mode, signal, sink));
    this.turn = run.catch(() => {});
    return run;
  }

  private produceNow(bytes: Uint8Array, name: string, mode: Mode, signal: AbortSignal, sink: PageSink): Promise<void> {
    signal.throwIfAborted();
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.send({ type: 'cancel', id });
        // A worker stuck inside a native call cannot see the cancel: stop it after a grace period.
        const timer = setTimeout(() => this.child?.kill('SIGKILL'), 5000);
        timer.unref();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const done = (err?: Error) => {
        signal.removeEventListener('abort', onAbort);
        this.pending = null;
        if (err) reject(signal.aborted ? (signal.reason as Error) : err);
        else resolve();
      };
      this.pending = { id, sink, resolve: () => done(), reject: (e) => done(e) };
      this.send({ type: 'render', id, bytes, name, mode, encoder: this.o.encoder });
    });
  }

  async close(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.disconnect?.();
      setTimeout(() => child.kill('SIGKILL'), 2000).unref();
    });
  }

  private send(msg: WorkerRequest): void {
    this.spawn().send(msg);
  }

  private spawn(): ChildProcess {
    if (this.child) return this.child;
    // ELECTRON_RUN_AS_NODE makes Electron's binary behave as Node here; plain Node ignores it.
    const child = fork(this.o.script, [], {
      serialization: 'advanced',
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      execArgv: [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.on('message', (msg: WorkerReply) => this.onMessage(msg));
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = null;
      const p = this.pending;
      if (p) {
        const why = signal ? `signal ${signal}` : `exit code ${code}`;
        p.reject(new EngramError('bad_input', `the page renderer crashed on this file (${why}); the file is probably corrupt`));
      }
    });
    this.child = child;
    return child;
  }

  private onMessage(msg: WorkerReply): void {
    if (msg.type === 'encoder') {
      this.info = { name: msg.name, provider: msg.provider, note: msg.note };
      this.markLoaded(this.info);
      return;
    }
    if (msg.type === 'ready') return;
    const p = this.pending;
    if (!p || msg.id !== p.id) return;
    switch (msg.type) {
      case 'total':
        p.sink.total(msg.pages);
        break;
      case 'state':
        p.sink.state(msg.state);
        break;
      case 'page': {
        const t = msg.tokens;
        const tokens = new Float32Array(t.buffer.slice(t.byteOffset, t.byteOffset + t.byteLength));
        p.sink.page({ page: msg.page, tokens, count: msg.count, dim: msg.dim, level: msg.level, thumbnail: Buffer.from(msg.thumbnail), phash: msg.phash });
        break;
      }
      case 'done':
        p.resolve();
        break;
      case 'error':
        p.reject(new EngramError(msg.code, msg.message));
        break;
    }
  }
}
