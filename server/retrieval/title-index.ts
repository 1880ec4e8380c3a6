import { LRUCache } from 'lru-cache';

export interface TitledArticle {
  id: string;
  title: string;
}

/** One article's title as matching reads it. */
export interface IndexedTitle {
  id: string;
  /** The title as stored. */
  raw: string;
  /** Normalised (see normalizeTitle): words separated by one space. */
  title: string;
  titleWords: number;
}

/** Lower case, letters and digits only, one space between words; a trailing ellipsis is dropped. */
export function normalizeTitle(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/(?:…|\.{3})\s*$/u, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * Titles are normalised again each time the knowledge base changes, so normalised titles are
 * memoised (normalising 10,000 titles took tens of milliseconds). Pure function, bounded cache.
 */
const normalizedTitles = new LRUCache<string, { title: string; titleWords: number }>({ max: 200_000 });

function normalizedTitleOf(raw: string): { title: string; titleWords: number } {
  let entry = normalizedTitles.get(raw);
  if (!entry) {
    const title = normalizeTitle(raw);
    entry = { title, titleWords: title.split(' ').length };
    normalizedTitles.set(raw, entry);
  }
  return entry;
}

/**
 * Every article's title, indexed for the two questions title matching asks: which titles hold a
 * phrase word for word, and which titles a question writes out whole. Scanning every title for
 * each question cost 10–20 ms a chat at 10,000 articles (and grows with the library); with the
 * index a question looks up only the titles sharing its words. Built once per knowledge-base
 * version (see `titleIndexOf`); matches come back in the order the articles were given.
 */
export class TitleIndex {
  private readonly entries: IndexedTitle[] = [];
  /** Positions (in `entries`) of the titles holding each word. */
  private readonly byWord = new Map<string, number[]>();
  /** Positions of the titles with each normalised form. */
  private readonly byTitle = new Map<string, number[]>();

  static of(articles: Iterable<TitledArticle>): TitleIndex {
    const index = new TitleIndex();
    for (const article of articles) {
      const { title, titleWords } = normalizedTitleOf(article.title);
      if (!title) continue;
      const position = index.entries.length;
      index.entries.push({ id: article.id, raw: article.title, title, titleWords });
      for (const word of new Set(title.split(' '))) pushTo(index.byWord, word, position);
      pushTo(index.byTitle, title, position);
    }
    return index;
  }

  /** Titles holding `phrase` (normalised) as whole words in a row. */
  holding(phrase: string): IndexedTitle[] {
    const words = phrase.split(' ');
    // The rarest word's titles are the candidates; the phrase itself decides.
    let candidates: number[] | undefined;
    for (const word of words) {
      const positions = this.byWord.get(word) ?? [];
      if (!candidates || positions.length < candidates.length) candidates = positions;
    }
    const padded = ` ${phrase} `;
    return (candidates ?? []).map((position) => this.entries[position]!).filter((entry) => ` ${entry.title} `.includes(padded));
  }

  /** Titles of at least `minWords` words that `text` (normalised) writes out whole. */
  within(text: string, minWords: number): IndexedTitle[] {
    const words = text.split(' ');
    const positions: number[] = [];
    for (let start = 0; start < words.length; start += 1) {
      // Only spans starting with a word some title holds can be a title.
      if (!this.byWord.has(words[start]!)) continue;
      for (let end = start + minWords; end <= words.length; end += 1) {
        const found = this.byTitle.get(words.slice(start, end).join(' '));
        if (found) positions.push(...found);
      }
    }
    return [...new Set(positions)].sort((a, b) => a - b).map((position) => this.entries[position]!);
  }
}

/**
 * The title index of a knowledge base at its current version: built when the version changes,
 * shared by every question until then.
 */
export async function titleIndexOf(kb: { version(): Promise<number>; articleTitles(): Promise<TitledArticle[]> }): Promise<TitleIndex> {
  const version = await kb.version();
  const cached = builtIndexes.get(kb);
  if (cached && cached.version === version) return cached.index;
  const index = TitleIndex.of(await kb.articleTitles());
  builtIndexes.set(kb, { version, index });
  return index;
}

const builtIndexes = new WeakMap<object, { version: number; index: TitleIndex }>();

function pushTo(map: Map<string, number[]>, key: string, position: number): void {
  const list = map.get(key);
  if (list) list.push(position);
  else map.set(key, [position]);
}
