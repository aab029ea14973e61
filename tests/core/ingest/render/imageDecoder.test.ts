import { createCanvas } from '@napi-rs/canvas';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { EngramError } from '../../../../electron/contract/errors.js';
import { decodeImage, imageDecoderInternals, stopImageDecoder } from '../../../../electron/core/ingest/render/imageDecoder.js';

function png(width: number, height: number, colour: string): Uint8Array {
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = colour;
  ctx.fillRect(0, 0, width, height);
  return new Uint8Array(canvas.toBuffer('image/png'));
}

afterEach(() => imageDecoderInternals.setIdleExitMs(20_000));
afterAll(() => stopImageDecoder());

describe('image decoder process', () => {
  it('decodes and shrinks to the longer side', async () => {
    const image = await decodeImage(png(400, 100, '#ff0000'), 200);
    expect([image.width, image.height]).toEqual([200, 50]);
    expect([...image.data.subarray(0, 4)]).toEqual([255, 0, 0, 255]);
  });

  it('never loses a decode to a decoder that is stopping for idleness', async () => {
    // The idle stop lands anywhere from before to after the next decode is sent: every decode must still succeed.
    const bytes = png(64, 48, '#00ff00');
    const pids = new Set<number | undefined>();
    for (let i = 0; i < 40; i++) {
      imageDecoderInternals.setIdleExitMs(i % 4);
      const image = await decodeImage(bytes, 64);
      expect(image.width).toBe(64);
      pids.add(imageDecoderInternals.pid);
      await sleep(i % 5);
    }
    // The idle stops really happened (more than one process served these), so the race was exercised.
    expect(pids.size).toBeGreaterThan(1);
  });

  it('a decoder killed under a decode fails that decode alone, and the next one works', async () => {
    const bytes = png(32, 32, '#0000ff');
    await decodeImage(bytes, 32);
    const first = decodeImage(bytes, 32);
    const pid = imageDecoderInternals.pid;
    expect(pid).toBeDefined();
    process.kill(pid as number, 'SIGKILL');
    const err = await first.then(
      () => null,
      (e: unknown) => e,
    );
    // Either it finished before the kill, or it failed as a file the decoder could not read.
    if (err !== null) {
      expect(err).toBeInstanceOf(EngramError);
      expect((err as EngramError).message).toMatch(/not a readable image/);
    }
    const next = await decodeImage(bytes, 32);
    expect(next.width).toBe(32);
  });

  it("an old decoder's exit does not fail decodes sent to its successor", async () => {
    const bytes = png(40, 20, '#ffffff');
    await decodeImage(bytes, 40);
    const old = imageDecoderInternals.pid;
    const held = decodeImage(bytes, 40).catch((e: unknown) => e);
    stopImageDecoder(); // the old process exits while the new one below is working
    const fresh = await decodeImage(bytes, 40);
    expect(fresh.width).toBe(40);
    expect(imageDecoderInternals.pid).not.toBe(old);
    const heldResult = await held;
    if (heldResult instanceof Error) expect(heldResult.message).toMatch(/not a readable image/);
    else expect((heldResult as { width: number }).width).toBe(40);
  });
});
