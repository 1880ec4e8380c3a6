import { describe, expect, it } from 'vitest';
import { cosine } from '../../lib/similarity.ts';
import { SEARCH_INDEX_DEFAULTS, SearchIndex } from '../../kb/embedded/search-index.ts';
import { InlineVectorGraph } from '../../kb/vector-graph.ts';
import { VectorIndex } from '../../kb/vector-index.ts';
import { LexicalIndex } from '../../kb/lexical-index.ts';

const DIM = 8;

/** A unit vector leaning towards axis `axis` by `lean` (a larger lean: nearer the axis). */
function toward(axis: number, lean: number): Float32Array {
  const vector = new Float32Array(DIM).fill(1);
  vector[axis] = lean;
  return vector;
}

function passage(label: number, vector: Float32Array) {
  return { label, text: `passage ${label}`, section: '', title: 'An article', vector };
}

function articleMeta(id: string, firstLabel: number, passages: number) {
  return { id, title: 'An article', tags: [], tickers: [], firstLabel, passages };
}

describe('SearchIndex vector search while a change is being applied', () => {
  const build = () => {
    const index = SearchIndex.empty(new InlineVectorGraph(VectorIndex.create(DIM)));
    // A published article of 20 passages, leaning towards axis 0 by a growing amount.
    for (let label = 0; label < 20; label += 1) index.indexPassage(passage(label, toward(0, 2 + label)));
    index.publish(1, 'published', articleMeta('published', 0, 20), new Map());
    return index;
  };
  const nearest = (index: SearchIndex, k: number) => index.vectorSearch(toward(0, 1_000), k, undefined);

  it('answers k visible passages, never one of a change not yet published, however many are hidden', async () => {
    for (const hiddenCount of [3, SEARCH_INDEX_DEFAULTS.overfetchHidden + 5]) {
      const index = build();
      const visible = await nearest(index, 5);
      // The unpublished passages are nearer the query than any published one.
      for (let offset = 0; offset < hiddenCount; offset += 1) index.indexPassage(passage(20 + offset, toward(0, 500 + offset)));
      const during = await nearest(index, 5);
      expect(during).toEqual(visible);
      expect(during.every((hit) => hit.passageId.startsWith('published'))).toBe(true);
      index.publish(2, 'next', articleMeta('next', 20, hiddenCount), new Map());
      // Published, they come first.
      const after = await nearest(index, 5);
      expect(after.slice(0, Math.min(5, hiddenCount)).every((hit) => hit.passageId.startsWith('next'))).toBe(true);
    }
  });
});

describe('SearchIndex filtered vector search', () => {
  it('scores every accepted passage exactly below the limit, walks the graph above it, and answers the same', async () => {
    const index = SearchIndex.empty(new InlineVectorGraph(VectorIndex.create(DIM)));
    // Two articles: the wanted one leans away from the query, the other towards it.
    for (let label = 0; label < 30; label += 1) index.indexPassage(passage(label, toward(label % DIM, 2 + label)));
    index.publish(1, 'wanted', { ...articleMeta('wanted', 0, 30), tickers: ['$want'] }, new Map());
    for (let label = 30; label < 60; label += 1) index.indexPassage(passage(label, toward(0, 500 + label)));
    index.publish(2, 'other', articleMeta('other', 30, 30), new Map());
    const query = toward(0, 1_000);
    const expected = Array.from({ length: 30 }, (_, label) => ({ id: `wanted-${label}`, label, similarity: cosine(toward(label % DIM, 2 + label), query) }))
      .sort((a, b) => b.similarity - a.similarity || a.label - b.label)
      .slice(0, 5);
    const exactOrder = expected.map(({ id }) => id);

    const exact = await index.vectorSearch(query, 5, { tickers: ['$want'] });
    expect(exact.map((hit) => hit.passageId)).toEqual(exactOrder);
    exact.forEach((hit, position) => expect(hit.similarity).toBeCloseTo(expected[position]!.similarity, 5));

    const limit = SEARCH_INDEX_DEFAULTS.exactFilteredLimit;
    SEARCH_INDEX_DEFAULTS.exactFilteredLimit = 10;
    try {
      const walked = await index.vectorSearch(query, 5, { tickers: ['$want'] });
      expect(walked.map((hit) => hit.passageId)).toEqual(exactOrder);
    } finally {
      SEARCH_INDEX_DEFAULTS.exactFilteredLimit = limit;
    }
  });
});

describe('SearchIndex ownership of labels', () => {
  it('keeps one reference per article, not one per passage', async () => {
    const { retainedBytes } = await import('../helpers/retained-heap.ts');
    // 2,000 articles of 100 passages: an array of metas by label held 200,000 references (1.6 MB).
    const metas = Array.from({ length: 2_000 }, (_, index) => articleMeta(`a${index}`, index * 100, 100));
    const { bytes, kept } = await retainedBytes(() => new SearchIndex(new InlineVectorGraph(VectorIndex.create(DIM)), LexicalIndex.create(), 0, metas));
    expect(kept.passages).toBe(200_000);
    expect(bytes).toBeLessThan(1_000_000);
  });

  it('answers each label with its current article after deletions and replacements reuse what they freed', () => {
    const index = SearchIndex.empty(new InlineVectorGraph(VectorIndex.create(DIM)));
    const words = (label: number) => ({ label, text: `shared word${label}`, section: '', title: 'An article', vector: toward(label % DIM, 3) });
    const publishArticle = (seq: number, id: string, first: number, count: number) => {
      for (let label = first; label < first + count; label += 1) index.indexPassage(words(label));
      index.publish(seq, id, articleMeta(id, first, count), new Map([...Array(count)].map((_, offset) => [first + offset, `shared word${first + offset}`])));
    };
    publishArticle(1, 'a', 0, 3);
    publishArticle(2, 'b', 3, 2);
    // `a` deleted, then `c` published (taking the slot `a` freed), then `b` replaced by a new version.
    index.publish(3, 'a', null, new Map([0, 1, 2].map((label) => [label, `shared word${label}`])));
    publishArticle(4, 'c', 5, 2);
    const replacement = [7, 8, 9];
    for (const label of replacement) index.indexPassage(words(label));
    index.publish(5, 'b', articleMeta('b', 7, 3), new Map([3, 4].map((label) => [label, `shared word${label}`])));
    const ids = (term: string) =>
      index
        .lexicalSearch([{ term, weight: 1 }], 20, undefined, [])
        .hits.map((hit) => hit.passageId)
        .sort();
    expect(ids('shared')).toEqual(['b-0', 'b-1', 'b-2', 'c-0', 'c-1']);
    expect(ids('word0')).toEqual([]);
    expect(ids('word3')).toEqual([]);
    expect(ids('word8')).toEqual(['b-1']);
    expect(index.passageIdOf(6)).toBe('c-1');
    expect(index.passageIdOf(1)).toBeUndefined();
    expect(index.passages).toBe(5);
  });
});
