import { LEXICAL_HELPER_DEFAULTS, type LexicalHelperFactory, type StartedLexicalHelper } from '../lexical-helper.ts';
import { idleTurn, nextTurn } from '../../lib/fair-turns.ts';
import { isAscii } from 'node:buffer';
import { existsSync, mkdirSync } from 'node:fs';
import { freemem } from 'node:os';
import { basename, join } from 'node:path';
import type Database from 'better-sqlite3';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { AppError } from '../../lib/errors.ts';
import { ARTICLE_ID_PATTERN, computeContentHash, newArticleId, parsePassageId, passageId } from '../content-hash.ts';
import { compileFilter } from '../store-filter.ts';
import type {
  ArticleListQuery,
  ArticleTitle,
  KnowledgeStore,
  LexicalSearchResult,
  Passage,
  PassageInput,
  StoreFilter,
  TermStatistics,
  UpsertPlan,
  UpsertResult,
  VectorHit,
  WeightedQueryTerm,
} from '../store.ts';
import { decodeUtf8Span, locateSpans } from '../text-spans.ts';
import { TableDataSchema, type EmbedderInfo, type ParsedArticle, type StoredArticle } from '../types.ts';
import { inlineVectorGraphs, type VectorGraphFactory } from '../vector-graph.ts';
import type { VectorIndexParameters } from '../vector-index.ts';
import { PassageCache } from './passage-cache.ts';
import { type ArticleMeta, ArticleMetaSchema, articleMetaOf, compareArticles, matchesListQuery } from './article-meta.ts';
import { type ArticleBody, type ArticleContentSource, decodeArticle, decodeBody, decodeHead, encodeArticle, inflateText } from './article-record.ts';
import { hasLegacyIndex, migrateLegacyIndex } from './legacy-migration.ts';
import { readAhead } from './read-ahead.ts';
import { DATABASE_FILE, openDatabase } from './schema.ts';
import { SearchIndex, type IndexedPassage } from './search-index.ts';
import { readSnapshot, removeOldSnapshots, writeSnapshot } from './snapshot.ts';
import { automaticWalCheckpoints, type WalCheckpoints, type WalCheckpointsFactory } from './wal-checkpoints.ts';

export const EMBEDDED_STORE_DEFAULTS = {
  /** A snapshot is written once this many passages were indexed since the last one… */
  snapshotMinPassages: 20_000,
  /** …and at least this share of the store: snapshots stay rare while the store grows. */
  snapshotShare: 0.25,
  /** On close, unsnapshotted work above this is saved so the next start replays little. */
  snapshotOnCloseMinPassages: 1_000,
  /** Applying a change yields to the event loop after this long, so no write stalls searches. */
  sliceMs: 8,
  /**
   * The same for another process's changes (a bulk ingest beside the server), which nobody waits
   * for: a request whose step comes behind one of these slices waits at most this long (a search
   * or chat step takes 1–2 ms at 100k passages).
   */
  backgroundSliceMs: 2,
  /**
   * Between two background slices, requests' steps go first: a slice waits for an event-loop turn
   * where none is waiting, at most this long. With a bulk ingest beside a busy server, applying
   * its writes took a third of the main thread and search and chat p99 rose about 2×; they now
   * become visible later while the server is busy instead.
   */
  backgroundWaitMs: 10,
  /**
   * Another process's changes are published together once this many of their passages wait (and
   * at the end of each read of changes): kept under the vector search's over-fetch limit
   * (search-index.ts), so searches meanwhile need no filter.
   */
  backgroundPublishPassages: 64,
  /**
   * Rows of removed passages are deleted once a snapshot covers them and they are older than
   * this: another process still applying that change (it polls every second) needs their text.
   */
  purgeAfterMs: 60_000,
  /** Changes read per database query while catching up. */
  changesPerRead: 256,
  /**
   * Decoded articles (the head alone: text and sections are read when asked, see
   * `ArticleContentSource`). A search hit reads its article, so this is sized, like the text cache
   * below, for the articles questions keep returning to: under 0.7 KB of heap each. 16,384 took
   * reading heads from 0.81–0.86 s to 0.10–0.13 s of a 15 s store-bench phase (profiled), but five
   * store-bench runs of each size, alternating, differed in no latency, ratio or RSS beyond the
   * machine's spread (docs/performance-log.md, session 22).
   */
  articleCacheSize: 4096,
  /**
   * Bytes of passage text kept for later reads, by label (a label's passage never changes): whole
   * passages, so that reading one again needs no database read, their texts outside V8's heap (see
   * PassageCache). Caching whole article texts instead made a fresh question at 1M passages
   * inflate and keep ~15 articles to read one passage of each: 120 KB per question survived young
   * collections and piled up in the old generation.
   */
  passageCacheBytes: 16 * 1024 * 1024,
  /**
   * Texts of long articles (at least `longArticleChars`) kept whole, up to this many characters:
   * inflating one costs a millisecond or more and a chat or report often reads several of its
   * passages in turn. Shorter texts are inflated again when needed (a fraction of a millisecond).
   */
  longArticleCacheChars: 8 * 1024 * 1024,
  longArticleChars: 32 * 1024,
  /**
   * Articles' sections and references decoded (a chat reads a document's tables when a sentence
   * opens with a note mark; inflating and laying out a long report took up to 90 ms), kept up to
   * this many characters of their articles' text. Articles themselves keep neither (see
   * `ArticleContentSource`).
   */
  bodyCacheChars: 8 * 1024 * 1024,
  /**
   * `prewarm` reads the database into the page cache only while it is at most this share of the
   * memory the system has free: a larger one would push out what other programs use.
   */
  prewarmShareOfFreeMemory: 0.5,
};

