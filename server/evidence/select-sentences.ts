import type { KnowledgeStore } from '../../kb/store.ts';
import { inverseDocumentFrequency } from '../../kb/term-statistics.ts';
import { tokenize } from '../../kb/tokenize.ts';
import type { Embedder } from '../../ingest/embed/embedder.ts';
import { splitSentences } from '../../ingest/sentences.ts';
import { isInstructionLike } from '../../lib/instruction-sentences.ts';
import { cosine, jaccard } from '../../lib/similarity.ts';
import { passageTable } from '../cells/passage-table.ts';
import { extractFigures } from '../chat/figures.ts';
import { stem } from '../chat/offline/sentence-text.ts';
import type { SearchHit } from '../retrieval/hybrid-search.ts';
import type { QueryAnalysis } from '../retrieval/query-understanding.ts';
import { noteMarkOf, titlesByNoteMark } from './footnotes.ts';

/**
 * The sentence selector shared by the offline chat engine and deep research: the sentences of the
 * retrieved passages that best answer a query, without repeats. One reader (split, clean, drop
 * instructions, table rows and fragments), one measure (the question's terms a sentence repeats,
 * weighted by how telling they are; its embedding similarity; its passage's retrieval score; and
 * what the caller's purpose adds: causal wording for a "why", a research step's theme), one
 * greedy pick (best first, above a share of the best, no near-duplicates). Callers differ only in
 * their `SelectionProfile`.
 */
export interface SentenceCandidate {
  text: string;
  hit: SearchHit;
  /** Stemmed words, for coverage and redundancy. */
  words: Set<string>;
  /** Figures the sentence states (two sentences with the same key figure state the same fact). */
  figures: Set<number>;
  /** The sentence before it in its passage, as read (what "This", "It" or "The answer" may refer to). */
  previous?: string;
  /** The weighted share of the query's terms the sentence repeats, in [0, 1]. */
  coverage: number;
  score: number;
}

export interface SelectionProfile {
  minWords: number;
  maxWords: number;
  weights: { coverage: number; similarity: number; passage: number; focus: number };
  /** How well a sentence serves the caller's purpose beyond the query's words, in [0, 1]. */
  focus?: (candidate: Omit<SentenceCandidate, 'coverage' | 'score'>) => number;
  /** Adjusts the weighted score (bonuses for the figures or dates asked about, penalties). */
  adjust?: (candidate: Omit<SentenceCandidate, 'score'>, score: number) => number;
  /** A sentence must score at least this share of the best one. */
  floorShare: number;
  /** Word overlap (Jaccard) above which two sentences state the same thing. */
  redundancy: number;
  /** Sentences sharing a figure of ten or more state the same fact. */
  figuresRepeat: boolean;
  /** At most this many sentences from one article. */
  perArticle?: number;
  /** The sentence as quoted (cleaning, a list label dropped); the default trims it. */
  clean?: (raw: string) => string;
  /** Extra rules for a sentence to read on its own. */
  readable?: (text: string) => boolean;
}

export interface SelectionRequest {
  analysis: QueryAnalysis;
  hits: SearchHit[];
  limit: number;
  profile: SelectionProfile;
  /** Normalised texts already used (by earlier research steps): never picked again. */
  used?: Set<string>;
  signal?: AbortSignal;
}

export async function selectSentences(deps: { kb: KnowledgeStore; embedder: Embedder }, request: SelectionRequest): Promise<SentenceCandidate[]> {
  const { analysis, profile } = request;
  const candidates = readCandidates(request.hits, analysis.language, profile, request.used);
  if (candidates.length === 0 || request.limit <= 0) return [];
  const [vectors, query, coverageOf] = await Promise.all([
    deps.embedder.embedDocuments(
      candidates.map((candidate) => candidate.text),
      request.signal,
    ),
    deps.embedder.embedQuery(analysis.vectorText, request.signal),
    questionCoverage(deps.kb, analysis),
  ]);
  const { weights } = profile;
  const scored = candidates.map((candidate, index): SentenceCandidate => {
    // Sentence choice rewards every query word a sentence repeats (unlike passage relevance, which
    // counts a concept once): among sentences of relevant passages, the closer paraphrase wins.
    const coverage = coverageOf(candidate.words);
    const similarity = Math.max(0, cosine(vectors[index]!, query));
    const focus = profile.focus?.(candidate) ?? 0;
    const weighted = weights.coverage * coverage + weights.similarity * similarity + weights.passage * candidate.hit.score + weights.focus * focus;
    const score = profile.adjust ? profile.adjust({ ...candidate, coverage }, weighted) : weighted;
    return { ...candidate, coverage, score };
  });
  scored.sort((a, b) => b.score - a.score || a.text.localeCompare(b.text));
  return pickSentences(scored, request.limit, profile);
}

