import { describe, expect, it } from 'vitest';
import { computeContentHash, foldWhitespace } from '../../kb/content-hash.ts';
import type { ParsedArticle } from '../../kb/types.ts';

const article = (fields: Pick<ParsedArticle, 'title' | 'text'> & { published?: string }): ParsedArticle => ({
  ...fields,
  sections: [],
  tags: [],
  tickers: [],
  references: [],
});

describe('content hash', () => {
  it('folds whitespace as replacing every run with one space did (random mixes of spaces, tabs, line and paragraph separators)', () => {
    const pieces = ['a', 'b', '.', ' ', ' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u2028', '\u2029', '\u3000', '\ufeff', '\u200b', '中'];
    let state = 99;
    const next = () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state / 4294967296;
    };
    for (let trial = 0; trial < 50_000; trial += 1) {
      let text = '';
      const length = Math.floor(next() * 14);
      for (let index = 0; index < length; index += 1) text += pieces[Math.floor(next() * pieces.length)];
      expect(foldWhitespace(text)).toBe(text.replace(/\s+/g, ' ').trim());
    }
  });

  it('keeps the hashes stores already hold (the value computed before the change)', () => {
    const hash = computeContentHash(
      article({ title: '  Quarterly\tresults ', published: '2024-05-01', text: 'Revenue rose\u00a0 12%.\n\nMargins\r\nheld.\u2028Outlook\u3000raised  ' }),
    );
    expect(hash).toBe('f753567ee52b279cb618320c93f0a5269f42ddd0b8e80c73e68abd6fa9d10730');
    expect(computeContentHash(article({ title: 'Quarterly results', published: '2024-05-01', text: 'Revenue rose 12%. Margins held. Outlook raised' }))).toBe(
      hash,
    );
    expect(computeContentHash(article({ title: 'Quarterly results', text: 'Revenue rose 12%. Margins held. Outlook raised' }))).not.toBe(hash);
  });
});
