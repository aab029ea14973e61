// Reads a capture's words for the sensitive filter only (never stored), with tesseract: libtesseract kept loaded where
// python3's ctypes can load it (Node has no FFI), else the command, which spends ~0.15 s CPU starting every read.
import { type ChildProcess, spawn } from 'node:child_process';
import { addHelperCpu } from './cost.js';
import { type CommandRunner, commandRunner } from './helper.js';
import type { Word } from './privacy.js';

export interface TextReader {
  /** 'tesseract 5.3.0', for the settings view. */
  readonly name: string;
  /** The words in a PNG, BMP or PPM, boxes in its pixels. `lines`: the image is stacked lines of text, not a screen. */
  read(image: Uint8Array, opts?: { lines?: boolean }): Promise<Word[]>;
}

const TESSERACT = process.env.ENGRAM_TESSERACT ?? 'tesseract';
const PYTHON = process.env.ENGRAM_PYTHON ?? 'python3';
// One thread: the filter must not take both cores from whatever the person is doing.
const ONE_THREAD = { OMP_THREAD_LIMIT: '1' };
/** psm 11 (sparse text) suits a screen's menus, panels and labels; psm 6 (one block) reads stacked lines ~30% faster. */
const psm = (opts?: { lines?: boolean }) => (opts?.lines ? 6 : 11);

/**
 * The tesseract reader where tesseract exists, else null (the caller decides what an unchecked capture means):
 * the resident one where python3 can load libtesseract, else the command. Both read with the same engine and model.
 */
export async function findTextReader(opts: { runner?: CommandRunner; resident?: boolean } = {}): Promise<TextReader | null> {
  const command = await commandReader(opts.runner ?? commandRunner());
  // A tesseract named by ENGRAM_TESSERACT may not be the library python3 would load: the command it is, then.
  if (!command || opts.resident === false || process.env.ENGRAM_TESSERACT || process.env.ENGRAM_OCR === 'command') return command;
  const resident = await residentReader();
  if (!resident) return command;
  return {
    name: command.name,
    // Should the resident reader fail (it crashed, python went away), the command still reads: nothing goes unchecked.
    read: (image, o) => resident.read(image, o).catch(() => command.read(image, o)),
  };
}

let resident: Promise<TextReader | null> | null = null;

/**
 * libtesseract kept loaded in a python3 process, one per process and shared by every engine in it; null where it
 * cannot start (no python3, no libtesseract). Reads one at a time; idle, the process exits and the next read restarts it.
 */
export function residentReader(): Promise<TextReader | null> {
  resident ??= ResidentTesseract.start().then(
    (first) => ({ name: `tesseract ${first.version}`, read: serialReads(first) }),
    () => null,
  );
  return resident;
}

/** The tesseract command, one process a read. */
export async function commandReader(runner: CommandRunner = commandRunner()): Promise<TextReader | null> {
  const run = async (args: string[], input: Uint8Array | null) =>
    (await runner.run(TESSERACT, args, { input: input ?? undefined, env: { ...process.env, ...ONE_THREAD }, timeoutMs: 30_000, maxBuffer: 32 * 1024 * 1024 })).toString();
  const version = await run(['--version'], null).catch(() => null);
  if (version === null) return null;
  const name = `tesseract ${/tesseract\s+v?([\d.]+)/i.exec(version)?.[1] ?? ''}`.trim();
  return {
    name,
    async read(image, opts) {
      // oem 1: the LSTM reader alone, where a traineddata that also holds the legacy one would otherwise run both.
      return parseTsv(await run(['stdin', 'stdout', '--oem', '1', '--psm', String(psm(opts)), '-l', 'eng', 'tsv'], image));
    },
  };
}

