import { describe, expect, it } from 'vitest';
import type { Line, Run } from '../../ingest/pdf/layout-lines.ts';
import { joinWrappedRows } from '../../ingest/pdf/wrapped-rows.ts';

const run = (text: string, x0: number, x1 = x0 + text.length * 5): Run => ({ text, x0, x1, size: 10 });
const line = (y: number, ...runs: Run[]): Line => ({ y, size: 10, runs, x0: runs[0]!.x0, x1: runs.at(-1)!.x1 });
const texts = (lines: Line[]) => lines.map((joined) => joined.runs.map((piece) => piece.text));

describe('joinWrappedRows', () => {
  it('joins a label continued on the line with the figures, and figures followed by the label’s end', () => {
    const joined = joinWrappedRows([
      line(100, run('Selling, general and administrative', 80)),
      line(112, run('expenses', 88), run('512.7', 380), run('480.3', 470)),
      line(127, run('Income from equity-method', 72), run('22.5', 380), run('18.0', 470)),
      line(139, run('investments, net of tax', 80)),
      line(154, run('Net income', 72), run('350.6', 380), run('270.2', 470)),
    ]);
    expect(texts(joined)).toEqual([
      ['Selling, general and administrative expenses', '512.7', '480.3'],
      ['Income from equity-method investments, net of tax', '22.5', '18.0'],
      ['Net income', '350.6', '270.2'],
    ]);
    // The row keeps its first baseline and knows its last, so the next row is not "far below".
    expect(joined[1]).toMatchObject({ y: 127, lastY: 139 });
  });

  it('keeps apart a group heading, two rows of figures, a capitalised next item and prose running past the figures', () => {
    const lines = [
      line(100, run('Operating expenses:', 72)),
      line(112, run('marketing', 80), run('12.0', 380), run('11.0', 470)),
      line(127, run('Research', 72), run('1.0', 380)),
      line(139, run('and development', 80), run('2.0', 380)),
      line(154, run('Total', 72), run('3.0', 380)),
      line(166, run('which the board reviewed in detail at its autumn meeting', 72, 520)),
      line(181, run('Cash', 72), run('9.0', 380)),
      line(193, run('Equivalents', 80)),
    ];
    expect(texts(joinWrappedRows(lines))).toEqual(texts(lines));
  });

  it('joins a word hyphenated at the end of the label’s first line without a space', () => {
    const joined = joinWrappedRows([line(100, run('Depreciation and amorti-', 72)), line(112, run('zation', 80), run('40.1', 380))]);
    expect(texts(joined)).toEqual([['Depreciation and amortization', '40.1']]);
  });
});
