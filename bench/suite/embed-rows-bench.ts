import { parseArgs } from 'node:util';
import { buildEmbedText } from '../../ingest/chunk.ts';
import { extractEmbedTerms, type EmbedTerm } from '../../ingest/embed/embed-terms.ts';
import { SIF_DEFAULTS, computeCommonDirection, hashTermVector, sifWeights, weightedSum, zipfProbabilities, type SifModel } from '../../ingest/embed/sif.ts';
import { WeightedSumKernel } from '../../ingest/embed/weighted-sum-kernel.ts';
import { loadWordVectors } from '../../ingest/embed/word-vectors.ts';
import { VocabularyIndex } from '../../lib/vocabulary-index.ts';
import { WORD_VECTOR_CACHE } from '../retrieval/corpus.ts';
import { round } from './statistics.ts';
import { generateArticle } from './synthetic-corpus.ts';

/**
 * What the offline embedder's weighted sum of word vectors costs a passage: in WebAssembly
 * (weighted-sum-kernel.ts, over the table read into a WebAssembly memory), in JavaScript
 * (`weightedSum` in sif.ts: several rows per pass over the sum, terms without a vector memoised by
 * object), and adding one row per pass with those memoised by text alone, as before; on generated
 * passages and the real 341k-word table. The three must agree to the bit. Why the sum runs in
 * WebAssembly and sif.ts's fallback sums four rows per pass (the build's embedding thread is on its
 * critical path: store-build.ts).
 *
 *   tsx bench/suite/embed-rows-bench.ts [--passages 4000] [--rounds 5]
 */
function sumOneRowAtATime(terms: EmbedTerm[], model: SifModel): Float64Array {
  const { dim, vectors } = model.table;
  const sum = new Float64Array(dim);
  for (const term of terms) {
    const weight = term.rank !== undefined ? term.share * model.weights[term.rank]! : term.share * model.settings.oovWeight[term.kind] * model.oovScale;
    // As sif.ts did before: a term without a vector memoised by its text alone.
    let row = vectors;
    if (term.rank === undefined) {
      const key = `${term.kind}:${term.term}`;
      row = model.oovVectors?.get(key) ?? hashTermVector(key, dim);
      model.oovVectors?.set(key, row);
    }
    const offset = term.rank !== undefined ? term.rank * dim : 0;
    for (let index = 0; index < dim; index += 1) sum[index] += weight * row[offset + index]!;
  }
  return sum;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { passages: { type: 'string' }, rounds: { type: 'string' } } });
  const passages = Number(values.passages ?? 4_000);
  const rounds = Number(values.rounds ?? 5);
  const { table, cacheMemory, cacheBytes } = await loadWordVectors({ cacheDir: WORD_VECTOR_CACHE });
  const kernel = cacheMemory && WeightedSumKernel.over(cacheMemory, cacheBytes, table.vectors, table.dim);
  if (!kernel) throw new Error('the word vectors are not in a WebAssembly memory here: no kernel to measure');
  const probabilities = zipfProbabilities(table.size);
  const weights = sifWeights(probabilities, SIF_DEFAULTS.a);
  const model: SifModel = { table, weights, commonDirection: computeCommonDirection(table, probabilities, weights), oovScale: 1, settings: SIF_DEFAULTS };
  // As the embedder keeps them (local-embedder.ts).
  model.oovVectors = new Map();
  model.oovTermVectors = new WeakMap();
  const vocabulary = new VocabularyIndex(table.vocabulary, table.size);
  const memo = new Map<string, EmbedTerm[]>();
  const terms: EmbedTerm[][] = [];
  for (let index = 0; terms.length < passages; index += 1) {
    const { article, passages: generated } = generateArticle(index, 10);
    for (const passage of generated)
      terms.push(extractEmbedTerms(buildEmbedText(article, passage.section, passage.text), (term) => vocabulary.rankOf(term), memo));
  }
  terms.length = passages;
  for (const list of terms) {
    const fast = weightedSum(list, model);
    const slow = sumOneRowAtATime(list, model);
    if (fast.some((value, index) => !Object.is(value, slow[index]))) throw new Error('weightedSum differs from adding one row at a time');
    if (kernel.weightedSum(list, model).some((value, index) => !Object.is(value, slow[index])))
      throw new Error('the kernel differs from adding one row at a time');
  }
  const inWebAssembly = (list: EmbedTerm[], sifModel: SifModel) => kernel.weightedSum(list, sifModel);
  const time = (sum: (list: EmbedTerm[], model: SifModel) => Float64Array) => {
    const started = performance.now();
    for (const list of terms) sum(list, model);
    return round(((performance.now() - started) * 1000) / passages, 1);
  };
  const rows = round(terms.reduce((total, list) => total + list.length, 0) / passages, 1);
  for (let round_ = 0; round_ < rounds; round_ += 1) {
    console.log(
      `${rows} rows a passage: WebAssembly ${time(inWebAssembly)} µs, weightedSum ${time(weightedSum)} µs, one row per pass ${time(sumOneRowAtATime)} µs`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
