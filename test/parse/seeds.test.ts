import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ParsedArticle } from '../../kb/types.ts';
import { headingsOf, paragraphsOf, parseOne, seedDir } from './fixtures.ts';

interface SeedExpectation {
  prefix: string;
  /** Titles are checked by their two ends so this file quotes no long run of seed text. */
  title: [start: string, end: string];
  published: string;
  source: string;
  tickers: string[];
  sentiment?: string;
  tags: string[];
}

const EXPECTED: SeedExpectation[] = [
  {
    prefix: '000',
    title: ['Small-Cap Market Leadership: Russell 2000', 'Rally Defies Large-Cap Weakness'],
    published: '2026-01-22',
    source: 'Ginlix AI',
    tickers: [],
    sentiment: 'mixed',
    tags: ['small_cap', 'russell_2000', 'market_leadership', 'equities', 'seasonal_patterns', 'valuation_analysis', 'market_rotation', 'institutional_flows'],
  },
  { prefix: '001', title: ['Russell 2000 Small-Cap Rally', 'Sustainability Analysis'], published: '2026-01-25', source: 'Ginlix AI', tickers: [], tags: [] },
  {
    prefix: '002',
    title: ['Russell 2000 Achieves Record High', 'Streak Against S&P 500'],
    published: '2026-01-17',
    source: 'Ginlix AI',
    tickers: ['IWM', 'SPY', 'IJS', 'SPSM', 'SFLO'],
    sentiment: 'mixed',
    tags: ['small_cap_analysis', 'russell_2000', 'market_rotation', 'equity_market', 'value_investing', 'earnings_recovery', 'fed_policy', 'sector_rotation'],
  },
  {
    prefix: '003',
    title: ['Small-Cap Resurgence 2026: Why', 'Finally Outpacing the S&P 500'],
    published: '2026-01-12',
    source: 'AInvest',
    tickers: [],
    tags: [],
  },
  {
    prefix: '004',
    title: ['Small-Cap Resurgence in 2026: Market Rotation', 'Outperformance Analysis'],
    published: '2026-01-24',
    source: 'Ginlix AI',
    tickers: ['AMAT', 'FTNT', 'PG', 'SPOT', 'ACMR', 'RMBS', 'FOXA', 'NYT'],
    sentiment: 'mixed',
    tags: ['small_cap', 'market_rotation', 'equities', 'russell_2000', 'sector_rotation', 'federal_reserve', 'rate_cuts', 'market_analysis'],
  },
];

/** Page chrome of the three site UIs; none of it may survive into article text. */
const CHROME_PHRASES = [
  'Unlock More Features',
  'Login to access',
  'About us',
  'Related Stocks',
  'Related Reading Recommendations',
  'No recommended articles',
  'Ask based on this news',
  'Alpha Deep Research',
  'Auto Accept Plan',
  'Insights are generated using AI models',
  'do not constitute investment advice',
  '50% OFF',
  'US Stock',
  'author avatar',
  'AInvest News Editorial Team',
  'AInvest Data Recommendations',
  'Add a public comment',
  '解锁更多功能',
  '登录后即可使用',
  '关于我们',
  '相关阅读推荐',
  '暂无推荐文章',
  '基于这条新闻提问',
  '深度投研',
  '自动接受计划',
  '不构成投资建议',
  '美股市场',
  '混合',
  'Comentarios',
  'Sin comentarios',
  'Aún no hay comentarios',
  'min de lectura',
  '#small_cap',
];

