import { describe, expect, it } from 'vitest';
import { passageCells, tableFromText } from '../../server/cells/passage-table.ts';
import { isEmptyCell, parseCellValue, readScale } from '../../server/cells/parse-value.ts';
import { readPeriod, withoutDates } from '../../server/cells/periods.ts';
import { readTableCells } from '../../server/cells/read-table.ts';
import { datedSentenceCells, sentenceCells } from '../../server/cells/sentence-cells.ts';
import { rowName } from '../../server/cells/types.ts';

describe('cell values', () => {
  it('reads signs, currency, percentages and parentheses as printed in filings', () => {
    expect(parseCellValue('$  1,452.4')).toEqual({ value: 1452.4, unit: '$' });
    expect(parseCellValue('(1,234)')).toEqual({ value: -1234 });
    expect(parseCellValue('$(12.5)')).toEqual({ value: -12.5, unit: '$' });
    expect(parseCellValue('-7.25')).toEqual({ value: -7.25 });
    expect(parseCellValue('12.5%')).toEqual({ value: 12.5, unit: '%' });
    expect(parseCellValue('(3.1)%')).toEqual({ value: -3.1, unit: '%' });
    expect(parseCellValue('€ 310')).toEqual({ value: 310, unit: '€' });
  });

  it('treats dashes, "- -", n/a and empty cells as no value, and words as no number', () => {
    for (const empty of ['', '—', '-', '- -', '–%', 'n/a', 'N/A', ' ']) {
      expect(parseCellValue(empty)).toBeUndefined();
      expect(isEmptyCell(empty)).toBe(true);
    }
    expect(parseCellValue('Fixed Price')).toBeUndefined();
    expect(parseCellValue('5 years')).toBeUndefined();
  });

  it('reads the scale a caption or header states', () => {
    expect(readScale('(in millions, except per share data)')).toEqual({ factor: 1e6, word: 'million' });
    expect(readScale('$ in thousands')).toEqual({ factor: 1e3, word: 'thousand' });
    expect(readScale("Amounts in $'000")).toEqual({ factor: 1e3, word: 'thousand' });
    expect(readScale('€m')).toEqual({ factor: 1e6, word: 'million' });
    expect(readScale('US$ billion')).toEqual({ factor: 1e9, word: 'billion' });
    expect(readScale('Revenue by region')).toBeUndefined();
  });
});

