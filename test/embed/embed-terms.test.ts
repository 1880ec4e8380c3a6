import { describe, expect, it } from 'vitest';
import { extractEmbedTerms } from '../../ingest/embed/embed-terms.ts';

const VOCABULARY = ['the', 'all-time', 'all', 'time', 'small', 'cap', 'fed', 'do', 'not', 'united', 'states', 'percent', 'rally', 'mergers', 'acquisitions'];
const ranks = new Map(VOCABULARY.map((word, rank) => [word, rank]));
const lookup = (term: string) => ranks.get(term);
const summary = (text: string) => extractEmbedTerms(text, lookup).map((term) => `${term.term}/${term.kind}/${term.rank ?? '-'}/${term.share}`);

describe('extractEmbedTerms', () => {
  it('gives the same terms with a token memo, on first and repeated tokens', () => {
    const memo = new Map();
    const texts = ["All-time small-cap rally, don’t the Fed's U.S. M&A 5% 2,698.17", '半导体 all-time Fed', "the fed's the fed's"];
    for (const text of [...texts, ...texts]) expect(extractEmbedTerms(text, lookup, memo)).toEqual(extractEmbedTerms(text, lookup));
    expect(memo.has('all-time')).toBe(true);
  });

  it('looks a hyphenated word up whole and by its parts, or by its parts alone when the whole is unknown', () => {
    expect(summary('All-time')).toEqual(['all-time/word/1/1', 'all/word/2/0.5', 'time/word/3/0.5']);
    expect(summary('small-cap')).toEqual(['small/word/4/1', 'cap/word/5/1']);
  });

  it('strips possessives, expands "n\'t" and curly apostrophes', () => {
    expect(summary("The Fed's rally")).toEqual(['the/word/0/1', 'fed/word/6/1', 'rally/word/12/1']);
    expect(summary('don’t')).toEqual(['do/word/7/1', 'not/word/8/1']);
  });

  it('expands dotted and ampersand abbreviations and the percent sign', () => {
    expect(summary('U.S. M&A 5%')).toEqual([
      'united/word/9/1',
      'states/word/10/1',
      'mergers/word/13/1',
      'acquisitions/word/14/1',
      '5/number/-/1',
      'percent/word/11/1',
    ]);
  });

  it('keeps numbers (without thousands separators) and unknown words as out-of-vocabulary terms', () => {
    expect(summary('IWM 2,698.17 S&P')).toEqual(['iwm/word/-/1', '2698.17/number/-/1', 's&p/word/-/1']);
  });

  it('turns CJK text into characters (half weight) and overlapping bigrams', () => {
    expect(summary('降息了')).toEqual(['降/cjk/-/0.5', '降息/cjk/-/1', '息/cjk/-/0.5', '息了/cjk/-/1', '了/cjk/-/0.5']);
  });

  it('returns nothing for text without words', () => {
    expect(extractEmbedTerms('', lookup)).toEqual([]);
    expect(extractEmbedTerms(' -- !! ... ', lookup)).toEqual([]);
  });
});
