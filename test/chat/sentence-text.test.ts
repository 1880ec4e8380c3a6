import { describe, expect, it } from 'vitest';
import { stem, withMarker } from '../../server/chat/offline/sentence-text.ts';

describe("the sentence selector's stemmer", () => {
  it('meets a word and its inflections, a final "e" included', () => {
    expect(new Set(['include', 'includes', 'included', 'including'].map(stem))).toEqual(new Set(['includ']));
    expect(new Set(['increase', 'increases', 'increased'].map(stem))).toEqual(new Set(['increas']));
    expect(stem('outperforming')).toBe(stem('outperform'));
  });

  it('leaves very short words and figures as they are', () => {
    expect(stem('tax')).toBe('tax');
    expect(stem('2019s')).toBe('2019s');
  });

  it('meets singulars and plurals: short words, "-ies" against "-y"', () => {
    for (const [singular, plural] of [
      ['rate', 'rates'],
      ['fee', 'fees'],
      ['sale', 'sales'],
      ['liability', 'liabilities'],
      ['company', 'companies'],
      ['inventory', 'inventories'],
      ['lease', 'leases'],
      ['loss', 'losses'],
    ]) {
      expect(stem(plural!)).toBe(stem(singular!));
    }
  });
});

describe('a citation marker', () => {
  it('goes before the final punctuation, and a clause quoted from a list ends as a sentence in its own script', () => {
    expect(withMarker('Revenue rose.', 3)).toBe('Revenue rose [3].');
    expect(withMarker('Revenue rose', 3)).toBe('Revenue rose [3].');
    expect(withMarker('收盘价创新高。', 1)).toBe('收盘价创新高 [1]。');
    expect(withMarker('若把亏损公司也算进去，市盈率高达约37倍；', 2)).toBe('若把亏损公司也算进去，市盈率高达约37倍 [2]。');
    expect(withMarker('Margins widened;', 0)).toBe('Margins widened [0].');
  });
});
