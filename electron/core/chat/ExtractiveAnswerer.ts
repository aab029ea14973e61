// The default answerer: finds the sentence of the decoded memories that best matches the question, then trims it
// to the span that answers it (a number for "how many", a name for "who"...). Real at any size, and it never invents.
import { NOTHING_REMEMBERED, streamWords, type Answerer, type AnswerResult, type ContextMemory } from './Answerer.js';
import { contentTerms, isNumberWord, sentences, stem, STOPWORDS, wordSim } from './text.js';

type AnswerType = 'number' | 'year' | 'time' | 'person' | 'place' | 'colour' | 'other';

const COLOURS = new Set('red orange yellow green blue indigo violet purple pink brown black white grey gray teal cyan magenta gold silver crimson scarlet ochre amber navy maroon beige turquoise'.split(' '));
const MONTHS = new Set('january february march april may june july august september october november december monday tuesday wednesday thursday friday saturday sunday spring summer autumn winter'.split(' '));
const PLACE_PREPS = new Set(['in', 'at', 'on', 'near', 'behind', 'from', 'to', 'aboard', 'inside', 'beside', 'under', 'above', 'outside']);

export function answerType(question: string): AnswerType {
  const q = question.toLowerCase();
  if (/\bwhat (year|decade|century)\b|\bin which year\b/.test(q)) return 'year';
  if (/\bwhat time\b|\bat what hour\b/.test(q)) return 'time';
  if (/\bhow (many|much|old|long|far|tall|high|deep|heavy|often)\b|\bwhat (number|percentage|amount|size|price)\b/.test(q)) return 'number';
  if (/\bwhat (colou?r|shade)\b/.test(q)) return 'colour';
  if (/^\s*(who|whom|whose)\b|\bwhich (person|man|woman|captain|author|scientist)\b/.test(q)) return 'person';
  if (/^\s*where\b|\bwhich (city|town|country|island|place|street)\b/.test(q)) return 'place';
  if (/^\s*when\b/.test(q)) return 'time';
  return 'other';
}

interface Tok {
  raw: string; // as written, punctuation included
  word: string; // lower-cased, trimmed of punctuation
  inQuestion: boolean;
  stop: boolean;
  cap: boolean;
  num: boolean;
  breakAfter: boolean; // a comma, semicolon or colon ends a clause here
}

export class ExtractiveAnswerer implements Answerer {
  readonly name = 'extractive';

  async answer(question: string, context: ContextMemory[], onDelta: (t: string) => void): Promise<AnswerResult> {
    const best = this.bestSentence(question, context);
    if (!best) {
      await streamWords(NOTHING_REMEMBERED, onDelta);
      return { answer: NOTHING_REMEMBERED, usedIds: [] };
    }
    const answer = extractSpan(question, best.sentence) || best.sentence;
    await streamWords(answer, onDelta);
    return { answer, usedIds: [best.id] };
  }

  /** The sentence sharing most of the question's terms, rarer terms weighing more (near spellings count partly);
   *  null when none shares enough. */
  bestSentence(question: string, context: ContextMemory[]): { id: string; sentence: string; score: number } | null {
    const terms = contentTerms(question);
    if (!terms.length) return null;
    const type = answerType(question);
    const all = context.flatMap((c, rank) => sentences(c.text).map((s) => ({ id: c.memory.id, rank, s, ws: s.split(/\s+/).map(clean).filter(Boolean) })));
    const match = all.map(({ ws }) => {
      const stems = ws.map(stem);
      return terms.map((t) => {
        let m = 0;
        for (const w of stems) if ((m = Math.max(m, w === t ? 1 : wordSim(t, w))) === 1) break;
        return m >= 0.7 ? m : 0;
      });
    });
    // IDF over the context's sentences: "Joaquim" says more about where the answer is than "rice".
    const weight = terms.map((_, j) => Math.log(1 + all.length / (1 + match.filter((m) => m[j] > 0).length)));
    const total = weight.reduce((a, b) => a + b, 0);
    let best: { id: string; sentence: string; score: number } | null = null;
    all.forEach(({ id, rank, s, ws }, i) => {
      const got = match[i].filter((m) => m > 0).length;
      const frac = match[i].reduce((a, m, j) => a + m * weight[j], 0) / total;
      if (got < 1 || match[i].reduce((a, m) => a + m, 0) / terms.length < 0.34) return;
      const hasType = sentenceHasType(ws, s, type);
      // A sentence that cannot hold the asked-for kind of answer (no number for "how many") is a weak one.
      const score = frac * (hasType === false ? 0.6 : 1) + (hasType ? 0.1 : 0) - rank * 0.01 - Math.max(0, ws.length - 40) * 0.002;
      if (!best || score > best.score) best = { id, sentence: s, score };
    });
    return best;
  }
}

