import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { KnowledgeBase } from '../kb/knowledge-base.ts';
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
import { loadPromptLibrary } from './prompts.ts';
import { createToolsRouter } from './routes/tools.ts';
import { createToolRegistry } from './tools/registry.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The composition root: reads the environment, builds the real dependencies, listens. */
async function main(): Promise<void> {
  const started = Date.now();
  const config = loadConfig(process.env);
  const embedder = await createEmbedder({
    kind: config.embeddings,
    dataDir: config.dataDir,
    cacheDir: config.cacheDir,
    openai: { ...config.openai, model: config.embeddingModel },
  });
  const kb = KnowledgeBase.open(config.indexDir, { id: embedder.id, dim: embedder.dim });

  if (kb.stats().articles === 0 && existsSync(config.sampleArticlesDir)) {
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
  const primary = config.openai.apiKey
    ? createOpenAIEngine({
        client: new OpenAI({ apiKey: config.openai.apiKey, ...(config.openai.baseURL ? { baseURL: config.openai.baseURL } : {}) }),
        model: config.openai.chatModel,
        kb,
        embedder,
        registry,
        toolContext,
        prompts,
      })
    : undefined;
  const chat = createChatService({ ...(primary ? { primary } : {}), offline, conversations: createConversationStore(), prompts, today });
  const app = createApp({
    kb,
    embedder,
    routers: [
      { path: '/search', router: createSearchRouter({ kb, embedder, today }) },
      { path: '/tools', router: createToolsRouter({ registry, context: toolContext }) },
      { path: '/chat', router: createChatRouter({ chat }) },
    ],
    llm: config.openai.apiKey ? { mode: 'openai', model: config.openai.chatModel } : { mode: 'offline' },
    webDir: join(repoRoot, 'web'),
    logger: { error: (object, message) => process.stderr.write(`${JSON.stringify({ level: 'error', message, ...serialize(object) })}\n`) },
  });
  const server = app.listen(config.port, config.host, () => {
    const { articles, chunks } = kb.stats();
    log(`investment-copilot on http://${config.host}:${config.port} (${articles} articles, ${chunks} chunks, ` +
      `${config.openai.apiKey ? `openai ${config.openai.chatModel}` : 'offline engine'}; ready in ${Date.now() - started} ms)`);
  });
  server.on('error', (error) => {
    process.stderr.write(`cannot listen on ${config.host}:${config.port}: ${error.message}\n`);
    process.exit(1);
  });
  const shutdown = () => {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 5_000).unref();
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

function serialize(object: Record<string, unknown>): Record<string, unknown> {
  const error = object.err;
  return error instanceof Error ? { ...object, err: { name: error.name, message: error.message, stack: error.stack } } : object;
}

function log(message: string): void {
  process.stdout.write(`${message}\n`);
}

main().catch((error: unknown) => {
  const message = error instanceof AppError ? `${error.code}: ${error.message}` : error instanceof Error ? error.stack : String(error);
  process.stderr.write(`investment-copilot could not start: ${message}\n`);
  process.exit(1);
});
