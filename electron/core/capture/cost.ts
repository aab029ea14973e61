// What each step of a capture costs in CPU seconds: this process's own time and that of the commands it ran (through
// the capture helper, which reports each command's cost). bench:capture prints it; metering costs a /proc read a step.
import { readFileSync } from 'node:fs';

export interface StepCost {
  calls: number;
  /** CPU seconds of this process's main thread while the step ran (anything else it did meanwhile included). */
  own: number;
  /** CPU seconds of the commands the step ran: the capture helper's, and child processes this process waited for. */
  children: number;
}

/** Clock ticks per second of /proc's times (USER_HZ, 100 on Linux). */
const TICK = 100;
const linux = process.platform === 'linux';

/** CPU seconds of this process's waited-for children so far (/proc/self/stat fields 16 and 17); 0 off Linux. */
export function childrenCpu(): number {
  if (!linux) return 0;
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[13]) + Number(f[14])) / TICK;
  } catch {
    return 0;
  }
}

let helperCpu = 0;

/** The capture helper's report of what a request cost it (its own time and its commands'). */
export function addHelperCpu(seconds: number): void {
  if (Number.isFinite(seconds)) helperCpu += seconds;
}

function commandsCpu(): number {
  return childrenCpu() + helperCpu;
}

/**
 * CPU seconds of the thread that runs capture (the main one): on Linux from /proc/thread-self/schedstat, to the
 * nanosecond and without the garbage collector's or other workers' threads; elsewhere the whole process's.
 */
function ownCpu(): number {
  if (linux) {
    try {
      return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e9;
    } catch {
      // no schedstat (an unusual kernel): the process's time then
    }
  }
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

export class CostMeter {
  readonly steps = new Map<string, StepCost>();
  /** Steps under way, innermost last: a step's cost excludes the steps run within it, so the table adds up. */
  private readonly open: { own: number; children: number }[] = [];

  async step<T>(name: string, fn: () => Promise<T> | T): Promise<T> {
    const own0 = ownCpu();
    const children0 = commandsCpu();
    const inner = { own: 0, children: 0 };
    this.open.push(inner);
    try {
      return await fn();
    } finally {
      this.open.splice(this.open.lastIndexOf(inner), 1);
      const own = ownCpu() - own0;
      const children = commandsCpu() - children0;
      const s = this.steps.get(name) ?? { calls: 0, own: 0, children: 0 };
      s.calls++;
      s.own += own - inner.own;
      s.children += children - inner.children;
      this.steps.set(name, s);
      const outer = this.open[this.open.length - 1];
      if (outer) {
        outer.own += own;
        outer.children += children;
      }
    }
  }

  reset(): void {
    this.steps.clear();
  }
}

/** The capture path's meter: one per process, so a bench in the engine's process reads what the scheduler spent. */
export const captureCosts = new CostMeter();