describe('periods in labels', () => {
  it('reads years, fiscal years, quarters, halves and dates', () => {
    expect(readPeriod('2019')).toEqual({ label: '2019', year: 2019 });
    expect(readPeriod('FY2023')).toMatchObject({ year: 2023 });
    expect(readPeriod("FY'22")).toMatchObject({ year: 2022 });
    expect(readPeriod('F19')).toMatchObject({ year: 2019 });
    expect(readPeriod('Q2 2024')).toMatchObject({ year: 2024, quarter: 2 });
    expect(readPeriod('Second quarter 2019')).toMatchObject({ year: 2019, quarter: 2 });
    expect(readPeriod('H1 2026')).toMatchObject({ year: 2026, half: 1 });
    expect(readPeriod('September 30, 2019')).toMatchObject({ year: 2019, end: '2019-09-30' });
    expect(readPeriod('31 December 2018')).toMatchObject({ year: 2018, end: '2018-12-31' });
  });

  it('reads a month of a year without its day, and quarters written quarter first', () => {
    expect(readPeriod('Jun-2018')).toMatchObject({ year: 2018, month: 6 });
    expect(readPeriod('February 2016')).toMatchObject({ year: 2016, month: 2 });
    expect(readPeriod('Mar-19')).toMatchObject({ year: 2019, month: 3 });
    expect(readPeriod('4Q19')).toMatchObject({ year: 2019, quarter: 4 });
    // A day-of-month with its year stays a date; "May 19" without a year is no period.
    expect(readPeriod('March 31, 2019')).toMatchObject({ year: 2019, end: '2019-03-31' });
    expect(readPeriod('May 19')).toBeUndefined();
  });

  it('takes dates and years out of a label, leaving the words that name the item', () => {
    expect(withoutDates('Balance at December 31, 2019').trim()).toBe('Balance at');
    expect(withoutDates('As at 31 December 2018').trim()).toBe('As at');
    expect(withoutDates('USD denominated FY2023').trim()).toBe('USD denominated');
    expect(withoutDates('Outstanding Jun-2018').trim()).toBe('Outstanding');
    expect(withoutDates('Level 2 inputs')).toBe('Level 2 inputs');
  });

  it('does not read a comparison of two years or a label without a year as a period', () => {
    expect(readPeriod('2019 vs 2018')).toBeUndefined();
    expect(readPeriod('% Change')).toBeUndefined();
    expect(readPeriod('Change 2018 to 2019')).toBeUndefined();
    expect(readPeriod('2019 over 2018')).toBeUndefined();
    expect(readPeriod('2020-2018')).toBeUndefined();
  });

  it('reads a quarter whose year the label names elsewhere, as a title spanning the quarters prints it', () => {
    expect(readPeriod('Fiscal 2019 First Quarter')).toMatchObject({ year: 2019, quarter: 1 });
    expect(readPeriod('Q3 Fiscal 2020')).toMatchObject({ year: 2020, quarter: 3 });
    expect(readPeriod('2020 Second half')).toMatchObject({ year: 2020, half: 2 });
    const cells = readTableCells(
      {
        headerRows: 1,
        rows: [
          ['(in thousands)', 'Q1', 'Q2'],
          ['2020', '', ''],
          ['Bookings', '700', '750'],
          ['2019', '', ''],
          ['Bookings', '640', '690'],
        ],
      },
      'p1',
    );
    // A column titled by its quarter alone takes the year of the section above the row.
    expect(cells.filter((cell) => cell.value === 750).map((cell) => cell.period)).toEqual([expect.objectContaining({ year: 2020, quarter: 2 })]);
    expect(cells.filter((cell) => cell.value === 640).map((cell) => cell.period)).toEqual([expect.objectContaining({ year: 2019, quarter: 1 })]);
  });

  it('reads maturity bands as tables head them, in years from the balance date', () => {
    expect(readPeriod('Less than 1 Year')).toMatchObject({ due: { from: 0, to: 1 } });
    expect(readPeriod('Within one year')).toMatchObject({ due: { from: 0, to: 1 } });
    expect(readPeriod('1-3 Years')).toMatchObject({ due: { from: 1, to: 3 } });
    expect(readPeriod('Between two and five years')).toMatchObject({ due: { from: 2, to: 5 } });
    expect(readPeriod('After one year but within five years')).toMatchObject({ due: { from: 1, to: 5 } });
    expect(readPeriod('More than 5 Years')).toEqual({ label: 'More than 5 Years', due: { from: 5 } });
    expect(readPeriod('5+ years')).toMatchObject({ due: { from: 5 } });
    expect(readPeriod('Up to 6 months')).toMatchObject({ due: { from: 0, to: 0.5 } });
    // A band under a spanning title closes the column's label; the period is the band.
    expect(readPeriod('Payments due by period Less than 1 Year $m')).toEqual({ label: 'Less than 1 Year', due: { from: 0, to: 1 } });
    // A band followed by what it describes is no period.
    expect(readPeriod('Receivables over 5 years old')).toBeUndefined();
    expect(readPeriod('Useful life 3 to 5 years of assets')).toBeUndefined();
  });

  it('reads two years written in order as the span of years a maturity column covers', () => {
    expect(readPeriod('2026-2027')).toEqual({ label: '2026-2027', year: 2026, through: 2027 });
    expect(readPeriod('2028 – 2030')).toMatchObject({ year: 2028, through: 2030 });
    expect(readPeriod('Years 2026 to 2027')).toMatchObject({ year: 2026, through: 2027 });
  });
});