describe.skipIf(!existsSync(seedDir))('seed articles (../shared/seeds)', () => {
  const files = existsSync(seedDir)
    ? readdirSync(seedDir)
        .filter((name) => name.endsWith('.txt'))
        .sort()
    : [];
  const parsed = new Map<string, { article: ParsedArticle; warnings: string[] }>();
  for (const file of files) {
    parsed.set(file.slice(0, 3), parseOne({ content: readFileSync(path.join(seedDir, file)), filename: file }));
  }
  const seed = (prefix: string): { article: ParsedArticle; warnings: string[] } => {
    const found = parsed.get(prefix);
    if (found === undefined) throw new Error(`seed ${prefix} missing`);
    return found;
  };

  it.each(EXPECTED)('seed $prefix: title, date, source, tags, tickers, sentiment', (expected) => {
    const { article } = seed(expected.prefix);
    const [start, end] = expected.title;
    expect(article.title.startsWith(start)).toBe(true);
    expect(article.title.endsWith(end)).toBe(true);
    expect(article.title).not.toMatch(/\n|Unlock|About us|#/);
    expect(article.published).toBe(expected.published);
    expect(article.source).toBe(expected.source);
    expect(article.tags).toEqual(expected.tags);
    expect(article.tickers).toEqual(expected.tickers);
    expect(article.sentiment).toBe(expected.sentiment);
    expect(article.language).toBe('en');
  });

  it.each(EXPECTED.map((expected) => expected.prefix))('seed %s: no chrome phrase and no repeated title in the text', (prefix) => {
    const { article } = seed(prefix);
    for (const phrase of CHROME_PHRASES) expect(article.text, phrase).not.toContain(phrase);
    expect(article.text).not.toContain(article.title);
    expect(article.text).not.toMatch(/^--$/m);
  });

  it('seed 001 has no dateline: the date is inferred from the body with a warning, and it has one untitled section', () => {
    const { article, warnings } = seed('001');
    expect(warnings.some((warning) => warning.includes('inferred') && warning.includes('2026-01-25'))).toBe(true);
    expect(article.sections).toHaveLength(1);
    expect(article.sections[0]?.heading).toBeUndefined();
    expect(article.sections[0]?.paragraphs.length).toBeGreaterThan(20);
  });

  it('seeds with a dateline carry no inference warning', () => {
    for (const prefix of ['000', '002', '003', '004']) expect(seed(prefix).warnings).toEqual([]);
  });

  it('seed 000: broken bold lines are rejoined into one paragraph', () => {
    const paragraphs = paragraphsOf(seed('000').article);
    const withPhrase = (phrase: string): string[] => paragraphs.filter((paragraph) => paragraph.includes(phrase));
    expect(withPhrase('The tax-loss selling reversal represents a significant driver')).toHaveLength(1);
    expect(withPhrase('Institutional portfolio rebalancing compounds this effect')).toHaveLength(1);
    expect(withPhrase('record-breaking M&A activity in 2026, as noted by')).toHaveLength(1);
    expect(withPhrase('positive-earnings companies only (approximately 20.0x)')).toHaveLength(1);
    expect(paragraphs).toContainEqual(expect.stringMatching(/^The Small-Cap Leadership Pattern .{0,40}Characteristics: The current/));
    expect(paragraphs.some((paragraph) => /^[,:]/.test(paragraph))).toBe(false);
    expect(paragraphs).not.toContain('The');
  });

  it('seed 000: section headings are found', () => {
    const headings = headingsOf(seed('000').article);
    for (const heading of ['Integrated Analysis', 'Market Performance Landscape', 'Key Insights', 'Risks & Opportunities', 'Key Information Summary']) {
      expect(headings).toContain(heading);
    }
    expect(seed('000').article.text).toContain('Key Insights\n\nThe Small-Cap Leadership Pattern');
  });

  it('seed 002: bold labels ending in a colon lead their paragraph', () => {
    const paragraphs = paragraphsOf(seed('002').article);
    expect(paragraphs.some((paragraph) => paragraph.startsWith('Valuation and Quality Risk: While small-caps appear'))).toBe(true);
    expect(headingsOf(seed('002').article)).toEqual(expect.arrayContaining(['Key Insights', 'Risk Assessment', 'Key Information Summary']));
  });

  it('seed 003: bullets and FAQ stay paragraphs, questions are not headings', () => {
    const { article } = seed('003');
    expect(paragraphsOf(article)[0]).toMatch(/^Historic Streak: In January 2026/);
    expect(headingsOf(article)).toEqual(expect.arrayContaining(['Frequently Asked Questions (FAQ)', '1. The Valuation Gap', '3. The Return of M&A']));
    expect(headingsOf(article).some((heading) => heading.startsWith('Q:'))).toBe(false);
  });

  it('seed 004: the reference list becomes metadata and leaves the body', () => {
    const { article } = seed('004');
    expect(article.references).toHaveLength(7);
    expect(article.references[0]?.text).toMatch(/^Ginlix Analytical Database - Market Indices .{0,30}Data$/);
    expect(article.references.map((reference) => reference.n)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(headingsOf(article)).not.toContain('References');
    expect(article.text).not.toContain('[6] Federal Reserve');
    expect(article.text).not.toContain('Market Analysis Report');
  });

  it('every seed article passes the shared schema with non-empty sections', () => {
    for (const { article } of parsed.values()) {
      expect(article.sections.every((section) => section.heading !== undefined || section.paragraphs.length > 0)).toBe(true);
      expect(article.text.length).toBeGreaterThan(3000);
    }
  });
});
