import { afterEach, describe, expect, it } from 'vitest';
import { cosine } from '../../lib/similarity.ts';
import type { KnowledgeStore, PassageInput, StoreFilter } from '../../kb/store.ts';
import { tokenize } from '../../kb/tokenize.ts';
import type { EmbedderInfo, ParsedArticle } from '../../kb/types.ts';
import { createFakeEmbedder } from '../helpers/fake-embedder.ts';

/**
 * The contract every `KnowledgeStore` backend keeps, as one suite each backend's test file calls:
 *
 *   describeStoreContract('postgres', async (embedder) => ({ store, reopen }));
 *
 * `createStore` gives a new, empty store for each test; `reopen` closes that store and opens the
 * same data again, as a restarted server would (optionally with another embedder). The fixtures are
 * three invented companies' articles, written for this suite.
 */
interface ContractStore {
  store: KnowledgeStore;
  reopen(embedder?: EmbedderInfo): Promise<KnowledgeStore>;
}

type CreateContractStore = (embedder: EmbedderInfo) => Promise<ContractStore>;

const embedder = createFakeEmbedder();
const info: EmbedderInfo = { id: embedder.id, dim: embedder.dim };

interface Fixture {
  article: ParsedArticle;
  passages: PassageInput[];
  origin: string;
}

function fixture(origin: string, article: Omit<ParsedArticle, 'text' | 'references'>, extraPassages: PassageInput[] = []): Fixture {
  const text = article.sections.map((section) => [section.heading, ...section.paragraphs].filter(Boolean).join('\n\n')).join('\n\n');
  const passages = article.sections.flatMap((section) =>
    section.paragraphs.map((paragraph) => ({
      text: paragraph,
      ...(section.heading ? { section: section.heading } : {}),
      ...(section.page ? { page: section.page } : {}),
    })),
  );
  return { origin, article: { ...article, text, references: [] }, passages: [...passages, ...extraPassages] };
}

const revenueTable = {
  caption: 'Quarterly revenue (in millions)',
  headerRows: 1,
  rows: [
    ['', 'Q4 2025', 'Q4 2024'],
    ['Revenue', '4,210', '3,215'],
  ],
};

const arbor = fixture(
  'file:arbor.md',
  {
    title: 'Arbor Microsystems raises its outlook',
    published: '2026-01-15',
    source: 'Contract Wire',
    tags: ['semiconductors'],
    tickers: ['ARBR'],
    financial: { company: 'Arbor Microsystems', ticker: 'ARBR', documentType: 'earnings-release', fiscalYear: 2025 },
    sections: [
      {
        heading: 'Results',
        page: 1,
        paragraphs: [
          'Arbor Microsystems reported quarterly revenue of 4,210 million dollars, up 31 percent, as orders for accelerator boards doubled.',
          'Gross margin widened to 71.5 percent while inventory fell; accelerator boards now make up most of the mix.',
        ],
      },
      {
        heading: 'Outlook',
        page: 2,
        paragraphs: ['Management expects next quarter sales near 4,600 million dollars and plans a new fabrication partnership.'],
        tables: [revenueTable],
      },
    ],
  },
  [{ section: 'Outlook', page: 2, text: 'Quarterly revenue (in millions): Revenue 4,210 in Q4 2025 and 3,215 in Q4 2024.', table: revenueTable }],
);

const keel = fixture('file:keel.md', {
  title: 'Keel Shipping sees firm freight',
  published: '2025-06-30',
  url: 'https://news.example.test/keel-freight',
  tags: ['shipping'],
  tickers: ['KEEL'],
  financial: { company: 'Keel Shipping', documentType: '10-Q' },
  sections: [
    {
      paragraphs: [
        'Container freight rates on the Pacific lane climbed for a third week as port congestion lingered near the harbour.',
        'Management said freight demand and freight pricing should stay firm through the second half.',
      ],
    },
  ],
});

// Undated, and an emoji before its second passage: offsets into the text differ between UTF-16
// and characters, so a backend that stores spans of the text must count them right.
const larch = fixture('file:larch.md', {
  title: 'Larch Retail store count',
  tags: ['retail'],
  tickers: [],
  sections: [
    {
      paragraphs: [
        '🎄 Holiday traffic was strong and online orders grew 18 percent.',
        'Larch Retail opened twelve stores, lifted revenue and trimmed its discount program.',
      ],
    },
  ],
});

