import { describe, expect, it } from 'vitest';
import type { EncodedPage } from '../../../electron/core/optical/Encoder.js';
import { areaMatrix, LADDER, levelsBelow, nextLevel, poolGrid, recompress, spreadGrid, upMatrix } from '../../../electron/core/optical/ladder.js';

describe('ladder', () => {
  it('walks large -> base -> small -> tiny -> gist16 -> gist4 -> gist1', () => {
    const names: string[] = ['large'];
    for (let l = nextLevel('large'); l; l = nextLevel(l)) names.push(l);
    expect(names).toEqual(LADDER.map((x) => x.name));
    expect(levelsBelow('small')).toEqual(['tiny', 'gist16', 'gist4', 'gist1']);
  });

  it('area weights average (rows sum to 1) and spread back', () => {
    for (const [n, m] of [[20, 16], [16, 10], [10, 8], [8, 4], [4, 1]]) {
      const A = areaMatrix(n, m);
      for (let i = 0; i < m; i++) expect(A.slice(i * n, (i + 1) * n).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      const U = upMatrix(m, n);
      for (let i = 0; i < n; i++) expect(U.slice(i * m, (i + 1) * m).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    }
    const flat = new Float32Array(8 * 8 * 3).fill(0.5);
    expect([...poolGrid(flat, 8, 3, 4)].every((v) => Math.abs(v - 0.5) < 1e-6)).toBe(true);
    expect(spreadGrid(poolGrid(flat, 8, 3, 2), 2, 3, 8).length).toBe(8 * 8 * 3);
  });

  it('re-compresses from the tokens alone, and refuses to go up or past the bottom', () => {
    let p: EncodedPage = { tokens: new Float32Array(400 * 2).map((_, i) => i % 7), count: 400, dim: 2, level: 'large' };
    const counts = [];
    while (p.level !== 'gist1') {
      p = recompress(p);
      counts.push(p.count);
    }
    expect(counts).toEqual([256, 100, 64, 16, 4, 1]);
    expect(() => recompress(p)).toThrow(/bottom of the ladder/);
    expect(() => recompress({ ...p, count: 64, level: 'tiny', tokens: new Float32Array(128) }, 'base')).toThrow(/cannot re-compress/);
  });
});
