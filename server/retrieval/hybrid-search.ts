import type { KnowledgeStore, Passage, StoreFilter, TermStatistics } from '../../kb/store.ts';
import { inverseDocumentFrequency } from '../../kb/term-statistics.ts';
import type { StoredArticle } from '../../kb/types.ts';
import { tokenize } from '../../kb/tokenize.ts';
import type { Embedder } from '../../ingest/embed/embedder.ts';
import { dot } from '../../lib/similarity.ts';
import { stem } from '../cells/find-cells.ts';
import { analyzeQuery, type QueryAnalysis, type TermGroup } from './query-understanding.ts';
import { readTableQuestion, rerankByTables, TABLE_RERANK_DEFAULTS } from './table-rerank.ts';

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
};

export type SearchMode = 'hybrid' | 'lexical' | 'vector';

/** Search filters are the store's declarative filter, pushed down to the backend as they are. */
export type SearchFilters = StoreFilter;

export interface SearchHit {
  chunk: Passage;
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
  /**
   * Rerank the best candidates by how their tables (and documents' metadata) fit the question
   * (`server/retrieval/table-rerank.ts`): for questions over documents' tables, where many similar
   * tables compete. Off by default: the fused order is tuned for prose (`npm run eval:retrieval`).
   */
  rerank?: boolean | Partial<typeof TABLE_RERANK_DEFAULTS>;
  signal?: AbortSignal;
  /** Extra words that widen the lexical candidates (e.g. "drivers", "risks") without counting toward relevance. */
  extraTerms?: string[];
}

export function classifyRelevance(score: number | undefined, tuning = SEARCH_DEFAULTS): Relevance {
  if (score === undefined || score < tuning.noneThreshold) return 'none';
  return score >= tuning.strongThreshold ? 'strong' : 'weak';
}

interface Candidate {
  passageId: string;
  similarity?: number;
  bm25?: number;
  matchedTerms: string[];
}

interface ScoredCandidate {
  passageId: string;
  score: number;
  similarity: number;
  coverage: number;
}

/**
 * Hybrid retrieval: vector and lexical candidates from the store (filters pushed down to it), fused
 * into one absolute score over the query terms each passage holds, diversified.
 */
