import { describe, expect, it } from 'vitest';
import type { TableData } from '../../kb/types.ts';
import type { SearchHit } from '../../server/retrieval/hybrid-search.ts';
import { inputName } from '../../server/chat/offline/compose-cells.ts';
import { ComputeArgsSchema } from '../../server/tools/definitions/compute.ts';
import { answerOverTables, tableHit } from '../helpers/cell-hits.ts';

function hit(id: string, title: string, table: TableData, score: number, company?: string): SearchHit {
  const found = tableHit(id, table, score);
  return { ...found, article: { ...found.article, title, ...(company ? { financial: { company } } : {}) } };
}

const answer = (question: string, hits: SearchHit[], siblings: SearchHit['chunk'][] = []) => answerOverTables(question, hits, siblings);

const revenueTable = (value: string): TableData => ({
  headerRows: 1,
  rows: [
    ['', 'FY2023'],
    ['Revenue', value],
  ],
});

describe('answers from cells', () => {
  it('shows both figures when two documents of the same company disagree on a line item', async () => {
    const result = await answer('What was revenue in FY2023?', [
      hit('p1', 'Annual report 2023', revenueTable('1,200'), 0.9, 'Harbor Lane Tools'),
      hit('p2', 'Restated results 2023', revenueTable('1,150'), 0.88, 'Harbor Lane Tools'),
    ]);
    expect(result!.lead).toBe('Revenue was 1,200 in 2023 [0].');
    expect(result!.details).toEqual([
      'Your documents disagree on Revenue: 1,200 in 2023 per Annual report 2023 [0]; 1,150 in 2023 per Restated results 2023 [1].',
    ]);
  });

  it('does not read two companies’ rows as a disagreement', async () => {
    const result = await answer('What was revenue in FY2023?', [
      hit('p1', 'Report A', revenueTable('1,200'), 0.9, 'Company A'),
      hit('p2', 'Report B', revenueTable('80'), 0.88, 'Company B'),
    ]);
    expect(result!.details).toEqual([]);
  });

  it('answers nothing when no row names the item, so the engine falls back to sentences', async () => {
    expect(await answer('What was goodwill in FY2023?', [hit('p1', 'Report', revenueTable('1,200'), 0.9)])).toBeUndefined();
  });

  it('computes a difference of two averages as one cited formula', async () => {
    const table: TableData = {
      headerRows: 1,
      rows: [
        ['', '2019', '2018'],
        ['Defined contribution schemes', '166', '178'],
        ['Defined benefit schemes', '57', '44'],
      ],
    };
    const result = await answer('What is the difference between the 2019 average defined contribution schemes and the 2019 average defined benefit schemes?', [
      hit('p1', 'Report', table, 0.9),
    ]);
    expect(result!.lead).toBe(
      '**121.50** — the difference between the average Defined contribution schemes and the average Defined benefit schemes over 2019, 2018 [99].',
    );
    expect(result!.details[0]).toContain('= (166 + 178) / 2 - (57 + 44) / 2 [99]');
  });

  it('computes the change in a ratio between two periods', async () => {
    const table: TableData = {
      headerRows: 1,
      rows: [
        ['', '2019', '2018'],
        ['Gross profit', '30', '20'],
        ['Revenue', '120', '100'],
      ],
    };
    const result = await answer('What was the change in the ratio of gross profit to revenue from 2018 to 2019?', [hit('p1', 'Report', table, 0.9)]);
    expect(result!.lead).toBe('**0.05** — the change in the ratio of Gross profit to Revenue from 2018 to 2019 [99].');
  });

  it('takes a share’s total from the same table as its part, over a better-ranked table of another report', async () => {
    const fees: TableData = {
      headerRows: 1,
      rows: [
        ['', '2019', '2018'],
        ['Audit fees', '55,000', '58,000'],
        ['Tax fees', '11,000', '28,000'],
        ['Total fees', '66,000', '86,000'],
      ],
    };
    const other: TableData = {
      headerRows: 1,
      rows: [
        ['', '2019', '2018'],
        ['Total fees', '1,200', '1,100'],
      ],
    };
    const result = await answer('What is the percentage of audit fees in total fees in 2019?', [
      hit('p2', 'Other report', other, 0.95),
      hit('p1', 'Proxy', fees, 0.8),
    ]);
    expect(result!.lead).toBe('**83.33%** — the Audit fees as a percentage of Total fees in 2019 [99].');
  });

  it('computes the change in a standard ratio from both periods’ statement lines in one formula', async () => {
    const balance: TableData = {
      headerRows: 1,
      rows: [
        ['', '2019', '2018'],
        ['Total current assets', '121,041', '73,202'],
        ['Total current liabilities', '154,619', '90,392'],
      ],
    };
    const result = await answer('What is the change in current ratio from 2018 to 2019?', [hit('p1', 'Report', balance, 0.9)]);
    // 121,041 ÷ 154,619 − 73,202 ÷ 90,392 = 0.78283 − 0.80983 = −0.027
    expect(result!.lead).toBe('**−0.03** — the change in the current ratio from 2018 to 2019 [99].');
    expect(result!.details[0]).toContain('= (121041 / 154619) - (73202 / 90392) [99]');
  });

  it('reads a ratio the document prints as a row as printed', async () => {
    const margins: TableData = {
      headerRows: 1,
      rows: [
        ['', '2019', '2018', '2017'],
        ['Gross margin %', '21.2%', '19.9%', '17.2%'],
      ],
    };
    const result = await answer('What is the average gross margin from 2017 to 2019?', [hit('p1', 'Report', margins, 0.9)]);
    expect(result!.lead).toBe('**19.43%** — the average of Gross margin % over 2017, 2018, 2019 [99].');
  });

  it('reads a table with the periods down its first column', async () => {
    const leases: TableData = {
      headerRows: 1,
      rows: [
        ['', 'Operating leases', 'Finance leases'],
        ['2021', '$138', '$6'],
        ['2022', '135', '6'],
        ['Total', '273', '12'],
      ],
    };
    const result = await answer('What was the change in operating leases between 2021 and 2022?', [hit('p1', 'Report', leases, 0.9)]);
    expect(result!.lead).toBe('**−3** — the change in Operating leases from 2021 to 2022 [99].');
  });

  it('finds a row in another passage of a table retrieval split', async () => {
    const top: TableData = {
      headerRows: 1,
      rows: [
        ['', '2019', '2018'],
        ['Germany', '94', '91'],
      ],
    };
    const rest = hit(
      'p1b',
      'Report',
      {
        headerRows: 1,
        rows: [
          ['', '2019', '2018'],
          ['Total other', '89', '95'],
        ],
      },
      0.5,
    );
    const first = hit('p1', 'Report', top, 0.9);
    const sibling = { ...rest.chunk, articleId: first.article.id };
    const result = await answer('What was the change in total other from 2018 to 2019?', [first], [sibling]);
    expect(result!.lead).toBe('**−6** — the change in Total other from 2018 to 2019 [99].');
  });

  it('answers which period had the smallest figure, and counts periods above a threshold', async () => {
    const table: TableData = {
      headerRows: 1,
      rows: [
        ['', '2019', '2018', '2017'],
        ['Net income', '30,500', '29,000', '31,200'],
      ],
    };
    expect((await answer('In which year was net income the smallest?', [hit('p1', 'Report', table, 0.9)]))!.lead).toBe(
      '2018 had the smallest Net income, at 29,000 [0].',
    );
    expect((await answer('How many years did net income exceed $30,000?', [hit('p1', 'Report', table, 0.9)]))!.lead).toBe(
      '2: periods of 3 in which Net income was above $30,000 (2019: 30,500, 2018: 29,000, 2017: 31,200) [0][99].',
    );
  });

  it('counts periods against a threshold stated in another scale than the table', async () => {
    const table: TableData = {
      headerRows: 1,
      rows: [
        ['(in thousands)', '2019', '2018', '2017'],
        ['Research and development', '4,900', '5,100', '6,200'],
      ],
    };
    // 5 million = 5,000 thousand: 2018 and 2017 exceed it.
    expect((await answer('How many years did research and development exceed 5 million?', [hit('p1', 'Report', table, 0.9)]))!.lead).toBe(
      '2: periods of 3 in which Research and development was above 5 million (2019: 4,900 thousand, 2018: 5,100 thousand, 2017: 6,200 thousand) [0][99].',
    );
  });

  it('counts the items of a table beyond a threshold in the one period the question names', async () => {
    const table: TableData = {
      headerRows: 1,
      rows: [
        ['(in millions)', '2019', '2018'],
        ['Selling expenses', '120', '140'],
        ['Administrative expenses', '80', '95'],
        ['Other operating expenses', '20', '30'],
        ['Total operating expenses', '220', '265'],
      ],
    };
    // 2018: 95 and 30 are below 100; 140 is not; the total is no item.
    expect((await answer('How many operating expenses were below $100 million in 2018?', [hit('p1', 'Report', table, 0.9)]))!.lead).toBe(
      '2: items of 3 below $100 million in 2018 (Selling expenses: 140 million, Administrative expenses: 95 million, Other operating expenses: 30 million) [0][99].',
    );
  });

  it('answers a computation between two days from the balance row dated on them, whatever the question calls the table', async () => {
    const rollForward: TableData = {
      headerRows: 1,
      rows: [
        ['£m', '2019', '2018'],
        ['At 1 January', '65.6', '64.8'],
        ['Share of profit of associates', '(0.3)', '2.3'],
        ['At 31 December', '53.7', '65.6'],
      ],
    };
    const opening = await answer('What is the percentage change in the total investment from 1 January 2018 to 1 January 2019?', [
      hit('p1', 'Report', rollForward, 0.9),
    ]);
    expect(opening!.lead).toContain('+1.23%');
    expect(opening!.lead).toContain('At 1 January from 2018 to 2019');
    const closing = await answer('What is the percentage change in the total investment from 31 December 2018 to 31 December 2019?', [
      hit('p1', 'Report', rollForward, 0.9),
    ]);
    expect(closing!.lead).toContain('−18.14%');
    expect(closing!.lead).toContain('At 31 December from 2018 to 2019');
  });

  it('takes the balance dated to the day from a lower-ranked table when the best-named row is only dated by its years', async () => {
    const income: TableData = {
      headerRows: 1,
      rows: [
        ['', '2021', '2020'],
        ['Joint ventures', '14', '11'],
      ],
    };
    const rollForward: TableData = {
      headerRows: 1,
      rows: [
        ['€m', '2021', '2020'],
        ['At 1 April', '120.0', '100.0'],
        ['Share of loss of joint ventures, net of tax', '(2.0)', '(1.0)'],
        ['At 31 March', '118.0', '120.0'],
      ],
    };
    const result = await answer('What is the percentage change in the total investment in joint ventures from 1 April 2020 to 1 April 2021?', [
      hit('p1', 'Report A', income, 0.9),
      hit('p2', 'Report B', rollForward, 0.85),
    ]);
    expect(result!.lead).toContain('+20.00%');
    expect(result!.lead).toContain('At 1 April from 2020 to 2021');
  });

  it('keeps a day asked to the best-named row when another table merely dates a similar row to that day', async () => {
    const named: TableData = {
      headerRows: 1,
      rows: [
        ['', '2021', '2020'],
        ['Hedging liabilities', '42.5', '37.0'],
      ],
    };
    const dated: TableData = {
      headerRows: 1,
      rows: [
        ['', 'June 30, 2021', 'June 30, 2020'],
        ['Hedging instruments, current liabilities', '900', '800'],
      ],
    };
    const result = await answer('How much were the hedging liabilities as at June 30, 2021?', [
      hit('p1', 'Report A', named, 0.9),
      hit('p2', 'Report B', dated, 0.85),
    ]);
    expect(result!.lead).toContain('42.5');
  });

  it('names a figure a long sentence states by the words nearest it, within what the compute tool takes', async () => {
    const lead =
      'Our liquidity and our total assets grew steadily through most of the fiscal 2016 to 2019 periods shown here, chiefly because of the net income we earned in those periods, the cash our subsidiaries returned to us, the sale of two smaller businesses and the placements of unsecured bonds of';
    const name = inputName(lead);
    expect(name.length).toBeLessThanOrEqual(200);
    expect(name).toMatch(/^…\S/);
    expect(name.endsWith('placements of unsecured bonds of')).toBe(true);
    expect(
      ComputeArgsSchema.safeParse({
        operation: 'sum',
        inputs: [
          { name, value: 6.5 },
          { name, value: 3 },
        ],
      }).success,
    ).toBe(true);
    expect(inputName('Revenue')).toBe('Revenue');
  });

  it('averages per year over columns that span years, each span counting for every year it covers', async () => {
    const obligations: TableData = {
      headerRows: 1,
      rows: [
        ['(In thousands)', 'Total', '2022', '2023-2024', '2025-2026', 'Thereafter'],
        ['Purchase commitments', '$9,000', '$1,200', '$2,400', '$1,800', '$3,600'],
      ],
    };
    const perYear = await answer('What is the average annual purchase commitments for 2022-2026?', [hit('p1', 'Report', obligations, 0.9)]);
    expect(perYear!.lead).toContain('**1,080 thousand**');
    expect(perYear!.details[0]).toContain('(1200 + 2400 + 1800) / 5');
    // A span the columns leave a gap in is not averaged per year.
    const gap = await answer('What is the average annual purchase commitments for 2021-2026?', [hit('p1', 'Report', obligations, 0.9)]);
    expect(gap?.lead ?? '').not.toContain('/ 6');
  });

  it('joins figures that sentences of one report state a period each into the series a computation needs', async () => {
    const prose = tableHit('s1', { headerRows: 0, rows: [] }, 0.9);
    const text = [
      'In May 2021, we awarded 120,000 restricted units with revenue targets.',
      'In November 2021, we awarded 80,000 restricted units with market targets to be met between November 2021 and November 2024.',
      'Our offices covered 12,500 square metres in 2021.',
    ].join(' ');
    const awards = await answer('How many restricted units were awarded in May and November 2021 in total?', [
      { ...prose, chunk: { ...prose.chunk, text, table: undefined } },
    ]);
    expect(awards!.lead).toContain('**200,000**');
    expect(awards!.lead).toContain('May 2021, November 2021');
    // A table row of years holds one 2021 figure: it cannot be both months.
    const yearly = tableHit(
      't1',
      {
        headerRows: 1,
        rows: [
          ['', '2021', '2020'],
          ['Restricted units awarded', '200', '150'],
        ],
      },
      0.95,
    );
    const both = await answer('How many restricted units were awarded in May and November 2021 in total?', [
      yearly,
      { ...prose, chunk: { ...prose.chunk, text, table: undefined } },
    ]);
    expect(both!.lead).toContain('**200,000**');
  });

  it("takes a share's part under the section the whole names, and the total line closing that section as the whole", async () => {
    const perShare: TableData = {
      headerRows: 1,
      rows: [
        ['', '2021', '2020'],
        ['Weighted average shares (millions)', '', ''],
        ['Basic earnings per share', '410.0', '405.0'],
        ['Diluted earnings per share', '415.0', '409.0'],
        ['Basic earnings per share (pence)', '', ''],
        ['Continuing operations', '52.0', '48.0'],
        ['Discontinued operations', '8.0', '2.0'],
        ['', '60.0', '50.0'],
        ['Diluted earnings per share (pence)', '', ''],
        ['Continuing operations', '51.0', '47.5'],
        ['Discontinued operations', '9.0', '2.5'],
        ['', '60.0', '50.0'],
      ],
    };
    const result = await answer('What share of diluted earnings per share came from continuing operations in 2021?', [hit('p1', 'Report', perShare, 0.9)]);
    expect(result!.details[0]).toContain('51 / 60 * 100');
    // A total that leaves out a word of the whole ("gains") is not the whole, whatever section it closes.
    const proceeds: TableData = {
      headerRows: 1,
      rows: [
        ['', '2021'],
        ['Proceeds from disposals of stores', ''],
        ['Cash', '900'],
        ['Notes receivable', '100'],
        ['Total proceeds from disposals of stores', '1,000'],
        ['Gains on disposals of stores', '1,200'],
      ],
    };
    const gains = await answer('What is the percentage of cash in the total gains on disposals of stores in 2021?', [hit('p1', 'Report', proceeds, 0.9)]);
    expect(gains!.details[0]).toContain('900 / 1200 * 100');
  });

  it("adds up each named row's count of units times its price, over the span of movements two years name", async () => {
    const options: TableData = {
      headerRows: 1,
      rows: [
        ['', 'Number of options', 'Weighted average exercise price', 'Remaining term (years)'],
        ['Outstanding at June 30, 2020', '40,000', '$6.00', '5.1'],
        ['Granted', '5,000', '$8.00', ''],
        ['Exercised', '(3,000)', '$4.50', ''],
        ['Forfeited', '(1,000)', '$7.00', ''],
        ['Outstanding at June 30, 2021', '41,000', '$6.20', '4.6'],
        ['Granted', '6,000', '$9.00', ''],
        ['Exercised', '(2,000)', '$5.00', ''],
        ['Forfeited', '(500)', '$7.50', ''],
        ['Outstanding at June 30, 2022', '44,500', '$6.60', '4.2'],
      ],
    };
    const result = await answer('What is the total value of options that were exercised or forfeited between 2020 and 2021?', [
      hit('p1', 'Report', options, 0.9),
    ]);
    // 3,000 × 4.50 + 1,000 × 7.00 = 20,500, the movements from June 30, 2020 to June 30, 2021.
    expect(result!.lead).toContain('**20,500');
    expect(result!.details[0]).toContain('|(-3000)| * 4.5 + |(-1000)| * 7');
  });

  it('reads the column a question names when the row label leaves it out', async () => {
    const exposure: TableData = {
      headerRows: 1,
      rows: [
        ['', 'USD denominated', 'Non-USD denominated'],
        ['As at 31 December 2019', '', ''],
        ['Monetary liabilities, current', '(4,273)', '(14,732)'],
      ],
    };
    const result = await answer('What were the non-USD denominated current monetary liabilities as at 31 December 2019?', [hit('p1', 'Report', exposure, 0.9)]);
    expect(result!.lead).toContain('(14,732)');
  });

  it('takes the total line of the table holding the part as "the total" of a share, over a better-named total elsewhere', async () => {
    const accrued: TableData = {
      headerRows: 1,
      rows: [
        ['', '2019', '2018'],
        ['Payroll taxes', '155', '113'],
        ['Warranty reserve', '529', '520'],
        ['', '$3,571', '$3,416'],
      ],
    };
    const other: TableData = {
      headerRows: 1,
      rows: [
        ['', '2019', '2018'],
        ['Total accrued liabilities', '900', '800'],
      ],
    };
    const result = await answer('In 2019, what is the percentage of warranty reserve among the total accrued liabilities?', [
      hit('p1', 'Report A', accrued, 0.9),
      hit('p2', 'Report B', other, 0.9),
    ]);
    expect(result!.lead).toContain('14.81%');
  });

  it('names the cells it used by their rows and column titles, without the dates the lead states', async () => {
    const receivables: TableData = {
      headerRows: 1,
      rows: [
        ['30 June 2020', 'Gross carrying amount', 'Loss allowance'],
        ['Not past due', '4,100', '(20)'],
        ['Past due over 90 days', '300', '(150)'],
      ],
    };
    const result = await answer('What is the gross carrying amount of receivables past due over 90 days?', [hit('p1', 'Report', receivables, 0.9)]);
    expect(result!.lead).toContain('300');
    // The column title the lead leaves out is what a question may name; its date is said in the lead.
    expect(result!.naming).toContain('Past due over 90 days');
    expect(result!.naming).toContain('Gross carrying amount');
    expect(result!.naming).not.toMatch(/June|2020/);
  });

  it('computes a change from the group of columns that prints both periods, not the balance printed first', async () => {
    const table: TableData = {
      headerRows: 2,
      rows: [
        ['', '', 'Members joined (left)', '', '% of region', ''],
        ['', 'June 30, 2019', 'June 30, 2019', 'June 30, 2018', 'June 30, 2019', 'June 30, 2018'],
        ['Gym memberships', '81,300', '(2,150)', '(3,420)', '12.5', '13.1'],
      ],
    };
    const result = await answer('What was the increase / (decrease) in gym memberships from 2018 to 2019?', [hit('p1', 'Report', table, 0.9)]);
    expect(result!.lead).toContain('1,270');
  });
});
