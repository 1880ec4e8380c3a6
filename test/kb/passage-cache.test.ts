import { describe, expect, it } from 'vitest';
import { PassageCache } from '../../kb/embedded/passage-cache.ts';
import type { Passage } from '../../kb/store.ts';
import { retainedBytes } from '../helpers/retained-heap.ts';

function passage(ordinal: number, text: string, extra: Partial<Passage> = {}): Passage {
  return { id: `a1-${ordinal}`, articleId: 'a1', ordinal, text, ...extra };
}

describe('PassageCache', () => {
  it('gives back each passage as it was set, ASCII or not, as a new frozen object sharing the table', () => {
    const cache = new PassageCache(1_000_000);
    const table = Object.freeze({ rows: Object.freeze([Object.freeze(['Revenue', '4.1'])]) });
    const texts = ['Revenue rose 12% to $4.1bn.', 'Net €1.2bn — “record”; 净利润 8%; 📈 𝔼PS beat.', ''];
    texts.forEach((text, ordinal) =>
      cache.set(ordinal, passage(ordinal, text, ordinal === 0 ? { section: 'Results', page: 3, table: table as unknown as Passage['table'] } : {})),
    );
    texts.forEach((text, ordinal) => {
      const first = cache.get(ordinal)!;
      const second = cache.get(ordinal)!;
      expect(first).toEqual(passage(ordinal, text, ordinal === 0 ? { section: 'Results', page: 3, table: table as unknown as Passage['table'] } : {}));
      expect(Object.isFrozen(first)).toBe(true);
      expect(second).not.toBe(first);
      expect(cache.text(ordinal)).toBe(text);
    });
    expect(cache.get(0)!.table).toBe(table);
    expect(cache.get(7)).toBeUndefined();
    expect(cache.text(7)).toBeUndefined();
  });

  it('keeps at most its bytes of text, evicting the least recently read; reading the text alone does not count as a read', () => {
    const cache = new PassageCache(10 * 100);
    for (let label = 0; label < 10; label += 1) cache.set(label, passage(label, 'x'.repeat(100)));
    expect(cache.text(0)).toBeDefined();
    cache.get(1);
    cache.set(10, passage(10, 'y'.repeat(100)));
    // 0 was only peeked: the least recently used, evicted; 1 was read and stays.
    expect(cache.text(0)).toBeUndefined();
    expect(cache.text(1)).toBeDefined();
    // Multi-byte text counts by its bytes: 50 "€" are 150 bytes.
    cache.set(11, passage(11, '€'.repeat(50)));
    const kept = Array.from({ length: 12 }, (_, label) => cache.text(label)).filter((text) => text !== undefined);
    expect(kept.reduce((sum, text) => sum + Buffer.byteLength(text), 0)).toBeLessThanOrEqual(1000);
  });

  it('keeps texts outside the heap', async () => {
    // 2,000 passages of 1 KB: kept as strings they would hold over 1 KB of heap each; the entries
    // themselves (lookup tables, fields, buffer objects) are about 400 bytes.
    const { bytes, kept } = await retainedBytes(() => {
      const cache = new PassageCache(64 * 1024 * 1024);
      for (let label = 0; label < 2000; label += 1) cache.set(label, passage(label, `${label} `.padEnd(1024, 'z')));
      return cache;
    });
    expect(kept.text(1234)!.startsWith('1234 z')).toBe(true);
    expect(bytes / 2000).toBeLessThan(600);
  });
});
