import { growSharedMemory } from '../../lib/shared-wasm-memory.ts';
import type { EmbedTerm } from './embed-terms.ts';
import { oovVector, type SifModel } from './sif.ts';
import { WEIGHTED_SUM_WASM } from './weighted-sum-wasm.ts';

/**
 * The embedder's weighted sum of word vectors in WebAssembly (weighted-sum.wat), reading the
 * word-vector table where it lies: the cache file read into a shared WebAssembly memory
 * (word-vectors.ts), which the threads that embed share. Each kernel claims a region of its own
 * at the memory's end for the terms it is given, the vectors of terms outside the vocabulary and
 * the sum.
 */

/** Terms handed to the module at once (a longer text goes in several calls: the sum runs on). */
const TERMS_PER_CALL = 512;
const TERM_BYTES = 16;

let compiled: WebAssembly.Module | undefined;

export class WeightedSumKernel {
  private readonly run: (terms: number, count: number, sum: number, dim: number) => void;
  private readonly rowsAt: number;
  private readonly oovAt: number;
  private readonly sumAt: number;
  private readonly termsAt: number;
  private readonly offsets: Int32Array;
  private readonly weights: Float64Array;
  private readonly oovRows: Float32Array;
  private readonly sum: Float64Array;

  private constructor(
    memory: WebAssembly.Memory,
    region: number,
    private readonly dim: number,
    vectors: Float32Array,
  ) {
    // Compiled once per thread (about half a kilobyte).
    compiled ??= new WebAssembly.Module(Buffer.from(WEIGHTED_SUM_WASM, 'base64'));
    this.run = new WebAssembly.Instance(compiled, { env: { memory } }).exports.weightedSum as WeightedSumKernel['run'];
    this.rowsAt = vectors.byteOffset;
    this.termsAt = region;
    this.sumAt = region + TERMS_PER_CALL * TERM_BYTES;
    this.oovAt = this.sumAt + dim * 8;
    const buffer = memory.buffer;
    // A term's row offset at its first four bytes, its weight at its last eight.
    this.offsets = new Int32Array(buffer, this.termsAt, (TERMS_PER_CALL * TERM_BYTES) / 4);
    this.weights = new Float64Array(buffer, this.termsAt, (TERMS_PER_CALL * TERM_BYTES) / 8);
    this.sum = new Float64Array(buffer, this.sumAt, dim);
    this.oovRows = new Float32Array(buffer, this.oovAt, TERMS_PER_CALL * dim);
  }

  /**
   * A kernel over `vectors` when they are a view of `memory` (`cacheBytes`, the memory's bytes
   * from offset 0, and `vectors` within it), with a region claimed for this kernel; undefined when
   * the vectors lie elsewhere or the memory cannot grow (the caller sums in JavaScript).
   */
  static over(memory: WebAssembly.Memory, cacheBytes: Uint8Array, vectors: Float32Array, dim: number): WeightedSumKernel | undefined {
    if (cacheBytes.byteOffset !== 0 || vectors.buffer !== cacheBytes.buffer) return undefined;
    const bytes = TERMS_PER_CALL * TERM_BYTES + dim * 8 + TERMS_PER_CALL * dim * 4;
    // Pages of its own at the memory's end (a thread's region stays claimed while the memory lives).
    const region = growSharedMemory(memory, bytes);
    return region === undefined ? undefined : new WeightedSumKernel(memory, region, dim, vectors);
  }

  /**
   * `weightedSum` of sif.ts, to the bit: Σ weight(term) · vector(term) in float64. The result is
   * this kernel's own array, overwritten by the next call.
   */
  weightedSum(terms: EmbedTerm[], model: SifModel): Float64Array {
    const { dim, offsets, weights, oovRows } = this;
    this.sum.fill(0);
    for (let first = 0; first < terms.length; first += TERMS_PER_CALL) {
      const count = Math.min(TERMS_PER_CALL, terms.length - first);
      let oovCount = 0;
      for (let index = 0; index < count; index += 1) {
        const term = terms[first + index]!;
        if (term.rank !== undefined) {
          offsets[index * 4] = this.rowsAt + term.rank * dim * 4;
          weights[index * 2 + 1] = term.share * model.weights[term.rank]!;
        } else {
          oovRows.set(oovVector(term, model), oovCount * dim);
          offsets[index * 4] = this.oovAt + oovCount * dim * 4;
          weights[index * 2 + 1] = term.share * model.settings.oovWeight[term.kind] * model.oovScale;
          oovCount += 1;
        }
      }
      this.run(this.termsAt, count, this.sumAt, dim);
    }
    return this.sum;
  }
}
