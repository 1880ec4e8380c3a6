import { createHash } from 'node:crypto';
import pg from 'pg';
import { z } from 'zod';
import { AppError } from '../../lib/errors.ts';
import { computeContentHash } from '../content-hash.ts';
import { LEXICAL_DEFAULTS } from '../lexical-index.ts';
import type {
  ArticleListQuery,
  ArticleTitle,
  KnowledgeStore,
  LexicalHit,
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
import { StoredArticleSchema, type EmbedderInfo, type ParsedArticle, type StoredArticle } from '../types.ts';
import { describeConnection, missingVectorExtension, passwordOf, toAppError } from './database-errors.ts';
import { normalizeCompany, normalizeTag, normalizeTicker } from '../store-filter.ts';
import { buildFilterCondition } from './filter-sql.ts';
import { mergeQueryTerms, planLexicalTerms, type LexiconEntry } from './lexical-plan.ts';
import { BM25_INDEX, applyMigrations, prepareLexicalEngine, vectorIndexExpression, type LexicalEngine } from './migrations.ts';
import { computePassageTerms, sumLexiconDeltas, type LexiconDelta } from './passage-terms.ts';
import { StoredSectionsSchema, compactSections, expandSections, locateCodePointSpans } from '../text-spans.ts';

export const POSTGRES_DEFAULTS = {
  /** Connections per copilot server when the store makes its own pool. */
  poolSize: 10,
  /**
   * HNSW search beam (`hnsw.ef_search`, raised to k when k is larger): 100 up to 10k passages, then
   * widening as (passages / 10k) ^ efSearchGrowth, since recall at a given beam falls as the graph
   * grows. Measured with `npm run bench -- --steps pgvector` (m 16, ef_construction 64, generated
   * passages, recall@8 against exact): at 10k 0.934 / 0.981 / 0.992 at ef_search 40 / 100 / 200;
   * at 100k 0.949 / 0.967 / 0.976 / 0.986 at 100 / 150 / 200 / 300 (the store's 100 gave 0.952
   * in the store bench); at 300k 0.959 / 0.975 / 0.985 at 200 / 300 / 400. A growth of 0.32 gives
   * 209 at 100k and 297 at 300k, each clearing 0.97 (437 at 1M, extrapolated).
   */
  efSearch: 100,
  efSearchAtSize: 10_000,
  efSearchGrowth: 0.32,
  /** Passages per INSERT statement (bind parameters stay far below Postgres' 65,535). */
  insertBatch: 200,
  /** With a BM25 index extension: candidates it picks per wanted hit (then scored exactly), and at least. */
  extensionCandidatesPerHit: 4,
  extensionMinCandidates: 200,
};

export interface PostgresStoreOptions {
  /** Which embedder builds the vectors; a database built by another one refuses to open. */
  embedder: EmbedderInfo;
  /** A `postgres://` URL (DATABASE_URL); the store makes and owns a pool. */
  connectionString?: string;
  /** Or a pool the caller owns (the store never ends it). */
  pool?: pg.Pool;
  /**
   * Pick lexical candidates with a BM25 index extension (pg_textsearch) when the server has one
   * (default: detect at start); `false` keeps the SQL engine, `true` requires the extension.
   */
  bm25Extension?: boolean;
  /** Connections in the store's own pool (PGlite serves one). */
  poolSize?: number;
  now?: () => Date;
  /** A fixed search beam instead of one that widens with the passages (a benchmark sweep). */
  efSearch?: number;
}

/**
 * Opens the Postgres knowledge store: connects, applies pending migrations, and checks that the
 * database was built by the same embedder. Many copilot servers may open the same database.
 */
export async function createPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  if (!options.pool && !options.connectionString) {
    throw new AppError('bad_request', 'The Postgres store needs a connection: set DATABASE_URL to postgres://user:password@host:5432/database.');
  }
  const where = options.connectionString ? describeConnection(options.connectionString) : 'the given pool';
  const secrets = passwordOf(options.connectionString);
  const ownPool = !options.pool;
  const pool = options.pool ?? new pg.Pool({ connectionString: options.connectionString, max: options.poolSize ?? POSTGRES_DEFAULTS.poolSize });
  // An idle client's error (the server restarted) must not crash the process; the next query reconnects.
  if (ownPool) pool.on('error', () => undefined);
  let lexicalEngine: LexicalEngine;
  try {
    const client = await pool.connect();
    try {
      await createVectorExtension(client, where);
      await applyMigrations(client, { dimensions: options.embedder.dim });
      await claimEmbedder(client, options.embedder, where);
      lexicalEngine = await prepareLexicalEngine(client, options.bm25Extension);
    } finally {
      client.release();
    }
  } catch (error) {
    if (ownPool) await pool.end().catch(() => undefined);
    throw toAppError(error, 'open the knowledge store', where, secrets);
  }
  return new PostgresStore(pool, ownPool, options, { where, secrets, lexicalEngine });
}

