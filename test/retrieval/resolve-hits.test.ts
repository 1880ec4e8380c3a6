import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
import type { KnowledgeStore } from '../../kb/store.ts';
import type { ParsedArticle } from '../../kb/types.ts';
import { normalizedTextHash, searchKnowledgeBase } from '../../server/retrieval/hybrid-search.ts';
import { createFakeEmbedder } from '../helpers/fake-embedder.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();
const embedder = createFakeEmbedder();
const opened: EmbeddedStore[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});

async function storeWith(articles: { title: string; paragraphs: string[] }[]): Promise<EmbeddedStore> {
  const store = await EmbeddedStore.open({ indexDir: tempDir(), embedder: { id: embedder.id, dim: embedder.dim } });
  opened.push(store);
  for (const [index, { title, paragraphs }] of articles.entries()) {
    const article: ParsedArticle = { title, text: paragraphs.join('\n\n'), sections: [{ paragraphs }], tags: [], tickers: [], references: [] };
    const passages = paragraphs.map((text) => ({ text }));
    await store.upsert(await store.planUpsert(article, `file:${index}.md`), article, passages, await embedder.embedDocuments(paragraphs));
  }
  return store;
}

/** The store, counting the passages each search asks for and the reads it asks them in. */
function counting(store: KnowledgeStore): { store: KnowledgeStore; read: () => number; reads: () => number } {
  let read = 0;
  let reads = 0;
  const wrapped = Object.create(store) as KnowledgeStore;
  wrapped.getPassages = async (ids: string[]) => {
    read += ids.length;
    reads += 1;
    return store.getPassages(ids);
  };
  return { store: wrapped, read: () => read, reads: () => reads };
}

const today = '2026-11-21';

describe('hybrid search reads the passages it shows', () => {
  it('stops reading once k hits from different articles are settled', async () => {
    const store = await storeWith(
      Array.from({ length: 40 }, (_, index) => ({
        title: `Copper note ${index}`,
        paragraphs: [`Copper smelter margins widened in region ${index} as copper concentrate fees fell.`, `Regional update ${index} on freight.`],
      })),
    );
    const { store: watched, read } = counting(store);
    const result = await searchKnowledgeBase(watched, embedder, { query: 'copper smelter margins', k: 4, today });
    expect(result.hits).toHaveLength(4);
    expect(new Set(result.hits.map((hit) => hit.article.id)).size).toBe(4);
    // One page of k candidates: not the whole pool of up to 120, nor a page of 2k.
    expect(read()).toBe(4);
  });

  it('reads further pages when one article fills the first and the cap must wait for others', async () => {
    const dominant = {
      title: 'Cobalt supply',
      paragraphs: Array.from({ length: 12 }, (_, index) => `Cobalt supply tightened in month ${index}.`),
    };
    const others = Array.from({ length: 3 }, (_, index) => ({
      title: `Battery note ${index}`,
      paragraphs: [`Cobalt supply tightened at battery plant ${index}, where makers also reported slower orders and higher nickel costs.`],
    }));
    const store = await storeWith([dominant, ...others]);
    const { store: watched, read, reads } = counting(store);
    const result = await searchKnowledgeBase(watched, embedder, { query: 'cobalt supply tightened', k: 4, today });
    expect(result.hits).toHaveLength(4);
    const perArticle = new Map<string, number>();
    for (const hit of result.hits) perArticle.set(hit.article.title, (perArticle.get(hit.article.title) ?? 0) + 1);
    // The cap (half of k) holds while other articles have relevant passages.
    expect(perArticle.get('Cobalt supply')).toBeLessThanOrEqual(2);
    expect(read()).toBeGreaterThan(8);
    // Pages double (4, 8, 16), so the fifteen candidates take three reads, not four pages of k.
    expect(reads()).toBeLessThanOrEqual(3);
  });
});

describe('the same passage text ingested twice', () => {
  it('is shown once, whatever its spacing and case', async () => {
    const store = await storeWith([
      { title: 'Zinc wire', paragraphs: ['Zinc premiums in Rotterdam rose for a third week.'] },
      { title: 'Zinc copy', paragraphs: ['  ZINC premiums in\tRotterdam   rose for a third week. '] },
      { title: 'Zinc other', paragraphs: ['Zinc premiums in Rotterdam rose for a fourth week.'] },
    ]);
    const result = await searchKnowledgeBase(store, embedder, { query: 'zinc premiums Rotterdam', k: 4, today });
    const texts = result.hits.map((hit) => hit.chunk.text.replace(/\s+/g, ' ').trim().toLowerCase());
    expect(texts).toHaveLength(2);
    expect(new Set(texts).size).toBe(2);
  });

  it('hashes alike when only spacing and case differ, and apart otherwise', () => {
    const base = normalizedTextHash('Net sales rose 4% in Q2.');
    expect(normalizedTextHash('  net SALES\n rose\u00a04%  in q2.\t')).toBe(base);
    expect(normalizedTextHash('Net sales rose 5% in Q2.')).not.toBe(base);
    expect(normalizedTextHash('Netsales rose 4% in Q2.')).not.toBe(base);
    expect(normalizedTextHash('Ümsatz stieg')).toBe(normalizedTextHash('ümsatz  STIEG'));
  });
});

describe('hybrid search asks the lexical hits’ similarities while the vector search runs', () => {
  it('asks them before the vector search answers, scores lexical-only hits with them, and fails cleanly when the store cannot', async () => {
    const store = await storeWith(
      Array.from({ length: 12 }, (_, index) => ({
        title: `Nickel note ${index}`,
        paragraphs: [`Nickel laterite output rose in district ${index}.`, `Battery makers signed offtake ${index}.`],
      })),
    );
    const order: string[] = [];
    let releaseVector: () => void = () => undefined;
    const slowVector = Object.create(store) as KnowledgeStore;
    slowVector.vectorSearch = async (...args) => {
      await new Promise<void>((resolve) => {
        releaseVector = resolve;
      });
      order.push('vector answered');
      return store.vectorSearch(...args);
    };
    slowVector.similaritiesOf = async (ids, vector) => {
      order.push('similarities asked');
      setImmediate(() => releaseVector());
      return store.similaritiesOf(ids, vector);
    };
    const result = await searchKnowledgeBase(slowVector, embedder, { query: 'nickel laterite output', k: 4, today });
    expect(order).toEqual(['similarities asked', 'vector answered']);
    expect(result.hits.length).toBeGreaterThan(0);
    expect(result.hits.every((hit) => hit.similarity > 0)).toBe(true);

    // A store failing the similarities while the vector search still runs: the search rejects with
    // that error, and nothing is left unhandled (vitest fails a test on an unhandled rejection).
    const failing = Object.create(store) as KnowledgeStore;
    failing.vectorSearch = async (...args) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return store.vectorSearch(...args);
    };
    failing.similaritiesOf = async () => {
      throw new Error('similarities unavailable');
    };
    await expect(searchKnowledgeBase(failing, embedder, { query: 'nickel laterite output', k: 4, today })).rejects.toThrow('similarities unavailable');
  });
});