export function parseTsv(tsv: string): Word[] {
  const words: Word[] = [];
  for (const row of tsv.split('\n')) {
    const c = row.split('\t');
    if (c.length < 12 || c[0] !== '5' || !c[11]?.trim()) continue;
    words.push({ text: c[11].trim(), x: +c[6], y: +c[7], width: +c[8], height: +c[9], line: `${c[1]}.${c[2]}.${c[3]}.${c[4]}` });
  }
  return words;
}

// Python 3 with ctypes only: libtesseract's C API, images decoded by leptonica as the command decodes them. Requests
// are "psm length\n" and the image; answers "ok length cpu\n" and the TSV, or "err length cpu\n" and why.
const RESIDENT_SOURCE = String.raw`
import ctypes, ctypes.util, sys, time
def load(names):
    for n in names:
        if n:
            try: return ctypes.CDLL(n)
            except OSError: pass
    raise OSError('cannot load ' + names[-1])
tess = load([ctypes.util.find_library('tesseract'), 'libtesseract.so.5', 'libtesseract.so.4'])
lept = load([ctypes.util.find_library('leptonica'), ctypes.util.find_library('lept'), 'libleptonica.so.6', 'liblept.so.5'])
P, S, I = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int
tess.TessVersion.restype = S
tess.TessBaseAPICreate.restype = P
tess.TessBaseAPIInit2.argtypes = [P, S, S, I]
tess.TessBaseAPISetPageSegMode.argtypes = [P, I]
tess.TessBaseAPISetImage2.argtypes = [P, P]
tess.TessBaseAPIGetTsvText.argtypes = [P, I]
tess.TessBaseAPIGetTsvText.restype = P
tess.TessDeleteText.argtypes = [P]
tess.TessBaseAPIClear.argtypes = [P]
lept.pixReadMem.argtypes = [S, ctypes.c_size_t]
lept.pixReadMem.restype = P
lept.pixDestroy.argtypes = [ctypes.POINTER(P)]
api = tess.TessBaseAPICreate()
if tess.TessBaseAPIInit2(api, None, b'eng', 1) != 0:
    sys.exit('tesseract could not load eng')
out, inp = sys.stdout.buffer, sys.stdin.buffer
out.write(b'ready ' + tess.TessVersion() + b'\n')
out.flush()
while True:
    line = inp.readline()
    if not line:
        break
    start = time.process_time()
    mode, n = (int(v) for v in line.split())
    data = inp.read(n)
    pix = P(lept.pixReadMem(data, n))
    if not pix.value:
        body, kind = b'not an image tesseract can read', b'err'
    else:
        tess.TessBaseAPISetPageSegMode(api, mode)
        tess.TessBaseAPISetImage2(api, pix)
        text = tess.TessBaseAPIGetTsvText(api, 0)
        body, kind = (ctypes.string_at(text), b'ok') if text else (b'recognition failed', b'err')
        if text:
            tess.TessDeleteText(text)
        tess.TessBaseAPIClear(api)
        lept.pixDestroy(ctypes.byref(pix))
    out.write(b'%s %d %.6f\n' % (kind, len(body), time.process_time() - start))
    out.write(body)
    out.flush()
`;

/** Idle this long, the resident reader exits (its ~60 MB back); the next read starts it again (~0.25 s CPU). */
const RESIDENT_IDLE_EXIT_MS = 2 * 60 * 1000;
const RESIDENT_START_TIMEOUT_MS = 20_000;
const RESIDENT_READ_TIMEOUT_MS = 30_000;

