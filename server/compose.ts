import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import type { Logger } from './logging/console-logger.ts';
import { loadStoreConfig, openStore } from '../kb/open-store.ts';
import type { Config } from '../lib/config.ts';
import { SAMPLE_LABEL, SAMPLE_REMOVAL_HINT } from '../lib/samples.ts';
import { createWriteQueue } from '../lib/write-queue.ts';
import { createEmbedder } from '../ingest/embed/create-embedder.ts';
import type { LocalEmbedder } from '../ingest/embed/local-embedder.ts';
import { ingestPaths } from '../ingest/pipeline.ts';
import { createJobRunner } from '../ingest/worker/job-runner.ts';
import { offloadDocumentEmbedding, warmUpDocumentEmbedding } from '../ingest/embed/worker-embedder.ts';
import { createUploadPreparer } from '../ingest/worker/upload-preparer.ts';
import { createCellFinder } from './cells/cell-finder.ts';
import { createChatService } from './chat/chat-service.ts';
import { createConversationFiles } from './chat/conversation-files.ts';
import { createConversationStore } from './chat/conversations.ts';
import { createOfflineEngine } from './chat/offline-engine.ts';
import { createOpenAIEngine } from './chat/openai-engine.ts';
import { createLibrary } from './library.ts';
import { withCircuitBreaker } from './market/live-breaker.ts';
import { createPriceStore } from './market/price-store.ts';
import { createYahooChartFetcher, createYahooProvider } from './market/yahoo-provider.ts';
import { loadPromptLibrary } from './prompts.ts';
import { createOpenAIPlanner } from './research/openai-planner.ts';
import { createOpenAIWriter } from './research/openai-writer.ts';
import { createPlanValidator } from './research/plan-schema.ts';
import { createResearchService } from './research/research-service.ts';
import { createToolRegistry } from './tools/registry.ts';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The composition root shared by the HTTP server (server/main.ts) and the MCP stdio server
 * (server/mcp-stdio.ts): builds every real dependency from the configuration, once. `say` prints
 * progress for a person (stdout for the server; stderr for MCP, whose stdout is the protocol).
 */
