import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
import { buildEmbedText } from '../../ingest/chunk.ts';
import { createLocalEmbedder, type LocalEmbedder } from '../../ingest/embed/local-embedder.ts';
import { searchKnowledgeBase, type SearchMode } from '../../server/retrieval/hybrid-search.ts';
import { WORD_VECTOR_CACHE } from '../retrieval/corpus.ts';
import { createVectorMatrix, exactTopK, setRow, type VectorMatrix } from './exact-search.ts';
import { loadLangChainHnsw } from './langchain-hnsw.ts';
import { writeStepResult } from './step-io.ts';
import { meanRecall, round, rssMb, timeEach, type LatencySummary } from './statistics.ts';
import { CORPUS_DEFAULTS, generateArticle, generateQuestions } from './synthetic-corpus.ts';

/**
 * One search-latency step (run in its own process so its memory is its own): builds a knowledge
 * base of `--chunks` generated passages through planUpsert/applyUpsert, then times k=8 searches
 * for 200 questions in each mode, the raw approximate vector index against exact brute force
 * (recall@8), and, when installed, LangChain's HNSWLib store over the same vectors.
 *
 *   tsx bench/suite/search-bench.ts --chunks 100000 --out result.json [--langchain] [--persist] [--questions 200]
 */
export const SEARCH_BENCH_DEFAULTS = { k: 8, questions: 200, today: '2026-11-21', langchainEf: 200 };

interface Build {
  kb: EmbeddedStore;
  matrix: VectorMatrix;
  /** Passage id → row of the exact-search matrix. */
  rows: Map<string, number>;
  texts: string[];
  articles: number;
  seconds: { generate: number; embed: number; insert: number; total: number };
}

async function buildKnowledgeBase(dir: string, embedder: LocalEmbedder, chunks: number): Promise<Build> {
  const kb = await EmbeddedStore.open({ indexDir: dir, embedder: { id: embedder.id, dim: embedder.dim } });
  const matrix = createVectorMatrix(embedder.dim, chunks);
  const texts: string[] = [];
  const rows = new Map<string, number>();
  const seconds = { generate: 0, embed: 0, insert: 0, total: 0 };
  const started = performance.now();
  let articles = 0;
  while (texts.length < chunks) {
    let mark = performance.now();
    const wanted = Math.min(CORPUS_DEFAULTS.passagesPerArticle, chunks - texts.length);
    const { article, passages } = generateArticle(articles, wanted);
    seconds.generate += performance.now() - mark;
    mark = performance.now();
    const vectors = passages.map((passage) => embedder.embedSync(buildEmbedText(article, passage.section, passage.text)));
    seconds.embed += performance.now() - mark;
    mark = performance.now();
    const plan = await kb.planUpsert(article, `bench:${articles}`);
    const { articleId } = await kb.upsert(plan, article, passages, vectors);
    seconds.insert += performance.now() - mark;
    for (const [position, vector] of vectors.entries()) {
      setRow(matrix, texts.length + position, vector);
      rows.set(`${articleId}-${position}`, texts.length + position);
    }
    texts.push(...passages.map((passage) => passage.text));
    articles += 1;
  }
  seconds.total = performance.now() - started;
  for (const key of Object.keys(seconds) as (keyof typeof seconds)[]) seconds[key] = round(seconds[key] / 1000, 2);
  return { kb, matrix, rows, texts, articles, seconds };
}

