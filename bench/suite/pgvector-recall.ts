import { parseArgs } from 'node:util';
import pg from 'pg';
import { buildEmbedText } from '../../ingest/chunk.ts';
import { createLocalEmbedder } from '../../ingest/embed/local-embedder.ts';
import { formatVector } from '../../kb/postgres/postgres-store.ts';
import { HNSW_BUILD } from '../../kb/postgres/migrations.ts';
import { startPgliteServer } from '../../test/helpers/pglite-server.ts';
import { WORD_VECTOR_CACHE } from '../retrieval/corpus.ts';
import { createVectorMatrix, exactTopK, setRow } from './exact-search.ts';
import { writeStepResult } from './step-io.ts';
import { meanRecall, round, summarizeLatencies } from './statistics.ts';
import { CORPUS_DEFAULTS, generateArticle, generateQuestions } from './synthetic-corpus.ts';

/**
 * pgvector's HNSW recall@8 against exact search at several `hnsw.ef_search` values, over the
 * generated corpus's passage vectors: the Postgres store's search beam chosen by measurement. The
 * vectors are loaded first and the index built after (as a bulk load into a real server would),
 * with the store's own index parameters (HNSW_BUILD), so a size of 100k takes minutes instead of
 * the store bench's row-by-row hour. PGlite (Postgres in WebAssembly, one thread) serves it: its
 * latencies are an upper bound, its recall is pgvector's.
 *
 *   tsx bench/suite/pgvector-recall.ts --chunks 100000 --ef 40,100,200,400 [--questions 200] --out result.json
 */
function progress(message: string): void {
  process.stderr.write(`  [pgvector ${Math.round(performance.now() / 1000)} s] ${message}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { chunks: { type: 'string' }, ef: { type: 'string' }, questions: { type: 'string' }, out: { type: 'string' } } });
  const chunks = Number(values.chunks);
  if (!Number.isInteger(chunks) || chunks <= 0 || !values.out)
    throw new Error('usage: pgvector-recall.ts --chunks N --ef 40,100,200 [--questions Q] --out FILE');
  const embedder = await createLocalEmbedder({ cacheDir: WORD_VECTOR_CACHE });
  const server = await startPgliteServer();
  const client = new pg.Client({ connectionString: server.connectionString });
  await client.connect();
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS vector');
    await client.query(`CREATE TABLE passages (row integer PRIMARY KEY, embedding vector(${embedder.dim}) NOT NULL)`);
    const matrix = createVectorMatrix(embedder.dim, chunks);
    let rows = 0;
    for (let articleIndex = 0; rows < chunks; articleIndex += 1) {
      const { article, passages } = generateArticle(articleIndex, Math.min(CORPUS_DEFAULTS.passagesPerArticle, chunks - rows));
      const params: unknown[] = [];
      const tuples = passages.map((passage) => {
        const vector = embedder.embedSync(buildEmbedText(article, passage.section, passage.text));
        setRow(matrix, rows, vector);
        params.push(rows, formatVector(vector));
        rows += 1;
        return `($${params.length - 1}::int, $${params.length}::vector)`;
      });
      await client.query(`INSERT INTO passages (row, embedding) VALUES ${tuples.join(', ')}`, params);
      if (articleIndex % 2_000 === 0) progress(`${rows} vectors`);
    }
    let mark = performance.now();
    // Room for the whole graph while it is built (as the README advises for a bulk load): past
    // maintenance_work_mem pgvector goes on building on disk, many times slower.
    await client.query("SET maintenance_work_mem = '512MB'");
    await client.query(
      `CREATE INDEX passages_embedding ON passages USING hnsw (embedding vector_cosine_ops) WITH (m = ${HNSW_BUILD.m}, ef_construction = ${HNSW_BUILD.efConstruction})`,
    );
    const buildSeconds = round((performance.now() - mark) / 1000, 1);
    progress(`index built over ${chunks} vectors in ${buildSeconds} s`);
    const queries = generateQuestions(Number(values.questions ?? 200)).map((question) => embedder.embedSync(question));
    const exact = queries.map((query) => exactTopK(matrix, query, 8));
    const sweep = [];
    for (const ef of (values.ef ?? '40,100,200,400').split(',').map(Number)) {
      await client.query(`SET hnsw.ef_search = ${ef}`);
      const latencies: number[] = [];
      const found: number[][] = [];
      for (const query of queries) {
        mark = performance.now();
        const { rows: hits } = await client.query<{ row: number }>('SELECT row FROM passages ORDER BY embedding <=> $1::vector LIMIT 8', [formatVector(query)]);
        latencies.push(performance.now() - mark);
        found.push(hits.map((hit) => hit.row));
      }
      const row = { efSearch: ef, recallAt8: meanRecall(found, exact), latency: summarizeLatencies(latencies) };
      progress(`ef_search ${ef}: recall@8 ${row.recallAt8}, p50 ${row.latency.p50Ms} ms`);
      sweep.push(row);
    }
    writeStepResult(values.out, {
      passages: chunks,
      m: HNSW_BUILD.m,
      efConstruction: HNSW_BUILD.efConstruction,
      buildSeconds,
      questions: queries.length,
      sweep,
    });
  } finally {
    await client.end();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
