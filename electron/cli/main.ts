// The `engram` command: the same engine as the app, driven from a terminal. Each command opens the bank,
// does its work, prints a table (or one JSON document with --json) and exits 0 (all well), 1 (some inputs failed) or 2 (usage).
import { parseArgs } from 'node:util';
import { EngramError } from '../contract/errors.js';
import { Modes, type Job, type Memory, type Mode } from '../contract/models.js';
import type { CallEnvelope } from '../contract/envelope.js';
import type { RouteInput, RouteName, RouteOutput } from '../contract/routes.js';
import { createEngine, resolveDataDir } from '../core/Engine.js';
import type { Engine } from '../core/Engine.js';
import { appVersion } from '../core/createEngine.js';
import { CAPTURE_USAGE, runCaptureCommand } from './capture.js';
import { ask } from './ask.js';
import { formatQaReport, runQaBench } from './benchQa.js';

const USAGE = `engram — a second brain that remembers what you read by sight

Usage:
  engram ingest PATH... [--mode tiny|small|base|large]   remember files and folders
  engram list [--decode]                                 list memories
  engram stats                                           memories, pages, tokens, disk
  engram watch DIR [--once]                              watch a folder (until Ctrl-C; --once: scan, ingest, exit)
  engram forget [--now ISO] [--budget TOKENS] [--dry-run] run a forgetting pass (--budget also sets it for later passes)
  engram timeline [--at ISO]                             what the bank holds at a time (past, now or simulated future)
  engram importance ID N                                 set a memory's importance (0-10; 10 pins it)
  engram pin ID | engram unpin ID                        pin: never faded or dropped
  engram refresh ID                                      re-encode a faded memory from its unchanged source file
  engram ask "QUESTION"                                  answer from what is remembered, with the memories it used
  engram bench qa DIR                                    question-answering benchmark on a folder with questions.json
  engram bench fidelity DIR [--modes tiny,small] [--per-doc N] [--max N]
                                                         char accuracy and compression per mode and ladder level
  engram gpu install                                     fetch the CUDA providers (NVIDIA GPU + network), then say
                                                         which provider a fresh session really runs on
${CAPTURE_USAGE}
Global options:
  --data DIR   the memory bank's folder (default: $ENGRAM_DATA or ~/.engram)
  --json       print one JSON document on stdout
  --help, --version

Exit status: 0 all went well, 1 some inputs failed (each named with its reason), 2 usage error.`;

class UsageError extends Error {}

