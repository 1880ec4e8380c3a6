import { join } from 'node:path';
import { pino } from 'pino';
import { createConsoleLogger, type Logger } from './logging/console-logger.ts';
import { listenHostName } from './middleware/host-guard.ts';
import { loadConfig } from '../lib/config.ts';
import { AppError } from '../lib/errors.ts';
import { fullCollection } from '../lib/full-collection.ts';
import { APP_DEFAULTS, createApp } from './app.ts';
import { composeCopilot, REPO_ROOT } from './compose.ts';
import { watchKnowledgeBase } from './kb-watcher.ts';
import { warmUpSearch } from './retrieval/warm-up.ts';
import { warmUpAnswer } from './chat/warm-up-answer.ts';
import { createCopilotBackend, MCP_SCHEMAS } from './mcp/copilot-backend.ts';
import { createMcpServer } from './mcp/create-mcp-server.ts';
import { createMcpRouter } from './mcp/mcp-route.ts';
import { createChatRouter } from './routes/chat.ts';
import { createConversationsRouter } from './routes/conversations.ts';
import { createResearchRouter } from './routes/research.ts';
import { createSearchRouter } from './routes/search.ts';
import { createToolsRouter } from './routes/tools.ts';

/** The HTTP server's entry point: reads the environment, composes the copilot, listens. */
async function main(): Promise<void> {
  const started = Date.now();
  const config = loadConfig(process.env);
  const logger: Logger =
    config.logFormat === 'json'
      ? pino({ level: config.logLevel, base: { service: 'investment-copilot' }, redact: ['*.authorization', '*.apiKey', '*.OPENAI_API_KEY'] })
      : createConsoleLogger({ level: config.logLevel });
  const copilot = await composeCopilot(config, { logger, say: log });
  const { kb, embedder, prices, registry, toolContext, chat, conversations, research, library, today } = copilot;
  const mcpBackend = createCopilotBackend({ ...copilot, version: APP_DEFAULTS.apiVersion, allowWrites: config.mcpWrites });
  const app = createApp({
    kb,
    embedder,
    library,
    routers: [
      { path: '/search', router: createSearchRouter({ kb, embedder, today }) },
      { path: '/tools', router: createToolsRouter({ registry, context: toolContext }) },
      { path: '/chat', router: createChatRouter({ chat }) },
      { path: '/conversations', router: createConversationsRouter({ conversations }) },
      { path: '/research', router: createResearchRouter({ research, conversations }) },
    ],
    mcp: createMcpRouter({ createServer: () => createMcpServer(mcpBackend, MCP_SCHEMAS) }),
    llm: copilot.llm,
    webDir: join(REPO_ROOT, 'web'),
    logger,
    healthChecks: copilot.healthChecks,
    pdf: { limits: config.pdf },
    fetch: { policy: config.fetch },
    security: {
      ...(config.serverApiKey ? { apiKey: config.serverApiKey } : {}),
      apiKeyScope: config.apiKeyScope,
      rateLimit: config.rateLimitPerMinute > 0 ? { windowMs: 60_000, limit: config.rateLimitPerMinute } : false,
      trustProxy: config.trustProxy,
      allowedHosts: [...config.allowedHosts, ...[listenHostName(config.host)].filter((name) => name !== undefined)],
    },
  });
  const watcher = watchKnowledgeBase(kb, {
    intervalMs: 1_000,
    onRefresh: (changes, version) => logger.info({ changes, version }, 'knowledge base: applied changes committed by another process'),
    onError: (error) => logger.warn({ err: error }, 'knowledge base refresh failed; retrying'),
  });
  const { articles, chunks } = await kb.stats();
  // The database read ahead and searches of the store's own words before the first request: the
  // first ones in a fresh process are several times slower (code not yet compiled, pages not yet
  // read, the garbage of opening not yet collected). No paid embedding calls.
  // The bundled price files too: parsing one took its first question 10–32 ms of the event loop.
  await prices.preload?.();
  // With local embeddings the warm-up also has the offline engine answer a few of its questions
  // (nothing is paid for); its answers are discarded and nothing is stored.
  const answer = warmUpAnswer(copilot.offline, today);
  const warmed = await warmUpSearch(kb, {
    today: today(),
    collectGarbage: fullCollection(),
    ...(config.embeddings === 'local' ? { embedder, answer } : {}),
  });
  if (warmed.answerFailure) logger.warn({ reason: warmed.answerFailure }, 'a warm-up answer failed; the first chats may be slower');
  const server = app.listen(config.port, config.host, () => {
    log(
      `investment-copilot on http://${config.host}:${config.port} (${articles} articles, ${chunks} chunks, ` +
        `${config.openai.apiKey ? `openai ${config.openai.chatModel}` : 'offline engine'}; ready in ${Date.now() - started} ms, ` +
        `${warmed.searches} warm-up searches, ${warmed.answers} answers and ${(warmed.prewarmedBytes / 2 ** 20).toFixed(1)} MB read ahead in ${warmed.ms} ms)`,
    );
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
      void copilot.jobs.close();
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
