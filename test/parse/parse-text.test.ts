import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../ingest/parse/parse-document.ts';
import { headingsOf, paragraphsOf, parseOne, readFixture } from './fixtures.ts';

describe('plain text: research page with English UI chrome', () => {
  const { article, warnings } = parseOne({ content: readFixture('research-page-en.txt'), filename: 'research-page-en.txt' });

  it('takes the title from the first non-chrome line and drops its repeats', () => {
    expect(article.title).toBe('Regional Banks Rebound as Deposit Costs Finally Ease');
    expect(article.text).not.toContain('Regional Banks Rebound');
  });

  it('reads the metadata the chrome carries', () => {
    expect(article.published).toBe('2026-03-04');
    expect(article.source).toBe('Harbor AI');
    expect(article.tags).toEqual(['regional_banks', 'net_interest_margin', 'financials', 'credit_quality']);
    expect(article.sentiment).toBe('mixed');
    expect(article.tickers).toEqual(['KRE', 'ZION']);
    expect(article.language).toBe('en');
    expect(warnings).toEqual([]);
  });

  it('strips every chrome line', () => {
    for (const phrase of [
      'Harbor AI',
      '30% OFF',
      'Unlock More Features',
      'Log in to access',
      'About us',
      'Related Stocks',
      '--',
      'US Stock',
      'Mixed',
      '#regional_banks',
      'Related Reading',
      'No recommended articles',
      'Ask based on this news',
      'Alpha Deep Research',
      'Auto Accept Plan',
      'Insights are generated',
    ]) {
      expect(article.text).not.toContain(phrase);
    }
  });

  it('repairs lines broken around bold phrases', () => {
    const paragraphs = paragraphsOf(article);
    expect(paragraphs).toContain(
      'The clearest evidence comes from quarterly filings, where the average cost of interest-bearing deposits fell for a second quarter running [1].',
    );
    expect(paragraphs).toContain('Loan growth stayed modest, which analysts read as caution rather than weak demand [2].');
    expect(paragraphs.some((paragraph) => paragraph.startsWith('Margins Are Turning Before Loan Books Grow: Lenders are earning more'))).toBe(true);
  });

  it('finds the headings and keeps the reference list out of the body', () => {
    expect(headingsOf(article)).toEqual(['Overview', 'Funding Pressure Fades', 'Key Insights']);
    expect(article.references).toEqual([
      { n: 0, text: 'Harbor Analytical Database - Bank Index Levels' },
      { n: 1, text: 'Quarterly Call Reports - Deposit Cost Data' },
      { n: 2, text: 'Brokerage Research Notes - Credit Quality Survey' },
    ]);
    expect(article.text).not.toContain('References');
    expect(article.text).not.toContain('Harbor Analytical Database');
  });

  it('joins sections as heading line then blank-line separated paragraphs', () => {
    expect(article.text.startsWith('Overview\n\nFunding Pressure Fades\n\nMid-sized lenders spent')).toBe(true);
    expect(article.text).toContain('[0].\n\nThe clearest evidence');
  });
});

describe('plain text: Chinese UI and Chinese body', () => {
  const { article } = parseOne({ content: readFixture('research-page-zh.txt'), filename: 'research-page-zh.txt' });

  it('strips Chinese chrome and keeps the body', () => {
    for (const phrase of [
      '解锁更多功能',
      '登录后即可',
      '关于我们',
      '相关阅读推荐',
      '暂无推荐文章',
      '基于这条新闻提问',
      '深度投研',
      '自动接受计划',
      '不构成投资建议',
      '港股市场',
      '混合',
    ]) {
      expect(article.text).not.toContain(phrase);
    }
    expect(article.text).toContain('价格竞争从低端车型蔓延到中高端市场');
  });

  it('reads Chinese metadata', () => {
    expect(article.title).toBe('新能源车价格战延续,龙头利润率承压');
    expect(article.published).toBe('2026-02-09');
    expect(article.source).toBe('海港智投');
    expect(article.sentiment).toBe('mixed');
    expect(article.language).toBe('zh');
    expect(article.tags).toEqual(['新能源车', '价格战', '汽车行业']);
    expect(headingsOf(article)).toEqual(['行业概况', '投资要点']);
  });
});