describe('reading a table into cells', () => {
  const table = {
    caption: 'Net sales (in millions)',
    headerRows: 2,
    rows: [
      ['', 'Fiscal', 'Fiscal', ''],
      ['', '2019', '2018', '% change'],
      ['Industrial Solutions', '', '', ''],
      ['Energy', '$ 1,452.4', '(56.7)', '4%'],
      ['Per share', '1.25', '1.10', ''],
      ['Total Industrial Solutions', '2,000', '—', ''],
      ['Other', '44.1', '- -', ''],
    ],
  };
  const cells = readTableCells(table, 'p1');

  it('names each cell by its row under its section and its column with the period', () => {
    const energy2019 = cells.find((cell) => cell.label === 'Energy' && cell.columnIndex === 1)!;
    expect(rowName(energy2019)).toBe('Industrial Solutions › Energy');
    expect(energy2019).toMatchObject({
      column: 'Fiscal 2019',
      period: { year: 2019 },
      value: 1452.4,
      unit: '$',
      scale: 1e6,
      scaleWord: 'million',
      passageId: 'p1',
    });
  });

  it('reads parentheses as negative, dashes in a row of figures as nil, and keeps percentages and per-share rows unscaled', () => {
    expect(cells.find((cell) => cell.label === 'Energy' && cell.columnIndex === 2)!.value).toBe(-56.7);
    expect(cells.find((cell) => cell.label === 'Energy' && cell.columnIndex === 3)).toMatchObject({ value: 4, unit: '%', scale: 1 });
    expect(cells.find((cell) => cell.label === 'Per share' && cell.columnIndex === 1)).toMatchObject({ value: 1.25, scale: 1 });
    expect(cells.find((cell) => cell.label === 'Total Industrial Solutions' && cell.columnIndex === 2)!.value).toBe(0);
    expect(cells.find((cell) => cell.label === 'Other' && cell.columnIndex === 2)!.value).toBe(0);
    const dashed = readTableCells(
      {
        headerRows: 1,
        rows: [
          ['', '2019', '2018'],
          ['Tax fees', '—', '—'],
          ['Audit fees', 'n/a', '$ –'],
          ['Other fees', '$ –', '12'],
        ],
      },
      'p2',
    );
    // A row of dashes alone holds no figure, and "n/a" is not nil.
    expect(dashed.filter((cell) => cell.label !== 'Other fees').map((cell) => cell.value)).toEqual([undefined, undefined, undefined, undefined]);
    expect(dashed.find((cell) => cell.label === 'Other fees' && cell.columnIndex === 1)).toMatchObject({ value: 0, unit: '$' });
  });

  it('closes a section at its total', () => {
    expect(cells.find((cell) => cell.label === 'Other')!.path).toEqual([]);
  });

  it('fills a spanning header cell across the columns under it', () => {
    const spanned = readTableCells(
      {
        headerRows: 2,
        rows: [
          ['', '2019', '', '2018', ''],
          ['', 'Amount', '%', 'Amount', '%'],
          ['Cash', '130', '10%', '91', '8%'],
        ],
      },
      'p2',
    );
    expect(spanned.map((cell) => [cell.column, cell.value])).toEqual([
      ['2019 Amount', 130],
      ['2019 %', 10],
      ['2018 Amount', 91],
      ['2018 %', 8],
    ]);
  });

  it('finds the header rows when the parser did not mark them', () => {
    const detected = readTableCells(
      {
        headerRows: 0,
        rows: [
          ['', 'Years Ended September 30,', ''],
          ['', '2019', '2018'],
          ['Revenue', '1,496.5', '1,202.9'],
        ],
      },
      'p3',
    );
    expect(detected.map((cell) => [cell.label, cell.period?.year, cell.value])).toEqual([
      ['Revenue', 2019, 1496.5],
      ['Revenue', 2018, 1202.9],
    ]);
  });

  it('reads a transposed table (periods down the rows) as line-item rows over periods', () => {
    const transposed = readTableCells(
      {
        headerRows: 1,
        rows: [
          ['Year', 'Revenue', 'Net income'],
          ['2019', '500', '50'],
          ['2018', '400', '(10)'],
        ],
      },
      'p4',
    );
    expect(transposed.find((cell) => cell.label === 'Net income' && cell.column === '2018')).toMatchObject({ period: { year: 2018 }, value: -10 });
    const netIncome = transposed.filter((cell) => cell.label === 'Net income');
    expect(new Set(netIncome.map((cell) => cell.rowIndex)).size).toBe(1);
    expect(netIncome.map((cell) => cell.period?.year)).toEqual([2019, 2018]);
  });

  it('reads a roll-forward’s dated balance rows as one row over periods', () => {
    const cells = readTableCells(
      {
        headerRows: 1,
        rows: [
          ['', 'Number of shares', 'Weighted average price'],
          ['Nonvested at December 31, 2018', '5,974', '$6.51'],
          ['Granted', '2,000', '$7.10'],
          ['Nonvested at December 31, 2019', '6,148', '$6.80'],
        ],
      },
      'p7',
    );
    const balances = cells.filter((cell) => cell.label.startsWith('Nonvested'));
    expect(new Set(balances.map((cell) => cell.rowIndex)).size).toBe(1);
    expect(balances.filter((cell) => cell.column === 'Number of shares').map((cell) => [cell.period?.year, cell.value])).toEqual([
      [2018, 5974],
      [2019, 6148],
    ]);
    expect(cells.find((cell) => cell.label === 'Granted')!.rowIndex).not.toBe(balances[0]!.rowIndex);
  });

  it('dates a roll-forward’s movement rows by the balances around them, one row over its spans', () => {
    const cells = readTableCells(
      {
        headerRows: 1,
        rows: [
          ['', 'Units (in thousands)', 'Average price'],
          ['Unvested at January 1, 2018', '40', '$9.10'],
          ['Awarded', '25', '8.00'],
          ['Cancelled', '(5)', '7.50'],
          ['Unvested at December 30, 2018', '60', '8.90'],
          ['Awarded', '31', '6.20'],
          ['Unvested at December 29, 2019', '91', '$7.40'],
        ],
      },
      'p8',
    );
    const awarded = cells.filter((cell) => cell.label === 'Awarded' && cell.columnIndex === 1);
    expect(new Set(awarded.map((cell) => cell.rowIndex)).size).toBe(1);
    expect(awarded.map((cell) => [cell.value, cell.period?.year, cell.period?.start, cell.period?.end])).toEqual([
      [25, 2018, '2018-01-01', '2018-12-30'],
      [31, 2019, '2018-12-30', '2019-12-29'],
    ]);
    // The movements move the balance the table rolls forward.
    expect(awarded[0]!.context).toBe('Unvested');
    expect(cells.find((cell) => cell.label === 'Cancelled')!.period?.end).toBe('2018-12-30');
  });

  it('names a span closing in the first days of January by the year before, as 52/53-week reports do', () => {
    const cells = readTableCells(
      {
        headerRows: 1,
        rows: [
          ['', 'Shares'],
          ['Outstanding at January 2, 2017', '10'],
          ['Exercised', '(3)'],
          ['Outstanding at January 1, 2018', '7'],
        ],
      },
      'p9',
    );
    expect(cells.find((cell) => cell.label === 'Exercised')!.period?.year).toBe(2017);
  });

  it('leaves rows undated between balances of different line items, and tables dated by their columns', () => {
    const cells = readTableCells(
      {
        headerRows: 1,
        rows: [
          ['', '2019', '2018'],
          ['At 1 January', '65', '64'],
          ['Additions', '2', '3'],
          ['At 31 December', '67', '65'],
        ],
      },
      'p10',
    );
    expect(cells.find((cell) => cell.label === 'Additions')!.period).toEqual({ label: '2019', year: 2019 });
    expect(cells.every((cell) => cell.context === undefined)).toBe(true);
  });

  it('keeps a unit or scale one column title states to that column: a count beside its amount, a price beside a count', () => {
    const capital = readTableCells(
      {
        headerRows: 2,
        rows: [
          ['', '2019', '', '2018', ''],
          ['Ordinary shares', 'M', '$M', 'M', '$M'],
          ['Closing balance', '1,250.5', '6,010', '1,301.2', '6,190'],
        ],
      },
      'p11',
    );
    expect(capital.map((cell) => [cell.unit, cell.scaleWord])).toEqual([
      [undefined, 'million'],
      ['$', 'million'],
      [undefined, 'million'],
      ['$', 'million'],
    ]);
    const awards = readTableCells(
      {
        headerRows: 1,
        rows: [
          ['', 'Units (in thousands)', 'Weighted average fair value'],
          ['Unvested at year end', '420', '$11.30'],
        ],
      },
      'p12',
    );
    expect(awards.map((cell) => [cell.value, cell.scaleWord])).toEqual([
      [420, 'thousand'],
      [11.3, undefined],
    ]);
  });

  it('still applies a header’s scale and currency to every column when the columns agree', () => {
    const cells = readTableCells(
      {
        headerRows: 1,
        rows: [
          ['(in $ thousands)', '2019', '2018'],
          ['Revenue', '500', '450'],
        ],
      },
      'p13',
    );
    expect(cells.map((cell) => [cell.unit, cell.scaleWord])).toEqual([
      ['$', 'thousand'],
      ['$', 'thousand'],
    ]);
  });

  it('names an unlabelled line of figures under labelled rows as the total of its section or table', () => {
    const cells = readTableCells(
      {
        headerRows: 1,
        rows: [
          ['', '2019', '2018'],
          ['Other operating expenses:', '', ''],
          ['Restructuring', '100', '300'],
          ['Impairment', '66.3', '213.3'],
          ['', '166.3', '513.3'],
          ['Warranty reserve', '529', '520'],
          ['Commissions', '378', '307'],
          ['', '$1,073.3', '$1,340.3'],
        ],
      },
      'p8',
    );
    const totals = cells.filter((cell) => cell.label.startsWith('Total') && cell.column === '2019');
    expect(totals.map((cell) => [rowName(cell), cell.value])).toEqual([
      ['Other operating expenses › Total other operating expenses', 166.3],
      ['Total', 1073.3],
    ]);
  });

  it('dates the rows under a section row that names a date', () => {
    const cells = readTableCells(
      {
        headerRows: 1,
        rows: [
          ['', 'Domestic', 'Foreign'],
          ['As at 31 December 2019', '', ''],
          ['Cash', '10', '4'],
          ['As at 31 December 2018', '', ''],
          ['Cash', '8', '3'],
        ],
      },
      'p6',
    );
    expect(cells.filter((cell) => cell.column === 'Foreign').map((cell) => [cell.period?.year, cell.value])).toEqual([
      [2019, 4],
      [2018, 3],
    ]);
  });
});