/** Reads one at a time, in order, through a resident process started when needed and stopped when idle. */
function serialReads(first: ResidentTesseract): (image: Uint8Array, opts?: { lines?: boolean }) => Promise<Word[]> {
  let proc: ResidentTesseract | null = first;
  let turn: Promise<unknown> = Promise.resolve();
  let idleTimer: NodeJS.Timeout | null = null;
  const idle = () => {
    const p = proc;
    p?.hold(false);
    idleTimer = setTimeout(() => p?.kill(), RESIDENT_IDLE_EXIT_MS);
    idleTimer.unref();
  };
  idle();
  const readNow = async (image: Uint8Array, opts?: { lines?: boolean }) => {
    if (idleTimer) clearTimeout(idleTimer);
    try {
      if (!proc?.alive) proc = await ResidentTesseract.start();
      proc.hold(true);
      return parseTsv(await proc.read(image, psm(opts)));
    } catch (err) {
      // Out of step with the process now (or it never started): the next read starts a fresh one. An image it
      // declined leaves it in step.
      if (!(err instanceof Declined)) {
        proc?.kill();
        proc = null;
      }
      throw err;
    } finally {
      idle();
    }
  };
  return (image, opts) => {
    const run = turn.then(() => readNow(image, opts));
    turn = run.catch(() => {});
    return run;
  };
}

/** One python3 process with libtesseract loaded; one request at a time. */
class ResidentTesseract {
  private buffered: Buffer = Buffer.alloc(0);
  private check: (() => void) | null = null;
  private ended = false;
  version = '';

  private constructor(private readonly proc: ChildProcess) {
    proc.stdout!.on('data', (chunk: Buffer) => {
      this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
      this.check?.();
    });
    const end = () => {
      this.ended = true;
      this.check?.();
    };
    proc.on('exit', end);
    proc.on('error', end);
    proc.stdin!.on('error', end);
  }

  /** A started process, or a rejection when python3, ctypes or libtesseract is missing. */
  static async start(): Promise<ResidentTesseract> {
    const proc = spawn(PYTHON, ['-c', RESIDENT_SOURCE], { env: { ...process.env, ...ONE_THREAD }, stdio: ['pipe', 'pipe', 'ignore'] });
    const t = new ResidentTesseract(proc);
    try {
      const ready = (await t.take((b) => lineEnd(b), RESIDENT_START_TIMEOUT_MS)).toString();
      if (!ready.startsWith('ready ')) throw new Error(`resident tesseract: ${ready.trim()}`);
      t.version = ready.slice('ready '.length).trim();
    } catch (err) {
      t.kill();
      throw err;
    }
    return t;
  }

  get alive(): boolean {
    return !this.ended;
  }

  /** Whether the process may keep the app alive: only while a read is under way. */
  hold(on: boolean): void {
    if (on) this.proc.ref();
    else this.proc.unref();
  }

  kill(): void {
    this.ended = true;
    this.proc.kill();
  }

  async read(image: Uint8Array, mode: number): Promise<string> {
    this.proc.stdin!.write(`${mode} ${image.byteLength}\n`);
    this.proc.stdin!.write(image);
    const [kind, length, cpu] = (await this.take((b) => lineEnd(b), RESIDENT_READ_TIMEOUT_MS)).toString().trim().split(' ');
    const body = (await this.take((b) => (b.length >= Number(length) ? Number(length) : -1), RESIDENT_READ_TIMEOUT_MS)).toString();
    addHelperCpu(Number(cpu));
    if (kind !== 'ok') throw new Declined(`resident tesseract: ${body}`);
    return body;
  }

  /** The first `end(buffered)` bytes of the output, once `end` finds them there. */
  private take(end: (b: Buffer) => number, timeoutMs: number): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error('resident tesseract: no answer in time')), timeoutMs);
      const finish = (err: Error | null) => {
        clearTimeout(timer);
        this.check = null;
        if (err) return reject(err);
        const n = end(this.buffered);
        const out = this.buffered.subarray(0, n);
        this.buffered = this.buffered.subarray(n);
        resolve(out);
      };
      this.check = () => {
        if (end(this.buffered) >= 0) finish(null);
        else if (this.ended) finish(new Error('resident tesseract: the process ended'));
      };
      this.check();
    });
  }
}

/** The resident process answered, and the answer was no (not an image it can read). */
class Declined extends Error {}

function lineEnd(b: Buffer): number {
  const i = b.indexOf(10);
  return i < 0 ? -1 : i + 1;
}
