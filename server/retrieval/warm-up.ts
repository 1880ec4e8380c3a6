import type { Embedder } from '../../ingest/embed/embedder.ts';
import type { KnowledgeStore } from '../../kb/store.ts';
import { searchKnowledgeBase } from './hybrid-search.ts';
import { titleIndexOf } from './title-index.ts';

/**
 * How much searching a server does before it takes requests. In a fresh process the first ~50
 * hybrid searches ran 2-4× slower than later ones (200 generated questions over a kept store of
 * 100k passages: the first query 190 ms, 150 of them the date parser compiling its patterns, then
 * 10-20 ms queries while the JIT optimised retrieval's code, against 4-8 ms once warm). Search
 * engines warm a newly opened index the same way (Lucene's searcher warm-up, Elasticsearch's index
 * warmers). How many searches is measured (docs/performance-log.md, "5 December, morning (session 15)"): the JIT
 * optimises code after an amount of it has run, not after a number of calls, and a search of a
 * large store runs more of it, and leaves more garbage, than one of a small store. So the warm-up is counted in
 * time spent searching, with a floor and a ceiling in searches. Measured 5 December: at 100k
 * passages a fixed 60 searches left first-pass p99 at 7.4-12.2 ms (two of ten runs over 10), 120 at
 * 6.4-9.5, and 0.6 s of searching (87-106 searches there) at 6.3-9.9; at 1M passages 60 searches
 * already take more than 0.6 s, and 120 made the first pass slower (15.3-19.1 against 13.8-16.7
 * ms: the first full collection of the grown caches then fell among the questions, as it had at
 * 100k in November with 150).
 */
export const WARM_UP_DEFAULTS = {
  /** Searches run in any case (unless `budgetMs` runs out). */
  searches: 60,
  /** Past `searches`, more run until this much time has gone into searching… */
  searchingMs: 600,
  /** …but never more than this many. */
  maxSearches: 200,
  /**
   * Searching stops early past this (a slow disk or a remote database must not hold the start up
   * for long). Counted from the first search: reading ahead and the title index before it are
   * bounded by the file and the number of articles (at 1M passages, 100k articles, the two took
   * 2.9 s off a cold disk and left 6 searches of the budget).
   */
  budgetMs: 3_000,
  /** Words of a passage that make one warm-up question. */
  words: 10,
  /**
   * Warm-up questions answered by the chat engine after the searches (`answer`). In a process
   * whose searches were warm, the first offline chat still ran 123 ms with one 28 ms block of the
   * event loop (reading the question: its patterns compiled on first use), against 15-40 ms with
   * 8-12 ms blocks later; after three warm-up answers (about 0.2 s of start-up at 100k passages)
   * the first chat ran 64 ms with a 13 ms block (docs/performance-log.md, session 20).
   */
  answers: 3,
};

export interface WarmUpOptions {
  today: string;
  /**
   * The embedder queries use, when embedding costs nothing (the local one). Without it the
   * searches are lexical: a remote embedder would be paid for every warm-up question.
   */
  embedder?: Embedder;
  tuning?: Partial<typeof WARM_UP_DEFAULTS>;
  /**
   * A full garbage collection (lib/full-collection.ts), run once the title index is built and
   * before the searches. Opening a large store leaves its garbage in the old generation (at 1M
   * passages a 200 MB heap of which 73 MB dead), and V8's first full collection of it then fell
   * among the first users' questions: its incremental marking (31 ms in 130 steps on the event
   * loop, over 80 ms) slowed the two or three questions it overlapped to 20-38 ms. Collected here
   * (about 60 ms at 1M), the searches after it warm what it cleared, and the heap they grow stays
   * under the next limit. Measured on the kept 1M store (store-scale-bench.ts --open): first-pass
   * p99 13.3-15.9 ms in ten runs, 13.2-21.7 in four of the code before run between them
   * (docs/performance-log.md, session 18).
   */
  collectGarbage?: () => void;
  /**
   * A chat engine's answer to a warm-up question, discarded (the offline engine: server/main.ts).
   * Given only when answering costs nothing, as with `embedder`. The signal aborts when the time
   * budget runs out, which ends the answers quietly; any other failure stops them and is reported.
   * The server starts regardless.
   */
  answer?: (question: string, signal: AbortSignal) => Promise<unknown>;
  /**
   * Awaited before each step (the title index, the collection, each search and answer). The server
   * warms up while it already takes requests and passes a wait for no request in flight, so a
   * user's question is never queued behind the warm-up's work (server/middleware/request-activity.ts).
   */
  pause?: () => Promise<void>;
  /** Ends the warm-up at its next step (the server shutting down); what was done is reported. */
  signal?: AbortSignal;
  /** Milliseconds (injected by tests; `performance.now` by default). */
  clock?: () => number;
}

