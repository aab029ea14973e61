import { describe, expect, it } from 'vitest';
import type { CommandRunner } from '../../../electron/core/capture/helper.js';
import { systemPresence } from '../../../electron/core/capture/screens.js';

/** A runner that answers xprintidle with the idle time it is given, and counts the asks. */
function idleFor(ms: () => number): CommandRunner & { asked: number } {
  const r = {
    asked: 0,
    async run(cmd: string) {
      if (cmd !== 'xprintidle') throw new Error(`unexpected ${cmd}`);
      r.asked++;
      return Buffer.from(`${ms()}\n`);
    },
    screenshot: async () => new Uint8Array(),
    displays: async () => [],
  };
  return r;
}

describe.skipIf(process.platform !== 'linux')('presence', () => {
  it('asks xprintidle again only when the person could have become idle since', async () => {
    let idle = 100;
    const runner = idleFor(() => idle);
    const presence = systemPresence({ DISPLAY: ':0' }, 1000, runner);
    expect(await presence.state()).toBe('active');
    // Input 0.1 s ago means active for the next 0.9 s whatever happens meanwhile: no need to ask.
    idle = 5000;
    expect(await presence.state()).toBe('active');
    expect(runner.asked).toBe(1);
    await new Promise((r) => setTimeout(r, 950));
    expect(await presence.state()).toBe('idle');
    expect(await presence.state()).toBe('idle');
    expect(runner.asked).toBe(3);
  });
});