interface Out {
  json: boolean;
  print(doc: unknown, human: () => string): void;
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        data: { type: 'string' },
        json: { type: 'boolean', default: false },
        mode: { type: 'string' },
        decode: { type: 'boolean', default: false },
        once: { type: 'boolean', default: false },
        every: { type: 'string' },
        for: { type: 'string' },
        now: { type: 'string' },
        at: { type: 'string' },
        budget: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        modes: { type: 'string' },
        'per-doc': { type: 'string' },
        max: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.version) {
    console.log(appVersion());
    return 0;
  }
  const [command, ...args] = positionals;
  if (!command) throw new UsageError('no command given');
  const mode = parseMode(values.mode);
  const out: Out = {
    json: values.json!,
    print(doc, human) {
      process.stdout.write(this.json ? `${JSON.stringify(doc, null, 2)}\n` : `${human()}\n`);
    },
  };
  const dataDir = resolveDataDir(values.data ? ['--data', values.data] : []);

  switch (command) {
    case 'ingest':
      if (!args.length) throw new UsageError('ingest needs at least one PATH');
      return withEngine(dataDir, false, (engine) => ingest(engine, args, mode, out));
    case 'list':
      if (args.length) throw new UsageError('list takes no arguments');
      return withEngine(dataDir, false, (engine) => list(engine, values.decode!, out));
    case 'stats':
      if (args.length) throw new UsageError('stats takes no arguments');
      return withEngine(dataDir, false, async (engine) => {
        const s = engine.internals.bank.stats();
        out.print(s, () => table([['memories', 'documents', 'pages', 'tokens', 'disk'], [s.memories, s.documents, s.pages, s.tokens, formatBytes(s.diskBytes)]]));
        return 0;
      });
    case 'watch':
      if (args.length !== 1) throw new UsageError('watch needs exactly one DIR');
      return withEngine(dataDir, false, (engine) => watch(engine, args[0], values.once!, out));
    case 'forget': {
      if (args.length) throw new UsageError('forget takes no arguments');
      const now = values.now === undefined ? undefined : isoArg('--now', values.now);
      const budget = values.budget === undefined ? undefined : intArg('--budget', values.budget);
      return withEngine(dataDir, false, async (engine) => {
        if (budget !== undefined) await rpc(engine, 'settings.set', { bankBudgetTokens: budget });
        const r = await rpc(engine, 'forget.run', { now, dryRun: values['dry-run'] });
        out.print(r, () => {
          const counts = r.events.reduce<Record<string, number>>((a, e) => ({ ...a, [e.type]: (a[e.type] ?? 0) + 1 }), {});
          return [
            `${r.dryRun ? 'dry run at' : 'forgetting pass at'} ${r.at} (budget ${r.budget} tokens)`,
            table([['', 'tokens', 'memories'], ['before', r.before.tokens, r.before.memories], ['after', r.after.tokens, r.after.memories]]),
            `faded ${counts.faded ?? 0}, merged ${counts.merged ?? 0}, dropped ${counts.dropped ?? 0}`,
            ...(r.warning ? [`warning: ${r.warning}`] : []),
          ].join('\n');
        });
        return 0;
      });
    }
    case 'timeline': {
      if (args.length) throw new UsageError('timeline takes no arguments');
      return withEngine(dataDir, false, async (engine) => {
        const at = values.at === undefined ? new Date(Date.now()).toISOString() : isoArg('--at', values.at);
        const t = await rpc(engine, 'timeline.at', { at });
        const doc = { at: t.at, budget: t.budget, tokens: t.tokens, memories: t.memories.map(({ id, source, page, level, tokens, importance, score }) => ({ id, source, page, level, tokens, importance, score })) };
        out.print(doc, () =>
          [
            `${t.kind === 'future' ? 'simulated' : t.kind} ${t.at}: ${t.memories.length} memories, ${t.tokens} of ${t.budget} tokens`,
            table([['id', 'source', 'page', 'level', 'tokens', 'importance', 'score'], ...doc.memories.map((m) => [m.id, m.source, m.page, m.level, m.tokens, m.importance, m.score.toFixed(3)])]),
          ].join('\n'),
        );
        return 0;
      });
    }
    case 'importance': {
      if (args.length !== 2) throw new UsageError('importance needs ID and N');
      const n = Number(args[1]);
      if (!Number.isFinite(n) || n < 0 || n > 10) throw new UsageError(`importance must be a number from 0 to 10, got ${args[1]}`);
      return withEngine(dataDir, false, async (engine) => {
        const { memory } = await rpc(engine, 'memory.setImportance', { id: args[0], importance: n });
        out.print({ memory: summary(memory) }, () => `${memory.id}: importance ${memory.importance}${memory.importance >= 10 ? ' (pinned)' : ''}`);
        return 0;
      });
    }
    case 'pin':
    case 'unpin': {
      if (args.length !== 1) throw new UsageError(`${command} needs one ID`);
      return withEngine(dataDir, false, async (engine) => {
        const { memory } = await rpc(engine, 'memory.pin', { id: args[0], pinned: command === 'pin' });
        out.print({ memory: summary(memory) }, () => `${memory.id}: ${command === 'pin' ? 'pinned' : `unpinned, importance ${memory.importance}`}`);
        return 0;
      });
    }
    case 'refresh': {
      if (args.length !== 1) throw new UsageError('refresh needs one ID');
      return withEngine(dataDir, false, async (engine) => {
        const { memory } = await rpc(engine, 'memory.refresh', { id: args[0] });
        out.print({ memory: summary(memory) }, () => `${memory.id}: refreshed to ${memory.level} (${memory.tokens} tokens)`);
        return 0;
      });
    }
    case 'ask':
      if (!args.length) throw new UsageError('ask needs a QUESTION');
      return withEngine(dataDir, false, (engine) => ask(engine, args.join(' '), { json: values.json!, budgetTokens: values.budget === undefined ? undefined : intArg('--budget', values.budget) }));
    case 'bench':
      switch (args[0]) {
        case 'qa': {
          if (args.length !== 2) throw new UsageError('bench qa needs one DIR (a folder with questions.json)');
          const report = await runQaBench(args[1], { mode, progress: out.json ? undefined : (l) => process.stderr.write(`${l}\n`) });
          out.print(report, () => formatQaReport(report));
          return 0;
        }
        case 'fidelity': {
          if (args.length !== 2) throw new UsageError('bench fidelity needs one DIR (documents with a text layer: PDF, text, markdown, code)');
          const modes = values.modes?.split(',').map((m) => parseMode(m.trim())!);
          const { benchFidelity, formatFidelityTable } = await import('../core/optical/benchFidelity.js');
          const { releaseSessions } = await import('../core/optical/Runtime.js');
          const t0 = Date.now();
          const rows = await benchFidelity(args[1], {
            modes,
            pagesPerDocument: values['per-doc'] === undefined ? undefined : intArg('--per-doc', values['per-doc']),
            maxPages: values.max === undefined ? undefined : intArg('--max', values.max),
            onProgress: out.json ? undefined : (l) => process.stderr.write(`${l}\n`),
          });
          await releaseSessions();
          if (!rows.length) throw new UsageError(`no page with a text layer under ${args[1]}`);
          out.print({ rows, seconds: (Date.now() - t0) / 1000 }, () => formatFidelityTable(rows));
          return 0;
        }
        default:
          throw new UsageError(`unknown benchmark: ${args[0] ?? '(none)'} (known: qa, fidelity)`);
      }
    case 'gpu': {
      if (args[0] !== 'install' || args.length !== 1) throw new UsageError('usage: engram gpu install');
      const { installGpuAndProbe } = await import('../core/optical/gpu.js');
      const r = await installGpuAndProbe({ onLine: out.json ? undefined : (l) => process.stderr.write(`  ${l}\n`) });
      out.print(r, () => [`${r.ok ? 'CUDA ready' : 'not on CUDA'}: ${r.message}`, `a fresh session runs on: ${r.ran.toUpperCase()}`, ...(r.note ? [`  (${r.note})`] : [])].join('\n'));
      return r.ok ? 0 : 1;
    }
    case 'capture':
      return withEngine(dataDir, false, (engine) => runCaptureCommand(engine, args, values, out));
    default:
      throw new UsageError(`unknown command: ${command}`);
  }
}

