// Runs capture's commands (screenshot-desktop's xrandr and import, xprop, xprintidle, tesseract) from a small resident
// Node process: forking the engine costs CPU in proportion to its memory (~35 ms a command at 500 MB), the helper ~3 ms.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addHelperCpu } from './cost.js';

export interface RunOptions {
  /** Bytes for the command's stdin. */
  input?: Uint8Array;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  maxBuffer?: number;
}

export interface CommandRunner {
  /** The command's stdout; rejects with its stderr (or the error) when it fails. */
  run(cmd: string, args: string[], opts?: RunOptions): Promise<Buffer>;
  /** screenshot-desktop's capture of one display, run where `run` runs. */
  screenshot(opts: { screen: string; format: 'bmp' | 'png' }, env?: NodeJS.ProcessEnv): Promise<Uint8Array>;
  /** screenshot-desktop's list of displays. */
  displays(env?: NodeJS.ProcessEnv): Promise<{ id: string | number; name?: string }[]>;
}

/** Where screenshots pass: shared memory where there is some, else the temporary folder. */
const SHOTS_BASE = (() => {
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return tmpdir();
  }
})();

/** Idle this long, the helper exits (its memory back); at capture's usual interval it never idles that long. */
const IDLE_EXIT_MS = 2 * 60 * 1000;
/** A request that takes longer than this (the command's own timeout included) stops the helper. */
const REQUEST_TIMEOUT_MS = 60_000;

// CommonJS run with `node -e`, like the image decoder: nothing to ship or find after bundling. argv[1] is
// screenshot-desktop's absolute path. Each reply says what the request cost, so the capture meter can bill it.
const HELPER_SOURCE = `
const { execFile } = require('node:child_process');
const { readFileSync } = require('node:fs');
const shot = require(process.argv[1]);
// Screenshots run with glibc's malloc on transparent huge pages: import touches ~40 MB of fresh memory a shot and
// spends a third of its CPU faulting it in 4 kB at a time. Where THP or the tunable is missing, nothing changes.
const tunables = process.env.GLIBC_TUNABLES || '';
if (!tunables.includes('glibc.malloc.hugetlb')) process.env.GLIBC_TUNABLES = (tunables ? tunables + ':' : '') + 'glibc.malloc.hugetlb=1';
const cpu = () => {
  const u = process.cpuUsage();
  let kids = 0;
  try {
    const f = readFileSync('/proc/self/stat', 'utf8');
    const p = f.slice(f.lastIndexOf(')') + 2).split(' ');
    kids = (Number(p[13]) + Number(p[14])) / 100;
  } catch {}
  return (u.user + u.system) / 1e6 + kids;
};
const exec = (m) => new Promise((resolve, reject) => {
  const child = execFile(m.cmd, m.args, { env: m.env, encoding: 'buffer', maxBuffer: m.maxBuffer, timeout: m.timeoutMs }, (err, stdout, stderr) => {
    if (err) reject(new Error(m.cmd + ': ' + (String(stderr || '').trim() || err.message)));
    else resolve(stdout);
  });
  child.stdin.on('error', () => {});
  child.stdin.end(m.input ? Buffer.from(m.input.buffer, m.input.byteOffset, m.input.byteLength) : undefined);
});
process.on('message', async (m) => {
  const start = cpu();
  try {
    let out;
    if (m.kind === 'exec') out = await exec(m);
    else {
      for (const k of ['DISPLAY', 'XAUTHORITY']) if (m.env[k] === undefined) delete process.env[k]; else process.env[k] = m.env[k];
      out = m.kind === 'shot' ? await shot(m.opts) : (await shot.listDisplays()).map((d) => ({ id: d.id, name: d.name }));
    }
    process.send({ id: m.id, ok: true, out, cpu: cpu() - start });
  } catch (err) {
    process.send({ id: m.id, ok: false, message: String((err && err.message) || err), cpu: cpu() - start });
  }
});
`;

type Reply = { id: number; ok: true; out: unknown; cpu: number } | { id: number; ok: false; message: string; cpu: number };

interface Pending {
  resolve: (out: unknown) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/** One helper per process, shared by every scheduler in it, started on first use. */
class HelperProcess implements CommandRunner {
  private child: ChildProcess | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private idleTimer: NodeJS.Timeout | null = null;

  async run(cmd: string, args: string[], opts: RunOptions = {}): Promise<Buffer> {
    const { input, env = process.env, timeoutMs = 30_000, maxBuffer = 64 * 1024 * 1024 } = opts;
    return asBuffer(await this.request({ kind: 'exec', cmd, args, input, env, timeoutMs, maxBuffer }));
  }