async function createVectorExtension(client: pg.PoolClient, where: string): Promise<void> {
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS vector');
  } catch (error) {
    throw missingVectorExtension(where, error);
  }
}

async function claimEmbedder(client: pg.PoolClient, embedder: EmbedderInfo, where: string): Promise<void> {
  await client.query('INSERT INTO corpus (embedder_id, embedder_dimensions) VALUES ($1, $2) ON CONFLICT (singleton) DO NOTHING', [embedder.id, embedder.dim]);
  const { rows } = await client.query<{ embedder_id: string; embedder_dimensions: number }>('SELECT embedder_id, embedder_dimensions FROM corpus');
  const built = rows[0]!;
  if (built.embedder_id === embedder.id && Number(built.embedder_dimensions) === embedder.dim) return;
  throw new AppError(
    'embedder_mismatch',
    `The knowledge base in Postgres at ${where} was built with the embedder ${built.embedder_id} (${built.embedder_dimensions} dimensions), but the copilot ` +
      `is configured to use ${embedder.id} (${embedder.dim} dimensions). Either set COPILOT_EMBEDDINGS back to the embedder that built it, or point ` +
      'DATABASE_URL at a new, empty database and re-ingest with `npm run ingest -- <your article folders>`.',
  );
}

interface ArticleRow {
  id: string;
  content_hash: string;
  title: string;
  body: string;
  sections: unknown;
  published: string | null;
  source: string | null;
  url: string | null;
  tags: string[];
  tickers: string[];
  origins: string[];
  details: unknown;
  ingested_at: Date;
  chunk_ids: string[];
}

interface PassageRow {
  id: string;
  article_id: string;
  ordinal: number;
  section: string | null;
  page: number | null;
  table_data: unknown;
  text: string;
}

const ARTICLE_COLUMNS = `a.id, a.content_hash, a.title, a.body, a.sections, a.published, a.source, a.url, a.tags, a.tickers, a.origins, a.details,
  a.ingested_at, ARRAY(SELECT c.id FROM passages c WHERE c.article_id = a.id ORDER BY c.ordinal) AS chunk_ids`;

// The text of a passage: its own copy, or its span of the article body (1-based, in characters).
const PASSAGE_COLUMNS = `p.id, p.article_id, p.ordinal, p.section, p.page, p.table_data,
  COALESCE(p.own_text, substr(a.body, p.span_start + 1, p.span_length)) AS text`;

/** The fields of a parsed article that have no column of their own. */
const DetailsSchema = z.object({
  sentiment: z.string().optional(),
  language: z.string().optional(),
  references: z.array(z.unknown()),
  financial: z.unknown().optional(),
  author: z.string().optional(),
  pages: z.number().optional(),
});

export class PostgresStore implements KnowledgeStore {
  readonly backend = 'postgres';
  readonly embedder: EmbedderInfo;
  /** How lexical search picks candidates (reported by the benchmark): detected at start. */
  readonly lexicalEngine: LexicalEngine;
  private readonly pool: pg.Pool;
  private readonly ownPool: boolean;
  private readonly now: () => Date;
  private readonly efSearch: number | undefined;
  private readonly where: string;
  private readonly secrets: string[];
  private readonly vector: ReturnType<typeof vectorIndexExpression>;
  private closed = false;

  constructor(pool: pg.Pool, ownPool: boolean, options: PostgresStoreOptions, context: { where: string; secrets: string[]; lexicalEngine: LexicalEngine }) {
    this.pool = pool;
    this.ownPool = ownPool;
    this.embedder = { id: options.embedder.id, dim: options.embedder.dim };
    this.now = options.now ?? (() => new Date());
    this.efSearch = options.efSearch;
    this.where = context.where;
    this.secrets = context.secrets;
    this.lexicalEngine = context.lexicalEngine;
    this.vector = vectorIndexExpression(this.embedder.dim);
  }

