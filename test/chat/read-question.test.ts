import { describe, expect, it } from 'vitest';
import { readQuestion } from '../../server/chat/offline/read-question.ts';

describe('reading a financial question', () => {
  it.each([
    ['What was the change in Other from 2018 to 2019?', 'change', ['other']],
    ['What is the percentage change in revenue between FY2022 and FY2023?', 'percent_change', ['revenue']],
    ['What is the average inventory for 2018 and 2019?', 'average', ['inventory']],
    ['What is the ratio of total assets to total liabilities in 2019?', 'ratio', ['total assets', 'total liabilities']],
    ['What is R&D expense as a percentage of net sales in 2019?', 'share', ['r&d expense', 'net sales']],
    ['What was the proportion of cash over total assets in 2018?', 'share', ['cash', 'total assets']],
    [
      'What percentage of total investments were accounted for using the equity method in 2019?',
      'share',
      ['accounted using equity method', 'total investments'],
    ],
    ['What is the difference between gross profit and operating income in 2019?', 'difference', ['gross profit', 'operating income']],
    ['What is the CAGR of revenue from 2015 to 2019?', 'cagr', ['revenue']],
    ['In which year was the operating income the largest?', 'largest', ['operating income']],
    ['How many years did net income exceed $30,000?', 'count', ['net income']],
    ['What were the receivables in 2019?', 'value', ['receivables']],
  ])('%s → %s', (question, operation, items) => {
    const reading = readQuestion(question);
    expect(reading.operation).toBe(operation);
    expect(reading.items).toEqual(items);
  });

  it.each([
    ['What is the difference between the 2019 average cash and the 2019 average inventories?', 'difference_of_averages', ['cash', 'inventories']],
    [
      'What is the difference between the average investment income and average financing costs?',
      'difference_of_averages',
      ['investment income', 'financing costs'],
    ],
    ['What was the change in the ratio of gross profit to revenue from 2018 to 2019?', 'change_of_ratio', ['gross profit', 'revenue']],
    ['What is the change in the proportion of audit fees in total fees between 2018 and 2019?', 'change_of_ratio', ['audit fees', 'total fees']],
    ['What was the average annual change in revenue from 2016 to 2019?', 'average_of_changes', ['revenue']],
  ])('%s → compound %s', (question, form, items) => {
    expect(readQuestion(question).compound).toEqual({ form, items });
  });

  it.each([
    // [question, operation, items, what else the reading must say]
    ['What is the ratio (in percentage) of total notes payable to total lease obligations?', 'share', ['total notes payable', 'total lease obligations'], {}],
    [
      'What is the proportion, in percentage, of deferred revenue and accrued warranty over gross deferred tax assets in 2019?',
      'share',
      ['deferred revenue accrued warranty', 'gross deferred tax assets'],
      { parts: ['deferred revenue', 'accrued warranty'] },
    ],
    ['What is the ratio of the average exchange rate of the krona to the dollar in 2019?', 'ratio', ['exchange rate krona', 'dollar'], {}],
    [
      'What is the difference in the gross receivables between the current and the total?',
      'difference',
      ['current', 'total'],
      { subject: 'gross receivables', gap: true },
    ],
    ['What was the change in useful life between customer lists and brand names?', 'difference', ['customer lists', 'brand names'], { subject: 'useful life' }],
    [
      'What is the difference in amount between deferred revenue and other liabilities?',
      'difference',
      ['deferred revenue', 'other liabilities'],
      { gap: true },
    ],
    ['How much more was deferred revenue than other liabilities in 2019?', 'difference', ['deferred revenue', 'other liabilities'], {}],
    ['What is the difference in licence revenue between 2018 and 2019?', 'change', ['licence revenue'], { gap: true }],
    ['What is the net difference in licence revenue between 2018 and 2019?', 'change', ['net licence revenue'], {}],
    ['What is the difference in licence revenue from 2018 to 2019?', 'change', ['licence revenue'], {}],
    ['What is the difference between the licence revenue in 2018 and 2019?', 'change', ['licence revenue'], {}],
    ['What was the sum of all tax credit carryforwards?', 'sum', ['tax credit carryforwards'], { overRows: 'items' }],
    ['What is the total amount of audit fees in both 2018 and 2019?', 'sum', ['audit fees'], { overRows: 'total' }],
    ['What was the total deferred income in 2019?', 'value', ['total deferred income'], { overRows: 'total' }],
    ['In which year was maintenance less than15,000 thousands?', 'largest', ['maintenance'], { threshold: { direction: 'below', value: 15000 } }],
  ] as const)('%s → %s %j', (question, operation, items, more) => {
    const reading = readQuestion(question);
    expect(reading.operation).toBe(operation);
    expect(reading.items).toEqual(items);
    expect(reading).toMatchObject(more);
    if (!('gap' in more)) expect(reading.gap).toBeUndefined();
  });

  it.each([
    // [question, operation, part, whole]: the whole named first, the part first, or split at the surest divider.
    ['What proportion of total liabilities is made up of lease liabilities?', 'share', 'lease liabilities', 'total liabilities'],
    ['What percentage of net sales was from the services segment in 2019?', 'share', 'services segment', 'net sales'],
    ['What percentage of operating expenses did marketing costs account for in 2018?', 'share', 'marketing costs', 'operating expenses'],
    ['What were royalties expressed as a percentage of total revenue in 2019?', 'share', 'royalties', 'total revenue'],
    ['What was the preferred dividend as a ratio of the common dividend?', 'ratio', 'preferred dividend', 'common dividend'],
    // "One to two years past due" is an ageing band, read as the period asked.
    ['What is the percentage of loans that are one to two years past due in the total loans in 2019?', 'share', 'loans past due', 'total loans'],
    ['What was the share of cash held in Europe over the group total in 2019?', 'share', 'cash held europe', 'total'],
    ['What is the ratio of the carrying value of bonds to loans in 2019?', 'ratio', 'carrying bonds', 'loans'],
    ['What is the proportion of pension costs of the company in total staff costs?', 'share', 'pension costs', 'total staff costs'],
    ['What percentage of total revenue came from the Americas in 2019?', 'share', 'americas', 'total revenue'],
    ['What share of the total workforce is based in Europe?', 'share', 'europe', 'total workforce'],
  ] as const)('%s → %s of %s in %s', (question, operation, part, whole) => {
    const reading = readQuestion(question);
    expect(reading.operation).toBe(operation);
    expect(reading.items).toEqual([part, whole]);
  });

  it.each([
    // Paraphrases of one question read alike: the operation words are a small grammar, not fixed phrases.
    ['What is the difference in rental income between 2018 and 2019?', 'What was the gap in rental income from 2018 to 2019?'],
    ['What is the percentage difference in rental income between 2018 and 2019?', 'What was the percentage gap in rental income between 2018 and 2019?'],
    ['What was the average of wages and salaries in 2018 and 2019?', 'What was the mean of wages and salaries in 2018 and 2019?'],
    ['What percentage of total revenue is licence revenue in 2019?', 'Calculate what percentage of total revenue is licence revenue in 2019.'],
    ['What is the percentage change in rental income from 2018 to 2019?', 'What was the percent change in rental income between 2018 and 2019'],
  ])('reads "%s" and "%s" alike', (question, paraphrase) => {
    const reading = readQuestion(question);
    const other = readQuestion(paraphrase);
    expect([other.operation, other.items, other.periods.map((period) => period.year).sort()]).toEqual([
      reading.operation,
      reading.items,
      reading.periods.map((period) => period.year).sort(),
    ]);
  });

  it('reads an amount per unit, but not a rate per unit of time', () => {
    expect(readQuestion('What was the average cost per employee in 2019?').perUnit).toEqual({ amount: 'cost', unit: 'employee' });
    expect(readQuestion('What is the change in net income per share from 2018 to 2019?').perUnit).toEqual({ amount: 'net income', unit: 'share' });
    expect(readQuestion('What was the fee per annum in 2019?').perUnit).toBeUndefined();
  });

  it('reads a count of units times their price, but not the price per unit', () => {
    expect(readQuestion('What is the total value of the shares granted in 2019?').product).toBe(true);
    expect(readQuestion('What is the price of outstanding options on September 30, 2019?').product).toBe(true);
    expect(readQuestion('What is the weighted average exercise price of outstanding options in 2019?').product).toBeUndefined();
    expect(readQuestion('What was the fair value per share of the options granted in 2019?').product).toBeUndefined();
  });

  it('reads a divider inside a range or before a figure as part of the item, not as its whole', () => {
    expect(readQuestion('What is the proportion of repayments due in 5 years or less?').items).toHaveLength(1);
  });

  it('reads operation words inside a line item as part of its name', () => {
    expect(readQuestion('What is the increase / (decrease) in the weighted-average common stock outstanding from 2018 to 2019?').operation).toBe('change');
    expect(readQuestion('What was the change in the average life expectancy from 2018 to 2019?').operation).toBe('change');
    expect(readQuestion('What was the percentage change in the average selling price from 2018 to 2019?').operation).toBe('percent_change');
  });

  it('reads "how many percent did X change" as a change in points when X is a percentage', () => {
    expect(readQuestion('How many percent did the hedged rate change by from 2018 to 2019?')).toMatchObject({ operation: 'percent_change', points: true });
    expect(readQuestion('What was the percentage change in revenue from 2018 to 2019?').points).toBe(false);
  });

  it('reads what a question does with a standard ratio besides stating it', () => {
    expect(readQuestion('What is the change in current ratio from 2018 to 2019?')).toMatchObject({ operation: 'formula', ratioOperation: 'change' });
    expect(readQuestion('What is the average gross margin for 2018 and 2019?')).toMatchObject({ operation: 'formula', ratioOperation: 'average' });
    expect(readQuestion('What was the current ratio in 2019?').ratioOperation).toBeUndefined();
  });

  it('splits a share of two joined items, for a sum when no row names both', () => {
    const reading = readQuestion('What is the proportion of deferred revenue and accrued warranty over gross deferred tax assets in 2019?');
    expect(reading.operation).toBe('share');
    expect(reading.items).toEqual(['deferred revenue accrued warranty', 'gross deferred tax assets']);
    expect(reading.parts).toEqual(['deferred revenue', 'accrued warranty']);
  });

  it('reads "change (%)" as a percentage change, "accounted for using" as words of an item, and "increase by" as a size', () => {
    expect(readQuestion('What is the change (%) in order backlog between 2020 and 2021?').operation).toBe('percent_change');
    expect(readQuestion('How much was the investment accounted for using the equity method in 2021?')).toMatchObject({ operation: 'value' });
    expect(readQuestion('How much did distribution costs increase by from 2020 to 2021?')).toMatchObject({ operation: 'change', gap: true });
    expect(readQuestion('What was the increase in distribution costs from 2020 to 2021?').gap).toBeUndefined();
  });

  it('keeps the number a hierarchy word ranks ("level 2") in an item, and drops other numbers', () => {
    expect(readQuestion('What were the level 2 assets in 2019?').items).toEqual(['level 2 assets']);
    expect(readQuestion('What was the revenue of the top 10 customers in 2019?').items).toEqual(['revenue customers']);
  });

  it('reads the periods in the order the question gives them', () => {
    expect(readQuestion('What is the change in sales in 2019 from 2018?').periods.map((period) => period.year)).toEqual([2019, 2018]);
    expect(readQuestion('What was revenue in Q2 2024?').periods[0]).toMatchObject({ year: 2024, quarter: 2 });
    // A quarter written without its year is of the year the question names next to it.
    expect(readQuestion('What was the change in sales from Q1 to Q3 2024?').periods).toEqual([
      expect.objectContaining({ year: 2024, quarter: 1 }),
      expect.objectContaining({ year: 2024, quarter: 3 }),
    ]);
  });

  it('reads a range and a threshold', () => {
    expect(readQuestion('What was the average operating income from 2015 to 2019?').range).toBe(true);
    expect(readQuestion('What is the total provision for income taxes between 2017 to 2019?').range).toBe(true);
    // Sums and averages over "between 2017 and 2019" take every year between; a change takes its ends whatever the range.
    expect(readQuestion('What was the average revenue between 2017 and 2019?').range).toBe(true);
    expect(readQuestion('What was the average revenue in 2017 and 2019?').range).toBe(false);
    expect(readQuestion('How many years did net income exceed $30,000?').threshold).toMatchObject({ direction: 'above', value: 30000 });
  });

  it('reads two years joined by a dash both as a range and as one span of years, for a table to decide', () => {
    const average = readQuestion('What was the average revenue for 2016-2018?');
    expect(average.periods.map((period) => period.year)).toEqual([2016, 2018]);
    expect(average.range).toBe(true);
    expect(average.spans!.periods).toEqual([expect.objectContaining({ year: 2016, through: 2018 })]);
    const change = readQuestion('What was the increase in lease payments due from 2025 to 2026-2027?');
    expect(change.spans).toEqual({ periods: [expect.objectContaining({ year: 2025 }), expect.objectContaining({ year: 2026, through: 2027 })], range: true });
    expect(readQuestion('What was the change in revenue from 2018 to 2019?').spans).toBeUndefined();
  });

  it('reads yes/no comparisons: a direction, or a level against a threshold', () => {
    expect(readQuestion('Did revenue increase from 2018 to 2019?')).toMatchObject({ operation: 'change', yesNo: { direction: 'increase' } });
    expect(readQuestion('Has the quick ratio improved between FY2022 and FY2023?')).toMatchObject({
      operation: 'formula',
      ratio: { id: 'quick_ratio' },
      yesNo: { direction: 'increase', improve: true },
    });
    expect(readQuestion('Is the gross margin above 20% in 2019?')).toMatchObject({ operation: 'formula', yesNo: { direction: 'above', threshold: 20 } });
  });

  it('reads the standard ratios by their names', () => {
    for (const [question, id] of [
      ['What was the current ratio in 2019?', 'current_ratio'],
      ['What is the debt-to-equity ratio for FY2023?', 'debt_to_equity'],
      ['What was the return on equity in 2019?', 'roe'],
      ['What is the effective tax rate in 2018?', 'effective_tax_rate'],
      ['How much free cash flow did it generate in 2019?', 'free_cash_flow'],
      ['What were days sales outstanding in 2019?', 'dso'],
    ] as const) {
      expect(readQuestion(question).ratio?.id).toBe(id);
    }
  });

  it('keeps "Total" and "state" when they name the row, and reads "in total" at the end as a sum', () => {
    expect(readQuestion('What was the percentage change in Total Other operating expenses between 2018 and 2019?')).toMatchObject({
      operation: 'percent_change',
      items: ['total other operating expenses'],
    });
    expect(readQuestion('What is the change in the current provision for income taxes at the state level between 2018 and 2019?').items[0]).toContain('state');
    expect(readQuestion('How much goodwill activity was there in 2019 in total?')).toMatchObject({ operation: 'sum', items: ['goodwill activity'] });
  });

  it('gives each month listed before one year that year', () => {
    expect(readQuestion('How many units were awarded in May and November 2021 in total?').periods.map((period) => period.label)).toEqual([
      'May 2021',
      'November 2021',
    ]);
    expect(readQuestion('What was paid in January, April and July 2020?').periods.map((period) => [period.year, period.month])).toEqual([
      [2020, 1],
      [2020, 4],
      [2020, 7],
    ]);
    expect(readQuestion('What was the change in the backlog from March to September 2022?').periods.map((period) => period.label)).toEqual([
      'March 2022',
      'September 2022',
    ]);
  });

  it('reads an average per year ("average annual") of an average', () => {
    expect(readQuestion('What is the average annual lease payment for 2021-2025?').perYear).toBe(true);
    expect(readQuestion('What is the average lease payment for 2021-2025?').perYear).toBeUndefined();
  });

  it('reads the total value of units as a sum of counts times prices', () => {
    const reading = readQuestion('What is the total value of options exercised and forfeited in 2021?');
    expect(reading.operation).toBe('sum');
    expect(reading.product).toBe(true);
  });
});
