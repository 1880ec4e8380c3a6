import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createLocalEmbedder } from '../../ingest/embed/local-embedder.ts';
import { VectorIndex } from '../../kb/vector-index.ts';
import { WORD_VECTOR_CACHE } from '../retrieval/corpus.ts';
import { openKeptStore } from './kept-store.ts';
import { createRandom } from './random.ts';
import { writeStepResult } from './step-io.ts';
import { round } from './statistics.ts';
import { generateQuestions } from './synthetic-corpus.ts';

/**
 * A filtered vector search two ways over a kept store's graph, at several subset sizes: the graph
 * walk with a label filter, and exact scoring of every accepted passage through hnswlib's stored
 * vectors (what the embedded store does below SEARCH_INDEX_DEFAULTS.exactFilteredLimit). Subsets
 * are whole articles picked at random, as a filter by ticker or article picks them. Recall@8 is the
 * walk's against the exact top 8.
 *
 *   tsx bench/suite/filtered-vector-bench.ts --open DIR [--sizes 500,1000,2000,5000,10000] [--repeats 20] --out result.json
 *
 * DIR is a store folder kept by `store-bench.ts`/`store-scale-bench.ts --keep` (or its `index/`).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { open: { type: 'string' }, sizes: { type: 'string' }, repeats: { type: 'string' }, out: { type: 'string' } } });
  if (!values.open || !values.out) throw new Error('usage: filtered-vector-bench.ts --open DIR [--sizes 500,1000] [--repeats 20] --out FILE');
  const { db, snapshotDir } = openKeptStore(values.open);
  const articles = db.prepare('SELECT first_label, passages FROM articles WHERE passages > 0').raw().all() as [number, number][];
  const labels = db.prepare('SELECT label FROM passages WHERE removed_seq IS NULL').pluck().all() as number[];
  db.close();
  const embedder = await createLocalEmbedder({ cacheDir: WORD_VECTOR_CACHE });
  const graph = await VectorIndex.read(join(snapshotDir, 'vectors.hnsw'), embedder.dim, labels);
  // Exact scoring reads vectors from the graph's file once its labels are indexed, as a running server does.
  const fromFile = await graph.savedVectorsReady();
  const repeats = Number(values.repeats ?? 20);
  const queries = generateQuestions(repeats).map((question) => embedder.embedSync(question));
  const random = createRandom(7);
  const rows = (values.sizes ?? '500,1000,2000,5000,10000')
    .split(',')
    .map(Number)
    .map((size) => {
      let walkMs = 0;
      let exactMs = 0;
      let recall = 0;
      for (const query of queries) {
        const picked = new Set<number>();
        let passages = 0;
        while (passages < size && picked.size < articles.length) {
          const index = random.int(articles.length);
          if (picked.has(index)) continue;
          picked.add(index);
          passages += articles[index]![1];
        }
        const spans = [...picked].map((index) => articles[index]!).sort((a, b) => a[0] - b[0]);
        const ranges = Int32Array.from(spans.flatMap(([first, count]) => [first, first + count]));
        const subset = Int32Array.from(spans.flatMap(([first, count]) => Array.from({ length: count }, (_, offset) => first + offset)));
        let started = performance.now();
        const walked = new Set(
          graph
            .search(query, 8, { ranges })
            .slice(0, 8)
            .map((hit) => hit.label),
        );
        walkMs += performance.now() - started;
        started = performance.now();
        const similarities = graph.similarities(subset, query);
        const exact = Array.from(subset, (label, position) => ({ label, similarity: similarities[position]! }))
          .sort((a, b) => b.similarity - a.similarity || a.label - b.label)
          .slice(0, 8);
        exactMs += performance.now() - started;
        recall += exact.filter(({ label }) => walked.has(label)).length / Math.max(1, exact.length);
      }
      const row = {
        passages: size,
        walkMs: round(walkMs / queries.length, 2),
        exactMs: round(exactMs / queries.length, 2),
        walkRecallAt8: round(recall / queries.length, 3),
      };
      console.log(`${size} passages: graph walk ${row.walkMs} ms (recall@8 ${row.walkRecallAt8}), exact ${row.exactMs} ms`);
      return row;
    });
  await graph.close();
  writeStepResult(values.out, { passages: labels.length, repeats, vectorsFromFile: fromFile, rows });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
