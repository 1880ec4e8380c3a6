import express, { type Express, type Router } from 'express';
import { existsSync } from 'node:fs';
import type { KnowledgeBase } from '../kb/knowledge-base.ts';
import type { Embedder } from '../ingest/embed/embedder.ts';
import { createWriteQueue } from '../lib/write-queue.ts';
import { errorHandler, notFoundHandler, type ErrorLogger } from './error-handler.ts';
import { createLibrary } from './library.ts';
import { createArticlesRouter } from './routes/articles.ts';
import { createHealthRouter } from './routes/health.ts';

export interface AppDeps {
  kb: KnowledgeBase;
  embedder: Embedder;
  llm: { mode: 'offline' | 'openai'; model?: string };
  /** Routers added by later capabilities (search, tools, chat, research), mounted under /api. */
  routers?: { path: string; router: Router }[];
  webDir?: string;
  logger?: ErrorLogger;
  /** Body limit for the small JSON routes; articles have their own, larger one. */
  jsonLimit?: string;
}

/** Builds the Express app without listening: server/main.ts listens, tests use port 0. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');

  const library = createLibrary({ kb: deps.kb, embedder: deps.embedder, queue: createWriteQueue() });
  app.use('/api/articles', createArticlesRouter({ kb: deps.kb, library }));
  app.use('/api', express.json({ limit: deps.jsonLimit ?? '100kb' }));
  app.use('/api/health', createHealthRouter({ kb: deps.kb, llm: deps.llm }));
  for (const { path, router } of deps.routers ?? []) app.use(`/api${path}`, router);
  app.use('/api', notFoundHandler);

  if (deps.webDir && existsSync(deps.webDir)) app.use(express.static(deps.webDir, { index: 'index.html' }));
  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
