import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TableData } from '../../kb/types.ts';
import { answerFromCells } from '../../server/chat/offline/answer-from-cells.ts';
import { readQuestion } from '../../server/chat/offline/read-question.ts';
import { loadPromptLibrary } from '../../server/prompts.ts';
import type { SearchHit } from '../../server/retrieval/hybrid-search.ts';
import { runCompute } from '../../server/tools/definitions/compute.ts';

const prompts = loadPromptLibrary(join(resolve(import.meta.dirname, '../..'), 'prompts'));

function hit(id: string, title: string, table: TableData, score: number, company?: string): SearchHit {
  return {
    chunk: { id, articleId: `a-${id}`, ordinal: 0, text: table.rows.map((row) => row.join(' | ')).join('\n'), table, label: 0 },
    article: {
      id: `a-${id}`,
      title,
      text: '',
      sections: [],
      tags: [],
      tickers: [],
      references: [],
      contentHash: id,
      origins: [],
      ingestedAt: '',
      chunkIds: [id],
      ...(company ? { financial: { company } } : {}),
    },
    score,
    similarity: score,
    coverage: score,
  } as SearchHit;
}

async function answer(question: string, hits: SearchHit[]) {
  const cited: string[] = [];
  const result = await answerFromCells(readQuestion(question), hits, {
    weight: () => 1,
    prompts,
    language: 'en',
    compute: async (args) => ({ result: runCompute(args), n: 99 }),
    citePassage: (found) => {
      if (!cited.includes(found.chunk.id)) cited.push(found.chunk.id);
      return cited.indexOf(found.chunk.id);
    },
  });
  return result;
}

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
      '2: periods of 3 in which Net income was above $30,000 (2019: 30,500, 2018: 29,000, 2017: 31,200) [0].',
    );
  });
});