describe('reading the structure annual reports print', () => {
  it('takes a labelled header row over units only as the section of the rows under it', () => {
    const cells = readTableCells(
      {
        headerRows: 2,
        rows: [
          ['', 'Year to 31 March 2019', 'Year to 31 March 2018'],
          ['Sales to customers by region', '£m', '£m'],
          ['North', '83.2', '73.5'],
          ['South', '222.2', '199.0'],
        ],
      },
      'p1',
    );
    expect(cells.filter((cell) => cell.columnIndex === 1).map((cell) => [rowName(cell), cell.value, cell.scaleWord])).toEqual([
      ['Sales to customers by region › North', 83.2, 'million'],
      ['Sales to customers by region › South', 222.2, 'million'],
    ]);
  });

  it('takes a body row with units where figures would be as a section row', () => {
    const cells = readTableCells(
      {
        headerRows: 1,
        rows: [
          ['', '2019', '2018'],
          ['Contract balances', "$'000", "$'000"],
          ['Opening', '10', '8'],
        ],
      },
      'p2',
    );
    expect(cells.map((cell) => rowName(cell))).toEqual(['Contract balances › Opening', 'Contract balances › Opening']);
  });

  it('reads a second block of columns whose header rows are printed again inside the body', () => {
    const cells = readTableCells(
      {
        headerRows: 2,
        rows: [
          ['', 'Quarter ended', ''],
          ['', 'June 30, 2019', 'March 31, 2019'],
          ['Low', '$70.77', '$75.80'],
          ['', 'Quarter ended', ''],
          ['', 'June 30,', 'March 31,'],
          ['', '2018', '2018'],
          ['Low', '$81.87', '$79.23'],
        ],
      },
      'p3',
    );
    expect(cells.map((cell) => [cell.label, cell.period?.end, cell.value])).toEqual([
      ['Low', '2019-06-30', 70.77],
      ['Low', '2019-03-31', 75.8],
      ['Low', '2018-06-30', 81.87],
      ['Low', '2018-03-31', 79.23],
    ]);
  });

  it('dates a column’s year on the day its row names, as roll-forwards print opening and closing balances', () => {
    const cells = readTableCells(
      {
        headerRows: 1,
        rows: [
          ['£m', '2019', '2018'],
          ['At 1 January', '65.6', '64.8'],
          ['Additions', '3.0', '0.8'],
          ['At 31 December', '68.6', '65.6'],
        ],
      },
      'p4',
    );
    expect(cells.map((cell) => [cell.label, cell.period?.year, cell.period?.end])).toEqual([
      ['At 1 January', 2019, '2019-01-01'],
      ['At 1 January', 2018, '2018-01-01'],
      ['Additions', 2019, undefined],
      ['Additions', 2018, undefined],
      ['At 31 December', 2019, '2019-12-31'],
      ['At 31 December', 2018, '2018-12-31'],
    ]);
  });

  it('does not spread a header line that breaks off mid-phrase across the next columns', () => {
    const cells = readTableCells(
      {
        headerRows: 2,
        rows: [
          ['', 'Balance at Beginning of', '', ''],
          ['', 'Period', 'Additions', 'Balance at End of Period'],
          ['Deferred revenue', '5,101', '(618)', '4,483'],
        ],
      },
      'p5',
    );
    expect(cells.map((cell) => cell.column)).toEqual(['Balance at Beginning of Period', 'Additions', 'Balance at End of Period']);
  });

  it('names a "Percentage of revenue" row by the amount row printed above it', () => {
    const cells = readTableCells(
      {
        headerRows: 1,
        rows: [
          ['', '2020', '2019'],
          ['Licences', '$4,100', '$3,900'],
          ['Percentage of revenue', '61.2%', '60.0%'],
          ['Support', '2,600', '2,600'],
          ['Percentage of revenue', '38.8%', '40.0%'],
        ],
      },
      'p7',
    );
    expect([...new Set(cells.map(rowName))]).toEqual(['Licences', 'Licences › Percentage of revenue', 'Support', 'Support › Percentage of revenue']);
  });

  it("keeps an investor's share of an associate's profit a line of its own, not a share of the row above", () => {
    const cells = readTableCells(
      {
        headerRows: 1,
        rows: [
          ['€m', '2021', '2020'],
          ['Opening carrying amount', '212.0', '198.4'],
          ['Share of profit of joint ventures', '(4.1)', '13.6'],
          ['Closing carrying amount', '207.9', '212.0'],
        ],
      },
      'p8',
    );
    expect([...new Set(cells.map(rowName))]).toEqual(['Opening carrying amount', 'Share of profit of joint ventures', 'Closing carrying amount']);
  });

  it('dates the columns by a date printed over the label column when they name none', () => {
    const cells = readTableCells(
      {
        headerRows: 1,
        rows: [
          ['31 March 2021', 'Current', 'Past due', 'Total'],
          ['Loss allowance', '120', '45', '165'],
        ],
      },
      'p8',
    );
    expect(cells.map((cell) => cell.period?.end)).toEqual(['2021-03-31', '2021-03-31', '2021-03-31']);
  });

  it('keeps the parent section open for the next heading once a total has closed its sibling', () => {
    const cells = readTableCells(
      {
        headerRows: 1,
        rows: [
          ['', 'Cost', 'Net'],
          ['30 June 2021', '', ''],
          ['Amortised intangibles', '', ''],
          ['Licences', '9.0', '4.0'],
          ['Total', '9.0', '4.0'],
          ['Intangibles not amortised', '', ''],
          ['Licences', '6.0', '6.0'],
        ],
      },
      'p9',
    );
    expect([...new Set(cells.map(rowName))]).toEqual([
      '30 June 2021 › Amortised intangibles › Licences',
      '30 June 2021 › Amortised intangibles › Total',
      '30 June 2021 › Intangibles not amortised › Licences',
    ]);
    expect(cells.at(-1)!.period).toMatchObject({ end: '2021-06-30' });
  });

  it('reads a column of years as dates, not amounts', () => {
    const cells = readTableCells(
      {
        headerRows: 1,
        rows: [
          ['', 'Year of expiry', 'Amount'],
          ['Federal credits', '2031', '$8,400'],
          ['State credits', '2028', '$950'],
        ],
      },
      'p10',
    );
    expect(cells.map((cell) => cell.value)).toEqual([undefined, 8400, undefined, 950]);
  });

  it('keeps a header title the row prints under each year to its own column', () => {
    const cells = readTableCells(
      {
        headerRows: 3,
        rows: [
          ['', '2019', '', '2018', ''],
          ['', 'Number', '', 'Number', ''],
          ['', 'M', '$M', 'M', '$M'],
          ['Contributed equity', '1,251.8', '5,828', '1,308.4', '6,055'],
        ],
      },
      'p6',
    );
    expect(cells.map((cell) => cell.column)).toEqual(['2019 Number M', '2019 $M', '2018 Number M', '2018 $M']);
  });
});

