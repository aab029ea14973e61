// Pictures as one page: PNG, JPEG, WEBP and a GIF's first frame, letterboxed onto the white square.
// Decoding happens out of process (imageDecoder.ts); screenshots take the same path, stamped with their own kind.
import { createCanvas } from '@napi-rs/canvas';
import { MODE_SIZE } from '../../../contract/models.js';
import type { RenderedPage, RenderOptions } from '../types.js';
import { fitIntoSquare } from './canvas.js';
import { decodeImage } from './imageDecoder.js';

export async function* renderImage(bytes: Uint8Array, opts: RenderOptions, kind: 'image' | 'screenshot' = 'image'): AsyncGenerator<RenderedPage> {
  opts.signal?.throwIfAborted();
  const size = MODE_SIZE[opts.mode];
  const decoded = await decodeImage(bytes, size);
  opts.signal?.throwIfAborted();
  const canvas = createCanvas(decoded.width, decoded.height);
  const ctx = canvas.getContext('2d');
  const pixels = ctx.createImageData(decoded.width, decoded.height);
  pixels.data.set(decoded.data);
  ctx.putImageData(pixels, 0, 0);
  yield { kind, page: 1, pages: 1, image: fitIntoSquare(canvas, size), textLayer: null };
}
