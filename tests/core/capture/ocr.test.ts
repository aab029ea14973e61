import { spawnSync } from 'node:child_process';
import { createCanvas } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { commandReader, findTextReader, residentReader } from '../../../electron/core/capture/ocr.js';
import { findSensitive } from '../../../electron/core/capture/privacy.js';

const has = (cmd: string) => spawnSync('sh', ['-c', cmd], { stdio: 'ignore' }).status === 0;
const hasTesseract = has('command -v tesseract');
const hasPython = has(`python3 -c "import ctypes, ctypes.util; assert ctypes.util.find_library('tesseract')"`);

async function screen(): Promise<Uint8Array> {
  const c = createCanvas(640, 160);
  const ctx = c.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, 640, 160);
  ctx.fillStyle = '#000';
  ctx.font = '18px sans-serif';
  ctx.fillText('Checkout: card 4111 1111 1111 1111 exp 12/29', 12, 40);
  ctx.fillText('password: hunter2', 12, 90);
  ctx.fillText('Nothing else to see here', 12, 140);
  return new Uint8Array(await c.encode('png'));
}

describe.skipIf(!hasTesseract)('text readers', () => {
  it('the command reads words with boxes, and finds the card and the password', async () => {
    const words = await (await commandReader())!.read(await screen());
    expect(words.map((w) => w.text)).toContain('hunter2');
    expect(findSensitive(words).map((m) => m.kind).sort()).toEqual(['card', 'password']);
  });

  it.skipIf(!hasPython)('the resident reader reads exactly what the command reads, again and again', async () => {
    const resident = (await residentReader())!;
    const command = (await commandReader())!;
    expect(resident.name).toBe(command.name);
    const image = await screen();
    const expected = await command.read(image);
    for (const lines of [false, false, true]) expect(await resident.read(image, { lines })).toEqual(await (lines ? command.read(image, { lines }) : expected));
    // Not an image: the resident reader says so, and the next read works (a fresh process, or the same one).
    await expect(resident.read(new Uint8Array([1, 2, 3]))).rejects.toThrow();
    expect(await resident.read(image)).toEqual(expected);
    // What capture uses: the resident reader where there is one, the same words either way.
    expect(await (await findTextReader())!.read(image)).toEqual(expected);
  });
});
