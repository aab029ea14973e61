// What automatic capture costs: CPU of the capture path, storage and memories per hour, under Xvfb with a window
// that keeps changing. Real timer, real screenshots, real OCR, real page worker: nothing is simulated but the person.
//   npm run bench:capture -- [--minutes 10] [--interval 10] [--size 1920x1080] [--change-every 4] [--encoder default|pool]
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { CaptureOutcome } from '../electron/contract/capture.js';
import type { CallEnvelope } from '../electron/contract/envelope.js';
import { createEngine, type Engine } from '../electron/core/Engine.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    interval: { type: 'string', default: '10' },
    size: { type: 'string', default: '1920x1080' },
    'change-every': { type: 'string', default: '4' },
    encoder: { type: 'string', default: process.env.ENGRAM_ENCODER === 'pool' ? 'pool' : 'default' },
  },
});
const minutes = Number(values.minutes);
const interval = Number(values.interval);
const changeEvery = Number(values['change-every']);
const TICK = 100; // clock ticks per second on Linux (getconf CLK_TCK)

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** utime+stime of a process, and of its waited-for children, in seconds (/proc/PID/stat fields 14-17). */
function cpuOf(pid: number | 'self'): { own: number; children: number } {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { own: (Number(f[11]) + Number(f[12])) / TICK, children: (Number(f[13]) + Number(f[14])) / TICK };
  } catch {
    return { own: 0, children: 0 };
  }
}

