import { describe, expect, it } from 'vitest';
import { SEARCH_INDEX_DEFAULTS, SearchIndex } from '../../kb/embedded/search-index.ts';
import { InlineVectorGraph } from '../../kb/vector-graph.ts';
import { VectorIndex } from '../../kb/vector-index.ts';

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
  const nearest = (index: SearchIndex, k: number) => index.vectorSearch(toward(0, 1_000), k, undefined, () => undefined);

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
