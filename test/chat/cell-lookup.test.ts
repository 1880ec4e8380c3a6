import { describe, expect, it } from 'vitest';
import type { TableData } from '../../kb/types.ts';
import type { SearchHit } from '../../server/retrieval/hybrid-search.ts';
import { answerOverTables, tableHit } from '../helpers/cell-hits.ts';

/** Which rows and columns a question's words pick, over hand-built tables laid out as annual reports print them. */
describe('cell lookup in answers', () => {
  const exposure: TableData = {
    headerRows: 1,
    rows: [
      ['', 'EUR denominated €m', 'Non-EUR denominated €m'],
      ['As at 30 June 2020', '', ''],
      ['Monetary assets, current', '500', '70'],
      ['Monetary assets, non-current', '25', '–'],
      ['Monetary liabilities, current', '(40)', '(90)'],
      ['Monetary liabilities, non-current', '(5)', '(30)'],
      ['', '480', '(50)'],
      ['As at 30 June 2019', '', ''],
      ['Monetary assets, current', '410', '60'],
      ['Monetary assets, non-current', '35', '–'],
      ['Monetary liabilities, current', '(20)', '(80)'],
      ['Monetary liabilities, non-current', '(8)', '(25)'],
      ['', '417', '(45)'],
    ],
  };

  it('adds up the rows that name every word the best row names, in the column and dated section asked', async () => {
    // 500 + 25: the liabilities rows share "monetary" and the column, not "assets"; the unlabelled net line names nothing asked.
    const later = await answerOverTables('What was the total EUR denominated monetary assets as at 30 June 2020?', [tableHit('p1', exposure)]);
    expect(later!.lead).toMatch(/^\*\*525 million\*\*/);
    // 410 + 35: the rows under the section dated to the day asked, though the other section's rows are named as well.
    const earlier = await answerOverTables('What was the total EUR denominated monetary assets as at 30 June 2019?', [tableHit('p1', exposure)]);
    expect(earlier!.lead).toMatch(/^\*\*445 million\*\*/);
  });

  it('takes a row printing figures in every period asked over an equally named row with a dash (nil) in one', async () => {
    const awards = (later: string, earlier: string): TableData => ({
      headerRows: 1,
      rows: [
        ['', '2020', '2019'],
        ['Bonus shares awarded', later, earlier],
      ],
    });
    const result = await answerOverTables('What was the change in the bonus shares awarded in 2020 from 2019?', [
      tableHit('p1', awards('7,100', '–'), 0.9),
      tableHit('p2', awards('3,200', '6,000'), 0.88),
    ]);
    expect(result!.lead).toMatch(/^\*\*−2,800\*\*/);
  });

  it('reads a roll-forward’s movement row for the spans whose opening or closing dates the question names', async () => {
    const awards: TableData = {
      headerRows: 1,
      rows: [
        ['', 'Units (in thousands)', 'Weighted average fair value'],
        ['Unvested at January 1, 2017', '30', '$9.50'],
        ['Awarded', '14', '9.00'],
        ['Released', '(4)', '8.10'],
        ['Unvested at January 1, 2018', '40', '$9.10'],
        ['Awarded', '25', '8.00'],
        ['Released', '(5)', '7.50'],
        ['Unvested at December 30, 2018', '60', '8.90'],
        ['Awarded', '31', '6.20'],
        ['Released', '(9)', '6.00'],
        ['Unvested at December 29, 2019', '82', '$7.40'],
      ],
    };
    // (14 + 31) / 2: the span opened on January 1, 2017 and the one between December 30, 2018 and
    // December 29, 2019, counted once; the span between them is not asked.
    const result = await answerOverTables(
      'What is the average number of unvested units awarded on January 1, 2017 and between December 30, 2018 and December 29, 2019?',
      [tableHit('p1', awards)],
    );
    expect(result!.lead).toMatch(/^\*\*22.5 thousand\*\*/);
    // Outflows printed in parentheses between the balances are averaged as the sizes they are: (4 + 9) / 2.
    const released = await answerOverTables(
      'What is the average number of unvested units released on January 1, 2017 and between December 30, 2018 and December 29, 2019?',
      [tableHit('p1', awards)],
    );
    expect(released!.lead).toMatch(/^\*\*6.5 thousand\*\*/);
  });

  it('reads the amount column of a year that prints a count beside it, and the count when the question names it', async () => {
    const capital: TableData = {
      headerRows: 2,
      rows: [
        ['', '2020', '', '2019', ''],
        ['Ordinary shares', 'Number M', '$M', 'Number M', '$M'],
        ['Share capital at end of year', '1,250.5', '6,010', '1,301.2', '6,190'],
      ],
    };
    const amount = await answerOverTables('What is the average share capital at end of year for 2019 and 2020?', [tableHit('p1', capital)]);
    expect(amount!.lead).toMatch(/^\*\*6,100 million\*\*/);
    const count = await answerOverTables('What is the average number of share capital at end of year for 2019 and 2020?', [tableHit('p1', capital)]);
    expect(count!.lead).toMatch(/^\*\*1,275.85 million\*\*/);
  });

  it('answers which row is largest in the column a question names when the table has no periods', async () => {
    const commitments: TableData = {
      headerRows: 2,
      rows: [
        ['', '', 'Payments due (in millions)', ''],
        ['Commitments', 'Total', 'Within 1 year', 'After 1 year'],
        ['Bank loans . . .', '820.0', '100.0', '720.0'],
        ['Leases', '95.5', '20.5', '75.0'],
        ['Purchase commitments', '410.2', '400.0', '10.2'],
        ['Total', '1,325.7', '520.5', '805.2'],
      ],
    };
    const largest = await answerOverTables('Which commitment has the highest total value?', [tableHit('p1', commitments)]);
    expect(largest!.lead).toMatch(/^Bank loans had the largest Total/);
    const smallest = await answerOverTables('Which commitment has the lowest amount due within 1 year?', [tableHit('p1', commitments)]);
    expect(smallest!.lead).toMatch(/^Leases had the smallest/);
  });

  it('reads a span of years a maturity table heads a column with as that column, and as a range elsewhere', async () => {
    const obligations: TableData = {
      headerRows: 1,
      rows: [
        ['(In thousands)', 'Total', '2025', '2026-2027', '2028-2029', 'Thereafter'],
        ['Office leases', '$9,800', '$2,100', '$3,900', '$2,600', '$1,200'],
        ['Equipment leases', '40', '15', '25', '—', '—'],
      ],
    };
    const change = await answerOverTables('What was the increase in office leases due from 2025 to 2026-2027?', [tableHit('p1', obligations)]);
    expect(change!.lead).toMatch(/^\*\*\+1,800 thousand\*\*/);
    const between = await answerOverTables('What was the change in office leases from 2026-2027 to 2028-2029?', [tableHit('p1', obligations)]);
    expect(between!.lead).toMatch(/^\*\*−1,300 thousand\*\*/);
    // Columns of single years: "2016-2018" is every year between its ends.
    const yearly: TableData = {
      headerRows: 1,
      rows: [
        ['', '2018', '2017', '2016'],
        ['Revenue', '300', '200', '100'],
      ],
    };
    const average = await answerOverTables('What was the average revenue for 2016-2018?', [tableHit('p2', yearly)]);
    expect(average!.lead).toMatch(/^\*\*200\*\*/);
  });

  it('reads quarterly columns under a year title, and a quarter the question writes without its year', async () => {
    const quarterly: TableData = {
      headerRows: 2,
      rows: [
        ['', 'Fiscal 2020', '', ''],
        ['(in thousands)', 'First Quarter', 'Second Quarter', 'Third Quarter'],
        ['Subscription revenue', '2,000', '2,300', '2,450'],
      ],
    };
    const hits = [tableHit('p1', quarterly)];
    expect((await answerOverTables('What was the subscription revenue in the second quarter of 2020?', hits))!.lead).toMatch(/2,300 thousand in Q2 2020/);
    const change = await answerOverTables('What was the change in subscription revenue from the first quarter to the third quarter of 2020?', hits);
    expect(change!.lead).toMatch(/^\*\*\+450 thousand\*\*/);
  });

  it('reads the share of a row’s total that falls in the years asked, in a lease maturity table printed down its rows', async () => {
    const leases: TableData = {
      headerRows: 1,
      rows: [
        ['Years ending December 31,', 'Operating leases', 'Finance leases'],
        ['2026', '$300', '$20'],
        ['2027', '250', '16'],
        ['Thereafter', '450', '4'],
        ['Total minimum lease payments', '1,000', '40'],
      ],
    };
    const share = await answerOverTables('What percentage of total operating lease payments is due in 2026?', [tableHit('p1', leases)]);
    expect(share!.lead).toMatch(/^\*\*30\.00%\*\*/);
    const two = await answerOverTables('What proportion of finance lease payments is due in 2026 and 2027?', [tableHit('p1', leases)]);
    expect(two!.lead).toMatch(/^\*\*90\.00%\*\*/);
  });

  it('reads a share whose whole is a column of the part’s table (a fair value level) over that column’s total line', async () => {
    const hierarchy: TableData = {
      headerRows: 2,
      rows: [
        ['June 30, 2021', '', '', '', ''],
        ['', 'Quoted prices (Level 1)', 'Observable inputs (Level 2)', 'Unobservable inputs (Level 3)', 'Total'],
        ['Money market funds', '$800', '$200', '$—', '$1,000'],
        ['Corporate bonds', '—', '1,800', '—', '1,800'],
        ['Total', '$800', '$2,000', '$—', '$2,800'],
      ],
    };
    const hits = [tableHit('p1', hierarchy)];
    // 200 / 2,000: the Level 2 column's share, not the first column's.
    const level = await answerOverTables('What proportion of level 2 inputs is made up of money market funds?', hits);
    expect(level!.lead).toMatch(/^\*\*10\.00%\*\*/);
    // A question naming no column reads the Total column of a period the columns split: 1,000 / 2,800.
    const total = await answerOverTables('What is money market funds as a percentage of the total in 2021?', hits);
    expect(total!.lead).toMatch(/^\*\*35\.71%\*\*/);
  });

  it('reads the column a "between A and B" subject names, though an item’s own words name another column', async () => {
    const units: TableData = {
      headerRows: 1,
      rows: [
        ['', 'Number of units', 'Weighted average grant price'],
        ['Unvested at March 1, 2021', '500', '$20.00'],
        ['Awarded', '120', '26.00'],
        ['Released', '(90)', '18.50'],
        ['Unvested at February 28, 2022', '530', '$21.40'],
      ],
    };
    const result = await answerOverTables('What is the difference in weighted average grant price between awarded and released units?', [
      tableHit('p1', units),
    ]);
    expect(result!.lead).toMatch(/^\*\*7\.50\*\*/);
  });

  it('reads the undated column a question names ("as reported") for a row of a table with no periods', async () => {
    const adoption: TableData = {
      headerRows: 1,
      rows: [
        ['', 'As reported', 'Adjustments', 'Without adoption'],
        ['Contract assets', '$4,100', '(300)', '$3,800'],
        ['Deferred revenue', '2,500', '400', '2,900'],
      ],
    };
    const result = await answerOverTables('What was the deferred revenue as reported?', [tableHit('p1', adoption)]);
    expect(result!.lead).toMatch(/Deferred revenue was 2,500 in As reported/);
  });

  it('answers "how much did X increase by" with the size of the movement, a cost printed in parentheses included', async () => {
    const finance: TableData = {
      headerRows: 1,
      rows: [
        ['€m', '2021', '2020'],
        ['Finance income', '300', '410'],
        ['Net finance costs', '(1,500)', '(400)'],
      ],
    };
    const result = await answerOverTables('How much did net finance costs increase by from 2020 to 2021?', [tableHit('p1', finance)]);
    expect(result!.lead).toMatch(/^\*\*1,100 million\*\*/);
  });

  it('reads a line printed again under each dated section as one row over those dates', async () => {
    const borrowings: TableData = {
      headerRows: 1,
      rows: [
        ['', 'Carrying amount', 'Fair value'],
        ['As at 31 March 2021', '', ''],
        ['Bank loans', '620', '640'],
        ['Bonds', '300', '310'],
        ['As at 31 March 2020', '', ''],
        ['Bank loans', '580', '590'],
        ['Bonds', '300', '295'],
      ],
    };
    const hits = [tableHit('p1', borrowings)];
    const change = await answerOverTables('What was the change in the carrying amount of bank loans from 2020 to 2021?', hits);
    expect(change!.lead).toMatch(/^\*\*\+40\*\*/);
    const average = await answerOverTables('What was the average fair value of bonds in 2020 and 2021?', hits);
    expect(average!.lead).toMatch(/^\*\*302\.5\*\*/);
  });

  it('reads the maturity bands a question names in a contractual obligations table', async () => {
    const obligations: TableData = {
      headerRows: 2,
      rows: [
        ['', '', 'Payments due by period (in millions)', '', '', ''],
        ['Contractual obligations', 'Total', 'Less than 1 Year', '1-3 Years', '3-5 Years', 'More than 5 Years'],
        ['Term loans', '$6,400.0', '$—', '$1,600.0', '$1,200.0', '$3,600.0'],
        ['Office leases', '240.0', '40.0', '70.0', '50.0', '80.0'],
        ['Total', '$6,640.0', '$40.0', '$1,670.0', '$1,250.0', '$3,680.0'],
      ],
    };
    const hits = [tableHit('p1', obligations)];
    expect((await answerOverTables('What are the office leases due in 1-3 years?', hits))!.lead).toMatch(/70\.0 million in 1-3 Years/);
    expect((await answerOverTables('What is the change in office leases from 1-3 years to 3-5 years?', hits))!.lead).toMatch(/^\*\*−20\.0 million\*\*/);
    // "More than 5" is the band, not a threshold to count against.
    expect((await answerOverTables('How much of the term loans is due after 5 years?', hits))!.lead).toMatch(/3,600\.0 million in More than 5 Years/);
    // A band the table splits ("within 5 years") is the sum of the bands that make it up, the dash read as nil.
    expect((await answerOverTables('What is the total of term loans due within 5 years?', hits))!.lead).toMatch(/^\*\*2,800(?:\.0)? million\*\*/);
    // A share of the row's total: (0 + 1,600 + 1,200) / 6,400.
    expect((await answerOverTables('What proportion of term loans payments is due in 5 years or less?', hits))!.lead).toMatch(/^\*\*43\.75%\*\*/);
  });

  it('adds up or averages only the latest periods a question counts ("over the last two years")', async () => {
    const costs: TableData = {
      headerRows: 1,
      rows: [
        ['', '2020', '2019', '2018'],
        ['Freight costs', '50', '30', '10'],
      ],
    };
    const total = await answerOverTables('What were the total freight costs over the last 2 years?', [tableHit('p1', costs)]);
    expect(total!.lead).toMatch(/^\*\*80\*\*/);
    const average = await answerOverTables('What was the average freight costs in the past three years?', [tableHit('p1', costs)]);
    expect(average!.lead).toMatch(/^\*\*30\*\*/);
  });

  it('reads a dash as nil when the other period prints a figure', async () => {
    const result = await answerOverTables('What was the change in the bonus shares awarded in 2020 from 2019?', [
      tableHit('p1', {
        headerRows: 1,
        rows: [
          ['', '2020', '2019'],
          ['Bonus shares awarded', '—', '(4,100)'],
        ],
      }),
    ]);
    expect(result!.lead).toMatch(/^\*\*\+4,100\*\*/);
  });

  it('counts the words printed around a table (its title line, the prose beside it) toward the rows under it', async () => {
    const segments: TableData = {
      headerRows: 1,
      rows: [
        ['', '2020', '2019'],
        ['Cloud', '410', '300'],
        ['Hardware', '220', '260'],
      ],
    };
    const prose = (table: SearchHit, text: string): SearchHit => ({
      ...table,
      chunk: { ...table.chunk, id: `${table.chunk.id}-text`, ordinal: 1, text, table: undefined },
      score: 0.5,
    });
    const revenue = tableHit('p1', segments, 0.9);
    const margin = tableHit('p2', { ...segments, rows: [segments.rows[0]!, ['Cloud', '150', '90'], ['Hardware', '60', '80']] }, 0.86);
    const hits = [revenue, margin, prose(revenue, 'Revenue by segment grew with new customers.'), prose(margin, 'Gross profit by segment.')];
    const result = await answerOverTables('What was the change in the gross profit from cloud from 2019 to 2020?', hits);
    expect(result!.lead).toMatch(/^\*\*\+60\*\*/);
  });

  it('adds up the rows of two sections a phrase names together ("for both X and Y")', async () => {
    const intangibles: TableData = {
      headerRows: 1,
      rows: [
        ['', 'Gross', 'Net'],
        ['30 June 2021', '', ''],
        ['Finite-lived intangibles', '', ''],
        ['Brands and other', '7.0', '2.5'],
        ['Total', '7.0', '2.5'],
        ['Indefinite-lived intangibles', '', ''],
        ['Brands and other', '11.0', '11.0'],
      ],
    };
    const result = await answerOverTables('What is the net total brands and other for both finite-lived and indefinite-lived intangibles as of 30 June 2021?', [
      tableHit('p1', intangibles),
    ]);
    // 2.5 + 11.0 in the Net column
    expect(result!.lead).toMatch(/^\*\*13\.5\*\*/);
  });
});