describe('plain text: news page with a Spanish dateline and comment box', () => {
  const { article } = parseOne({ content: readFixture('news-page-es.txt'), filename: 'news-page-es.txt' });

  it('reads the Spanish dateline glued to a reading-time label', () => {
    expect(article.published).toBe('2026-02-10');
  });

  it('names the site from its editorial-team line and strips the comment box', () => {
    expect(article.source).toBe('Harbor');
    for (const phrase of [
      'author avatar',
      'Editorial Team',
      'Comentarios',
      'Add a public comment',
      'Sin comentarios',
      'Aún no hay comentarios',
      'min de lectura',
    ]) {
      expect(article.text).not.toContain(phrase);
    }
  });

  it('keeps bullets as paragraphs without their markers and joins lines around removed links', () => {
    const paragraphs = paragraphsOf(article);
    expect(paragraphs[0]).toBe('Supply Squeeze: Several large mines reported lower output guidance for 2026, shrinking the expected surplus.');
    expect(article.text).not.toContain('•');
    expect(paragraphs).toContain('For investors who prefer funds, copper-miner ETFs such as COPX offer exposure without single-mine risk.');
    expect(headingsOf(article)).toEqual(['Why Producers Outperform the Metal']);
  });
});

describe('plain text: edge cases', () => {
  it('makes one untitled section when there are no headings, and infers the date with a warning', () => {
    const text = [
      'Gold Holds Its Ground',
      'Bullion traded near its record on March 2, 2026 as real yields eased and central banks kept buying.',
      'By March 5, 2026 the metal had added another 1%, though volumes thinned ahead of the jobs report.',
    ].join('\n');
    const { article, warnings } = parseOne({ content: text, format: 'text' });
    expect(article.sections).toHaveLength(1);
    expect(article.sections[0]?.heading).toBeUndefined();
    expect(article.published).toBe('2026-03-05');
    expect(warnings.some((warning) => warning.includes('inferred'))).toBe(true);
  });

  it('takes the dateline above the body, not a later date mentioned in the body', () => {
    const text = [
      'Gold Holds Its Ground',
      'March 1, 2026',
      'Bullion traded near its record as central banks kept buying, and traders now eye the March 18, 2026 policy meeting.',
    ].join('\n');
    const { article, warnings } = parseOne({ content: text, format: 'text' });
    expect(article.published).toBe('2026-03-01');
    expect(warnings).toEqual([]);
    expect(article.text).not.toContain('March 1, 2026');
  });

  it('keeps a title that merely contains a date', () => {
    const text = ['Stock Market Wrap for January 22, 2026', 'Stocks closed higher as chipmakers rallied and bond yields slipped for a second day.'].join('\n');
    const { article } = parseOne({ content: text, format: 'text' });
    expect(article.title).toBe('Stock Market Wrap for January 22, 2026');
  });

  it('lets caller defaults win over extracted metadata', () => {
    const { article } = parseOne({
      content: readFixture('research-page-en.txt'),
      format: 'text',
      defaults: { title: 'Custom Title', source: 'Desk Notes', published: '2026-03-10', url: 'https://desk.example/a', tags: ['Banks'] },
    });
    expect(article).toMatchObject({ title: 'Custom Title', source: 'Desk Notes', published: '2026-03-10', url: 'https://desk.example/a', tags: ['banks'] });
    expect(article.text).not.toContain('Regional Banks Rebound');
  });

  it('derives a title from the opening words when the text starts with prose', () => {
    const { article, warnings } = parseOne({ content: 'Copper rose for a fourth session on Tuesday. Miners followed.', format: 'text' });
    expect(article.title).toBe('Copper rose for a fourth session on Tuesday');
    expect(warnings).toContain('no title found; used the opening words of the text');
  });

  it('reports a page of only chrome as empty', () => {
    const chrome = [
      'Unlock More Features',
      'Log in to access research tools',
      'Related Reading Recommendations',
      'No recommended articles',
      'Auto Accept Plan',
      '解锁更多功能',
      'Sin comentarios',
    ].join('\n');
    const outcome = parseDocument({ content: chrome, format: 'text' });
    expect(outcome.status).toBe('empty');
    expect(outcome.status === 'empty' && outcome.reason).toMatch(/only page chrome/);
  });
});
