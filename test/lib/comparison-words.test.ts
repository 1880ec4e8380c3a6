import { describe, expect, it } from 'vitest';
import { readComparison } from '../../lib/comparison-words.ts';

describe('comparison words (lib/comparison-words.ts)', () => {
  it('reads who-did-better questions as relative, in English and Chinese', () => {
    for (const question of [
      'Did the Russell 2000 outperform the S&P 500 in Q1?',
      'Is the Nasdaq lagging the Dow?',
      'How long was the streak?',
      '罗素2000跑赢标普500了吗？',
      '纳斯达克今年跑输道指',
      '小盘股是否强于大盘股',
      '标普500落后纳斯达克多少',
      'SPY和QQQ在2026年第二季度哪个涨得多？',
      '罗素2000和标普500谁表现更好',
    ]) {
      expect(readComparison(question), question).toBe('relative');
    }
  });

  it('reads side-by-side questions as versus, including the Chinese frames with a name between their halves', () => {
    for (const question of [
      'Russell 2000 vs S&P 500 in January',
      'Russell 2000 vs. S&P 500',
      'How did the Nasdaq do in 2025 compared with the Russell 2000?',
      'Compare the Nasdaq and the Dow in February 2026',
      'Was the S&P 500 more volatile than the Russell 2000?',
      '2026年1月罗素2000和标普500相比',
      '与标普500相比，罗素2000表现如何？',
      '对比2026年2月的标普500和罗素2000',
      '2026年3月罗素2000比较纳斯达克',
      '罗素2000相较标普500如何',
      '罗素2000和标普500比怎么样',
      '罗素2000比标普500涨得多吗',
      '2026年3月纳斯达克比道指跌得多吗',
    ]) {
      expect(readComparison(question), question).toBe('versus');
    }
  });

  it('does not read 比 inside another word, or a question about one thing, as a comparison', () => {
    for (const question of [
      '罗素2000在2026年1月21日收盘多少?',
      '科技股在标普500中的占比上涨了吗？',
      '2025年营收同比增长多少',
      '标普500的市盈率比例是多少',
      'What did the Russell 2000 close at on January 21, 2026?',
      'What is the 52-week range of the S&P 500?',
      '标普500今年以来表现如何？',
    ]) {
      expect(readComparison(question), question).toBeUndefined();
    }
  });
});
