import { describe, expect, it } from 'vitest';
import { readQuestion } from '../../server/chat/offline/read-question.ts';

/**
 * How the question reader generalises: each group is one question asked in several ways (written
 * for this test, about an imaginary retailer), and every wording must read as the same operation
 * over the same line items and periods. A new phrasing that reads differently is a gap in the
 * grammar of lib/financial-questions.ts, not a case to special-case.
 */
const GROUPS: { operation: string; items: string[]; years: number[]; phrasings: string[] }[] = [
  {
    operation: 'change',
    items: ['store rent'],
    years: [2020, 2021],
    phrasings: [
      'What was the change in store rent from 2020 to 2021?',
      'How much did store rent go up from 2020 to 2021?',
      'By how much did store rent increase between 2020 and 2021?',
      'What was the movement in store rent in 2021 from 2020?',
      'What is the change in store rent from 2021 to 2020?',
      'How much has store rent fallen from 2020 to 2021?',
      'What was the increase / (decrease) in store rent from 2020 to 2021?',
      'What was the store rent change 2020 to 2021?',
      'How much did store rent in 2021 exceed that in 2020?',
    ],
  },
  {
    operation: 'percent_change',
    items: ['store rent'],
    years: [2020, 2021],
    phrasings: [
      'What was the percentage change in store rent from 2020 to 2021?',
      'By what percentage did store rent increase from 2020 to 2021?',
      'What was the change in store rent between 2020 and 2021 in percentage?',
      'How much did store rent change from 2020 to 2021, in percent?',
      'How much did store rent grow between 2020 and 2021 in percentage terms?',
      'What was the relative change in store rent between 2020 and 2021?',
      'What was the growth rate of store rent from 2020 to 2021?',
      'What is the percent change in store rent between 2021 and 2020?',
      'What was the percentage reduction in store rent between 2020 and 2021?',
      'By what % did store rent rise from 2020 to 2021?',
      'What is the per cent decline in store rent from 2020 to 2021?',
    ],
  },
  {
    operation: 'average',
    items: ['store rent'],
    years: [2019, 2021],
    phrasings: [
      'What was the average store rent from 2019 to 2021?',
      'What is the mean store rent between 2019 and 2021?',
      'What was the average store rent for the year 2019 to 2021?',
      'What was the average store rent over the three years from 2019 to 2021?',
    ],
  },
  {
    operation: 'sum',
    items: ['store rent'],
    years: [2020, 2021],
    phrasings: [
      'What was store rent altogether in 2020 and 2021?',
      'What is the sum of store rent in 2020 and 2021?',
      'What is the combined store rent for 2020 and 2021?',
    ],
  },
  {
    operation: 'value',
    items: ['store rent'],
    years: [2020, 2021],
    phrasings: ['What was the store rent in 2021 and 2020 respectively?', 'What was the store rent in 2021 and 2020?'],
  },
  {
    operation: 'share',
    items: ['online sales', 'net sales'],
    years: [2021],
    phrasings: [
      'What is online sales as a percentage of net sales in 2021?',
      'What percentage of net sales came from online sales in 2021?',
      'What is the percentage of net sales that was from online sales in 2021?',
      'What proportion of net sales did online sales account for in 2021?',
      'What was the share of online sales in net sales in 2021?',
      'What is the ratio of online sales to net sales in 2021, in percentage?',
    ],
  },
  {
    operation: 'ratio',
    items: ['inventory', 'payables'],
    years: [2021],
    phrasings: [
      'What is the ratio of inventory to payables in 2021?',
      'What is inventory divided by payables in 2021?',
      'What was the inventory to payables ratio in 2021?',
    ],
  },
];

describe('the question reader reads one question alike however it is worded', () => {
  for (const group of GROUPS) {
    it.each(group.phrasings)(`${group.operation} of ${group.items.join(', ')}: %s`, (question) => {
      const reading = readQuestion(question);
      expect(reading.operation).toBe(group.operation);
      expect(reading.items).toEqual(group.items);
      expect(reading.periods.map((period) => period.year).sort()).toEqual(group.years);
    });
  }

  it('reads two items that share a subject even when a period closes the question', () => {
    const reading = readQuestion('What is the difference in store rent between the north region and the south region in 2021?');
    expect(reading).toMatchObject({ operation: 'difference', items: ['north region', 'south region'], subject: 'store rent' });
  });

  it('reads "in percent" of an item that is itself a percentage as a change, not a percentage change', () => {
    expect(readQuestion('What was the change in the gross margin of stores from 2020 to 2021 in percent?').operation).not.toBe('percent_change');
    expect(readQuestion('What was the change in the vacancy rate from 2020 to 2021 in percent?').operation).toBe('change');
  });

  it('takes every period between the ends of a range, but only the periods named otherwise', () => {
    expect(readQuestion('What was the average store rent between 2019 and 2021?').range).toBe(true);
    expect(readQuestion('What was the average store rent in 2019 and 2021?').range).toBe(false);
    expect(readQuestion('What is the average store rent over the three years?')).toMatchObject({ items: ['store rent'], range: true });
  });

  it('reads one item named twice in two periods as one period over the other', () => {
    expect(readQuestion('What is the 2021 store rent as a percentage of the 2020 store rent?')).toMatchObject({
      operation: 'share',
      items: ['store rent'],
      overPeriods: true,
    });
    // A figure after "exceed" is a threshold, not the other period.
    expect(readQuestion('How much did store rent exceed $30,000 in 2021?').operation).toBe('value');
  });

  it('reads which period a standard ratio was highest in as the extreme of that ratio', () => {
    expect(readQuestion('In which year was the gross margin higher?')).toMatchObject({ operation: 'formula', ratioOperation: 'largest', asksWhich: 'period' });
  });

  it('keeps a hyphenated word whole when part of it is an operation word', () => {
    expect(readQuestion('What was the drop-off rate in 2021?').items).toEqual(['drop-off rate']);
  });
});