function progress(message: string): void {
  process.stderr.write(`  [search ${Math.round(performance.now() / 1000)} s] ${message}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      chunks: { type: 'string' },
      out: { type: 'string' },
      langchain: { type: 'boolean', default: false },
      persist: { type: 'boolean', default: false },
      questions: { type: 'string' },
    },
  });
  const chunks = Number(values.chunks);
  if (!Number.isInteger(chunks) || chunks <= 0 || !values.out) throw new Error('usage: search-bench.ts --chunks N --out FILE [--langchain] [--persist]');
  const { k, today } = SEARCH_BENCH_DEFAULTS;
  const work = mkdtempSync(join(tmpdir(), 'copilot-bench-search-'));
  try {
    const embedder = await createLocalEmbedder({ cacheDir: WORD_VECTOR_CACHE });
    const rssEmbedderMb = rssMb();
    const build = await buildKnowledgeBase(join(work, 'index'), embedder, chunks);
    progress(`built ${chunks} chunks in ${build.seconds.total} s`);
    const { kb, matrix } = build;
    const rssBuiltMb = rssMb();
    const questions = generateQuestions(Number(values.questions ?? SEARCH_BENCH_DEFAULTS.questions));

    const modes: Record<string, LatencySummary> = {};
    for (const mode of ['lexical', 'vector', 'hybrid'] as SearchMode[]) {
      const { latency } = await timeEach(questions, (query) => searchKnowledgeBase(kb, embedder, { query, k, mode, today }));
      modes[mode] = latency;
      progress(`${mode} search: p50 ${latency.p50Ms} ms, p99 ${latency.p99Ms} ms`);
    }
    const rssSearchedMb = rssMb();

    const queryVectors = questions.map((question) => embedder.embedSync(question));
    const approximate = await timeEach(queryVectors, async (vector) => (await kb.vectorSearch(vector, k)).map((hit) => build.rows.get(hit.passageId) ?? -1));
    const exact = await timeEach(queryVectors, (vector) => exactTopK(matrix, vector, k), 3);
    const vectorIndex = { approximate: approximate.latency, exact: exact.latency, recallAt8: meanRecall(approximate.results, exact.results), efSearch: 200 };

    let langchain: Record<string, unknown> = {
      skipped: values.langchain ? '@langchain/community is not installed (see bench/README.md)' : 'not requested at this size',
    };
    const library = values.langchain ? loadLangChainHnsw(process.env.BENCH_LANGCHAIN_DIR) : undefined;
    if (library) {
      progress('building the LangChain HNSWLib store');
      const store = library.createStore(embedder.dim);
      const vectors: number[][] = [];
      const documents: unknown[] = [];
      for (let row = 0; row < matrix.count; row += 1) {
        vectors.push(Array.from(matrix.data.subarray(row * matrix.dim, (row + 1) * matrix.dim)));
        documents.push(library.createDocument(build.texts[row]!, row));
      }
      const buildStarted = performance.now();
      await store.addVectors(vectors, documents);
      const buildSeconds = round((performance.now() - buildStarted) / 1000, 2);
      const search = (vector: Float32Array) =>
        store.similaritySearchVectorWithScore(Array.from(vector), k).then((hits) => hits.map(([document]) => Number(document.metadata.label)));
      const defaultEf = await timeEach(queryVectors, search);
      store.index.setEf(SEARCH_BENCH_DEFAULTS.langchainEf);
      const tunedEf = await timeEach(queryVectors, search);
      langchain = {
        version: library.version,
        buildSeconds,
        defaultEf: { ...defaultEf.latency, recallAt8: meanRecall(defaultEf.results, exact.results) },
        ef200: { ...tunedEf.latency, recallAt8: meanRecall(tunedEf.results, exact.results) },
      };
    }

    let persistence: Record<string, number | string> | undefined;
    if (values.persist) {
      progress(`closing (index snapshot) and reopening ${chunks} chunks`);
      try {
        let mark = performance.now();
        await kb.close();
        const saveSeconds = round((performance.now() - mark) / 1000, 2);
        mark = performance.now();
        const reopened = await EmbeddedStore.open({ indexDir: join(work, 'index'), embedder: { id: embedder.id, dim: embedder.dim } });
        const loadSeconds = round((performance.now() - mark) / 1000, 2);
        persistence = { saveSeconds, loadSeconds, chunksLoaded: (await reopened.stats()).chunks };
        await reopened.close();
      } catch (error) {
        // A failure to save at this size is a finding to report, not a reason to lose the timings.
        persistence = { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
      }
    }

    writeStepResult(values.out, {
      step: 'search',
      chunks,
      questions: questions.length,
      articles: build.articles,
      build: { seconds: build.seconds, chunksPerSecond: round(chunks / build.seconds.total, 0) },
      modes,
      vectorIndex,
      langchain,
      ...(persistence ? { persistence } : {}),
      // RSS after the three search modes is the figure for a server of this size; the end figure
      // also holds the LangChain copy of the vectors and the reloaded knowledge base.
      memory: { rssEmbedderMb, rssBuiltMb, rssAfterSearchMb: rssSearchedMb, rssEndMb: rssMb() },
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