/** Whether a sentence holds a word of the answer's type; null when the type says nothing (a "what" question). */
function sentenceHasType(ws: string[], raw: string, type: AnswerType): boolean | null {
  if (type === 'other') return null;
  if (type === 'person' || type === 'place') {
    const toks = raw.split(/\s+/);
    return toks.some((t, i) => i > 0 && /^[("']?\p{Lu}/u.test(t) && !STOPWORDS.has(clean(t)) && PLACE_PREPS.has(clean(toks[i - 1])) === (type === 'place'));
  }
  return ws.some((w) => fitsType(w, type));
}

function clean(w: string): string {
  return w.toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '').replace(/(\d),(?=\d{3}\b)/g, '$1').replace(/['’]s$/, '');
}

function fitsType(word: string, type: AnswerType): boolean {
  switch (type) {
    case 'number':
      return isNumberWord(word) || /^\d/.test(word);
    case 'year':
      return /^(1\d|20)\d\d$/.test(word);
    case 'time':
      return isNumberWord(word) || MONTHS.has(word) || /^\d/.test(word) || /^(noon|midnight|dawn|dusk|am|pm|o'clock)$/.test(word);
    case 'colour':
      return COLOURS.has(word);
    default:
      return false;
  }
}

/** The answering span of a sentence: runs of words the question does not already hold, scored by answer type and closeness. */
export function extractSpan(question: string, sentence: string): string {
  const qTerms = new Set(contentTerms(question));
  const qWords = new Set(question.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
  const type = answerType(question);
  const toks: Tok[] = sentence
    .split(/\s+/)
    .filter(Boolean)
    .map((raw, i) => {
      const word = clean(raw);
      const s = stem(word);
      const inQuestion = word !== '' && (qWords.has(word) || qTerms.has(s) || [...qTerms].some((t) => wordSim(t, s) >= 0.75));
      return {
        raw,
        word,
        inQuestion,
        stop: STOPWORDS.has(word) && !isNumberWord(word),
        cap: /^[("']?\p{Lu}/u.test(raw) && (i > 0 || !STOPWORDS.has(word)),
        num: isNumberWord(word) || /^\d/.test(word),
        breakAfter: /[,;:]$/.test(raw) || /[.!?]$/.test(raw),
      };
    });
  if (!toks.length) return '';
  // Maximal runs of words not in the question, broken at clause punctuation.
  const spans: [number, number][] = [];
  let start = -1;
  for (let i = 0; i <= toks.length; i++) {
    const t = toks[i];
    const inside = t && !t.inQuestion && t.word !== '';
    if (inside && start < 0) start = i;
    if ((!inside || t.breakAfter) && start >= 0) {
      spans.push([start, inside ? i + 1 : i]);
      start = -1;
    }
  }
  const matched = toks.map((t, i) => (t.inQuestion && !t.stop ? i : -1)).filter((i) => i >= 0);
  let best: { text: string; score: number } | null = null;
  for (const [a, b] of spans) {
    for (const cand of typed(toks, a, b, type)) {
      const [s, e] = trim(toks, cand[0], cand[1]);
      if (s >= e) continue;
      const len = e - s;
      const dist = matched.length ? Math.min(...matched.map((m) => (m < s ? s - m : m >= e ? m - e + 1 : 0))) : 3;
      const slice = toks.slice(s, e);
      const afterPrep = s > 0 && PLACE_PREPS.has(toks[s - 1].word);
      const typeHit = slice.some((t) => (type === 'person' || type === 'place' ? t.cap && !t.num && (type === 'place' || !afterPrep) : fitsType(t.word, type)));
      const placeHit = type === 'place' && s > 0 && PLACE_PREPS.has(toks[s - 1].word);
      const score = (typeHit ? 2 : 0) + (placeHit ? 1 : 0) + 1 / (1 + dist) + (len <= 6 ? 0.4 : 0) - 0.04 * len + (s > (matched[0] ?? 0) ? 0.2 : 0);
      const text = slice.map((t) => t.raw).join(' ').replace(/[,;:.!?]+$/, '');
      if (!best || score > best.score) best = { text, score };
    }
  }
  return best?.text ?? '';
}

/** Within a run, the sub-runs that fit the answer type (numbers, capitalised names...); the whole run otherwise. */
function typed(toks: Tok[], a: number, b: number, type: AnswerType): [number, number][] {
  const pick = (ok: (t: Tok) => boolean): [number, number][] => {
    const out: [number, number][] = [];
    let s = -1;
    for (let i = a; i <= b; i++) {
      const good = i < b && ok(toks[i]);
      if (good && s < 0) s = i;
      if (!good && s >= 0) {
        out.push([s, i]);
        s = -1;
      }
    }
    return out;
  };
  let sub: [number, number][] = [];
  const numberish = (i: number) => toks[i].num || (toks[i].word === 'and' && i > a && i + 1 < b && toks[i - 1].num && toks[i + 1].num);
  if (type === 'number') sub = pick((t) => numberish(toks.indexOf(t))).map(([s, e]) => [s, e < b && !toks[e].stop && !toks[e - 1].breakAfter ? e + 1 : e]);
  else if (type === 'year') sub = pick((t) => /^(1\d|20)\d\d$/.test(t.word));
  else if (type === 'time') sub = pick((t) => t.num || MONTHS.has(t.word) || t.word === 'of' || t.word === 'past' || t.word === 'to');
  else if (type === 'colour') sub = pick((t) => COLOURS.has(t.word));
  else if (type === 'person' || type === 'place') sub = pick((t) => t.cap && !t.stop);
  return sub.length ? sub : [[a, b]];
}

function trim(toks: Tok[], s: number, e: number): [number, number] {
  while (s < e && (toks[s].stop || toks[s].word === '') && !toks[s].num) s++;
  while (e > s && (toks[e - 1].stop || toks[e - 1].word === '') && !toks[e - 1].num) e--;
  return [s, e];
}
