import { describe, expect, it } from 'vitest';
import type { EmbedTerm, TermKind } from '../../ingest/embed/embed-terms.ts';
import {
  SIF_DEFAULTS,
  computeCommonDirection,
  computeMeanNorm,
  embedTerms,
  hashTermVector,
  sifWeights,
  zipfProbabilities,
  weightedSum,
  type SifModel,
} from '../../ingest/embed/sif.ts';
import type { WordVectorTable } from '../../ingest/embed/word-vector-cache.ts';
import { WeightedSumKernel } from '../../ingest/embed/weighted-sum-kernel.ts';
import { randomVectors } from '../helpers/random-vectors.ts';

function model(size: number, dim: number, seed: number): SifModel {
  const table: WordVectorTable = {
    size,
    dim,
    vocabulary: new Uint8Array(0),
    vectors: Float32Array.from(randomVectors(size, seed, dim).flatMap((row) => [...row])),
  };
  const probabilities = zipfProbabilities(size);
  const weights = sifWeights(probabilities, SIF_DEFAULTS.a);
  return { table, weights, commonDirection: computeCommonDirection(table, probabilities, weights), oovScale: computeMeanNorm(table), settings: SIF_DEFAULTS };
}

/** The weighted sum one row at a time, in the terms' order: what `weightedSum` must equal to the bit. */
function sumOneRowAtATime(terms: EmbedTerm[], sif: SifModel): Float64Array {
  const { dim, vectors } = sif.table;
  const sum = new Float64Array(dim);
  for (const term of terms) {
    const weight = term.rank !== undefined ? term.share * sif.weights[term.rank]! : term.share * sif.settings.oovWeight[term.kind] * sif.oovScale;
    const row = term.rank !== undefined ? vectors.subarray(term.rank * dim, (term.rank + 1) * dim) : hashTermVector(`${term.kind}:${term.term}`, dim);
    for (let index = 0; index < dim; index += 1) sum[index] += weight * row[index]!;
  }
  return sum;
}

function randomTerms(count: number, size: number, next: () => number): EmbedTerm[] {
  const kinds: TermKind[] = ['word', 'number', 'cjk'];
  return Array.from({ length: count }, (_, index) => {
    const share = [1, 0.5, 0.25][Math.floor(next() * 3)]!;
    if (next() < 0.8) return { term: `w${index}`, kind: 'word' as const, rank: Math.floor(next() * size), share };
    return { term: `t${Math.floor(next() * 20)}`, kind: kinds[Math.floor(next() * 3)]!, share };
  });
}

function bits(vector: Float32Array | Float64Array): string {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('hex');
}

describe('weightedSum and embedTerms', () => {
  it('sums several rows per pass yet equals adding them one at a time, in float64 to the bit (every remainder, odd dimensions)', () => {
    let state = 12345;
    const next = () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state / 4294967296;
    };
    for (const dim of [7, 100]) {
      const sif = model(500, dim, dim);
      for (let count = 0; count <= 13; count += 1) {
        for (let trial = 0; trial < 5; trial += 1) {
          const terms = randomTerms(count, 500, next);
          expect(bits(weightedSum(terms, sif))).toBe(bits(sumOneRowAtATime(terms, sif)));
        }
      }
      const long = randomTerms(181, 500, next);
      expect(bits(weightedSum(long, sif))).toBe(bits(sumOneRowAtATime(long, sif)));
    }
  });

  it('memoises a term without a vector by its object and by its text, with the same result either way', () => {
    const sif = model(50, 16, 3);
    const number: EmbedTerm = { term: '2024', kind: 'number', share: 1 };
    const word: EmbedTerm = { term: 'the', kind: 'word', rank: 0, share: 1 };
    const plain = embedTerms([word, number, number], sif);
    const memoised = { ...sif, oovVectors: new Map<string, Float32Array>(), oovTermVectors: new WeakMap<EmbedTerm, Float32Array>() };
    expect(bits(embedTerms([word, number, number], memoised))).toBe(bits(plain));
    expect([...memoised.oovVectors.keys()]).toEqual(['number:2024']);
    expect(memoised.oovTermVectors.get(number)).toBe(memoised.oovVectors.get('number:2024'));
    expect(memoised.oovTermVectors.has(word)).toBe(false);
    // A fresh object of the same text finds the vector by its text.
    const again: EmbedTerm = { term: '2024', kind: 'number', share: 1 };
    expect(bits(embedTerms([word, again, number], memoised))).toBe(bits(plain));
    expect(memoised.oovTermVectors.get(again)).toBe(memoised.oovVectors.get('number:2024'));
    expect(bits(memoised.oovVectors.get('number:2024')!)).toBe(bits(hashTermVector('number:2024', 16)));
  });
});