function parseMode(m: string | undefined): Mode | undefined {
  if (m === undefined) return undefined;
  if (!(Modes as readonly string[]).includes(m)) throw new UsageError(`--mode must be one of ${Modes.join(', ')}; got ${m}`);
  return m as Mode;
}

async function withEngine(dataDir: string, watch: boolean, fn: (e: Engine) => Promise<number>): Promise<number> {
  const engine = await createEngine({ dataDir, watch, transport: 'direct' });
  try {
    return await fn(engine);
  } finally {
    await engine.close();
  }
}

async function ingest(engine: Engine, paths: string[], mode: Mode | undefined, out: Out): Promise<number> {
  const { queue } = engine.internals;
  const stopProgress = showProgress(engine, out);
  const jobs = await queue.addPaths(paths, mode ?? engine.internals.bank.getSetting<{ defaultMode: Mode }>('settings')?.defaultMode ?? 'small');
  await queue.idle();
  stopProgress();
  const finals = jobs.map((j) => engine.internals.bank.getJob(j.id)!);
  const ingested = finals
    .filter((j) => j.state === 'ready' || j.state === 'skipped')
    .map((j) => ({ source: j.source, pages: j.memoryIds.length, memoryIds: j.memoryIds, duplicate: j.state === 'skipped' }));
  const failed = finals.filter((j) => j.state === 'failed' || j.state === 'cancelled').map((j) => ({ source: j.source, error: j.error ?? j.state }));
  out.print({ ingested, failed }, () => {
    const rows: (string | number)[][] = [['source', 'pages', 'result']];
    for (const i of ingested) rows.push([i.source, i.pages, i.duplicate ? 'already remembered' : 'remembered']);
    for (const f of failed) rows.push([f.source, '-', `FAILED: ${f.error}`]);
    return `${table(rows)}\n${ingested.length} remembered, ${failed.length} failed`;
  });
  if (failed.length) for (const f of failed) process.stderr.write(`engram: ${f.source}: ${f.error}\n`);
  return failed.length ? 1 : 0;
}

