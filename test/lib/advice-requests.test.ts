import { describe, expect, it } from 'vitest';
import { isAdviceRequest } from '../../lib/advice-requests.ts';

describe('requests for a personal recommendation (lib/advice-requests.ts)', () => {
  it('reads what-to-trade questions in English and Chinese as advice requests', () => {
    for (const question of [
      'What should I buy?',
      'Should I sell my index fund now?',
      'Is now a good time to invest?',
      'What stocks to buy?',
      'Recommend a fund',
      'Any ETF picks?',
      '我应该买什么？',
      '现在该不该买小盘股？',
      '值得买吗？',
      '推荐一只基金',
    ]) {
      expect(isAdviceRequest(question), question).toBe(true);
    }
  });

  it('leaves questions about what happened, what was said or what to know alone', () => {
    for (const question of [
      'Why are small caps outperforming?',
      'How much did the index gain in 2026?',
      'What did the analyst say about whether to buy?',
      'What should I know about the central bank?',
      'Which stocks did analysts upgrade to Buy?',
      'Should investors worry about valuations?',
      '今年以来表现如何？',
    ]) {
      expect(isAdviceRequest(question), question).toBe(false);
    }
  });
});
