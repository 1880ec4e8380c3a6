import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { loadStoreConfig, openStore } from '../kb/open-store.ts';
import { loadConfig } from '../lib/config.ts';
import { AppError } from '../lib/errors.ts';
import { createEmbedder } from '../ingest/embed/create-embedder.ts';
import { ingestPaths } from '../ingest/pipeline.ts';
import { createApp } from './app.ts';
import { withCircuitBreaker } from './market/live-breaker.ts';
import { createPriceStore } from './market/price-store.ts';
import { createYahooChartFetcher, createYahooProvider } from './market/yahoo-provider.ts';
import { createSearchRouter } from './routes/search.ts';
import { createChatRouter } from './routes/chat.ts';
import { createChatService } from './chat/chat-service.ts';
import { createConversationStore } from './chat/conversations.ts';
import { createOfflineEngine } from './chat/offline-engine.ts';
import { createOpenAIEngine } from './chat/openai-engine.ts';
import OpenAI from 'openai';
import { pino } from 'pino';
import { watchKnowledgeBase } from './kb-watcher.ts';
import { createOpenAIPlanner } from './research/openai-planner.ts';
import { createOpenAIWriter } from './research/openai-writer.ts';
import { createPlanValidator } from './research/plan-schema.ts';
import { createResearchService } from './research/research-service.ts';
import { createResearchRouter } from './routes/research.ts';
import { loadPromptLibrary } from './prompts.ts';
import { createToolsRouter } from './routes/tools.ts';
import { createToolRegistry } from './tools/registry.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The composition root: reads the environment, builds the real dependencies, listens. */
async function main(): Promise<void> {
  const started = Date.now();
  const config = loadConfig(process.env);
  const logger = pino({ level: config.logLevel, base: { service: 'investment-copilot' }, redact: ['*.authorization', '*.apiKey', '*.OPENAI_API_KEY'] });
  const embedder = await createEmbedder({
    kind: config.embeddings,
    dataDir: config.dataDir,
    cacheDir: config.cacheDir,
    openai: { ...config.openai, model: config.embeddingModel },
  });
  const kb = await openStore({ config: loadStoreConfig(process.env), indexDir: config.indexDir, embedder: { id: embedder.id, dim: embedder.dim } });

  if ((await kb.stats()).articles === 0 && existsSync(config.sampleArticlesDir)) {
    log(`knowledge base is empty: ingesting the sample corpus from ${config.sampleArticlesDir}`);
    const summary = await ingestPaths([config.sampleArticlesDir], { kb, embedder });
    log(`sample corpus: added ${summary.added}, failed ${summary.failed.length}, ${summary.totals.chunks} chunks`);
  }

  const prices = createPriceStore({
    dataDir: config.dataDir,
    ...(config.livePrices
      ? {
          live: withCircuitBreaker(
            createYahooProvider({ chart: createYahooChartFetcher(), cacheDir: join(config.cacheDir, 'prices') }),
            { cooldownMs: 10 * 60_000 },
          ),
        }
      : {}),
  });
  const today = () => new Date().toISOString().slice(0, 10);
  const registry = createToolRegistry();
  const prompts = loadPromptLibrary(join(repoRoot, 'prompts'));
  const toolContext = () => ({ prices, today: today() });
  const offline = createOfflineEngine({ kb, embedder, registry, toolContext, prompts });
  const client = config.openai.apiKey
    ? new OpenAI({ apiKey: config.openai.apiKey, ...(config.openai.baseURL ? { baseURL: config.openai.baseURL } : {}) })
    : undefined;
  const primary = client
    ? createOpenAIEngine({
        client,
        model: config.openai.chatModel,
        kb,
        embedder,
        registry,
        toolContext,
        prompts,
      })
    : undefined;
  let providerFailure: { at: number; reason: string } | undefined;
  const chat = createChatService({
    ...(primary ? { primary } : {}),
    offline,
    conversations: createConversationStore(),
    prompts,
    today,
    log: (entry) => {
      if (entry.event === 'chat.fallback') providerFailure = { at: Date.now(), reason: String(entry.reason) };
      logger.info(entry, String(entry.event));
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
    log: (entry) => logger.info(entry, String(entry.event ?? 'research')),
  });
  const providerCheck = () =>
    providerFailure && Date.now() - providerFailure.at < 5 * 60_000
      ? `the language model provider failed ${Math.round((Date.now() - providerFailure.at) / 1000)} s ago (${providerFailure.reason}); answers fall back to the offline engine`
      : undefined;
  const app = createApp({
    kb,
    embedder,
    routers: [
      { path: '/search', router: createSearchRouter({ kb, embedder, today }) },
      { path: '/tools', router: createToolsRouter({ registry, context: toolContext }) },
      { path: '/chat', router: createChatRouter({ chat }) },
      { path: '/research', router: createResearchRouter({ research }) },
    ],
    llm: config.openai.apiKey ? { mode: 'openai', model: config.openai.chatModel } : { mode: 'offline' },
    webDir: join(repoRoot, 'web'),
    logger,
    healthChecks: [providerCheck],
    security: {
      ...(config.serverApiKey ? { apiKey: config.serverApiKey } : {}),
      apiKeyScope: config.apiKeyScope,
      rateLimit: config.rateLimitPerMinute > 0 ? { windowMs: 60_000, limit: config.rateLimitPerMinute } : false,
      trustProxy: config.trustProxy,
    },
  });
  const watcher = watchKnowledgeBase(kb, {
    intervalMs: 1_000,
    onRefresh: (changes, version) => logger.info({ changes, version }, 'knowledge base: applied changes committed by another process'),
    onError: (error) => logger.warn({ err: error }, 'knowledge base refresh failed; retrying'),
  });
  const { articles, chunks } = await kb.stats();
  const server = app.listen(config.port, config.host, () => {
    log(`investment-copilot on http://${config.host}:${config.port} (${articles} articles, ${chunks} chunks, ` +
      `${config.openai.apiKey ? `openai ${config.openai.chatModel}` : 'offline engine'}; ready in ${Date.now() - started} ms)`);
  });
  server.on('error', (error) => {
    process.stderr.write(`cannot listen on ${config.host}:${config.port}: ${error.message}\n`);
    process.exit(1);
  });
  // Graceful shutdown: stop accepting, let in-flight requests finish (streams get their `done` or
  // are cut after the grace period), close the store (every write is already durable; closing
  // saves an index snapshot so the next start replays little), then exit.
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    watcher.stop();
    server.close(() => {
      void kb.close().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'could not close the knowledge base cleanly (nothing committed is lost)');
          process.exit(1);
        },
      );
    });
    server.closeIdleConnections();
    setTimeout(() => {
      server.closeAllConnections();
      process.exit(0);
    }, 10_000).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

function log(message: string): void {
  process.stdout.write(`${message}\n`);
}

main().catch((error: unknown) => {
  const message = error instanceof AppError ? `${error.code}: ${error.message}` : error instanceof Error ? error.stack : String(error);
  process.stderr.write(`investment-copilot could not start: ${message}\n`);
  process.exit(1);
});
