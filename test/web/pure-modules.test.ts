import { describe, expect, it } from 'vitest';
import { planCharts, rebase } from '../../web/lib/chart-plan.js';
import { buildExampleQuestions, normalizeTag } from '../../web/lib/examples.js';
import { buildAnswerMarkdown, buildReportMarkdown, formatReference, markdownFileName, stripDisclaimer } from '../../web/lib/export-markdown.js';
import { describeArguments, flattenFigures, formatValue } from '../../web/lib/figures.js';
import { FIGURE_LABELS, initLanguage, setLanguage, STRINGS, t } from '../../web/lib/i18n.js';
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

  it('draws from the most shared theme and a close an article reported on a weekday', () => {
    expect(buildExampleQuestions(articles)).toEqual([
      'What do my articles say about small caps?',
      // The Nasdaq note is dated a Sunday, when no index closed, so the Russell article is used.
      'What did the Russell 2000 close at on January 21, 2026?',
      'What risks to small caps do my articles mention?',
    ]);
  });

  it('compares the two indexes the library covers most over the month of the newest article naming both', () => {
    const both = [
      ...articles,
      { title: 'Small Caps and the S&P 500 in March', published: '2026-03-20', tags: ['russell 2000'] },
      { title: 'Nasdaq and S&P 500 Diverge', published: '2026-04-02', tags: [] },
      { title: 'Russell 2000 vs S&P 500: The Gap Widens', published: '2026-02-27', tags: [] },
    ];
    expect(buildExampleQuestions(both)[0]).toBe('How did the S&P 500 compare with the Russell 2000 in March 2026?');
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
      symbol: 'RUT',
      name: 'Russell 2000',
      columns: ['date', 'close'],
      sessions: [
        { date: '2026-01-12', close: 100 },
        { date: '2026-01-13', close: 110 },
        { date: '2026-01-14', close: 99 },
      ],
      provenance: { sessions: period, conventions: [] },
    },
  };
  const performance = {
    name: 'performance',
    arguments: { symbol: 'RUT', from: '2026-01-12', to: '2026-01-14' },
    result: {
      symbol: 'RUT',
      name: 'Russell 2000',
      base: { convention: 'close', date: '2026-01-12', price: 100 },
      last: { date: '2026-01-14', price: 99 },
      return_pct: -1,
      point_change: -1,
      point_unit: 'points',
      daily_volatility_pct: 10.05,
      max_drawdown_pct: -10,
      sessions: 3,
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
    const [card] = planCharts([
      {
        ...performance,
        result: {
          ...performance.result,
          base: { convention: 'prior_close', date: '2026-01-13', price: 110 },
          provenance: { sessions: oneDay, conventions: [] },
        },
      },
    ]);
    expect(card).toMatchObject({ from: '2025-12-14', to: '2026-01-14', sessions: undefined });
    expect(card!.table.rows).toContainEqual(['Prior close 2026-01-13', '110']);
  });

  it('charts a lone price history with figures computed from its closes, and skips failed calls', () => {
    const cards = planCharts([history, { ...performance, error: { code: 'bad_request', message: 'no data' } }]);
    expect(cards).toHaveLength(1);
    expect(cards[0]!.table.rows).toEqual([
      ['Close 2026-01-12', '100'],
      ['Close 2026-01-14', '99'],
      ['Change', '-1.00%'],
      ['Highest close', '110'],
      ['Lowest close', '99'],
      ['Sessions', '3'],
    ]);
  });

  it('draws one chart indexed to 100 for performances of two symbols over the same dates', () => {
    const spx = {
      ...performance,
      arguments: { symbol: 'GSPC' },
      result: { ...performance.result, symbol: 'GSPC', name: 'S&P 500', return_pct: 2, daily_volatility_pct: 0.5 },
    };
    const cards = planCharts([performance, spx]);
    expect(cards).toHaveLength(1);
    expect(cards[0]).toMatchObject({
      type: 'compare',
      title: 'Russell 2000 vs S&P 500, indexed to 100',
      from: '2025-12-14',
      to: '2026-01-14',
      series: [{ symbol: 'RUT' }, { symbol: 'GSPC' }],
    });
    expect(cards[0]!.table.rows).toEqual([
      ['Russell 2000', '-1.00%', '10.05%'],
      ['S&P 500', '+2.00%', '0.50%'],
    ]);
    const later = { ...spx, result: { ...spx.result, provenance: { sessions: { from: '2026-02-02', to: '2026-02-27', count: 19 }, conventions: [] } } };
    expect(planCharts([performance, later]).map((card) => card.type)).toEqual(['single', 'single']);
  });

  it('plans a compare card that loads both series, and rebases closes to 100', () => {
    const compare = {
      name: 'compare',
      arguments: { symbols: ['RUT', 'GSPC'] },
      result: {
        symbols: ['RUT', 'GSPC'],
        performance: [
          { symbol: 'RUT', name: 'Russell 2000', return_pct: 7.53, daily_volatility_pct: 0.97 },
          { symbol: 'GSPC', name: 'S&P 500', return_pct: 1.52, daily_volatility_pct: 0.63 },
        ],
        provenance: { sessions: period, conventions: [] },
      },
    };
    const [card] = planCharts([compare]);
    expect(card).toMatchObject({ type: 'compare', title: 'Russell 2000 vs S&P 500, indexed to 100', series: [{ symbol: 'RUT' }, { symbol: 'GSPC' }] });
    expect(card!.sessions).toBeUndefined();
    expect(card!.table.rows).toEqual([
      ['Russell 2000', '+7.53%', '0.97%'],
      ['S&P 500', '+1.52%', '0.63%'],
    ]);
    expect(rebase([null, 50, 75])).toEqual([null, 100, 150]);
  });
});

