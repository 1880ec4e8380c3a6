import { describe, expect, it } from 'vitest';
import { stripInlineMarkdown } from '../../ingest/parse/parse-markdown.ts';
import { readFrontMatter } from '../../lib/front-matter.ts';
import { headingsOf, paragraphsOf, parseOne, readFixture } from './fixtures.ts';

describe('markdown document with front matter', () => {
  const { article, warnings } = parseOne({ content: readFixture('weekly-notes.md'), filename: 'weekly-notes.md' });

  it('reads metadata from the front matter', () => {
    expect(article).toMatchObject({
      title: 'Weekly Notes: Utilities Turn Defensive Again',
      published: '2026-02-14',
      source: 'Harbor Notes',
      url: 'https://harbor-notes.example/weekly/utilities',
      tags: ['utilities', 'rates', 'dividend_yield'],
    });
    expect(article.tickers).toEqual(['XLU', 'NEE', 'DUK']);
    expect(warnings).toEqual([]);
  });

  it('makes sections from headings and strips inline markup', () => {
    expect(headingsOf(article)).toEqual(['Utilities Turn Defensive Again', 'What moved', 'How to screen']);
    expect(paragraphsOf(article)).toEqual([
      'Utility shares gained 2.4% this week while the broad market slipped, a classic risk-off pattern. See the full sector table for details.',
      'Regulated electric names led, helped by lower ten-year yields.',
      'Water utilities lagged after a weak soft rate-case decision.',
      'Investors are paying for predictability again, said one portfolio manager.',
      'yield > 3.5% and payout < 75%',
      'Use dividend_cover to rank names, and keep an eye on $DUK after its guidance update.',
    ]);
  });

  it('keeps the pipe table as a grid in its section, not as paragraphs', () => {
    const section = article.sections.find((candidate) => candidate.heading === 'What moved');
    expect(section?.tables).toEqual([
      {
        caption: 'Investors are paying for predictability again, said one portfolio manager.',
        headerRows: 1,
        rows: [
          ['Sub-sector', 'Weekly change'],
          ['Electric', '+2.9%'],
          ['Water', '-0.4%'],
        ],
      },
    ]);
  });

  it('drops images and link targets', () => {
    expect(article.text).not.toContain('heatmap');
    expect(article.text).not.toContain('Sector heat map');
    expect(article.text).not.toContain('http');
  });
});

describe('markdown pieces', () => {
  it('reads front matter: scalars, quoted strings, inline and block lists, dates as written', () => {
    const text = '---\ntitle: "A: B"\nsource: \'Desk\'\nPublished: 2026-01-22\ntags: [a, "b c"]\ntickers:\n  - XLU\n  - DUK\n# comment\n---\nBody text.\n';
    expect(readFrontMatter(text)).toEqual({
      data: { title: 'A: B', source: 'Desk', published: '2026-01-22', tags: ['a', 'b c'], tickers: ['XLU', 'DUK'] },
      body: 'Body text.\n',
    });
    expect(readFrontMatter('No front matter here.\n---\n')).toEqual({ body: 'No front matter here.\n---\n' });
    const broken = readFrontMatter('---\ntitle: [unclosed\n---\nBody.\n');
    expect(broken.data).toBeUndefined();
    expect(broken.error).toBeTruthy();
    expect(broken.body).toBe('Body.\n');
  });

  it('keeps citation markers and snake_case words while removing emphasis', () => {
    expect(stripInlineMarkdown('Rates fell [0][2] and **margins** _rose_ for small_cap names')).toBe('Rates fell [0][2] and margins rose for small_cap names');
    expect(stripInlineMarkdown('[![logo](a.png)](https://x.example) Read [the note][ref] \\*now\\*')).toBe('Read the note *now*');
  });

  it('uses the first level-one heading as title when there is no front matter, and warns on bad front matter', () => {
    const { article } = parseOne({ content: '# Oil Slips\n\nBrent fell 2% as inventories rose for a third week.\n', format: 'markdown' });
    expect(article.title).toBe('Oil Slips');
    const bad = parseOne({ content: '---\ntitle: [a, b]\n---\n# Oil Slips\n\nBrent fell 2% as inventories rose.\n', format: 'markdown' });
    expect(bad.article.title).toBe('Oil Slips');
    expect(bad.warnings.some((warning) => warning.startsWith('front matter ignored: title'))).toBe(true);
  });

  it('reads the sentiment label and related tickers from the front matter, keeping only what is a label or a symbol', () => {
    const content = [
      '---',
      'title: Chip Stocks Cool Off',
      'Sentiment: Bearish',
      'related_tickers: [smh, $NVDA, 0700.HK, "<img src=x onerror=alert(1)>"]',
      'tickers: AMD',
      '---',
      '',
      'Semiconductor shares slipped for a second week as memory prices eased.',
      '',
    ].join('\n');
    const { article, warnings } = parseOne({ content, format: 'markdown' });
    expect(article.sentiment).toBe('bearish');
    expect(article.tickers.slice(0, 4)).toEqual(['AMD', 'SMH', 'NVDA', '0700.HK']);
    expect(article.tickers.join(' ')).not.toMatch(/IMG|</);
    expect(warnings).toEqual([expect.stringMatching(/1 ticker value\(s\) ignored/)]);

    const chinese = parseOne({ content: '---\nsentiment: 看涨\n---\n\nRefiners rallied on wider margins through the week.\n', format: 'markdown' });
    expect(chinese.article.sentiment).toBe('bullish');
    const unknown = parseOne({ content: '---\nsentiment: to the moon\n---\n\nRefiners rallied on wider margins through the week.\n', format: 'markdown' });
    expect(unknown.article.sentiment).toBeUndefined();
    expect(unknown.warnings).toContainEqual(expect.stringMatching(/sentiment ignored: "to the moon" is not a known label/));
  });

  it('lets the front matter sentiment win over a sentiment badge line in the body', () => {
    const { article } = parseOne({
      content: '---\nsentiment: positive\n---\n\nBearish\n\nUtilities held up while the wider market fell on the day.\n',
      format: 'markdown',
    });
    expect(article.sentiment).toBe('positive');
  });
});
