import { join, resolve } from 'node:path';
import type { TableData } from '../../kb/types.ts';
import { answerFromCells } from '../../server/chat/offline/answer-from-cells.ts';
import { readQuestion } from '../../server/chat/offline/read-question.ts';
import { loadPromptLibrary } from '../../server/prompts.ts';
import type { SearchHit } from '../../server/retrieval/hybrid-search.ts';
import { runCompute } from '../../server/tools/definitions/compute.ts';

const prompts = loadPromptLibrary(join(resolve(import.meta.dirname, '../..'), 'prompts'));

/** A retrieved passage holding one table, in a document of its own. */
export function tableHit(id: string, table: TableData, score = 0.9): SearchHit {
  return {
    chunk: { id, articleId: `a-${id}`, ordinal: 0, text: table.rows.map((row) => row.join(' | ')).join('\n'), table, label: 0 },
    article: {
      id: `a-${id}`,
      title: `Report ${id}`,
      text: '',
      sections: [],
      tags: [],
      tickers: [],
      references: [],
      contentHash: id,
      origins: [],
      ingestedAt: '',
      chunkIds: [id],
    },
    score,
    similarity: score,
    coverage: score,
  } as SearchHit;
}

/** The offline cell answer to a question over the given passages (and their documents' other passages), computed by the real compute tool (its result cited as [99]). */
export async function answerOverTables(question: string, hits: SearchHit[], siblings: SearchHit['chunk'][] = [], weight: (term: string) => number = () => 1) {
  const cited: string[] = [];
  return answerFromCells(readQuestion(question), hits, {
    passagesOf: async (articleId) => [...hits.map((found) => found.chunk), ...siblings].filter((chunk) => chunk.articleId === articleId),
    weight,
    prompts,
    language: 'en',
    compute: async (args) => ({ result: runCompute(args), n: 99 }),
    citePassage: (found) => {
      if (!cited.includes(found.chunk.id)) cited.push(found.chunk.id);
      return cited.indexOf(found.chunk.id);
    },
  });
}
