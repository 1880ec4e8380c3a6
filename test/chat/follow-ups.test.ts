import { describe, expect, it } from 'vitest';
import { buildFollowUps } from '../../server/chat/follow-ups.ts';
import type { Citation, ToolCallRecord } from '../../server/chat/types.ts';

const article: Citation = { n: 0, kind: 'article', articleId: 'a1', chunkId: 'c1', title: 'Desk note: small caps after the rate cut', snippet: 's' };
const data: Citation = { n: 1, kind: 'data', title: 'performance', snippet: 's' };
const sessions = (from: string, to: string) => ({ provenance: { sessions: { from, to, count: 20 } } });

describe('follow-up suggestions (server/chat/follow-ups.ts)', () => {
  it('offers a peer comparison over the same sessions, the 52-week range and the articles after a single-index return', () => {
    const toolCalls: ToolCallRecord[] = [
      { name: 'performance', arguments: { symbol: '^RUT', from: '2026-01-01', to: '2026-01-31' }, result: sessions('2026-01-02', '2026-01-30') },
    ];
    expect(buildFollowUps({ language: 'en', toolCalls, citations: [data, article] })).toEqual([
      'How did the Russell 2000 compare with the S&P 500 from January 2, 2026 to January 30, 2026?',
      'What was the Russell 2000’s 52-week range on January 30, 2026?',
      'What do my articles say about the Russell 2000?',
    ]);
  });

  it('picks the next benchmark as the peer when the answer is about the first one', () => {
    const toolCalls: ToolCallRecord[] = [{ name: 'performance', arguments: { symbol: 'GSPC', from: '2026-03-02', to: '2026-03-31' }, result: {} }];
    expect(buildFollowUps({ language: 'en', toolCalls, citations: [data] })[0]).toBe(
      'How did the S&P 500 compare with the Russell 2000 from March 2, 2026 to March 31, 2026?',
    );
  });

  it('after a comparison asks what drove the gap, the volatility and year to date, in Chinese when asked in Chinese', () => {
    const toolCalls: ToolCallRecord[] = [
      { name: 'compare', arguments: { symbols: ['IXIC', 'DJI'], from: '2026-02-01', to: '2026-02-27' }, result: sessions('2026-02-02', '2026-02-27') },
    ];
    expect(buildFollowUps({ language: 'en', toolCalls, citations: [data] })).toEqual([
      'What do my articles say drove the Nasdaq Composite versus the Dow Jones Industrial Average?',
      'How volatile was the Nasdaq Composite from February 2, 2026 to February 27, 2026?',
      'How has the Nasdaq Composite done year to date?',
    ]);
    expect(buildFollowUps({ language: 'zh', toolCalls, citations: [data] })).toEqual([
      '我的文章认为是什么推动了Nasdaq Composite相对Dow Jones Industrial Average的表现？',
      '2026年2月2日至2026年2月27日，Nasdaq Composite的波动有多大？',
      'Nasdaq Composite今年以来表现如何？',
    ]);
  });

  it('after a close on one day offers the month before it, the 52-week range and the articles', () => {
    const context = { symbols: ['DJI'], entityIds: ['dow'], asOf: '2026-03-31', topic: 'dow close' };
    expect(buildFollowUps({ language: 'en', context, toolCalls: [], citations: [data] })).toEqual([
      'How did the Dow Jones Industrial Average perform from February 28, 2026 to March 31, 2026?',
      'What was the Dow Jones Industrial Average’s 52-week range on March 31, 2026?',
      'What do my articles say about the Dow Jones Industrial Average?',
    ]);
  });

  it('after an answer from articles alone, offers the cited article’s key points and the risks to a company it named', () => {
    const tagged: Citation = { ...article, tickers: ['KLIC', 'ONTO', '^RUT'] };
    const context = { symbols: [], entityIds: [], topic: 'what did the desk say about onto?' };
    expect(buildFollowUps({ language: 'en', context, toolCalls: [], citations: [tagged] })).toEqual([
      'What are the key points of “Desk note: small caps after the rate cut”?',
      'What risks to ONTO do my articles mention?',
    ]);
    // A ticker the question did not name, or an index symbol, is not offered as a company.
    const unnamed = { ...context, topic: 'what did the desk say about equipment makers?' };
    expect(buildFollowUps({ language: 'en', context: unnamed, toolCalls: [], citations: [tagged] })).toHaveLength(1);
    expect(buildFollowUps({ language: 'en', context: { ...context, topic: 'rut outlook' }, toolCalls: [], citations: [tagged] })).toHaveLength(1);
    // A listed company the engine recognised is offered by name.
    const recognised = { symbols: [], entityIds: ['company:ftnt'], topic: 'fortinet rating' };
    expect(buildFollowUps({ language: 'en', context: recognised, toolCalls: [], citations: [article] })[1]).toBe(
      'What risks to Fortinet do my articles mention?',
    );
  });

  it('suggests nothing after a refusal, and ignores failed tool calls and over-long titles', () => {
    const failed: ToolCallRecord[] = [
      {
        name: 'performance',
        arguments: { symbol: 'RUT', from: '2026-01-01', to: '2026-01-31' },
        result: null,
        error: { code: 'bad_request', message: 'no data' },
      },
    ];
    expect(buildFollowUps({ language: 'en', toolCalls: failed, citations: [] })).toEqual([]);
    expect(buildFollowUps({ language: 'en', toolCalls: failed, citations: [{ ...article, title: 'x'.repeat(120) }] })).toEqual([]);
  });
});

describe('follow-up suggestions from a one-day answer', () => {
  it('reads a one-day performance as a date and ignores the price history fetched around it', () => {
    const toolCalls: ToolCallRecord[] = [
      { name: 'price_history', arguments: { symbol: 'RUT', from: '2026-01-12', to: '2026-01-21' }, result: sessions('2026-01-12', '2026-01-21') },
      { name: 'performance', arguments: { symbol: 'RUT', from: '2026-01-21', to: '2026-01-21' }, result: sessions('2026-01-21', '2026-01-21') },
    ];
    expect(buildFollowUps({ language: 'en', toolCalls, citations: [data] })).toEqual([
      'How did the Russell 2000 perform from December 21, 2025 to January 21, 2026?',
      'What was the Russell 2000’s 52-week range on January 21, 2026?',
      'What do my articles say about the Russell 2000?',
    ]);
  });
});
