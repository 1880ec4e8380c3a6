import { describe, expect, it } from 'vitest';
import { findMultiples, pickValuationPair } from '../../server/chat/offline/valuation.ts';

describe('reading valuation multiples from sentences', () => {
  it('reads both sides of a comparison, including a bare number in the second clause', () => {
    const sentences = [
      'On one measure, the Russell 2000 trades at about 18 times forward earnings while the S&P 500 sits near 31.',
      'Including loss-makers, the Russell 2000 forward P/E rises to roughly 37x.',
      'The index rose 2.5% on the day.',
    ];
    const mentions = findMultiples(sentences);
    expect(mentions.map(({ entityId, value, sentence }) => [entityId, value, sentence])).toEqual([
      ['russell-2000', 18, 0],
      ['s&p-500', 31, 0],
      ['russell-2000', 37, 1],
    ]);
    const pair = pickValuationPair(mentions, ['s&p-500', 'russell-2000'])!;
    expect([pair.a.value, pair.b.value]).toEqual([31, 18]);
  });

  it('ignores percentages and sentences without a valuation word', () => {
    expect(findMultiples(['The Russell 2000 gained 7.53% while the S&P 500 added 1.52%.'])).toEqual([]);
  });
});