export interface EmbeddedStoreOptions {
  indexDir: string;
  embedder: EmbedderInfo;
  vectorParameters?: Partial<VectorIndexParameters>;
  /**
   * Where the hnswlib graph lives: on this thread (the default, and what tests use) or on a worker
   * thread of its own (`threadVectorGraphs`: the server and the CLI, so inserts run beside storing).
   */
  vectorGraphs?: VectorGraphFactory;
  /**
   * Who copies the write-ahead log into the database file: the committing connection, as SQLite does
   * by default (tests), or a thread of its own (`threadWalCheckpoints`: the server and the CLI).
   */
  walCheckpoints?: WalCheckpointsFactory;
  /**
   * A thread that scores part of each large lexical query in a knowledge base of at least
   * `LEXICAL_HELPER_DEFAULTS.minPassages` read from a snapshot (`threadLexicalHelpers`: the server
   * and the CLI); without one (tests) every query is scored on this thread.
   */
  lexicalHelpers?: LexicalHelperFactory;
  tuning?: Partial<typeof EMBEDDED_STORE_DEFAULTS>;
  now?: () => Date;
}

/** What a change committed by this process indexes, kept so applying it reads nothing back. */
interface OwnChange {
  passages: IndexedPassage[];
}

/** A change whose passages are indexed, not yet published. */
interface IndexedChange {
  change: ChangeRow;
  meta: ArticleMeta | null;
  /** Another process's change (its graph inserts were sent in the background). */
  background: boolean;
  passages: number;
}

interface ChangeRow {
  seq: number;
  article_id: string;
  meta: string | null;
}

interface PassageRow {
  label: number;
  article_id: string;
  ordinal: number;
  section: string | null;
  page: number | null;
  table_json: string | null;
  span_start: number | null;
  span_length: number | null;
  own_text: string | null;
}

type ArticleHeadRow = Pick<ArticleRow, 'id' | 'first_label' | 'passages' | 'head'>;

interface ArticleRow {
  id: string;
  content_hash: string;
  seq: number;
  first_label: number;
  passages: number;
  head: string;
  text: Buffer;
  body: Buffer;
}

const PASSAGE_COLUMNS = 'label, article_id, ordinal, section, page, table_json, span_start, span_length, own_text';

/**
 * The embedded knowledge store: SQLite (better-sqlite3, WAL) is the durable source of truth and
 * the in-memory hnswlib and BM25 indexes follow it change by change. A write is one short
 * transaction plus indexing of what it adds; a process sees another's writes by applying the
 * changes past the last one it applied (`refresh`), never by reloading everything.
 */
export class EmbeddedStore implements KnowledgeStore {
  readonly embedder: EmbedderInfo;
  readonly backend = 'embedded';
  private readonly db: Database.Database;
  private readonly indexDir: string;
  private readonly tuning: typeof EMBEDDED_STORE_DEFAULTS;
  private readonly now: () => Date;
  private index: SearchIndex;
  private lexicalHelper: Promise<StartedLexicalHelper | undefined> | undefined;
  /** Index work (applying changes, snapshots) runs one task at a time, in order. */
  private tail: Promise<unknown> = Promise.resolve();
  private indexedSinceSnapshot = 0;
  /** When the running slice of index work began (see yieldWhenSliceIsUp). */
  private sliceStarted = 0;
  private readonly articleCache: LRUCache<string, { firstLabel: number; article: StoredArticle }>;
  /** Passages read, by label (see EMBEDDED_STORE_DEFAULTS.passageCacheBytes). */
  private readonly passages: PassageCache;
  private readonly longArticleTexts: LRUCache<string, { seq: number; text: string }>;
  private closed = false;
  /**
   * Changes this process committed and has not applied yet, by seq: their passages' text and
   * vectors as given to `upsert`, so applying them skips reading back and decompressing what was
   * just written. Only committed changes enter (a rolled-back seq may be reused by another writer).
   */
  private readonly ownChanges = new Map<number, OwnChange>();
  private readonly statements;
  private readonly checkpoints: WalCheckpoints;
  /**
   * What decoded articles read their text and body through: the article's current version in the
   * database. A caller holding an article across another process's update of it (its head can be
   * up to a refresh behind, see readArticle) reads the newer text; one deleted meanwhile says so.
   */
  private readonly contentSource: ArticleContentSource = {
    text: (id) => {
      this.ensureOpen();
      return this.db.transaction(() => this.articleText(id))() ?? this.deletedMeanwhile(id);
    },
    body: (id) => {
      this.ensureOpen();
      return this.db.transaction(() => this.articleBody(id))() ?? this.deletedMeanwhile(id);
    },
  };
  /** Sections and references decoded, by article and version (see `bodyCacheChars`). */
  private readonly bodies: LRUCache<string, { seq: number; body: ArticleBody; chars: number }>;

  private constructor(db: Database.Database, checkpoints: WalCheckpoints, index: SearchIndex, options: EmbeddedStoreOptions) {
    this.db = db;
    this.checkpoints = checkpoints;
    this.index = index;
    this.indexDir = options.indexDir;
    this.embedder = options.embedder;
    this.tuning = { ...EMBEDDED_STORE_DEFAULTS, ...options.tuning };
    this.now = options.now ?? (() => new Date());
    this.articleCache = new LRUCache({ max: this.tuning.articleCacheSize });
    this.passages = new PassageCache(this.tuning.passageCacheBytes);
    this.longArticleTexts = new LRUCache({ maxSize: this.tuning.longArticleCacheChars, sizeCalculation: ({ text }) => text.length });
    this.bodies = new LRUCache({ maxSize: this.tuning.bodyCacheChars, sizeCalculation: ({ chars }) => Math.max(1, chars) });
    this.statements = prepareStatements(db);
  }

