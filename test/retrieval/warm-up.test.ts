import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
import type { KnowledgeStore, WeightedQueryTerm } from '../../kb/store.ts';
import type { ParsedArticle } from '../../kb/types.ts';
import { titleIndexOf } from '../../server/retrieval/title-index.ts';
import { questionFrom, warmUpSearch } from '../../server/retrieval/warm-up.ts';
import { createFakeEmbedder } from '../helpers/fake-embedder.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();
const embedder = createFakeEmbedder();
const opened: EmbeddedStore[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});
const today = '2026-11-21';

async function storeWith(articles: string[][]): Promise<EmbeddedStore> {
  const store = await EmbeddedStore.open({ indexDir: tempDir(), embedder: { id: embedder.id, dim: embedder.dim } });
  opened.push(store);
  for (const [index, paragraphs] of articles.entries()) {
    const article: ParsedArticle = { title: `Note ${index}`, text: paragraphs.join('\n\n'), sections: [{ paragraphs }], tags: [], tickers: [], references: [] };
    await store.upsert(
      await store.planUpsert(article, `file:${index}.md`),
      article,
      paragraphs.map((text) => ({ text })),
      await embedder.embedDocuments(paragraphs),
    );
  }
  return store;
}

/** The store, recording each lexical search's terms and counting vector searches. */
function watched(store: KnowledgeStore, delayMs = 0) {
  const lexical: string[][] = [];
  let vector = 0;
  const wrapped = Object.create(store) as KnowledgeStore;
  wrapped.lexicalSearch = async (terms: WeightedQueryTerm[], k, filter, report) => {
    if (k > 0) lexical.push(terms.map(({ term }) => term));
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    return store.lexicalSearch(terms, k, filter, report);
  };
  wrapped.vectorSearch = async (...args) => {
    vector += 1;
    return store.vectorSearch(...args);
  };
  return { store: wrapped, lexical, vectors: () => vector };
}

/** The watched store, with a clock that each search (not a report-only lexical call) moves on by `msPerSearch`. */
function ticking(store: KnowledgeStore, msPerSearch: number) {
  let clockMs = 0;
  const spy = watched(store);
  const lexicalSearch = spy.store.lexicalSearch;
  spy.store.lexicalSearch = async (terms, k, filter, report) => {
    if (k > 0) clockMs += msPerSearch;
    return lexicalSearch(terms, k, filter, report);
  };
  return { ...spy, clock: () => clockMs };
}

describe('questionFrom', () => {
  it('takes words from the middle of a passage, or all of a short one', () => {
    expect(questionFrom('Heading words then the middle words and the last ones', 4)).toBe('the middle words and');
    expect(questionFrom('  Copper   margins widened ', 10)).toBe('Copper margins widened');
    expect(questionFrom('', 10)).toBe('');
  });
});