  async stats(): Promise<{ articles: number; chunks: number }> {
    const rows = await this.query<{ articles: number; passages: number }>(
      'read the store size',
      'SELECT articles::int AS articles, passages::int AS passages FROM corpus',
    );
    return { articles: rows[0]?.articles ?? 0, chunks: rows[0]?.passages ?? 0 };
  }

  async version(): Promise<number> {
    const rows = await this.query<{ version: string }>('read the store version', 'SELECT version FROM corpus');
    return Number(rows[0]?.version ?? 0);
  }

  async getArticle(id: string): Promise<StoredArticle | undefined> {
    const rows = await this.query<ArticleRow>('read an article', `SELECT ${ARTICLE_COLUMNS} FROM articles a WHERE a.id = $1`, [id]);
    return rows[0] ? this.toArticle(rows[0]) : undefined;
  }

  async listArticles(query: ArticleListQuery = {}): Promise<{ articles: StoredArticle[]; total: number }> {
    const params: unknown[] = [];
    const filter = buildFilterCondition(query.filter, params);
    const conditions = [filter.sql];
    const needle = query.q?.trim().toLowerCase();
    if (needle) {
      params.push(needle);
      const bound = `$${params.length}::text`;
      conditions.push(
        `(strpos(lower(a.title), ${bound}) > 0 OR strpos(lower(coalesce(a.source, '')), ${bound}) > 0
          OR EXISTS (SELECT 1 FROM unnest(a.tags || a.tickers) AS field WHERE strpos(lower(field), ${bound}) > 0))`,
      );
    }
    // The filter may name passages (articleIds reads p.article_id): alias the article id for it.
    const from = `articles a CROSS JOIN LATERAL (SELECT a.id AS article_id) p`;
    const where = conditions.join(' AND ');
    const total = await this.query<{ total: number }>('count articles', `SELECT count(*)::int AS total FROM ${from} WHERE ${where}`, params);
    params.push(Math.max(0, query.offset ?? 0));
    const offset = `$${params.length}::int`;
    params.push(query.limit ?? null);
    const limit = `$${params.length}::int`;
    // Newest first, undated last, then by title: the embedded store's order.
    const rows = await this.query<ArticleRow>(
      'list articles',
      `SELECT ${ARTICLE_COLUMNS} FROM ${from} WHERE ${where}
        ORDER BY coalesce(a.published, '') DESC, a.title, a.id OFFSET ${offset} LIMIT ${limit}`,
      params,
    );
    return { articles: rows.map((row) => this.toArticle(row)), total: total[0]?.total ?? 0 };
  }

  async articleTitles(): Promise<ArticleTitle[]> {
    return this.query<ArticleTitle>('read article titles', 'SELECT id, title FROM articles ORDER BY id');
  }

  async articlesFromOrigin(prefix: string): Promise<StoredArticle[]> {
    const rows = await this.query<ArticleRow>(
      'list articles by origin',
      `SELECT ${ARTICLE_COLUMNS} FROM articles a WHERE EXISTS (SELECT 1 FROM unnest(a.origins) AS origin WHERE starts_with(origin, $1))
        ORDER BY coalesce(a.published, '') DESC, a.title, a.id`,
      [prefix],
    );
    return rows.map((row) => this.toArticle(row));
  }

