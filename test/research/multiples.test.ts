import { describe, expect, it } from 'vitest';
import { readMultiples } from '../../server/research/multiples.ts';

describe('readMultiples', () => {
  it('attributes a multiple to the index a sentence names, whatever its case, and to none in a sentence naming no index', () => {
    const mentions = readMultiples([
      'The s&p 500 trades at 21 times forward earnings.',
      'Small caps look cheap: the RUSSELL 2000 sits near 14x earnings.',
      'Our retailer trades at 18 times earnings, a valuation we like.',
    ]);
    expect(mentions.map(({ entityId, value, sentence, named }) => ({ entityId, value, sentence, named }))).toEqual([
      expect.objectContaining({ value: 21, sentence: 0, named: true }),
      expect.objectContaining({ value: 14, sentence: 1, named: true }),
    ]);
    expect(new Set(mentions.map(({ entityId }) => entityId)).size).toBe(2);
  });
});
