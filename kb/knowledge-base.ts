import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../lib/errors.ts';
import { fsyncDirectory, fsyncFile, writeFileAtomic } from './atomic-write.ts';
import { LexicalIndex, type WeightedTerm } from './lexical-index.ts';
import { readJsonLines, writeJsonLinesAtomic } from './jsonl.ts';
import {
  DocstoreHeaderSchema,
  DocstoreRecordSchema,
  FORMAT_VERSION,
  MANIFEST_FILE,
  ManifestSchema,
  generationDirName,
  type DocstoreRecord,
  type Manifest,
  type StoredChunk,
} from './store-files.ts';
import type { Chunk, EmbedderInfo, ParsedArticle, StoredArticle } from './types.ts';
import { VectorIndex } from './vector-index.ts';
import { acquireWriteLock, type WriteLock } from './write-lock.ts';

/** A passage ready to store: its text, its section, and the vector of its context-prefixed text. */
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

export interface ScoredChunk<Score extends 'similarity' | 'score'> {
  chunk: StoredChunk;
  article: StoredArticle;
  value: number;
  kind: Score;
}

export interface ArticleListQuery {
  limit?: number;
  offset?: number;
  q?: string;
}

interface State {
  generation: number;
  nextLabel: number;
  articles: Map<string, StoredArticle>;
  chunks: Map<string, StoredChunk>;
  chunkByLabel: Map<number, StoredChunk>;
  byHash: Map<string, string>;
  byOrigin: Map<string, string>;
  vectors: VectorIndex;
  lexical: LexicalIndex;
}

/**
 * The knowledge base: articles and their passages (docstore), a vector index and a lexical index,
 * kept consistent with each other in memory and committed to disk atomically as one generation.
 * Every mutation of the three structures happens synchronously, so a search (also synchronous)
 * sees either the state before a change or after it, never half of it.
 */
export class KnowledgeBase {
  readonly indexDir: string;
  readonly embedder: EmbedderInfo;
  private state: State;
  private dirty = false;
  private heldLock: WriteLock | undefined;

  private constructor(indexDir: string, embedder: EmbedderInfo, state: State) {
    this.indexDir = indexDir;
    this.embedder = embedder;
    this.state = state;
  }

  /** Opens the knowledge base in `indexDir`, creating an empty one when there is none. */
  static open(indexDir: string, embedder: EmbedderInfo): KnowledgeBase {
    mkdirSync(indexDir, { recursive: true });
    const manifest = readManifest(indexDir);
    if (!manifest) return new KnowledgeBase(indexDir, embedder, emptyState(embedder.dim));
    assertSameEmbedder(indexDir, manifest.embedder, embedder);
    return new KnowledgeBase(indexDir, embedder, loadState(indexDir, manifest));
  }

  /** Reads which embedder built the index at `indexDir` without loading it (undefined if empty). */
  static inspect(indexDir: string): Manifest | undefined {
    return readManifest(indexDir);
  }

  get generation(): number {
    return this.state.generation;
  }

  get hasUnsavedChanges(): boolean {
    return this.dirty;
  }

  stats(): { articles: number; chunks: number } {
    return { articles: this.state.articles.size, chunks: this.state.chunks.size };
  }

  listArticles(query: ArticleListQuery = {}): { articles: StoredArticle[]; total: number } {
    const needle = query.q?.trim().toLowerCase();
    let articles = [...this.state.articles.values()];
    if (needle) {
      articles = articles.filter((article) =>
        [article.title, article.source ?? '', ...article.tags, ...article.tickers].some((field) => field.toLowerCase().includes(needle)),
      );
    }
    // Newest first; undated articles after dated ones, then by title for a stable order.
    articles.sort(
      (a, b) => (b.published ?? '').localeCompare(a.published ?? '') || a.title.localeCompare(b.title) || a.id.localeCompare(b.id),
    );
    const offset = query.offset ?? 0;
    const limit = query.limit ?? articles.length;
    return { articles: articles.slice(offset, offset + limit), total: articles.length };
  }

  getArticle(id: string): StoredArticle | undefined {
    return this.state.articles.get(id);
  }

