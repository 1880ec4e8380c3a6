import type { WordVectorTable } from './word-vector-cache.ts';
import type { EmbedTerm, TermKind } from './embed-terms.ts';
import { normalizeVector } from './normalize-vector.ts';
import type { WeightedSumKernel } from './weighted-sum-kernel.ts';

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

/**
 * The weighting's whole-table figures for parameter `a`: what the word-vector cache keeps (its header's
 * `sif`) so that a start need not compute them.
 */
export interface SifFigures {
  a: number;
  commonDirection: Float32Array;
  meanNorm: number;
}

export function sifFiguresOf(table: WordVectorTable, a: number): SifFigures {
  const probabilities = zipfProbabilities(table.size);
  return { a, commonDirection: computeCommonDirection(table, probabilities, sifWeights(probabilities, a)), meanNorm: computeMeanNorm(table) };
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
  /**
   * The same by term object: the embedder's token memo hands out the same terms again, and this
   * lookup skips building and hashing the text key (1.1 µs a term here, 30 terms a passage).
   */
  oovTermVectors?: WeakMap<EmbedTerm, Float32Array>;
  /** The weighted sum in WebAssembly, where the table lies in a WebAssembly memory (weighted-sum-kernel.ts). */
  kernel?: WeightedSumKernel;
}

/** A term's hashed vector, memoised by the term object (memoised tokens repeat it) and by its text. */
export function oovVector(term: EmbedTerm, model: SifModel): Float32Array {
  const known = model.oovTermVectors?.get(term);
  if (known) return known;
  const key = `${term.kind}:${term.term}`;
  let hashed = model.oovVectors?.get(key);
  if (!hashed) {
    hashed = hashTermVector(key, model.table.dim);
    model.oovVectors?.set(key, hashed);
  }
  model.oovTermVectors?.set(term, hashed);
  return hashed;
}

/**
 * Rows added to the sum in one pass over it. Each component still adds the terms' rows one after
 * another in the terms' order, so the float64 sum is the same to the bit as adding one row per
 * pass; but the sum is read and written a quarter as often and four rows' loads overlap. A
 * generated passage's 180 rows (100 dimensions, the 341k-word table), with the memo by term
 * object above: 71-88 µs against 120-129 one row per pass (bench/suite/embed-rows-bench.ts); on a
 * small hot table, two rows per pass took 45 µs, four 37 and eight 43.
 */
const ROWS_PER_PASS = 4;

/** The SIF vector of a list of terms: weighted sum, common direction removed, unit length. */
export function embedTerms(terms: EmbedTerm[], model: SifModel): Float32Array {
  const { dim } = model.table;
  const sum = model.kernel ? model.kernel.weightedSum(terms, model) : weightedSum(terms, model);
  let projection = 0;
  for (let index = 0; index < dim; index += 1) projection += sum[index] * model.commonDirection[index];
  const result = new Float32Array(dim);
  for (let index = 0; index < dim; index += 1) result[index] = sum[index] - projection * model.commonDirection[index];
  return normalizeVector(result);
}

/** Σ weight(term) · vector(term) over the terms, in float64. */
export function weightedSum(terms: EmbedTerm[], model: SifModel): Float64Array {
  const { dim, vectors } = model.table;
  const count = terms.length;
  // Each term's row (in the table, or its hashed vector at offset 0) and weight, then the sum.
  const rows: Float32Array[] = new Array(count);
  const offsets = new Int32Array(count);
  const weights = new Float64Array(count);
  for (let position = 0; position < count; position += 1) {
    const term = terms[position];
    if (term.rank !== undefined) {
      rows[position] = vectors;
      offsets[position] = term.rank * dim;
      weights[position] = term.share * model.weights[term.rank];
    } else {
      rows[position] = oovVector(term, model);
      weights[position] = term.share * model.settings.oovWeight[term.kind] * model.oovScale;
    }
  }
  const sum = new Float64Array(dim);
  let position = 0;
  for (; position + ROWS_PER_PASS <= count; position += ROWS_PER_PASS) {
    const row0 = rows[position];
    const row1 = rows[position + 1];
    const row2 = rows[position + 2];
    const row3 = rows[position + 3];
    const offset0 = offsets[position];
    const offset1 = offsets[position + 1];
    const offset2 = offsets[position + 2];
    const offset3 = offsets[position + 3];
    const weight0 = weights[position];
    const weight1 = weights[position + 1];
    const weight2 = weights[position + 2];
    const weight3 = weights[position + 3];
    for (let index = 0; index < dim; index += 1) {
      sum[index] =
        sum[index] + weight0 * row0[offset0 + index] + weight1 * row1[offset1 + index] + weight2 * row2[offset2 + index] + weight3 * row3[offset3 + index];
    }
  }
  for (; position < count; position += 1) {
    const row = rows[position];
    const offset = offsets[position];
    const weight = weights[position];
    for (let index = 0; index < dim; index += 1) sum[index] = sum[index] + weight * row[offset + index];
  }
  return sum;
}
