// A 64-bit perceptual hash of a page (average hash over an 8x8 grey grid): near-identical pages, such as two
// screenshots of one window or two versions of a file, differ in a few bits. Forgetting merges on it.
import type { PageImage } from '../ingest/types.js';

export function averageHash(img: PageImage): string {
  const cells = new Float64Array(64);
  const counts = new Uint32Array(64);
  // Sampling every other pixel is plenty for an 8x8 summary and halves the cost on large pages.
  for (let y = 0; y < img.height; y += 2) {
    const cy = Math.min(7, Math.floor((y * 8) / img.height));
    for (let x = 0; x < img.width; x += 2) {
      const cx = Math.min(7, Math.floor((x * 8) / img.width));
      const o = (y * img.width + x) * 4;
      cells[cy * 8 + cx] += 0.299 * img.data[o] + 0.587 * img.data[o + 1] + 0.114 * img.data[o + 2];
      counts[cy * 8 + cx]++;
    }
  }
  for (let i = 0; i < 64; i++) cells[i] /= counts[i] || 1;
  const mean = cells.reduce((a, b) => a + b, 0) / 64;
  let hex = '';
  for (let n = 0; n < 16; n++) {
    let nibble = 0;
    for (let b = 0; b < 4; b++) nibble = (nibble << 1) | (cells[n * 4 + b] > mean ? 1 : 0);
    hex += nibble.toString(16);
  }
  return hex;
}

export function hammingHex(a: string, b: string): number {
  let d = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    let x = parseInt(a[i], 16) ^ parseInt(b[i], 16);
    while (x) {
      d += x & 1;
      x >>= 1;
    }
  }
  return d + 4 * Math.abs(a.length - b.length);
}
