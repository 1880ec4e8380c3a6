import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createLocalEmbedder } from '../../ingest/embed/local-embedder.ts';
import { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
import { embeddedStoreThreads } from '../../kb/open-store.ts';
import { createChatService } from '../../server/chat/chat-service.ts';
import { createConversationStore } from '../../server/chat/conversations.ts';
import { createOfflineEngine } from '../../server/chat/offline-engine.ts';
import { createPriceStore } from '../../server/market/price-store.ts';
import { loadPromptLibrary } from '../../server/prompts.ts';
import { createToolRegistry } from '../../server/tools/registry.ts';
import { REPO_ROOT, WORD_VECTOR_CACHE } from '../retrieval/corpus.ts';
import { round } from './statistics.ts';
import { buildThroughStore } from './store-build.ts';
import { generateQuestions } from './synthetic-corpus.ts';

/**
 * The longest synchronous blocks of the event loop during offline chats, in CPU milliseconds: a
 * stall measured in wall time (monitorEventLoopDelay, as store-bench.ts does) on a shared machine
 * is mostly time spent waiting for a core, CPU time is not. A callback re-armed with setImmediate
 * runs once per event-loop turn; the CPU used between two of its runs is one block of other work.
 * (process.cpuUsage counts every thread, so a block can include a little of the graph thread's or
 * the garbage collector's work: an upper bound.)
 *
 *   tsx bench/suite/chat-blocks.ts --chunks 10000 [--questions 60]
 *   tsx bench/suite/chat-blocks.ts --open DIR [--questions 60]   # a store kept by store-scale-bench.ts --keep
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { chunks: { type: 'string' }, questions: { type: 'string' }, open: { type: 'string' } } });
  const chunks = Number(values.chunks ?? 10_000);
  const questions = generateQuestions(Number(values.questions ?? 60));
  const today = '2026-11-21';
  const work = mkdtempSync(join(tmpdir(), 'copilot-bench-blocks-'));
  try {
    const embedder = await createLocalEmbedder({ cacheDir: WORD_VECTOR_CACHE });
    // `--open DIR`: a store kept by `store-scale-bench.ts --keep` (its `index/`), used as it is.
    const indexDir = values.open ? join(values.open, 'index') : join(work, 'index');
    const kb = await EmbeddedStore.open({ indexDir, embedder: { id: embedder.id, dim: embedder.dim }, ...embeddedStoreThreads() });
    if (!values.open) await buildThroughStore(kb, embedder, chunks);
    const prompts = loadPromptLibrary(join(REPO_ROOT, 'prompts'));
    const prices = createPriceStore({ dataDir: join(REPO_ROOT, 'data') });
    const offline = createOfflineEngine({ kb, embedder, registry: createToolRegistry(), toolContext: () => ({ prices, today }), prompts });
    const chat = createChatService({ offline, conversations: createConversationStore(), prompts, today: () => today });
    const ask = (message: string) => chat.ask({ message }, { signal: new AbortController().signal });
    // Warm-up: what the engine loads on first use is a one-time cost.
    for (const question of questions.slice(0, 10)) await ask(question);

    const cpuMs = () => {
      const used = process.cpuUsage();
      return (used.user + used.system) / 1000;
    };
    // Each block also keeps its monotonic bounds (the clock a `--cpu-prof` profile's timestamps
    // use), so the samples of the longest blocks can be picked out of a profile.
    const blocks: { ms: number; question: string; fromNs: bigint; toNs: bigint }[] = [];
    let asking = '';
    let last = cpuMs();
    let lastNs = process.hrtime.bigint();
    let running = true;
    const tick = () => {
      const now = cpuMs();
      const nowNs = process.hrtime.bigint();
      blocks.push({ ms: now - last, question: asking, fromNs: lastNs, toNs: nowNs });
      last = now;
      lastNs = nowNs;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    const perChat: number[] = [];
    for (const question of questions) {
      asking = question;
      const started = cpuMs();
      await ask(question);
      perChat.push(cpuMs() - started);
    }
    running = false;
    blocks.sort((a, b) => b.ms - a.ms);
    perChat.sort((a, b) => a - b);
    console.log(
      JSON.stringify({
        chunks: values.open ? (await kb.stats()).chunks : chunks,
        chats: questions.length,
        chatCpuMs: { p50: round(perChat[Math.floor(perChat.length / 2)]!, 1), max: round(perChat.at(-1)!, 1) },
        longestBlocksCpuMs: blocks.slice(0, 8).map((block) => round(block.ms, 1)),
        // Wall time between two turns: the stall itself, and the honest figure on an idle machine.
        longestBlocksWallMs: blocks
          .map((block) => Number(block.toNs - block.fromNs) / 1e6)
          .sort((a, b) => b - a)
          .slice(0, 8)
          .map((ms) => round(ms, 1)),
        // Which chat each of the longest blocks came from, to profile it alone.
        longestBlockQuestions: [...new Set(blocks.slice(0, 8).map((block) => block.question))],
        longestBlockBoundsUs: blocks.slice(0, 8).map((block) => [Number(block.fromNs / 1000n), Number(block.toNs / 1000n)]),
      }),
    );
    await kb.close();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
