import { LEXICAL_DEFAULTS } from '../lexical-index.ts';
import { tokenize } from '../tokenize.ts';

/**
 * What the Postgres store keeps per passage for BM25, computed with the project's own tokenizer so
 * that terms, matched terms and term statistics agree with the embedded store. Pure.
 *
 * The weights follow the embedded lexical index: a term counts 1 per occurrence in the text, and
 * less in the section heading and the article title; only text occurrences make the passage length
 * and the document frequency. Text terms come first so `textTerms` says which entries feed the
 * document frequency (the database then needs no second array).
 */
export interface PassageTerms {
  terms: string[];
  weights: number[];
  /** How many leading entries of `terms` occur in the passage text itself. */
  textTerms: number;
  /** Tokens in the text (at least 1): BM25's document length. */
  length: number;
}

export function computePassageTerms(text: string, section: string, title: string): PassageTerms {
  const textTokens = tokenize(text);
  const weights = new Map<string, number>();
  for (const term of textTokens) weights.set(term, (weights.get(term) ?? 0) + 1);
  const textTerms = weights.size;
  for (const term of tokenize(section)) weights.set(term, (weights.get(term) ?? 0) + LEXICAL_DEFAULTS.sectionWeight);
  for (const term of tokenize(title)) weights.set(term, (weights.get(term) ?? 0) + LEXICAL_DEFAULTS.titleWeight);
  return { terms: [...weights.keys()], weights: [...weights.values()], textTerms, length: Math.max(1, textTokens.length) };
}

export interface LexiconDelta {
  term: string;
  /** Change in passages whose text holds the term (document frequency). */
  passages: number;
  /** Change in passages that hold the term anywhere (text, section or title). */
  postings: number;
}

/** Sums the lexicon changes of adding (sign 1) or removing (sign -1) passages, sorted by term. */
export function sumLexiconDeltas(passages: Pick<PassageTerms, 'terms' | 'textTerms'>[], sign: 1 | -1): LexiconDelta[] {
  const deltas = new Map<string, LexiconDelta>();
  for (const passage of passages) {
    passage.terms.forEach((term, index) => {
      const delta = deltas.get(term) ?? { term, passages: 0, postings: 0 };
      delta.postings += sign;
      if (index < passage.textTerms) delta.passages += sign;
      deltas.set(term, delta);
    });
  }
  // A fixed order makes concurrent writers lock lexicon rows in the same order (no deadlocks).
  return [...deltas.values()].sort((a, b) => (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
}