export async function searchKnowledgeBase(store: KnowledgeStore, embedder: Embedder, request: SearchRequest): Promise<SearchResult> {
  const tuning = { ...SEARCH_DEFAULTS, ...request.tuning };
  const k = request.k ?? tuning.k;
  const mode = request.mode ?? 'hybrid';
  const analysis = analyzeQuery(request.query, request.today);
  const filter = request.filters;
  const pool = Math.max(tuning.candidates, k * 4);
  const candidates = new Map<string, Candidate>();

  const queryVector = mode === 'lexical' ? undefined : await embedder.embedQuery(analysis.vectorText, request.signal);
  const queryNorm = queryVector ? Math.sqrt(dot(queryVector, queryVector)) : 0;
  const useVectors = queryVector !== undefined && queryNorm > 0;
  const lexicalTerms = [...analysis.terms, ...(request.extraTerms ?? []).flatMap((word) => tokenize(word)).map((term) => ({ term, weight: 0.5 }))];
  // Both searches at once: the embedded store's graph searches on its own thread (a database runs
  // two queries) while the lexical index scores here. As soon as the lexical hits are known, their
  // vector similarities are asked for (the graph's thread takes that right after its search, a
  // database runs it beside the vector query); the query terms the vector candidates hold are asked
  // afterwards for the ones the lexical hits leave out (a report-only search, k = 0).
  // The vector search is sent first, so the graph's thread works while the lexical index scores.
  const vectorSearch = useVectors ? store.vectorSearch(queryVector, pool, filter) : Promise.resolve([]);
  const lexicalSearch = mode !== 'vector' ? store.lexicalSearch(lexicalTerms, pool, filter) : undefined;
  const similaritiesOf = async (ids: string[]) => (useVectors && ids.length > 0 ? store.similaritiesOf(ids, queryVector) : new Map<string, number>());
  const lexicalSimilarities = (lexicalSearch ?? Promise.resolve(undefined)).then((result) => similaritiesOf(result?.hits.map((hit) => hit.passageId) ?? []));
  // Awaited below; a failure meanwhile must not count as unhandled.
  lexicalSimilarities.catch(() => undefined);
  const [vectorHits, lexical] = await Promise.all([vectorSearch, lexicalSearch]);
  for (const hit of vectorHits) candidates.set(hit.passageId, { passageId: hit.passageId, similarity: hit.similarity, matchedTerms: [] });
  const lexicalIds = new Set(lexical?.hits.map((hit) => hit.passageId));
  const unreported = lexical ? vectorHits.map((hit) => hit.passageId).filter((id) => !lexicalIds.has(id)) : [];
  const lexicalOnly = useVectors ? [...lexicalIds].filter((id) => !candidates.has(id)) : [];
  const [similarities, reported] = await Promise.all([
    lexicalSimilarities,
    unreported.length > 0 ? store.lexicalSearch(lexicalTerms, 0, filter, unreported).then((result) => result.reported) : new Map<string, string[]>(),
  ]);
  for (const [id, terms] of reported) {
    const candidate = candidates.get(id);
    if (candidate) candidate.matchedTerms = terms;
  }
  for (const hit of lexical?.hits ?? []) {
    const existing = candidates.get(hit.passageId);
    if (existing) {
      existing.bm25 = hit.score;
      existing.matchedTerms = hit.matchedTerms;
    } else candidates.set(hit.passageId, { passageId: hit.passageId, bm25: hit.score, matchedTerms: hit.matchedTerms });
  }
  if (useVectors) for (const id of lexicalOnly) candidates.get(id)!.similarity = similarities.get(id) ?? 0;

  const groupTerms = [...new Set(analysis.groups.flatMap((group) => group.terms))];
  const statistics = groupTerms.length > 0 ? await store.termStatistics(groupTerms) : { passages: 0, documentFrequency: new Map<string, number>() };
  const scored = scoreCandidates([...candidates.values()], weighGroups(analysis.groups, statistics), mode, tuning);
  if (request.rerank === undefined || request.rerank === false) {
    const hits = await resolveDiverseHits(store, scored, k, tuning);
    return { hits, analysis, relevance: classifyRelevance(hits[0]?.score, tuning) };
  }
  // The table rerank reorders every candidate, so all of them are read.
  const resolved = collapseDuplicates(await resolveHits(store, scored, new Map()));
  // Whether anything is relevant is decided before reranking: the rerank reorders, it adds no evidence.
  const relevance = classifyRelevance(resolved[0]?.score, tuning);
  const reranked = rerankByTables(readTableQuestion(request.query), resolved, stemWeights(analysis.coreTerms, statistics), {
    ...TABLE_RERANK_DEFAULTS,
    ...(request.rerank === true ? {} : request.rerank),
  });
  const { hits } = diversify(reranked, k, tuning);
  return { hits, analysis, relevance };
}

/**
 * The fused score: relevance is the vector similarity (mapped to [0, 1]) mixed with coverage, the
 * weighted share of the question's concepts the passage holds; BM25 relative to the query's best
 * hit then reorders within that relevance. Pure.
 */
export function scoreCandidates(
  candidates: Candidate[],
  groups: { terms: string[]; weight: number }[],
  mode: SearchMode,
  tuning: typeof SEARCH_DEFAULTS,
): ScoredCandidate[] {
  const totalWeight = groups.reduce((sum, { weight }) => sum + weight, 0);
  let bestBm25 = 0;
  for (const candidate of candidates) bestBm25 = Math.max(bestBm25, candidate.bm25 ?? 0);
  const scored = candidates.map((candidate) => {
    const matched = new Set(candidate.matchedTerms);
    const covered = groups.reduce((sum, { terms, weight }) => sum + (terms.some((term) => matched.has(term)) ? weight : 0), 0);
    const coverage = totalWeight > 0 ? covered / totalWeight : 0;
    const similarity = candidate.similarity ?? 0;
    const similarityScore = clamp01((similarity - tuning.similarityFloor) / (tuning.similarityCeiling - tuning.similarityFloor));
    const bm25 = bestBm25 > 0 ? (candidate.bm25 ?? 0) / bestBm25 : 0;
    const relevance =
      mode === 'vector' ? similarityScore : mode === 'lexical' ? coverage : tuning.vectorWeight * similarityScore + (1 - tuning.vectorWeight) * coverage;
    const score = mode === 'vector' ? relevance : relevance * (1 - tuning.bm25Weight + tuning.bm25Weight * bm25);
    return { passageId: candidate.passageId, score, similarity, coverage };
  });
  return scored.sort((a, b) => b.score - a.score || a.passageId.localeCompare(b.passageId));
}

