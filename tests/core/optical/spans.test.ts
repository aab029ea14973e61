import { describe, expect, it } from 'vitest';
import { readingOrder, regions } from '../../../electron/core/optical/ocrFront.js';
import { cutSpans, spanIds, spansFromIds, spanText } from '../../../electron/core/optical/spans.js';

const CHARS = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');

describe('the span rule', () => {
  it('normalises text the way the compressor was trained: ASCII, one space between words', () => {
    expect(spanText('  Ｆｕｌｌ\u3000width：“quoted” — dash…\n\tnext  line ü', CHARS)).toBe('Full width:"quoted" - dash... next line');
  });

  it('cuts a page into exactly N equal spans, empty past the end', () => {
    expect(cutSpans('abcdefghij', 4, 128)).toEqual(['abc', 'def', 'ghi', 'j']);
    expect(cutSpans('abc', 5, 128)).toEqual(['a', 'b', 'c', '', '']);
    expect(cutSpans('', 2, 128)).toEqual(['', '']);
    // A page too long for the level loses its tail: that is what a faded memory forgets.
    expect(cutSpans('x'.repeat(1000), 2, 128).map((s) => s.length)).toEqual([128, 128]);
    // A short page fills fewer, longer spans (at least minChars each) and leaves the rest empty.
    expect(cutSpans('abcdefghij', 8, 128, 4)).toEqual(['abcd', 'efgh', 'ij', '', '', '', '', '']);
  });

  it('round-trips spans through ids', () => {
    const spans = ['Hello, world', '', 'tail ~'];
    const ids = spanIds(spans, CHARS, 16);
    expect(ids.length).toBe(48);
    expect(ids[0]).toBe(CHARS.indexOf('H') + 1);
    expect(ids[16]).toBe(0);
    expect(spansFromIds(ids, 3, 16, CHARS)).toBe('Hello, worldtail ~');
  });
});

describe('the front\'s post-processing', () => {
  it('finds text regions in a probability map and grows them by the unclip distance', () => {
    const w = 40, h = 20;
    const prob = new Float32Array(w * h);
    for (let y = 4; y < 8; y++) for (let x = 2; x < 30; x++) prob[y * w + x] = 0.9; // a line
    for (let y = 12; y < 16; y++) for (let x = 5; x < 15; x++) prob[y * w + x] = 0.4; // too faint on average
    prob[18 * w + 38] = 0.95; // a speck
    const boxes = regions(prob, w, h, 0.3, 0.6, 1.5);
    expect(boxes).toHaveLength(1);
    const d = (28 * 4 * 1.5) / (2 * (28 + 4));
    expect(boxes[0]).toEqual({ x0: 2 - d, y0: 4 - d, x1: 30 + d, y1: 8 + d });
  });

  it('reads regions line by line, left to right', () => {
    const b = (x0: number, y0: number, x1: number, y1: number) => ({ x0, y0, x1, y1 });
    const rows = readingOrder([b(60, 41, 90, 51), b(0, 0, 50, 10), b(0, 40, 50, 50), b(55, 1, 100, 11)]);
    expect(rows.map((r) => r.map((x) => x.x0))).toEqual([[0, 55], [0, 60]]);
  });
});
