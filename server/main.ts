import { join } from 'node:path';
import { pino } from 'pino';
import { createConsoleLogger, type Logger } from './logging/console-logger.ts';
import { listenHostName } from './middleware/host-guard.ts';
import { loadConfig, type Config } from '../lib/config.ts';
import { AppError } from '../lib/errors.ts';
import { fullCollection } from '../lib/full-collection.ts';
import { copyVendorFiles } from '../lib/web-vendor.mjs';
import { APP_DEFAULTS, createApp } from './app.ts';
import { composeCopilot, REPO_ROOT } from './compose.ts';
import { watchKnowledgeBase } from './kb-watcher.ts';
import { createRequestActivity } from './middleware/request-activity.ts';
import { warmUpSearch, type WarmUpReport } from './retrieval/warm-up.ts';
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
  // What `npm install` copied, checked again here rather than in a `prestart` script: npm would start
  // a shell and a second Node for it (~0.1 s of every start).
  const copied = copyVendorFiles(REPO_ROOT);
  if (copied.length > 0) log(`web UI: copied ${copied.join(', ')} into web/vendor/`);
  const copilot = await composeCopilot(config, { logger, say: log });
  const { kb, embedder, registry, toolContext, chat, conversations, research, library, today } = copilot;
  // The server listens as soon as it is composed and warms up afterwards, between requests: a user's
  // first question is answered at once (a little slower while code is still cold) rather than
  // waiting ~1 s for the warm-up to finish (at 1M passages, up to its 3 s budget).
  const activity = createRequestActivity();
  let warm = false;
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
    activity,
    warm: () => warm,
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
  const server = app.listen(config.port, config.host, () => {
    log(
      `investment-copilot on http://${config.host}:${config.port} (${articles} articles, ${chunks} chunks, ` +
        `${config.openai.apiKey ? `openai ${config.openai.chatModel}` : 'offline engine'}; ready in ${Date.now() - started} ms; warming up between requests)`,
    );
  });
  server.on('error', (error) => {
    process.stderr.write(`cannot listen on ${config.host}:${config.port}: ${error.message}\n`);
    process.exit(1);
  });
  const stopWarmUp = new AbortController();
  const warming = warmUp(copilot, config, { pause: () => activity.idle(stopWarmUp.signal), signal: stopWarmUp.signal }).then(
    (warmed) => {
      warm = true;
      if (warmed.answerFailure) logger.warn({ reason: warmed.answerFailure }, 'a warm-up answer failed; the first chats may be slower');
      if (!warmed.aborted) {
        log(
          `warmed up: ${warmed.searches} searches, ${warmed.answers} answers and ${(warmed.prewarmedBytes / 2 ** 20).toFixed(1)} MB read ahead in ${warmed.ms} ms ` +
            `(${Date.now() - started} ms after the start)`,
        );
      }
    },
    (error: unknown) => {
      warm = true;
      logger.warn({ err: error }, 'the warm-up failed; the first requests may be slower');
    },
  );
  // Graceful shutdown: stop accepting, let in-flight requests finish (streams get their `done` or
  // are cut after the grace period), close the store (every write is already durable; closing
  // saves an index snapshot so the next start replays little), then exit.
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    watcher.stop();
    stopWarmUp.abort();
    server.close(() => {
      void copilot.jobs.close();
      // The warm-up's step in progress ends before the store closes under it.
      void warming
        .then(() => kb.close())
        .then(
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

/**
 * What makes the first requests of a fresh process fast: the bundled price files read (parsing one
 * took its first question 10–32 ms of the event loop), the store's files read ahead, and searches
 * of the store's own words (server/retrieval/warm-up.ts: the first ones in a fresh process are
 * several times slower, code not yet compiled, pages not yet read, the garbage of opening not yet
 * collected). With local embeddings the offline engine also answers a few of its questions
 * (nothing is paid for; the answers are discarded and nothing is stored). Every step waits for
 * `pause`.
 */
async function warmUp(
  copilot: Awaited<ReturnType<typeof composeCopilot>>,
  config: Config,
  options: { pause: () => Promise<void>; signal: AbortSignal },
): Promise<WarmUpReport> {
  await copilot.prices.preload?.(options.pause);
  return warmUpSearch(copilot.kb, {
    today: copilot.today(),
    collectGarbage: fullCollection(),
    ...(config.embeddings === 'local' ? { embedder: copilot.embedder, answer: warmUpAnswer(copilot.offline, copilot.today) } : {}),
    ...options,
  });
}

function log(message: string): void {
  process.stdout.write(`${message}\n`);
}

main().catch((error: unknown) => {
  const message = error instanceof AppError ? `${error.code}: ${error.message}` : error instanceof Error ? error.stack : String(error);
  process.stderr.write(`investment-copilot could not start: ${message}\n`);
  process.exit(1);
});
