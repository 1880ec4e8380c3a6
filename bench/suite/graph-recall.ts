import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createLocalEmbedder } from '../../ingest/embed/local-embedder.ts';
import { efSearchFor, VectorIndex } from '../../kb/vector-index.ts';
import { WORD_VECTOR_CACHE } from '../retrieval/corpus.ts';
import { openKeptStore } from './kept-store.ts';
import { createVectorMatrix, exactTopK, setRow } from './exact-search.ts';
import { writeStepResult } from './step-io.ts';
import { meanRecall, summarizeLatencies } from './statistics.ts';
import { generateQuestions } from './synthetic-corpus.ts';

/**
 * Recall@8 of a kept store's vector graph against exact search, at several search beam widths
 * (efSearch): at 1M passages the beam the store uses is extrapolated from 100k and 300k
 * (VECTOR_INDEX_DEFAULTS.efSearchGrowth), and store-scale-bench.ts keeps no exact vectors beside
 * the build (they would distort its memory figures), so this reads them back from the database.
 *
 *   tsx bench/suite/graph-recall.ts --open DIR --ef 400,600,800 [--questions 200] --out result.json
 *
 * DIR is a store folder kept by `store-scale-bench.ts --keep` (or its `index/`).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { open: { type: 'string' }, ef: { type: 'string' }, questions: { type: 'string' }, out: { type: 'string' } } });
  if (!values.open || !values.out) throw new Error('usage: graph-recall.ts --open DIR --ef 400,600,800 [--questions 200] --out FILE');
  const { db, snapshotDir } = openKeptStore(values.open);
  const embedder = await createLocalEmbedder({ cacheDir: WORD_VECTOR_CACHE });
  const live = db.prepare('SELECT label, vector FROM passages WHERE removed_seq IS NULL ORDER BY label').raw();
  const count = Number(db.prepare('SELECT COUNT(*) FROM passages WHERE removed_seq IS NULL').pluck().get());
  // Rows are labels; vectors normalised so that a dot product is the cosine the graph ranks by.
  let maxLabel = 0;
  const labels: number[] = [];
  const matrix = createVectorMatrix(embedder.dim, Number(db.prepare('SELECT MAX(label) FROM passages').pluck().get()) + 1);
  for (const [label, blob] of live.iterate() as Iterable<[number, Buffer]>) {
    const vector = new Float32Array(blob.byteLength / 4);
    new Uint8Array(vector.buffer).set(blob);
    const norm = Math.hypot(...vector) || 1;
    for (let index = 0; index < vector.length; index += 1) vector[index]! /= norm;
    setRow(matrix, label, vector);
    labels.push(label);
    maxLabel = Math.max(maxLabel, label);
  }
  db.close();
  const graph = await VectorIndex.read(join(snapshotDir, 'vectors.hnsw'), embedder.dim, labels);
  const queries = generateQuestions(Number(values.questions ?? 200)).map((question) => embedder.embedSync(question));
  const exact = queries.map((query) => exactTopK(matrix, query, 8));
  const sweep = (values.ef ?? String(efSearchFor(count)))
    .split(',')
    .map(Number)
    .map((ef) => {
      graph.efSearch = ef;
      const latencies: number[] = [];
      const found = queries.map((query) => {
        const started = performance.now();
        const hits = graph.search(query, 8);
        latencies.push(performance.now() - started);
        return hits.map((hit) => hit.label);
      });
      return { efSearch: ef, recallAt8: meanRecall(found, exact), latency: summarizeLatencies(latencies) };
    });
  for (const row of sweep) console.log(`efSearch ${row.efSearch}: recall@8 ${row.recallAt8}, p50 ${row.latency.p50Ms} ms, p99 ${row.latency.p99Ms} ms`);
  await graph.close();
  writeStepResult(values.out, { passages: count, maxLabel, efSearchUsed: efSearchFor(count), questions: queries.length, sweep });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
