import type { Embedder } from '../../ingest/embed/embedder.ts';
import type { KnowledgeStore } from '../../kb/store.ts';
import { searchKnowledgeBase } from './hybrid-search.ts';

/**
 * How much searching a server does before it takes requests. In a fresh process the first ~50
 * hybrid searches ran 2-4× slower than later ones (200 generated questions over a kept store of
 * 100k passages: the first query 190 ms, 150 of them the date parser compiling its patterns, then
 * 10-20 ms queries while the JIT optimised retrieval's code, against 4-8 ms once warm): p99
 * 15.8-22.8 ms cold, 8.0-11.6 ms after 60 warm-up searches, and worse again after 150 (14.4-18.5:
 * the first full collection of the growing caches then falls among the questions). README "The
 * embedded store" and "Quiet machine, 4 December (session 11)". Search engines warm a newly
 * opened index the same way (Lucene's searcher warm-up, Elasticsearch's index warmers).
 */
export const WARM_UP_DEFAULTS = {
  searches: 60,
  /** Stops early past this (a slow disk or a remote database must not hold the start up for long). */
  budgetMs: 3_000,
  /** Words of a passage that make one warm-up question. */
  words: 10,
};

export interface WarmUpOptions {
  today: string;
  /**
   * The embedder queries use, when embedding costs nothing (the local one). Without it the
   * searches are lexical: a remote embedder would be paid for every warm-up question.
   */
  embedder?: Embedder;
  tuning?: Partial<typeof WARM_UP_DEFAULTS>;
}

export interface WarmUpReport {
  /** Bytes of the store's files read into the page cache first (`KnowledgeStore.prewarm`). */
  prewarmedBytes: number;
  searches: number;
  ms: number;
}

/**
 * Reads the store's files ahead (when the store can), then runs searches made of the knowledge
 * base's own words (a few words from passages of the first listed articles) so that the first
 * users' questions find the code compiled and the store's pages in memory. Reads only; an empty
 * store is left at once.
 */
export async function warmUpSearch(store: KnowledgeStore, options: WarmUpOptions): Promise<WarmUpReport> {
  const tuning = { ...WARM_UP_DEFAULTS, ...options.tuning };
  const started = performance.now();
  const prewarmedBytes = (await store.prewarm?.()) ?? 0;
  const report = (searches: number): WarmUpReport => ({ prewarmedBytes, searches, ms: Math.round(performance.now() - started) });
  const { articles } = await store.listArticles({ limit: tuning.searches });
  let searches = 0;
  // Passage by passage across the articles (first passages first, then the second ones…), so a
  // small store still gives `searches` questions and a large one spreads them over articles.
  const passages = await Promise.all(articles.map((article) => store.passagesOf(article.id)));
  const longest = Math.max(0, ...passages.map((list) => list.length));
  for (let ordinal = 0; ordinal < longest && searches < tuning.searches; ordinal += 1) {
    for (const list of passages) {
      const passage = list[ordinal];
      if (!passage) continue;
      if (searches >= tuning.searches || performance.now() - started > tuning.budgetMs) return report(searches);
      const query = questionFrom(passage.text, tuning.words);
      if (!query) continue;
      await searchKnowledgeBase(store, options.embedder ?? NO_EMBEDDER, { query, today: options.today, mode: options.embedder ? 'hybrid' : 'lexical' });
      searches += 1;
    }
  }
  return report(searches);
}

/** `words` words from the middle of a passage (its opening is often a heading). Pure. */
export function questionFrom(text: string, words: number): string {
  const all = text.split(/\s+/).filter((word) => word.length > 0);
  const start = Math.max(0, Math.floor((all.length - words) / 2));
  return all.slice(start, start + words).join(' ');
}

/** Lexical searches never embed. */
const NO_EMBEDDER: Embedder = {
  id: 'none',
  dim: 0,
  embedDocuments: () => Promise.reject(new Error('warm-up searches are lexical')),
  embedQuery: () => Promise.reject(new Error('warm-up searches are lexical')),
};
