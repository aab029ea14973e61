import { createCanvas, loadImage } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { compareFrames, decodeFrame, redact, toPng } from '../../../electron/core/capture/frame.js';

/** RGBA words (red in the low byte) of a small test picture: a gradient with a dark square in it. */
function picture(width: number, height: number): Uint32Array {
  const px = new Uint32Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const dark = x >= 2 && x < 5 && y >= 1 && y < 4;
      const [r, g, b] = dark ? [10, 20, 30] : [(x * 37) & 255, (y * 53) & 255, ((x + y) * 11) & 255];
      px[y * width + x] = (0xff000000 | (b << 16) | (g << 8) | r) >>> 0;
    }
  return px;
}

/** The picture as a BMP the way ImageMagick writes one: 24-bit rows padded to 4 bytes, bottom-up unless `topDown`. */
function bmp(px: Uint32Array, width: number, height: number, opts: { bits?: 24 | 32; topDown?: boolean } = {}): Uint8Array {
  const bits = opts.bits ?? 24;
  const bpp = bits / 8;
  const stride = Math.ceil((width * bpp) / 4) * 4;
  const header = bits === 32 ? 138 : 54;
  const out = Buffer.alloc(header + stride * height);
  out.write('BM', 0, 'latin1');
  out.writeUInt32LE(out.length, 2);
  out.writeUInt32LE(header, 10);
  out.writeUInt32LE(header - 14, 14);
  out.writeInt32LE(width, 18);
  out.writeInt32LE(opts.topDown ? -height : height, 22);
  out.writeUInt16LE(1, 26);
  out.writeUInt16LE(bits, 28);
  out.writeUInt32LE(bits === 32 ? 3 : 0, 30);
  if (bits === 32) {
    out.writeUInt32LE(0xff0000, 54);
    out.writeUInt32LE(0xff00, 58);
    out.writeUInt32LE(0xff, 62);
  }
  for (let y = 0; y < height; y++) {
    const row = header + (opts.topDown ? y : height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      const v = px[y * width + x];
      out[row + x * bpp] = (v >>> 16) & 255;
      out[row + x * bpp + 1] = (v >>> 8) & 255;
      out[row + x * bpp + 2] = v & 255;
    }
  }
  return new Uint8Array(out);
}

async function skiaPixels(png: Uint8Array): Promise<Uint32Array> {
  const img = await loadImage(Buffer.from(png));
  const ctx = createCanvas(img.width, img.height).getContext('2d');
  ctx.drawImage(img, 0, 0);
  const data = ctx.getImageData(0, 0, img.width, img.height).data;
  return new Uint32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
}

describe('frames from BMP', () => {
  // 7 wide: 21 bytes a row, padded to 24; 9 high: two cells and a ragged third down, two and a ragged one across.
  const width = 7;
  const height = 9;
  const px = picture(width, height);

  it('reads 24-bit bottom-up, top-down and 32-bit rows to the same pixels', async () => {
    for (const opts of [{}, { topDown: true }, { bits: 32 as const }]) {
      const f = await decodeFrame(bmp(px, width, height, opts));
      expect([f.width, f.height], JSON.stringify(opts)).toEqual([width, height]);
      expect([...f.px], JSON.stringify(opts)).toEqual([...px]);
    }
  });

  it('grids a BMP as it grids the same picture as PNG', async () => {
    const fromBmp = await decodeFrame(bmp(px, width, height));
    const fromPng = await decodeFrame(await toPng(fromBmp));
    expect([fromBmp.gw, fromBmp.gh]).toEqual([2, 3]);
    expect([...fromBmp.grid]).toEqual([...fromPng.grid]);
    expect([...fromPng.px]).toEqual([...px]);
    expect(compareFrames(fromBmp, fromPng)).toMatchObject({ fraction: 0, box: null });
  });

  it('paints redacted boxes black, with a margin, and leaves the rest as it was', async () => {
    const f = await decodeFrame(bmp(px, width, height));
    const out = await skiaPixels(await redact(f, [{ x: 5, y: 5, width: 1, height: 1 }]));
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const inBox = x >= 2 && y >= 2; // 5 - 3 margin, to the edges
        expect(out[y * width + x], `${x},${y}`).toBe(inBox ? 0xff000000 : px[y * width + x]);
      }
  });
});
