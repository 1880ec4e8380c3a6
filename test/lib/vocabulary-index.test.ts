import { describe, expect, it } from 'vitest';
import { VocabularyIndex } from '../../lib/vocabulary-index.ts';
import { vocabularyOf } from '../../ingest/embed/word-vector-cache.ts';

function indexOf(words: string[]): VocabularyIndex {
  return new VocabularyIndex(vocabularyOf(words), words.length);
}

describe('VocabularyIndex', () => {
  it('gives each word its rank, as a Map over the list does (the last of a repeated word)', () => {
    const words = ['the', 'stocks', 'série', '股票', 'rally', 'stocks', '📈', 'a', ''];
    const expected = new Map<string, number>();
    words.forEach((word, rank) => expected.set(word, rank));
    const index = indexOf(words);
    for (const word of new Set(words)) expect(index.rankOf(word)).toBe(expected.get(word));
    for (const absent of ['stock', 'The', 'serie', '股', '📉', 'rallyy']) expect(index.rankOf(absent)).toBeUndefined();
  });

  it('finds every word of a large generated vocabulary and nothing else', () => {
    const words = Array.from({ length: 20_000 }, (_, rank) => `w${rank.toString(36)}é${rank % 7}`);
    const index = indexOf(words);
    words.forEach((word, rank) => {
      expect(index.rankOf(word)).toBe(rank);
    });
    expect(index.rankOf('w0é1')).toBeUndefined();
    expect(index.rankOf(`${words[5]}x`)).toBeUndefined();
  });

  it('holds an empty vocabulary, and refuses one that lists another number of words', () => {
    expect(new VocabularyIndex(new Uint8Array(0), 0).rankOf('the')).toBeUndefined();
    expect(() => new VocabularyIndex(vocabularyOf(['a', 'b', 'c']), 2)).toThrow(/lists 3 words, expected 2/);
    expect(() => new VocabularyIndex(vocabularyOf(['a', 'b']), 3)).toThrow(/lists 2 words, expected 3/);
  });

  it('reads a lone surrogate as the replacement character, as the UTF-8 encoder does', () => {
    const index = indexOf(['\uFFFD', 'x']);
    expect(index.rankOf('\uD800')).toBe(0);
  });
});
