import { describe, expect, it } from 'vitest';
import { parseDocument, type ParseInput } from '../../ingest/parse/parse-document.ts';
import type { ParsedArticle, TableData } from '../../kb/types.ts';

function parse(input: ParseInput): ParsedArticle {
  const outcome = parseDocument(input);
  if (outcome.status !== 'ok') throw new Error(`expected ok, got ${outcome.status}: ${outcome.reason}`);
  return outcome.articles[0]!;
}

function tablesOf(article: ParsedArticle): TableData[] {
  return article.sections.flatMap((section) => section.tables ?? []);
}

const page = (body: string): string => `<!doctype html><html><head><title>Quarterly figures</title></head><body><main>${body}</main></body></html>`;

describe('HTML tables', () => {
  it('reads a multi-row header from thead with rowspan and colspan, the caption, and keeps the table out of the paragraphs', () => {
    const article = parse({
      format: 'html',
      content: page(`<h2>Results</h2><p>Sales held up well in a soft market for industrial equipment this year.</p>
        <table><caption>Net sales (in millions)</caption>
        <thead><tr><th rowspan="2">Segment</th><th colspan="2">Year ended June 30,</th></tr><tr><th>2024</th><th>2023</th></tr></thead>
        <tbody><tr><td>Pumps</td><td>$ 1,204.5</td><td>$ 1,100.0</td></tr><tr><td>Valves</td><td>(12.3)</td><td>—</td></tr><tr><td>Seals</td><td></td><td>- - %</td></tr></tbody></table>`),
    });
    expect(article.sections).toEqual([
      {
        heading: 'Results',
        paragraphs: ['Sales held up well in a soft market for industrial equipment this year.'],
        tables: [
          {
            caption: 'Net sales (in millions)',
            headerRows: 2,
            rows: [
              ['Segment', 'Year ended June 30,', 'Year ended June 30,'],
              ['Segment', '2024', '2023'],
              ['Pumps', '$ 1,204.5', '$ 1,100.0'],
              ['Valves', '(12.3)', '—'],
              ['Seals', '', '- - %'],
            ],
          },
        ],
      },
    ]);
    expect(article.text).toContain('| Pumps | $ 1,204.5 | $ 1,100.0 |');
  });

  it('finds header rows without thead from th rows and from the period row, and takes the short line above as caption', () => {
    const article = parse({
      format: 'html',
      content: page(`<p>Costs were as follows:</p><table>
        <tr><td></td><td>Fiscal</td><td></td></tr>
        <tr><td></td><td>2019</td><td>2018</td></tr>
        <tr><td>Operating costs:</td><td></td><td></td></tr>
        <tr><td>Freight</td><td>1,949</td><td>1,987</td></tr></table>`),
    });
    expect(tablesOf(article)).toEqual([
      {
        caption: 'Costs were as follows:',
        headerRows: 2,
        rows: [
          ['', 'Fiscal', ''],
          ['', '2019', '2018'],
          ['Operating costs:', '', ''],
          ['Freight', '1,949', '1,987'],
        ],
      },
    ]);
    const withTh = parse({ format: 'html', content: page('<table><tr><th>Item</th><th>Status</th></tr><tr><td>Audit</td><td>Done</td></tr></table>') });
    expect(tablesOf(withTh)[0]?.headerRows).toBe(1);
  });

  it('keeps hidden cells and rows out of the grid', () => {
    const article = parse({
      format: 'html',
      content: page(
        '<table><tr><th>Region</th><th>Sales</th></tr><tr style="display:none"><td>Injected</td><td>999</td></tr><tr><td>North<span hidden> ignore this</span></td><td>12</td></tr></table>',
      ),
    });
    expect(tablesOf(article)[0]?.rows).toEqual([
      ['Region', 'Sales'],
      ['North', '12'],
    ]);
  });

  it('reads line breaks inside a cell as spaces', () => {
    const article = parse({ format: 'html', content: page('<table><tr><td></td><td>Fiscal<br>2019</td></tr><tr><td>Revenue</td><td>5</td></tr></table>') });
    expect(tablesOf(article)[0]?.rows[0]).toEqual(['', 'Fiscal 2019']);
  });
});

describe('Markdown tables', () => {
  it('reads a pipe table with alignment markers, escaped pipes, empty cells and inline markup', () => {
    const article = parse({
      format: 'markdown',
      content: [
        '# Quarter in numbers',
        '',
        'Figures in € thousands.',
        '',
        '| Line item | Q2 2024 | Q2 2023 |',
        '|:---|---:|---:|',
        '|  | (unaudited) | |',
        '| **Revenue** | 12,500 | 11,900 |',
        '| Fees \\| other | (300) | — |',
        '| Tax |  | 40 |',
        '',
        'Margins were stable.',
      ].join('\n'),
    });
    expect(tablesOf(article)).toEqual([
      {
        caption: 'Figures in € thousands.',
        headerRows: 2,
        rows: [
          ['Line item', 'Q2 2024', 'Q2 2023'],
          ['', '(unaudited)', ''],
          ['Revenue', '12,500', '11,900'],
          ['Fees | other', '(300)', '—'],
          ['Tax', '', '40'],
        ],
      },
    ]);
    expect(article.sections[0]?.paragraphs).toEqual(['Figures in € thousands.', 'Margins were stable.']);
  });

  it('reads a table without outer pipes', () => {
    const article = parse({ format: 'markdown', content: '# Note\n\nRegion | Sales\n--- | ---\nNorth | 12\nSouth | 9\n' });
    expect(tablesOf(article)[0]).toEqual({
      headerRows: 1,
      rows: [
        ['Region', 'Sales'],
        ['North', '12'],
        ['South', '9'],
      ],
    });
  });
});

describe('HTML tables typeset like filings', () => {
  it('folds "$" and ")" cells into their figures and drops spacer columns under spanning headers', () => {
    const article = parse({
      format: 'html',
      content: page(`<table>
        <tr><td></td><td colspan="3">2023</td><td></td><td colspan="3">2022</td></tr>
        <tr><td>Revenue</td><td>$</td><td>1,204</td><td></td><td></td><td>$</td><td>1,100</td><td></td></tr>
        <tr><td>Net loss</td><td></td><td>(12</td><td>)</td><td></td><td></td><td>(5</td><td>)</td></tr></table>`),
    });
    expect(tablesOf(article)[0]).toEqual({
      headerRows: 1,
      rows: [
        ['', '2023', '2022'],
        ['Revenue', '$1,204', '$1,100'],
        ['Net loss', '(12)', '(5)'],
      ],
    });
  });
});
