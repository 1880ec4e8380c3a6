import { describe, expect, it } from 'vitest';
import type { KnowledgeStore } from '../../kb/store.ts';
import { missingNames } from '../../server/chat/offline/missing-names.ts';
import { analyzeQuery } from '../../server/retrieval/query-understanding.ts';

/** A knowledge base that holds only the given words, in passages; no article's title names anything. */
function holding(words: string[]): KnowledgeStore {
  const store: Partial<KnowledgeStore> = {
    termStatistics: async (terms) => ({ passages: 10, documentFrequency: new Map(terms.filter((term) => words.includes(term)).map((term) => [term, 1])) }),
    listArticles: async () => ({ articles: [], total: 0 }),
  };
  return store as KnowledgeStore;
}

const missing = (question: string, words: string[]) => missingNames(question, analyzeQuery(question, '2026-01-01'), holding(words));

describe('names no document mentions', () => {
  it('says a name is missing when none of its words is in any passage', async () => {
    expect(await missing('What was Quillfield revenue in 2019?', ['revenue'])).toEqual(['Quillfield']);
  });

  it('reads words glued together as the phrase they stand for when every part is held', async () => {
    expect(await missing('What proportion of Total FairValue is made up of level 2 inputs?', ['fair', 'value', 'level', 'inputs'])).toEqual([]);
    expect(await missing('What is the FairValue of the notes?', ['value', 'notes'])).toEqual(['FairValue']);
  });
});
