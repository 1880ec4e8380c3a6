import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createLocalEmbedder } from '../../ingest/embed/local-embedder.ts';
import { createWorkerEmbedder } from '../../ingest/embed/worker-embedder.ts';
import { createJobRunner } from '../../ingest/worker/job-runner.ts';
import { createUploadPreparer } from '../../ingest/worker/upload-preparer.ts';
import { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
import { embeddedStoreThreads } from '../../kb/open-store.ts';
import { VECTOR_INDEX_DEFAULTS } from '../../kb/vector-index.ts';
import { RUNTIME_NODE_FLAGS, TYPESCRIPT_RUNNER } from '../../lib/runtime-flags.ts';
import { createWriteQueue } from '../../lib/write-queue.ts';
import { createChatService } from '../../server/chat/chat-service.ts';
import { createConversationStore } from '../../server/chat/conversations.ts';
import { createOfflineEngine } from '../../server/chat/offline-engine.ts';
import { warmUpAnswer } from '../../server/chat/warm-up-answer.ts';
import { watchKnowledgeBase } from '../../server/kb-watcher.ts';
import { createLibrary } from '../../server/library.ts';
import { createPriceStore } from '../../server/market/price-store.ts';
import { loadPromptLibrary } from '../../server/prompts.ts';
import { searchKnowledgeBase } from '../../server/retrieval/hybrid-search.ts';
import { warmUpSearch } from '../../server/retrieval/warm-up.ts';
import { fullCollection } from '../../lib/full-collection.ts';
import { createToolRegistry } from '../../server/tools/registry.ts';
import { REPO_ROOT, WORD_VECTOR_CACHE } from '../retrieval/corpus.ts';
import { createVectorMatrix, exactTopK, setRow } from './exact-search.ts';
import { buildThroughStore } from './store-build.ts';
import { startStallExplainer } from './stall-explainer.ts';
import { describePageFaultCost, measurePageFaultCost } from './page-fault-cost.ts';
import { diskCell } from './report.ts';
import { describeThreadWake, measureThreadWake } from './thread-wake.ts';
import { readThreadCpu, threadCpuSince } from './thread-cpu.ts';
import { writeStepResult } from './step-io.ts';
import { countAbove, meanRecall, round, rssMb, summarizeLatencies, timeEach, type LatencySummary } from './statistics.ts';
import { CORPUS_DEFAULTS, generateArticle, generateQuestions, renderArticleMarkdown } from './synthetic-corpus.ts';

/**
 * The embedded store under load, in one process as a server runs it (run in its own process by
 * `npm run bench -- --steps store`):
 *
 * 1. build `--chunks` generated passages through the store, embedding included (passages/s);
 * 2. disk used, close (index snapshot) and reopen times, hybrid latency and ANN recall@8;
 * 3. one-article uploads (parse, chunk, embed, commit, index) one after another: p50/p99;
 * 4. concurrent hybrid searches and offline chats for `--seconds` each: with no writer, with
 *    uploads running back to back in this process, and with another process writing into the same
 *    folder (followed through `refresh`, as `npm run ingest` beside the server); latency p99 and
 *    the longest event-loop stall (perf_hooks.monitorEventLoopDelay) of each phase; with
 *    `--explain-stalls` (Linux), each stall over 30 ms split into time the main thread ran, waited
 *    for a core and spent off the core (stall-explainer.ts).
 *
 *   tsx bench/suite/store-bench.ts --chunks 100000 --out result.json [--seconds 15] [--uploads 100]
 */
export const STORE_BENCH_DEFAULTS = {
  seconds: 15,
  uploads: 100,
  searchers: 4,
  chatters: 2,
  questions: 200,
  today: '2026-11-21',
  k: 8,
};

function progress(message: string): void {
  process.stderr.write(`  [store ${Math.round(performance.now() / 1000)} s] ${message}\n`);
}

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

function diskBytes(path: string): number {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.size;
  return readdirSync(path).reduce((sum, entry) => sum + diskBytes(join(path, entry)), 0);
}

function newestEntryBytes(dir: string): number {
  const entries = readdirSync(dir).filter((entry) => !entry.endsWith('.tmp'));
  const newest = entries.sort().at(-1);
  return newest ? diskBytes(join(dir, newest)) : 0;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      chunks: { type: 'string' },
      out: { type: 'string' },
      seconds: { type: 'string' },
      uploads: { type: 'string' },
      'explain-stalls': { type: 'boolean' },
    },
  });
  const chunks = Number(values.chunks);
  if (!Number.isInteger(chunks) || chunks <= 0 || !values.out)
    throw new Error('usage: store-bench.ts --chunks N --out FILE [--seconds S] [--uploads N] [--explain-stalls]');
  const seconds = Number(values.seconds ?? STORE_BENCH_DEFAULTS.seconds);
  const uploads = Number(values.uploads ?? STORE_BENCH_DEFAULTS.uploads);
  const { k, today } = STORE_BENCH_DEFAULTS;
  // Before anything of the bench runs: how late a message reaches a waiting thread on this machine
  // (thread-wake.ts), which every search below pays; on some VMs it is milliseconds.
  const threadWake = await measureThreadWake();
  progress(`thread wake-up ${describeThreadWake(threadWake)}`);
  // And what a page fault costs (page-fault-cost.ts), which young collections pay for what survives.
  const pageFaultCost = measurePageFaultCost();
  if (pageFaultCost) progress(describePageFaultCost(pageFaultCost));
  const work = mkdtempSync(join(tmpdir(), 'copilot-bench-store-'));
  const indexDir = join(work, 'index');
  // The other process of phase 4 starts now and waits: Node starts a child by forking, and a fork of
  // this process once it holds 100k passages (~900 MB) marks every page copy-on-write, so the next
  // seconds paid a page fault on each first write of a page: a 130–370 ms stall as the writer began
  // (perf: SQLite freeing the page cache another process's commit invalidates) and collections
  // lengthened in the phase. `npm run ingest` beside a server is started from a shell, never
  // forked from it.
  const otherProcess = spawn(
    process.execPath,
    [...RUNTIME_NODE_FLAGS, ...TYPESCRIPT_RUNNER, join(REPO_ROOT, 'bench/suite/store-writer.ts'), '--index', indexDir],
    {
      stdio: ['pipe', 'ignore', 'inherit'],
    },
  );
  const otherProcessExited = new Promise((resolve) => otherProcess.once('exit', resolve));
  try {
    const embedder = await createLocalEmbedder({ cacheDir: WORD_VECTOR_CACHE });
    const info = { id: embedder.id, dim: embedder.dim };

    // 1. Build through the store, embedding included (in the ingest worker, as `npm run ingest` runs it).
    let kb = await EmbeddedStore.open({ indexDir, embedder: info, ...embeddedStoreThreads() });
    const jobs = createJobRunner();
    const matrix = createVectorMatrix(embedder.dim, chunks);
    const rows = new Map<string, number>();
    const built = await buildThroughStore(kb, createWorkerEmbedder(embedder, jobs), chunks, {
      progress,
      onStored: (articleId, vectors) => {
        vectors.forEach((vector, ordinal) => {
          setRow(matrix, rows.size, vector);
          rows.set(`${articleId}-${ordinal}`, rows.size);
        });
      },
    });
    const { articles } = built;
    const build = {
      // On a shared machine the wall clock counts other processes' time too: CPU seconds do not.
      cpuSeconds: built.cpuSeconds,
      passagesPerCpuSecond: built.passagesPerCpuSecond,
      seconds: built.seconds,
      passagesPerSecond: built.passagesPerSecond,
      split: built.split,
      ...(built.threads ? { threads: built.threads } : {}),
      loadAverage: round(loadavg()[0] ?? 0, 1),
      hnsw: { m: VECTOR_INDEX_DEFAULTS.m, efConstruction: VECTOR_INDEX_DEFAULTS.efConstruction, efSearch: VECTOR_INDEX_DEFAULTS.efSearch },
    };
    progress(`built ${chunks} passages in ${build.seconds} s (${build.passagesPerSecond}/s)`);

    // 2. Snapshot, disk, reopen, hybrid latency and recall.
    let mark = performance.now();
    await kb.close();
    const closeSeconds = round((performance.now() - mark) / 1000, 2);
    const disk = {
      totalMb: round(diskBytes(indexDir) / 1024 / 1024, 1),
      databaseMb: round(diskBytes(join(indexDir, 'kb.sqlite')) / 1024 / 1024, 1),
      snapshotMb: round(diskBytes(join(indexDir, 'snapshots')) / 1024 / 1024, 1),
      // The store keeps a replaced snapshot for a minute (another process may be reading it).
      currentSnapshotMb: round(newestEntryBytes(join(indexDir, 'snapshots')) / 1024 / 1024, 1),
    };
    mark = performance.now();
    kb = await EmbeddedStore.open({ indexDir, embedder: info, ...embeddedStoreThreads() });
    const openSeconds = round((performance.now() - mark) / 1000, 2);
    progress(`disk ${diskCell(disk)} MB; close ${closeSeconds} s, open ${openSeconds} s`);
    const questions = generateQuestions(STORE_BENCH_DEFAULTS.questions);
    const search = (query: string) => searchKnowledgeBase(kb, embedder, { query, k, today });
    // As `npm start` does once it listens (server/main.ts; there between requests, here before the
    // questions): the price files read, then searches of the store's own words and the offline
    // engine's answers to a few of them (server/retrieval/warm-up.ts).
    const prompts = loadPromptLibrary(join(REPO_ROOT, 'prompts'));
    const prices = createPriceStore({ dataDir: join(REPO_ROOT, 'data') });
    await prices.preload?.();
    const offline = createOfflineEngine({ kb, embedder, registry: createToolRegistry(), toolContext: () => ({ prices, today }), prompts });
    const warmUp = await warmUpSearch(kb, { today, embedder, collectGarbage: fullCollection(), answer: warmUpAnswer(offline, () => today) });
    const hybrid = (await timeEach(questions, search, 0)).latency;
    // The first pass after opening (and the warm-up) pays once for what a running server has
    // already paid (the garbage the open left, articles not yet read). Two more passes: the same
    // questions again (their articles are now in the store's caches), then questions of another
    // seed (a warm process, reading articles it has not read yet).
    const hybridRepeated = (await timeEach(questions, search, 0)).latency;
    const hybridFresh = (await timeEach(generateQuestions(questions.length, CORPUS_DEFAULTS.seed + 2), search, 0)).latency;
    const queryVectors = questions.map((question) => embedder.embedSync(question));
    const approximate = await timeEach(queryVectors, async (vector) => (await kb.vectorSearch(vector, k)).map((hit) => rows.get(hit.passageId) ?? -1));
    const recallAt8 = meanRecall(
      approximate.results,
      queryVectors.map((vector) => exactTopK(matrix, vector, k)),
    );
    progress(
      `warm-up ${warmUp.searches} searches and ${warmUp.answers} answers in ${warmUp.ms} ms (a ${warmUp.collectionMs} ms collection first); hybrid p50 / p99 ms: first pass ${hybrid.p50Ms} / ${hybrid.p99Ms}, repeated ${hybridRepeated.p50Ms} / ${hybridRepeated.p99Ms}, fresh questions ${hybridFresh.p50Ms} / ${hybridFresh.p99Ms}; recall@8 ${recallAt8}`,
    );
    const rssAfterSearchMb = rssMb();

    // 3. One-article uploads through the library, as POST /api/articles runs them.
    // As the server composes it: parsing and embedding in the ingest worker, storing on this thread.
    const library = createLibrary({ kb, embedder: createWorkerEmbedder(embedder, jobs), queue: createWriteQueue(), prepare: createUploadPreparer(jobs) });
    let nextArticle = articles;
    const upload = () =>
      library.addArticle({ content: renderArticleMarkdown(generateArticle(nextArticle++, CORPUS_DEFAULTS.passagesPerArticle)), format: 'markdown' });
    const uploadLatencies: number[] = [];
    const uploadCpu = process.cpuUsage();
    // The longest stall uploads alone cause (the phases below add searches and chats, whose own
    // synchronous work stalls the loop too).
    const uploadDelay = monitorEventLoopDelay({ resolution: 5 });
    uploadDelay.enable();
    for (let index = 0; index < uploads; index += 1) {
      const started = performance.now();
      await upload();
      uploadLatencies.push(performance.now() - started);
    }
    uploadDelay.disable();
    const upload1 = {
      ...summarizeLatencies(uploadLatencies),
      cpuMsEach: round((cpuSecondsSince(uploadCpu) * 1000) / uploads, 1),
      maxStallMs: round(uploadDelay.max / 1e6, 1),
    };
    progress(`upload p50 ${upload1.p50Ms} ms, p99 ${upload1.p99Ms} ms, loop max ${upload1.maxStallMs} ms`);

    // 4. Concurrent searches and chats, without and with writers.
    const chat = createChatService({ offline, conversations: createConversationStore(), prompts, today: () => today });
    const phase = async (name: string, writer?: () => Promise<unknown>) => {
      const until = performance.now() + seconds * 1000;
      const search: number[] = [];
      const chats: number[] = [];
      const writeLatencies: number[] = [];
      // Each operation starts on its own event-loop turn, as requests arriving over HTTP do (an
      // await chain of store calls that answer at once would otherwise never yield to timers).
      const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
      const loop = async (run: (question: string) => Promise<unknown>, into: number[], offset: number) => {
        for (let index = offset; performance.now() < until; index += 1) {
          await nextTurn();
          const started = performance.now();
          await run(questions[index % questions.length]!);
          into.push(performance.now() - started);
        }
      };
      const delay = monitorEventLoopDelay({ resolution: 5 });
      delay.enable();
      // Garbage-collector pauses on this thread, so a long stall can be told apart from a long task.
      const pauses = { count: 0, totalMs: 0, maxMs: 0, majorMaxMs: 0 };
      const collector = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          pauses.count += 1;
          pauses.totalMs += entry.duration;
          pauses.maxMs = Math.max(pauses.maxMs, entry.duration);
          if ((entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR)
            pauses.majorMaxMs = Math.max(pauses.majorMaxMs, entry.duration);
        }
      });
      collector.observe({ entryTypes: ['gc'] });
      const threadCpu = readThreadCpu();
      const explainer = values['explain-stalls'] ? startStallExplainer({ thresholdMs: 30, intervalMs: 2 }) : undefined;
      await Promise.all([
        ...Array.from({ length: STORE_BENCH_DEFAULTS.searchers }, (_, offset) =>
          loop((query) => searchKnowledgeBase(kb, embedder, { query, k, today }), search, offset * 17),
        ),
        ...Array.from({ length: STORE_BENCH_DEFAULTS.chatters }, (_, offset) =>
          loop((message) => chat.ask({ message }, { signal: new AbortController().signal }), chats, offset * 31),
        ),
        (async () => {
          while (writer && performance.now() < until) {
            await nextTurn();
            const started = performance.now();
            await writer();
            writeLatencies.push(performance.now() - started);
          }
        })(),
      ]);
      delay.disable();
      collector.disconnect();
      const explained = explainer?.stop();
      // CPU seconds of this main thread and of the others: a main thread below one second per second was waiting for a core.
      const threads = threadCpuSince(threadCpu);
      const result = {
        search: summarizeLatencies(search),
        chat: summarizeLatencies(chats),
        writes: writeLatencies.length,
        ...(writeLatencies.length > 0 ? { writeLatency: summarizeLatencies(writeLatencies) } : {}),
        // Stalls over 20 and 30 ms as well as the longest: one long stall in a run is a tail event, their count is the trend.
        eventLoop: {
          maxStallMs: round(delay.max / 1e6, 1),
          p99Ms: round(delay.percentile(99) / 1e6, 1),
          over20Ms: countAbove(delay, 20e6),
          over30Ms: countAbove(delay, 30e6),
        },
        gc: { pauses: pauses.count, totalMs: round(pauses.totalMs, 1), maxMs: round(pauses.maxMs, 1), majorMaxMs: round(pauses.majorMaxMs, 1) },
        ...(threads ? { threadCpuSeconds: { main: round(threads.mainSeconds, 2), other: round(threads.otherSeconds, 2) } } : {}),
        ...(explained
          ? {
              stallsOver30Ms: explained.map((stall) => ({
                ms: round(stall.ms, 1),
                ran: round(stall.ranMs, 1),
                waitedForCore: round(stall.waitedForCoreMs, 1),
                offCore: round(stall.offCoreMs, 1),
                ...(stall.blockedIn ? { blockedIn: stall.blockedIn } : {}),
              })),
            }
          : {}),
      };
      progress(
        `${name}: search p99 ${result.search.p99Ms} ms, chat p99 ${result.chat.p99Ms} ms, ${result.writes} writes${result.writeLatency ? ` (p99 ${result.writeLatency.p99Ms} ms)` : ''}, loop max ${result.eventLoop.maxStallMs} ms, longest GC pause ${result.gc.maxMs} ms (major ${result.gc.majorMaxMs})`,
      );
      return result;
    };
    // The first chat loads what the offline engine loads lazily (a one-time cost, reported apart).
    let firstStarted = performance.now();
    await chat.ask({ message: questions[0]! }, { signal: new AbortController().signal });
    const firstChatMs = round(performance.now() - firstStarted, 1);
    firstStarted = performance.now();
    await searchKnowledgeBase(kb, embedder, { query: questions[1]!, k, today });
    const firstSearchMs = round(performance.now() - firstStarted, 1);
    const idle = await phase('no writers');
    const uploading = await phase('uploads in this process', upload);
    // Another process writing into the same folder, followed by refresh every second.
    const watcher = watchKnowledgeBase(kb, { intervalMs: 1_000 });
    if (otherProcess.exitCode !== null || otherProcess.signalCode !== null) throw new Error('the writing process exited before its phase (its error is above)');
    otherProcess.stdin?.end(`${nextArticle + 1_000_000}\n`);
    // Let the writer open the store (it loads the snapshot) before the phase starts.
    const versionBefore = await kb.version();
    const waitStarted = performance.now();
    while ((await kb.version()) === versionBefore && performance.now() - waitStarted < 120_000) await new Promise((resolve) => setTimeout(resolve, 200));
    const external = await phase('another process writing', undefined);
    otherProcess.kill('SIGTERM');
    // The writer closes its store on SIGTERM (a snapshot may be written): removing the folder before it exits fails.
    await otherProcessExited;
    watcher.stop();
    const externalWrites = (await kb.version()) - versionBefore;

    const ratio = (phaseResult: { search: LatencySummary; chat: LatencySummary }) => ({
      search: round(phaseResult.search.p99Ms / Math.max(0.001, idle.search.p99Ms), 2),
      chat: round(phaseResult.chat.p99Ms / Math.max(0.001, idle.chat.p99Ms), 2),
    });
    writeStepResult(values.out, {
      step: 'store',
      chunks,
      articles,
      build,
      disk,
      closeSeconds,
      openSeconds,
      warmUp,
      hybrid,
      hybridRepeated,
      hybridFresh,
      recallAt8,
      upload: upload1,
      concurrency: {
        seconds,
        firstChatMs,
        firstSearchMs,
        searchers: STORE_BENCH_DEFAULTS.searchers,
        chatters: STORE_BENCH_DEFAULTS.chatters,
        idle,
        uploading: { ...uploading, p99Ratio: ratio(uploading) },
        externalWriter: { ...external, writesApplied: externalWrites, p99Ratio: ratio(external) },
      },
      memory: { rssAfterSearchMb, rssEndMb: rssMb() },
      loadAverage: round(loadavg()[0] ?? 0, 1),
      threadWake,
      ...(pageFaultCost ? { pageFaultCost } : {}),
    });
    await jobs.close();
    await kb.close();
  } finally {
    if (otherProcess.exitCode === null && otherProcess.signalCode === null) {
      otherProcess.kill('SIGTERM');
      await otherProcessExited;
    }
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
