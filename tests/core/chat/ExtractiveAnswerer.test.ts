// The default answerer's span extraction and the text tools under it: pure functions, no bank.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answerType, extractSpan } from '../../../electron/core/chat/ExtractiveAnswerer.js';
import { contentTerms, sentences, stem } from '../../../electron/core/chat/text.js';

describe('span extraction', () => {
  it('trims a sentence to the kind of answer asked for', () => {
    expect(extractSpan('How many barrels did Ibsen count?', 'Quartermaster Ibsen counted exactly 1,204 barrels of salted herring aboard the Nordlys.')).toBe('1,204');
    expect(extractSpan('Who towed the van?', 'A farmer named Veikko towed it to the garage near Lohja.')).toBe('Veikko');
    expect(extractSpan('What year was the lighthouse automated?', 'The lighthouse at Sgeir Point was automated in 1987.')).toBe('1987');
    expect(extractSpan('What colour is the door?', 'Halfway along stands a bothy with a green door.')).toBe('green');
    expect(extractSpan('How many specimens were counted?', 'The final count came to two hundred and forty specimens.')).toBe('two hundred and forty');
  });

  it('reads the question\'s type from its words', () => {
    expect(answerType('When does the archive open?')).toBe('time');
    expect(answerType('Where is the office?')).toBe('place');
    expect(answerType('What does the bakery sell?')).toBe('other');
  });

  it('only ever returns words of the sentence: it extracts, it never invents', () => {
    const word = fc.stringMatching(/^[A-Za-z0-9,]{1,8}$/);
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 20 }), fc.array(word, { minLength: 1, maxLength: 8 }), (s, q) => {
        const sentence = s.join(' ');
        const span = extractSpan(`${q.join(' ')}?`, sentence);
        return span === '' || sentence.includes(span);
      }),
      { numRuns: 300 },
    );
  });
});

describe('text tools', () => {
  it('stems so inflections meet, and keeps topic words only', () => {
    expect(stem('leaves')).toBe(stem('leave'));
    expect(stem('painted')).toBe(stem('paints'));
    expect(contentTerms('What did I read about the Lisbon archive?')).toEqual(['lisbon', 'archiv']);
  });

  it('splits decoded lines into sentences across line breaks', () => {
    expect(sentences('The ferry leaves\nfrom pier four. Captain Oyelaran\nruns it.')).toEqual(['The ferry leaves from pier four.', 'Captain Oyelaran runs it.']);
    expect(sentences('Getting there\nThe ferry leaves from pier four.')).toEqual(['Getting there', 'The ferry leaves from pier four.']);
  });
});
