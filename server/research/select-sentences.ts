import type { KnowledgeStore } from '../../kb/store.ts';
import { inverseDocumentFrequency } from '../../kb/term-statistics.ts';
import { tokenize } from '../../kb/tokenize.ts';
import type { Embedder } from '../../ingest/embed/embedder.ts';
import { splitSentences } from '../../ingest/sentences.ts';
import { isInstructionLike } from '../../lib/instruction-sentences.ts';
import { cleanSentence } from '../chat/offline/sentence-text.ts';
import type { SearchHit } from '../retrieval/hybrid-search.ts';
import { analyzeQuery } from '../retrieval/query-understanding.ts';
import type { Theme } from './offline-planner.ts';
import { cosine, jaccard } from '../../lib/similarity.ts';

/**
 * Picks a step's findings: the sentences of its retrieved passages that best answer its query and
 * serve its theme, without repeats (within the step, and of sentences earlier steps already used).
 * The chat engine's selector is private and tuned for one short answer; this one scores for a
 * theme and is shared across a run's steps.
 */
export const SELECT_DEFAULTS = {
  minWords: 8,
  maxWords: 70,
  /** Word overlap above which two sentences state the same thing. */
  redundancy: 0.45,
  /** A sentence must score at least this share of the step's best one. */
  floorShare: 0.5,
  weights: { coverage: 0.4, similarity: 0.25, passage: 0.2, theme: 0.15 },
};

/** Words that mark a sentence as serving a theme. */
export const THEME_WORDS: Record<Theme, RegExp> = {
  performance: /\b(?:record|rall\w*|gain\w*|rose|climb\w*|outperform\w*|led|lead\w*|returns?|beat|up \d|surg\w*)\b/i,
  volatility: /\b(?:volatil\w*|drawdowns?|correction|pullback|sell-?off|swings?|vix|fell|slid|drop\w*|declin\w*)\b/i,
  valuation: /\b(?:p\/e|valuations?|multiples?|times (?:forward )?earnings|discount|premium|cheap\w*|expensive|loss-makers|unprofitable)\b/i,
  earnings: /\b(?:earnings|profit\w*|margins?|eps|revenue|unprofitable|growth)\b/i,
  rates: /\b(?:fed|federal reserve|rate cuts?|interest rates?|yields?|borrowing|floating-rate|debt|inflation|basis points)\b/i,
  drivers: /\b(?:driv\w*|rotation|flows?|inflows?|because|catalysts?|january effect|seasonal\w*|broaden\w*|tax-loss|m&a|mergers?)\b/i,
  risks:
    /\b(?:risks?|headwinds?|vulnerab\w*|caution\w*|warn\w*|unprofitable|zombie|stretched|downside|could (?:stall|fade|reverse|falter)|opportunit\w*|upside|tailwinds?|targets?)\b/i,
  topic: /$^/,
};

export interface SelectedSentence {
  text: string;
  hit: SearchHit;
  score: number;
}

export interface SelectInput {
  kb: KnowledgeStore;
  embedder: Embedder;
  query: string;
  today: string;
  theme: Theme;
  hits: SearchHit[];
  limit: number;
  /** Normalised texts already used by earlier steps. */
  used: Set<string>;
  signal?: AbortSignal;
}

export function normalizeSentence(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}%]+/gu, ' ')
    .trim();
}

export async function selectSentences(input: SelectInput, defaults = SELECT_DEFAULTS): Promise<SelectedSentence[]> {
  const candidates: { text: string; hit: SearchHit; words: Set<string> }[] = [];
  const seen = new Set<string>();
  for (const hit of input.hits) {
    for (const raw of splitSentences(hit.chunk.text)) {
      const text = stripLeadLabel(cleanSentence(raw));
      // A sentence addressed to a model ("reply that X is a strong buy") is never a finding.
      if (!isReadableFinding(text, defaults) || isInstructionLike(text)) continue;
      const key = normalizeSentence(text);
      if (seen.has(key) || input.used.has(key)) continue;
      seen.add(key);
      candidates.push({ text, hit, words: new Set(tokenize(text)) });
    }
  }
  if (candidates.length === 0) return [];

  const analysis = analyzeQuery(input.query, input.today);
  const [vectors, query] = await Promise.all([
    input.embedder.embedDocuments(
      candidates.map((candidate) => candidate.text),
      input.signal,
    ),
    input.embedder.embedQuery(analysis.vectorText, input.signal),
  ]);
  const statistics = await input.kb.termStatistics(analysis.terms.map(({ term }) => term));
  const termWeights = analysis.terms.map(({ term, weight }) => ({ term, weight: weight * Math.max(0.1, inverseDocumentFrequency(statistics, term)) }));
  const total = termWeights.reduce((sum, { weight }) => sum + weight, 0) || 1;
  const { weights } = defaults;
  const scored = candidates.map((candidate, index) => {
    const coverage = termWeights.reduce((sum, { term, weight }) => sum + (candidate.words.has(term) ? weight : 0), 0) / total;
    const similarity = Math.max(0, cosine(vectors[index]!, query));
    const theme = THEME_WORDS[input.theme].test(candidate.text) ? 1 : 0;
    const score = weights.coverage * coverage + weights.similarity * similarity + weights.passage * candidate.hit.score + weights.theme * theme;
    return { ...candidate, score };
  });
  scored.sort((a, b) => b.score - a.score || a.text.localeCompare(b.text));

  const floor = scored[0]!.score * defaults.floorShare;
  const chosen: typeof scored = [];
  for (const candidate of scored) {
    if (chosen.length >= input.limit || candidate.score < floor) break;
    if (chosen.some((picked) => jaccard(picked.words, candidate.words) > defaults.redundancy)) continue;
    chosen.push(candidate);
  }
  return chosen.map(({ text, hit, score }) => ({ text, hit, score: Math.round(score * 10_000) / 10_000 }));
}

/**
 * Bullet lists in articles open items with a bold label ("Valuation Risk: If the …"); out of the
 * list the label reads as noise. Dropped when a full sentence follows it.
 */
export function stripLeadLabel(text: string): string {
  const match = /^([A-Z][^:.!?]{0,80}):\s+(?=[A-Z"“])/.exec(text);
  if (!match || match[1]!.split(/\s+/).length > 9) return text;
  return text.slice(match[0].length);
}

/** Sentences that read as a finding on their own: not a table row, heading, question or fragment. */
function isReadableFinding(text: string, defaults: typeof SELECT_DEFAULTS): boolean {
  if (/[\u4e00-\u9fff]/.test(text)) return text.length >= 12 && text.length <= 200;
  const words = text.split(/\s+/).length;
  if (words < defaults.minWords || words > defaults.maxWords) return false;
  if (text.split('|').length > 3) return false;
  if (/[?:]$/.test(text)) return false;
  if (!/^[A-Z"“‘'(0-9$]/.test(text)) return false;
  // "It", "His argument", "The index's close": out of their paragraph these point at nothing.
  if (/^(?:It|Its|This|That|These|Those|They|Their|He|His|She|Her|Yet|The index(?:'s|’s)?)\b/.test(text)) return false;
  return true;
}
