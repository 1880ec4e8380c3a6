import { describe, expect, it } from 'vitest';
import { segmentChinese, wordBigrams } from '../../lib/cjk-words.ts';

describe('reading Chinese text as words', () => {
  const known = new Set(['小盘股', '大盘股', '跑赢', '罗素', '目标']);

  it('takes known words whole, drops function words and keeps the content words between them', () => {
    expect(segmentChinese('为什么小盘股跑赢大盘股？', known)).toEqual(['小盘股', '跑赢', '大盘股']);
    expect(segmentChinese('杰富瑞给罗素2000的年末目标是多少？', known)).toEqual(['杰富瑞', '罗素', '年末', '目标']);
  });

  it('joins characters the dictionary cannot place into one unknown word (a name or a term of art)', () => {
    const words = segmentChinese('茶园合作社明年的仓储费用会怎样变化？', new Set());
    expect(words).toEqual(expect.arrayContaining(['仓储', '费用', '变化']));
    expect(words).not.toContain('的');
    expect(words).not.toContain('怎样');
  });

  it('leaves Latin text to the ordinary tokenizer and handles empty input', () => {
    expect(segmentChinese('SPY and QQQ', known)).toEqual([]);
    expect(segmentChinese('', known)).toEqual([]);
    expect(segmentChinese('SPY和QQQ', known)).toEqual([]);
  });

  it('gives a word the bigrams the lexical index holds', () => {
    expect(wordBigrams('杰富瑞')).toEqual(['杰富', '富瑞']);
    expect(wordBigrams('股')).toEqual(['股']);
  });
});
