import { z } from 'zod';
import type { Chunk, EmbedderInfo, ParsedArticle, StoredArticle } from './types.ts';

/**
 * The one interface to the knowledge base. Retrieval, chat, research, the library routes and ingest
 * use this and nothing else: no backend labels, bitmasks, files or closures cross it, so the
 * embedded store and the Postgres store are interchangeable (one contract test suite runs against
 * both). Every method is asynchronous because a database answers over the wire.
 *
 * Writes are durable when their promise resolves (a crash after that loses nothing), and a search
 * started after a write resolved sees it.
 */

/** A declarative filter a database can push down (SQL WHERE); every field narrows, all must hold. */
export const StoreFilterSchema = z.object({
  articleIds: z.array(z.string()).optional(),
  tickers: z.array(z.string()).optional(),
  tags: z.array(z.string()).optional(),
  /** Inclusive YYYY-MM-DD bounds on the article's `published` date (undated articles fail a bound). */
  from: z.string().optional(),
  to: z.string().optional(),
  documentType: z.array(z.string()).optional(),
  /** Case-insensitive match on the article's financial metadata company name. */
  company: z.string().optional(),
});
export type StoreFilter = z.infer<typeof StoreFilterSchema>;

/** A passage as stored: the chunk plus nothing backend-specific. */
export type Passage = Chunk;

export interface PassageInput {
  section?: string;
  text: string;
  page?: number;
  table?: Chunk['table'];
}

export type UpsertAction = 'add' | 'update' | 'skip' | 'duplicate';

export interface UpsertPlan {
  action: UpsertAction;
  /** The article the content goes to (new id for `add`, existing one otherwise). */
  articleId: string;
  contentHash: string;
  origin?: string;
}

export interface UpsertResult {
  action: UpsertAction;
  articleId: string;
  chunks: number;
}

/** An article's id and title: what finding the articles a question names needs. */
export interface ArticleTitle {
  id: string;
  title: string;
}

export interface ArticleListQuery {
  limit?: number;
  offset?: number;
  /** Case-insensitive substring of title, source, tags or tickers. */
  q?: string;
  filter?: StoreFilter;
}

/** A weighted lexical query term (already tokenised with `kb/tokenize.ts`). */
export interface WeightedQueryTerm {
  term: string;
  weight: number;
}

export interface VectorHit {
  passageId: string;
  /** Cosine similarity in [-1, 1]. */
  similarity: number;
}

export interface LexicalHit {
  passageId: string;
  /** BM25 score (backend-specific scale; callers normalise by the best hit of the query). */
  score: number;
  /** The query terms this passage holds. */
  matchedTerms: string[];
}

export interface LexicalSearchResult {
  hits: LexicalHit[];
  /** For `report` passages (e.g. vector candidates): the query terms each holds. */
  reported: Map<string, string[]>;
}

export interface TermStatistics {
  /** Passages in the store. */
  passages: number;
  /** Passages containing each asked term (0 when absent). */
  documentFrequency: Map<string, number>;
}

export interface KnowledgeStore {
  /** Which embedder built the vectors; a store opened with another embedder refuses to open. */
  readonly embedder: EmbedderInfo;
  /** `embedded` or `postgres`, for health and logs. */
  readonly backend: string;

  stats(): Promise<{ articles: number; chunks: number }>;
  /**
   * An article (its current version). A store may read its text, sections and references only when
   * the caller does (the embedded one does: search hits need the head alone), so read them while the
   * store is open.
   */
  getArticle(id: string): Promise<StoredArticle | undefined>;
  listArticles(query?: ArticleListQuery): Promise<{ articles: StoredArticle[]; total: number }>;
  /**
   * Every article's id and title, read without decoding any article (a chat asks this on every
   * question). Read-only: a store may give the same object for an unchanged article every time.
   */
  articleTitles(): Promise<ArticleTitle[]>;
  /** Articles with at least one origin (file path or URL) starting with `prefix`, in listing order. */
  articlesFromOrigin(prefix: string): Promise<StoredArticle[]>;
  /** Passages by id, in the order asked; unknown ids are left out. */
  getPassages(ids: string[]): Promise<Passage[]>;
  /** An article's passages in reading order. */
  passagesOf(articleId: string): Promise<Passage[]>;
  /**
   * Cosine similarity of `vector` to each passage's stored vector, by id (unknown ids left out):
   * how hybrid search scores the candidates only the lexical side found. The store computes it
   * where the vectors are (the graph's thread, the database) instead of shipping them.
   */
  similaritiesOf(passageIds: string[], vector: Float32Array): Promise<Map<string, number>>;

  /** Decides add / update / skip / duplicate before any embedding work is spent. */
  planUpsert(article: ParsedArticle, origin?: string): Promise<UpsertPlan>;
  /** Applies a plan durably; `passages` and `vectors` have the same length. */
  upsert(plan: UpsertPlan, article: ParsedArticle, passages: PassageInput[], vectors: Float32Array[]): Promise<UpsertResult>;
  deleteArticle(id: string): Promise<boolean>;

  vectorSearch(vector: Float32Array, k: number, filter?: StoreFilter): Promise<VectorHit[]>;
  lexicalSearch(terms: WeightedQueryTerm[], k: number, filter?: StoreFilter, report?: string[]): Promise<LexicalSearchResult>;
  termStatistics(terms: string[]): Promise<TermStatistics>;

  /** A number that changes whenever the content changes (caches key on it). */
  version(): Promise<number>;
  close(): Promise<void>;

  /**
   * Optional (added for the embedded store): brings a store that keeps state in memory up to date
   * with writes other processes committed (`npm run ingest` beside the server); returns how many
   * changes it applied. A store that reads the database on every query has nothing to do.
   */
  refresh?(): Promise<number>;
  /**
   * Optional: reads the store's files ahead so that the operating system caches them, and says how
   * many bytes it read (the embedded store's database; a database server keeps its own cache).
   * Stops early once `signal` aborts (a server shutting down while it warms up).
   */
  prewarm?(signal?: AbortSignal): Promise<number>;
  /** Optional: problems a health check should report (an empty list when the store is sound). */
  health?(): Promise<string[]>;
}