/**
 * The k hits shown: passages are read in score order a page at a time, only until the choice is
 * settled (reading all ~120 candidates' passages and articles was most of a query's time at 100k
 * passages). The first page is k passages, the fewest that can settle the choice and all it takes
 * when the best k come from different articles and differ in text: so it went for every question
 * of the sample corpus (k 8, 12 and 20) and of the store bench, where a first page of 2k read
 * twice the passages a fresh question needs (at 1M passages, mean 7.4 against 8.3 ms). Each later
 * page doubles, so a question whose best passages crowd into one article settles in a few reads.
 * The result is the one `diversify` gives over every candidate.
 */
async function resolveDiverseHits(store: KnowledgeStore, scored: ScoredCandidate[], k: number, tuning: typeof SEARCH_DEFAULTS): Promise<SearchHit[]> {
  const articles = new Map<string, StoredArticle | undefined>();
  // The list grows page by page and is collapsed again each time: each passage is hashed once.
  const hashes = new Map<SearchHit['chunk'], number>();
  const resolved: SearchHit[] = [];
  for (let start = 0, page = Math.max(1, k); ; start += page, page *= 2) {
    resolved.push(...(await resolveHits(store, scored.slice(start, start + page), articles)));
    const { hits, settled } = diversify(collapseDuplicates(resolved, hashes), k, tuning);
    if (settled || start + page >= scored.length) return hits;
  }
}

/** Reads the scored passages and their articles (in score order); passages deleted meanwhile drop out. */
async function resolveHits(store: KnowledgeStore, scored: ScoredCandidate[], articles: Map<string, StoredArticle | undefined>): Promise<SearchHit[]> {
  const passages = new Map((await store.getPassages(scored.map((candidate) => candidate.passageId))).map((passage) => [passage.id, passage]));
  const hits: SearchHit[] = [];
  for (const candidate of scored) {
    const chunk = passages.get(candidate.passageId);
    if (!chunk) continue;
    if (!articles.has(chunk.articleId)) articles.set(chunk.articleId, await store.getArticle(chunk.articleId));
    const article = articles.get(chunk.articleId);
    if (article) hits.push({ chunk, article, score: candidate.score, similarity: candidate.similarity, coverage: candidate.coverage });
  }
  return hits;
}

/** Each concept weighs its share × the IDF of its rarest term: rare words carry the question. */
export function weighGroups(groups: TermGroup[], statistics: TermStatistics): { terms: string[]; weight: number }[] {
  return groups.map((group) => ({
    terms: group.terms,
    weight: group.weight * Math.max(...group.terms.map((term) => inverseDocumentFrequency(statistics, term))),
  }));
}

/** Inverse document frequency by stem (the reranker matches stemmed words): a stem weighs as its rarest spelling. */
function stemWeights(terms: string[], statistics: TermStatistics): (word: string) => number {
  const weights = new Map<string, number>();
  for (const term of terms) weights.set(stem(term), Math.max(weights.get(stem(term)) ?? 0, inverseDocumentFrequency(statistics, term)));
  return (word) => weights.get(word) ?? 1;
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}

/**
 * The same passage text ingested twice (e.g. two near-identical articles) is shown once: texts
 * equal after collapsing whitespace and case. Compared by a hash of that form first, so the form
 * itself is only built when two hashes meet: building it for every candidate was a fifth of a
 * hybrid query's allocation, and young-generation collections land on query latency.
 */
