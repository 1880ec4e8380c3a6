import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { computeContentHash } from '../../kb/content-hash.ts';
import { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
import { LEXICAL_HELPER_DEFAULTS, type LexicalHelperFactory } from '../../kb/lexical-helper.ts';
import { LEXICAL_HELPER_SHARE, type SharedLexicalMemory } from '../../kb/lexical-shared.ts';
import type { KnowledgeStore } from '../../kb/store.ts';
import { tokenize } from '../../kb/tokenize.ts';
import { threadVectorGraphs } from '../../kb/vector-thread.ts';
import type { ParsedArticle } from '../../kb/types.ts';
import { AppError } from '../../lib/errors.ts';
import { createFakeEmbedder } from '../helpers/fake-embedder.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();
const terms = (text: string) => tokenize(text).map((term) => ({ term, weight: 1 }));
const embedder = createFakeEmbedder();
const info = { id: embedder.id, dim: embedder.dim };
const opened: EmbeddedStore[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});

async function open(indexDir: string, tuning: Parameters<typeof EmbeddedStore.open>[0]['tuning'] = {}): Promise<EmbeddedStore> {
  const store = await EmbeddedStore.open({ indexDir, embedder: info, tuning });
  opened.push(store);
  return store;
}

function article(title: string, paragraphs: string[], extra: Partial<ParsedArticle> = {}): ParsedArticle {
  return { title, text: paragraphs.join('\n\n'), sections: [{ paragraphs }], tags: [], tickers: [], references: [], ...extra };
}

async function upsert(kb: KnowledgeStore, parsed: ParsedArticle, origin?: string) {
  const plan = await kb.planUpsert(parsed, origin);
  const stores = plan.action === 'add' || plan.action === 'update';
  const passages = stores ? parsed.sections.flatMap((section) => section.paragraphs.map((text) => ({ text }))) : [];
  const vectors = stores ? await embedder.embedDocuments(passages.map((passage) => passage.text)) : [];
  return kb.upsert(plan, parsed, passages, vectors);
}

async function textsOf(kb: KnowledgeStore, ids: string[]): Promise<string[]> {
  return (await kb.getPassages(ids)).map((passage) => passage.text);
}

const rally = article(
  'Small caps rally',
  ['The Russell 2000 closed at a record 2,698.17 on January 21.', 'Rate cuts help small companies with floating-rate debt.'],
  {
    published: '2026-01-21',
    tickers: ['IWM'],
    tags: ['small caps'],
  },
);
const fed = article('Fed outlook', ['The Federal Reserve may hold rates at 3.5 to 3.75 percent through 2026.'], {
  published: '2026-01-10',
  financial: { company: 'Federal Reserve Board', documentType: 'news' },
});