  async screenshot(opts: { screen: string; format: 'bmp' | 'png' }, env: NodeJS.ProcessEnv = process.env): Promise<Uint8Array> {
    // `import` writes the image straight into a file of ours, read here and deleted at once: passing 6 MB through the
    // helper's pipes and messages costs more than taking it. The folder is private (0700), in memory where it can be,
    // and lives only as long as the one screenshot.
    const dir = mkdtempSync(join(SHOTS_BASE, 'engram-capture-'));
    const filename = join(dir, `screen.${opts.format}`);
    try {
      await this.request({ kind: 'shot', opts: { ...opts, filename }, env: { DISPLAY: env.DISPLAY, XAUTHORITY: env.XAUTHORITY } });
      return readFileSync(filename);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  async displays(env: NodeJS.ProcessEnv = process.env): Promise<{ id: string | number; name?: string }[]> {
    return (await this.request({ kind: 'displays', env: { DISPLAY: env.DISPLAY, XAUTHORITY: env.XAUTHORITY } })) as { id: string | number; name?: string }[];
  }

  /** Stops the helper now; anything in flight fails, and the next command starts a new one. */
  stop(): void {
    this.child?.kill();
    this.child = null;
  }

  private request(msg: Record<string, unknown>): Promise<unknown> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const proc = (this.child ??= this.start());
    proc.ref();
    proc.channel?.ref();
    const id = this.nextId++;
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        proc.kill('SIGKILL');
        reject(new Error(`capture helper: no answer in ${REQUEST_TIMEOUT_MS / 1000} s`));
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(id, { resolve, reject, timer });
      proc.send({ ...msg, id }, (err) => {
        if (err) this.settle(id)?.reject(new Error(`capture helper: ${err.message}`));
      });
    });
  }

  private start(): ChildProcess {
    const shotPath = createRequire(import.meta.url).resolve('screenshot-desktop');
    const proc = spawn(process.execPath, ['-e', HELPER_SOURCE, shotPath, 'engram-capture-helper'], {
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
      addHelperCpu(reply.cpu);
      const job = this.settle(reply.id);
      if (!job) return;
      if (reply.ok) job.resolve(reply.out);
      else job.reject(new Error(reply.message));
    });
    const fail = (why: string) => {
      if (this.child === proc) this.child = null;
      for (const id of [...this.pending.keys()]) this.settle(id)?.reject(new Error(`capture helper: ${why}`));
    };
    proc.on('exit', (code, signal) => fail(signal ? `stopped (${signal})` : `exited with code ${code}${stderr ? `: ${stderr.trim()}` : ''}`));
    proc.on('error', (err) => fail(err.message));
    return proc;
  }

  private settle(id: number): Pending | undefined {
    const job = this.pending.get(id);
    if (!job) return undefined;
    clearTimeout(job.timer);
    this.pending.delete(id);
    if (this.pending.size === 0 && this.child) {
      // Idle: the helper must not keep the process alive, and it exits after a while to free its memory.
      const idle = this.child;
      idle.unref();
      idle.channel?.unref();
      this.idleTimer = setTimeout(() => {
        idle.kill();
        if (this.child === idle) this.child = null;
      }, IDLE_EXIT_MS);
      this.idleTimer.unref();
    }
    return job;
  }
}

function asBuffer(out: unknown): Buffer {
  const bytes = out as Uint8Array;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export const captureHelper = new HelperProcess();

/** Where capture runs its commands: the helper on Linux (where forking a large process is what costs), else here. */
export function commandRunner(): CommandRunner {
  return process.platform === 'linux' ? captureHelper : directRunner;
}

/** Commands run from this process: where a helper cannot help (tests of the runner itself, non-Linux). */
export const directRunner: CommandRunner = {
  run(cmd, args, opts = {}) {
    return new Promise((resolve, reject) => {
      const child = execFile(cmd, args, { env: opts.env ?? process.env, encoding: 'buffer', maxBuffer: opts.maxBuffer ?? 64 * 1024 * 1024, timeout: opts.timeoutMs ?? 30_000 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`${cmd}: ${String(stderr ?? '').trim() || err.message}`));
        else resolve(stdout);
      });
      child.stdin?.on('error', () => {});
      child.stdin?.end(opts.input);
    });
  },
  async screenshot(opts) {
    const shot = (await import('screenshot-desktop')).default;
    return new Uint8Array(await shot(opts));
  },
  async displays() {
    return (await import('screenshot-desktop')).default.listDisplays();
  },
};
