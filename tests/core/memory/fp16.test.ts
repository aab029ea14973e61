import { describe, expect, it } from 'vitest';
import { decodeFp16, encodeFp16, fromHalf, toHalf } from '../../../electron/core/memory/fp16.js';

describe('fp16', () => {
  it('round-trips exactly representable values', () => {
    for (const v of [0, 1, -1, 0.5, 2, 1024, 65504, -65504, 2 ** -14, 2 ** -24]) expect(fromHalf(toHalf(v))).toBe(v);
  });

  it('keeps relative error under 2^-11 for normal values', () => {
    const values = new Float32Array(2000).map((_, i) => Math.sin(i * 0.37) * 10 ** ((i % 7) - 3));
    const back = decodeFp16(encodeFp16(values));
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (Math.abs(v) < 2 ** -14) expect(Math.abs(back[i] - v)).toBeLessThanOrEqual(2 ** -24);
      else expect(Math.abs(back[i] - v) / Math.abs(v)).toBeLessThanOrEqual(2 ** -11);
    }
  });

  it('saturates to infinity and keeps NaN', () => {
    expect(fromHalf(toHalf(1e6))).toBe(Infinity);
    expect(fromHalf(toHalf(-1e6))).toBe(-Infinity);
    expect(Number.isNaN(fromHalf(toHalf(NaN)))).toBe(true);
  });

  it('stores two bytes a value', () => {
    expect(encodeFp16(new Float32Array(100)).byteLength).toBe(200);
  });
});