async function ingest(store: KnowledgeStore, item: Fixture, origin: string | undefined = item.origin) {
  const plan = await store.planUpsert(item.article, origin);
  const writes = plan.action === 'add' || plan.action === 'update';
  const passages = writes ? item.passages : [];
  const vectors = writes ? await embedder.embedDocuments(passages.map((passage) => passage.text)) : [];
  const result = await store.upsert(plan, item.article, passages, vectors);
  return { plan, result };
}

const words = (text: string, weight = 1) => tokenize(text).map((term) => ({ term, weight }));
const sorted = (values: Iterable<string>) => [...values].sort();

export function describeStoreContract(name: string, createStore: CreateContractStore): void {
  describe(`KnowledgeStore contract: ${name}`, () => {
    const open: KnowledgeStore[] = [];
    afterEach(async () => {
      for (const store of open.splice(0)) await store.close();
    });

    async function start(): Promise<ContractStore> {
      const created = await createStore(info);
      let current = created.store;
      open.push(current);
      return {
        store: current,
        // The backend closes the store it gave last; if opening again fails, nothing is left open.
        reopen: async (embedderInfo?: EmbedderInfo) => {
          open.splice(open.indexOf(current), 1);
          current = await created.reopen(embedderInfo);
          open.push(current);
          return current;
        },
      };
    }

    async function withCorpus() {
      const context = await start();
      const ids = {
        arbor: (await ingest(context.store, arbor)).result.articleId,
        keel: (await ingest(context.store, keel)).result.articleId,
        larch: (await ingest(context.store, larch)).result.articleId,
      };
      return { ...context, ids };
    }

    it('starts empty and reports its backend and embedder', async () => {
      const { store } = await start();
      expect(store.embedder).toEqual(info);
      expect(typeof store.backend).toBe('string');
      expect(await store.stats()).toEqual({ articles: 0, chunks: 0 });
      expect(await store.listArticles()).toEqual({ articles: [], total: 0 });
      expect(await store.vectorSearch(await embedder.embedQuery('freight'), 5)).toEqual([]);
      expect((await store.lexicalSearch(words('freight'), 5)).hits).toEqual([]);
    });

    it('plans add for new content and stores the article with every field', async () => {
      const { store } = await start();
      const plan = await store.planUpsert(arbor.article, arbor.origin);
      expect(plan).toMatchObject({ action: 'add', origin: arbor.origin });
      expect(plan.articleId).toMatch(/^[a-f0-9]{16}$/);
      const vectors = await embedder.embedDocuments(arbor.passages.map((passage) => passage.text));
      expect(await store.upsert(plan, arbor.article, arbor.passages, vectors)).toEqual({ action: 'add', articleId: plan.articleId, chunks: 4 });

      const stored = await store.getArticle(plan.articleId);
      expect(stored).toMatchObject({ ...arbor.article, id: plan.articleId, contentHash: plan.contentHash, origins: [arbor.origin] });
      expect(stored?.sections).toEqual(arbor.article.sections);
      expect(stored?.chunkIds).toEqual([0, 1, 2, 3].map((ordinal) => `${plan.articleId}-${ordinal}`));
      expect(Number.isNaN(Date.parse(stored?.ingestedAt ?? ''))).toBe(false);
      expect(await store.stats()).toEqual({ articles: 1, chunks: 4 });
      expect(await store.getArticle('0000000000000000')).toBeUndefined();
    });

    it('keeps passages in reading order with section, page and table fields', async () => {
      const { store, ids } = await withCorpus();
      const passages = await store.passagesOf(ids.arbor);
      expect(passages.map((passage) => passage.ordinal)).toEqual([0, 1, 2, 3]);
      expect(passages.map((passage) => passage.text)).toEqual(arbor.passages.map((passage) => passage.text));
      expect(passages[0]).toEqual({ id: `${ids.arbor}-0`, articleId: ids.arbor, ordinal: 0, section: 'Results', page: 1, text: arbor.passages[0]!.text });
      expect(passages[3]).toMatchObject({ section: 'Outlook', page: 2, table: revenueTable });
      expect(passages[0]).not.toHaveProperty('table');
      const larchPassages = await store.passagesOf(ids.larch);
      expect(larchPassages.map((passage) => passage.text)).toEqual(larch.passages.map((passage) => passage.text));
      expect(larchPassages[0]).not.toHaveProperty('section');
      expect(larchPassages[0]).not.toHaveProperty('page');
      expect(await store.passagesOf('ffffffffffffffff')).toEqual([]);
    });

    it('returns passages by id in the order asked, leaving unknown ids out', async () => {
      const { store, ids } = await withCorpus();
      const found = await store.getPassages([`${ids.keel}-1`, 'missing-0', `${ids.arbor}-2`, `${ids.larch}-1`]);
      expect(found.map((passage) => passage.id)).toEqual([`${ids.keel}-1`, `${ids.arbor}-2`, `${ids.larch}-1`]);
      expect(found[2]!.text).toBe(larch.passages[1]!.text);
      expect(await store.getPassages([])).toEqual([]);
    });

    it('scores passages against a vector by cosine similarity, leaving unknown ids out', async () => {
      const { store, ids } = await withCorpus();
      const expected = await embedder.embedDocuments(keel.passages.map((passage) => passage.text));
      const query = await embedder.embedQuery('quarterly revenue guidance');
      const similarities = await store.similaritiesOf([`${ids.keel}-0`, `${ids.keel}-1`, 'missing-0'], query);
      expect([...similarities.keys()].sort()).toEqual([`${ids.keel}-0`, `${ids.keel}-1`]);
      // A store may keep vectors in its own precision: equal to about float32 rounding.
      for (const ordinal of [0, 1]) expect(similarities.get(`${ids.keel}-${ordinal}`)).toBeCloseTo(cosine(expected[ordinal]!, query), 5);
      // A passage's own vector is its nearest.
      expect((await store.similaritiesOf([`${ids.keel}-1`], expected[1]!)).get(`${ids.keel}-1`)).toBeCloseTo(1, 5);
      expect(await store.similaritiesOf([], query)).toEqual(new Map());
    });

    it('skips the same content from a known origin and records a new origin as a duplicate', async () => {
      const { store, ids } = await withCorpus();
      const version = await store.version();
      const skip = await ingest(store, keel);
      expect(skip.plan.action).toBe('skip');
      expect(skip.result).toEqual({ action: 'skip', articleId: ids.keel, chunks: 2 });
      expect(await store.version()).toBe(version);

      const duplicate = await ingest(store, keel, 'file:mirror/keel.md');
      expect(duplicate.plan.action).toBe('duplicate');
      expect(duplicate.result).toEqual({ action: 'duplicate', articleId: ids.keel, chunks: 2 });
      expect((await store.getArticle(ids.keel))?.origins).toEqual([keel.origin, 'file:mirror/keel.md']);
      expect(await store.stats()).toEqual({ articles: 3, chunks: 8 });
      expect((await store.planUpsert(keel.article)).action).toBe('skip');
    });

    it('updates an article from the same origin or URL, replacing its passages', async () => {
      const { store, ids } = await withCorpus();
      const revised = fixture(keel.origin, {
        ...keel.article,
        sections: [{ paragraphs: ['Keel Shipping cut its tanker fleet guidance after a slower quarter.'] }],
      });
      const update = await ingest(store, revised);
      expect(update.plan).toMatchObject({ action: 'update', articleId: ids.keel });
      expect(update.result).toEqual({ action: 'update', articleId: ids.keel, chunks: 1 });
      expect((await store.passagesOf(ids.keel)).map((passage) => passage.text)).toEqual([revised.passages[0]!.text]);
      expect(await store.getPassages([`${ids.keel}-1`])).toEqual([]);
      expect((await store.getArticle(ids.keel))?.text).toBe(revised.article.text);
      expect(await store.stats()).toEqual({ articles: 3, chunks: 7 });
      // The old text is gone from the lexical side and its statistics; the new text is found.
      expect((await store.lexicalSearch(words('congestion'), 5)).hits).toEqual([]);
      expect((await store.termStatistics(['congestion', 'tanker'])).documentFrequency).toEqual(
        new Map([
          ['congestion', 0],
          ['tanker', 1],
        ]),
      );
      expect((await store.lexicalSearch(words('tanker'), 5)).hits.map((hit) => hit.passageId)).toEqual([`${ids.keel}-0`]);

      // The same URL from another origin is the same article, too.
      const byUrl = fixture('file:elsewhere/keel.md', {
        ...keel.article,
        sections: [{ paragraphs: ['Keel Shipping restored its tanker guidance.'] }],
      });
      const second = await ingest(store, byUrl);
      expect(second.plan).toMatchObject({ action: 'update', articleId: ids.keel });
      expect((await store.getArticle(ids.keel))?.origins).toEqual([keel.origin, 'file:elsewhere/keel.md']);
    });

    it('deletes an article with its passages', async () => {
      const { store, ids } = await withCorpus();
      const version = await store.version();
      expect(await store.deleteArticle(ids.keel)).toBe(true);
      expect(await store.version()).not.toBe(version);
      expect(await store.getArticle(ids.keel)).toBeUndefined();
      expect(await store.getPassages([`${ids.keel}-0`])).toEqual([]);
      expect(await store.stats()).toEqual({ articles: 2, chunks: 6 });
      expect((await store.lexicalSearch(words('freight'), 5)).hits).toEqual([]);
      const hits = await store.vectorSearch(await embedder.embedQuery(keel.passages[0]!.text), 10);
      expect(hits.some((hit) => hit.passageId.startsWith(ids.keel))).toBe(false);
      expect(await store.deleteArticle(ids.keel)).toBe(false);
      // Deleted content can come back as a new article.
      expect((await ingest(store, keel)).plan.action).toBe('add');
    });

    it('finds the nearest passages by cosine similarity, best first, at most k', async () => {
      const { store, ids } = await withCorpus();
      const query = (await embedder.embedDocuments([arbor.passages[2]!.text]))[0]!;
      const hits = await store.vectorSearch(query, 3);
      expect(hits).toHaveLength(3);
      expect(hits[0]!.passageId).toBe(`${ids.arbor}-2`);
      expect(hits[0]!.similarity).toBeCloseTo(1, 5);
      for (let index = 1; index < hits.length; index += 1) expect(hits[index]!.similarity).toBeLessThanOrEqual(hits[index - 1]!.similarity);
      const all = await store.vectorSearch(query, 50);
      expect(all).toHaveLength(8);
      for (const hit of all) expect(hit.similarity).toBeGreaterThanOrEqual(-1.000001);
    });

    it('finds passages by words with BM25 scores and the query terms each holds', async () => {
      const { store, ids } = await withCorpus();
      const result = await store.lexicalSearch(words('freight congestion'), 5);
      expect(result.hits.map((hit) => hit.passageId)).toEqual([`${ids.keel}-0`, `${ids.keel}-1`]);
      expect(sorted(result.hits[0]!.matchedTerms)).toEqual(['congestion', 'freight']);
      expect(result.hits[1]!.matchedTerms).toEqual(['freight']);
      expect(result.hits[0]!.score).toBeGreaterThan(result.hits[1]!.score);
      expect(result.hits[1]!.score).toBeGreaterThan(0);

      // More occurrences of the same term score higher.
      const single = await store.lexicalSearch(words('freight'), 5);
      expect(single.hits.map((hit) => hit.passageId)).toEqual([`${ids.keel}-1`, `${ids.keel}-0`]);
      // k bounds the hits; unknown words find nothing.
      expect((await store.lexicalSearch(words('freight'), 1)).hits).toHaveLength(1);
      expect((await store.lexicalSearch(words('zeppelin'), 5)).hits).toEqual([]);
      expect((await store.lexicalSearch([], 5)).hits).toEqual([]);
    });

    it('weights query terms: a heavier term decides the order', async () => {
      const { store, ids } = await withCorpus();
      const marginFirst = await store.lexicalSearch([...words('margin', 1), ...words('fabrication', 0.1)], 5);
      expect(marginFirst.hits[0]!.passageId).toBe(`${ids.arbor}-1`);
      const fabricationFirst = await store.lexicalSearch([...words('margin', 0.1), ...words('fabrication', 1)], 5);
      expect(fabricationFirst.hits[0]!.passageId).toBe(`${ids.arbor}-2`);
    });

    it('reports the query terms of asked passages outside the hits', async () => {
      const { store, ids } = await withCorpus();
      const result = await store.lexicalSearch(words('freight revenue'), 1, undefined, [`${ids.arbor}-0`, `${ids.larch}-1`, `${ids.larch}-0`, `${ids.keel}-0`]);
      expect(result.hits.map((hit) => hit.passageId)).toEqual([`${ids.keel}-1`]);
      expect(result.reported.get(`${ids.arbor}-0`)).toEqual(['revenue']);
      expect(result.reported.get(`${ids.larch}-1`)).toEqual(['revenue']);
      expect(result.reported.get(`${ids.keel}-0`)).toEqual(['freight']);
      expect(result.reported.has(`${ids.larch}-0`)).toBe(false);
    });

    it('with k 0 reports the asked passages only, as a full search reports them', async () => {
      const { store, ids } = await withCorpus();
      const asked = [`${ids.arbor}-0`, `${ids.larch}-1`, `${ids.larch}-0`, `${ids.keel}-0`, `${ids.keel}-1`];
      const reportOnly = await store.lexicalSearch(words('freight revenue'), 0, undefined, asked);
      expect(reportOnly.hits).toEqual([]);
      expect(reportOnly.reported.get(`${ids.arbor}-0`)).toEqual(['revenue']);
      expect(reportOnly.reported.get(`${ids.keel}-0`)).toEqual(['freight']);
      expect(reportOnly.reported.has(`${ids.larch}-0`)).toBe(false);
      const full = await store.lexicalSearch(words('freight revenue'), 3, undefined, asked);
      expect(new Set(reportOnly.reported.get(`${ids.keel}-1`))).toEqual(new Set(full.hits.find((hit) => hit.passageId === `${ids.keel}-1`)!.matchedTerms));
    });

    it('counts passages and document frequencies', async () => {
      const { store } = await withCorpus();
      const statistics = await store.termStatistics(['freight', 'revenue', 'accelerator', 'zeppelin']);
      expect(statistics.passages).toBe(8);
      expect(statistics.documentFrequency).toEqual(
        new Map([
          ['freight', 2],
          ['revenue', 3],
          ['accelerator', 2],
          ['zeppelin', 0],
        ]),
      );
    });

    const filterCases: { name: string; filter: StoreFilter; articles: ('arbor' | 'keel' | 'larch')[] }[] = [
      { name: 'no filter', filter: {}, articles: ['arbor', 'keel', 'larch'] },
      { name: 'article ids', filter: { articleIds: ['KEEL_ID'] }, articles: ['keel'] },
      { name: 'tickers', filter: { tickers: ['ARBR'] }, articles: ['arbor'] },
      { name: 'tags', filter: { tags: ['retail'] }, articles: ['larch'] },
      { name: 'from (undated articles fail a bound)', filter: { from: '2026-01-01' }, articles: ['arbor'] },
      { name: 'to', filter: { to: '2025-12-31' }, articles: ['keel'] },
      { name: 'inclusive date bounds', filter: { from: '2025-06-30', to: '2025-06-30' }, articles: ['keel'] },
      { name: 'document type', filter: { documentType: ['10-Q', '10-K'] }, articles: ['keel'] },
      { name: 'company, whole name, case-insensitive', filter: { company: ' arbor  MICROSYSTEMS' }, articles: ['arbor'] },
      { name: 'company, not a part of the name', filter: { company: 'arbor' }, articles: [] },
      { name: 'every field must hold', filter: { tickers: ['ARBR', 'KEEL'], documentType: ['10-Q'] }, articles: ['keel'] },
      { name: 'nothing matches', filter: { tickers: ['ARBR'], tags: ['shipping'] }, articles: [] },
      { name: 'an empty list of article ids selects nothing', filter: { articleIds: [] }, articles: [] },
      { name: 'empty ticker and tag lists do not narrow', filter: { tickers: [], tags: [] }, articles: ['arbor', 'keel', 'larch'] },
    ];

    for (const { name: caseName, filter, articles } of filterCases) {
      it(`pushes the filter down to vector, lexical and list queries: ${caseName}`, async () => {
        const { store, ids } = await withCorpus();
        const resolved: StoreFilter = filter.articleIds?.length ? { ...filter, articleIds: [ids.keel] } : filter;
        const expected = sorted(articles.map((key) => ids[key]));
        const articleOf = (passageId: string) => passageId.slice(0, 16);

        const vectorHits = await store.vectorSearch(await embedder.embedQuery('revenue freight stores'), 50, resolved);
        expect(sorted(new Set(vectorHits.map((hit) => articleOf(hit.passageId))))).toEqual(expected);

        const lexical = await store.lexicalSearch(words('revenue freight stores'), 50, resolved);
        expect(sorted(new Set(lexical.hits.map((hit) => articleOf(hit.passageId))))).toEqual(expected);

        const listed = await store.listArticles({ filter: resolved });
        expect(sorted(listed.articles.map((article) => article.id))).toEqual(expected);
        expect(listed.total).toBe(expected.length);
      });
    }

    it('lists articles newest first, undated last, with paging and a text query', async () => {
      const { store, ids } = await withCorpus();
      const all = await store.listArticles();
      expect(all.articles.map((article) => article.id)).toEqual([ids.arbor, ids.keel, ids.larch]);
      expect(all.total).toBe(3);
      const page = await store.listArticles({ limit: 1, offset: 1 });
      expect(page.articles.map((article) => article.id)).toEqual([ids.keel]);
      expect(page.total).toBe(3);
      expect((await store.listArticles({ q: 'SHIPPING' })).articles.map((article) => article.id)).toEqual([ids.keel]);
      expect((await store.listArticles({ q: 'arbr' })).articles.map((article) => article.id)).toEqual([ids.arbor]);
      expect((await store.listArticles({ q: 'retail' })).total).toBe(1);
      expect((await store.listArticles({ q: 'contract wire' })).articles.map((article) => article.id)).toEqual([ids.arbor]);
    });

    it('gives every article id and title, and finds articles by origin prefix', async () => {
      const { store, ids } = await withCorpus();
      const titles = await store.articleTitles();
      expect(sorted(titles.map((entry) => `${entry.id} ${entry.title}`))).toEqual(
        sorted([`${ids.arbor} ${arbor.article.title}`, `${ids.keel} ${keel.article.title}`, `${ids.larch} ${larch.article.title}`]),
      );
      await ingest(store, keel, 'file:mirror/keel.md');
      expect((await store.articlesFromOrigin('file:mirror/')).map((article) => article.id)).toEqual([ids.keel]);
      // Newest first, as listings are; a URL is not an origin.
      expect((await store.articlesFromOrigin('file:')).map((article) => article.id)).toEqual([ids.arbor, ids.keel, ids.larch]);
      expect(await store.articlesFromOrigin('https://news.example.test/')).toEqual([]);
      expect(await store.articlesFromOrigin('file:none/')).toEqual([]);
      await store.deleteArticle(ids.keel);
      expect((await store.articleTitles()).map((entry) => entry.id)).not.toContain(ids.keel);
      expect(await store.articlesFromOrigin('file:mirror/')).toEqual([]);
    });

    it('changes its version on every write and never on a read', async () => {
      const { store } = await start();
      const versions = [await store.version()];
      const { result } = await ingest(store, keel);
      versions.push(await store.version());
      await store.lexicalSearch(words('freight'), 5);
      await store.listArticles();
      expect(await store.version()).toBe(versions[1]);
      await ingest(store, larch);
      versions.push(await store.version());
      await store.deleteArticle(result.articleId);
      versions.push(await store.version());
      expect(new Set(versions).size).toBe(versions.length);
    });

    it('keeps everything across close and reopen, and refuses another embedder', async () => {
      const { store, reopen, ids } = await withCorpus();
      const before = {
        stats: await store.stats(),
        // Copied while its store is open: an article's text may be read from the store when asked.
        arbor: { ...(await store.getArticle(ids.arbor)) },
        passages: await store.passagesOf(ids.larch),
        lexical: await store.lexicalSearch(words('freight congestion'), 5),
        vector: await store.vectorSearch(await embedder.embedQuery('accelerator boards'), 4),
      };
      // A missing article would spread to {} on both sides.
      expect(before.arbor).toMatchObject({ id: ids.arbor, title: expect.any(String), text: expect.any(String) });
      const reopened = await reopen();
      expect(await reopened.stats()).toEqual(before.stats);
      expect({ ...(await reopened.getArticle(ids.arbor)) }).toEqual(before.arbor);
      expect(await reopened.passagesOf(ids.larch)).toEqual(before.passages);
      expect(await reopened.lexicalSearch(words('freight congestion'), 5)).toEqual(before.lexical);
      expect((await reopened.vectorSearch(await embedder.embedQuery('accelerator boards'), 4)).map((hit) => hit.passageId)).toEqual(
        before.vector.map((hit) => hit.passageId),
      );
      expect((await reopened.planUpsert(keel.article, keel.origin)).action).toBe('skip');

      await expect(reopen({ id: 'another-embedder', dim: info.dim })).rejects.toMatchObject({ code: 'embedder_mismatch' });
    });
  });
}
