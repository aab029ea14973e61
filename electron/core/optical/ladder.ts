// The re-compression ladder: large 400 -> base 256 -> small 100 -> tiny 64 -> gist16 -> gist4 -> gist1 tokens.
// A step down needs only the tokens (area-averaging of the token grid, as the pack was trained): fading forgets for real.
import { MODE_TOKENS, type Mode } from '../../contract/models.js';
import type { EncodedPage } from './Encoder.js';

export const LADDER = [
  { name: 'large', count: 400 },
  { name: 'base', count: 256 },
  { name: 'small', count: 100 },
  { name: 'tiny', count: 64 },
  { name: 'gist16', count: 16 },
  { name: 'gist4', count: 4 },
  { name: 'gist1', count: 1 },
] as const;
export type LevelName = (typeof LADDER)[number]['name'];

export function levelCount(level: string): number {
  const l = LADDER.find((x) => x.name === level);
  if (!l) throw new Error(`unknown ladder level "${level}" (known: ${LADDER.map((x) => x.name).join(', ')})`);
  return l.count;
}

/** The level below, or null at the bottom (gist1). */
export function nextLevel(level: string): LevelName | null {
  const i = LADDER.findIndex((x) => x.name === level);
  if (i < 0) throw new Error(`unknown ladder level "${level}"`);
  return i + 1 < LADDER.length ? LADDER[i + 1].name : null;
}

/** The levels below a mode's own, in order (what a memory encoded at `mode` can fade through). */
export function levelsBelow(mode: Mode | LevelName): LevelName[] {
  const i = LADDER.findIndex((x) => x.name === mode);
  return LADDER.slice(i + 1).map((x) => x.name);
}

/** [m x n] row-major weights averaging n cells into m cells by overlap (rows sum to 1). Mirrors model.py. */
export function areaMatrix(n: number, m: number): Float64Array {
  const A = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const ov = Math.min((i + 1) / m, (j + 1) / n) - Math.max(i / m, j / n);
      if (ov > 1e-12) {
        A[i * n + j] = ov;
        sum += ov;
      }
    }
    for (let j = 0; j < n; j++) A[i * n + j] /= sum;
  }
  return A;
}

/** [n x m] weights spreading m coarse cells back over n fine cells: areaMatrix(n, m) transposed, rows normalised. */
export function upMatrix(m: number, n: number): Float64Array {
  const A = areaMatrix(n, m);
  const U = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < m; j++) sum += A[j * n + i];
    for (let j = 0; j < m; j++) U[i * m + j] = A[j * n + i] / sum;
  }
  return U;
}

/** Apply row weights R [outH x inH] and column weights C [outW x inW] to a [inH, inW, dim] grid. */
function apply2d(src: Float32Array, inH: number, inW: number, dim: number, R: Float64Array, outH: number, C: Float64Array, outW: number): Float32Array {
  const out = new Float32Array(outH * outW * dim);
  const acc = new Float64Array(dim);
  for (let i = 0; i < outH; i++)
    for (let j = 0; j < outW; j++) {
      acc.fill(0);
      for (let h = 0; h < inH; h++) {
        const rw = R[i * inH + h];
        if (!rw) continue;
        for (let w = 0; w < inW; w++) {
          const wt = rw * C[j * inW + w];
          if (!wt) continue;
          const o = (h * inW + w) * dim;
          for (let d = 0; d < dim; d++) acc[d] += wt * src[o + d];
        }
      }
      const o = (i * outW + j) * dim;
      for (let d = 0; d < dim; d++) out[o + d] = acc[d];
    }
  return out;
}

/** Area-average a side x side token grid down to newSide x newSide. */
export function poolGrid(tokens: Float32Array, side: number, dim: number, newSide: number): Float32Array {
  const A = areaMatrix(side, newSide);
  return apply2d(tokens, side, side, dim, A, newSide, A, newSide);
}

/** Spread a coarse grid back over the native grid the decoder reads (the inverse placement of poolGrid). */
export function spreadGrid(tokens: Float32Array, side: number, dim: number, nativeSide: number): Float32Array {
  if (side === nativeSide) return tokens;
  const U = upMatrix(side, nativeSide);
  return apply2d(tokens, side, side, dim, U, nativeSide, U, nativeSide);
}

export function sideOf(count: number): number {
  const s = Math.round(Math.sqrt(count));
  if (s * s !== count) throw new Error(`token count ${count} is not a square grid`);
  return s;
}

/** A pack's step down the ladder from the tokens alone, as forgetting and the timeline call it: a span pack's decodes
 *  and re-encodes (asynchronous), a grid pack's is recompress below. */
export type Recompress = (page: EncodedPage, to: LevelName) => Promise<EncodedPage>;

/** Take a page's tokens one step (or to `target`) down the ladder, from its tokens alone. */
export function recompress(page: EncodedPage, target?: LevelName): EncodedPage {
  const to = target ?? nextLevel(page.level);
  if (!to) throw new Error(`level "${page.level}" is the bottom of the ladder: nothing left to fade to`);
  const count = levelCount(to);
  if (count >= page.count) throw new Error(`cannot re-compress ${page.count} tokens (${page.level}) up to ${count} (${to})`);
  const side = sideOf(page.count);
  const tokens = poolGrid(page.tokens, side, page.dim, sideOf(count));
  return { tokens, count, dim: page.dim, level: to };
}

/** The native token count of a mode (what the decoder reads faded tokens back onto). */
export function nativeCount(mode: Mode): number {
  return MODE_TOKENS[mode];
}
