import type { KnowledgeBase } from '../../kb/knowledge-base.ts';
import type { StoredChunk } from '../../kb/store-files.ts';
import type { StoredArticle } from '../../kb/types.ts';
import { tokenize } from '../../kb/tokenize.ts';
import type { Embedder } from '../../ingest/embed/embedder.ts';
import { cosine, dot } from '../../lib/similarity.ts';
import { analyzeQuery, type QueryAnalysis, type TermGroup } from './query-understanding.ts';

/**
 * Tunables, chosen with `npm run eval:retrieval` (see README "Retrieval quality"): the weight of
 * the vector side in the fused score, the similarity band that maps cosine to [0, 1] for the local
 * embedder, and the thresholds that separate "nothing relevant" from "weakly" and "clearly" relevant.
 */
export const SEARCH_DEFAULTS = {
  k: 8,
  /** Candidates taken from each index before fusion. */
  candidates: 60,
  vectorWeight: 0.3,
  /**
   * How much BM25 (relative to the query's best BM25 hit) reorders passages: the score is the
   * absolute relevance × (1 − w + w × bm25 / best bm25). The best lexical hit keeps its absolute
   * relevance, so the top score stays comparable across queries and thresholdable.
   */
  bm25Weight: 0.7,
  similarityFloor: 0.15,
  similarityCeiling: 0.75,
  /** Below this top score the knowledge base has nothing relevant. */
  noneThreshold: 0.36,
  /** At or above this, clearly relevant. */
  strongThreshold: 0.5,
  /** At most this share of k from one article while other articles have relevant passages. */
  maxShareOfOneArticle: 0.5,
  /** Filtered searches over at most this many passages are exact (brute force) rather than approximate. */
  exactFilteredLimit: 20_000,
};

export type SearchMode = 'hybrid' | 'lexical' | 'vector';

export interface SearchFilters {
  tickers?: string[];
  tags?: string[];
  from?: string;
  to?: string;
  articleIds?: string[];
}

export interface SearchHit {
  chunk: StoredChunk;
  article: StoredArticle;
  /** Fused relevance in [0, 1]; comparable across queries, so callers can threshold it. */
  score: number;
  similarity: number;
  coverage: number;
}

export type Relevance = 'none' | 'weak' | 'strong';

export interface SearchResult {
  hits: SearchHit[];
  analysis: QueryAnalysis;
  relevance: Relevance;
}

export interface SearchRequest {
  query: string;
  k?: number;
  filters?: SearchFilters;
  mode?: SearchMode;
  /** YYYY-MM-DD: resolves year-less dates in the question. */
  today: string;
  tuning?: Partial<typeof SEARCH_DEFAULTS>;
  signal?: AbortSignal;
  /** Extra words that widen the lexical candidates (e.g. "drivers", "risks") without counting toward relevance. */
  extraTerms?: string[];
}

export function classifyRelevance(score: number | undefined, tuning = SEARCH_DEFAULTS): Relevance {
  if (score === undefined || score < tuning.noneThreshold) return 'none';
  return score >= tuning.strongThreshold ? 'strong' : 'weak';
}

function normalizeSymbol(symbol: string): string {
  return symbol.trim().replace(/^[$^]/, '').toUpperCase();
}