describe('EmbeddedStore', () => {
  it('keeps articles, passages, vectors and the lexical index across a reopen', async () => {
    const dir = tempDir();
    const kb = await open(dir);
    const added = await upsert(kb, rally, '/articles/rally.md');
    await upsert(kb, fed, '/articles/fed.md');
    await kb.close();

    const reopened = await open(dir);
    expect(await reopened.stats()).toEqual({ articles: 2, chunks: 3 });
    expect((await reopened.getArticle(added.articleId))?.title).toBe('Small caps rally');
    expect((await reopened.getArticle(added.articleId))?.chunkIds).toEqual([`${added.articleId}-0`, `${added.articleId}-1`]);
    expect((await reopened.passagesOf(added.articleId)).map((passage) => passage.text)).toEqual(rally.sections[0]!.paragraphs);

    const query = await embedder.embedQuery(fed.sections[0]!.paragraphs[0]!);
    const [best] = await reopened.vectorSearch(query, 1);
    expect(await textsOf(reopened, [best!.passageId])).toEqual(fed.sections[0]!.paragraphs);
    expect(best!.similarity).toBeCloseTo(1, 5);
    const lexical = await reopened.lexicalSearch(terms('record 2698.17'), 3);
    expect(await textsOf(reopened, [lexical.hits[0]!.passageId])).toEqual([rally.sections[0]!.paragraphs[0]]);
    expect(lexical.hits[0]!.matchedTerms.sort()).toEqual(['2698.17', 'record']);
  });

  it("writes an upsert on an event-loop turn of its own, so that what waits on the loop (a worker thread's answer) runs between two writes", async () => {
    const kb = await open(tempDir());
    const plan = await kb.planUpsert(rally);
    const passages = rally.sections[0]!.paragraphs.map((text) => ({ text }));
    const vectors = await embedder.embedDocuments(passages.map((passage) => passage.text));
    let turned = false;
    setImmediate(() => {
      turned = true;
    });
    const writing = kb.upsert(plan, rally, passages, vectors);
    expect(await kb.getArticle(plan.articleId)).toBeUndefined();
    await writing;
    expect(turned).toBe(true);
    expect((await kb.getArticle(plan.articleId))?.title).toBe(rally.title);
  });

  it('loads a snapshot and replays only the changes after it', async () => {
    const dir = tempDir();
    const kb = await open(dir, { snapshotOnCloseMinPassages: 1 });
    await upsert(kb, rally, '/a/rally.md');
    await kb.close();
    expect(readdirSync(join(dir, 'snapshots')).filter((entry) => !entry.endsWith('.tmp'))).toHaveLength(1);
    const second = await open(dir, { snapshotOnCloseMinPassages: 1_000 });
    const { articleId } = await upsert(second, fed, '/a/fed.md');
    await second.close();

    const third = await open(dir);
    expect(await third.stats()).toEqual({ articles: 2, chunks: 3 });
    const hits = await third.lexicalSearch(terms('federal reserve'), 5);
    expect(hits.hits.map((hit) => hit.passageId)).toEqual([`${articleId}-0`]);
    expect((await third.termStatistics(['russell', 'federal', 'absent'])).documentFrequency).toEqual(
      new Map([
        ['russell', 1],
        ['federal', 1],
        ['absent', 0],
      ]),
    );
  });

  it('writes a snapshot of indexes read from one (the lexical lists in shared memory), as it wrote the first', async () => {
    const dir = tempDir();
    const first = await open(dir, { snapshotOnCloseMinPassages: 1 });
    await upsert(first, rally, '/a/rally.md');
    await first.close();
    const second = await open(dir, { snapshotOnCloseMinPassages: 1 });
    const { articleId } = await upsert(second, fed, '/a/fed.md');
    await second.close();
    expect(readdirSync(join(dir, 'snapshots')).filter((entry) => !entry.endsWith('.tmp')).length).toBeGreaterThanOrEqual(1);
    const third = await open(dir);
    expect(await third.stats()).toEqual({ articles: 2, chunks: 3 });
    expect((await third.lexicalSearch(terms('federal reserve'), 5)).hits.map((hit) => hit.passageId)).toEqual([`${articleId}-0`]);
    expect((await third.lexicalSearch(terms('russell small caps'), 5)).hits).toHaveLength(2);
  });

  it('gives a large knowledge base read from a snapshot a lexical helper, hands it large queries and closes it with the store', async () => {
    const dir = tempDir();
    const kb = await open(dir, { snapshotOnCloseMinPassages: 1 });
    await upsert(kb, rally, '/a/rally.md');
    await upsert(kb, fed, '/a/fed.md');
    const alone = await kb.lexicalSearch(terms('rate cuts federal reserve small caps'), 5);
    await kb.close();
    const started: SharedLexicalMemory[] = [];
    const begun: number[] = [];
    let closed = 0;
    const lexicalHelpers: LexicalHelperFactory = {
      start: async (memory) => {
        started.push(memory);
        return { usable: true, begin: (request) => begun.push(request.split), end: () => undefined, close: async () => void (closed += 1) };
      },
    };
    const { minPassages } = LEXICAL_HELPER_DEFAULTS;
    const { minPostings } = LEXICAL_HELPER_SHARE;
    try {
      // A small one gets none.
      await (await EmbeddedStore.open({ indexDir: dir, embedder: info, lexicalHelpers })).close();
      expect(started).toHaveLength(0);
      LEXICAL_HELPER_DEFAULTS.minPassages = 1;
      LEXICAL_HELPER_SHARE.minPostings = 0;
      const helped = await EmbeddedStore.open({ indexDir: dir, embedder: info, lexicalHelpers });
      expect(started).toHaveLength(1);
      // Started in the background: attached once it is ready.
      await new Promise((resolve) => setImmediate(resolve));
      expect(started[0]!.file.buffer).toBeInstanceOf(SharedArrayBuffer);
      // The helper takes nothing up here: this thread scores its part, and the answer is the same.
      expect(await helped.lexicalSearch(terms('rate cuts federal reserve small caps'), 5)).toEqual(alone);
      expect(begun.length).toBeGreaterThan(0);
      await helped.close();
      expect(closed).toBe(1);
    } finally {
      LEXICAL_HELPER_DEFAULTS.minPassages = minPassages;
      LEXICAL_HELPER_SHARE.minPostings = minPostings;
    }
  });

  it('skips unchanged content, stores the same content from a second origin once, and updates a changed article in place', async () => {
    const kb = await open(tempDir());
    const first = await upsert(kb, rally, '/a/rally.md');
    expect(first.action).toBe('add');
    expect((await upsert(kb, rally, '/a/rally.md')).action).toBe('skip');
    const copy = await upsert(kb, rally, '/b/copy-of-rally.md');
    expect(copy).toMatchObject({ action: 'duplicate', articleId: first.articleId });
    expect((await kb.getArticle(first.articleId))?.origins).toEqual(['/a/rally.md', '/b/copy-of-rally.md']);
    expect((await kb.stats()).articles).toBe(1);

    const changed = article('Small caps rally', ['The Russell 2000 slipped to 2,669.16 on January 23.']);
    const update = await upsert(kb, changed, '/a/rally.md');
    expect(update).toMatchObject({ action: 'update', articleId: first.articleId, chunks: 1 });
    expect(await kb.stats()).toEqual({ articles: 1, chunks: 1 });
    expect((await kb.lexicalSearch(terms('floating-rate debt'), 5)).hits).toEqual([]);
    const oldVector = await embedder.embedQuery(rally.sections[0]!.paragraphs[1]!);
    const hits = await kb.vectorSearch(oldVector, 5);
    expect(
      await textsOf(
        kb,
        hits.map((hit) => hit.passageId),
      ),
    ).toEqual(['The Russell 2000 slipped to 2,669.16 on January 23.']);
    expect((await kb.termStatistics(['floating'])).documentFrequency.get('floating')).toBe(0);
  });

  it("gives an unchanged article's title as the same object every time, new articles after the others", async () => {
    const kb = await open(tempDir());
    const first = await upsert(kb, rally, '/a/rally.md');
    const before = await kb.articleTitles();
    const added = await upsert(kb, fed, '/a/fed.md');
    const after = await kb.articleTitles();
    expect(after.map((entry) => entry.id)).toEqual([first.articleId, added.articleId]);
    expect(after[0]).toBe(before[0]);
    expect(after[1]).toMatchObject({ id: added.articleId, title: 'Fed outlook' });
    // A changed article is a new object (the title index then walks the list by id).
    await upsert(kb, article('Small caps slip', ['The Russell 2000 slipped to 2,669.16 on January 23.']), '/a/rally.md');
    const renamed = (await kb.articleTitles()).find((entry) => entry.id === first.articleId);
    expect(renamed).not.toBe(before[0]);
    expect(renamed?.title).toBe('Small caps slip');
  });

  it('treats the same URL with new content as an update of the same article', async () => {
    const kb = await open(tempDir());
    const url = 'https://example.test/fed';
    const first = await upsert(kb, { ...fed, url });
    const second = await upsert(kb, { ...article('Fed outlook (revised)', ['The Fed cut by a quarter point.']), url });
    expect(second).toMatchObject({ action: 'update', articleId: first.articleId });
    expect((await kb.stats()).articles).toBe(1);
  });

  it('deletes an article so that no search returns its passages, before and after a reopen', async () => {
    const dir = tempDir();
    const kb = await open(dir);
    const { articleId } = await upsert(kb, rally, '/a/rally.md');
    await upsert(kb, fed, '/a/fed.md');
    expect(await kb.deleteArticle(articleId)).toBe(true);
    expect(await kb.deleteArticle(articleId)).toBe(false);
    const vector = await embedder.embedQuery(rally.sections[0]!.paragraphs[0]!);
    for (const store of [kb, await open(dir)]) {
      expect((await store.vectorSearch(vector, 10)).every((hit) => !hit.passageId.startsWith(articleId))).toBe(true);
      expect((await store.lexicalSearch(terms('Russell record'), 10)).hits).toEqual([]);
      expect(await store.stats()).toEqual({ articles: 1, chunks: 1 });
      expect(await store.getArticle(articleId)).toBeUndefined();
      expect(await store.getPassages([`${articleId}-0`])).toEqual([]);
    }
  });

  it('pushes declarative filters down to vector search, lexical search and listings', async () => {
    const kb = await open(tempDir());
    const rallyId = (await upsert(kb, rally, '/a/rally.md')).articleId;
    const fedId = (await upsert(kb, fed, '/a/fed.md')).articleId;
    const vector = await embedder.embedQuery('rates');
    const articlesOf = (hits: { passageId: string }[]) => [...new Set(hits.map((hit) => hit.passageId.split('-')[0]))];
    expect(articlesOf(await kb.vectorSearch(vector, 10, { tickers: ['$iwm'] }))).toEqual([rallyId]);
    expect(articlesOf(await kb.vectorSearch(vector, 10, { from: '2026-01-15' }))).toEqual([rallyId]);
    expect(articlesOf(await kb.vectorSearch(vector, 10, { company: 'federal reserve board' }))).toEqual([fedId]);
    expect(articlesOf(await kb.vectorSearch(vector, 10, { documentType: ['10-K'] }))).toEqual([]);
    expect(articlesOf((await kb.lexicalSearch(terms('rates rate'), 10, { tags: ['Small-Caps'] })).hits)).toEqual([rallyId]);
    expect((await kb.listArticles({ filter: { to: '2026-01-15' } })).articles.map((a) => a.id)).toEqual([fedId]);
    expect((await kb.listArticles({ q: 'iwm' })).total).toBe(1);
    expect((await kb.listArticles()).articles.map((a) => a.id)).toEqual([rallyId, fedId]);
  });

  it('sees writes another process committed when it refreshes, change by change', async () => {
    const dir = tempDir();
    const server = await open(dir);
    const cli = await open(dir);
    await upsert(server, rally, '/a/rally.md');
    const { articleId } = await upsert(cli, fed, '/a/fed.md');
    expect((await server.stats()).articles).toBe(1);
    expect(await server.refresh()).toBe(1);
    expect((await server.stats()).articles).toBe(2);
    expect((await server.lexicalSearch(terms('federal'), 5)).hits.map((hit) => hit.passageId)).toEqual([`${articleId}-0`]);
    // A write planned by one process against content the other one changed meanwhile is re-planned.
    expect((await upsert(server, fed, '/b/fed-copy.md')).action).toBe('duplicate');
    expect(await server.refresh()).toBe(0);
  });

  it('serves a cached article without reading the database, as the version its indexes publish until they apply a newer one', async () => {
    const dir = tempDir();
    const server = await open(dir);
    const cli = await open(dir);
    const { articleId } = await upsert(server, rally, '/a/rally.md');
    expect((await server.getArticle(articleId))?.title).toBe('Small caps rally');
    const Database = (await import('better-sqlite3')).default;
    const probe = new Database(':memory:');
    const statement = Object.getPrototypeOf(probe.prepare('SELECT 1')) as { get: (...values: unknown[]) => unknown };
    const reads = vi.spyOn(statement, 'get');
    try {
      expect((await server.getArticle(articleId))?.title).toBe('Small caps rally');
      expect(reads).not.toHaveBeenCalled();
    } finally {
      reads.mockRestore();
      probe.close();
    }
    // Another process publishes a new version: searches here still find the old one until it is
    // applied, and so does reading the article; then both move on together.
    await upsert(cli, article('Small caps slip', ['The Russell 2000 slipped to 2,669.16 on January 23.']), '/a/rally.md');
    expect((await server.getArticle(articleId))?.title).toBe('Small caps rally');
    expect(await server.refresh()).toBe(1);
    expect((await server.getArticle(articleId))?.title).toBe('Small caps slip');
    expect((await server.lexicalSearch(terms('slipped'), 5)).hits.map((hit) => hit.passageId)).toEqual([`${articleId}-0`]);
    // A deletion there reads as gone here once applied.
    await cli.deleteArticle(articleId);
    await server.refresh();
    expect(await server.getArticle(articleId)).toBeUndefined();
  });

  it('serves a passage read before, whole and frozen, without reading the database, as its indexes publish it', async () => {
    const dir = tempDir();
    const server = await open(dir);
    const cli = await open(dir);
    const { articleId } = await upsert(server, rally, '/a/rally.md');
    const ids = [`${articleId}-1`, `${articleId}-0`];
    const [first] = await server.getPassages(ids);
    expect(first?.text).toBe('Rate cuts help small companies with floating-rate debt.');
    expect(Object.isFrozen(first)).toBe(true);
    const Database = (await import('better-sqlite3')).default;
    const probe = new Database(':memory:');
    const statement = Object.getPrototypeOf(probe.prepare('SELECT 1')) as { get: (...values: unknown[]) => unknown };
    const reads = vi.spyOn(statement, 'get');
    try {
      const again = await server.getPassages(ids);
      expect(reads).not.toHaveBeenCalled();
      // A new object each read (the cache keeps its text outside the heap: see PassageCache), equal.
      expect(again[0]).toEqual(first);
      expect(Object.isFrozen(again[0])).toBe(true);
      expect(again.map((passage) => passage.id)).toEqual(ids);
    } finally {
      reads.mockRestore();
      probe.close();
    }
    // Another process's new version of the article: its passages are read once it is applied.
    await upsert(cli, article('Small caps rally', ['The Russell 2000 slipped to 2,669.16 on January 23.', 'Breadth narrowed.']), '/a/rally.md');
    expect((await server.getPassages([ids[0]!]))[0]?.text).toBe('Rate cuts help small companies with floating-rate debt.');
    await server.refresh();
    expect((await server.getPassages(ids)).map((passage) => passage.text)).toEqual([
      'Breadth narrowed.',
      'The Russell 2000 slipped to 2,669.16 on January 23.',
    ]);
  });

  it('applies another process bulk writes in slices, letting the event loop run between them', async () => {
    const dir = tempDir();
    // Another process's changes are applied in background slices: 0 ends one after every passage,
    // so the count of turns is deterministic (the slice of this process's own writes plays no part).
    const server = await open(dir, { sliceMs: 60_000, backgroundSliceMs: 0 });
    const cli = await open(dir);
    const paragraphs = (index: number) => [`Harbor ${index} cleared record cargo volumes this week.`, `Crane ${index} was repaired ahead of the season.`];
    for (let index = 0; index < 40; index += 1) await upsert(cli, article(`Port note ${index}`, paragraphs(index)), `/bulk/${index}.md`);
    let turns = 0;
    let ticking = true;
    const tick = () => {
      turns += 1;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    expect(await server.refresh()).toBe(40);
    ticking = false;
    // 80 passages over 40 articles, each ending a slice: the loop turned between them (it never
    // did while a refresh applied a whole read of changes at once).
    expect(turns).toBeGreaterThanOrEqual(80);
    expect((await server.stats()).chunks).toBe(80);
  });

  it('publishes another process writes only once the graph thread holds them, several at a time, each article whole', async () => {
    const dir = tempDir();
    const server = await EmbeddedStore.open({
      indexDir: dir,
      embedder: info,
      vectorGraphs: threadVectorGraphs,
      tuning: { backgroundPublishPassages: 6, backgroundSliceMs: 0 },
    });
    opened.push(server);
    const cli = await open(dir);
    const paragraphs = (index: number) => [`Terminal ${index} handled record tonnage.`, `Berth ${index} reopened after dredging.`];
    for (let index = 0; index < 12; index += 1) await upsert(cli, article(`Terminal note ${index}`, paragraphs(index)), `/bulk/${index}.md`);
    // Every version the refresh makes visible, as a search running meanwhile sees it.
    const seen: number[] = [];
    const probe = async () => {
      while (seen.at(-1) !== 12) {
        const found = await server.vectorSearch(await embedder.embedQuery(paragraphs(0)[0]!), 40);
        // Every visible passage is found (k exceeds them all), each article whole: never a passage
        // of an article not yet visible, nor half of one.
        const perArticle = new Map<string, number>();
        for (const hit of found) perArticle.set(hit.passageId.replace(/-\d+$/, ''), (perArticle.get(hit.passageId.replace(/-\d+$/, '')) ?? 0) + 1);
        expect([...perArticle.values()].every((count) => count === 2)).toBe(true);
        seen.push(perArticle.size);
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    const [applied] = await Promise.all([server.refresh(), probe()]);
    expect(applied).toBe(12);
    // Published three articles (six passages) at a time: the probe saw some of these steps, and
    // never a version between them.
    expect(seen.some((articles) => articles > 0 && articles < 12)).toBe(true);
    expect([...new Set(seen)].every((articles) => articles % 3 === 0)).toBe(true);
    expect((await server.vectorSearch(await embedder.embedQuery(paragraphs(11)[1]!), 1))[0]!.passageId).toMatch(/-1$/);
  });

  it('refuses to open an index built by another embedder, says how to rebuild, and never prints the absolute path', async () => {
    const dir = tempDir();
    const kb = await open(dir);
    await upsert(kb, fed);
    await kb.close();
    const caught = await EmbeddedStore.open({ indexDir: dir, embedder: { id: 'openai:text-embedding-3-small', dim: 1536 } }).catch((error: unknown) => error);
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe('embedder_mismatch');
    expect((caught as AppError).message).toMatch(/fake:bow-v1.*openai:text-embedding-3-small.*npm run ingest/s);
    expect((caught as AppError).message).not.toContain(dir);
  });

  it('ignores a snapshot left half-written by a crash and rebuilds from the database', async () => {
    const dir = tempDir();
    const kb = await open(dir, { snapshotOnCloseMinPassages: 1 });
    await upsert(kb, rally, '/a/rally.md');
    await upsert(kb, fed, '/a/fed.md');
    await kb.close();
    const [snapshot] = readdirSync(join(dir, 'snapshots'));
    writeFileSync(join(dir, 'snapshots', snapshot!, 'lexical.bin'), 'truncated');
    mkdirSync(join(dir, 'snapshots', '0000000099-deadbeef.tmp'));
    const reopened = await open(dir);
    expect(await reopened.stats()).toEqual({ articles: 2, chunks: 3 });
    expect((await reopened.lexicalSearch(terms('federal'), 5)).hits).toHaveLength(1);
    expect(existsSync(join(dir, 'write.lock'))).toBe(false);
  });

  it('reads a long list of passages over several event-loop turns, in the order asked, leaving unknown ids out', async () => {
    // sliceMs 0: every passage is a slice of its own, the most interleaved a read can get.
    const kb = await open(tempDir(), { sliceMs: 0 });
    const first = await upsert(kb, rally, '/articles/rally.md');
    const second = await upsert(kb, fed, '/articles/fed.md');
    const ids = [`${second.articleId}-0`, `${first.articleId}-1`, 'nope-3', `${first.articleId}-0`];
    const texts = await textsOf(kb, ids);
    expect(texts).toEqual([fed.sections[0]!.paragraphs[0], rally.sections[0]!.paragraphs[1], rally.sections[0]!.paragraphs[0]]);
    expect(await textsOf(kb, [])).toEqual([]);
  });

  it('hashes content independently of whitespace', () => {
    expect(computeContentHash(article('T', ['a  b\n c']))).toBe(computeContentHash(article('T', ['a b c'])));
    expect(computeContentHash(article('T', ['a b c']))).not.toBe(computeContentHash(article('T', ['a b d'])));
  });
});
