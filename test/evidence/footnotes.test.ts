import { describe, expect, it } from 'vitest';
import { noteMarkOf, notesOfTable, readNoteMarks, titlesByNoteMark } from '../../server/evidence/footnotes.ts';

const table = {
  headerRows: 1,
  rows: [
    ['', '2019', 'Change (a)'],
    ['Staff costs', '345', '3%'],
    ['Delivery costs(1)', '661', '7%'],
    ['Customer costs (2)', '83', '21%'],
    ['Other purchases (1)(3)', '114', '(5)%'],
    ['(4)', '', ''],
  ],
};

describe('footnote marks on table titles', () => {
  it('reads the marks printed after a title, glued or spaced, one or several', () => {
    expect(readNoteMarks('Delivery costs(1)')).toEqual({ marks: ['1'], name: 'Delivery costs' });
    expect(readNoteMarks('Recorded investment (a)')).toEqual({ marks: ['a'], name: 'Recorded investment' });
    expect(readNoteMarks('Other purchases (1)(3)')).toEqual({ marks: ['1', '3'], name: 'Other purchases' });
    expect(readNoteMarks('Revenue (1, 2)')).toEqual({ marks: ['1', '2'], name: 'Revenue' });
  });

  it('reads no mark in a title that only holds figures or words in brackets', () => {
    expect(readNoteMarks('Income (loss)').marks).toEqual([]);
    expect(readNoteMarks('Net cash (used in) provided by').marks).toEqual([]);
    expect(readNoteMarks('(111)').marks).toEqual([]);
  });

  it('maps each mark to the row labels and column titles that carry it, and ignores a bare mark', () => {
    expect(Object.fromEntries(titlesByNoteMark([table]))).toEqual({
      a: ['Change'],
      '1': ['Delivery costs', 'Other purchases'],
      '2': ['Customer costs'],
      '3': ['Other purchases'],
    });
  });

  it('reads the mark a note opens with', () => {
    expect(noteMarkOf('(1) Include cost of equipment sold and network costs.')).toBe('1');
    expect(noteMarkOf('(A) Represents the deferred costs.')).toBe('a');
    expect(noteMarkOf('Revenue rose (1) in the year.')).toBeUndefined();
    expect(noteMarkOf('(1)')).toBeUndefined();
  });

  it('finds the passages of a document that hold a note for the table, never another table', () => {
    const passages = [
      { id: 'intro', text: 'Operating expenses were as follows:' },
      { id: 'notes', text: '(1) Include cost of equipment sold.\n\n(2) Include advertising and billing expenses.' },
      { id: 'inline', text: 'Costs fell. (3) Include office expenses.' },
      { id: 'other', text: '(7) Refers to a table of another section.' },
      { id: 'table', text: '(1) Row | 2019: 4', table: { headerRows: 0, rows: [['(1) Row', '4']] } },
    ];
    expect(notesOfTable(table, passages).map((passage) => passage.id)).toEqual(['notes', 'inline']);
    expect(
      notesOfTable(
        {
          headerRows: 1,
          rows: [
            ['', '2019'],
            ['Revenue', '5'],
          ],
        },
        passages,
      ),
    ).toEqual([]);
  });
});