  /** Opens the store in `indexDir` (creating it, or migrating an index of the previous format). */
  static async open(options: EmbeddedStoreOptions): Promise<EmbeddedStore> {
    mkdirSync(options.indexDir, { recursive: true });
    const where = describeFolder(options.indexDir);
    if (hasLegacyIndex(options.indexDir)) await migrateLegacyIndex(options.indexDir, options.embedder, where);
    let db: Database.Database;
    try {
      db = openDatabase(join(options.indexDir, DATABASE_FILE));
    } catch (error) {
      throw new AppError('index_corrupt', `The knowledge base in ${where} could not be opened as a database; move the folder away and re-ingest.`, {
        cause: error,
      });
    }
    const checkpoints = (options.walCheckpoints ?? automaticWalCheckpoints).start(db, join(options.indexDir, DATABASE_FILE));
    try {
      assertEmbedder(db, options.embedder, where);
      const store = new EmbeddedStore(db, checkpoints, await loadSearchIndex(db, options), options);
      try {
        await store.refresh();
        store.startLexicalHelper(options.lexicalHelpers);
      } catch (error) {
        await store.index.vectors.close();
        throw error;
      }
      return store;
    } catch (error) {
      await checkpoints.close();
      db.close();
      throw error;
    }
  }

  /**
   * Gives a large knowledge base read from a snapshot a thread that scores part of each large
   * lexical query. Started in the background (a thread loading its code takes about a second, which
   * opening need not wait for): queries before it is ready are scored here alone.
   */
  private startLexicalHelper(factory: LexicalHelperFactory | undefined): void {
    const memory = this.index.lexical.sharedMemory();
    if (!factory || !memory || this.index.lexical.size < LEXICAL_HELPER_DEFAULTS.minPassages) return;
    this.lexicalHelper = factory.start(memory).then(
      async (helper) => {
        if (this.closed) {
          await helper.close();
          return undefined;
        }
        this.index.lexical.attachHelper(helper);
        return helper;
      },
      // Without it every query is scored here, as in a small knowledge base.
      () => undefined,
    );
  }

  async stats(): Promise<{ articles: number; chunks: number }> {
    return { articles: this.index.articles.size, chunks: this.index.passages };
  }

  async getArticle(id: string): Promise<StoredArticle | undefined> {
    return this.readArticle(id);
  }

  async listArticles(query: ArticleListQuery = {}): Promise<{ articles: StoredArticle[]; total: number }> {
    await nextTurn();
    const needle = query.q?.trim().toLowerCase();
    const accept = compileFilter(query.filter);
    const matching = [...this.index.articles.values()].filter((meta) => accept(meta) && (!needle || matchesListQuery(meta, needle)));
    matching.sort(compareArticles);
    const offset = query.offset ?? 0;
    const page = matching.slice(offset, offset + (query.limit ?? matching.length));
    const articles = page.flatMap((meta) => this.readArticle(meta.id) ?? []);
    return { articles, total: matching.length };
  }

  async articleTitles(): Promise<ArticleTitle[]> {
    // The metas themselves, in the order articles were first published: an unchanged article is the
    // same object in every call, so the chats' title index sees at once what an upload added.
    return Array.from(this.index.articles.values());
  }

  async articlesFromOrigin(prefix: string): Promise<StoredArticle[]> {
    await nextTurn();
    // Origins are the table's primary key: a range scan finds the prefix without reading articles.
    const ids = this.statements.articlesFromOrigin.pluck().all(prefix, `${prefix}\u{10FFFF}`) as string[];
    const metas = ids.flatMap((id) => this.index.articles.get(id) ?? []).sort(compareArticles);
    // The table also holds article URLs (to find updates); only recorded origins count here.
    return metas.flatMap((meta) => this.readArticle(meta.id) ?? []).filter((article) => article.origins.some((origin) => origin.startsWith(prefix)));
  }

  async getPassages(ids: string[]): Promise<Passage[]> {
    const passages: Passage[] = [];
    let next = 0;
    do {
      await nextTurn();
      // One read transaction per slice: a passage's span and its article's text come from the same
      // version. Slices end after `sliceMs`: each passage may inflate its article's text (a chat
      // reading sentences asks for dozens), so a long list is read over several event-loop turns.
      const sliceStart = performance.now();
      next = this.db.transaction((from: number) => {
        const texts = new ArticleTexts((id) => this.articleContent(id, true));
        let index = from;
        do {
          const parsed = index < ids.length ? parsePassageId(ids[index]!) : undefined;
          // The passage the indexes publish under this id, when it was read before: no database
          // read (one per passage was a twelfth of the main thread's time with four searchers and
          // two chatters at 100k passages, profiled). Otherwise the database's current one.
          const published = parsed && this.index.articles.get(parsed.articleId);
          const cached = published && parsed.ordinal < published.passages ? this.passages.get(published.firstLabel + parsed.ordinal) : undefined;
          const row = !cached && parsed ? (this.statements.passageByOrdinal.get(parsed.articleId, parsed.ordinal) as PassageRow | undefined) : undefined;
          const passage = cached ?? (row && this.passageOf(row, texts));
          if (passage) passages.push(passage);
          index += 1;
        } while (index < ids.length && performance.now() - sliceStart < this.tuning.sliceMs);
        return index;
      })(next);
    } while (next < ids.length);
    return passages;
  }

  async passagesOf(articleId: string): Promise<Passage[]> {
    await nextTurn();
    return this.db.transaction(() => {
      const texts = new ArticleTexts((id) => this.articleContent(id, true));
      return (this.statements.passagesOfArticle.all(articleId) as PassageRow[]).map((row) => this.passageOf(row, texts));
    })();
  }

