import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createLocalEmbedder } from '../../ingest/embed/local-embedder.ts';
import { createWorkerEmbedder } from '../../ingest/embed/worker-embedder.ts';
import { createJobRunner } from '../../ingest/worker/job-runner.ts';
import { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
import { efSearchFor } from '../../kb/vector-index.ts';
import { embeddedStoreThreads } from '../../kb/open-store.ts';
import { searchKnowledgeBase } from '../../server/retrieval/hybrid-search.ts';
import { warmUpSearch } from '../../server/retrieval/warm-up.ts';
import { fullCollection } from '../../lib/full-collection.ts';
import { createOfflineEngine } from '../../server/chat/offline-engine.ts';
import { warmUpAnswer } from '../../server/chat/warm-up-answer.ts';
import { createPriceStore } from '../../server/market/price-store.ts';
import { loadPromptLibrary } from '../../server/prompts.ts';
import { createToolRegistry } from '../../server/tools/registry.ts';
import { REPO_ROOT, WORD_VECTOR_CACHE } from '../retrieval/corpus.ts';
import { runStep, writeStepResult } from './step-io.ts';
import { round, rssMb, timeEach } from './statistics.ts';
import { buildThroughStore } from './store-build.ts';
import { CORPUS_DEFAULTS, generateQuestions } from './synthetic-corpus.ts';
import { measureThreadWake } from './thread-wake.ts';

/**
 * The embedded store at a size where keeping exact-search vectors beside it would distort memory
 * (1M passages: 400 MB of them): builds `--chunks` generated passages through the store (embedding
 * included, as store-bench.ts does), closes it, then opens it in a fresh process that measures
 * what a server holds (RSS after opening and after searching) and hybrid search latency. Recall
 * at scale comes from the hnsw step instead.
 *
 *   tsx bench/suite/store-scale-bench.ts --chunks 1000000 --out result.json
 *   tsx bench/suite/store-scale-bench.ts --chunks 1000000 --keep DIR --out result.json   # build into DIR and keep it
 *   tsx bench/suite/store-scale-bench.ts --open DIR --out result.json                    # measure a kept store again
 */
export const STORE_SCALE_DEFAULTS = {
  questions: 200,
  today: '2026-11-21',
  k: 8,
};

async function build(chunks: number, indexDir: string): Promise<Record<string, unknown>> {
  const embedder = await createLocalEmbedder({ cacheDir: WORD_VECTOR_CACHE });
  const kb = await EmbeddedStore.open({ indexDir, embedder: { id: embedder.id, dim: embedder.dim }, ...embeddedStoreThreads() });
  const jobs = createJobRunner();
  const built = await buildThroughStore(kb, createWorkerEmbedder(embedder, jobs), chunks, {
    progress: (message) => process.stderr.write(`  [store-scale ${Math.round(performance.now() / 1000)} s] ${message}\n`),
  });
  const loadAverage = round(loadavg()[0] ?? 0, 1);
  const started = performance.now();
  await kb.close();
  await jobs.close();
  return { ...built, loadAverage, closeSeconds: round((performance.now() - started) / 1000, 1), rssAtEndOfBuildMb: rssMb() };
}

/** Runs in the child process: what a server that opens this store holds, and how fast it searches. */
async function measureOpen(indexDir: string, out: string): Promise<void> {
  // First, with nothing loaded: the machine's thread wake-up latency, which every search pays (thread-wake.ts).
  const threadWake = await measureThreadWake();
  const embedder = await createLocalEmbedder({ cacheDir: WORD_VECTOR_CACHE });
  const rssWithEmbedderMb = rssMb();
  const started = performance.now();
  const kb = await EmbeddedStore.open({ indexDir, embedder: { id: embedder.id, dim: embedder.dim }, ...embeddedStoreThreads() });
  const openSeconds = round((performance.now() - started) / 1000, 1);
  const rssAfterOpenMb = rssMb();
  const { chunks } = await kb.stats();
  const { k, today } = STORE_SCALE_DEFAULTS;
  const questions = generateQuestions(STORE_SCALE_DEFAULTS.questions);
  // As `npm start` does once it listens (server/main.ts; there between requests, here before the
  // questions): the price files read, then searches of the store's own words and the offline
  // engine's answers to a few of them (server/retrieval/warm-up.ts).
  const prices = createPriceStore({ dataDir: join(REPO_ROOT, 'data') });
  await prices.preload?.();
  const prompts = loadPromptLibrary(join(REPO_ROOT, 'prompts'));
  const offline = createOfflineEngine({ kb, embedder, registry: createToolRegistry(), toolContext: () => ({ prices, today }), prompts });
  const warmUp = await warmUpSearch(kb, { today, embedder, collectGarbage: fullCollection(), answer: warmUpAnswer(offline, () => today) });
  const cpu = process.cpuUsage();
  const hybrid = (await timeEach(questions, (query) => searchKnowledgeBase(kb, embedder, { query, k, today }), 0)).latency;
  const used = process.cpuUsage(cpu);
  // The same questions again: the first pass after opening pays for what a running server has
  // already paid (caches filling, the garbage collector settling a freshly loaded heap).
  const secondCpu = process.cpuUsage();
  const hybridSecondPass = (await timeEach(questions, (query) => searchKnowledgeBase(kb, embedder, { query, k, today }), 0)).latency;
  const secondUsed = process.cpuUsage(secondCpu);
  // Questions of another seed: a warm process reading articles it has not read yet.
  const fresh = generateQuestions(STORE_SCALE_DEFAULTS.questions, CORPUS_DEFAULTS.seed + 2);
  const hybridFresh = (await timeEach(fresh, (query) => searchKnowledgeBase(kb, embedder, { query, k, today }), 0)).latency;
  writeStepResult(out, {
    passages: chunks,
    efSearch: efSearchFor(chunks),
    openSeconds,
    rssWithEmbedderMb,
    rssAfterOpenMb,
    rssAfterSearchMb: rssMb(),
    hybrid,
    warmUp,
    hybridCpuMsEach: round((used.user + used.system) / 1000 / questions.length, 2),
    hybridSecondPass,
    hybridSecondPassCpuMsEach: round((secondUsed.user + secondUsed.system) / 1000 / questions.length, 2),
    hybridFresh,
    loadAverage: round(loadavg()[0] ?? 0, 1),
    threadWake,
  });
  await kb.close();
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { chunks: { type: 'string' }, out: { type: 'string' }, open: { type: 'string' }, keep: { type: 'string' } } });
  if (!values.out) throw new Error('usage: store-scale-bench.ts --chunks N --out FILE');
  // `--open` takes the folder `--keep` built (the store is its `index/`) or the index folder itself;
  // anything else would open (and create) an empty store and measure nothing.
  if (values.open) {
    const indexDir = existsSync(join(values.open, 'index', 'kb.sqlite')) ? join(values.open, 'index') : values.open;
    if (!existsSync(join(indexDir, 'kb.sqlite'))) throw new Error(`no store in ${values.open}: give the folder --keep built`);
    return measureOpen(indexDir, values.out);
  }
  const chunks = Number(values.chunks);
  if (!Number.isInteger(chunks) || chunks <= 0) throw new Error('usage: store-scale-bench.ts --chunks N --out FILE');
  // A kept store lets a later change be measured at 1M without another hour-long build.
  const work = values.keep ?? mkdtempSync(join(tmpdir(), 'copilot-bench-scale-'));
  const indexDir = join(work, 'index');
  try {
    const built = await build(chunks, indexDir);
    process.stderr.write(`  [store-scale] built: ${JSON.stringify(built)}\n`);
    const opened = await runStep(new URL(import.meta.url).pathname, ['--open', indexDir], { timeoutMs: 60 * 60_000 });
    writeStepResult(values.out, { step: 'store-scale', chunks, build: built, opened });
  } finally {
    if (!values.keep) rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
