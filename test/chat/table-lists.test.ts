import { describe, expect, it } from 'vitest';
import { readTableCells } from '../../server/cells/read-table.ts';
import { listFromTable, readListQuestion, joinList } from '../../server/chat/offline/table-lists.ts';
import { readQuestion } from '../../server/chat/offline/read-question.ts';

// A hand-built balance-sheet extract: header rows, two sections closed by totals, a top-level row.
const balance = readTableCells(
  {
    headerRows: 2,
    rows: [
      ['', 'As at year end', ''],
      ['', '2021', '2020'],
      ['Current assets', '', ''],
      ['Inventories', '410.2', '388.0'],
      ['Trade receivables', '290.5', '301.7'],
      ['Cash at bank', '55.0', '61.3'],
      ['Total current assets', '755.7', '751.0'],
      ['Non-current assets', '', ''],
      ['Plant and machinery', '1,020.4', '998.1'],
      ['Leased vehicles', '75.2', '80.9'],
      ['Total non-current assets', '1,095.6', '1,079.0'],
      ['Goodwill', '120.0', '120.0'],
      ['Deferred tax asset', '14.5', '12.2'],
    ],
  },
  'p1',
);

// Three regional sections sharing a word, as segment tables print them.
const segments = readTableCells(
  {
    headerRows: 1,
    rows: [
      ['', '2021', '2020', '2019'],
      ['Northern Operations:', '', '', ''],
      ['Mining', '120', '110', '95'],
      ['Total Northern Operations', '120', '110', '95'],
      ['Southern Operations:', '', '', ''],
      ['Farming', '80', '75', '60'],
      ['Total Southern Operations', '80', '75', '60'],
      ['Coastal Operations:', '', '', ''],
      ['Shipping', '40', '35', '30'],
      ['Total Coastal Operations', '40', '35', '30'],
    ],
  },
  'p2',
);

const uniform = () => 1;

function list(question: string, cells = balance) {
  const reading = readQuestion(question);
  const asked = readListQuestion(question, reading);
  if (!asked) return undefined;
  return listFromTable(asked, cells, uniform, reading);
}

describe('reading list questions', () => {
  it('recognises periods, members and counts, and leaves comparisons to the cell answers', () => {
    const kind = (question: string) => readListQuestion(question, readQuestion(question))?.kind;
    expect(kind('In which years was the cash at bank provided?')).toBe('periods');
    expect(kind('What are the components of current assets?')).toBe('members');
    expect(kind('How many types of non-current assets are there?')).toBe('count');
    expect(kind('In which year was cash at bank less than 60?')).toBe('periods-meeting');
    expect(kind('In which year was cash at bank larger?')).toBeUndefined();
    expect(kind('How many years did cash at bank exceed 50?')).toBeUndefined();
    expect(kind('What was cash at bank in 2021?')).toBeUndefined();
  });
});

describe('lists read off a table', () => {
  it('lists the rows under the section the question names, without its total', () => {
    expect(list('What are the components of current assets?')?.items).toEqual(['Inventories', 'Trade receivables', 'Cash at bank']);
    expect(list('What were the components making up non-current assets?')?.items).toEqual(['Plant and machinery', 'Leased vehicles']);
  });

  it('counts the members and keeps them to show', () => {
    const counted = list('How many types of non-current assets are there?');
    expect(counted?.kind).toBe('count');
    expect(counted?.items).toHaveLength(2);
  });

  it('counts the rows of a table a sentence ending in a colon introduces as the subject, not of one the prose merely mentions', () => {
    const directors = readTableCells(
      {
        headerRows: 1,
        rows: [
          ['Name', 'Age', 'Position'],
          ['Ada Morrow', '58', 'Chair'],
          ['Felix Okafor', '49', 'Chief Executive'],
          ['Ines Duarte', '52', 'Finance Director'],
        ],
      },
      'p5',
    );
    const question = 'How many corporate officers are there as at 1 March 2021?';
    const asked = readListQuestion(question, readQuestion(question))!;
    expect(asked.kind).toBe('count');
    const introduced = listFromTable(asked, directors, uniform, readQuestion(question), 'Our corporate officers at 1 March 2021 were as follows:');
    expect(introduced?.items).toEqual(['Ada Morrow', 'Felix Okafor', 'Ines Duarte']);
    expect(listFromTable(asked, directors, uniform, readQuestion(question), 'The corporate officers met eleven times in 2020.')).toBeUndefined();
  });

  it('lists the rows a total sums when the question names the total', () => {
    const expenses = readTableCells(
      {
        headerRows: 1,
        rows: [
          ['', '2021', '2020'],
          ['Cost of services', '12', '10'],
          ['Selling costs', '30', '28'],
          ['Administration', '18', '17'],
          ['Total share-based payment expense', '60', '55'],
        ],
      },
      'p3',
    );
    const counted = list('How many categories are there under total share-based payment expense?', expenses);
    expect(counted?.items).toEqual(['Cost of services', 'Selling costs', 'Administration']);
  });

  it('lists the sections themselves when several share the subject word', () => {
    expect(list('What are the types of Operations segments in the table?', segments)?.items).toEqual([
      'Northern Operations',
      'Southern Operations',
      'Coastal Operations',
    ]);
  });

  it('lists the periods the table covers', () => {
    expect(list('In which years was the cash at bank provided?')?.items).toEqual(['2021', '2020']);
    expect(list('Which years does the table provide information for?', segments)?.items).toEqual(['2021', '2020', '2019']);
  });

  it('lists the periods in which a row meets a level, latest first, and says when none does', () => {
    expect(list('In which year was cash at bank less than 60?')?.items).toEqual(['2021']);
    expect(list('In which years was Farming more than 70?', segments)?.items).toEqual(['2021', '2020']);
    expect(list('In which year was cash at bank less than 10?')?.items).toEqual([]);
  });

  it('compares a level stated with its scale in the units the table prints its figures in', () => {
    const inThousands = readTableCells(
      {
        headerRows: 1,
        rows: [
          ['(in thousands)', '2021', '2020', '2019'],
          ['Deferred revenue', '6,200', '4,800', '5,100'],
        ],
      },
      'p4',
    );
    // 5 million is 5,000 thousand: 2021 and 2019 lie above it, 2020 below.
    expect(list('In which years was deferred revenue above $5 million?', inThousands)?.items).toEqual(['2021', '2019']);
    expect(list('In which years was deferred revenue above 5,000?', inThousands)?.items).toEqual(['2021', '2019']);
  });

  it('lists the top-level rows of the table only when asked about the table', () => {
    expect(list('What items are listed in the table?')?.items).toEqual(['Goodwill', 'Deferred tax asset']);
    expect(list('What are the components of deferred revenue?')).toBeUndefined();
  });

  it('joins a list as prose', () => {
    expect(joinList(['A'])).toBe('A');
    expect(joinList(['A', 'B', 'C'])).toBe('A, B and C');
  });
});