  async similaritiesOf(passageIds: string[], vector: Float32Array): Promise<Map<string, number>> {
    // The graph's thread holds every vector in memory: reading them from the database instead
    // cost a fresh question at 1M passages 4.5 ms on average (cold pages), 18 ms at worst. The
    // message goes at once (no turn waited for), so the thread works while this one goes on.
    return await this.index.similaritiesOf(passageIds, vector);
  }

  async planUpsert(article: ParsedArticle, origin?: string): Promise<UpsertPlan> {
    return this.plan(article, origin);
  }

  async upsert(plan: UpsertPlan, article: ParsedArticle, passages: PassageInput[], vectors: Float32Array[]): Promise<UpsertResult> {
    this.assertOpen();
    if (passages.length !== vectors.length) throw new AppError('internal', `Got ${vectors.length} vectors for ${passages.length} passages.`);
    for (const vector of vectors) {
      if (vector.length !== this.embedder.dim) {
        throw new AppError('embedder_mismatch', `Embedder produced ${vector.length}-dimensional vectors; the store expects ${this.embedder.dim}.`);
      }
    }
    // The write on a turn of its own, as reads are: a bulk ingest storing document after document
    // otherwise never let the event loop run, and the embedding worker's answers (and the next
    // batch to post it) waited for the storing thread to run out of work (a 100k-passage build
    // waited 4.7–5.7 s for embeddings, 1.9–2.2 with this turn).
    await nextTurn();
    const { result, own } = this.db.transaction(() => this.writeUpsert(plan, article, passages, vectors)).immediate();
    this.checkpoints.committed();
    if (own) this.ownChanges.set(own.seq, own.change);
    if (result.action === 'add' || result.action === 'update') await this.refresh();
    return result;
  }

  async deleteArticle(id: string): Promise<boolean> {
    this.assertOpen();
    const removed = this.db
      .transaction(() => {
        if (!this.statements.articleById.get(id)) return false;
        this.keepRemovedText(id);
        const seq = Number(this.statements.insertChange.run(id, null).lastInsertRowid);
        this.statements.markRemoved.run(seq, this.now().getTime(), id);
        this.statements.deleteArticle.run(id);
        this.statements.deleteOrigins.run(id);
        return true;
      })
      .immediate();
    this.checkpoints.committed();
    if (removed) await this.refresh();
    return removed;
  }

  async vectorSearch(vector: Float32Array, k: number, filter?: StoreFilter): Promise<VectorHit[]> {
    await nextTurn();
    return await this.index.vectorSearch(vector, k, filter);
  }

  async lexicalSearch(terms: WeightedQueryTerm[], k: number, filter?: StoreFilter, report: string[] = []): Promise<LexicalSearchResult> {
    await nextTurn();
    return this.index.lexicalSearch(terms, k, filter, report);
  }

  async termStatistics(terms: string[]): Promise<TermStatistics> {
    return this.index.termStatistics(terms);
  }

  async version(): Promise<number> {
    return this.index.appliedSeq;
  }

  /**
   * Applies the changes committed since the last one applied here (by this process or another, e.g.
   * `npm run ingest` beside the server); returns how many were applied. Each change becomes visible
   * at once; applying one yields to the event loop every few milliseconds.
   */
  async refresh(): Promise<number> {
    if (this.closed) return 0;
    return this.enqueue(async () => {
      this.sliceStarted = performance.now();
      let applied = 0;
      for (;;) {
        if (this.closed) return applied;
        const changes = this.statements.changesAfter.all(this.index.appliedSeq, this.tuning.changesPerRead) as ChangeRow[];
        if (changes.length === 0) break;
        // Another process's changes are published a few at a time, once the graph holds their
        // passages: one wait (and one message to the graph's thread) for several changes.
        let pending: IndexedChange[] = [];
        let pendingPassages = 0;
        const publishPending = async () => {
          if (pending.length === 0) return;
          await this.index.vectors.settled();
          // The wait let the event loop run: a new slice starts.
          this.sliceStarted = performance.now();
          for (const indexed of pending) this.publishChange(indexed);
          pending = [];
          pendingPassages = 0;
        };
        for (const change of changes) {
          const indexed = await this.indexChange(change);
          if (indexed.background) {
            pending.push(indexed);
            pendingPassages += indexed.passages;
            if (pendingPassages >= this.tuning.backgroundPublishPassages) await publishPending();
          } else {
            // Changes become visible in order.
            await publishPending();
            this.publishChange(indexed);
          }
          applied += 1;
          await this.yieldWhenSliceIsUp(indexed.background);
        }
        await publishPending();
        // A short read held everything committed when it ran; what committed since is the next
        // refresh's (each writer's own, or the watcher's). Reading again to find nothing was a
        // second query per upsert: half of what applying its own change cost the storing thread.
        if (changes.length < this.tuning.changesPerRead) break;
      }
      if (this.shouldSnapshot()) await this.snapshot();
      return applied;
    });
  }

  /**
   * Reads the database file through once so that the operating system caches it (read-ahead.ts):
   * searches after a restart then read their hits' rows from memory. Returns the bytes read (0
   * when the file is larger than `prewarmShareOfFreeMemory` of the free memory).
   */
  async prewarm(signal?: AbortSignal): Promise<number> {
    if (this.closed) return 0;
    return readAhead(join(this.indexDir, DATABASE_FILE), freemem() * this.tuning.prewarmShareOfFreeMemory, {
      stop: () => this.closed || signal?.aborted === true,
    });
  }

  /** Problems a health check should report (none when the store is sound). */
  async health(): Promise<string[]> {
    const database = existsSync(join(this.indexDir, DATABASE_FILE)) ? [] : ['the knowledge-base database file is missing; restart to recreate it'];
    return [...database, ...this.index.vectors.problems()];
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.enqueue(async () => {
      if (this.indexedSinceSnapshot >= this.tuning.snapshotOnCloseMinPassages) await this.snapshot();
    });
    this.closed = true;
    await (await this.lexicalHelper)?.close();
    await this.index.vectors.close();
    // The checkpoint thread first: this connection, closing last, then copies what is left of the
    // log into the file (little: the thread's last checkpoint ran as it stopped) and removes it.
    await this.checkpoints.close();
    this.db.close();
  }

