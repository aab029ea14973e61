// Word-level text tools shared by retrieval and the extractive answerer: terms, a light stemmer, sentences and
// hashed character n-gram vectors. Decoded text has OCR slips, so matching is forgiving by design.

/** Words that carry no topic, including how people phrase a question to a memory ("what did I read about"). */
export const STOPWORDS = new Set(
  `a an the and or but if of to in on at by for with from into onto over under about as is are was were be been being
   am do does did done have has had having i me my we our you your he she it its they them their this that these those
   there here what which who whom whose when where why how much many any some all each every no not nor so than too very
   can could would should will shall may might must just also then once again ever same other such only own more most
   read remember remembered know tell say said says mention mentioned saw see seen page document note notes
   anything something thing things one ones`
    .split(/\s+/)
    .filter(Boolean),
);

const NUMBER_WORDS = new Set(
  `zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen
   eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million billion half quarter
   first second third fourth fifth sixth seventh eighth ninth tenth dozen`.split(/\s+/).filter(Boolean),
);

/** Lower-case words; "1,204" stays one number; hyphenated words split. */
export function words(text: string): string[] {
  return (
    text
      .toLowerCase()
      .replace(/(\d),(?=\d{3}\b)/g, '$1')
      .match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu) ?? []
  ).map((w) => w.replace(/['’]s$/, ''));
}

/** A light suffix stripper: enough to match "painted" with "paints" and "barrels" with "barrel". */
export function stem(w: string): string {
  const s = stripSuffix(w);
  // "leave" and "leaves" meet at "leav": a final e is dropped after any suffix is.
  return s.length > 3 && s.endsWith('e') && !/^\d/.test(s) ? s.slice(0, -1) : s;
}

function stripSuffix(w: string): string {
  if (w.length <= 3 || /^\d/.test(w)) return w;
  for (const [suf, min] of [['ingly', 6], ['edly', 6], ['ing', 5], ['ies', 5], ['ied', 5], ['es', 5], ['ed', 5], ['ly', 5], ['s', 4]] as const) {
    if (w.endsWith(suf) && w.length >= min + suf.length - 2) {
      const base = w.slice(0, -suf.length);
      if (suf === 'ies' || suf === 'ied') return base + 'y';
      if (suf === 's' && base.endsWith('s')) return w; // "glass"
      return base;
    }
  }
  return w;
}

/** The question's topic terms, stemmed and de-duplicated. */
export function contentTerms(text: string): string[] {
  return [...new Set(words(text).filter((w) => !STOPWORDS.has(w) && (w.length > 1 || /\d/.test(w))).map(stem))];
}

export function isNumberWord(w: string): boolean {
  const l = w.toLowerCase().replace(/,/g, '');
  if (/^\d+(?:\.\d+)?(?:st|nd|rd|th|s)?$/.test(l) || NUMBER_WORDS.has(l) || l.split('-').every((p) => NUMBER_WORDS.has(p))) return true;
  // A number word with an OCR slip ("sevnteen") is still a number.
  return l.length >= 5 && [...NUMBER_WORDS].some((n) => n.length >= 5 && wordSim(n, l) >= 0.8);
}

/** Sentences of decoded text: line slots are joined first, since a sentence runs across lines. */
export function sentences(text: string): string[] {
  // A short line without closing punctuation, followed by a capital, is a heading: it ends its own sentence.
  const lines = text.split('\n');
  const marked = lines.map((l, i) => {
    const t = l.trim();
    const next = lines[i + 1]?.trim() ?? '';
    return t && !/[.!?,;:]$/.test(t) && t.split(/\s+/).length <= 6 && /^\p{Lu}/u.test(next) ? `${t}\n` : l;
  });
  const flat = marked
    .join('\n')
    .split(/\n{2,}/)
    .map((p) => p.replace(/\s*\n\s*/g, ' ').trim())
    .filter(Boolean);
  const out: string[] = [];
  for (const p of flat) for (const s of p.split(/(?<=[.!?])\s+(?=[\p{Lu}\p{N}"'(])/u)) if (s.trim()) out.push(s.trim());
  return out;
}

/** Similarity of two words in [0, 1]: 1 - edit distance / length, for words of 4+ letters (an OCR slip is an edit). */
export function wordSim(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length < 4 || b.length < 4 || Math.abs(a.length - b.length) > 3) return 0;
  return 1 - levenshtein(a, b) / Math.max(a.length, b.length);
}

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

export const VECTOR_DIM = 512;

/** Hashed character 3-grams within words (log-scaled counts, L2-normalised): a vector that survives OCR slips. */
export function ngramVector(text: string, dim = VECTOR_DIM): Float32Array {
  const v = new Float32Array(dim);
  for (const w of words(text)) {
    if (STOPWORDS.has(w)) continue;
    const s = ` ${w} `;
    for (let i = 0; i + 3 <= s.length; i++) v[fnv1a(s.slice(i, i + 3)) % dim] += 1;
  }
  let norm = 0;
  for (let i = 0; i < dim; i++) {
    v[i] = Math.log1p(v[i]);
    norm += v[i] * v[i];
  }
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < dim; i++) v[i] /= norm;
  return v;
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