export async function composeCopilot(config: Config, options: { logger: Logger; say: (message: string) => void }) {
  const { logger, say } = options;
  // One OpenAI client for the embedder, the chat engine and research; each call sets its own retries.
  const client = config.openai.apiKey
    ? new OpenAI({ apiKey: config.openai.apiKey, ...(config.openai.baseURL ? { baseURL: config.openai.baseURL } : {}) })
    : undefined;
  const embedder = await createEmbedder({
    kind: config.embeddings,
    dataDir: config.dataDir,
    cacheDir: config.wordVectorCacheDir,
    openai: { ...config.openai, model: config.embeddingModel, ...(client ? { client } : {}) },
  });
  // The local embedder says when it had to build its cache, and where, so a rebuild is never silent.
  const vectors = (embedder as Partial<LocalEmbedder>).stats;
  if (vectors?.source === 'json') say(`built the word-vector cache ${vectors.cachePath} (once; COPILOT_WORD_VECTOR_CACHE_DIR moves it)`);
  const kb = await openStore({ config: loadStoreConfig(process.env), indexDir: config.indexDir, embedder: { id: embedder.id, dim: embedder.dim } });

  // Uploads (HTTP and MCP) are parsed in a worker thread with a time budget: one cannot freeze the
  // server. PDFs go there from the start (the sample corpus may hold some).
  const jobs = createJobRunner();
  const sampleDirs = config.sampleArticlesDirs.filter((dir) => existsSync(dir));
  if ((await kb.stats()).articles === 0 && sampleDirs.length > 0) {
    say(`knowledge base is empty: ingesting the sample corpus from ${sampleDirs.join(', ')}`);
    const summary = await ingestPaths(sampleDirs, { kb, embedder, pdf: { limits: config.pdf, jobs } });
    say(`sample corpus: added ${summary.added}, failed ${summary.failed.length}, ${summary.totals.chunks} chunks`);
    say(`these are sample articles with invented publishers, labelled "${SAMPLE_LABEL}"; ${SAMPLE_REMOVAL_HINT}`);
  }
  say(
    `data dir ${config.dataDir} (index ${config.indexDir}); price files from ${config.pricesDirs.filter((dir) => existsSync(dir)).join(', ') || 'nowhere (live prices only)'}; caches in ${config.cacheDir}`,
  );

  const prices = createPriceStore({
    dataDir: config.dataDir,
    pricesDirs: config.pricesDirs,
    ...(config.livePrices
      ? {
          live: withCircuitBreaker(createYahooProvider({ chart: createYahooChartFetcher(), cacheDir: join(config.cacheDir, 'prices') }), {
            cooldownMs: 10 * 60_000,
          }),
        }
      : {}),
  });
  const today = () => new Date().toISOString().slice(0, 10);
  const registry = createToolRegistry();
  const prompts = loadPromptLibrary(join(REPO_ROOT, 'prompts'));
  const cells = createCellFinder({ kb, embedder, today });
  const toolContext = () => ({ prices, cells, today: today() });
  const offline = createOfflineEngine({ kb, embedder, registry, toolContext, prompts });
  const primary = client ? createOpenAIEngine({ client, model: config.openai.chatModel, kb, embedder, registry, toolContext, prompts }) : undefined;
  let providerFailure: { at: number; reason: string } | undefined;
  // Conversations live beside the knowledge base, under the data dir, so a restart keeps them.
  const conversations = createConversationStore({
    persistence: createConversationFiles(join(config.dataDir, 'conversations'), {
      onSkipped: (file, reason) => logger.warn({ file, reason }, 'skipped an unreadable conversation file'),
    }),
    onRemoveFailed: (id, error) =>
      logger.warn({ conversation: id, reason: error instanceof Error ? error.message : String(error) }, 'could not remove a forgotten conversation file'),
  });
  const chat = createChatService({
    ...(primary ? { primary } : {}),
    offline,
    conversations,
    prompts,
    today,
    log: (entry) => {
      if (entry.event === 'chat.fallback') providerFailure = { at: Date.now(), reason: String(entry.reason) };
      // The request line already says an answer was given; its details are for debugging.
      if (entry.event === 'chat.fallback') logger.warn(entry, 'the language model failed; the offline engine answered');
      else logger.debug(entry, String(entry.event));
    },
  });
  const research = createResearchService({
    kb,
    embedder,
    registry,
    toolContext,
    prompts,
    today,
    ...(client
      ? {
          generative: {
            planner: createOpenAIPlanner({ client, model: config.openai.chatModel, prompts, validator: createPlanValidator(), tools: registry.list() }),
            writer: createOpenAIWriter({ client, model: config.openai.chatModel, prompts }),
          },
        }
      : {}),
    log: (entry) => logger.debug(entry, String(entry.event ?? 'research')),
  });
  const providerCheck = () =>
    providerFailure && Date.now() - providerFailure.at < 5 * 60_000
      ? `the language model provider failed ${Math.round((Date.now() - providerFailure.at) / 1000)} s ago (${providerFailure.reason}); answers fall back to the offline engine`
      : undefined;
  // The worker starts, then builds its copy of the local embedder, before the first upload needs them.
  jobs
    .warmUp()
    .then(() => warmUpDocumentEmbedding(embedder, jobs))
    .catch((error: unknown) => {
      // Stopped by a shutdown during the start: nothing to retry.
      if (!jobs.closed) logger.warn({ err: error }, 'the parsing worker could not start; the next upload retries it');
    });
  // Uploads embed in the worker too: the event loop only stores (issue 13: no stall over 50 ms).
  const library = createLibrary({
    kb,
    embedder: offloadDocumentEmbedding(embedder, jobs),
    queue: createWriteQueue(),
    prepare: createUploadPreparer(jobs),
    pdf: { limits: config.pdf, jobs },
  });
  const llm = config.openai.apiKey ? { mode: 'openai' as const, model: config.openai.chatModel } : { mode: 'offline' as const };
  return {
    kb,
    embedder,
    prices,
    registry,
    toolContext,
    prompts,
    offline,
    chat,
    conversations,
    research,
    library,
    jobs,
    today,
    llm,
    healthChecks: [providerCheck],
  };
}
