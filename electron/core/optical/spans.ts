// The span rule of span packs: a page's text becomes N equal spans, one per token of its level. Mirrored by the
// recipe (native-models/recipes/engram-optical/compressor.py), which trains on spans cut the same way.

/** Text as a span pack holds it: NFKC (full-width forms to ASCII), typographic quotes and dashes to ASCII,
 *  characters outside `chars` dropped, whitespace runs collapsed to one space. */
export function spanText(text: string, chars: string): string {
  const known = new Set(chars);
  const s = text
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u201a\u2032]/g, "'")
    .replace(/[\u201c\u201d\u201e\u2033]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\u2026/g, '...')
    .replace(/[\u00b7\u2022]/g, '*');
  let out = '';
  for (const ch of s) {
    if (/\s/.test(ch)) out += ' ';
    else if (known.has(ch)) out += ch;
  }
  return out.replace(/ +/g, ' ').trim();
}

/** Cut `text` into exactly `count` spans of ceil(length / count) characters: at least `minChars` (a short page uses
 *  fewer, longer spans, which the compressor reads better than one or two characters a token) and at most `maxChars`
 *  (the rest of a page too long for the level is lost, which is what fading is). Spans past the end are empty. */
export function cutSpans(text: string, count: number, maxChars: number, minChars = 1): string[] {
  const per = Math.min(maxChars, Math.max(minChars, 1, Math.ceil(text.length / count)));
  return Array.from({ length: count }, (_, i) => text.slice(i * per, (i + 1) * per));
}

/** Character ids of spans, row-major [spans.length, maxChars], padded with 0; id i is chars[i - 1]. */
export function spanIds(spans: string[], chars: string, maxChars: number): Float32Array {
  const index = new Map([...chars].map((c, i) => [c, i + 1]));
  const unknown = index.get('?') ?? 1;
  const ids = new Float32Array(spans.length * maxChars);
  spans.forEach((span, i) => {
    let j = 0;
    for (const ch of span) {
      if (j >= maxChars) break;
      ids[i * maxChars + j++] = index.get(ch) ?? unknown;
    }
  });
  return ids;
}

/** The text of decoded ids [count, maxChars]: each token's characters (padding skipped), spans concatenated. */
export function spansFromIds(ids: ArrayLike<number | bigint>, count: number, maxChars: number, chars: string): string {
  let out = '';
  for (let i = 0; i < count; i++)
    for (let j = 0; j < maxChars; j++) {
      const c = Number(ids[i * maxChars + j]);
      if (c > 0) out += chars[c - 1] ?? '';
    }
  return out.replace(/ +/g, ' ').trim();
}
