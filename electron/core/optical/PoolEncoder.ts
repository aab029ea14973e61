// A model-free encoder: each vision token is the mean grey level of a grid cell of the page, per channel band.
// It keeps the pipeline honest and fast where no model pack is loaded (unit tests); it cannot be decoded to text.
import { MODE_TOKENS, type Mode } from '../../contract/models.js';
import type { PageImage } from '../ingest/types.js';
import type { EncodedPage, Encoder } from './Encoder.js';

/** Token dimension: the 4x4 sub-cells of each grid cell, as mean luminance in [0, 1]. */
const SUB = 4;

export class PoolEncoder implements Encoder {
  readonly name = 'pool';
  readonly provider = 'cpu';
  readonly note = 'model-free pooling encoder (no model pack loaded): tokens cannot be decoded to text';

  async encode(pages: PageImage[], mode: Mode): Promise<EncodedPage[]> {
    const count = MODE_TOKENS[mode];
    return pages.map((p) => ({ ...poolPage(p, count), level: mode }));
  }

  async close(): Promise<void> {}
}

function poolPage(img: PageImage, count: number): Omit<EncodedPage, 'level'> {
  const side = Math.round(Math.sqrt(count)); // 64 -> 8x8, 100 -> 10x10, 256 -> 16x16, 400 -> 20x20
  const cells = side * SUB;
  const sums = new Float64Array(cells * cells);
  const ns = new Uint32Array(cells * cells);
  for (let y = 0; y < img.height; y++) {
    const cy = Math.min(cells - 1, Math.floor((y * cells) / img.height));
    for (let x = 0; x < img.width; x++) {
      const cx = Math.min(cells - 1, Math.floor((x * cells) / img.width));
      const o = (y * img.width + x) * 4;
      sums[cy * cells + cx] += (0.299 * img.data[o] + 0.587 * img.data[o + 1] + 0.114 * img.data[o + 2]) / 255;
      ns[cy * cells + cx]++;
    }
  }
  const dim = SUB * SUB;
  const tokens = new Float32Array(side * side * dim);
  for (let ty = 0; ty < side; ty++)
    for (let tx = 0; tx < side; tx++)
      for (let sy = 0; sy < SUB; sy++)
        for (let sx = 0; sx < SUB; sx++) {
          const c = (ty * SUB + sy) * cells + tx * SUB + sx;
          tokens[(ty * side + tx) * dim + sy * SUB + sx] = ns[c] ? sums[c] / ns[c] : 1;
        }
  return { tokens, count: side * side, dim };
}
