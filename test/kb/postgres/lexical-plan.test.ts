import { describe, expect, it } from 'vitest';
import { LexicalIndex } from '../../../kb/lexical-index.ts';
import { computePassageTerms, sumLexiconDeltas } from '../../../kb/postgres/passage-terms.ts';
import { mergeQueryTerms, planLexicalTerms, type LexiconEntry } from '../../../kb/postgres/lexical-plan.ts';
import { tokenize } from '../../../kb/tokenize.ts';

const passages = [
  { text: 'Freight rates climbed as port congestion lingered.', section: 'Shipping', title: 'Keel weekly' },
  { text: 'Freight demand and freight pricing stay firm.', section: '', title: 'Keel weekly' },
  { text: 'Revenue rose 31 percent on accelerator boards.', section: 'Results', title: 'Arbor quarter' },
];

function lexiconOf(items: typeof passages): Map<string, LexiconEntry> {
  const deltas = sumLexiconDeltas(
    items.map((item) => computePassageTerms(item.text, item.section, item.title)),
    1,
  );
  return new Map(deltas.map((delta) => [delta.term, { passages: delta.passages, postings: delta.postings }]));
}

describe('computePassageTerms', () => {
  it('weighs text 1, section and title less, text terms first, length from the text alone', () => {
    const terms = computePassageTerms('Freight freight rates', 'Rates', 'Keel');
    expect(terms).toEqual({ terms: ['freight', 'rates', 'keel'], weights: [2, 1.6, 0.4], textTerms: 2, length: 3 });
    expect(computePassageTerms('', '', '').length).toBe(1);
  });
});

describe('sumLexiconDeltas', () => {
  it('counts document frequency from text only and postings from every field, sorted by term', () => {
    const lexicon = lexiconOf(passages);
    expect(lexicon.get('freight')).toEqual({ passages: 2, postings: 2 });
    expect(lexicon.get('keel')).toEqual({ passages: 0, postings: 2 });
    const removal = sumLexiconDeltas([computePassageTerms('beta alpha', '', 'gamma')], -1);
    expect(removal).toEqual([
      { term: 'alpha', passages: -1, postings: -1 },
      { term: 'beta', passages: -1, postings: -1 },
      { term: 'gamma', passages: 0, postings: -1 },
    ]);
  });
});

describe('planLexicalTerms', () => {
  it('searches the same terms, in the same order, as the embedded lexical index', () => {
    const index = LexicalIndex.create();
    for (const [label, passage] of passages.entries()) index.add({ label, ...passage });
    const query = [...tokenize('keel freight congestion zeppelin').map((term) => ({ term, weight: 1 })), { term: 'freight', weight: 0.5 }];
    const planned = planLexicalTerms(mergeQueryTerms(query), lexiconOf(passages), passages.length);
    expect(planned.map((term) => term.term)).toEqual(index.search(query, 5).terms);
    expect(planned.find((term) => term.term === 'congestion')!.value).toBeCloseTo(index.idf('congestion'), 10);
    expect(planned.every((term) => !term.common)).toBe(true);
  });

  it('lets common terms choose no candidates in a large store, unless every term is common', () => {
    const lexicon = new Map<string, LexiconEntry>([
      ['rare', { passages: 10, postings: 10 }],
      ['common', { passages: 4_000, postings: 4_000 }],
    ]);
    const both = planLexicalTerms(
      new Map([
        ['rare', 1],
        ['common', 1],
      ]),
      lexicon,
      10_000,
    );
    expect(both.map(({ term, common }) => [term, common])).toEqual([
      ['rare', false],
      ['common', true],
    ]);
    expect(planLexicalTerms(new Map([['common', 1]]), lexicon, 10_000)[0]!.common).toBe(false);
    expect(
      planLexicalTerms(
        new Map([
          ['rare', 1],
          ['common', 1],
        ]),
        lexicon,
        1_000,
      ).every((term) => !term.common),
    ).toBe(true);
  });
});