  getChunk(id: string): StoredChunk | undefined {
    return this.state.chunks.get(id);
  }

  chunksOf(articleId: string): StoredChunk[] {
    const article = this.state.articles.get(articleId);
    if (!article) return [];
    return article.chunkIds.map((id) => this.state.chunks.get(id)).filter((chunk): chunk is StoredChunk => chunk !== undefined);
  }

  allChunks(): IterableIterator<StoredChunk> {
    return this.state.chunks.values();
  }

  allArticles(): IterableIterator<StoredArticle> {
    return this.state.articles.values();
  }

  /** How many passages contain a lexical term. */
  documentFrequency(term: string): number {
    return this.state.lexical.frequencyOf(term);
  }

  /** Inverse document frequency of a lexical term over all passages. */
  idf(term: string): number {
    return this.state.lexical.idf(term);
  }

  /** The stored vector of a passage (for exact search over a filtered subset). */
  vectorOf(chunk: StoredChunk): Float32Array | undefined {
    return this.state.vectors.vectorOf(chunk.label);
  }

  /**
   * Decides what an incoming article is, before any embedding work is spent on it: the same
   * content already stored (skip, or a duplicate from another origin), a new version of an
   * article from the same origin (update), or a new article (add).
   */
  planUpsert(article: ParsedArticle, origin?: string): UpsertPlan {
    const contentHash = computeContentHash(article);
    const sameContent = this.state.byHash.get(contentHash);
    if (sameContent) {
      const stored = this.state.articles.get(sameContent)!;
      const known = origin === undefined || stored.origins.includes(origin);
      return { action: known ? 'skip' : 'duplicate', articleId: sameContent, contentHash, origin };
    }
    const keys = [origin, article.url].filter((key): key is string => Boolean(key));
    for (const key of keys) {
      const existing = this.state.byOrigin.get(key);
      if (existing) return { action: 'update', articleId: existing, contentHash, origin };
    }
    return { action: 'add', articleId: newArticleId(origin ?? article.url ?? `content:${contentHash}`, this.state.articles), contentHash, origin };
  }

  /**
   * Applies a plan. For `add` and `update`, `passages` and `vectors` (same length) replace the
   * article's passages; for `skip` and `duplicate` only the origin list may change.
   */
  applyUpsert(plan: UpsertPlan, article: ParsedArticle, passages: PassageInput[], vectors: Float32Array[], now: Date = new Date()): UpsertResult {
    const state = this.state;
    if (plan.action === 'skip' || plan.action === 'duplicate') {
      const stored = state.articles.get(plan.articleId);
      if (!stored) throw new AppError('conflict', `Article ${plan.articleId} disappeared while ingesting; retry.`);
      if (plan.origin && !stored.origins.includes(plan.origin)) {
        state.articles.set(stored.id, { ...stored, origins: [...stored.origins, plan.origin] });
        state.byOrigin.set(plan.origin, stored.id);
        this.dirty = true;
      }
      return { action: plan.action, articleId: stored.id, chunks: stored.chunkIds.length };
    }
    if (passages.length !== vectors.length) {
      throw new AppError('internal', `Got ${vectors.length} vectors for ${passages.length} passages.`);
    }
    for (const vector of vectors) {
      if (vector.length !== this.embedder.dim) {
        throw new AppError('embedder_mismatch', `Embedder produced ${vector.length}-dimensional vectors; the index expects ${this.embedder.dim}.`);
      }
    }
    if (state.byHash.get(plan.contentHash)) return { action: 'skip', articleId: state.byHash.get(plan.contentHash)!, chunks: 0 };

    const previous = state.articles.get(plan.articleId);
    if (previous) this.removeArticleState(previous);

    const chunkIds: string[] = [];
    passages.forEach((passage, ordinal) => {
      const chunk: StoredChunk = {
        id: `${plan.articleId}-${ordinal}`,
        articleId: plan.articleId,
        ordinal,
        ...(passage.section ? { section: passage.section } : {}),
        text: passage.text,
        ...(passage.page !== undefined ? { page: passage.page } : {}),
        ...(passage.table !== undefined ? { table: passage.table } : {}),
        label: state.nextLabel,
      };
      state.nextLabel += 1;
      chunkIds.push(chunk.id);
      state.chunks.set(chunk.id, chunk);
      state.chunkByLabel.set(chunk.label, chunk);
      state.vectors.add(chunk.label, vectors[ordinal]!);
      state.lexical.add({ label: chunk.label, text: chunk.text, section: chunk.section ?? '', title: article.title });
    });

    const origins = [...new Set([...(previous?.origins ?? []), ...(plan.origin ? [plan.origin] : [])])];
    const stored: StoredArticle = {
      ...article,
      id: plan.articleId,
      contentHash: plan.contentHash,
      origins,
      ingestedAt: now.toISOString(),
      chunkIds,
    };
    state.articles.set(stored.id, stored);
    state.byHash.set(stored.contentHash, stored.id);
    for (const origin of origins) state.byOrigin.set(origin, stored.id);
    if (stored.url) state.byOrigin.set(stored.url, stored.id);
    this.dirty = true;
    return { action: previous ? 'update' : 'add', articleId: stored.id, chunks: chunkIds.length };
  }

