import { describe, expect, it } from 'vitest';
import type { TableData } from '../../kb/types.ts';
import { proseCounts } from '../../server/chat/offline/prose-counts.ts';
import type { SearchHit } from '../../server/retrieval/hybrid-search.ts';
import { answerOverTables, tableHit } from '../helpers/cell-hits.ts';

describe('counts of units stated in prose', () => {
  it('reads the figure before the unit noun, with up to two words between, and dates it by the sentence’s one year', () => {
    const text =
      'The plan closed 14 warehouses and reduced the workforce by 2,340 full-time employees in 2021. ' +
      'About 310 employees joined from the acquired bakery chain. Revenue grew 12% in 2021 and 2020.';
    const counts = proseCounts(text, 'p9', 'employee');
    expect(counts.map((cell) => [cell.value, cell.period?.year])).toEqual([
      [2340, 2021],
      [310, undefined],
    ]);
    // A percentage, a year and another noun are never counts of employees.
    expect(proseCounts('Staff costs rose 4% in 2021 to 2,340 thousand.', 'p9', 'employee')).toEqual([]);
  });

  it('divides a table’s amount by a count the same document states in a sentence', async () => {
    const restructuring: TableData = {
      headerRows: 1,
      rows: [
        ['', '2021', '2020'],
        ['Severance costs', '46.8', '12.0'],
        ['Site closure costs', '5.1', '0.4'],
      ],
    };
    const table = tableHit('p1', restructuring);
    const prose = {
      ...table,
      chunk: {
        ...table.chunk,
        id: 'p2',
        ordinal: 1,
        text: 'The restructuring removed roles across three regions, a reduction of 1,200 employees.',
        table: undefined,
      },
    } as SearchHit;
    const result = await answerOverTables('What was the severance cost per employee in 2021?', [table], [prose.chunk]);
    // 46.8 ÷ 1,200 = 0.039
    expect(result!.lead).toBe('**0.04** — the severance cost per employee (Severance costs ÷ number of employees) in 2021 [99].');
    expect(result!.details[0]).toContain('= 46.8 / 1200 [99]');
  });
});