  private plan(article: ParsedArticle, origin: string | undefined, contentHash = computeContentHash(article)): UpsertPlan {
    const sameContent = this.statements.articleByHash.get(contentHash) as { id: string; head: string } | undefined;
    if (sameContent) {
      const known = origin === undefined || decodeHead(sameContent.head).origins.includes(origin);
      return { action: known ? 'skip' : 'duplicate', articleId: sameContent.id, contentHash, ...(origin !== undefined ? { origin } : {}) };
    }
    for (const key of [origin, article.url]) {
      if (!key) continue;
      const existing = this.statements.originOwner.pluck().get(key) as string | undefined;
      if (existing) return { action: 'update', articleId: existing, contentHash, ...(origin !== undefined ? { origin } : {}) };
    }
    const articleId = newArticleId(origin ?? article.url ?? `content:${contentHash}`, (id) => this.statements.articleById.get(id) !== undefined);
    return { action: 'add', articleId, contentHash, ...(origin !== undefined ? { origin } : {}) };
  }

  /** Runs inside an immediate transaction: re-plans (another process may have written meanwhile), then writes. */
  private writeUpsert(
    requested: UpsertPlan,
    article: ParsedArticle,
    passages: PassageInput[],
    vectors: Float32Array[],
  ): { result: UpsertResult; own?: { seq: number; change: OwnChange } } {
    // The caller's plan was made from this article, so its content hash stands (hashing the text is not free).
    const fresh = this.plan(article, requested.origin, requested.contentHash);
    // A new article keeps the id its caller planned (a migration keeps its ids) while it is free.
    const plan =
      fresh.action === 'add' &&
      requested.action === 'add' &&
      ARTICLE_ID_PATTERN.test(requested.articleId) &&
      !this.statements.articleById.get(requested.articleId)
        ? { ...fresh, articleId: requested.articleId }
        : fresh;
    if (plan.action === 'skip' || plan.action === 'duplicate') {
      const row = this.statements.articleById.get(plan.articleId) as ArticleRow;
      if (plan.origin) {
        const head = decodeHead(row.head);
        if (!head.origins.includes(plan.origin)) {
          this.statements.updateHead.run(JSON.stringify({ ...head, origins: [...head.origins, plan.origin] }), row.id);
          this.statements.upsertOrigin.run(plan.origin, row.id);
          this.articleCache.delete(row.id);
        }
      }
      return { result: { action: plan.action, articleId: row.id, chunks: row.passages } };
    }
    if (requested.action === 'skip' || requested.action === 'duplicate') {
      // The caller planned a skip that no longer holds (the content was changed meanwhile): it has no passages to store.
      throw new AppError('conflict', 'The article changed while it was being ingested; retry.');
    }
    const previous = this.statements.articleById.get(plan.articleId) as ArticleRow | undefined;
    const previousHead = previous ? decodeHead(previous.head) : undefined;
    const firstLabel = Number(this.statements.metaValue.pluck().get('next_label') ?? 0);
    const origins = [...new Set([...(previousHead?.origins ?? []), ...(plan.origin ? [plan.origin] : [])])];
    const stored: StoredArticle = {
      ...article,
      id: plan.articleId,
      contentHash: plan.contentHash,
      origins,
      ingestedAt: this.now().toISOString(),
      chunkIds: passages.map((_, ordinal) => passageId(plan.articleId, ordinal)),
    };
    const meta = articleMetaOf(stored, firstLabel, passages.length);
    const seq = Number(this.statements.insertChange.run(plan.articleId, JSON.stringify(meta)).lastInsertRowid);
    if (previous) {
      this.keepRemovedText(plan.articleId);
      this.statements.markRemoved.run(seq, this.now().getTime(), plan.articleId);
    }
    const spans = locateSpans(
      article.text,
      passages.map((passage) => passage.text),
    );
    passages.forEach((passage, ordinal) => {
      const vector = vectors[ordinal]!;
      const span = spans[ordinal];
      this.statements.insertPassage.run(
        firstLabel + ordinal,
        plan.articleId,
        ordinal,
        passage.section ?? null,
        passage.page ?? null,
        passage.table ? JSON.stringify(passage.table) : null,
        span?.start ?? null,
        span?.length ?? null,
        span ? null : passage.text,
        Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength),
        seq,
      );
    });
    this.statements.setMeta.run('next_label', String(firstLabel + passages.length));
    const { id: _id, chunkIds: _chunkIds, ...record } = stored;
    const encoded = encodeArticle(record);
    this.statements.upsertArticle.run(plan.articleId, plan.contentHash, seq, firstLabel, passages.length, encoded.head, encoded.text, encoded.body);
    for (const key of [...origins, ...(article.url ? [article.url] : [])]) this.statements.upsertOrigin.run(key, plan.articleId);
    this.articleCache.delete(plan.articleId);
    const change: OwnChange = {
      passages: passages.map((passage, ordinal) => ({
        label: firstLabel + ordinal,
        text: passage.text,
        section: passage.section ?? '',
        title: meta.title,
        vector: vectors[ordinal]!,
      })),
    };
    return { result: { action: previous ? 'update' : 'add', articleId: plan.articleId, chunks: passages.length }, own: { seq, change } };
  }

  private readArticle(id: string): StoredArticle | undefined {
    // A cached article is the version the indexes publish when its first label is theirs (labels
    // are never reused, so a label names a version): no database read. Checking the version in the
    // database instead (one small read per article) was a tenth of the main thread's time with
    // four searchers and two chatters at 100k passages (profiled): a chat reads its ~120
    // candidates' articles. The database can be ahead of the indexes only by another process's
    // changes not yet applied (at most a second), during which this answers the version searches
    // still find. This process's own writes drop the entry (see writeUpsert).
    // (A version without passages takes no label, so it does not name one.)
    const cached = this.articleCache.get(id);
    const published = this.index.articles.get(id);
    if (cached && published && published.passages > 0 && cached.firstLabel === published.firstLabel) return cached.article;
    const row = this.statements.articleHeadById.get(id) as ArticleHeadRow | undefined;
    if (!row) return undefined;
    const article = decodeArticle(row, this.contentSource);
    this.articleCache.set(id, { firstLabel: row.first_label, article });
    return article;
  }

  /**
   * A passage as read (call inside the read transaction `texts` belongs to), kept by label for later
   * reads (a label's passage never changes), frozen since its table is every reader's. Its text
   * holds its span of the article's text alone (see ArticleTexts.span).
   */
  private passageOf(row: PassageRow, texts: ArticleTexts): Passage {
    const cached = this.passages.get(row.label);
    if (cached) return cached;
    const passage = frozenPassage(toPassage(row, row.own_text ?? texts.span(row)));
    this.passages.set(row.label, passage);
    return passage;
  }

  /**
   * A passage's text, not kept: for indexing another process's change (searches have not asked for
   * it, and a bulk ingest would push out what they read) and for keeping a removed passage's text.
   */
  private passageText(row: PassageRow, texts: ArticleTexts): string {
    if (row.own_text !== null) return row.own_text;
    return this.passages.text(row.label) ?? texts.span(row);
  }

  /** An article's current sections and references (call inside a read transaction); kept while `bodyCacheChars` allows. */
  private articleBody(id: string): ArticleBody | undefined {
    const seq = this.statements.articleSeq.pluck().get(id) as number | undefined;
    if (seq === undefined) return undefined;
    const cached = this.bodies.get(id);
    if (cached && cached.seq === seq) return cached.body;
    const text = this.articleText(id);
    const blob = this.statements.articleBody.pluck().get(id) as Buffer | undefined;
    if (text === undefined || blob === undefined) return undefined;
    const body = decodeBody(text, blob);
    this.bodies.set(id, { seq, body, chars: text.length });
    return body;
  }

  private deletedMeanwhile(id: string): never {
    throw new AppError('not_found', `The article "${id}" was deleted while it was being read.`);
  }

  private ensureOpen(): void {
    if (this.closed) throw new AppError('internal', 'The knowledge store is closed: read the article again from an open one.');
  }

  /** An article's current text (call inside a read transaction); long ones are kept (see `longArticleChars`) when `keep`. */
  private articleText(id: string, keep = true): string | undefined {
    const content = this.articleContent(id, keep);
    return typeof content === 'string' || content === undefined ? content : content.toString('utf8');
  }

  /**
   * An article's current text to cut passages from (call inside a read transaction): a long one
   * decoded whole and kept (see `longArticleChars`) when `keep`, a shorter one as its UTF-8 bytes,
   * of which a passage decodes its own span alone (see ArticleTexts.span).
   */
  private articleContent(id: string, keep: boolean): string | Buffer | undefined {
    const cached = this.longArticleTexts.get(id);
    if (cached) {
      const seq = this.statements.articleSeq.pluck().get(id) as number | undefined;
      if (seq === undefined) return undefined;
      if (cached.seq === seq) return cached.text;
    }
    // One read for the version and the text: most texts are not kept, so there is nothing to check first.
    const row = this.statements.articleSeqText.get(id) as { seq: number; text: Buffer } | undefined;
    if (!row) return undefined;
    const bytes = inflateText(row.text);
    // A text has at least as many UTF-8 bytes as UTF-16 units: fewer bytes than the threshold, never kept.
    if (bytes.length < this.tuning.longArticleChars) return bytes;
    const text = bytes.toString('utf8');
    if (keep && text.length >= this.tuning.longArticleChars) this.longArticleTexts.set(id, { seq: row.seq, text });
    return text;
  }

  /** Before an article's current passages are marked removed, each gets its own copy of its text (the article's is replaced). */
  private keepRemovedText(articleId: string): void {
    const texts = new ArticleTexts((id) => this.articleContent(id, false));
    for (const row of this.statements.passagesOfArticle.all(articleId) as PassageRow[]) {
      if (row.own_text === null) this.statements.setOwnText.run(this.passageText(row, texts), row.label);
    }
  }

  /**
   * Indexes one change's passages, still invisible to searches (`publishChange` shows them).
   * Another process's passages go to the graph in the background: searches meanwhile do not wait
   * for their inserts, and the caller settles the graph before publishing them. (This process's
   * own changes do not: an upload answers once it is searchable, and a bulk ingest keeps storing
   * while the graph thread inserts what it stored before.)
   */
  private async indexChange(change: ChangeRow): Promise<IndexedChange> {
    const meta = change.meta === null ? null : ArticleMetaSchema.parse(JSON.parse(change.meta));
    const own = this.ownChanges.get(change.seq);
    this.ownChanges.delete(change.seq);
    const background = own === undefined;
    if (!meta) return { change, meta, background, passages: 0 };
    // Another process's change: its article's text is decoded once and not cached (a bulk ingest
    // beside the server would push out the texts searches read).
    const texts = new ArticleTexts((id) => this.articleContent(id, false));
    const added: IndexedPassage[] =
      own?.passages ??
      this.db.transaction(() =>
        (this.statements.addedPassages.all(change.seq) as (PassageRow & { vector: Buffer })[]).map((row) => ({
          label: row.label,
          text: this.passageText(row, texts),
          section: row.section ?? '',
          title: meta.title,
          vector: vectorFromBlob(row.vector),
        })),
      )();
    // A graph on its own thread takes inserts up to a bounded queue: past it, wait for it.
    await this.index.vectors.ready();
    for (const passage of added) {
      this.index.indexPassage(passage, { background });
      await this.yieldWhenSliceIsUp(background);
    }
    this.indexedSinceSnapshot += added.length;
    return { change, meta, background, passages: added.length };
  }

  /** Makes an indexed change visible (its graph inserts must be applied: see `indexChange`). */
  private publishChange({ change, meta }: IndexedChange): void {
    const removed = this.statements.removedPassages.all(change.seq) as { label: number; text: string }[];
    this.index.publish(change.seq, change.article_id, meta, new Map(removed.map((row) => [row.label, row.text])));
  }

  /**
   * Lets the event loop run once the current slice of index work has taken `sliceMs`. The clock
   * runs across passages and changes: a refresh that applies another process's bulk ingest (256
   * articles of ten passages per read) held the loop for 500 ms when it restarted with each article.
   */
  private async yieldWhenSliceIsUp(background: boolean): Promise<void> {
    if (performance.now() - this.sliceStarted < (background ? this.tuning.backgroundSliceMs : this.tuning.sliceMs)) return;
    await (background ? idleTurn(this.tuning.backgroundWaitMs) : nextTurn());
    this.sliceStarted = performance.now();
  }

  private shouldSnapshot(): boolean {
    return this.indexedSinceSnapshot >= Math.max(this.tuning.snapshotMinPassages, this.tuning.snapshotShare * this.index.passages);
  }

  /** Saves the indexes (runs as an index task: nothing changes them meanwhile), then drops what it makes unneeded. */
  private async snapshot(): Promise<void> {
    const name = await writeSnapshot(this.indexDir, this.index, this.embedder);
    const seq = this.index.appliedSeq;
    const cutoff = this.now().getTime() - this.tuning.purgeAfterMs;
    this.db
      .transaction(() => {
        const current = SnapshotPointerSchema.safeParse(JSON.parse(String(this.statements.metaValue.pluck().get('snapshot') ?? 'null')));
        if (current.success && current.data.seq > seq) return;
        this.statements.setMeta.run('snapshot', JSON.stringify({ seq, name }));
        this.statements.purgeRemoved.run(seq, cutoff);
      })
      .immediate();
    this.indexedSinceSnapshot = 0;
    const pointer = SnapshotPointerSchema.safeParse(JSON.parse(String(this.statements.metaValue.pluck().get('snapshot') ?? 'null')));
    await removeOldSnapshots(this.indexDir, pointer.success ? pointer.data.name : name, this.tuning.purgeAfterMs);
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }

  private assertOpen(): void {
    if (this.closed) throw new AppError('internal', 'The knowledge store is closed.');
  }
}

