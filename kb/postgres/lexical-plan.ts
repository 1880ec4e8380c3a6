import { LEXICAL_DEFAULTS } from '../lexical-index.ts';
import type { WeightedQueryTerm } from '../store.ts';

/**
 * Chooses which query terms a BM25 search runs with, exactly as the embedded lexical index does, so
 * both backends score the same terms: duplicate terms keep their highest weight; terms no passage
 * holds are dropped; the most informative (weight × IDF) come first, at most `maxQueryTerms`; and in
 * a large store, terms held by more than `commonShare` of passages do not choose candidates (they
 * still add to the chosen passages' scores and matched terms). Pure.
 */
export interface LexiconEntry {
  /** Passages whose text holds the term (document frequency). */
  passages: number;
  /** Passages holding the term in text, section or title. */
  postings: number;
}

export interface PlannedTerm {
  term: string;
  /** weight × IDF: the term's factor in every passage's score. */
  value: number;
  /** True when the term alone does not make a passage a candidate. */
  common: boolean;
}

export function mergeQueryTerms(terms: WeightedQueryTerm[]): Map<string, number> {
  const merged = new Map<string, number>();
  for (const { term, weight } of terms) merged.set(term, Math.max(merged.get(term) ?? 0, weight));
  return merged;
}

/** BM25's smoothed inverse document frequency. */
function inverseDocumentFrequency(passages: number, documentFrequency: number): number {
  return Math.log(1 + (passages - documentFrequency + 0.5) / (documentFrequency + 0.5));
}

export function planLexicalTerms(merged: Map<string, number>, lexicon: Map<string, LexiconEntry>, passages: number): PlannedTerm[] {
  const { maxQueryTerms, commonShare, commonMinPassages } = LEXICAL_DEFAULTS;
  const planned = [...merged]
    .filter(([term]) => (lexicon.get(term)?.postings ?? 0) > 0)
    .map(([term, weight]) => {
      const frequency = lexicon.get(term)?.passages ?? 0;
      return { term, value: weight * inverseDocumentFrequency(passages, frequency), frequency };
    })
    .sort((a, b) => b.value - a.value || a.term.localeCompare(b.term))
    .slice(0, maxQueryTerms)
    .map(({ term, value, frequency }) => ({ term, value, common: passages >= commonMinPassages && frequency > commonShare * passages }));
  // A query of only common words: they all choose candidates.
  if (planned.every((term) => term.common)) for (const term of planned) term.common = false;
  return planned;
}
