import type { WordVectorTable } from './word-vector-cache.ts';
import type { EmbedTerm, TermKind } from './embed-terms.ts';
import { normalizeVector } from './normalize-vector.ts';

/**
 * Smooth inverse frequency sentence vectors (Arora, Liang & Ma 2017, "A Simple but Tough-to-Beat
 * Baseline for Sentence Embeddings"): the weighted sum of word vectors with weight a/(a + p(w)),
 * minus the projection on a common ("discourse") direction. Pure.
 *
 * The wink vocabulary carries no counts, only frequency order, so p(w) comes from Zipf's law:
 * p(rank r) = 1 / ((r + 1) · H), with H the harmonic number of the vocabulary size. That gives
 * p("the") ≈ 7.5 %, close to its measured share of English text.
 *
 * Arora et al. take the common direction as the first principal component of the corpus's
 * sentence vectors, which makes a vector depend on what else was indexed. Here it is the expected
 * SIF sentence vector under the same Zipf distribution, Σ p(w)·weight(w)·v(w): fixed by the model,
 * deterministic, and the same at index and query time.
 */
export const SIF_DEFAULTS = {
  /** Arora et al.'s a; their best range is 1e-4 to 1e-3. */
  a: 1e-3,
  /** Weights of out-of-vocabulary terms, relative to a rare known word (≈ 1). */
  oovWeight: { word: 0.5, number: 0.35, cjk: 0.5 } satisfies Record<TermKind, number>,
};

export type SifSettings = typeof SIF_DEFAULTS;

export function zipfProbabilities(size: number): Float64Array {
  let harmonic = 0;
  for (let rank = 1; rank <= size; rank += 1) harmonic += 1 / rank;
  const probabilities = new Float64Array(size);
  for (let rank = 0; rank < size; rank += 1) probabilities[rank] = 1 / ((rank + 1) * harmonic);
  return probabilities;
}

export function sifWeights(probabilities: Float64Array, a: number): Float32Array {
  const weights = new Float32Array(probabilities.length);
  for (let rank = 0; rank < probabilities.length; rank += 1) weights[rank] = a / (a + probabilities[rank]);
  return weights;
}

/** The unit-length expected sentence vector, Σ p(w)·weight(w)·v(w) normalised. */
export function computeCommonDirection(table: WordVectorTable, probabilities: Float64Array, weights: Float32Array): Float32Array {
  const { dim, vectors } = table;
  const sum = new Float64Array(dim);
  for (let rank = 0; rank < table.size; rank += 1) {
    const scale = probabilities[rank] * weights[rank];
    const offset = rank * dim;
    for (let index = 0; index < dim; index += 1) sum[index] += scale * vectors[offset + index];
  }
  return normalizeVector(Float32Array.from(sum));
}

/** Mean L2 norm of the vocabulary's vectors: the scale given to hashed out-of-vocabulary vectors. */
export function computeMeanNorm(table: WordVectorTable): number {
  const { dim, vectors } = table;
  if (table.size === 0) return 1;
  let total = 0;
  for (let rank = 0; rank < table.size; rank += 1) {
    let squares = 0;
    for (let index = rank * dim; index < (rank + 1) * dim; index += 1) squares += vectors[index] * vectors[index];
    total += Math.sqrt(squares);
  }
  return total / table.size;
}

/**
 * A deterministic pseudo-random unit vector for a term without a word vector (tickers, numbers,
 * CJK): the same term always maps to the same direction, so exact matches still count, and
 * different terms are nearly orthogonal. FNV-1a seeds mulberry32; only integer arithmetic and
 * one square root, so the values are identical on every platform.
 */
export function hashTermVector(term: string, dim: number): Float32Array {
  let hash = 0x811c9dc5;
  for (let index = 0; index < term.length; index += 1) {
    hash ^= term.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  let state = hash >>> 0;
  const vector = new Float32Array(dim);
  for (let index = 0; index < dim; index += 1) {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed);
    const uniform = ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
    vector[index] = uniform * 2 - 1;
  }
  return normalizeVector(vector);
}

export interface SifModel {
  table: WordVectorTable;
  weights: Float32Array;
  commonDirection: Float32Array;
  oovScale: number;
  settings: SifSettings;
  /** Hashed vectors of out-of-vocabulary terms already seen (numbers and tickers repeat); bounded by its owner. */
  oovVectors?: Map<string, Float32Array>;
}

/** The SIF vector of a list of terms: weighted sum, common direction removed, unit length. */
export function embedTerms(terms: EmbedTerm[], model: SifModel): Float32Array {
  const { dim, vectors } = model.table;
  const sum = new Float64Array(dim);
  for (const term of terms) {
    if (term.rank !== undefined) {
      const weight = term.share * model.weights[term.rank];
      const offset = term.rank * dim;
      for (let index = 0; index < dim; index += 1) sum[index] += weight * vectors[offset + index];
    } else {
      const weight = term.share * model.settings.oovWeight[term.kind] * model.oovScale;
      const key = `${term.kind}:${term.term}`;
      let hashed = model.oovVectors?.get(key);
      if (!hashed) {
        hashed = hashTermVector(key, dim);
        model.oovVectors?.set(key, hashed);
      }
      for (let index = 0; index < dim; index += 1) sum[index] += weight * hashed[index];
    }
  }
  let projection = 0;
  for (let index = 0; index < dim; index += 1) projection += sum[index] * model.commonDirection[index];
  const result = new Float32Array(dim);
  for (let index = 0; index < dim; index += 1) result[index] = sum[index] - projection * model.commonDirection[index];
  return normalizeVector(result);
}