describe('tables written as text', () => {
  it('rebuilds a pipe table whose header line dropped the empty label cell', () => {
    const text = 'Contracts were mostly fixed-price.\n\n2019 | 2018\n\nFixed Price | $ 1,452.4 | $ 1,146.2\n\nOther | 44.1 | 56.7';
    expect(tableFromText(text)?.rows).toEqual([
      ['', '2019', '2018'],
      ['Fixed Price', '$ 1,452.4', '$ 1,146.2'],
      ['Other', '44.1', '56.7'],
    ]);
    expect(
      passageCells({ id: 'p5', text })
        .filter((cell) => cell.label === 'Other')
        .map((cell) => [cell.period?.year, cell.value]),
    ).toEqual([
      [2019, 44.1],
      [2018, 56.7],
    ]);
  });

  it('finds no table in prose', () => {
    expect(passageCells({ id: 'p6', text: 'Revenue grew 12% to $4.1 billion in 2019. Margins were stable.' })).toEqual([]);
  });

  it('takes a stored table grid over the passage text', () => {
    const cells = passageCells({
      id: 'p7',
      text: 'Revenue | 2019: 10',
      table: {
        headerRows: 1,
        rows: [
          ['', '2019'],
          ['Revenue', '10'],
        ],
      },
    });
    expect(cells).toHaveLength(1);
    expect(cells[0]).toMatchObject({ label: 'Revenue', value: 10, period: { year: 2019 } });
  });
});