/** `sif`'s table copied into a shared WebAssembly memory after `before` bytes, as word-vectors.ts reads the cache file into one. */
function inMemory(sif: SifModel, before: number, maximumPages = 100) {
  const { vectors } = sif.table;
  const memory = new WebAssembly.Memory({ initial: Math.ceil((before + vectors.byteLength) / 65_536), maximum: maximumPages, shared: true });
  const buffer = memory.buffer;
  const cacheBytes = new Uint8Array(buffer, 0, before + vectors.byteLength);
  const shared = new Float32Array(buffer, before, vectors.length);
  shared.set(vectors);
  return { memory, cacheBytes, vectors: shared, model: { ...sif, table: { ...sif.table, vectors: shared } } };
}

describe('the weighted sum in WebAssembly', () => {
  let state = 777;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 4294967296;
  };

  it('equals the JavaScript sum to the bit: every remainder of four, odd dimensions, terms outside the vocabulary, texts longer than one call', () => {
    for (const dim of [7, 100]) {
      const shared = inMemory(model(500, dim, dim + 1), 8 * dim + 4);
      const kernel = WeightedSumKernel.over(shared.memory, shared.cacheBytes, shared.vectors, dim)!;
      const memoised = { ...shared.model, oovVectors: new Map<string, Float32Array>(), oovTermVectors: new WeakMap<EmbedTerm, Float32Array>() };
      for (const count of [...Array.from({ length: 14 }, (_, index) => index), 181, 1_300]) {
        const terms = randomTerms(count, 500, next);
        const expected = bits(sumOneRowAtATime(terms, shared.model));
        expect(bits(kernel.weightedSum(terms, memoised))).toBe(expected);
        expect(bits(weightedSum(terms, memoised))).toBe(expected);
      }
      // Through embedTerms, as the embedder calls it.
      const terms = randomTerms(40, 500, next);
      expect(bits(embedTerms(terms, { ...memoised, kernel }))).toBe(bits(embedTerms(terms, shared.model)));
    }
  });

  it('gives each kernel of a memory a region of its own', () => {
    const shared = inMemory(model(300, 16, 5), 0);
    const first = WeightedSumKernel.over(shared.memory, shared.cacheBytes, shared.vectors, 16)!;
    const second = WeightedSumKernel.over(shared.memory, shared.cacheBytes, shared.vectors, 16)!;
    const one = randomTerms(30, 300, next);
    const other = randomTerms(50, 300, next);
    const sum = first.weightedSum(one, shared.model);
    second.weightedSum(other, shared.model);
    expect(bits(sum)).toBe(bits(sumOneRowAtATime(one, shared.model)));
  });

  it('declines vectors that are not the memory bytes it is given, and a memory that cannot grow', () => {
    const shared = inMemory(model(300, 16, 6), 16);
    expect(WeightedSumKernel.over(shared.memory, shared.cacheBytes, shared.model.table.vectors.slice(), 16)).toBeUndefined();
    expect(WeightedSumKernel.over(shared.memory, shared.cacheBytes.subarray(4), shared.vectors, 16)).toBeUndefined();
    const full = inMemory(model(300, 16, 6), 16, 1);
    expect(WeightedSumKernel.over(full.memory, full.cacheBytes, full.vectors, 16)).toBeUndefined();
  });
});
