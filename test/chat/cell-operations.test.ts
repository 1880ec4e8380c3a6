import { describe, expect, it } from 'vitest';
import type { TableData } from '../../kb/types.ts';
import { absoluteBars, tidyName } from '../../server/chat/offline/cell-format.ts';
import { answerOverTables, tableHit } from '../helpers/cell-hits.ts';

/** Operations composed from table cells, each against figures computed by hand. */
describe('operations over table cells', () => {
  it('takes the difference between two columns of one row ("the difference in X between the current and the total")', async () => {
    const ageing: TableData = {
      headerRows: 1,
      rows: [
        ['', 'Current', '31 to 60 days', 'Total'],
        ['Gross receivables', '12,400', '1,100', '13,500'],
        ['Loss allowance', '120', '60', '180'],
      ],
    };
    const result = await answerOverTables('What is the difference in the gross receivables between the current and the total?', [tableHit('p1', ageing)]);
    // |12,400 − 13,500| = 1,100: "the difference between" two items is a size, the larger one named in words.
    expect(result!.lead).toBe('**1,100** — the difference between Current and Total of Gross receivables (Total is the larger: 13,500 against 12,400) [99].');
    expect(result!.details[0]).toContain('|Gross receivables (Current) − Gross receivables (Total)| = |12400 - 13500| [99]');
  });

  it('adds up the parts of a total that bear every word of the phrase the best row bears, not their sibling lines', async () => {
    const monetary: TableData = {
      headerRows: 1,
      rows: [
        ['', '2019', '2018'],
        ['Monetary assets, current', '1,200', '1,000'],
        ['Monetary assets, non-current', '300', '250'],
        ['Monetary liabilities, current', '(900)', '(800)'],
        ['Monetary liabilities, non-current', '(100)', '(90)'],
      ],
    };
    // In a knowledge base of reports "assets" and "liabilities" are common words that weigh little,
    // so a liabilities line scores about as well as an assets line.
    const common = (word: string) => (word === 'asset' || word === 'liability' ? 0.01 : 1);
    const result = await answerOverTables('What were the total monetary assets in 2019?', [tableHit('p1', monetary)], [], common);
    // 1,200 + 300 = 1,500
    expect(result!.lead).toBe('**1,500** — the total of Monetary assets, current and Monetary assets, non-current in 2019 [99].');
  });

  it('reads a dash in a period the question names as nil in a change, and refuses a change with no figure at all', async () => {
    const swaps: TableData = {
      headerRows: 1,
      rows: [
        ['', '2019', '2018'],
        ['Realized losses on swaps', '—', '(4,250)'],
        ['Unused line', '—', '—'],
      ],
    };
    const hits = [tableHit('p1', swaps)];
    // 0 − (−4,250) = +4,250
    expect((await answerOverTables('What was the change in realized losses on swaps from 2018 to 2019?', hits))!.lead).toBe(
      '**+4,250** — the change in Realized losses on swaps from 2018 to 2019 [99].',
    );
    expect(await answerOverTables('What was the change in the unused line from 2018 to 2019?', hits)).toBeUndefined();
  });

  it('reads an amount row, not the better-named row of percentages, when the question asks no percentage', async () => {
    const revenue: TableData = {
      headerRows: 1,
      rows: [
        ['', '2018', '2017'],
        ['Net revenues', '$2,280', '$1,664'],
        ['Percentage of total net revenues', '47%', '41%'],
      ],
    };
    const hits = [tableHit('p1', revenue)];
    // 2,280 + 1,664 = 3,944
    expect((await answerOverTables('What is the total net revenue for 2018 and 2017?', hits))!.lead).toBe(
      '**3,944** — the sum of Net revenues over 2017, 2018 [99].',
    );
    // 47% + 41% = 88%, (47 + 41) ÷ 2 = 44%
    expect((await answerOverTables('What is the average percentage of total net revenues for 2018 and 2017?', hits))!.lead).toBe(
      // The percentage row is named under the amount row printed above it.
      '**44%** — the average of Net revenues › Percentage of total net revenues over 2017, 2018 [99].',
    );
  });

  it('reads one asked period of a change as the change from the period before it', async () => {
    const cash: TableData = {
      headerRows: 1,
      rows: [
        ['', '2019', '2018', '2017'],
        ['Cash at bank', '150', '120', '100'],
      ],
    };
    const hits = [tableHit('p1', cash)];
    // (120 − 100) ÷ 100 × 100 = 20%; not 2018 to 2019 (25%).
    expect((await answerOverTables('What was the percentage change in cash at bank in 2018?', hits))!.lead).toBe(
      '**+20.00%** — the percentage change in Cash at bank from 2017 to 2018 [99].',
    );
    expect(await answerOverTables('What was the change in cash at bank in 2017?', hits)).toBeUndefined();
  });

  it('reads a ratio worded "between A and B", "A divided by B" and "how many times larger A than B"', async () => {
    const statement: TableData = {
      headerRows: 1,
      rows: [
        ['', '2019'],
        ['Revenue', '900'],
        ['Operating income', '150'],
      ],
    };
    const hits = [tableHit('p1', statement)];
    // 900 ÷ 150 = 6
    for (const question of [
      'What is the ratio between revenue and operating income in 2019?',
      'What is revenue divided by operating income in 2019?',
      'How many times larger was revenue than operating income in 2019?',
    ]) {
      expect((await answerOverTables(question, hits))!.lead).toBe('**6.00** — the ratio of Revenue to Operating income in 2019 [99].');
    }
  });

  it('averages the rows of a column the question names when its rows are items, not periods', async () => {
    const sites: TableData = {
      headerRows: 1,
      rows: [
        ['Site', 'Employees', 'Opened'],
        ['Leeds plant', '420', 'Spring'],
        ['Porto depot', '95', 'Autumn'],
        ['Gdansk hub', '161', 'Winter'],
      ],
    };
    // (420 + 95 + 161) ÷ 3 = 225.33
    expect((await answerOverTables('What is the average number of employees at the sites?', [tableHit('p1', sites)]))!.lead).toBe(
      '**225.33** — the average of Employees over the 3 rows of its table [99].',
    );
  });

  it('takes the opening balance of the average of a year from the year before, never from another column of that year', async () => {
    const provisions: TableData = {
      headerRows: 1,
      rows: [
        ['', 'At 31 December 2019', 'Year 2019', '2018'],
        ['Warranty provision', '12', '10', '8'],
      ],
    };
    // (12 + 8) ÷ 2 = 10, not (12 + 10) ÷ 2
    expect((await answerOverTables('What is the 2019 average warranty provision?', [tableHit('p1', provisions)]))!.lead).toBe(
      '**10** — the average of Warranty provision over 2018, 2019 [99].',
    );
  });

  it('divides an amount by its units when no row prints the amount per unit, and reads the row when one does', async () => {
    const shares: TableData = {
      headerRows: 1,
      rows: [
        ['', '2019', '2018'],
        ['Net income', '5,000', '4,200'],
        ['Weighted average common shares', '12,500', '12,000'],
      ],
    };
    const hits = [tableHit('p1', shares)];
    // 5,000 ÷ 12,500 = 0.40; 4,200 ÷ 12,000 = 0.35; 0.40 − 0.35 = 0.05
    expect((await answerOverTables('What was the net income per share in 2019?', hits))!.lead).toBe(
      '**0.40** — the net income per share (Net income ÷ Weighted average common shares) in 2019 [99].',
    );
    expect((await answerOverTables('What was the change in net income per share from 2018 to 2019?', hits))!.lead).toBe(
      '**0.05** — the change in net income per share (Net income ÷ Weighted average common shares) from 2018 to 2019 [99].',
    );
    const printed: TableData = { headerRows: 1, rows: [...shares.rows, ['Net income per share', '0.41', '0.36']] };
    expect((await answerOverTables('What was the net income per share in 2019?', [tableHit('p2', printed)]))!.lead).toBe(
      'Net income per share was 0.41 in 2019 [0].',
    );
  });

  it('multiplies a count of units by the price per unit its row prints beside it, and reads the price when the question asks for it', async () => {
    const options: TableData = {
      headerRows: 1,
      rows: [
        ['', 'Number of options', 'Weighted-average exercise price'],
        ['Granted', '3,000', '$6.00'],
        ['Outstanding at 31 December 2019', '12,000', '$4.50'],
      ],
    };
    const hits = [tableHit('p1', options)];
    // 12,000 × 4.50 = 54,000
    expect((await answerOverTables('What is the value of the options outstanding at 31 December 2019?', hits))!.lead).toBe(
      '**54,000.00** — the value of Outstanding at 31 December 2019: Number of options × Weighted-average exercise price [99].',
    );
    expect((await answerOverTables('What is the weighted-average exercise price of the options outstanding at 31 December 2019?', hits))!.lead).toContain(
      '$4.50',
    );
  });

  it('takes two rows in the column the question names ("the difference in the useful life between A and B")', async () => {
    const intangibles: TableData = {
      headerRows: 1,
      rows: [
        ['', 'Fair value', 'Useful life (years)'],
        ['Customer lists', '310', '8'],
        ['Brand names', '45', '12'],
      ],
    };
    const hits = [tableHit('p1', intangibles)];
    // 310 − 45 = 265; 12 − 8 = 4
    expect((await answerOverTables('What was the difference in the fair value between customer lists and brand names?', hits))!.lead).toBe(
      '**265** — the difference between Customer lists and Brand names (Customer lists is the larger: 310 against 45) [99].',
    );
    expect((await answerOverTables('What was the difference in the useful life between brand names and customer lists?', hits))!.lead).toBe(
      '**4** — the difference between Brand names and Customer lists (Brand names is the larger: 12 against 8) [99].',
    );
  });

  it('reads both rows of a ratio in the column the question names when it names no period', async () => {
    const movements: TableData = {
      headerRows: 1,
      rows: [
        ['', 'Opening balance', 'Change', 'Closing balance'],
        ['Contract liabilities (current)', '5,000', '(600)', '4,400'],
        ['Contract liabilities (non-current)', '3,600', '(400)', '3,200'],
      ],
    };
    const result = await answerOverTables('What is the ratio of current contract liabilities to non-current contract liabilities at the closing balance?', [
      tableHit('p1', movements),
    ]);
    // 4,400 ÷ 3,200 = 1.375
    expect(result!.lead).toBe('**1.38** — the ratio of Contract liabilities (current) to Contract liabilities (non-current) [99].');
  });

  it('splits a share at "over" before an "in" inside its first item, and never picks a column by words most columns share', async () => {
    const currencies: TableData = {
      headerRows: 1,
      rows: [
        ['', 'Total', 'Fixed rate financial assets', 'Floating rate financial assets'],
        ['Euro', '120.0', '2.0', '18.0'],
        ['Sterling', '30.0', '0.0', '1.0'],
        ['Group total', '480.0', '8.0', '60.0'],
      ],
    };
    const result = await answerOverTables('What was the percentage of total financial assets in euro over the group total?', [tableHit('p1', currencies)]);
    // 120.0 ÷ 480.0 × 100 = 25%
    expect(result!.lead).toBe('**25.00%** — the Euro as a percentage of Group total [99].');
  });

  it('reads "research and development credits" as one row when a row bears the whole name', async () => {
    const credits: TableData = {
      headerRows: 1,
      rows: [
        ['', '2019', '2018'],
        ['Research and development', '500', '450'],
        ['Research and development credits', '80', '70'],
      ],
    };
    const result = await answerOverTables('What was the average of research and development credits in 2018 and 2019?', [tableHit('p1', credits)]);
    // (70 + 80) ÷ 2 = 75
    expect(result!.lead).toBe('**75** — the average of Research and development credits over 2018, 2019 [99].');
  });

  it('adds up every row under the section a question names ("the sum of all tax credit carryforwards"), never a year column', async () => {
    const carryforwards: TableData = {
      headerRows: 1,
      rows: [
        ['', 'Year of expiry', 'Amount'],
        ['Tax credit carryforwards:', '', ''],
        ['Federal', '2031', '1,200'],
        ['State', '2029', '300'],
        ['Net operating losses:', '', ''],
        ['Federal', '2035', '5,000'],
      ],
    };
    const result = await answerOverTables('What was the sum of all tax credit carryforwards?', [tableHit('p1', carryforwards)]);
    // 1,200 + 300 = 1,500
    expect(result!.lead).toMatch(/^\*\*1,500\*\* — the sum of /);
    expect(result!.details[0]).toContain('= 1200 + 300 [99]');
  });

  it('adds up the current and non-current rows for "the total X" when the table prints no total, and reads a printed total as printed', async () => {
    const split: TableData = {
      headerRows: 1,
      rows: [
        ['', '2019', '2018'],
        ['Deferred income, current', '700', '650'],
        ['Deferred income, non-current', '300', '280'],
        ['Trade payables', '900', '800'],
      ],
    };
    const result = await answerOverTables('What was the total deferred income in 2019?', [tableHit('p1', split)]);
    // 700 + 300 = 1,000
    expect(result!.lead).toBe('**1,000** — the total of Deferred income, current and Deferred income, non-current in 2019 [99].');
    const printed: TableData = { ...split, rows: [...split.rows, ['Total deferred income', '1,000', '930']] };
    expect((await answerOverTables('What was the total deferred income in 2018?', [tableHit('p1', printed)]))!.lead).toBe(
      'Total deferred income was 930 in 2018 [0].',
    );
  });

  it('states the size of "the difference between 2018 and 2019" and its direction in words; a net difference keeps its sign', async () => {
    const licences: TableData = {
      headerRows: 1,
      rows: [
        ['', '2019', '2018'],
        ['Licence revenue', '1,250', '4,000'],
      ],
    };
    const hits = [tableHit('p1', licences)];
    // |1,250 − 4,000| = 2,750
    const gap = await answerOverTables('What is the difference in licence revenue between 2018 and 2019?', hits);
    expect(gap!.lead).toBe('**2,750** — the difference in Licence revenue between 2018 and 2019 (a decrease from 4,000 to 1,250) [99].');
    expect(gap!.details[0]).toContain('= |1250 - 4000| [99]');
    expect((await answerOverTables('What is the net difference in licence revenue between 2018 and 2019?', hits))!.lead).toBe(
      '**−2,750** — the change in Licence revenue from 2018 to 2019 [99].',
    );
  });

  it('takes a share of a deduction printed negative by size, and reads "ratio (in percentage)" as a share', async () => {
    const earnings: TableData = {
      headerRows: 1,
      rows: [
        ['', '2019'],
        ['EBITDA', '400'],
        ['Depreciation', '(100)'],
        ['Operating profit', '300'],
      ],
    };
    const hits = [tableHit('p1', earnings)];
    // 100 ÷ 400 × 100 = 25%
    expect((await answerOverTables('What is depreciation as a percentage of EBITDA in 2019?', hits))!.lead).toBe(
      '**25.00%** — the Depreciation as a percentage of EBITDA in 2019 [99].',
    );
    // 300 ÷ 400 × 100 = 75%
    expect((await answerOverTables('What is the ratio (in percentage) of operating profit to EBITDA in 2019?', hits))!.lead).toBe(
      '**75.00%** — the Operating profit as a percentage of EBITDA in 2019 [99].',
    );
  });

  it('writes line items without the footnote marks and stray stops tables print beside labels', () => {
    expect(tidyName('Tax fees (2)')).toBe('Tax fees');
    expect(tidyName('Carryforwards:(1) › Foreign(2)')).toBe('Carryforwards › Foreign');
    expect(tidyName('Systems .')).toBe('Systems');
    expect(tidyName('Revenue (in millions)')).toBe('Revenue (in millions)');
  });

  it('writes the calculator’s abs() as bars, nested parentheses kept', () => {
    expect(absoluteBars('abs((-111)) / abs(372) * 100')).toBe('|(-111)| / |372| * 100');
    expect(absoluteBars('(11000 - 28000) / abs(28000) * 100')).toBe('(11000 - 28000) / |28000| * 100');
  });

  it('adds balances printed as deductions as their sizes, but keeps the sign of flows printed negative', async () => {
    const receivables: TableData = {
      headerRows: 1,
      rows: [
        ['', '2021', '2020'],
        ['Trade receivables', '4,310', '3,980'],
        ['Allowance for expected credit losses', '(42)', '(37)'],
        ['Foreign exchange losses', '(18)', '(6)'],
      ],
    };
    const hits = [tableHit('p1', receivables)];
    // (42 + 37) ÷ 2 = 39.5: the allowance's balance, printed as a deduction from receivables.
    const allowance = await answerOverTables('What was the average allowance for expected credit losses in 2021 and 2020?', hits);
    expect(allowance!.lead).toMatch(/^\*\*39\.5\*\* — the average of Allowance for expected credit losses over 2020, 2021/);
    expect(allowance!.details[0]).toContain('= (|(-37)| + |(-42)|) / 2');
    // (−18 + −6) ÷ 2 = −12: a loss keeps its sign.
    expect((await answerOverTables('What was the average foreign exchange losses in 2021 and 2020?', hits))!.lead).toMatch(/^\*\*−12\*\*/);
  });

  it('divides one period of a line item by another when the question names the item twice', async () => {
    const sales: TableData = {
      headerRows: 1,
      rows: [
        ['', '2021', '2020'],
        ['Online sales', '1,350', '1,080'],
      ],
    };
    // 1,350 ÷ 1,080 × 100 = 125%
    const result = await answerOverTables('What is the 2021 online sales as a percentage of the 2020 online sales?', [tableHit('p1', sales)]);
    expect(result!.lead).toBe('**125.00%** — the Online sales in 2021 as a percentage of 2020 [99].');
  });

  it('reads a row that prints one figure, however the question words it', async () => {
    const assumptions: TableData = {
      headerRows: 1,
      rows: [
        ['', 'Rate'],
        ['Expected default rate on current balances', '2%'],
        ['Expected default rate on overdue balances', '9%'],
      ],
    };
    const result = await answerOverTables('What is the expected default rate on overdue balances?', [tableHit('p1', assumptions)]);
    expect(result!.lead).toContain('9%');
  });
});