async function list(engine: Engine, decode: boolean, out: Out): Promise<number> {
  const { memories } = engine.internals.bank.listMemories(1_000_000, 0);
  const doc: { memories: Record<string, unknown>[] } = { memories: memories.map(summary) };
  if (decode) {
    // Text comes from the vision tokens alone: the bank keeps no source text.
    for (const [i, m] of memories.entries()) {
      const d = await rpc(engine, 'memory.decode', { id: m.id });
      if (d.text === null) throw new EngramError('unsupported', `cannot decode ${m.id}: ${d.note}`);
      doc.memories[i] = { id: m.id, source: m.source, page: m.page, kind: m.kind, mode: m.mode, level: m.level, tokens: m.tokens, text: d.text };
    }
    out.print(doc, () => doc.memories.map((m) => `== ${m.source} p${m.page} (${m.level}, ${m.tokens} tokens)\n${m.text}`).join('\n\n') || 'no memories yet');
    return 0;
  }
  out.print(doc, () =>
    memories.length
      ? table([['id', 'source', 'page', 'kind', 'mode', 'tokens', 'importance', 'created'], ...memories.map((m) => [m.id, m.source + (m.sourceGone ? ' (gone)' : ''), `${m.page}/${m.pages}`, m.kind, m.mode, m.tokens, m.importance, m.createdAt])])
      : 'no memories yet: try `engram ingest FILE`',
  );
  return 0;
}

async function watch(engine: Engine, dir: string, once: boolean, out: Out): Promise<number> {
  const { watcher, queue } = engine.internals;
  const folder = await watcher.add(dir);
  await watcher.ready();
  const stopProgress = showProgress(engine, out);
  if (once) {
    await new Promise((r) => setTimeout(r, 100));
    await queue.idle();
    stopProgress();
    const { jobs } = queue.list();
    const failed = jobs.filter((j) => j.state === 'failed' && j.source.startsWith(folder.path));
    out.print({ folder, jobs }, () => `watched ${folder.path}: ${jobs.filter((j) => j.state === 'ready').length} files remembered, ${failed.length} failed`);
    return failed.length ? 1 : 0;
  }
  if (!out.json) process.stderr.write(`watching ${folder.path}; press Ctrl-C to stop\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  stopProgress();
  return 0;
}

/** Per-file lines (and a live line on a terminal) on stderr, so --json output stays one document. */
function showProgress(engine: Engine, out: Out): () => void {
  const tty = process.stderr.isTTY;
  const done = (j: Job) => j.state === 'ready' || j.state === 'failed' || j.state === 'skipped' || j.state === 'cancelled';
  return engine.onEvent((e) => {
    if (e.event !== 'ingest.progressed') return;
    const { job, progress } = e.payload as { job: Job; progress: { done: number; total: number } };
    const pages = job.pagesTotal ? ` page ${job.pagesDone}/${job.pagesTotal}` : '';
    if (tty) process.stderr.write(`\r\x1b[K[${progress.done}/${progress.total}] ${job.name}: ${job.state}${pages}`);
    if (done(job) && !out.json) {
      process.stderr.write(`${tty ? '\r\x1b[K' : ''}${job.state === 'failed' ? '✗' : '✓'} ${job.name}: ${job.state}${job.error ? ` (${job.error})` : ''}\n`);
    }
  });
}

function summary(m: Memory) {
  return { id: m.id, source: m.source, page: m.page, kind: m.kind, mode: m.mode, level: m.level, tokens: m.tokens, importance: m.importance, createdAt: m.createdAt };
}

/** Call a route as the CLI: the same contract the app uses. Errors surface as EngramError. */
async function rpc<N extends RouteName>(engine: Engine, name: N, input: RouteInput<N>): Promise<RouteOutput<N>> {
  const reply = await engine.handle({ id: 1, name, input } as CallEnvelope, { transport: 'direct', trusted: true });
  if (!reply.ok) throw new EngramError(reply.error.code, reply.error.message);
  return reply.value as RouteOutput<N>;
}

function isoArg(flag: string, v: string): string {
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new UsageError(`${flag} must be a date and time like 2027-01-31T12:00:00Z, got ${v}`);
  return new Date(t).toISOString();
}

function intArg(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive whole number, got ${v}`);
  return n;
}

function table(rows: (string | number)[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c] ?? '').length)));
  return rows.map((r) => r.map((v, c) => String(v ?? '').padEnd(widths[c])).join('  ').trimEnd()).join('\n');
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    if (err instanceof UsageError) {
      process.stderr.write(`engram: ${err.message}\n\n${USAGE}\n`);
      process.exit(2);
    }
    process.stderr.write(`engram: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
