import { describe, expect, it } from 'vitest';
import { isBlankCell, isFigureCell, isPeriodCell } from '../../ingest/tables/cell-kinds.ts';
import { buildTable, expandSpans, normalizeGrid } from '../../ingest/tables/grid.ts';
import { detectHeaderRows } from '../../ingest/tables/header-rows.ts';

describe('cell kinds', () => {
  it.each(['$ 1,452.4', '(9.9)', '21.0%', '(48.3)%', '€12.5m', '18.2x', '-0.4%', '1 234', '$(1,234)', '~20x'])('takes "%s" as a figure', (cell) => {
    expect(isFigureCell(cell)).toBe(true);
  });
  it.each(['2019', 'FY2023', 'Q2 2024', 'September 30, 2019', '2019 vs 2018', 'Revenue', '(in millions)', 'Note 3', ''])(
    'does not take "%s" as a figure',
    (cell) => {
      expect(isFigureCell(cell)).toBe(false);
    },
  );
  it.each(['2019', 'FY2023', 'Fiscal 2019', 'Q2 2024', 'September 30, 2019', '31 December 2023', '2019 vs 2018', '2018-19'])(
    'takes "%s" as a period title',
    (cell) => {
      expect(isPeriodCell(cell)).toBe(true);
    },
  );
  it.each(['', '—', '-', '- - %', 'n/a', 'N/M'])('takes "%s" as a blank cell', (cell) => expect(isBlankCell(cell)).toBe(true));
});

describe('grids', () => {
  it('repeats a rowspan down and a colspan across into every covered cell', () => {
    expect(
      expandSpans([
        [
          { text: 'Segment', rowSpan: 2 },
          { text: 'Years ended December 31,', colSpan: 2 },
        ],
        [{ text: '2023' }, { text: '2022' }],
        [{ text: 'Energy' }, { text: '(45)' }, { text: '—' }],
      ]),
    ).toEqual([
      ['Segment', 'Years ended December 31,', 'Years ended December 31,'],
      ['Segment', '2023', '2022'],
      ['Energy', '(45)', '—'],
    ]);
  });

  it('clamps hostile spans instead of allocating a huge grid', () => {
    const grid = expandSpans([[{ text: 'a', colSpan: 1_000_000, rowSpan: 1_000_000 }], [{ text: 'b' }]]);
    expect(grid.length).toBe(2);
    expect(grid[0]!.length).toBeLessThanOrEqual(100);
  });

  it('pads ragged rows, tidies whitespace, drops spacer rows and columns, keeps dashes and parentheses verbatim', () => {
    expect(normalizeGrid([['', '', ' 2023 ', '', '2022'], ['', '', '', '', ''], ['Cash  and\nequivalents', '', '(1,204)', '', '—'], ['Debt']])).toEqual([
      ['', '2023', '2022'],
      ['Cash and equivalents', '(1,204)', '—'],
      ['Debt', '', ''],
    ]);
  });

  it('folds a currency sign or percent sign typeset in its own column into the figure beside it', () => {
    expect(
      normalizeGrid([
        ['', '', '2023', '', '2022', ''],
        ['Revenue', '$', '1,204', '$', '1,100', ''],
        ['Margin', '', '12.5', '', '11.0', '%'],
      ]),
    ).toEqual([
      ['', '2023', '2022'],
      ['Revenue', '$1,204', '$1,100'],
      ['Margin', '12.5', '11.0%'],
    ]);
  });

  it('returns no table for a single cell', () => {
    expect(buildTable({ rows: [['Only one cell']] })).toBeUndefined();
  });
});

describe('header rows', () => {
  it('counts the rows above the first row with a figure, leaving a section row to the body', () => {
    const rows = [
      ['', '', 'Fiscal', ''],
      ['', '2019', '2018', '2017'],
      ['', '', '(in millions)', ''],
      ['Transportation:', '', '', ''],
      ['Automotive', '$ 5,686', '$ 6,092', '$ 5,228'],
    ];
    expect(detectHeaderRows(rows)).toBe(3);
  });

  it('takes a label-only first row above the period row as part of the header', () => {
    expect(
      detectHeaderRows([
        ['Balance sheet', '', ''],
        ['', '2019', '2018'],
        ['Assets', '', ''],
        ['Cash', '130', '91'],
      ]),
    ).toBe(2);
  });

  it('keeps the declared header rows and has no header rows in a table of figures only', () => {
    expect(
      detectHeaderRows(
        [
          ['Revenue', '1,204'],
          ['Costs', '(900)'],
        ],
        0,
      ),
    ).toBe(0);
    expect(
      detectHeaderRows(
        [
          ['Name', 'Role'],
          ['Ada', 'Chair'],
        ],
        0,
      ),
    ).toBe(1);
    expect(
      detectHeaderRows(
        [
          ['Region', 'Sales'],
          ['', '(in thousands)'],
          ['North', '12'],
        ],
        1,
      ),
    ).toBe(2);
  });
});
