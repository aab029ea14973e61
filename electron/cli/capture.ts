// `engram capture`: one capture now, or a bounded run, through the same capture.once route the app's button uses.
// Kept out of main.ts so capture's flags and report grow here; main.ts only dispatches to it.
import type { CaptureOutcome } from '../contract/capture.js';
import type { CallEnvelope } from '../contract/envelope.js';
import type { Engine } from '../core/Engine.js';

export const CAPTURE_USAGE = `  engram capture --once                                  take one capture now (respects exclusions); says what was stored or why not
  engram capture --every SECONDS --for SECONDS           capture on a schedule for a bounded time`;

interface Out {
  json: boolean;
  print(doc: unknown, human: () => string): void;
}

/** Exit status: 0 captures ran (stored or not, each with its reason), 1 a capture failed, 2 usage. */
export async function runCaptureCommand(
  engine: Engine,
  args: string[],
  values: { once?: boolean; every?: string; for?: string },
  out: Out,
): Promise<number> {
  const usage = (msg: string) => {
    process.stderr.write(`engram: capture: ${msg}\n${CAPTURE_USAGE}\n`);
    return 2;
  };
  if (args.length) return usage('takes no arguments');
  if (values.once && (values.every || values.for)) return usage('--once or --every/--for, not both');
  if (values.once) {
    const outcomes = await once(engine);
    out.print({ outcomes }, () => describe(outcomes));
    return outcomes.some((o) => o.reason === 'failed') ? 1 : 0;
  }
  if (!values.every || !values.for) return usage('needs --once, or --every SECONDS with --for SECONDS');
  const every = Number(values.every);
  const total = Number(values.for);
  if (!(every >= 1) || !(total > 0)) return usage(`--every must be at least 1 and --for above 0 (got ${values.every}, ${values.for})`);

  const all: CaptureOutcome[] = [];
  const end = Date.now() + total * 1000;
  for (let next = Date.now(); next < end; next += every * 1000) {
    await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
    const outcomes = await once(engine);
    all.push(...outcomes);
    if (!out.json) process.stdout.write(`${describe(outcomes)}\n`);
  }
  const counts: Record<string, number> = {};
  for (const o of all) counts[o.reason] = (counts[o.reason] ?? 0) + 1;
  const summary = { captures: all.length, stored: all.filter((o) => o.stored).length, reasons: counts };
  out.print(out.json ? { outcomes: all, summary } : summary, () =>
    `${summary.captures} captures, ${summary.stored} stored (${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ')})`,
  );
  return all.some((o) => o.reason === 'failed') ? 1 : 0;
}

let nextId = 1;
async function once(engine: Engine): Promise<CaptureOutcome[]> {
  const reply = await engine.handle({ id: nextId++, name: 'capture.once', input: {} } as CallEnvelope, { transport: 'direct', trusted: true });
  if (!reply.ok) throw new Error(reply.error.message);
  return (reply.value as { outcomes: CaptureOutcome[] }).outcomes;
}

function describe(outcomes: CaptureOutcome[]): string {
  return outcomes
    .map((o) => {
      const where = o.window ? `${o.window.app} — ${o.window.title}` : (o.display ?? 'screen');
      const what = o.stored ? `stored as ${o.memoryId}` : `not stored: ${o.reason}`;
      return `${o.at}  ${where}  ${what}${o.detail ? ` (${o.detail})` : ''}`;
    })
    .join('\n');
}