  deleteArticle(id: string): boolean {
    const article = this.state.articles.get(id);
    if (!article) return false;
    this.removeArticleState(article);
    this.dirty = true;
    return true;
  }

  private removeArticleState(article: StoredArticle): void {
    const state = this.state;
    for (const chunkId of article.chunkIds) {
      const chunk = state.chunks.get(chunkId);
      if (!chunk) continue;
      state.vectors.remove(chunk.label);
      state.lexical.remove({ label: chunk.label, text: chunk.text, section: chunk.section ?? '', title: article.title });
      state.chunks.delete(chunkId);
      state.chunkByLabel.delete(chunk.label);
    }
    state.articles.delete(article.id);
    if (state.byHash.get(article.contentHash) === article.id) state.byHash.delete(article.contentHash);
    for (const [origin, owner] of state.byOrigin) if (owner === article.id) state.byOrigin.delete(origin);
  }

  /** Nearest passages by cosine similarity; `accept` filters on the stored chunk. */
  vectorSearch(vector: Float32Array, k: number, accept?: (chunk: StoredChunk) => boolean): ScoredChunk<'similarity'>[] {
    const state = this.state;
    const hits = state.vectors.search(vector, k, accept ? (label) => {
      const chunk = state.chunkByLabel.get(label);
      return chunk !== undefined && accept(chunk);
    } : undefined);
    return hits.flatMap((hit) => {
      const chunk = state.chunkByLabel.get(hit.label);
      const article = chunk && state.articles.get(chunk.articleId);
      return chunk && article ? [{ chunk, article, value: hit.similarity, kind: 'similarity' as const }] : [];
    });
  }

  /**
   * BM25 passages for tokenised query terms; `accept` filters on the stored chunk. Each hit carries
   * `mask`, the query terms it holds (bit i = `terms[i]`); `report` asks for the masks of other
   * passages too (e.g. vector candidates), so callers need not re-read passage text.
   */
  lexicalSearch(
    terms: WeightedTerm[],
    k: number,
    accept?: (chunk: StoredChunk) => boolean,
    report: StoredChunk[] = [],
  ): { hits: (ScoredChunk<'score'> & { mask: number })[]; terms: string[]; masks: Map<string, number> } {
    const state = this.state;
    const result = state.lexical.search(terms, k, {
      ...(accept
        ? {
            accept: (label: number) => {
              const chunk = state.chunkByLabel.get(label);
              return chunk !== undefined && accept(chunk);
            },
          }
        : {}),
      report: report.map((chunk) => chunk.label),
    });
    const hits = result.hits.flatMap((hit) => {
      const chunk = state.chunkByLabel.get(hit.label);
      const article = chunk && state.articles.get(chunk.articleId);
      return chunk && article ? [{ chunk, article, value: hit.score, kind: 'score' as const, mask: hit.mask }] : [];
    });
    const masks = new Map<string, number>();
    for (const hit of hits) masks.set(hit.chunk.id, hit.mask);
    for (const [label, mask] of result.reported) {
      const chunk = state.chunkByLabel.get(label);
      if (chunk) masks.set(chunk.id, mask);
    }
    return { hits, terms: result.terms, masks };
  }

