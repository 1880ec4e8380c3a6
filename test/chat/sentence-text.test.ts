import { describe, expect, it } from 'vitest';
import { stem } from '../../server/chat/offline/sentence-text.ts';

describe("the sentence selector's stemmer", () => {
  it('meets a word and its inflections, a final "e" included', () => {
    expect(new Set(['include', 'includes', 'included', 'including'].map(stem))).toEqual(new Set(['includ']));
    expect(new Set(['increase', 'increases', 'increased'].map(stem))).toEqual(new Set(['increas']));
    expect(stem('outperforming')).toBe(stem('outperform'));
  });

  it('leaves short words and figures as they are', () => {
    expect(stem('rate')).toBe('rate');
    expect(stem('2019s')).toBe('2019s');
  });
});