describe('figures tables (web/lib/figures.js)', () => {
  it('labels and rounds a performance result, without provenance, summary or identifiers', () => {
    const rows = flattenFigures(
      {
        symbol: 'RUT',
        name: 'Russell 2000',
        return_pct: 5.3123,
        point_change: -131.83,
        point_unit: 'points',
        daily_volatility_pct: 1.0234,
        base: { convention: 'prior_close', date: '2025-12-31', price: 2481.912 },
        max_drawdown_pct: -3.86,
        max_drawdown: { peak: { date: '2026-01-22', price: 2718.77 }, trough: { date: '2026-01-30', price: 2613.74 } },
        sessions: 20,
        provenance: { conventions: ['x'] },
        summary: 'text',
      },
      { language: 'en' },
    );
    expect(rows).toEqual([
      ['Return', '+5.31%'],
      ['Change', '−131.83'],
      ['Daily volatility', '1.02%'],
      ['Start', '2,481.91 on Dec 31, 2025 (prior close)'],
      ['Max drawdown', '−3.86%'],
      ['Drawdown, peak to trough', '2,718.77 on Jan 22, 2026 → 2,613.74 on Jan 30, 2026'],
      ['Sessions', '20'],
    ]);
    expect(rows.flat().join(' ')).not.toMatch(/[{}"]|Return %/);
  });

  it('reads a comparison: each series, the gap in points and the winning sessions and streaks', () => {
    const rows = flattenFigures(
      {
        symbols: ['RUT', 'GSPC'],
        performance: [
          { symbol: 'RUT', name: 'Russell 2000', return_pct: 5.31, daily_volatility_pct: 1.02 },
          { symbol: 'GSPC', name: 'S&P 500', return_pct: 1.37, daily_volatility_pct: 0.66 },
        ],
        relative: [{ a: 'RUT', b: 'GSPC', pp: 3.95 }],
        daily: {
          a: 'RUT',
          b: 'GSPC',
          sessions_compared: 20,
          sessions_a_beat_b: 15,
          current_streak: { sessions: 0, from: null, to: null },
          longest_streak: { sessions: 14, from: '2026-01-02', to: '2026-01-22' },
        },
      },
      { language: 'en' },
    );
    expect(rows).toEqual([
      ['Russell 2000: return', '+5.31%'],
      ['Russell 2000: daily volatility', '1.02%'],
      ['S&P 500: return', '+1.37%'],
      ['S&P 500: daily volatility', '0.66%'],
      ['Gap, RUT − GSPC', '+3.95 pp'],
      ['Sessions RUT beat GSPC', '15 of 20'],
      ['Current streak', 'none'],
      ['Longest streak', '14 sessions, Jan 2, 2026 → Jan 22, 2026'],
    ]);
  });

  it('labels in Chinese when asked, and formats unknown fields readably', () => {
    expect(flattenFigures({ return_pct: 1.5, as_of: '2026-03-31' }, { language: 'zh' })).toEqual([
      ['涨跌幅', '+1.50%'],
      ['截至', '2026年3月31日'],
    ]);
    expect(formatValue(0.123456, 'ratio', 'en')).toBe('0.12');
    expect(flattenFigures({ some_new_field: 'a_b' }, { language: 'en' })).toEqual([['Some new field', 'a b']]);
    expect(describeArguments({ symbol: 'RUT', from: '2025-12-01' })).toBe('symbol RUT · from 2025-12-01');
    expect(describeArguments({ symbols: ['RUT', 'GSPC'] })).toBe('symbols RUT, GSPC');
    expect(describeArguments({ a: { label: 'Russell 2000 P/E', value: 18 }, b: { label: 'S&P 500 P/E', value: 31 } })).toBe(
      'a Russell 2000 P/E 18 · b S&P 500 P/E 31',
    );
  });
});

describe('interface language (web/lib/i18n.js)', () => {
  it('has every English label in Chinese too, with the same slots', () => {
    for (const table of [STRINGS, FIGURE_LABELS]) {
      expect(Object.keys(table.zh).sort()).toEqual(Object.keys(table.en).sort());
      for (const [key, english] of Object.entries(table.en)) {
        const slots = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
        expect(slots(table.zh[key]!), key).toEqual(slots(english));
      }
    }
  });

  it('remembers the choice in storage, falls back to the browser language, and fills slots', () => {
    const stored = new Map<string, string>();
    const storage = { getItem: (key: string) => stored.get(key) ?? null, setItem: (key: string, value: string) => void stored.set(key, value) };
    expect(initLanguage(storage, 'en-GB')).toBe('en');
    expect(initLanguage(storage, 'zh-CN')).toBe('zh');
    setLanguage('en', storage);
    expect(initLanguage(storage, 'zh-CN')).toBe('en');
    expect(setLanguage('fr', storage)).toBe('en');
    expect(t('library.matching', { count: 3, q: 'zinc' })).toBe('3 articles matching “zinc”');
    expect(t('library.matching', { count: 3, q: 'zinc' }, 'zh')).toBe('3 篇文章匹配“zinc”');
    expect(t('no.such.key')).toBe('no.such.key');
  });

  it('labels charts in the chosen language', () => {
    const compare = {
      name: 'compare',
      result: {
        performance: [
          { symbol: 'RUT', name: 'Russell 2000', return_pct: 1 },
          { symbol: 'GSPC', name: 'S&P 500', return_pct: 2 },
        ],
        provenance: { sessions: { from: '2026-01-02', to: '2026-01-30', count: 20 } },
      },
    };
    setLanguage('zh', { getItem: () => null, setItem: () => {} });
    try {
      const [card] = planCharts([compare]);
      expect(card!.title).toBe('Russell 2000 对比 S&P 500（起点 = 100）');
      expect(card!.table.columns).toEqual(['', '涨跌幅', '日波动']);
    } finally {
      setLanguage('en', { getItem: () => null, setItem: () => {} });
    }
    expect(planCharts([compare])[0]!.title).toBe('Russell 2000 vs S&P 500, indexed to 100');
  });
});

describe('Markdown export (web/lib/export-markdown.js)', () => {
  const disclaimer = '*For information only; not investment advice.*';
  const citations = [
    {
      n: 1,
      kind: 'data' as const,
      title: 'Computed: performance of Russell 2000',
      tool: 'performance',
      arguments: { symbol: 'RUT', from: '2026-01-02' },
      snippet: 'Russell 2000: +5.31%\nover 20 sessions.',
    },
    { n: 0, kind: 'article' as const, title: 'Small caps  lead', articleId: 'abc123', published: '2026-01-21', section: 'Markets' },
  ];

  it('writes the question, the answer with its markers, one reference per citation in order, and the disclaimer once', () => {
    const markdown = buildAnswerMarkdown({
      question: 'How did small caps do?',
      answer: `Small caps led [0], up 5.31% [1].\n\n${disclaimer}`,
      citations,
      disclaimer,
      origin: 'http://127.0.0.1:3000',
    });
    expect(markdown).toBe(
      [
        '## How did small caps do?',
        'Small caps led [0], up 5.31% [1].',
        '### Sources\n\n- [0] *Small caps lead*, 2026-01-21, section “Markets” <http://127.0.0.1:3000/#/article/abc123>\n- [1] Computed: performance of Russell 2000, computed with `performance` (symbol RUT · from 2026-01-02): Russell 2000: +5.31% over 20 sessions.',
        disclaimer,
      ].join('\n\n') + '\n',
    );
    expect(markdown.split(disclaimer)).toHaveLength(2);
  });

  it('keeps an external article link, strips only a closing disclaimer, and names files from titles', () => {
    expect(formatReference({ n: 2, kind: 'article', title: 'T', url: 'https://news.example/a', articleId: 'x' }, { origin: 'http://h' })).toBe(
      '[2] *T* <https://news.example/a>',
    );
    expect(stripDisclaimer(`Body.\n\n${disclaimer}\n`, disclaimer)).toBe('Body.');
    expect(stripDisclaimer(`${disclaimer} Body.`, disclaimer)).toBe(`${disclaimer} Body.`);
    expect(markdownFileName('What did the S&P 500 close at on Jan. 21?')).toBe('what-did-the-s-p-500-close-at-on-jan-21.md');
    expect(markdownFileName('Café résumé 小盘股')).toBe('cafe-resume-小盘股.md');
    expect(markdownFileName('???')).toBe('answer.md');
  });

  it('exports a report as the server wrote it, or assembles one from sections and citations', () => {
    expect(buildReportMarkdown({ title: 'T', markdown: '# T\n\n## A\n\nx [0]\n' })).toBe('# T\n\n## A\n\nx [0]\n');
    expect(buildReportMarkdown({ title: 'T', sections: [{ heading: 'A', markdown: 'x [0]' }], citations: [{ n: 0, kind: 'article', title: 'S' }] })).toBe(
      '# T\n\n## A\n\nx [0]\n\n## References\n\n- [0] *S*\n',
    );
  });
});
