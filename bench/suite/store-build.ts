import { buildEmbedText } from '../../ingest/chunk.ts';
import type { Embedder } from '../../ingest/embed/embedder.ts';
import type { KnowledgeStore } from '../../kb/store.ts';
import { round } from './statistics.ts';
import { CORPUS_DEFAULTS, generateArticle } from './synthetic-corpus.ts';
import { readThreadCpu, threadCpuSince } from './thread-cpu.ts';

export const STORE_BUILD_DEFAULTS = {
  /** Articles embedded per worker job (60 passages: a message costs little beside them). */
  articlesPerEmbedJob: 12,
  /** Embedding jobs queued ahead of the store, so the worker never waits for the storing thread. */
  embedJobsAhead: 3,
};

export interface StoreBuildResult {
  articles: number;
  seconds: number;
  cpuSeconds: number;
  passagesPerSecond: number;
  passagesPerCpuSecond: number;
  /** Wall seconds of the storing thread; the worker embeds meanwhile (waiting is its excess). */
  split: { generate: number; waitForEmbedding: number; storeAndIndex: number };
  /**
   * CPU seconds of the storing (main) thread and of every other thread (embedding worker, vector
   * graph thread, GC); Linux only. With a core per busy thread, the largest bounds the build.
   */
  threads?: { mainCpuSeconds: number; otherCpuSeconds: number };
}

/**
 * Builds `chunks` generated passages through a store, embedding included, as a bulk ingest runs:
 * `embedder` embeds in the ingest worker a few batches ahead while this thread generates and
 * stores, so the two cores work at once. `onStored` sees each article's vectors (for exact search).
 */
export async function buildThroughStore(
  kb: KnowledgeStore,
  embedder: Embedder,
  chunks: number,
  options: { onStored?: (articleId: string, vectors: Float32Array[]) => void; progress?: (message: string) => void } = {},
): Promise<StoreBuildResult> {
  const perArticle = CORPUS_DEFAULTS.passagesPerArticle;
  const articleCount = Math.ceil(chunks / perArticle);
  const time = { generate: 0, waitForEmbedding: 0, store: 0 };
  const embedBatch = (first: number) => {
    const mark = performance.now();
    const batch = Array.from({ length: Math.min(STORE_BUILD_DEFAULTS.articlesPerEmbedJob, articleCount - first) }, (_, offset) => {
      const index = first + offset;
      return generateArticle(index, Math.min(perArticle, chunks - index * perArticle));
    });
    time.generate += performance.now() - mark;
    const texts = batch.flatMap(({ article, passages }) => passages.map((passage) => buildEmbedText(article, passage.section, passage.text)));
    return embedder.embedDocuments(texts).then((vectors) => ({ batch, vectors }));
  };
  const pending: ReturnType<typeof embedBatch>[] = [];
  let nextBatch = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  const threadCpu = readThreadCpu();
  let articles = 0;
  let count = 0;
  while (articles < articleCount) {
    while (pending.length < STORE_BUILD_DEFAULTS.embedJobsAhead && nextBatch < articleCount) {
      pending.push(embedBatch(nextBatch));
      nextBatch += STORE_BUILD_DEFAULTS.articlesPerEmbedJob;
    }
    let mark = performance.now();
    const { batch, vectors } = await pending.shift()!;
    time.waitForEmbedding += performance.now() - mark;
    mark = performance.now();
    let offset = 0;
    for (const { article, passages } of batch) {
      const articleVectors = vectors.slice(offset, offset + passages.length);
      offset += passages.length;
      const { articleId } = await kb.upsert(await kb.planUpsert(article, `bench:${articles}`), article, passages, articleVectors);
      options.onStored?.(articleId, articleVectors);
      count += passages.length;
      articles += 1;
      if (articles % 5_000 === 0) options.progress?.(`built ${count} passages`);
    }
    time.store += performance.now() - mark;
  }
  // The graph thread may still be inserting: a build is done when its index is.
  await kb.vectorSearch(new Float32Array(embedder.dim), 1);
  const seconds = (performance.now() - started) / 1000;
  const threads = threadCpuSince(threadCpu);
  const used = process.cpuUsage(cpu);
  // process.cpuUsage counts every thread of the process, the embedding worker included.
  const cpuSeconds = (used.user + used.system) / 1e6;
  return {
    articles,
    seconds: round(seconds, 1),
    cpuSeconds: round(cpuSeconds, 1),
    passagesPerSecond: Math.round(chunks / seconds),
    passagesPerCpuSecond: Math.round(chunks / cpuSeconds),
    split: { generate: round(time.generate / 1000, 1), waitForEmbedding: round(time.waitForEmbedding / 1000, 1), storeAndIndex: round(time.store / 1000, 1) },
    ...(threads ? { threads: { mainCpuSeconds: round(threads.mainSeconds, 1), otherCpuSeconds: round(threads.otherSeconds, 1) } } : {}),
  };
}
