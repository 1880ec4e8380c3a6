import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { buildEmbedText } from '../../ingest/chunk.ts';
import { createLocalEmbedder } from '../../ingest/embed/local-embedder.ts';
import { POSTGRES_DEFAULTS, createPostgresStore } from '../../kb/postgres/postgres-store.ts';
import { tokenize } from '../../kb/tokenize.ts';
import { efSearchFor } from '../../kb/vector-index.ts';
import { PGLITE_POOL_SIZE, startPgliteServer } from '../../test/helpers/pglite-server.ts';
import { WORD_VECTOR_CACHE } from '../retrieval/corpus.ts';
import { createVectorMatrix, exactTopK, setRow } from './exact-search.ts';
import { writeStepResult } from './step-io.ts';
import { meanRecall, round, rssMb, timeEach } from './statistics.ts';
import { CORPUS_DEFAULTS, generateArticle, generateQuestions } from './synthetic-corpus.ts';

/**
 * The Postgres store at `--chunks` generated passages: PGlite (Postgres compiled to WebAssembly,
 * with pgvector) served on 127.0.0.1 and reached through the `pg` driver, as a server would be.
 * Measures the ingest rate through the store (embedding included), the latency of its vector
 * search (k = 8) and recall@8 against exact search, its lexical search (the hybrid pool of 60
 * candidates, with the vector candidates' matched terms reported), and the store calls one hybrid
 * query makes. PGlite is single-threaded WebAssembly: a real Postgres server is faster on every row.
 *
 *   tsx bench/suite/postgres-bench.ts --chunks 10000 --out result.json [--questions 200]
 */
const POSTGRES_BENCH_DEFAULTS = { k: 8, pool: 60, questions: 200 };

function progress(message: string): void {
  process.stderr.write(`  [postgres ${Math.round(performance.now() / 1000)} s] ${message}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { chunks: { type: 'string' }, out: { type: 'string' }, questions: { type: 'string' } } });
  const chunks = Number(values.chunks);
  if (!Number.isInteger(chunks) || chunks <= 0 || !values.out) throw new Error('usage: postgres-bench.ts --chunks N --out FILE [--questions Q]');
  const { k, pool } = POSTGRES_BENCH_DEFAULTS;
  const embedder = await createLocalEmbedder({ cacheDir: WORD_VECTOR_CACHE });
  const server = await startPgliteServer();
  const store = await createPostgresStore({ connectionString: server.connectionString, embedder, poolSize: PGLITE_POOL_SIZE });
  try {
    const matrix = createVectorMatrix(embedder.dim, chunks);
    const rowOf = new Map<string, number>();
    const seconds = { embed: 0, insert: 0, total: 0 };
    const started = performance.now();
    const cpu = process.cpuUsage();
    let articles = 0;
    while (rowOf.size < chunks) {
      const { article, passages } = generateArticle(articles, Math.min(CORPUS_DEFAULTS.passagesPerArticle, chunks - rowOf.size));
      let mark = performance.now();
      const vectors = passages.map((passage) => embedder.embedSync(buildEmbedText(article, passage.section, passage.text)));
      seconds.embed += performance.now() - mark;
      mark = performance.now();
      const plan = await store.planUpsert(article, `bench:${articles}`);
      await store.upsert(plan, article, passages, vectors);
      seconds.insert += performance.now() - mark;
      for (const [ordinal, vector] of vectors.entries()) {
        setRow(matrix, rowOf.size, vector);
        rowOf.set(`${plan.articleId}-${ordinal}`, rowOf.size);
      }
      articles += 1;
      if (articles % 200 === 0) progress(`${rowOf.size} passages`);
    }
    seconds.total = performance.now() - started;
    const used = process.cpuUsage(cpu);
    // PGlite runs in this process, so its CPU counts here; the wall clock also counts other processes'.
    const cpuSeconds = (used.user + used.system) / 1e6;
    progress(`built ${chunks} passages in ${round(seconds.total / 1000, 1)} s`);

    const questions = generateQuestions(Number(values.questions ?? POSTGRES_BENCH_DEFAULTS.questions));
    const queries = questions.map((question) => ({ vector: embedder.embedSync(question), terms: tokenize(question).map((term) => ({ term, weight: 1 })) }));
    const vector = await timeEach(queries, (query) => store.vectorSearch(query.vector, k));
    const exact = await timeEach(queries, (query) => exactTopK(matrix, query.vector, k), 3);
    const recallAt8 = meanRecall(
      vector.results.map((hits) => hits.map((hit) => rowOf.get(hit.passageId) ?? -1)),
      exact.results,
    );
    progress(`vector: p50 ${vector.latency.p50Ms} ms, recall@8 ${recallAt8}`);
    const lexical = await timeEach(queries, (query) => store.lexicalSearch(query.terms, pool));
    progress(`lexical: p50 ${lexical.latency.p50Ms} ms`);
    // What one hybrid query asks of the store: both candidate pools, the matched terms of the
    // vector candidates, the vectors of lexical-only candidates, and the k passages shown.
    const hybrid = await timeEach(queries, async (query) => {
      const vectorHits = await store.vectorSearch(query.vector, pool);
      const lexicalResult = await store.lexicalSearch(
        query.terms,
        pool,
        undefined,
        vectorHits.map((hit) => hit.passageId),
      );
      const seen = new Set(vectorHits.map((hit) => hit.passageId));
      await store.similaritiesOf(
        lexicalResult.hits.filter((hit) => !seen.has(hit.passageId)).map((hit) => hit.passageId),
        query.vector,
      );
      return store.getPassages([...vectorHits.slice(0, k / 2), ...lexicalResult.hits.slice(0, k / 2)].map((hit) => hit.passageId));
    });
    progress(`hybrid store calls: p50 ${hybrid.latency.p50Ms} ms`);

    writeStepResult(values.out, {
      step: 'postgres',
      engine: `PGlite (WebAssembly, single-threaded) over the wire, pgvector HNSW, ${store.lexicalEngine} lexical search`,
      chunks: (await store.stats()).chunks,
      articles,
      questions: questions.length,
      build: {
        seconds: { embed: round(seconds.embed / 1000), insert: round(seconds.insert / 1000), total: round(seconds.total / 1000) },
        chunksPerSecond: round(chunks / (seconds.total / 1000), 0),
        cpuSeconds: round(cpuSeconds, 1),
        chunksPerCpuSecond: round(chunks / cpuSeconds, 0),
      },
      loadAverage: round(loadavg()[0] ?? 0, 1),
      modes: { vector: vector.latency, lexical: lexical.latency, hybridStoreCalls: hybrid.latency },
      vectorIndex: { recallAt8, efSearch: efSearchFor(chunks, POSTGRES_DEFAULTS), exact: exact.latency },
      memory: { rssMb: rssMb() },
    });
  } finally {
    await store.close();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
