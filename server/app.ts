import express, { type Express, type Router } from 'express';
import helmet from 'helmet';
import { existsSync } from 'node:fs';
import type { KnowledgeStore } from '../kb/store.ts';
import type { Embedder } from '../ingest/embed/embedder.ts';
import type { UrlFetchOptions } from '../ingest/fetch/load-url.ts';
import type { PdfOptions } from '../ingest/parse-input.ts';
import { createWriteQueue } from '../lib/write-queue.ts';
import type { JobRunner } from '../ingest/worker/job-runner.ts';
import { createUploadPreparer } from '../ingest/worker/upload-preparer.ts';
import { errorHandler, notFoundHandler, type ErrorLogger } from './error-handler.ts';
import { createLibrary, type Library } from './library.ts';
import { apiKeyGuard, mountApiKeyGuard, type ApiKeyScope } from './middleware/api-key.ts';
import { hostGuard } from './middleware/host-guard.ts';
import { limitRequests, type RateLimitOptions } from './middleware/rate-limit.ts';
import type { RequestActivity } from './middleware/request-activity.ts';
import { requestContext, type RequestLogger } from './middleware/request-context.ts';
import { requestTimeout } from './middleware/request-timeout.ts';
import { createArticlesRouter } from './routes/articles.ts';
import { createHealthRouter, type HealthCheck } from './routes/health.ts';
import { buildOpenApiDocument } from './openapi/build-openapi.ts';

export const APP_DEFAULTS = {
  /** Body limit of the small JSON routes; POST /api/articles has its own (6 MB). */
  jsonLimit: '100kb',
  articleLimit: '6mb',
  /** Per client per minute, on chat, research, search and article uploads. */
  rateLimit: { windowMs: 60_000, limit: 120 } satisfies RateLimitOptions,
  requestTimeoutMs: 120_000,
  /** The HTTP API's version in its OpenAPI description. */
  apiVersion: '0.2.0',
};

export interface SecurityOptions {
  /** COPILOT_API_KEY: required as a Bearer token on /api (all routes, or library writes only). */
  apiKey?: string;
  apiKeyScope?: ApiKeyScope;
  /** `false` turns rate limiting off (tests of other behaviour, benchmarks on loopback). */
  rateLimit?: RateLimitOptions | false;
  requestTimeoutMs?: number;
  /** Express `trust proxy`: how client IPs are read behind a reverse proxy. */
  trustProxy?: boolean | number | string;
  /** Host names served besides localhost, 127.0.0.1 and [::1] (the configured HOST, COPILOT_ALLOWED_HOSTS). */
  allowedHosts?: string[];
}

export interface AppDeps {
  kb: KnowledgeStore;
  embedder: Embedder;
  /** The library writes (built by the composition root so MCP shares its write queue); built here when absent. */
  library?: Library;
  llm: { mode: 'offline' | 'openai'; model?: string };
  /** Routers added by later capabilities (search, tools, chat, research), mounted under /api. */
  routers?: { path: string; router: Router }[];
  webDir?: string;
  logger?: ErrorLogger & RequestLogger;
  jsonLimit?: string;
  security?: SecurityOptions;
  /** Extra health checks (e.g. the LLM provider's last failure) reported by /api/health. */
  healthChecks?: HealthCheck[];
  /** PDF limits (COPILOT_PDF_*) and reader for uploads. */
  pdf?: PdfOptions;
  /** How POST /api/articles {url} fetches (COPILOT_FETCH_*; DNS injected in tests). */
  fetch?: UrlFetchOptions;
  /** Without `library`: parses uploads in this worker runner (time budget, off the event loop), else in-process. */
  jobs?: JobRunner;
  /** MCP's streamable HTTP transport, mounted at /mcp behind the same key, limits and checks as /api. */
  mcp?: Router;
  /** Counts the requests in flight (server/main.ts warms up between them); mounted before everything else. */
  activity?: RequestActivity;
  /** Whether the server has finished warming up after its start, reported by /api/health as `warm`. */
  warm?: () => boolean;
}

const EXPENSIVE = ['/api/chat', '/api/research', '/api/search'];

/** Builds the Express app without listening: server/main.ts listens, tests use port 0. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  const security = deps.security ?? {};
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  if (security.trustProxy !== undefined) app.set('trust proxy', security.trustProxy);

  if (deps.activity) app.use(deps.activity.middleware);
  app.use(requestContext(deps.logger));
  app.use(hostGuard({ allowedHosts: security.allowedHosts ?? [] }));
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // uPlot and the chips position elements through the CSSOM; no inline <style> or script.
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          fontSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      crossOriginEmbedderPolicy: false,
    }),
  );

  if (security.apiKey) mountApiKeyGuard(app, { key: security.apiKey, scope: security.apiKeyScope ?? 'all' });
  if (security.rateLimit !== false) {
    const limiter = limitRequests(security.rateLimit ?? APP_DEFAULTS.rateLimit);
    for (const path of EXPENSIVE) app.use(path, limiter);
    app.post('/api/articles', limiter);
  }
  app.use('/api', requestTimeout(security.requestTimeoutMs ?? APP_DEFAULTS.requestTimeoutMs));
  if (deps.mcp) {
    // MCP tools can write when the server allows it, so /mcp always needs the key when one is set.
    if (security.apiKey) app.use('/mcp', apiKeyGuard({ key: security.apiKey }));
    if (security.rateLimit !== false) app.use('/mcp', limitRequests(security.rateLimit ?? APP_DEFAULTS.rateLimit));
    app.use('/mcp', requestTimeout(security.requestTimeoutMs ?? APP_DEFAULTS.requestTimeoutMs), deps.mcp);
  }

  const library =
    deps.library ??
    createLibrary({
      kb: deps.kb,
      embedder: deps.embedder,
      queue: createWriteQueue(),
      prepare: createUploadPreparer(deps.jobs),
      ...(deps.pdf ? { pdf: deps.pdf } : {}),
    });
  const uploadMaxBytes = deps.pdf?.limits?.maxBytes;
  app.use(
    '/api/articles',
    createArticlesRouter({
      kb: deps.kb,
      library,
      bodyLimit: APP_DEFAULTS.articleLimit,
      ...(uploadMaxBytes ? { uploadMaxBytes } : {}),
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    }),
  );
  app.use('/api', express.json({ limit: deps.jsonLimit ?? APP_DEFAULTS.jsonLimit }));
  const openApi = buildOpenApiDocument({ version: APP_DEFAULTS.apiVersion });
  app.get('/api/openapi.json', (_request, response) => {
    response.json(openApi);
  });
  app.use('/api/health', createHealthRouter({ kb: deps.kb, llm: deps.llm, checks: deps.healthChecks ?? [], ...(deps.warm ? { warm: deps.warm } : {}) }));
  for (const { path, router } of deps.routers ?? []) app.use(`/api${path}`, router);
  app.use('/api', notFoundHandler);

  if (deps.webDir && existsSync(deps.webDir)) app.use(express.static(deps.webDir, { index: 'index.html' }));
  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