export interface WarmUpReport {
  /** Bytes of the store's files read into the page cache first (`KnowledgeStore.prewarm`). */
  prewarmedBytes: number;
  /** Milliseconds the full collection took (`collectGarbage`; 0 without one). */
  collectionMs: number;
  searches: number;
  /** Warm-up questions the chat engine answered (`answer`). */
  answers: number;
  /** Why the answers stopped early, when one failed. */
  answerFailure?: string;
  /** The signal ended it early. */
  aborted?: boolean;
  ms: number;
}

/**
 * Reads the store's files ahead (when the store can), builds the title index chats read, then runs
 * searches made of the knowledge base's own words (a few words from passages of the first listed articles), and has the chat
 * engine answer the first few of them (when given `answer`), so that the first users' questions
 * find the code compiled and the store's pages in memory. Reads only; an empty store is left at once.
 */
export async function warmUpSearch(store: KnowledgeStore, options: WarmUpOptions): Promise<WarmUpReport> {
  const tuning = { ...WARM_UP_DEFAULTS, ...options.tuning };
  const now = options.clock ?? (() => performance.now());
  const started = now();
  /** Waits for the caller's turn; false once the signal asks the warm-up to end. */
  const proceed = async () => {
    if (options.signal?.aborted) return false;
    await options.pause?.();
    return options.signal?.aborted !== true;
  };
  const prewarmedBytes = (await store.prewarm?.(options.signal)) ?? 0;
  let collectionMs = 0;
  let answers = 0;
  let answerFailure: string | undefined;
  const asked: string[] = [];
  const report = (): WarmUpReport => ({
    prewarmedBytes,
    collectionMs,
    searches: asked.length,
    answers,
    ...(answerFailure === undefined ? {} : { answerFailure }),
    ...(options.signal?.aborted ? { aborted: true } : {}),
    ms: Math.round(now() - started),
  });
  // The index of titles a chat looks named articles up in; otherwise the first chat builds it
  // (about 45 ms of a 145 ms first chat at 10,000 articles) and the next ones promote it.
  if (!(await proceed())) return report();
  await titleIndexOf(store);
  if (!(await proceed())) return report();
  const collectingFrom = now();
  options.collectGarbage?.();
  collectionMs = Math.round(now() - collectingFrom);
  const searchingFrom = now();
  const maxSearches = Math.max(tuning.searches, tuning.maxSearches);
  // As many articles as searches that run in any case: later searches take their later passages.
  const { articles } = await store.listArticles({ limit: tuning.searches });
  let searchingMs = 0;
  // Passage by passage across the articles (first passages first, then the second ones…), so a
  // small store still gives `searches` questions and a large one spreads them over articles.
  const passages = await Promise.all(articles.map((article) => store.passagesOf(article.id)));
  const longest = Math.max(0, ...passages.map((list) => list.length));
  searching: for (let ordinal = 0; ordinal < longest; ordinal += 1) {
    for (const list of passages) {
      const passage = list[ordinal];
      if (!passage) continue;
      const enough = asked.length >= maxSearches || (asked.length >= tuning.searches && searchingMs >= tuning.searchingMs);
      if (enough || now() - searchingFrom > tuning.budgetMs) break searching;
      const query = questionFrom(passage.text, tuning.words);
      if (!query) continue;
      if (!(await proceed())) return report();
      const searchStarted = now();
      await searchKnowledgeBase(store, options.embedder ?? NO_EMBEDDER, { query, today: options.today, mode: options.embedder ? 'hybrid' : 'lexical' });
      searchingMs += now() - searchStarted;
      asked.push(query);
    }
  }
  // Answers after the searches, so that they find retrieval compiled and compile what a chat adds.
  for (const question of options.answer ? asked.slice(0, tuning.answers) : []) {
    if (!(await proceed())) return report();
    const remainingMs = tuning.budgetMs - (now() - searchingFrom);
    if (remainingMs <= 0) break;
    // The budget bounds an answer too, not only whether one starts: a slow one is cut off.
    const signal = AbortSignal.timeout(Math.ceil(remainingMs));
    try {
      await options.answer!(question, signal);
      answers += 1;
    } catch (error) {
      if (!signal.aborted) answerFailure = error instanceof Error ? error.message : String(error);
      break;
    }
  }
  return report();
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
