// A private X server for capture tests: Xvfb on a random display with xterm windows showing files we control.
// Tests on a real screen, real `import` screenshots and real OCR; only the clock is injected.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const hasXvfb = spawnSync('sh', ['-c', 'command -v Xvfb'], { stdio: 'ignore' }).status === 0;

export interface XDisplay {
  display: string;
  /** An xterm titled `title` that shows `file` as it grows (tail -f); focused, so it is the active window. */
  window(title: string, file: string, lines?: string[]): Promise<void>;
  append(file: string, line: string): Promise<void>;
  close(): Promise<void>;
}

export async function startX(width = 800, height = 600): Promise<XDisplay> {
  let n = 0;
  for (let tries = 0; tries < 20; tries++) {
    n = 100 + Math.floor(Math.random() * 800);
    if (!existsSync(`/tmp/.X11-unix/X${n}`) && !existsSync(`/tmp/.X${n}-lock`)) break;
  }
  const display = `:${n}`;
  const procs: ChildProcess[] = [];
  const xvfb = spawn('Xvfb', [display, '-screen', '0', `${width}x${height}x24`, '-nolisten', 'tcp'], { stdio: 'ignore' });
  procs.push(xvfb);
  // The socket appears before the server answers: a client started in between would die on "can't open display".
  await until(() => existsSync(`/tmp/.X11-unix/X${n}`) && spawnSync('xprop', ['-display', display, '-root', '-len', '1'], { stdio: 'ignore' }).status === 0, 'Xvfb to start');
  const env = { ...process.env, DISPLAY: display };
  return {
    display,
    async window(title, file, lines = []) {
      await writeFile(file, lines.map((l) => `${l}\n`).join(''));
      // xterm has once died or hung before mapping under a fully loaded machine: say why, and start it again.
      let id = '';
      const why: string[] = [];
      for (let attempt = 1; !id; attempt++) {
        const xterm = spawn('xterm', ['-fa', 'DejaVu Sans Mono', '-fs', '14', '-geometry', '80x20+0+0', '-T', title, '-e', 'tail', '-n', '+1', '-f', file], { env, stdio: ['ignore', 'ignore', 'pipe'] });
        procs.push(xterm);
        let stderr = '';
        let exited: string | null = null;
        xterm.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-1000)));
        xterm.on('exit', (code, signal) => (exited = `exited ${signal ?? code}`));
        const mapped = await until(
          () => {
            id = spawnSync('xdotool', ['search', '--name', `^${title}$`], { env, encoding: 'utf8' }).stdout?.trim().split('\n')[0] ?? '';
            return Boolean(id) || exited !== null;
          },
          `xterm “${title}” to map`,
          20_000,
        ).then(
          () => Boolean(id),
          () => false,
        );
        if (mapped) break;
        xterm.kill('SIGKILL');
        why.push(`attempt ${attempt}: ${exited ?? 'not mapped after 20 s'}${stderr.trim() ? `: ${stderr.trim()}` : ''}`);
        if (attempt === 3) throw new Error(`xterm “${title}” never mapped on ${display} (${why.join('; ')})`);
      }
      // Without a window manager nothing moves focus: ask until the X server says the new window has it.
      await until(() => {
        spawnSync('xdotool', ['windowraise', id], { env });
        spawnSync('xdotool', ['windowfocus', id], { env });
        return spawnSync('xdotool', ['getwindowfocus'], { env, encoding: 'utf8' }).stdout?.trim() === id;
      }, `focus on “${title}”`);
      await sleep(400); // the first paint
    },
    async append(file, line) {
      await appendFile(file, `${line}\n`);
      await sleep(500); // tail -f polls once a second at worst; xterm paints soon after
    },
    async close() {
      for (const p of procs.reverse()) p.kill('SIGTERM');
      await sleep(50);
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(fn: () => boolean, what: string, timeoutMs = 40_000): Promise<void> {
  const start = Date.now();
  while (!fn()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

export function tmpFile(dir: string, name: string): string {
  return join(dir, name);
}