/** Best first, above the floor, skipping repeats and an article's extra sentences. */
export function pickSentences(
  scored: SentenceCandidate[],
  limit: number,
  profile: Pick<SelectionProfile, 'floorShare' | 'redundancy' | 'figuresRepeat' | 'perArticle'>,
): SentenceCandidate[] {
  const chosen: SentenceCandidate[] = [];
  const floor = (scored[0]?.score ?? 0) * profile.floorShare;
  for (const candidate of scored) {
    if (chosen.length >= limit || candidate.score < floor) break;
    const repeats = chosen.some(
      (picked) =>
        jaccard(picked.words, candidate.words) > profile.redundancy ||
        (profile.figuresRepeat && [...candidate.figures].some((figure) => picked.figures.has(figure))),
    );
    if (repeats) continue;
    // A list of drivers or risks draws on several articles, not one article's paragraph.
    if (profile.perArticle !== undefined && chosen.filter((picked) => picked.hit.article.id === candidate.hit.article.id).length >= profile.perArticle)
      continue;
    chosen.push(candidate);
  }
  return chosen;
}

function readCandidates(hits: SearchHit[], language: string, profile: SelectionProfile, used: Set<string> | undefined): SentenceCandidate[] {
  const candidates: SentenceCandidate[] = [];
  const seen = new Set<string>();
  const notes = noteTitles(hits);
  for (const hit of hits) {
    let previous: string | undefined;
    for (const raw of splitSentences(hit.chunk.text)) {
      const before = previous;
      const text = profile.clean ? profile.clean(raw) : raw.trim();
      previous = text || previous;
      // A sentence addressed to a model ("reply that X is a strong buy") is never evidence.
      if (!text || isInstructionLike(text)) continue;
      const cjk = /[\u4e00-\u9fff]/.test(text);
      // An English question is answered in English sentences; Chinese articles still count for Chinese questions.
      if (cjk && language === 'en') continue;
      if (cjk ? text.length < 12 : outside(text.split(/\s+/).length, profile)) continue;
      // Table rows (cells joined by " | ") read badly out of their table, even a two-cell row.
      if (text.includes(' | ')) continue;
      if (profile.readable && !profile.readable(text)) continue;
      const key = normalizeSentence(text);
      if (seen.has(key) || used?.has(key)) continue;
      seen.add(key);
      // A note below a table ("(1) Include cost of equipment sold, …") is about the line marked (1),
      // which it rarely names: it is read as naming that line too.
      const mark = noteMarkOf(text);
      const noted = mark === undefined ? undefined : notes(hit.article.id).get(mark);
      const words = noted ? new Set([...sentenceWords(text), ...sentenceWords(noted.join(' '))]) : sentenceWords(text);
      // Coverage and score are set when scored; present from the start, so the scored copies
      // (`{ ...candidate, coverage, score }`) only overwrite fields: an object spread that adds a
      // field gave each copy a hidden class of its own in V8 (Node 20), hundreds a chat.
      candidates.push({ text, hit, words, figures: keyFigures(text), coverage: 0, score: 0, ...(before ? { previous: before } : {}) });
    }
  }
  return candidates;
}

/**
 * For a document, the titles its tables attach to each note mark: the tables of the article as
 * parsed (a note's table is often not among the retrieved passages) and those retrieval found.
 * Read the first time a sentence of that document opens with a mark: reading every hit's article
 * sections inflated each article's text and layout, one block of up to 90 ms of a chat at 100k
 * passages (profiled), for the few sentences that are notes.
 */
function noteTitles(hits: SearchHit[]): (articleId: string) => Map<string, string[]> {
  const byArticle = new Map<string, Map<string, string[]>>();
  return (articleId) => {
    let titles = byArticle.get(articleId);
    if (!titles) {
      const ofArticle = hits.filter((hit) => hit.article.id === articleId);
      const parsed = ofArticle[0]?.article.sections.flatMap((section) => section.tables ?? []) ?? [];
      titles = titlesByNoteMark([...parsed, ...ofArticle.flatMap((hit) => passageTable(hit.chunk) ?? [])]);
      byArticle.set(articleId, titles);
    }
    return titles;
  };
}

function outside(words: number, profile: Pick<SelectionProfile, 'minWords' | 'maxWords'>): boolean {
  return words < profile.minWords || words > profile.maxWords;
}

/** Figures that identify a fact: not small counts ("two", "3 segments") without decimals. */
function keyFigures(text: string): Set<number> {
  return new Set(
    extractFigures(text)
      .filter((figure) => figure.value >= 10 || figure.decimals > 0)
      .map((figure) => figure.value),
  );
}

/**
 * How much of a query a text repeats: each query term weighted by how telling it is in the
 * knowledge base (inverse document frequency), matched on stems. Read once per query, so a caller
 * can weigh other evidence (a table row's label) on the same scale.
 */
export async function questionCoverage(kb: KnowledgeStore, analysis: QueryAnalysis): Promise<(words: Set<string>) => number> {
  const statistics = await kb.termStatistics(analysis.terms.map(({ term }) => term));
  const termWeights = analysis.terms.map(({ term, weight }) => ({
    term: stem(term),
    weight: weight * Math.max(0.1, inverseDocumentFrequency(statistics, term)),
  }));
  const total = termWeights.reduce((sum, { weight }) => sum + weight, 0) || 1;
  return (words) => termWeights.reduce((sum, { term, weight }) => sum + (words.has(term) ? weight : 0), 0) / total;
}

/** A text's words as the selector compares them. */
export function sentenceWords(text: string): Set<string> {
  return new Set(tokenize(text).map(stem));
}

/** The same sentence from two passages, whatever its punctuation and case. */
export function normalizeSentence(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}%]+/gu, ' ')
    .trim();
}
