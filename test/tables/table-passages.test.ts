import { describe, expect, it } from 'vitest';
import { chunkArticle, estimateTokens } from '../../ingest/chunk.ts';
import { columnLabels, renderBodyLine } from '../../ingest/tables/render.ts';
import { splitTableIntoPassages } from '../../ingest/tables/table-passages.ts';
import type { ParsedArticle, TableData } from '../../kb/types.ts';

const HEADER = [
  ['', 'Years ended December 31,', 'Years ended December 31,'],
  ['', '2023', '2022'],
];

function segmentRows(name: string, items: number): string[][] {
  return [
    [`${name}:`, '', ''],
    ...Array.from({ length: items }, (_, index) => [`${name} line ${index + 1}`, `${index + 1},000`, `(${index + 1}00)`]),
    [`Total ${name}`, '9,999', '8,888'],
  ];
}

const LONG_TABLE: TableData = {
  caption: 'Segment revenue ($ in millions)',
  headerRows: 2,
  rows: [...HEADER, ...segmentRows('Industrial', 4), ...segmentRows('Energy', 4), ...segmentRows('Services', 4)],
};

describe('table rows as text', () => {
  it('puts each figure beside its column label and leaves blank cells out', () => {
    const labels = columnLabels({
      headerRows: 3,
      rows: [
        ['', '', 'Fiscal', ''],
        ['', '2019', '2018', '2017'],
        ['', '', '(in millions)', ''],
        ['Energy', '699', '—', '685'],
      ],
    });
    expect(labels).toEqual(['', '2019', '2018', '2017']);
    expect(renderBodyLine(['Energy', '699', '—', '685'], labels)).toBe('Energy | 2019: 699 | 2017: 685');
  });
});

describe('table passages', () => {
  it('keeps a short table in one passage with caption, header lines and rows', () => {
    const table: TableData = {
      caption: 'Cash (in millions)',
      headerRows: 1,
      rows: [
        ['', '2023', '2022'],
        ['Cash', '130', '91'],
      ],
    };
    expect(splitTableIntoPassages(table, { targetTokens: 300, measure: estimateTokens })).toEqual([
      { text: 'Cash (in millions)\n2023 | 2022\nCash | 2023: 130 | 2022: 91', table },
    ]);
  });

  it('splits a long table by row groups, repeating caption and header rows on every passage', () => {
    const passages = splitTableIntoPassages(LONG_TABLE, { targetTokens: 160, measure: estimateTokens });
    expect(passages.map((passage) => passage.table.rows.slice(2).map((row) => row[0]))).toEqual([
      ['Industrial:', 'Industrial line 1', 'Industrial line 2', 'Industrial line 3', 'Industrial line 4', 'Total Industrial'],
      ['Energy:', 'Energy line 1', 'Energy line 2', 'Energy line 3', 'Energy line 4', 'Total Energy'],
      ['Services:', 'Services line 1', 'Services line 2', 'Services line 3', 'Services line 4', 'Total Services'],
    ]);
    for (const passage of passages) {
      expect(passage.table.caption).toBe('Segment revenue ($ in millions)');
      expect(passage.table.headerRows).toBe(2);
      expect(passage.table.rows.slice(0, 2)).toEqual(HEADER);
      expect(passage.text.split('\n').slice(0, 3)).toEqual(['Segment revenue ($ in millions)', 'Years ended December 31,', '2023 | 2022']);
    }
    expect(passages[1]?.text).toContain('Energy line 2 | Years ended December 31, 2023: 2,000 | Years ended December 31, 2022: (200)');
  });

  it('splits a group too long for one passage by rows, its section row on top of each part', () => {
    const passages = splitTableIntoPassages(LONG_TABLE, { targetTokens: 60, measure: estimateTokens });
    expect(passages.length).toBeGreaterThan(3);
    const bodies = passages.map((passage) => passage.table.rows.slice(2));
    // Every body row appears exactly once, apart from repeated section rows.
    const dataRows = bodies.flat().filter((row) => row[1] !== '');
    expect(dataRows).toEqual(LONG_TABLE.rows.slice(2).filter((row) => row[1] !== ''));
    for (const body of bodies) expect(body[0]?.[0]).toMatch(/:$/);
  });

  it('makes table passages of a section after its text passages, with section heading and page', () => {
    const article: ParsedArticle = {
      title: 'Annual report',
      text: '',
      sections: [{ heading: 'Segments', paragraphs: ['Revenue rose in all three segments.'], tables: [LONG_TABLE], page: 4 }],
      tags: [],
      tickers: [],
      references: [],
    };
    const drafts = chunkArticle(article, { tableTargetTokens: 160 });
    expect(drafts.map((draft) => [draft.ordinal, draft.section, draft.page, draft.table === undefined ? 'text' : 'table'])).toEqual([
      [0, 'Segments', 4, 'text'],
      [1, 'Segments', 4, 'table'],
      [2, 'Segments', 4, 'table'],
      [3, 'Segments', 4, 'table'],
    ]);
    expect(drafts[1]?.embedText.startsWith('Annual report | Segments\nSegment revenue ($ in millions)\n')).toBe(true);
    expect(drafts.every((draft) => draft.table === undefined || draft.table.rows.length > draft.table.headerRows)).toBe(true);
  });
});
