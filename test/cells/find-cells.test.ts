import { describe, expect, it } from 'vitest';
import { alignedColumns, cellFor, cellsInPeriod, matchRows, periodCells, rowPreference, scoreRowName, stemWords } from '../../server/cells/find-cells.ts';
import { readPeriod } from '../../server/cells/periods.ts';
import { readTableCells } from '../../server/cells/read-table.ts';
import { rowName } from '../../server/cells/types.ts';

const uniform = () => 1;
const cells = readTableCells(
  {
    headerRows: 1,
    rows: [
      ['', 'December 31, 2019', 'December 31, 2018'],
      ['Cost of sales', '600', '550'],
      ['Net sales', '1,000', '900'],
      ['Other current assets', '9', '8'],
      ['Total current assets', '391', '339'],
      ['Receivables', '128', '126'],
    ],
  },
  'p1',
);

describe('cell lookup', () => {
  it('matches a row by its words, preferring the row that says no more than asked', () => {
    expect(rowName(matchRows(cells, 'total current assets', uniform)[0]!.cells[0]!)).toBe('Total current assets');
    expect(rowName(matchRows(cells, 'other current assets', uniform)[0]!.cells[0]!)).toBe('Other current assets');
  });

  it('matches a statement line item by its other captions (COGS → cost of sales, revenue → net sales)', () => {
    expect(rowName(matchRows(cells, 'cogs', uniform)[0]!.cells[0]!)).toBe('Cost of sales');
    expect(rowName(matchRows(cells, 'revenue', uniform)[0]!.cells[0]!)).toBe('Net sales');
  });

  it('stems plurals so "receivable" finds "Receivables"', () => {
    expect(scoreRowName('receivable', 'Receivables', uniform)).toBeGreaterThan(0.9);
  });

  it('finds no row for an item the table does not hold', () => {
    expect(matchRows(cells, 'goodwill impairment', uniform)).toEqual([]);
  });

  it('picks the cell of the asked period, and lists periods latest first', () => {
    const row = matchRows(cells, 'net sales', uniform)[0]!.cells;
    expect(cellFor(row, { label: '2018', year: 2018 })!.value).toBe(900);
    expect(cellFor(row, { label: '2017', year: 2017 })).toBeUndefined();
    expect(periodCells(row).map((cell) => cell.period!.year)).toEqual([2019, 2018]);
  });

  it('reads a date asked of a movement row as the span it opens or closes, the span it opens first', () => {
    const span = (start: string, end: string, value: number) => ({
      ...cells[0]!,
      label: 'Awarded',
      column: 'Units',
      value,
      text: String(value),
      period: { label: `${start} to ${end}`, year: Number(end.slice(0, 4)), start, end },
    });
    const row = [span('2018-01-01', '2018-12-30', 25), span('2018-12-30', '2019-12-29', 31)];
    expect(cellFor(row, readPeriod('January 1, 2018')!)!.value).toBe(25);
    expect(cellFor(row, readPeriod('December 30, 2018')!)!.value).toBe(31);
    expect(cellFor(row, readPeriod('December 29, 2019')!)!.value).toBe(31);
    expect(cellFor(row, readPeriod('2018')!)!.value).toBe(25);
    expect(cellFor(row, readPeriod('December 31, 2019')!)).toBeUndefined();
  });

  it('reads the amount of a period a row prints as a count and an amount, unless a column is named', () => {
    const row = readTableCells(
      {
        headerRows: 2,
        rows: [
          ['', '2019', ''],
          ['Ordinary shares', 'Number M', '$M'],
          ['Closing balance', '1,250.5', '6,010'],
        ],
      },
      'p14',
    );
    expect(cellFor(row, readPeriod('2019')!)!.value).toBe(6010);
    expect(cellsInPeriod(row, readPeriod('2019')!).map((cell) => cell.value)).toEqual([1250.5, 6010]);
  });

  it('takes the periods compared from one group of columns when a period is printed in several', () => {
    // A balance column, then a group of movements for two years, then shares of the base.
    const row = readTableCells(
      {
        headerRows: 2,
        rows: [
          ['', '', 'Members joined (left)', '', '% of region', ''],
          ['', 'June 30, 2019', 'June 30, 2019', 'June 30, 2018', 'June 30, 2019', 'June 30, 2018'],
          ['Gym memberships', '81,300', '(2,150)', '(3,420)', '12.5', '13.1'],
        ],
      },
      'p15',
    );
    const periods = [readPeriod('2018')!, readPeriod('2019')!];
    const first = periods.map((period) => cellFor(row, period));
    // Each period alone: the first 2019 column (the balance).
    expect(first.map((cell) => cell?.value)).toEqual([-3420, 81300]);
    expect(alignedColumns(row, periods, first).map((cell) => cell?.value)).toEqual([-3420, -2150]);
    // Periods each printed once are left as they are.
    const plain = readTableCells(
      {
        headerRows: 1,
        rows: [
          ['', '2019', '2018'],
          ['Gym memberships', '81,300', '83,450'],
        ],
      },
      'p16',
    );
    const picked = periods.map((period) => cellFor(plain, period));
    expect(alignedColumns(plain, periods, picked)).toEqual(picked);
  });

  it('prefers the passage retrieval ranked higher when two tables hold the same row', () => {
    const other = readTableCells(
      {
        headerRows: 1,
        rows: [
          ['', '2019'],
          ['Net sales', '5'],
        ],
      },
      'p2',
    );
    const best = matchRows([...cells, ...other], 'net sales', uniform, (id) => (id === 'p2' ? 1 : 0.2))[0]!;
    expect(best.cells[0]!.passageId).toBe('p2');
  });

  describe('rows under section rows', () => {
    const provision = readTableCells(
      {
        headerRows: 1,
        rows: [
          ['', '2019', '2018'],
          ['Current provision for income taxes:', '', ''],
          ['State', '$49', '$44'],
          ['Foreign', '1,716', '953'],
          ['Total current', '1,765', '997'],
          ['Deferred tax expense:', '', ''],
          ['Federal', '3', '(13)'],
          ['Total deferred', '(358)', '85'],
          ['Provision for income taxes', '$1,407', '$1,082'],
        ],
      },
      'p3',
    );
    const best = (item: string) => rowName(matchRows(provision, item, uniform)[0]!.cells[0]!);

    it('finds the exact row under the section the question names', () => {
      expect(best('current provision for income taxes state')).toBe('Current provision for income taxes › State');
      expect(best('deferred tax expense federal')).toBe('Deferred tax expense › Federal');
    });

    it('does not take a section’s subtotal for the total the question names by the row’s own words', () => {
      expect(best('total provision for income taxes')).toBe('Provision for income taxes');
      expect(best('total current provision for income taxes')).toBe('Current provision for income taxes › Total current');
    });

    it('counts a parent section’s words less than the row’s own', () => {
      expect(scoreRowName('current provision income taxes', 'Total current', uniform, undefined, 'Current provision for income taxes')).toBeLessThan(
        scoreRowName('current provision income taxes', 'Current provision for income taxes', uniform),
      );
    });
  });

  it('restricts a row to the dated columns whose words the item asks for', () => {
    const split = readTableCells(
      {
        headerRows: 1,
        rows: [
          ['', 'Current 2019', 'Non-current 2019', 'Current 2018', 'Non-current 2018'],
          ['Deferred revenue', '4,483', '3,444', '5,101', '3,707'],
        ],
      },
      'p4',
    );
    const nonCurrent = matchRows(split, 'non-current deferred revenue', uniform)[0]!.cells;
    expect(nonCurrent.map((cell) => cell.value)).toEqual([3444, 3707]);
    expect(matchRows(split, 'current deferred revenue', uniform)[0]!.cells.map((cell) => cell.value)).toEqual([4483, 5101]);
    expect(matchRows(split, 'deferred revenue', uniform)[0]!.cells).toHaveLength(4);
  });

  it('skips a row with no figure in it', () => {
    const empty = readTableCells(
      {
        headerRows: 1,
        rows: [
          ['', '2019'],
          ['Tax fees', '—'],
          ['Audit fees', '12'],
        ],
      },
      'p5',
    );
    expect(matchRows(empty, 'tax fees', uniform).map((row) => rowName(row.cells[0]!))).not.toContain('Tax fees');
  });

  it('drops footnote marks from labels, so "Revenue (2)" and "Total(1)" match as well as unmarked rows', () => {
    expect(stemWords('Revenue (2)')).toEqual(['revenue']);
    expect(stemWords('Total(1)')).toEqual(['total']);
    expect(stemWords('Diluted earnings per share (1,2)')).toEqual(stemWords('Diluted earnings per share'));
    expect(stemWords('Adjusted operating costs2')).toEqual(stemWords('Adjusted operating costs'));
    expect(stemWords('Level 2 inputs')).toEqual(['level', '2', 'input']);
    expect(scoreRowName('operating leases', 'Operating leases (1)', uniform)).toBe(scoreRowName('operating leases', 'Operating leases', uniform));
  });

  it('picks the qualified columns over the plain ones beside them when the item names their title', () => {
    const counted = readTableCells(
      {
        headerRows: 2,
        rows: [
          ['', '', 'Net additions (losses)', 'Net additions (losses)'],
          ['', 'August 31, 2019', 'August 31, 2019', 'August 31, 2018 (1)'],
          ['Service units', '901,446', '16,981', '20,251'],
        ],
      },
      'p6',
    );
    expect(matchRows(counted, 'service units net additions losses', uniform)[0]!.cells.map((cell) => cell.value)).toEqual([16981, 20251]);
    expect(matchRows(counted, 'service units', uniform)[0]!.cells).toHaveLength(3);
  });

  it('counts an unprinted "total" of the item as half covered, so "the total X" finds the row "X"', () => {
    const rows = ['Net revenues', 'Percentage of total net revenues', 'Total net revenues'].map((name) => scoreRowName('total net revenue', name, uniform));
    expect(rows[0]).toBeGreaterThan(0.85);
    expect(rows[2]).toBeGreaterThan(rows[0]!);
  });

  it('prefers rows of amounts to rows of percentages when the question names no percentage', () => {
    const mixed = readTableCells(
      {
        headerRows: 1,
        rows: [
          ['', '2019', '2018'],
          ['Weighted participating shares outstanding:', '', ''],
          ['Unvested restricted stock', '0.6', '0.4'],
          ['Loss allocated:', '', ''],
          ['Unvested restricted stock', '1.3 %', '0.8 %'],
        ],
      },
      'p7',
    );
    expect(matchRows(mixed, 'unvested restricted stock', uniform)[0]!.cells.map((cell) => cell.value)).toEqual([1.3, 0.8]);
    const amounts = matchRows(mixed, 'unvested restricted stock', uniform, undefined, undefined, rowPreference('average unvested restricted stock'));
    expect(amounts[0]!.cells.map((cell) => cell.value)).toEqual([0.6, 0.4]);
    expect(rowPreference('what percentage of the loss')).toEqual({});
    expect(rowPreference('licences percentage of revenue', true)).toEqual({ percentages: true });
    const printed = matchRows(mixed, 'unvested restricted stock', uniform, undefined, undefined, { percentages: true });
    expect(printed[0]!.cells.map((cell) => cell.value)).toEqual([1.3, 0.8]);
    expect(rowPreference('the effective tax rate')).toEqual({});
  });

  it('tells columns of two months of one year apart, and orders them by month', () => {
    const monthly = readTableCells(
      {
        headerRows: 1,
        rows: [
          ['', 'Jun-2018', 'Dec-2018', 'Jun-2019'],
          ['Warrants outstanding', '1,600', '1,450', '840'],
        ],
      },
      'p8',
    );
    const row = matchRows(monthly, 'warrants outstanding', uniform)[0]!.cells;
    expect(cellFor(row, readPeriod('Dec-2018')!)!.value).toBe(1450);
    expect(cellFor(row, readPeriod('June 2018')!)!.value).toBe(1600);
    expect(cellFor(row, readPeriod('December 31, 2018')!)!.value).toBe(1450);
    expect(periodCells(row).map((cell) => cell.value)).toEqual([840, 1450, 1600]);
  });

  it('picks a column only by the words that set it apart, a "Total" column included', () => {
    const profile = readTableCells(
      {
        headerRows: 2,
        rows: [
          ['', 'Total', 'Fixed rate financial assets', 'Floating rate financial assets', 'Financial assets earning no interest'],
          ['2020', '£m', '£m', '£m', '£m'],
          ['Yen', '80.0', '2.0', '12.0', '66.0'],
        ],
      },
      'p9',
    );
    expect(matchRows(profile, 'total financial assets yen', uniform)[0]!.cells.map((cell) => cell.value)).toEqual([80]);
    expect(matchRows(profile, 'floating rate financial assets yen', uniform)[0]!.cells.map((cell) => cell.value)).toEqual([12]);
  });
});
