// What automatic capture costs: CPU of the capture path, storage and memories per hour, under Xvfb with a window
// that keeps changing. Real timer, real screenshots, real OCR, real page worker: nothing is simulated but the person.
//   npm run bench:capture -- [--minutes 10] [--interval 10] [--size 1920x1080] [--change-every 4] [--encoder default|pool]
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { CaptureOutcome } from '../electron/contract/capture.js';
import type { CallEnvelope } from '../electron/contract/envelope.js';
import { createEngine, type Engine } from '../electron/core/Engine.js';
import { captureCosts } from '../electron/core/capture/cost.js';

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
function cpuOf(pid: number | string): { own: number; children: number } {
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
  // A display number no other X server holds: with someone else's server, the bench would watch their screen.
  let n = 0;
  for (let tries = 0; tries < 50 && (!n || existsSync(`/tmp/.X11-unix/X${n}`) || existsSync(`/tmp/.X${n}-lock`)); tries++) n = 100 + Math.floor(Math.random() * 800);
  const display = `:${n}`;
  try {
    const server = spawn('Xvfb', [display, '-screen', '0', `${values.size}x24`, '-nolisten', 'tcp'], { stdio: 'ignore' });
    procs.push(server);
    for (let i = 0; i < 100 && !existsSync(`/tmp/.X11-unix/X${n}`); i++) await sleep(50);
    if (server.exitCode !== null || !existsSync(`/tmp/.X11-unix/X${n}`)) throw new Error(`Xvfb did not start on ${display}`);
    process.env.DISPLAY = display;
    const env = { ...process.env };
    const file = join(dir, 'reading.txt');
    await writeFile(file, 'A page being read and written while Engram watches.\n');
    procs.push(spawn('xterm', ['-fa', 'DejaVu Sans Mono', '-fs', '13', '-geometry', '120x40+40+40', '-T', 'Notes — bench', '-e', 'tail', '-n', '+1', '-f', file], { env, stdio: 'ignore' }));
    let id = '';
    for (let i = 0; i < 100 && !id; i++, await sleep(50)) id = spawnSync('xdotool', ['search', '--name', 'Notes — bench'], { env, encoding: 'utf8' }).stdout.trim().split('\n')[0];
    if (!id) throw new Error('the xterm window did not appear');
    spawnSync('xdotool', ['windowfocus', id], { env });

    const open = () => createEngine({ dataDir: join(dir, 'data'), watch: true, encoderSpec: values.encoder === 'pool' ? 'pool' : 'default', transport: 'direct' });
    const call = (e: Engine, name: string, input: unknown) => e.handle({ id: 1, name, input } as CallEnvelope, { transport: 'direct', trusted: true });
    // A first capture in an engine of its own: the bank's files then exist and are checkpointed before the baseline.
    const first = await open();
    await call(first, 'capture.once', {});
    await first.close();
    const disk0 = dirBytes(join(dir, 'data'));
    const tasks = () => new Set(readdirSync('/proc/self/task'));
    const beforeEngine = tasks();
    const engine = await open();
    const outcomes: CaptureOutcome[] = [];
    engine.onEvent((e) => e.event === 'capture.taken' && outcomes.push(e.payload as CaptureOutcome));
    // Warm the page worker and the encoder, so the run measures steady state rather than a model load.
    await call(engine, 'capture.once', {});
    outcomes.length = 0;
    // The engine's optical decoder (a worker thread and its runtime's threads) decodes new memories for the chat
    // index every 20 s: not capture, like the encoder. Its threads are those the engine started that work on a sync.
    const sync0 = threadCpu();
    await call(engine, 'chat.syncIndex', {});
    const sync1 = threadCpu();
    const optical = new Set([...sync1].filter(([t, c]) => !beforeEngine.has(t) && c - (sync0.get(t) ?? 0) >= 0.005).map(([t]) => t));

    // The person, a process of its own so none of its CPU is billed to capture: types a line every few seconds and
    // nudges the mouse (so xprintidle sees them as present).
    const lorem = 'lorem ipsum dolor sit amet '.repeat(3);
    const person = spawn('sh', ['-c', `n=0; while sleep ${changeEvery}; do n=$((n+1)); echo "$(date -u +%FT%T.%3NZ) line $n: ${lorem}" >> "$1"; xdotool mousemove_relative -- $((n % 2 * 2 - 1)) 0; done`, 'person', file], { env, stdio: 'ignore' });
    procs.push(person);

    const worker = childPids().find((p) => cmdline(p).includes('pageWorker'));
    const xvfb = procs[0].pid!;
    // The engine's other long-lived children (the capture helper that runs import, xprop and tesseract) are capture path.
    const ours = new Set([worker, ...procs.map((p) => p.pid)]);
    const helpers = () => new Map(childPids().filter((p) => !ours.has(p)).map((p) => [p, treeCpu(p)]));
    const helpers0 = helpers();
    const self0 = process.cpuUsage();
    const threads0 = threadCpu();
    const proc0 = cpuOf('self');
    const worker0 = worker ? treeCpu(worker) : 0;
    const xvfb0 = cpuOf(xvfb).own;
    captureCosts.reset();
    const t0 = performance.now();

    await call(engine, 'capture.setSettings', { enabled: true, intervalSeconds: interval });
    await sleep(minutes * 60_000);
    await call(engine, 'capture.setSettings', { enabled: false });
    await engine.internals.queue.idle();

    const wall = (performance.now() - t0) / 1000;
    const self = process.cpuUsage(self0);
    const threads1 = threadCpu();
    const proc1 = cpuOf('self');
    const selfSec = (self.user + self.system) / 1e6;
    const threadSec = (t: string) => (threads1.get(t) ?? 0) - (threads0.get(t) ?? 0);
    const mainSec = threadSec(String(process.pid));
    const opticalSec = [...optical].reduce((sum, t) => sum + threadSec(t), 0);
    const childrenSec = proc1.children - proc0.children; // children that ended and were waited for
    // A helper that ended meanwhile is in childrenSec with all its life, the part before the baseline included.
    const helpers1 = helpers();
    const helperSec = [...helpers1].reduce((t, [p, c]) => t + c - (helpers0.get(p) ?? 0), 0) - [...helpers0].reduce((t, [p, c]) => t + (helpers1.has(p) ? 0 : c), 0);
    const workerSec = worker ? treeCpu(worker) - worker0 : 0;
    const rss = process.memoryUsage().rss;
    person.kill('SIGTERM');
    const xvfbSec = cpuOf(xvfb).own - xvfb0;
    const chunksFile = join(dir, 'data', 'capture', 'chunks.jsonl');
    await engine.close();
    const captureBytes = dirBytes(join(dir, 'data'));
    const memories = outcomes.filter((o) => o.stored).length;
    const perHour = 3600 / wall;
    const count = (r: string) => outcomes.filter((o) => o.reason === r).length;

    const pct = (s: number) => `${((s / wall) * 100).toFixed(2)}%`;
    const rows: [string, string][] = [
      ['run', `${(wall / 60).toFixed(1)} min, capture every ${interval} s, screen ${values.size}, a change every ${changeEvery} s, encoder ${values.encoder}`],
      ['captures', `${outcomes.length} (stored ${memories}, chunked ${count('chunked')}, unchanged ${count('unchanged')}${others(outcomes)})`],
      ['CPU capture path (engine process but its optical decoder, capture helper, commands)', `${pct(selfSec - opticalSec + helperSec + childrenSec)} of one core`],
      ['  engine main thread (decode, diff, OCR crops, PNG, store; timers, bank, events)', pct(mainSec)],
      ['  engine other threads (garbage collector, compiler, libuv)', pct(selfSec - mainSec - opticalSec)],
      ['  capture helper + its commands (import, xrandr, xprop, xprintidle, resident tesseract)', pct(helperSec)],
      ['  commands run by the engine process itself', pct(childrenSec)],
      ['CPU encode (page worker process and its image decoder)', pct(workerSec)],
      ['CPU chat index (engine\'s optical decoder threads, decoding each new memory)', pct(opticalSec)],
      ['CPU capture path + encode', `${pct(selfSec - opticalSec + helperSec + childrenSec + workerSec)} of one core`],
      ['CPU all three (capture path + encode + chat index)', `${pct(selfSec + helperSec + childrenSec + workerSec)} of one core`],
      ['engine resident memory', `${Math.round(rss / 2 ** 20)} MiB`],
      ['CPU X server (Xvfb serving the screenshots)', pct(xvfbSec)],
      ['storage per hour', `${((captureBytes - disk0) * perHour / 2 ** 20).toFixed(1)} MiB (bank + chunk log, after the warm-up capture)`],
      ['memories per hour after chunking', `${Math.round(memories * perHour)} (captures per hour ${Math.round(outcomes.length * perHour)})`],
      ['chunk log', existsSync(chunksFile) ? `${statSync(chunksFile).size} bytes` : 'none'],
    ];
    const w = Math.max(...rows.map((r) => r[0].length));
    console.log(rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n'));
    // Where the capture path's CPU went, step by step (the engine's own time while a step ran, and the commands it waited for).
    const steps = [...captureCosts.steps].map(([step, c]) => [step, c.calls, c.own, c.children] as const);
    const metered = steps.reduce((t, s) => t + s[2] + s[3], 0);
    const table = [
      ['step', 'calls', 'own s', 'children s', 'ms per call', 'of one core'],
      ...steps.map(([step, calls, own, children]) => [step, String(calls), own.toFixed(2), children.toFixed(2), (((own + children) / calls) * 1000).toFixed(1), pct(own + children)]),
      ['all steps', '', '', '', '', pct(metered)],
      ['rest (main thread between steps, other engine threads, helper between requests)', '', '', '', '', pct(selfSec - opticalSec + helperSec + childrenSec - metered)],
    ];
    const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
    console.log(`\n${table.map((r) => r.map((c, i) => (i ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ')).join('\n')}`);
    // The engine process by thread: the main thread runs capture; others are V8's GC, libuv's pool, the optical runtime.
    const byThread = [...threads1].map(([t, sec]) => [t, sec - (threads0.get(t) ?? 0)] as const).filter(([, sec]) => sec >= 0.01).sort((a, b) => b[1] - a[1]);
    const label = (t: string) => (t === String(process.pid) ? 'main' : optical.has(t) ? 'optical decoder' : beforeEngine.has(t) ? 'V8/libuv' : 'engine-started');
    console.log(`\nengine process by thread: ${byThread.map(([t, sec]) => `${label(t)} #${t} ${pct(sec)}`).join(', ')}`);
  } finally {
    for (const p of procs.reverse()) p.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
}

/** The captures neither stored, chunked nor unchanged, by reason: ', failed 1 (why)'. */
function others(outcomes: CaptureOutcome[]): string {
  const rest = outcomes.filter((o) => !['stored', 'chunked', 'unchanged'].includes(o.reason));
  const reasons = [...new Set(rest.map((o) => o.reason))];
  return reasons.map((r) => `, ${r} ${rest.filter((o) => o.reason === r).length}${r === 'failed' ? ` (${rest.find((o) => o.reason === r)!.detail})` : ''}`).join('');
}

function dirBytes(path: string): number {
  let total = 0;
  for (const e of readdirSync(path, { withFileTypes: true })) {
    const p = join(path, e.name);
    total += e.isDirectory() ? dirBytes(p) : statSync(p).size;
  }
  return total;
}

/** CPU seconds of each of this process's threads, by thread id. */
function threadCpu(): Map<string, number> {
  return new Map(readdirSync('/proc/self/task').map((t) => [t, cpuOf(`self/task/${t}`).own]));
}

/** CPU seconds of a process, the children it waited for, and its live descendants (the page worker's image decoder). */
function treeCpu(pid: number): number {
  const { own, children } = cpuOf(pid);
  let kids: number[] = [];
  try {
    for (const t of readdirSync(`/proc/${pid}/task`)) kids.push(...readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
  } catch {
    kids = [];
  }
  return own + children + kids.reduce((t, k) => t + treeCpu(k), 0);
}

await main();
