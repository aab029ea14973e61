// Pixels in and out of @napi-rs/canvas: reused page canvases, letterboxing into the square, thumbnails.
// Every family ends here, so the PageImage format (RGBA, white padding) is decided in one place.
import { createCanvas, type Canvas, type Image, type SKRSContext2D } from '@napi-rs/canvas';
import { EngramError } from '../../../contract/errors.js';
import type { PageImage } from '../types.js';

export const PAPER = '#ffffff';

const pool = new Map<number, Canvas>();

/** A square canvas of `size`, shared per size. Safe because callers draw and read it back without awaiting in between. */
export function sharedSquareCanvas(size: number): Canvas {
  let canvas = pool.get(size);
  if (!canvas) {
    canvas = createCanvas(size, size);
    pool.set(size, canvas);
  }
  return canvas;
}

/** Resets a context to an identity transform over a blank white page. */
export function clearToPaper(ctx: SKRSContext2D, width: number, height: number): void {
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.globalAlpha = 1;
  ctx.fillStyle = PAPER;
  ctx.fillRect(0, 0, width, height);
}

export function canvasToImage(canvas: Canvas): PageImage {
  const { width, height } = canvas;
  const data = canvas.getContext('2d').getImageData(0, 0, width, height).data;
  return { width, height, data };
}

/** Where a w x h picture lands inside a square of `size`: scaled to fit, centred, aspect kept. */
export function fitRect(w: number, h: number, size: number): { x: number; y: number; w: number; h: number } {
  const scale = size / Math.max(w, h);
  const fw = Math.max(1, Math.round(w * scale));
  const fh = Math.max(1, Math.round(h * scale));
  return { x: Math.floor((size - fw) / 2), y: Math.floor((size - fh) / 2), w: fw, h: fh };
}

/** Draws an image or canvas letterboxed onto a white square page and returns its pixels. */
export function fitIntoSquare(source: Image | Canvas, size: number): PageImage {
  const canvas = sharedSquareCanvas(size);
  const ctx = canvas.getContext('2d');
  clearToPaper(ctx, size, size);
  const r = fitRect(source.width, source.height, size);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(source, r.x, r.y, r.w, r.h);
  return canvasToImage(canvas);
}

/** A small PNG of a page, longest side `maxSide`, for lists and the timeline. */
export function makeThumbnail(image: PageImage, maxSide = 192): Buffer {
  if (image.width <= 0 || image.height <= 0 || image.data.length !== image.width * image.height * 4) {
    throw new EngramError('bad_input', `not a page image: ${image.width}x${image.height} with ${image.data.length} bytes`);
  }
  if (!Number.isFinite(maxSide) || maxSide < 1) throw new EngramError('bad_input', `thumbnail size must be at least 1, got ${maxSide}`);
  const full = createCanvas(image.width, image.height);
  const fullCtx = full.getContext('2d');
  const pixels = fullCtx.createImageData(image.width, image.height);
  pixels.data.set(image.data);
  fullCtx.putImageData(pixels, 0, 0);

  const scale = Math.min(1, maxSide / Math.max(image.width, image.height));
  const w = Math.max(1, Math.round(image.width * scale));
  const h = Math.max(1, Math.round(image.height * scale));
  const thumb = createCanvas(w, h);
  const ctx = thumb.getContext('2d');
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(full, 0, 0, w, h);
  return thumb.encodeSync('png');
}