function childPids(): number[] {
  const out: number[] = [];
  for (const t of readdirSync('/proc/self/task')) {
    try {
      out.push(...readFileSync(`/proc/self/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
    } catch {
      // a thread that ended while we looked
    }
  }
  return out;
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

async function main(): Promise<void> {
  if (spawnSync('sh', ['-c', 'command -v Xvfb && command -v xterm && command -v xdotool'], { stdio: 'ignore' }).status !== 0) {
    console.error('bench:capture needs Xvfb, xterm and xdotool (node scripts/system-deps.mjs installs them)');
    process.exit(2);
  }
  const dir = await mkdtemp(join(tmpdir(), 'engram-bench-capture-'));
  const procs: ChildProcess[] = [];
  const n = 100 + Math.floor(Math.random() * 800);
  const display = `:${n}`;
  try {
    procs.push(spawn('Xvfb', [display, '-screen', '0', `${values.size}x24`, '-nolisten', 'tcp'], { stdio: 'ignore' }));
    for (let i = 0; i < 100 && !existsSync(`/tmp/.X11-unix/X${n}`); i++) await sleep(50);
    process.env.DISPLAY = display;
    const env = { ...process.env };
    const file = join(dir, 'reading.txt');
    await writeFile(file, 'A page being read and written while Engram watches.\n');
    procs.push(spawn('xterm', ['-fa', 'DejaVu Sans Mono', '-fs', '13', '-geometry', '120x40+40+40', '-T', 'Notes — bench', '-e', 'tail', '-n', '+1', '-f', file], { env, stdio: 'ignore' }));
    let id = '';
    for (let i = 0; i < 100 && !id; i++, await sleep(50)) id = spawnSync('xdotool', ['search', '--name', 'Notes — bench'], { env, encoding: 'utf8' }).stdout.trim().split('\n')[0];
    spawnSync('xdotool', ['windowfocus', id], { env });

    const open = () => createEngine({ dataDir: join(dir, 'data'), watch: true, encoderSpec: values.encoder === 'pool' ? 'pool' : 'default', transport: 'direct' });
    const call = (e: Engine, name: string, input: unknown) => e.handle({ id: 1, name, input } as CallEnvelope, { transport: 'direct', trusted: true });
    // A first capture in an engine of its own: the bank's files then exist and are checkpointed before the baseline.
    const first = await open();
    await call(first, 'capture.once', {});
    await first.close();
    const disk0 = dirBytes(join(dir, 'data'));
    const engine = await open();
    const outcomes: CaptureOutcome[] = [];
    engine.onEvent((e) => e.event === 'capture.taken' && outcomes.push(e.payload as CaptureOutcome));
    // Warm the page worker and the encoder, so the run measures steady state rather than a model load.
    await call(engine, 'capture.once', {});
    outcomes.length = 0;

    // The person: types a line every few seconds and nudges the mouse (so xprintidle sees them as present).
    let line = 0;
    const person = setInterval(() => {
      void appendFile(file, `${new Date().toISOString()} line ${++line}: ${'lorem ipsum dolor sit amet '.repeat(3)}\n`);
      spawnSync('xdotool', ['mousemove_relative', '--', line % 2 ? '1' : '-1', '0'], { env });
    }, changeEvery * 1000);

    const worker = childPids().find((p) => cmdline(p).includes('pageWorker'));
    const xvfb = procs[0].pid!;
    const self0 = process.cpuUsage();
    const proc0 = cpuOf('self');
    const worker0 = worker ? cpuOf(worker).own : 0;
    const xvfb0 = cpuOf(xvfb).own;
    const t0 = performance.now();

    await call(engine, 'capture.setSettings', { enabled: true, intervalSeconds: interval });
    await sleep(minutes * 60_000);
    await call(engine, 'capture.setSettings', { enabled: false });
    clearInterval(person);
    await engine.internals.queue.idle();

    const wall = (performance.now() - t0) / 1000;
    const self = process.cpuUsage(self0);
    const proc1 = cpuOf('self');
    const selfSec = (self.user + self.system) / 1e6;
    const childrenSec = proc1.children - proc0.children; // import, xrandr, xprop, xdotool, tesseract: each waited for
    const workerSec = worker ? cpuOf(worker).own - worker0 : 0;
    const xvfbSec = cpuOf(xvfb).own - xvfb0;
    const chunksFile = join(dir, 'data', 'capture', 'chunks.jsonl');
    await engine.close();
    const captureBytes = dirBytes(join(dir, 'data'));
    const memories = outcomes.filter((o) => o.stored).length;
    const perHour = 3600 / wall;
    const count = (r: string) => outcomes.filter((o) => o.reason === r).length;
    // The person's xdotool calls also land in children: subtract their share, measured on its own below.
    const personSec = measureXdotool(env) * line;

    const pct = (s: number) => `${((s / wall) * 100).toFixed(2)}%`;
    const rows: [string, string][] = [
      ['run', `${(wall / 60).toFixed(1)} min, capture every ${interval} s, screen ${values.size}, a change every ${changeEvery} s, encoder ${values.encoder}`],
      ['captures', `${outcomes.length} (stored ${memories}, chunked ${count('chunked')}, unchanged ${count('unchanged')}, other ${outcomes.length - memories - count('chunked') - count('unchanged')})`],
      ['CPU capture path (engine process + its short-lived children)', `${pct(selfSec + childrenSec - personSec)} of one core`],
      ['  engine process (diff, decode, store)', pct(selfSec)],
      ['  children (import, xrandr, xprop, tesseract)', pct(childrenSec - personSec)],
      ['CPU encode (page worker process)', pct(workerSec)],
      ['CPU X server (Xvfb serving the screenshots)', pct(xvfbSec)],
      ['storage per hour', `${((captureBytes - disk0) * perHour / 2 ** 20).toFixed(1)} MiB (bank + chunk log, after the warm-up capture)`],
      ['memories per hour after chunking', `${Math.round(memories * perHour)} (captures per hour ${Math.round(outcomes.length * perHour)})`],
      ['chunk log', existsSync(chunksFile) ? `${statSync(chunksFile).size} bytes` : 'none'],
    ];
    const w = Math.max(...rows.map((r) => r[0].length));
    console.log(rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n'));
  } finally {
    for (const p of procs.reverse()) p.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
}

function dirBytes(path: string): number {
  let total = 0;
  for (const e of readdirSync(path, { withFileTypes: true })) {
    const p = join(path, e.name);
    total += e.isDirectory() ? dirBytes(p) : statSync(p).size;
  }
  return total;
}

/** CPU seconds one `xdotool mousemove_relative` costs, so the simulated person is not billed to capture. */
function measureXdotool(env: NodeJS.ProcessEnv): number {
  const before = cpuOf('self').children;
  for (let i = 0; i < 10; i++) spawnSync('xdotool', ['mousemove_relative', '--', '0', '0'], { env });
  return (cpuOf('self').children - before) / 10;
}

await main();
