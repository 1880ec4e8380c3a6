import { describe, expect, it } from 'vitest';
import { analyzeQuery, findNamedArticles } from '../../server/retrieval/query-understanding.ts';

const today = '2026-11-21';
const termsOf = (query: string) => analyzeQuery(query, today).terms.map((t) => t.term);

describe('query understanding', () => {
  it('expands index names, symbols and ETFs into each other', () => {
    for (const query of ['RUT outlook', 'Russell 2000 outlook', 'IWM outlook', 'small caps outlook']) {
      const analysis = analyzeQuery(query, today);
      expect(analysis.entities.map((e) => e.id)).toContain('russell-2000');
      expect(analysis.symbols).toEqual(['RUT', 'IWM']);
      expect(termsOf(query)).toEqual(expect.arrayContaining(['russell', '2000', 'small', 'caps', 'rut', 'iwm']));
    }
    expect(analyzeQuery('S&P 500 vs Nasdaq vs the Dow', today).symbols).toEqual(['GSPC', 'SPY', 'IXIC', 'QQQ', 'DJI', 'DIA']);
    expect(termsOf('SPX level')).toEqual(expect.arrayContaining(['s&p', '500', 'spy']));
  });

  it('keeps the user words at full weight and expansions lower', () => {
    const analysis = analyzeQuery('RUT volatility', today);
    const weight = (term: string) => analysis.terms.find((t) => t.term === term)?.weight;
    expect(weight('rut')).toBe(1);
    expect(weight('volatility')).toBe(1);
    expect(weight('russell')).toBeLessThan(1);
  });

  it('maps P/E and price-to-earnings to each other', () => {
    expect(termsOf('What P/E does the S&P 500 trade at?')).toEqual(expect.arrayContaining(['price', 'earnings', 'valuation']));
    expect(analyzeQuery('price-to-earnings of small caps', today).entities.map((e) => e.id)).toContain('pe-ratio');
  });

  it('does not read common words as tickers', () => {
    expect(analyzeQuery('spot the difference in pg 3', today).entities).toEqual([]);
    expect(analyzeQuery('dia de muertos', today).entities).toEqual([]);
    expect(analyzeQuery('DIA price target', today).entities.map((e) => e.id)).toEqual(['dow']);
  });

  it('knows large listed companies by ticker and name, without reading abbreviations or plain words as companies', () => {
    const byTicker = analyzeQuery('What did analysts say about AMAT?', today);
    expect(byTicker.entities.map((e) => e.id)).toEqual(['company:amat']);
    expect(byTicker.terms.map((t) => t.term)).toEqual(expect.arrayContaining(['applied', 'materials']));
    expect(analyzeQuery('applied materials guidance', today).entities.map((e) => e.id)).toEqual(['company:amat']);
    expect(analyzeQuery('what about amat', today).entities.map((e) => e.id)).toEqual(['company:amat']);
    expect(analyzeQuery('CAT and PG results', today).entities.map((e) => e.id)).toEqual(['company:cat', 'company:pg']);
    expect(analyzeQuery('Apple versus $MSFT', today).entities.map((e) => e.id)).toEqual(['company:aapl', 'company:msft']);
    for (const plain of [
      'what is the price target?',
      'an apple a day',
      'What was the GM in 2019?',
      'the 20-day MA',
      'revenue in MAR 2019',
      'the cat sat on pg 3',
    ])
      expect(analyzeQuery(plain, today).entities, plain).toEqual([]);
  });

  it('gives a Chinese question English terms for names, finance words and dates', () => {
    const analysis = analyzeQuery('罗素2000在1月21日收盘多少?', today);
    expect(analysis.language).toBe('zh');
    expect(analysis.terms.map((t) => t.term)).toEqual(expect.arrayContaining(['russell', '2000', 'closed', 'january', '21']));
    expect(analysis.vectorText).toMatch(/Russell 2000/);
  });

  it('reads a Chinese question as words: no bigram straddling two words, question words dropped, names in both languages', () => {
    const analysis = analyzeQuery('为什么小盘股跑赢大盘股？', today);
    const groupTerms = analysis.groups.flatMap((group) => group.terms);
    for (const straddling of ['么小', '股跑', '赢大', '为什', '什么']) expect(groupTerms, straddling).not.toContain(straddling);
    expect(analysis.terms.map((t) => t.term)).not.toContain('股跑');
    // Each side of the comparison is one concept, found under its English or its Chinese names;
    // 盘股 belongs to both Chinese names, so it names neither.
    const groupOf = (term: string) => analysis.groups.find((group) => group.terms.includes(term))!;
    expect(groupOf('russell').terms).toEqual(expect.arrayContaining(['small', '小盘', '罗素']));
    expect(groupOf('large').terms).toEqual(expect.arrayContaining(['大盘', '标普']));
    expect(groupTerms).not.toContain('盘股');
    // The "why" is looked for as answers write it, in English and in Chinese.
    expect(groupOf('drivers').terms).toEqual(expect.arrayContaining(['原因', '因素']));
    // A word no name or glossary entry covers is one concept of its own bigrams.
    expect(analyzeQuery('杰富瑞的年末目标是多少', today).groups.map((group) => group.terms)).toEqual(expect.arrayContaining([['杰富', '富瑞'], ['年末']]));
  });

  it('recognises tickers and English names glued to Chinese characters, through the same table as English', () => {
    const ids = (query: string) => analyzeQuery(query, today).entities.map((e) => e.id);
    expect(ids('2026年8月IJS的表现如何？')).toEqual(['s&p-600']);
    expect(ids('SPY和QQQ哪个涨得多？')).toEqual(['s&p-500', 'nasdaq']);
    expect(ids('英伟达NVDA和AAPL比呢')).toEqual(['company:nvda', 'company:aapl']);
    expect(ids('DIA的价格')).toEqual(['dow']);
    expect(analyzeQuery('SPY和QQQ哪个涨得多？', today).symbols).toEqual(['GSPC', 'SPY', 'IXIC', 'QQQ']);
    // Still a word boundary between Latin letters: no ticker inside a longer word, glued to CJK or not.
    expect(ids('SPYDER和QQQX的区别')).toEqual([]);
    expect(ids('我喜欢ijsberg')).toEqual([]);
  });

  it('normalises figures written with separators', () => {
    expect(analyzeQuery('did it close at 2,698.17?', today).figures).toEqual(['2698.17']);
  });
});