function collapseDuplicates(hits: SearchHit[], hashes = new Map<SearchHit['chunk'], number>()): SearchHit[] {
  const seen = new Map<number, SearchHit[]>();
  return hits.filter((hit) => {
    const hash = textHashOf(hit.chunk, hashes);
    const same = seen.get(hash);
    if (!same) {
      seen.set(hash, [hit]);
      return true;
    }
    const key = normalizedText(hit.chunk.text);
    if (same.some((earlier) => normalizedText(earlier.chunk.text) === key)) return false;
    same.push(hit);
    return true;
  });
}

/**
 * A passage's hash, kept in the query's own map. A module-wide WeakMap by passage object held an
 * entry for every passage any search read, and the collector marks such (ephemeron) tables in its
 * pause: in the store bench at 100k, two full collections spent 25 of 35 ms and 86 of 106 ms on
 * them (`--trace-gc-nvp`, mark.ephemeron.marking); without it, 0.1 and 9 ms.
 */
function textHashOf(chunk: SearchHit['chunk'], hashes: Map<SearchHit['chunk'], number>): number {
  let hash = hashes.get(chunk);
  if (hash === undefined) {
    hash = normalizedTextHash(chunk.text);
    hashes.set(chunk, hash);
  }
  return hash;
}

function normalizedText(text: string): string {
  return text.replace(/\s+/g, ' ').trim().toLowerCase();
}

const WHITESPACE = /\s/;

/**
 * FNV-1a over the characters of `normalizedText(text)` without building it: runs of whitespace
 * hash as one space (none at the ends), letters as their lower case. Texts with the same
 * normalised form hash alike (case is folded character by character, which only differs from
 * the whole-string form for context-dependent letters such as a final sigma).
 */
export function normalizedTextHash(text: string): number {
  let hash = 0x811c9dc5;
  let pendingSpace = false;
  let started = false;
  const mix = (code: number) => {
    hash ^= code;
    hash = Math.imul(hash, 0x01000193);
  };
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    const space = code === 32 || (code >= 9 && code <= 13) || (code > 127 && WHITESPACE.test(text[index]!));
    if (space) {
      pendingSpace = started;
      continue;
    }
    if (pendingSpace) mix(32);
    pendingSpace = false;
    started = true;
    if (code >= 65 && code <= 90) mix(code + 32);
    else if (code < 128) mix(code);
    else {
      const lower = text[index]!.toLowerCase();
      for (let offset = 0; offset < lower.length; offset += 1) mix(lower.charCodeAt(offset));
    }
  }
  return hash >>> 0;
}

/**
 * Caps how many of the k slots one article may take while passages from other articles are still
 * relevant; the cap lifts when nothing else relevant remains, so a one-article answer still fills k.
 * `settled`: the walk stopped before the end of `hits`, so hits after them could not change the choice.
 */
function diversify(hits: SearchHit[], k: number, tuning: typeof SEARCH_DEFAULTS): { hits: SearchHit[]; settled: boolean } {
  const cap = Math.max(1, Math.ceil(k * tuning.maxShareOfOneArticle));
  const chosen: SearchHit[] = [];
  const deferred: SearchHit[] = [];
  const perArticle = new Map<string, number>();
  let settled = false;
  for (const hit of hits) {
    if (chosen.length >= k) {
      settled = true;
      break;
    }
    const count = perArticle.get(hit.article.id) ?? 0;
    if (count >= cap) {
      deferred.push(hit);
      continue;
    }
    if (hit.score < tuning.noneThreshold && deferred.length > 0) {
      settled = true;
      break;
    }
    perArticle.set(hit.article.id, count + 1);
    chosen.push(hit);
  }
  settled ||= chosen.length >= k;
  for (const hit of deferred) {
    if (chosen.length >= k) break;
    chosen.push(hit);
  }
  return { hits: chosen.sort((a, b) => b.score - a.score || a.chunk.id.localeCompare(b.chunk.id)).slice(0, k), settled };
}