describe('figures sentences pair with years', () => {
  it('pairs "respectively" figures with the years in order', () => {
    const cells = sentenceCells('Amounts capitalized to software for the years ended December 31, 2019 and 2018 were $3,800 and $6,690, respectively.', 's1');
    expect(cells.map((cell) => [cell.period?.year, cell.value, cell.unit])).toEqual([
      [2019, 3800, '$'],
      [2018, 6690, '$'],
    ]);
  });

  it('pairs each figure with the year written after it, with its scale word', () => {
    const cells = sentenceCells('Adjusted EBITDA increased to $34.4 million in 2019 from $26.2 million in 2018.', 's2');
    expect(cells.map((cell) => [cell.period?.year, cell.value, cell.scaleWord])).toEqual([
      [2019, 34.4, 'million'],
      [2018, 26.2, 'million'],
    ]);
  });

  it('reads runs of a "respectively" sentence as rows of their own, each named by the words around it', () => {
    const cells = sentenceCells(
      'Of the $2.8 billion and $2.4 billion net tax liability at December 31, 2019 and 2018, respectively, $2.9 billion and $2.5 billion is reflected as a long-term liability.',
      's4',
    );
    expect(cells.map((cell) => [cell.rowIndex, cell.period?.year, cell.value])).toEqual([
      [-100, 2019, 2.8],
      [-100, 2018, 2.4],
      [-101, 2019, 2.9],
      [-101, 2018, 2.5],
    ]);
    expect(cells[2]!.context).toContain('long-term liability');
  });

  it('leaves the predicate after a run ("was recorded in …") to that run, not to the run after it', () => {
    const cells = sentenceCells(
      'Of the $40 million and $35 million of grants in 2021 and 2020, respectively, $12 million and $9 million was recorded in cost of sales and $28 million and $26 million was recorded in operating expenses.',
      's5',
    );
    const third = cells.filter((cell) => cell.rowIndex === -102);
    expect(third.map((cell) => cell.value)).toEqual([28, 26]);
    expect(third[0]!.label).not.toContain('cost of sales');
    expect(cells.find((cell) => cell.rowIndex === -101)!.context).toContain('cost of sales');
  });

  it('pairs amounts and percentages with the date after each, keeping them apart by unit', () => {
    const cells = sentenceCells(
      'Debt securities included $53 million of debentures, or 0.21% of plan assets, at December 31, 2019 and $68 million of debentures, or 0.30% of plan assets, at December 31, 2018.',
      's5',
    );
    expect(cells.map((cell) => [cell.period?.year, cell.value, cell.unit ?? cell.scaleWord])).toEqual([
      [2019, 53, '$'],
      [2019, 0.21, '%'],
      [2018, 68, '$'],
      [2018, 0.3, '%'],
    ]);
  });

  it('reads nothing when figures and years do not pair up', () => {
    expect(sentenceCells('Sales rose 5% in 2019 and 2018 was a record, with $4.2 million and $1.1 million and $3 million in bookings.', 's3')).toEqual([]);
  });
});