describe('articles a question names', () => {
  const articles = [
    { id: 'a1', title: 'First Half 2026: Small Caps Lead the Market' },
    { id: 'a2', title: 'Why the Co-op Trimmed Its Hedging Book' },
    { id: 'a3', title: 'Rates' },
  ];

  it('selects an article by a quoted phrase of its title, an ellipsis standing for the rest', () => {
    expect(findNamedArticles("key points of 'First Half 2026: …'", articles).articleIds).toEqual(['a1']);
    expect(findNamedArticles('What does “why the co-op trimmed its hedging book” say?', articles).articleIds).toEqual(['a2']);
    expect(findNamedArticles('Summarize «First Half 2026: Small Caps...»', articles).articleIds).toEqual(['a1']);
  });

  it('selects an article whose whole title the question writes out, unquoted', () => {
    expect(findNamedArticles('What does Why the Co-op Trimmed Its Hedging Book say about storage?', articles)).toEqual({
      articleIds: ['a2'],
      phrases: ['Why the Co-op Trimmed Its Hedging Book'],
      mentionedIds: [],
    });
  });

  it('ignores apostrophes, short quotes and short titles', () => {
    expect(findNamedArticles("What is the Russell 2000's P/E and the co-op's view?", articles).articleIds).toEqual([]);
    expect(findNamedArticles("What about 'rates'?", articles).articleIds).toEqual([]);
    expect(findNamedArticles('How do rates affect small caps?', articles).articleIds).toEqual([]);
  });
});

describe('a quoted term that is only part of a title', () => {
  it('is known (not a missing name) but does not narrow the question to that article', () => {
    const named = findNamedArticles('What is the "small caps lead" argument?', [{ id: 'a1', title: 'First Half 2026: Small Caps Lead the Market' }]);
    expect(named).toEqual({ articleIds: [], phrases: [], mentionedIds: ['a1'] });
  });
});