  /**
   * Holds the cross-process write lock until released (the ingest CLI holds it for its whole run).
   * `save` takes it briefly by itself when it is not held.
   */
  holdWriteLock(purpose: string): void {
    if (!this.heldLock) this.heldLock = acquireWriteLock(this.indexDir, purpose);
  }

  releaseWriteLock(): void {
    this.heldLock?.release();
    this.heldLock = undefined;
  }

  /** True when another process committed a newer generation than the one loaded here. */
  isStale(): boolean {
    const manifest = readManifest(this.indexDir);
    return (manifest?.generation ?? 0) !== this.state.generation;
  }

  /** Replaces the in-memory state with what is committed on disk (after another process wrote). */
  reload(): void {
    const manifest = readManifest(this.indexDir);
    if (!manifest) {
      this.state = emptyState(this.embedder.dim);
    } else {
      assertSameEmbedder(this.indexDir, manifest.embedder, this.embedder);
      this.state = loadState(this.indexDir, manifest);
    }
    this.dirty = false;
  }

  /** Commits the current state as a new generation; a no-op when nothing changed. */
  async save(): Promise<void> {
    if (!this.dirty) return;
    const temporaryLock = this.heldLock ? undefined : acquireWriteLock(this.indexDir, 'save');
    try {
      const onDisk = readManifest(this.indexDir)?.generation ?? 0;
      if (onDisk !== this.state.generation) {
        throw new AppError(
          'conflict',
          `The knowledge base in ${this.indexDir} was changed by another process (generation ${onDisk}, this one has ${this.state.generation}); reload and retry.`,
        );
      }
      this.commit(onDisk + 1);
    } finally {
      temporaryLock?.release();
    }
  }

  private commit(generation: number): void {
    const state = this.state;
    const dirName = generationDirName(generation);
    const dir = join(this.indexDir, dirName);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });

    const header = {
      formatVersion: FORMAT_VERSION,
      embedder: this.embedder,
      nextLabel: state.nextLabel,
      counts: { articles: state.articles.size, chunks: state.chunks.size },
    };
    writeJsonLinesAtomic(join(dir, 'docstore.jsonl'), header, docstoreRecords(state));
    state.lexical.write(join(dir, 'lexical.bin'));
    const vectorsPath = join(dir, 'vectors.hnsw');
    state.vectors.write(vectorsPath);
    fsyncFile(vectorsPath);
    fsyncDirectory(dir);

    const manifest: Manifest = {
      formatVersion: FORMAT_VERSION,
      generation,
      embedder: this.embedder,
      savedAt: new Date().toISOString(),
      counts: { articles: state.articles.size, chunks: state.chunks.size },
      files: { docstore: `${dirName}/docstore.jsonl`, vectors: `${dirName}/vectors.hnsw`, lexical: `${dirName}/lexical.bin` },
    };
    writeFileAtomic(join(this.indexDir, MANIFEST_FILE), JSON.stringify(manifest, null, 2));
    state.generation = generation;
    this.dirty = false;
    removeOtherGenerations(this.indexDir, dirName);
  }
}

export function computeContentHash(article: ParsedArticle): string {
  const normalized = [article.title, article.published ?? '', article.text].map((part) => part.replace(/\s+/g, ' ').trim()).join('\n');
  return createHash('sha256').update(normalized).digest('hex');
}

/** Ids are 16 hex characters: safe in URLs and file names, stable for the article's lifetime. */
export const ARTICLE_ID_PATTERN = /^[a-f0-9]{16}$/;

function newArticleId(seed: string, articles: Map<string, StoredArticle>): string {
  for (let salt = 0; ; salt += 1) {
    const id = createHash('sha256').update(salt === 0 ? seed : `${seed}#${salt}`).digest('hex').slice(0, 16);
    if (!articles.has(id)) return id;
  }
}