describe('figures a sentence states for one period', () => {
  it('dates the one figure of a sentence by the month or the year written before it', () => {
    const cells = datedSentenceCells(
      'In March 2021, we awarded 212,500 restricted units to senior managers, to vest between June 2022 and June 2024. Net sales grew to $8.2 million in fiscal 2020.',
      'p1',
    );
    expect(cells.map((cell) => [cell.period?.year, cell.period?.month, cell.value, cell.scaleWord])).toEqual([
      [2021, 3, 212500, undefined],
      [2020, undefined, 8.2, 'million'],
    ]);
    // The sentence without its date and figure names the figure.
    expect(cells[0]!.label).toBe('we awarded … restricted units to senior managers, to vest between and');
    expect(cells[1]!.label).toBe('Net sales grew to');
    expect(new Set(cells.map((cell) => cell.rowIndex)).size).toBe(2);
  });

  it('reads no cell from a sentence with two figures, two periods before its figure, or no period', () => {
    expect(datedSentenceCells('In 2021 we hired 1,200 people and opened 3.5 thousand square metres of offices.', 'p2')).toEqual([]);
    expect(datedSentenceCells('Between May 2020 and May 2021 we repaid $4.0 million of loans.', 'p3')).toEqual([]);
    expect(datedSentenceCells('We repaid $4.0 million of loans.', 'p4')).toEqual([]);
  });
});
