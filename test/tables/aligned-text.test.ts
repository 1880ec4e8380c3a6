import { describe, expect, it } from 'vitest';
import { chunkArticle } from '../../ingest/chunk.ts';
import { parseDocument } from '../../ingest/parse/parse-document.ts';
import { findAlignedTables, segmentLine } from '../../ingest/tables/aligned-text.ts';
import type { ParsedArticle } from '../../kb/types.ts';

function parse(content: string, format: 'text' | 'markdown' = 'text'): ParsedArticle {
  const outcome = parseDocument({ content, format });
  if (outcome.status !== 'ok') throw new Error(outcome.status);
  return outcome.articles[0]!;
}

const REPORT = `Harbor Pumps Quarterly Review

Net sales by segment were as follows (in millions):

                                   Fiscal
                           2019      2018      2017
Fluid Systems:
  Industrial pumps      $ 5,686   $ 6,092   $ 5,228
  Seals                     914         —       814
  Total Fluid Systems     6,600     6,092     6,042
Services                  (120)        45        —

Sales grew in two of the last three years.  Management expects more of the same.
`;

describe('tables aligned with spaces', () => {
  it('splits a line into cells at gaps of two or more spaces and keeps "$ 1,234" together', () => {
    expect(segmentLine('  Industrial pumps      $ 5,686   $  6,092\t(12)').map((segment) => segment.text)).toEqual([
      'Industrial pumps',
      '$ 5,686',
      '$ 6,092',
      '(12)',
    ]);
  });

  it('reads the columns from the rows with figures, keeps section rows, dashes and parentheses, and takes the line above as caption', () => {
    const article = parse(REPORT);
    expect(article.sections[0]?.tables).toEqual([
      {
        caption: 'Net sales by segment were as follows (in millions):',
        headerRows: 2,
        rows: [
          ['', '', 'Fiscal', ''],
          ['', '2019', '2018', '2017'],
          ['Fluid Systems:', '', '', ''],
          ['Industrial pumps', '$ 5,686', '$ 6,092', '$ 5,228'],
          ['Seals', '914', '—', '814'],
          ['Total Fluid Systems', '6,600', '6,092', '6,042'],
          ['Services', '(120)', '45', '—'],
        ],
      },
    ]);
    expect(article.sections[0]?.paragraphs).toEqual([
      'Net sales by segment were as follows (in millions):',
      'Sales grew in two of the last three years. Management expects more of the same.',
    ]);
  });

  it('never leaves a run-on line of numbers in the passages', () => {
    const passages = chunkArticle(parse(REPORT)).map((draft) => draft.text);
    expect(passages.some((text) => /5,686 \$ 6,092/.test(text))).toBe(false);
    expect(passages.join('\n')).toContain('Industrial pumps | 2019: $ 5,686 | 2018: $ 6,092 | 2017: $ 5,228');
  });

  it('repeats a header spanning several value columns into each of them', () => {
    const lines = [
      '                    Year ended June 30',
      '                    2024      2023',
      'Revenue            1,204     1,100',
      'Costs               (900)     (850)',
    ];
    expect(findAlignedTables(lines)[0]?.table.rows[0]).toEqual(['', 'Year ended June 30', 'Year ended June 30']);
  });

  it('leaves prose with double spaces and lists of words alone', () => {
    const prose = ['Margins improved.  Costs fell in the quarter.', 'The board met twice.  It approved the plan.', 'Nothing else happened.'];
    expect(findAlignedTables(prose)).toEqual([]);
    expect(findAlignedTables(['Name      Role', 'Ada       Chair', 'Grace     Director'])).toEqual([]);
  });

  it('reads an aligned table inside a Markdown code fence', () => {
    const article = parse(
      '# Notes\n\nCash position:\n\n```\n            2024     2023\nCash         130       91\nDebt        (696)     (20)\n```\n',
      'markdown',
    );
    expect(article.sections[0]?.tables?.[0]?.rows).toEqual([
      ['', '2024', '2023'],
      ['Cash', '130', '91'],
      ['Debt', '(696)', '(20)'],
    ]);
  });
});