/** Labels per `IN (…)` read of stored vectors. */

const SnapshotPointerSchema = z.object({ seq: z.number().int().nonnegative(), name: z.string() });

function prepareStatements(db: Database.Database) {
  return {
    metaValue: db.prepare('SELECT value FROM meta WHERE key = ?'),
    setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
    articleById: db.prepare('SELECT id, content_hash, seq, first_label, passages, head, text, body FROM articles WHERE id = ?'),
    articleSeq: db.prepare('SELECT seq FROM articles WHERE id = ?'),
    articleSeqText: db.prepare('SELECT seq, text FROM articles WHERE id = ?'),
    articleHeadById: db.prepare('SELECT id, first_label, passages, head FROM articles WHERE id = ?'),
    articleBody: db.prepare('SELECT body FROM articles WHERE id = ?'),
    articleByHash: db.prepare('SELECT id, head FROM articles WHERE content_hash = ? LIMIT 1'),
    originOwner: db.prepare('SELECT article_id FROM origins WHERE origin = ?'),
    articlesFromOrigin: db.prepare('SELECT DISTINCT article_id FROM origins WHERE origin >= ? AND origin < ?'),
    upsertOrigin: db.prepare('INSERT INTO origins (origin, article_id) VALUES (?, ?) ON CONFLICT(origin) DO UPDATE SET article_id = excluded.article_id'),
    deleteOrigins: db.prepare('DELETE FROM origins WHERE article_id = ?'),
    upsertArticle: db.prepare(
      `INSERT INTO articles (id, content_hash, seq, first_label, passages, head, text, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET content_hash = excluded.content_hash, seq = excluded.seq, first_label = excluded.first_label,
         passages = excluded.passages, head = excluded.head, text = excluded.text, body = excluded.body`,
    ),
    updateHead: db.prepare('UPDATE articles SET head = ? WHERE id = ?'),
    deleteArticle: db.prepare('DELETE FROM articles WHERE id = ?'),
    insertChange: db.prepare('INSERT INTO changes (article_id, meta) VALUES (?, ?)'),
    insertPassage: db.prepare(
      `INSERT INTO passages (label, article_id, ordinal, section, page, table_json, span_start, span_length, own_text, vector, added_seq)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    setOwnText: db.prepare('UPDATE passages SET own_text = ? WHERE label = ?'),
    markRemoved: db.prepare('UPDATE passages SET removed_seq = ?, removed_at = ? WHERE article_id = ? AND removed_seq IS NULL'),
    passageByOrdinal: db.prepare(`SELECT ${PASSAGE_COLUMNS} FROM passages WHERE article_id = ? AND ordinal = ? AND removed_seq IS NULL`),
    passagesOfArticle: db.prepare(`SELECT ${PASSAGE_COLUMNS} FROM passages WHERE article_id = ? AND removed_seq IS NULL ORDER BY ordinal`),
    changesAfter: db.prepare('SELECT seq, article_id, meta FROM changes WHERE seq > ? ORDER BY seq LIMIT ?'),
    addedPassages: db.prepare(`SELECT ${PASSAGE_COLUMNS}, vector FROM passages WHERE added_seq = ? ORDER BY label`),
    removedPassages: db.prepare('SELECT label, own_text AS text FROM passages WHERE removed_seq = ?'),
    articlesAt: db.prepare(
      `SELECT c.meta FROM changes c JOIN (SELECT article_id, max(seq) AS seq FROM changes WHERE seq <= ? GROUP BY article_id) last
       ON c.seq = last.seq WHERE c.meta IS NOT NULL`,
    ),
    purgeRemoved: db.prepare('DELETE FROM passages WHERE removed_seq <= ? AND removed_at < ?'),
  };
}

/** The indexes as of the latest snapshot (or empty); `refresh` then applies the newer changes. */
async function loadSearchIndex(db: Database.Database, options: EmbeddedStoreOptions): Promise<SearchIndex> {
  const graphs = options.vectorGraphs ?? inlineVectorGraphs;
  const pointer = SnapshotPointerSchema.safeParse(JSON.parse(String(db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get('snapshot') ?? 'null')));
  if (pointer.success) {
    const articlesAt = prepareStatements(db).articlesAt;
    const loaded = await readSnapshot(
      options.indexDir,
      pointer.data.name,
      options.embedder,
      (seq) => (articlesAt.all(seq) as { meta: string }[]).map((row) => ArticleMetaSchema.parse(JSON.parse(row.meta))),
      graphs,
    );
    if (loaded) return loaded;
  }
  // Without a snapshot every change is replayed from the start.
  return SearchIndex.empty(await graphs.create(options.embedder.dim, options.vectorParameters ?? {}));
}

function assertEmbedder(db: Database.Database, embedder: EmbedderInfo, where: string): void {
  const stored = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get('embedder') as string | undefined;
  if (stored === undefined) {
    db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('embedder', JSON.stringify(embedder));
    return;
  }
  const built = z.object({ id: z.string(), dim: z.number() }).parse(JSON.parse(stored));
  if (built.id === embedder.id && built.dim === embedder.dim) return;
  throw new AppError(
    'embedder_mismatch',
    `The knowledge base in ${where} was built with the embedder ${built.id} (${built.dim} dimensions), but the copilot is configured ` +
      `to use ${embedder.id} (${embedder.dim} dimensions). Either set COPILOT_EMBEDDINGS back to the embedder that built it, or rebuild: ` +
      `move that folder away and run \`npm run ingest -- <your article folders>\` (npm start re-ingests the sample corpus into an empty index).`,
  );
}

/** Error messages name the folder, never its absolute path (they reach HTTP clients and logs). */
function describeFolder(indexDir: string): string {
  return `the folder "${basename(indexDir)}" (COPILOT_INDEX_DIR)`;
}

function vectorFromBlob(blob: Buffer): Float32Array {
  // Copy: the blob's memory is not guaranteed to be 4-byte aligned.
  const vector = new Float32Array(blob.byteLength / 4);
  new Uint8Array(vector.buffer).set(blob);
  return vector;
}

/** Article texts one read transaction inflated, so that several passages of an article inflate it once. */
class ArticleTexts {
  private readonly texts = new Map<string, string | Buffer | undefined>();
  /** Texts that are not ASCII and already gave a span from their bytes (see span). */
  private readonly walked = new Set<string>();
  constructor(private readonly read: (articleId: string) => string | Buffer | undefined) {}

  /** A passage's span of its article's text, holding nothing else (it may be kept). */
  span(row: PassageRow): string {
    const start = row.span_start ?? 0;
    const length = row.span_length ?? 0;
    const id = row.article_id;
    const content = this.of(id) ?? '';
    if (typeof content === 'string') return ownCopy(content.slice(start, start + length));
    // An ASCII text's spans are cut from its bytes. Any other text's bytes are walked to its first
    // span only, then it is decoded whole for the rest: walking to each of many spans (a whole
    // article's passages) would cost more than decoding it once.
    if (!this.walked.has(id)) {
      const span = decodeUtf8Span(content, start, length);
      if (span !== undefined) {
        if (!isAscii(content)) this.walked.add(id);
        return span;
      }
    }
    const text = content.toString('utf8');
    this.texts.set(id, text);
    return ownCopy(text.slice(start, start + length));
  }

  private of(articleId: string): string | Buffer | undefined {
    if (!this.texts.has(articleId)) this.texts.set(articleId, this.read(articleId));
    return this.texts.get(articleId);
  }
}

/**
 * A copy of a string that holds nothing else: V8 makes a slice of 13 or more characters a view of
 * its parent, so a cached passage would keep its whole article text alive. Prepending a character
 * makes a rope that slicing flattens into a new string (measured: 5,000 300-character spans of
 * 10 KB texts kept 61 MB as slices, 1.7 MB as copies; 93 ns per copy).
 */
export function ownCopy(text: string): string {
  return ` ${text}`.slice(1);
}

/** The passage, its table and the table's rows frozen: a cached passage's table is every reader's. */
function frozenPassage(passage: Passage): Passage {
  if (passage.table) {
    for (const row of passage.table.rows) Object.freeze(row);
    Object.freeze(passage.table.rows);
    Object.freeze(passage.table);
  }
  return Object.freeze(passage);
}

function toPassage(row: PassageRow, text: string): Passage {
  return {
    id: passageId(row.article_id, row.ordinal),
    articleId: row.article_id,
    ordinal: row.ordinal,
    ...(row.section !== null ? { section: row.section } : {}),
    text,
    ...(row.page !== null ? { page: row.page } : {}),
    ...(row.table_json !== null ? { table: TableDataSchema.parse(JSON.parse(row.table_json)) } : {}),
  };
}
