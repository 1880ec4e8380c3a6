import { describe, expect, it } from 'vitest';
import { stem } from '../../server/chat/offline/sentence-text.ts';

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
