import { parseArgs } from 'node:util';
import { buildEmbedText } from '../../ingest/chunk.ts';
import { createLocalEmbedder } from '../../ingest/embed/local-embedder.ts';
import { VectorIndex } from '../../kb/vector-index.ts';
import { WORD_VECTOR_CACHE } from '../retrieval/corpus.ts';
import { createVectorMatrix, exactTopK, setRow } from './exact-search.ts';
import { writeStepResult } from './step-io.ts';
import { meanRecall, round, timeEach } from './statistics.ts';
import { CORPUS_DEFAULTS, generateArticle, generateQuestions } from './synthetic-corpus.ts';

/**
 * How the hnswlib build parameters trade build time for recall: the same `--chunks` generated
 * passages (embedded once with the local embedder) are indexed with each (M, efConstruction)
 * pair, then 200 questions are searched at each efSearch and compared with exact search.
 * This is what chose VECTOR_INDEX_DEFAULTS (docs/performance-log.md, "Later round").
 *
 *   tsx bench/suite/vector-params-bench.ts --chunks 100000 --out result.json [--pairs 16:200,16:64,12:48] [--ef-search 100,200]
 */
const DEFAULT_PAIRS = '16:200,16:100,16:64,12:64,12:40,8:40';
const DEFAULT_EF_SEARCH = '64,100,200';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { chunks: { type: 'string' }, out: { type: 'string' }, pairs: { type: 'string' }, 'ef-search': { type: 'string' } },
  });
  const chunks = Number(values.chunks);
  if (!Number.isInteger(chunks) || chunks <= 0 || !values.out) throw new Error('usage: vector-params-bench.ts --chunks N --out FILE [--pairs M:EF,...]');
  const pairs = (values.pairs ?? DEFAULT_PAIRS).split(',').map((pair) => pair.split(':').map(Number) as [number, number]);
  const efSearches = (values['ef-search'] ?? DEFAULT_EF_SEARCH).split(',').map(Number);
  const embedder = await createLocalEmbedder({ cacheDir: WORD_VECTOR_CACHE });
  const matrix = createVectorMatrix(embedder.dim, chunks);
  const vectors: Float32Array[] = [];
  for (let article = 0; vectors.length < chunks; article += 1) {
    const generated = generateArticle(article, Math.min(CORPUS_DEFAULTS.passagesPerArticle, chunks - vectors.length));
    for (const passage of generated.passages) {
      const vector = embedder.embedSync(buildEmbedText(generated.article, passage.section, passage.text));
      setRow(matrix, vectors.length, vector);
      vectors.push(vector);
    }
  }
  const queries = generateQuestions(200).map((question) => embedder.embedSync(question));
  const exact = queries.map((query) => exactTopK(matrix, query, 8));
  const rows = [];
  for (const [m, efConstruction] of pairs) {
    const index = VectorIndex.create(embedder.dim, { m, efConstruction }, chunks);
    const started = performance.now();
    vectors.forEach((vector, label) => index.add(label, vector));
    const buildSeconds = (performance.now() - started) / 1000;
    for (const efSearch of efSearches) {
      index.efSearch = efSearch;
      const approximate = await timeEach(queries, (query) => index.search(query, 8).map((hit) => hit.label));
      const row = {
        m,
        efConstruction,
        efSearch,
        buildSeconds: round(buildSeconds, 1),
        insertsPerSecond: Math.round(chunks / buildSeconds),
        recallAt8: meanRecall(approximate.results, exact),
        search: approximate.latency,
      };
      process.stderr.write(
        `  [hnsw] M=${m} efConstruction=${efConstruction} efSearch=${efSearch}: ${row.insertsPerSecond}/s, recall@8 ${row.recallAt8}, p99 ${row.search.p99Ms} ms\n`,
      );
      rows.push(row);
    }
  }
  writeStepResult(values.out, { step: 'hnsw', chunks, rows });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
