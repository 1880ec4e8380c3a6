import { describe, expect, it } from 'vitest';
import { planCharts, rebase } from '../../web/lib/chart-plan.js';
import { buildExampleQuestions, normalizeTag } from '../../web/lib/examples.js';
import { describeArguments, flattenFigures } from '../../web/lib/figures.js';
import { createSseParser, type SseEvent } from '../../web/lib/sse.js';

describe('SSE parser (web/lib/sse.js)', () => {
  it('joins events split across network chunks, multi-line data and CRLF, and ignores comments', () => {
    const events: SseEvent[] = [];
    const parser = createSseParser((event) => events.push(event));
    parser.push('event: token\ndata: {"te');
    parser.push('xt":"Hel"}\n\n: keep-alive\r\n\r\nevent: tok');
    parser.push('en\r\ndata: {"text":"lo"}\r\n\r\ndata: line one\ndata: line two\n\n');
    parser.push('event: done\ndata: {"answer":"Hello"}');
    parser.end();
    expect(events).toEqual([
      { event: 'token', data: { text: 'Hel' } },
      { event: 'token', data: { text: 'lo' } },
      { event: 'message', data: 'line one\nline two' },
      { event: 'done', data: { answer: 'Hello' } },
    ]);
  });

  it('drops an event that has no data line', () => {
    const events: SseEvent[] = [];
    const parser = createSseParser((event) => events.push(event));
    parser.push('event: ping\n\n');
    parser.end();
    expect(events).toEqual([]);
  });
});

describe('example questions (web/lib/examples.js)', () => {
  const articles = [
    { title: 'Russell 2000 Shakes Off a Rout to Close at a Record', published: '2026-01-21', tags: ['russell_2000', 'record_close', 'small_caps'] },
    { title: 'Small Caps Beat the S&P 500 Again', published: '2026-01-12', tags: ['small-caps', 'valuation'] },
    { title: 'Valuation Debate', published: '2026-01-24', tags: ['Valuation', 'small caps'] },
    { title: 'Weekend Note: Nasdaq Closes the Week Lower', published: '2026-01-25', tags: ['nasdaq'] },
  ];

  it('draws from the newest short title, the most shared theme, and a close an article reported on a weekday', () => {
    expect(buildExampleQuestions(articles)).toEqual([
      'What are the key points of “Weekend Note: Nasdaq Closes the Week Lower”?',
      'What do my articles say about small caps?',
      // The Nasdaq note is dated a Sunday, when no index closed, so the Russell article is used.
      'What did the Russell 2000 close at on January 21, 2026?',
      'What risks to small caps do my articles mention?',
    ]);
  });

  it('offers nothing for an empty library, and normalizes tag spellings', () => {
    expect(buildExampleQuestions([])).toEqual([]);
    expect(normalizeTag('Small_Caps')).toBe(normalizeTag('small-caps'));
  });
});

describe('chart planning (web/lib/chart-plan.js)', () => {
  const period = { from: '2026-01-12', to: '2026-01-14', count: 3 };
  const history = {
    name: 'price_history',
    arguments: { symbol: 'RUT', from: '2026-01-12', to: '2026-01-14' },
    result: {
      symbol: 'RUT', name: 'Russell 2000', columns: ['date', 'close'],
      sessions: [{ date: '2026-01-12', close: 100 }, { date: '2026-01-13', close: 110 }, { date: '2026-01-14', close: 99 }],
      provenance: { sessions: period, conventions: [] },
    },
  };
  const performance = {
    name: 'performance',
    arguments: { symbol: 'RUT', from: '2026-01-12', to: '2026-01-14' },
    result: {
      symbol: 'RUT', name: 'Russell 2000', base: { convention: 'close', date: '2026-01-12', price: 100 }, last: { date: '2026-01-14', price: 99 },
      return_pct: -1, point_change: -1, point_unit: 'points', daily_volatility_pct: 10.05, max_drawdown_pct: -10, sessions: 3,
      provenance: { sessions: period, conventions: [] },
    },
  };

  it('draws one chart per symbol and period, lending price_history sessions to the performance card', () => {
    const cards = planCharts([history, performance]);
    expect(cards).toHaveLength(1);
    expect(cards[0]).toMatchObject({ type: 'single', from: '2026-01-12', to: '2026-01-14', series: [{ symbol: 'RUT' }] });
    expect(cards[0]!.sessions?.map((bar) => bar.close)).toEqual([100, 110, 99]);
    expect(cards[0]!.table.rows).toContainEqual(['Return', '-1.00%']);
    expect(cards[0]!.table.rows).toContainEqual(['Daily volatility', '10.05%']);
  });

  it('widens a one-day performance without sessions to the month before it, starting from a prior-close base', () => {
    const oneDay = { from: '2026-01-14', to: '2026-01-14', count: 1 };
    const [card] = planCharts([{ ...performance, result: { ...performance.result, base: { convention: 'prior_close', date: '2026-01-13', price: 110 }, provenance: { sessions: oneDay, conventions: [] } } }]);
    expect(card).toMatchObject({ from: '2025-12-14', to: '2026-01-14', sessions: undefined });
    expect(card!.table.rows).toContainEqual(['Prior close 2026-01-13', '110']);
  });

  it('charts a lone price history with figures computed from its closes, and skips failed calls', () => {
    const cards = planCharts([history, { ...performance, error: { code: 'bad_request', message: 'no data' } }]);
    expect(cards).toHaveLength(1);
    expect(cards[0]!.table.rows).toEqual([
      ['Close 2026-01-12', '100'], ['Close 2026-01-14', '99'], ['Change', '-1.00%'], ['Highest close', '110'], ['Lowest close', '99'], ['Sessions', '3'],
    ]);
  });

  it('plans a compare card that loads both series, and rebases closes to 100', () => {
    const compare = {
      name: 'compare',
      arguments: { symbols: ['RUT', 'GSPC'] },
      result: {
        symbols: ['RUT', 'GSPC'],
        performance: [{ symbol: 'RUT', name: 'Russell 2000', return_pct: 7.53, daily_volatility_pct: 0.97 }, { symbol: 'GSPC', name: 'S&P 500', return_pct: 1.52, daily_volatility_pct: 0.63 }],
        provenance: { sessions: period, conventions: [] },
      },
    };
    const [card] = planCharts([compare]);
    expect(card).toMatchObject({ type: 'compare', title: 'Russell 2000 vs S&P 500, indexed to 100', series: [{ symbol: 'RUT' }, { symbol: 'GSPC' }] });
    expect(card!.sessions).toBeUndefined();
    expect(card!.table.rows).toEqual([['Russell 2000', '+7.53%', '0.97%'], ['S&P 500', '+1.52%', '0.63%']]);
    expect(rebase([null, 50, 75])).toEqual([null, 100, 150]);
  });
});

describe('figures tables (web/lib/figures.js)', () => {
  it('flattens a tool result without its provenance or summary', () => {
    const rows = flattenFigures({ symbol: 'RUT', return_pct: 7.53, base: { date: '2025-12-01', price: 2482.23 }, provenance: { conventions: ['x'] }, summary: 'text' });
    expect(rows).toEqual([['Symbol', 'RUT'], ['Return %', '7.53'], ['Base date', '2025-12-01'], ['Base price', '2,482.23']]);
    expect(describeArguments({ symbol: 'RUT', from: '2025-12-01' })).toBe('symbol RUT · from 2025-12-01');
  });
});