function emptyState(dim: number): State {
  return {
    generation: 0,
    nextLabel: 0,
    articles: new Map(),
    chunks: new Map(),
    chunkByLabel: new Map(),
    byHash: new Map(),
    byOrigin: new Map(),
    vectors: VectorIndex.create(dim),
    lexical: LexicalIndex.create(),
  };
}

function readManifest(indexDir: string): Manifest | undefined {
  const path = join(indexDir, MANIFEST_FILE);
  if (!existsSync(path)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new AppError('index_corrupt', `${path} is not valid JSON; restore it or delete ${indexDir} and re-ingest.`, { cause: error });
  }
  const parsed = ManifestSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError('index_corrupt', `${path} is not a knowledge-base manifest of format ${FORMAT_VERSION}; delete ${indexDir} and re-ingest.`);
  }
  return parsed.data;
}

function assertSameEmbedder(indexDir: string, built: EmbedderInfo, wanted: EmbedderInfo): void {
  if (built.id === wanted.id && built.dim === wanted.dim) return;
  throw new AppError(
    'embedder_mismatch',
    `The knowledge base in ${indexDir} was built with the embedder ${built.id} (${built.dim} dimensions), but the copilot is configured ` +
      `to use ${wanted.id} (${wanted.dim} dimensions). Either set COPILOT_EMBEDDINGS back to the embedder that built it, or rebuild: ` +
      `delete ${indexDir} and run \`npm run ingest -- <your article folders>\` (npm start re-ingests the sample corpus into an empty index).`,
  );
}

function* docstoreRecords(state: State): Generator<DocstoreRecord> {
  for (const article of state.articles.values()) yield { kind: 'article', article };
  for (const chunk of state.chunks.values()) yield { kind: 'chunk', chunk };
}

function loadState(indexDir: string, manifest: Manifest): State {
  const docstorePath = join(indexDir, manifest.files.docstore);
  const articles: StoredArticle[] = [];
  const chunks: StoredChunk[] = [];
  let header;
  try {
    header = DocstoreHeaderSchema.parse(
      readJsonLines(docstorePath, (raw) => {
        const record = DocstoreRecordSchema.parse(raw);
        if (record.kind === 'article') articles.push(record.article);
        else chunks.push(record.chunk);
      }),
    );
  } catch (error) {
    throw new AppError('index_corrupt', `${docstorePath} could not be read as a docstore of format ${FORMAT_VERSION}; delete ${indexDir} and re-ingest.`, { cause: error });
  }
  if (header.counts.articles !== articles.length || header.counts.chunks !== chunks.length) {
    throw new AppError('index_corrupt', `${docstorePath} is incomplete; delete ${indexDir} and re-ingest.`);
  }

  const state: State = {
    generation: manifest.generation,
    nextLabel: header.nextLabel,
    articles: new Map(articles.map((article) => [article.id, article])),
    chunks: new Map(chunks.map((chunk) => [chunk.id, chunk])),
    chunkByLabel: new Map(chunks.map((chunk) => [chunk.label, chunk])),
    byHash: new Map(),
    byOrigin: new Map(),
    vectors: VectorIndex.load(join(indexDir, manifest.files.vectors), manifest.embedder.dim, chunks.map((chunk) => chunk.label)),
    lexical: loadLexical(join(indexDir, manifest.files.lexical)),
  };
  for (const article of articles) {
    state.byHash.set(article.contentHash, article.id);
    for (const origin of article.origins) state.byOrigin.set(origin, article.id);
    if (article.url) state.byOrigin.set(article.url, article.id);
  }
  return state;
}

function loadLexical(path: string): LexicalIndex {
  try {
    return LexicalIndex.read(path);
  } catch (error) {
    throw new AppError('index_corrupt', `Lexical index ${path} could not be read; delete the index folder and re-ingest.`, { cause: error });
  }
}

function removeOtherGenerations(indexDir: string, keep: string): void {
  for (const entry of readdirSync(indexDir)) {
    if (entry.startsWith('gen-') && entry !== keep) rmSync(join(indexDir, entry), { recursive: true, force: true });
  }
}
