import type { TermStatistics } from './store.ts';

/**
 * Inverse document frequency in BM25's smoothed form (never negative), from a store's term
 * statistics: every caller weighs terms the same way whatever the backend.
 */
export function inverseDocumentFrequency(statistics: TermStatistics, term: string): number {
  const frequency = statistics.documentFrequency.get(term) ?? 0;
  return Math.log(1 + (statistics.passages - frequency + 0.5) / (frequency + 0.5));
}