function normalizeTag(tag: string): string {
  return tag.trim().replace(/^#/, '').toLowerCase().replace(/[\s-]+/g, '_');
}

/** Builds the article-level filter; undefined when there is nothing to filter on. */
export function buildArticleFilter(filters: SearchFilters | undefined): ((article: StoredArticle) => boolean) | undefined {
  if (!filters) return undefined;
  const tickers = filters.tickers?.map(normalizeSymbol).filter(Boolean) ?? [];
  const tags = filters.tags?.map(normalizeTag).filter(Boolean) ?? [];
  const ids = filters.articleIds ?? [];
  if (!tickers.length && !tags.length && !ids.length && !filters.from && !filters.to) return undefined;
  return (article) => {
    if (ids.length && !ids.includes(article.id)) return false;
    if (tickers.length && !article.tickers.some((ticker) => tickers.includes(normalizeSymbol(ticker)))) return false;
    if (tags.length && !article.tags.some((tag) => tags.includes(normalizeTag(tag)))) return false;
    if (filters.from && (!article.published || article.published < filters.from)) return false;
    if (filters.to && (!article.published || article.published > filters.to)) return false;
    return true;
  };
}



/** Hybrid retrieval: vector and lexical candidates, fused into one absolute score, diversified. */
export async function searchKnowledgeBase(kb: KnowledgeBase, embedder: Embedder, request: SearchRequest): Promise<SearchResult> {
  const tuning = { ...SEARCH_DEFAULTS, ...request.tuning };
  const k = request.k ?? tuning.k;
  const mode = request.mode ?? 'hybrid';
  const analysis = analyzeQuery(request.query, request.today);
  const articleFilter = buildArticleFilter(request.filters);
  const accept = articleFilter
    ? (chunk: StoredChunk) => {
        const article = kb.getArticle(chunk.articleId);
        return article !== undefined && articleFilter(article);
      }
    : undefined;

  const pool = Math.max(tuning.candidates, k * 4);
  const candidates = new Map<string, { chunk: StoredChunk; article: StoredArticle; similarity?: number; bm25?: number }>();

  const queryVector = mode === 'lexical' ? undefined : await embedder.embedQuery(analysis.vectorText, request.signal);
  const queryNorm = queryVector ? Math.sqrt(dot(queryVector, queryVector)) : 0;
  if (queryVector && queryNorm > 0) {
    for (const hit of vectorCandidates(kb, queryVector, pool, accept, articleFilter, tuning.exactFilteredLimit)) {
      candidates.set(hit.chunk.id, { chunk: hit.chunk, article: hit.article, similarity: hit.value });
    }
  }
  // The lexical search also reports which query terms each vector candidate holds, so coverage
  // is read from the index instead of re-tokenising passages.
  let masks = new Map<string, number>();
  let searchedTerms: string[] = [];
  if (mode !== 'vector') {
    const extra = (request.extraTerms ?? []).flatMap((word) => tokenize(word)).map((term) => ({ term, weight: 0.5 }));
    const lexical = kb.lexicalSearch([...analysis.terms, ...extra], pool, accept, [...candidates.values()].map((candidate) => candidate.chunk));
    masks = lexical.masks;
    searchedTerms = lexical.terms;
    for (const hit of lexical.hits) {
      const existing = candidates.get(hit.chunk.id);
      if (existing) existing.bm25 = hit.value;
      else candidates.set(hit.chunk.id, { chunk: hit.chunk, article: hit.article, bm25: hit.value });
    }
  }

  const bitOf = new Map(searchedTerms.map((term, bit) => [term, 1 << bit]));
  const groupWeights = weighGroups(analysis.groups, kb).map(({ terms, weight }) => ({
    weight,
    bits: terms.reduce((bits, term) => bits | (bitOf.get(term) ?? 0), 0),
  }));
  const totalWeight = groupWeights.reduce((sum, { weight }) => sum + weight, 0);
  let bestBm25 = 0;
  for (const candidate of candidates.values()) bestBm25 = Math.max(bestBm25, candidate.bm25 ?? 0);
  const scored: SearchHit[] = [];
  for (const candidate of candidates.values()) {
    let similarity = candidate.similarity;
    if (similarity === undefined && queryVector && queryNorm > 0) {
      const vector = kb.vectorOf(candidate.chunk);
      similarity = vector ? cosine(vector, queryVector) : 0;
    }
    const mask = masks.get(candidate.chunk.id) ?? 0;
    const coverage = totalWeight > 0 ? groupWeights.reduce((sum, { weight, bits }) => sum + ((mask & bits) !== 0 ? weight : 0), 0) / totalWeight : 0;
    const similarityScore = clamp01(((similarity ?? 0) - tuning.similarityFloor) / (tuning.similarityCeiling - tuning.similarityFloor));
    const bm25 = bestBm25 > 0 ? (candidate.bm25 ?? 0) / bestBm25 : 0;
    const relevance = mode === 'vector' ? similarityScore : mode === 'lexical' ? coverage : tuning.vectorWeight * similarityScore + (1 - tuning.vectorWeight) * coverage;
    const score = mode === 'vector' ? relevance : relevance * (1 - tuning.bm25Weight + tuning.bm25Weight * bm25);
    scored.push({ chunk: candidate.chunk, article: candidate.article, score, similarity: similarity ?? 0, coverage });
  }
  scored.sort((a, b) => b.score - a.score || a.chunk.id.localeCompare(b.chunk.id));

  const hits = diversify(collapseDuplicates(scored), k, tuning);
  return { hits, analysis, relevance: classifyRelevance(hits[0]?.score, tuning) };
}

function vectorCandidates(
  kb: KnowledgeBase,
  queryVector: Float32Array,
  pool: number,
  accept: ((chunk: StoredChunk) => boolean) | undefined,
  articleFilter: ((article: StoredArticle) => boolean) | undefined,
  exactLimit: number,
) {
  if (!accept || !articleFilter) return kb.vectorSearch(queryVector, pool);
  // A restrictive filter starves the approximate graph walk; over a small subset exact search is cheap.
  const subset: { chunk: StoredChunk; article: StoredArticle }[] = [];
  for (const article of kb.allArticles()) {
    if (!articleFilter(article)) continue;
    for (const chunk of kb.chunksOf(article.id)) subset.push({ chunk, article });
    if (subset.length > exactLimit) return kb.vectorSearch(queryVector, pool, accept);
  }
  return subset
    .map(({ chunk, article }) => {
      const vector = kb.vectorOf(chunk);
      return { chunk, article, value: vector ? cosine(vector, queryVector) : 0, kind: 'similarity' as const };
    })
    .sort((a, b) => b.value - a.value)
    .slice(0, pool);
}

/** Each concept weighs its share × the IDF of its rarest term: rare words carry the question. */
export function weighGroups(groups: TermGroup[], kb: Pick<KnowledgeBase, 'idf'>): { terms: string[]; weight: number }[] {
  return groups.map((group) => ({ terms: group.terms, weight: group.weight * Math.max(...group.terms.map((term) => kb.idf(term))) }));
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}

/** The same passage text ingested twice (e.g. two near-identical articles) is shown once. */
function collapseDuplicates(hits: SearchHit[]): SearchHit[] {
  const seen = new Set<string>();
  return hits.filter((hit) => {
    const key = hit.chunk.text.replace(/\s+/g, ' ').trim().toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Caps how many of the k slots one article may take while passages from other articles are still
 * relevant; the cap lifts when nothing else relevant remains, so a one-article answer still fills k.
 */
function diversify(hits: SearchHit[], k: number, tuning: typeof SEARCH_DEFAULTS): SearchHit[] {
  const cap = Math.max(1, Math.ceil(k * tuning.maxShareOfOneArticle));
  const chosen: SearchHit[] = [];
  const deferred: SearchHit[] = [];
  const perArticle = new Map<string, number>();
  for (const hit of hits) {
    if (chosen.length >= k) break;
    const count = perArticle.get(hit.article.id) ?? 0;
    if (count >= cap) {
      deferred.push(hit);
      continue;
    }
    if (hit.score < tuning.noneThreshold && deferred.length > 0) break;
    perArticle.set(hit.article.id, count + 1);
    chosen.push(hit);
  }
  for (const hit of deferred) {
    if (chosen.length >= k) break;
    chosen.push(hit);
  }
  return chosen.sort((a, b) => b.score - a.score || a.chunk.id.localeCompare(b.chunk.id)).slice(0, k);
}