describe('warmUpSearch', () => {
  it('builds the title index chats read, so the first chat does not', async () => {
    const store = await storeWith([['alpha copper smelter'], ['beta freight rates']]);
    let reads = 0;
    const wrapped = Object.create(store) as KnowledgeStore;
    wrapped.articleTitles = async () => {
      reads += 1;
      return store.articleTitles();
    };
    await warmUpSearch(wrapped, { today, embedder });
    expect(reads).toBe(1);
    const index = await titleIndexOf(wrapped);
    expect(reads).toBe(1);
    expect(index.holding('note 1').map((entry) => entry.raw)).toEqual(['Note 1']);
  });

  it('searches the first passage of each article before the second ones, up to the count', async () => {
    const store = await storeWith([
      ['alpha copper smelter', 'alpha freight rates'],
      ['bravo cobalt supply', 'bravo nickel prices'],
      ['charlie lithium demand'],
    ]);
    const spy = watched(store);
    const report = await warmUpSearch(spy.store, { today, embedder, tuning: { searches: 4, searchingMs: 0 } });
    expect(report.searches).toBe(4);
    const firstWords = spy.lexical.map((terms) => terms[0]);
    expect(new Set(firstWords.slice(0, 3))).toEqual(new Set(['alpha', 'bravo', 'charlie']));
    expect(spy.lexical[3]).toEqual(expect.arrayContaining(['freight', 'rates']));
    expect(spy.vectors()).toBe(4);
  });

  it('searches past its floor until enough time has gone into searching, up to its ceiling', async () => {
    const store = await storeWith([
      ['alpha copper smelter', 'alpha freight rates', 'alpha tin output'],
      ['bravo cobalt supply', 'bravo nickel prices', 'bravo zinc stocks'],
    ]);
    // A clock that each search moves on by 40 ms.
    const spy = ticking(store, 40);
    const run = (tuning: { searches: number; searchingMs: number; maxSearches: number }) =>
      warmUpSearch(spy.store, { today, embedder, tuning: { ...tuning, budgetMs: 60_000 }, clock: spy.clock });
    // Two searches are 80 ms of searching: a third makes it 120, past 100.
    expect((await run({ searches: 2, searchingMs: 100, maxSearches: 10 })).searches).toBe(3);
    // Searches cheaper than the target stop at the ceiling (six passages would allow six).
    expect((await run({ searches: 2, searchingMs: 10_000, maxSearches: 4 })).searches).toBe(4);
    // The floor runs whatever it costs.
    expect((await run({ searches: 5, searchingMs: 10, maxSearches: 10 })).searches).toBe(5);
  });

  it('runs lexical searches only when it is given no embedder (a remote one costs money)', async () => {
    const store = await storeWith([['copper smelter margins'], ['cobalt supply tightened']]);
    const spy = watched(store);
    const report = await warmUpSearch(spy.store, { today });
    expect(report.searches).toBe(2);
    expect(spy.lexical).toHaveLength(2);
    expect(spy.vectors()).toBe(0);
  });

  it('stops at its time budget, and changes nothing', async () => {
    const store = await storeWith([['copper smelter margins'], ['cobalt supply tightened'], ['nickel prices fell']]);
    const version = await store.version();
    const spy = watched(store, 40);
    const report = await warmUpSearch(spy.store, { today, embedder, tuning: { budgetMs: 20 } });
    // Each search takes 40 ms: past the first, the 20 ms budget is spent (on a loaded machine the
    // reads before the first search may spend it already). Without the budget all three run.
    expect(report.searches).toBeLessThanOrEqual(1);
    expect(spy.lexical).toHaveLength(report.searches);
    expect(await store.version()).toBe(version);
  });

  it('counts its budget from the first search, not from the reads ahead and the title index', async () => {
    const store = await storeWith([['copper smelter margins'], ['cobalt supply tightened'], ['nickel prices fell']]);
    let clockMs = 0;
    const spy = watched(store);
    // Reading ahead off a cold disk takes longer than the whole budget.
    spy.store.prewarm = async () => {
      clockMs += 5_000;
      return 1;
    };
    const report = await warmUpSearch(spy.store, { today, embedder, tuning: { budgetMs: 3_000 }, clock: () => clockMs });
    expect(report.searches).toBe(3);
    expect(report.ms).toBe(5_000);
  });

  it("reads the store's files ahead before its first search, when the store can", async () => {
    const store = await storeWith([['copper smelter margins']]);
    const spy = watched(store);
    const order: string[] = [];
    let given: AbortSignal | undefined;
    spy.store.prewarm = async (signal) => {
      order.push(`prewarm after ${spy.lexical.length} searches`);
      given = signal;
      return 123;
    };
    const stop = new AbortController();
    const report = await warmUpSearch(spy.store, { today, embedder, signal: stop.signal });
    expect(order).toEqual(['prewarm after 0 searches']);
    // Its signal goes with the read, which a shutdown cuts short.
    expect(given).toBe(stop.signal);
    expect(report.prewarmedBytes).toBe(123);
    expect(report.searches).toBe(1);
  });

  it('collects garbage once, after the title index is built and before the first search', async () => {
    const store = await storeWith([['copper smelter margins'], ['cobalt supply tightened']]);
    const spy = watched(store);
    const order: string[] = [];
    const articleTitles = spy.store.articleTitles.bind(spy.store);
    spy.store.articleTitles = async () => {
      order.push('title index');
      return articleTitles();
    };
    let clockMs = 0;
    const report = await warmUpSearch(spy.store, {
      today,
      embedder,
      clock: () => clockMs,
      collectGarbage: () => {
        order.push(`collection after ${spy.lexical.length} searches`);
        clockMs += 60;
      },
    });
    expect(order).toEqual(['title index', 'collection after 0 searches']);
    expect(report.collectionMs).toBe(60);
    expect(report.searches).toBe(2);
    // Without a collector (a process started without --expose-gc) nothing is collected.
    expect((await warmUpSearch(spy.store, { today, embedder })).collectionMs).toBe(0);
  });

  it('has the chat engine answer its first questions once the searches are done', async () => {
    const store = await storeWith([['copper smelter margins widened'], ['cobalt supply tightened again'], ['nickel prices fell sharply']]);
    const spy = watched(store);
    const answered: { question: string; afterSearches: number }[] = [];
    const answer = async (question: string) => {
      answered.push({ question, afterSearches: spy.lexical.length });
    };
    const report = await warmUpSearch(spy.store, { today, embedder, answer, tuning: { answers: 2 } });
    expect(report).toMatchObject({ searches: 3, answers: 2 });
    expect(report.answerFailure).toBeUndefined();
    expect(answered).toEqual([
      { question: 'copper smelter margins widened', afterSearches: 3 },
      { question: 'cobalt supply tightened again', afterSearches: 3 },
    ]);
    // Without an engine (a paid embedder: server/main.ts gives none) nothing is answered.
    expect((await warmUpSearch(spy.store, { today, embedder })).answers).toBe(0);
  });

  it('stops answering at the first failure, reports why, and keeps its searches', async () => {
    const store = await storeWith([['copper smelter margins'], ['cobalt supply tightened']]);
    let calls = 0;
    const answer = async () => {
      calls += 1;
      throw new Error('prompt file missing');
    };
    const report = await warmUpSearch(store, { today, embedder, answer });
    expect(report).toMatchObject({ searches: 2, answers: 0, answerFailure: 'prompt file missing' });
    expect(calls).toBe(1);
  });

  it('answers nothing once its time budget is spent', async () => {
    const store = await storeWith([['copper smelter margins'], ['cobalt supply tightened']]);
    // Each search moves the clock on by 40 ms: two spend the 60 ms budget.
    const spy = ticking(store, 40);
    let calls = 0;
    const answer = async () => {
      calls += 1;
    };
    const report = await warmUpSearch(spy.store, { today, embedder, answer, tuning: { budgetMs: 60, searches: 2 }, clock: spy.clock });
    expect(report).toMatchObject({ searches: 2, answers: 0 });
    expect(calls).toBe(0);
  });

  it('cuts off an answer that outlasts the time budget, quietly', async () => {
    const store = await storeWith([['copper smelter margins'], ['cobalt supply tightened']]);
    // An answer that would never end but for its signal (without the cut-off the test times out).
    const answer = (_question: string, signal: AbortSignal) =>
      new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
    const report = await warmUpSearch(store, { today, embedder, answer, tuning: { budgetMs: 300 } });
    expect(report).toMatchObject({ searches: 2, answers: 0 });
    expect(report.answerFailure).toBeUndefined();
  });

  it('waits for its turn before each step, so requests to a listening server go first', async () => {
    const store = await storeWith([['copper smelter margins'], ['cobalt supply tightened']]);
    const spy = watched(store);
    const turns: string[] = [];
    const answer = async () => {
      turns.push('answer');
    };
    const report = await warmUpSearch(spy.store, {
      today,
      embedder,
      answer,
      tuning: { answers: 1 },
      pause: async () => {
        turns.push(`turn after ${spy.lexical.length} searches`);
      },
    });
    expect(report).toMatchObject({ searches: 2, answers: 1 });
    // The title index, the collection, each search and each answer.
    expect(turns).toEqual([
      'turn after 0 searches',
      'turn after 0 searches',
      'turn after 0 searches',
      'turn after 1 searches',
      'turn after 2 searches',
      'answer',
    ]);
  });

  it('ends at its next step once its signal aborts, and reports what it did', async () => {
    const store = await storeWith([['copper smelter margins'], ['cobalt supply tightened'], ['nickel prices fell']]);
    const spy = watched(store);
    const stop = new AbortController();
    const report = await warmUpSearch(spy.store, {
      today,
      embedder,
      signal: stop.signal,
      pause: async () => {
        if (spy.lexical.length === 1) stop.abort();
      },
    });
    expect(report).toMatchObject({ searches: 1, answers: 0, aborted: true });
    expect(spy.lexical).toHaveLength(1);
    const before = new AbortController();
    before.abort();
    expect(await warmUpSearch(spy.store, { today, embedder, signal: before.signal })).toMatchObject({ searches: 0, aborted: true });
  });

  it('leaves an empty store at once', async () => {
    const store = await storeWith([]);
    expect((await warmUpSearch(store, { today, embedder })).searches).toBe(0);
  });
});
