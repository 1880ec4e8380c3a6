import { describe, expect, it } from 'vitest';
import { hasCjk, tokenize } from '../../kb/tokenize.ts';

describe('tokenize', () => {
  it('lower-cases words, drops stopwords and normalises thousands separators in numbers', () => {
    expect(tokenize('The Russell 2000 closed at 2,698.17, up 1.35%')).toEqual(['russell', '2000', 'closed', '2698.17', '1.35']);
  });

  it('keeps S&P and M&A whole', () => {
    expect(tokenize('S&P 500 and M&A')).toEqual(['s&p', '500', 'm&a']);
  });

  it('cuts CJK runs into overlapping bigrams and keeps Latin tokens inside CJK text', () => {
    expect(tokenize('小盘股上涨 IWM')).toEqual(['小盘', '盘股', '股上', '上涨', 'iwm']);
    expect(tokenize('罗素2000指数')).toEqual(['罗素', '2000', '指数']);
    expect(hasCjk('罗素')).toBe(true);
    expect(hasCjk('Russell')).toBe(false);
  });

  it('returns nothing for punctuation or stopwords only', () => {
    expect(tokenize(' -- , the of ')).toEqual([]);
  });
});
