import { describe, expect, it } from 'vitest';
import { type ArticleMeta, ArticleMetaInterner, ArticleMetaSchema } from '../../kb/embedded/article-meta.ts';
import { retainedBytes } from '../helpers/retained-heap.ts';

/** Metadata as the store reads it from a change row: parsed JSON, every value a string of its own. */
function parsedMeta(index: number): ArticleMeta {
  const company = index % 50;
  return ArticleMetaSchema.parse(
    JSON.parse(
      JSON.stringify({
        id: `article-${index}`,
        title: `Company ${company} reports quarter ${index}`,
        published: `2026-0${1 + (index % 9)}-1${index % 10}`,
        source: `Desk ${index % 7}`,
        tags: ['earnings', `sector ${company % 5}`],
        tickers: [`TK${company}`],
        ...(index % 3 === 0 ? { documentType: 'news', company: `Company ${company}` } : {}),
        firstLabel: index * 10,
        passages: 10,
      }),
    ),
  );
}

describe('ArticleMetaInterner', () => {
  it('keeps every value, shares repeated ones, and never conflates two lists', () => {
    const interner = new ArticleMetaInterner();
    const [a, b] = [interner.compact(parsedMeta(3)), interner.compact(parsedMeta(53))];
    expect(a).toEqual(parsedMeta(3));
    expect(b).toEqual(parsedMeta(53));
    expect(a.tickers).toBe(b.tickers);
    expect(a.tags).toBe(b.tags);
    expect(Object.isFrozen(a.tags)).toBe(true);
    const split = interner.compact({ ...parsedMeta(1), tags: ['a', 'b'] });
    const joined = interner.compact({ ...parsedMeta(2), tags: ['a,b'] });
    expect(split.tags).toEqual(['a', 'b']);
    expect(joined.tags).toEqual(['a,b']);
    expect(interner.compact({ ...parsedMeta(4), tags: [] }).tags).toEqual([]);
  });

  it("holds 20,000 articles' metadata in much less heap than the parsed objects take", async () => {
    const parsed = await retainedBytes(() => Array.from({ length: 20_000 }, (_, index) => parsedMeta(index)));
    const interner = new ArticleMetaInterner();
    const compact = await retainedBytes(() => Array.from({ length: 20_000 }, (_, index) => interner.compact(parsedMeta(index))));
    expect(compact.kept[123]).toEqual(parsed.kept[123]);
    // Measured: 194 bytes an article against 340.
    expect(compact.bytes).toBeLessThan(parsed.bytes * 0.7);
  });
});
