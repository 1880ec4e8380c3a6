import { describe, expect, it } from 'vitest';
import type { Block } from '../../ingest/parse/blocks.ts';
import { assignLineRoles, isKeyValueLine, joinBrokenLines, looksLikeHeading } from '../../ingest/parse/repair-lines.ts';

const lines = (...texts: string[]): Block[] => texts.map((text) => ({ kind: 'line', text }));
const texts = (blocks: Block[]): string[] => blocks.map((block) => block.text);

describe('joinBrokenLines', () => {
  it('rejoins a bold phrase cut out after a lone first word', () => {
    const joined = joinBrokenLines(lines('The', 'sharp fall in deposit costs', 'lifted margins at most lenders.'));
    expect(texts(joined)).toEqual(['The sharp fall in deposit costs lifted margins at most lenders.']);
  });

  it('glues a line that starts with punctuation to the line before', () => {
    expect(texts(joinBrokenLines(lines('Loan growth stayed modest', ', analysts said.')))).toEqual(['Loan growth stayed modest, analysts said.']);
    expect(texts(joinBrokenLines(lines('Margins Are Turning', ': Lenders earn more on the same balance sheets.')))).toEqual([
      'Margins Are Turning: Lenders earn more on the same balance sheets.',
    ]);
  });

  it('joins after a dangling function word, an open parenthesis or a trailing comma', () => {
    expect(texts(joinBrokenLines(lines('As reported by', 'the exchange, stocks fell.')))).toEqual(['As reported by the exchange, stocks fell.']);
    expect(texts(joinBrokenLines(lines('For investors who prefer funds,', 'ETFs offer exposure.')))).toEqual([
      'For investors who prefer funds, ETFs offer exposure.',
    ]);
    expect(texts(joinBrokenLines(lines('earnings on profitable firms only', '(about 20x), versus 26x for large caps.')))).toEqual([
      'earnings on profitable firms only (about 20x), versus 26x for large caps.',
    ]);
  });

  it('joins a short label ending in a colon to its explanation', () => {
    const joined = joinBrokenLines(lines('Interest Rate Exposure:', 'Variable-rate debt cuts both ways when the central bank changes course.'));
    expect(texts(joined)).toEqual(['Interest Rate Exposure: Variable-rate debt cuts both ways when the central bank changes course.']);
  });

  it('keeps headings and finished sentences apart', () => {
    const input = lines('Key Insights', 'Margins improved across the group.', 'Risks & Opportunities', 'Plan A', 'The Return of M&A', 'Deals are back.');
    expect(texts(joinBrokenLines(input))).toEqual(texts(input));
  });

  it('never joins onto or from a bullet', () => {
    const input: Block[] = [
      { kind: 'line', text: 'Two drivers stand out' },
      { kind: 'line', text: 'supply cuts at large mines', bullet: true },
    ];
    expect(joinBrokenLines(input)).toHaveLength(2);
  });
});

describe('headings', () => {
  it.each([
    'Integrated Analysis',
    'Risks & Opportunities',
    '1. The Valuation Gap',
    'Strategic Outlook: Is the Rally Sustainable?',
    '行业概况',
    'Frequently Asked Questions (FAQ)',
  ])('takes "%s" as a heading', (text) => expect(looksLikeHeading(text)).toBe(true));

  it.each([
    'Margins improved across the group.',
    'Q: Why is information inefficiency considered an advantage for small-cap investors?',
    'The following table compares the indices:',
    'Cited in the report [2]',
    'According to the',
    'shares fell',
    'Company: General Mills',
    'Fiscal year: 2023',
    'Price target: 120',
    'Revenue 1,234 1,100',
    'Net Margin 12.5%',
    'Revenue grew across all three regions',
  ])('does not take "%s" as a heading', (text) => expect(looksLikeHeading(text)).toBe(false));

  it.each(['The Great Divide: Small-Caps vs. The S&P 500', 'Part II: Other Information', 'Outlook for 2026', 'Q2 2024 Highlights'])(
    'takes "%s" as a heading (a titled subtitle, a structural label, a year or a quarter in a title)',
    (text) => expect(looksLikeHeading(text)).toBe(true),
  );

  it.each([
    ['Company: General Mills', true],
    ['Fiscal year: 2023', true],
    ['Rating: Buy', true],
    ['Price Target: $120.00', true],
    ['Strategic Outlook: Is the Rally Sustainable?', false],
    ['Visualizing the Opportunity: Growth vs. Value', false],
    ['Item 7: Management Discussion', false],
  ])('reads "%s" as a key: value line: %s', (text, expected) => expect(isKeyValueLine(text)).toBe(expected));

  it('makes a heading only when something follows it', () => {
    const roled = assignLineRoles(lines('Outlook', 'Prices should stay firm into spring.', 'Summary'));
    expect(roled.map((block) => block.kind)).toEqual(['heading', 'paragraph', 'paragraph']);
  });
});