  async getPassages(ids: string[]): Promise<Passage[]> {
    if (ids.length === 0) return [];
    const rows = await this.query<PassageRow>(
      'read passages',
      `SELECT ${PASSAGE_COLUMNS} FROM passages p JOIN articles a ON a.id = p.article_id WHERE p.id = ANY($1::text[])`,
      [ids],
    );
    const byId = new Map(rows.map((row) => [row.id, toPassage(row)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  async passagesOf(articleId: string): Promise<Passage[]> {
    const rows = await this.query<PassageRow>(
      'read an article’s passages',
      `SELECT ${PASSAGE_COLUMNS} FROM passages p JOIN articles a ON a.id = p.article_id WHERE p.article_id = $1 ORDER BY p.ordinal`,
      [articleId],
    );
    return rows.map(toPassage);
  }

  async similaritiesOf(passageIds: string[], vector: Float32Array): Promise<Map<string, number>> {
    if (passageIds.length === 0) return new Map();
    if (vector.length !== this.embedder.dim) {
      throw new AppError('embedder_mismatch', `A ${vector.length}-dimensional query vector cannot score a store of ${this.embedder.dim}-dimensional vectors.`);
    }
    // Computed in the database: a row's vector as text is the largest thing a query could send back.
    const rows = await this.query<{ id: string; similarity: number | null }>(
      'score passages against a vector',
      'SELECT id, (1 - (embedding <=> $2::vector))::float8 AS similarity FROM passages WHERE id = ANY($1::text[])',
      [passageIds, formatVector(vector)],
    );
    // pgvector's cosine distance to a zero vector is NaN: 0, as cosine() gives.
    return new Map(rows.map((row) => [row.id, Number.isFinite(Number(row.similarity)) ? Number(row.similarity) : 0]));
  }

  async planUpsert(article: ParsedArticle, origin?: string): Promise<UpsertPlan> {
    const contentHash = computeContentHash(article);
    const same = await this.query<{ id: string; origins: string[] }>(
      'look up an article by content',
      'SELECT id, origins FROM articles WHERE content_hash = $1',
      [contentHash],
    );
    if (same[0]) {
      const known = origin === undefined || same[0].origins.includes(origin);
      return { action: known ? 'skip' : 'duplicate', articleId: same[0].id, contentHash, ...(origin === undefined ? {} : { origin }) };
    }
    for (const key of [origin, article.url].filter((value): value is string => Boolean(value))) {
      const existing = await this.query<{ id: string }>(
        'look up an article by origin',
        'SELECT id FROM articles WHERE $1 = ANY(origins) OR url = $1 ORDER BY id LIMIT 1',
        [key],
      );
      if (existing[0]) return { action: 'update', articleId: existing[0].id, contentHash, ...(origin === undefined ? {} : { origin }) };
    }
    const articleId = await this.newArticleId(origin ?? article.url ?? `content:${contentHash}`);
    return { action: 'add', articleId, contentHash, ...(origin === undefined ? {} : { origin }) };
  }

  async upsert(plan: UpsertPlan, article: ParsedArticle, passages: PassageInput[], vectors: Float32Array[]): Promise<UpsertResult> {
    if (plan.action === 'add' || plan.action === 'update') {
      if (passages.length !== vectors.length) throw new AppError('internal', `Got ${vectors.length} vectors for ${passages.length} passages.`);
      for (const vector of vectors) {
        if (vector.length !== this.embedder.dim) {
          throw new AppError('embedder_mismatch', `Embedder produced ${vector.length}-dimensional vectors; the store expects ${this.embedder.dim}.`);
        }
      }
    }
    return this.transaction('store an article', async (client) => {
      if (plan.action === 'skip' || plan.action === 'duplicate') return this.addOrigin(client, plan);
      const same = await client.query<{ id: string }>('SELECT id FROM articles WHERE content_hash = $1', [plan.contentHash]);
      if (same.rows[0]) return { action: 'skip', articleId: same.rows[0].id, chunks: 0 };

      const previous = await client.query<{ origins: string[] }>('SELECT origins FROM articles WHERE id = $1 FOR UPDATE', [plan.articleId]);
      const previousOrigins = previous.rows[0]?.origins;
      if (previousOrigins) await this.removePassages(client, plan.articleId);
      const origins = [...new Set([...(previousOrigins ?? []), ...(plan.origin ? [plan.origin] : [])])];
      await this.writeArticle(client, plan, article, origins, previousOrigins !== undefined);
      await this.insertPassages(client, plan.articleId, article, passages, vectors);
      await client.query('UPDATE corpus SET articles = articles + $1, version = version + 1', [previousOrigins ? 0 : 1]);
      return { action: previousOrigins ? 'update' : 'add', articleId: plan.articleId, chunks: passages.length };
    });
  }

  async deleteArticle(id: string): Promise<boolean> {
    return this.transaction('delete an article', async (client) => {
      const found = await client.query('SELECT 1 FROM articles WHERE id = $1 FOR UPDATE', [id]);
      if (found.rowCount === 0) return false;
      await this.removePassages(client, id);
      await client.query('DELETE FROM articles WHERE id = $1', [id]);
      await client.query('UPDATE corpus SET articles = articles - 1, version = version + 1');
      return true;
    });
  }

  async vectorSearch(vector: Float32Array, k: number, filter?: StoreFilter): Promise<VectorHit[]> {
    if (vector.length !== this.embedder.dim) {
      throw new AppError('embedder_mismatch', `A ${vector.length}-dimensional query vector cannot search a store of ${this.embedder.dim}-dimensional vectors.`);
    }
    const limit = Math.max(0, Math.floor(k));
    if (limit === 0 || !vector.some((value) => value !== 0)) return [];
    const params: unknown[] = [formatVector(vector)];
    const condition = buildFilterCondition(filter, params);
    params.push(limit);
    const join = condition.needsArticles ? 'JOIN articles a ON a.id = p.article_id' : '';
    const distance = `${this.vector.expression.replace('embedding', 'p.embedding')} <=> $1::${this.vector.cast}`;
    const sql = `SELECT p.id, (1 - (${distance}))::float8 AS similarity FROM passages p ${join}
      WHERE ${condition.sql} ORDER BY ${distance} LIMIT $${params.length}::int`;
    return this.transaction('search vectors', async (client) => {
      // Iterative scans keep walking the graph until k passages pass the filter (pgvector ≥ 0.8),
      // so a selective filter does not starve the result; strict order keeps distances sorted.
      // The beam follows the passages the database holds (read in the same statement).
      await client.query(
        `SELECT set_config('hnsw.ef_search', greatest($1::int, ${this.efSearch === undefined ? BEAM_SQL : '$2::int'})::text, true),
          set_config('hnsw.iterative_scan', 'strict_order', true)`,
        this.efSearch === undefined ? [limit] : [limit, this.efSearch],
      );
      const { rows } = await client.query<{ id: string; similarity: number }>(sql, params);
      return rows.map((row) => ({ passageId: row.id, similarity: Number(row.similarity) }));
    });
  }

  async lexicalSearch(terms: WeightedQueryTerm[], k: number, filter?: StoreFilter, report: string[] = []): Promise<LexicalSearchResult> {
    const merged = mergeQueryTerms(terms);
    const reported = new Map<string, string[]>();
    if (merged.size === 0) return { hits: [], reported };
    const [lexicon, corpus] = await Promise.all([this.lexiconOf([...merged.keys()]), this.corpusCounts()]);
    const planned = planLexicalTerms(merged, lexicon, corpus.passages);
    if (planned.length === 0 || corpus.passages === 0) return { hits: [], reported };

    const searched = planned.map((term) => term.term);
    const hits = Math.floor(k) > 0 ? await this.scoreLexical(planned, corpus, Math.floor(k), filter) : [];
    const askFor = [...new Set(report)];
    if (askFor.length > 0) {
      const rows = await this.query<{ id: string; matched: string[] }>(
        'read matched terms',
        `SELECT p.id, ARRAY(SELECT q.term FROM unnest($2::text[]) WITH ORDINALITY AS q(term, position)
            WHERE q.term = ANY(p.terms) ORDER BY q.position) AS matched
          FROM passages p WHERE p.id = ANY($1::text[])`,
        [askFor, searched],
      );
      for (const row of rows) if (row.matched.length > 0) reported.set(row.id, row.matched);
    }
    return { hits, reported };
  }

  async termStatistics(terms: string[]): Promise<TermStatistics> {
    const unique = [...new Set(terms)];
    const [lexicon, corpus] = await Promise.all([this.lexiconOf(unique), this.corpusCounts()]);
    return { passages: corpus.passages, documentFrequency: new Map(unique.map((term) => [term, lexicon.get(term)?.passages ?? 0])) };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ownPool) await this.pool.end();
  }

  /**
   * BM25 in SQL over the stored lexemes: the GIN index on `terms` picks passages holding a
   * candidate-choosing term (or, with pg_textsearch, its BM25 index picks the best candidates),
   * and each is scored from its stored term weights with the embedded index's formula (BM25+ with
   * k1, b, delta), so both backends rank alike.
   */
  private async scoreLexical(
    planned: ReturnType<typeof planLexicalTerms>,
    corpus: { passages: number; totalLength: number },
    k: number,
    filter: StoreFilter | undefined,
  ): Promise<LexicalHit[]> {
    const { k1, b, delta } = LEXICAL_DEFAULTS;
    const params: unknown[] = [
      planned.map((term) => term.term),
      planned.map((term) => term.value),
      planned.filter((term) => !term.common).map((term) => term.term),
      k1,
      b,
      delta,
      corpus.totalLength / corpus.passages,
    ];
    const condition = buildFilterCondition(filter, params);
    const join = condition.needsArticles ? 'JOIN articles a ON a.id = p.article_id' : '';
    let candidates = 'p.terms && $3::text[]';
    if (this.lexicalEngine === 'pg_textsearch') {
      // The extension's index ranks by its own BM25 over the lexemes; its best few hundred become
      // the candidates. Scores of 0 are passages holding none of the terms.
      params.push(
        planned
          .filter((term) => !term.common)
          .map((term) => term.term)
          .join(' '),
      );
      const text = `$${params.length}::text`;
      params.push(Math.max(POSTGRES_DEFAULTS.extensionMinCandidates, k * POSTGRES_DEFAULTS.extensionCandidatesPerHit));
      candidates = `p.terms && $3::text[] AND p.seq IN (SELECT c.seq FROM (SELECT p.seq, p.lexemes <@> to_bm25query(${text}, '${BM25_INDEX}') AS distance
          FROM passages p ${join} WHERE ${condition.sql} ORDER BY 2 LIMIT $${params.length}::int) c WHERE c.distance < 0)`;
    }
    params.push(k);
    const sql = `SELECT p.id, s.score, s.matched
        FROM passages p ${join}
        CROSS JOIN LATERAL (
          SELECT sum(q.value * ((w.weight * ($4::float8 + 1)) / (w.weight + $4::float8 * (1 - $5::float8 + $5::float8 * p.token_count / $7::float8)) + $6::float8))::float8 AS score,
                 array_agg(q.term ORDER BY q.position) AS matched
          FROM unnest($1::text[], $2::float8[]) WITH ORDINALITY AS q(term, value, position)
          CROSS JOIN LATERAL (SELECT p.term_weights[array_position(p.terms, q.term)]::float8 AS weight) w
          WHERE w.weight IS NOT NULL
        ) s
        WHERE ${candidates} AND ${condition.sql}
        ORDER BY s.score DESC, p.seq
        LIMIT $${params.length}::int`;
    const rows = await this.transaction('search passages by words', async (client) => {
      // The planner prices `&&` on each row's term array far below its pairwise cost and often
      // scans the table; the GIN index was 3-6× faster at 2k passages (measured), so this one
      // query is told to avoid sequential scans.
      await client.query('SET LOCAL enable_seqscan = off');
      return (await client.query<{ id: string; score: number; matched: string[] }>(sql, params)).rows;
    });
    return rows.map((row) => ({ passageId: row.id, score: Number(row.score), matchedTerms: row.matched }));
  }

  private async lexiconOf(terms: string[]): Promise<Map<string, LexiconEntry>> {
    if (terms.length === 0) return new Map();
    const rows = await this.query<{ term: string; passages: number; postings: number }>(
      'read term statistics',
      'SELECT term, passages, postings FROM lexicon WHERE term = ANY($1::text[])',
      [terms],
    );
    return new Map(rows.map((row) => [row.term, { passages: Number(row.passages), postings: Number(row.postings) }]));
  }

  private async corpusCounts(): Promise<{ passages: number; totalLength: number }> {
    const rows = await this.query<{ passages: string; total_length: string }>('read corpus statistics', 'SELECT passages, total_length FROM corpus');
    return { passages: Number(rows[0]?.passages ?? 0), totalLength: Number(rows[0]?.total_length ?? 0) };
  }

  private async addOrigin(client: pg.PoolClient, plan: UpsertPlan): Promise<UpsertResult> {
    const found = await client.query<{ origins: string[]; chunks: number }>(
      'SELECT origins, (SELECT count(*)::int FROM passages WHERE article_id = $1) AS chunks FROM articles WHERE id = $1 FOR UPDATE',
      [plan.articleId],
    );
    const stored = found.rows[0];
    if (!stored) throw new AppError('conflict', `Article ${plan.articleId} disappeared while ingesting; retry.`);
    if (plan.origin && !stored.origins.includes(plan.origin)) {
      await client.query('UPDATE articles SET origins = array_append(origins, $2) WHERE id = $1', [plan.articleId, plan.origin]);
      await client.query('UPDATE corpus SET version = version + 1');
    }
    return { action: plan.action, articleId: plan.articleId, chunks: stored.chunks };
  }

  private async writeArticle(client: pg.PoolClient, plan: UpsertPlan, article: ParsedArticle, origins: string[], exists: boolean): Promise<void> {
    const { title, text, sections, published, source, url, tags, tickers, financial, sentiment, language, references, author, pages } = article;
    const details = { sentiment, language, references, financial, author, pages };
    const values = [
      plan.articleId,
      plan.contentHash,
      title,
      text,
      JSON.stringify(compactSections(text, sections)),
      published ?? null,
      source ?? null,
      url ?? null,
      tags,
      tickers,
      tags.map(normalizeTag),
      tickers.map(normalizeTicker),
      financial?.documentType ?? null,
      financial?.company ?? null,
      financial?.company ? normalizeCompany(financial.company) : null,
      origins,
      JSON.stringify(details),
      this.now().toISOString(),
    ];
    const columns =
      'id, content_hash, title, body, sections, published, source, url, tags, tickers, tag_keys, ticker_keys, document_type, company, company_key, origins, details, ingested_at';
    const placeholders = values.map((_, index) => `$${index + 1}`).join(', ');
    if (exists) {
      const assignments = columns
        .split(', ')
        .slice(1)
        .map((column, index) => `${column} = $${index + 2}`)
        .join(', ');
      await client.query(`UPDATE articles SET ${assignments} WHERE id = $1`, values);
    } else {
      await client.query(`INSERT INTO articles (${columns}) VALUES (${placeholders})`, values);
    }
  }

  private async insertPassages(
    client: pg.PoolClient,
    articleId: string,
    article: ParsedArticle,
    passages: PassageInput[],
    vectors: Float32Array[],
  ): Promise<void> {
    const spans = locateCodePointSpans(
      article.text,
      passages.map((passage) => passage.text),
    );
    const lexemes = passages.map((passage) => computePassageTerms(passage.text, passage.section ?? '', article.title));
    const rows = passages.map((passage, ordinal) => {
      const span = spans[ordinal];
      const terms = lexemes[ordinal]!;
      return [
        `${articleId}-${ordinal}`,
        articleId,
        ordinal,
        passage.section ?? null,
        passage.page ?? null,
        passage.table ? JSON.stringify(passage.table) : null,
        span?.start ?? null,
        span?.length ?? null,
        span ? null : passage.text,
        terms.terms,
        terms.weights,
        terms.textTerms,
        terms.length,
        formatVector(vectors[ordinal]!),
      ];
    });
    const columns =
      'id, article_id, ordinal, section, page, table_data, span_start, span_length, own_text, terms, term_weights, text_terms, token_count, embedding';
    const casts = ['text', 'text', 'int', 'text', 'int', 'jsonb', 'int', 'int', 'text', 'text[]', 'real[]', 'int', 'int', `vector(${this.embedder.dim})`];
    for (let start = 0; start < rows.length; start += POSTGRES_DEFAULTS.insertBatch) {
      const batch = rows.slice(start, start + POSTGRES_DEFAULTS.insertBatch);
      const tuples = batch.map((_, row) => `(${casts.map((cast, column) => `$${row * casts.length + column + 1}::${cast}`).join(', ')})`);
      await client.query(`INSERT INTO passages (${columns}) VALUES ${tuples.join(', ')}`, batch.flat());
    }
    if (this.lexicalEngine === 'pg_textsearch') {
      await client.query("UPDATE passages SET lexemes = array_to_string(terms, ' ') WHERE article_id = $1", [articleId]);
    }
    await applyLexiconDeltas(client, sumLexiconDeltas(lexemes, 1));
    const totalLength = lexemes.reduce((sum, terms) => sum + terms.length, 0);
    await client.query('UPDATE corpus SET passages = passages + $1, total_length = total_length + $2', [passages.length, totalLength]);
  }

  private async removePassages(client: pg.PoolClient, articleId: string): Promise<void> {
    const { rows } = await client.query<{ terms: string[]; text_terms: number; token_count: number }>(
      'DELETE FROM passages WHERE article_id = $1 RETURNING terms, text_terms, token_count',
      [articleId],
    );
    if (rows.length === 0) return;
    await applyLexiconDeltas(
      client,
      sumLexiconDeltas(
        rows.map((row) => ({ terms: row.terms, textTerms: Number(row.text_terms) })),
        -1,
      ),
    );
    const totalLength = rows.reduce((sum, row) => sum + Number(row.token_count), 0);
    await client.query('UPDATE corpus SET passages = passages - $1, total_length = total_length - $2', [rows.length, totalLength]);
  }

  /** Ids are 16 hex characters, as in the embedded store: a hash of the origin, salted on collision. */
  private async newArticleId(seed: string): Promise<string> {
    for (let salt = 0; ; salt += 1) {
      const id = createHash('sha256')
        .update(salt === 0 ? seed : `${seed}#${salt}`)
        .digest('hex')
        .slice(0, 16);
      const taken = await this.query('check an article id', 'SELECT 1 FROM articles WHERE id = $1', [id]);
      if (taken.length === 0) return id;
    }
  }

  private toArticle(row: ArticleRow): StoredArticle {
    const details = DetailsSchema.parse(row.details);
    const parsed = StoredArticleSchema.safeParse({
      id: row.id,
      contentHash: row.content_hash,
      title: row.title,
      text: row.body,
      sections: expandSections(row.body, StoredSectionsSchema.parse(row.sections)),
      ...(row.published === null ? {} : { published: row.published }),
      ...(row.source === null ? {} : { source: row.source }),
      ...(row.url === null ? {} : { url: row.url }),
      tags: row.tags,
      tickers: row.tickers,
      ...withoutUndefined(details),
      origins: row.origins,
      ingestedAt: new Date(row.ingested_at).toISOString(),
      chunkIds: row.chunk_ids,
    });
    if (!parsed.success) {
      throw new AppError('index_corrupt', `Article ${row.id} in Postgres at ${this.where} does not match this copilot's schema; re-ingest it.`);
    }
    return parsed.data;
  }

  private async query<Row extends pg.QueryResultRow>(doing: string, sql: string, params: unknown[] = []): Promise<Row[]> {
    this.assertOpen();
    try {
      return (await this.pool.query<Row>(sql, params)).rows;
    } catch (error) {
      throw toAppError(error, doing, this.where, this.secrets);
    }
  }

  private async transaction<T>(doing: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    this.assertOpen();
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw toAppError(error, doing, this.where, this.secrets);
    }
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw toAppError(error, doing, this.where, this.secrets);
    } finally {
      client.release();
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new AppError('internal', 'The Postgres knowledge store was used after close().');
  }
}

async function applyLexiconDeltas(client: pg.PoolClient, deltas: LexiconDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  const terms = deltas.map((delta) => delta.term);
  await client.query(
    `INSERT INTO lexicon (term, passages, postings)
      SELECT * FROM unnest($1::text[], $2::int[], $3::int[])
      ON CONFLICT (term) DO UPDATE SET passages = lexicon.passages + EXCLUDED.passages, postings = lexicon.postings + EXCLUDED.postings`,
    [terms, deltas.map((delta) => delta.passages), deltas.map((delta) => delta.postings)],
  );
  if (deltas.some((delta) => delta.postings < 0)) await client.query('DELETE FROM lexicon WHERE term = ANY($1::text[]) AND postings <= 0', [terms]);
}

function toPassage(row: PassageRow): Passage {
  return {
    id: row.id,
    articleId: row.article_id,
    ordinal: Number(row.ordinal),
    ...(row.section === null ? {} : { section: row.section }),
    text: row.text,
    ...(row.page === null ? {} : { page: Number(row.page) }),
    ...(row.table_data === null ? {} : { table: row.table_data as Passage['table'] }),
  };
}

/**
 * `efSearchFor(passages, POSTGRES_DEFAULTS)` in SQL, over the passages the `corpus` row counts (the
 * constants are ours, written in; a test checks both agree).
 */
export const BEAM_SQL = `(SELECT CASE WHEN n <= ${POSTGRES_DEFAULTS.efSearchAtSize} THEN ${POSTGRES_DEFAULTS.efSearch}
  ELSE ceil(${POSTGRES_DEFAULTS.efSearch} * power(n / ${POSTGRES_DEFAULTS.efSearchAtSize}, ${POSTGRES_DEFAULTS.efSearchGrowth}))::int END
  FROM (SELECT coalesce((SELECT passages FROM corpus LIMIT 1), 0)::float8 AS n) AS counted)`;

/** pgvector's text form; a float32 prints exactly, so a vector round-trips bit for bit. */
export function formatVector(vector: Float32Array): string {
  return `[${Array.from(vector).join(',')}]`;
}

function withoutUndefined<T extends Record<string, unknown>>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as Partial<T>;
}
