import { join, resolve } from 'node:path';
import { Router, type RequestHandler } from 'express';
import { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
import { createLocalEmbedder } from '../../ingest/embed/local-embedder.ts';
import type { UrlFetchOptions } from '../../ingest/fetch/load-url.ts';
import type { Embedder } from '../../ingest/embed/embedder.ts';
import { ingestPaths } from '../../ingest/pipeline.ts';
import { createApp } from '../../server/app.ts';
import { createChatService, type ChatService } from '../../server/chat/chat-service.ts';
import { createConversationFiles } from '../../server/chat/conversation-files.ts';
import { createConversationStore, type ConversationStore } from '../../server/chat/conversations.ts';
import { createOfflineEngine } from '../../server/chat/offline-engine.ts';
import { createPriceStore } from '../../server/market/price-store.ts';
import { loadPromptLibrary, type PromptLibrary } from '../../server/prompts.ts';
import { createChatRouter } from '../../server/routes/chat.ts';
import { createConversationsRouter } from '../../server/routes/conversations.ts';
import { createSearchRouter } from '../../server/routes/search.ts';
import { createToolsRouter } from '../../server/routes/tools.ts';
import { createToolRegistry, type ToolRegistry } from '../../server/tools/registry.ts';
import type { ToolContext } from '../../server/tools/types.ts';
import { createScriptedResearchRouter } from './scripted-research-router.ts';

export const REPO = resolve(import.meta.dirname, '../..');
export const TODAY = '2026-11-21';

/** What a research router may need; the real one is built from these in one line. */
export interface ResearchRouterDeps {
  chat: ChatService;
  kb: EmbeddedStore;
  embedder: Embedder;
  registry: ToolRegistry;
  toolContext: () => ToolContext;
  prompts: PromptLibrary;
  today: () => string;
  conversations: ConversationStore;
}

export interface WebTestServer {
  app: ReturnType<typeof createApp>;
  chat: ChatService;
  /** Ingests the bundled sample corpus again (after a test removed it). */
  restoreSamples: () => Promise<unknown>;
}

/**
 * The whole copilot as `npm start` wires it (real offline engine over data/articles, search,
 * tools, chat) serving web/. Research uses the scripted contract router until the real one lands;
 * to switch, pass e.g. `researchRouter: (deps) => createResearchRouter({ research: createResearchService(deps) })`.
 */
export async function buildWebTestApp(options: {
  indexDir: string;
  researchRouter?: (deps: ResearchRouterDeps) => Router;
  /** Runs before the chat route, e.g. a stream gate that holds the answer mid-stream. */
  beforeChat?: RequestHandler;
  /** How "add from link" fetches (a test allows its own server on 127.0.0.1). */
  fetch?: UrlFetchOptions;
}): Promise<WebTestServer> {
  const embedder = await createLocalEmbedder({ cacheDir: join(REPO, '.cache/word-vectors') });
  const kb = await EmbeddedStore.open({ indexDir: options.indexDir, embedder: { id: embedder.id, dim: embedder.dim } });
  const restoreSamples = () => ingestPaths([join(REPO, 'data/articles')], { kb, embedder });
  await restoreSamples();
  const prompts = loadPromptLibrary(join(REPO, 'prompts'));
  const prices = createPriceStore({ dataDir: join(REPO, 'data') });
  const registry = createToolRegistry();
  const toolContext = () => ({ prices, today: TODAY });
  const offline = createOfflineEngine({ kb, embedder, registry, toolContext, prompts });
  // Conversations on disk beside the index, as server/main.ts keeps them under the data dir.
  const conversations = createConversationStore({ persistence: createConversationFiles(join(options.indexDir, '..', 'conversations')) });
  const chat = createChatService({ offline, conversations, prompts, today: () => TODAY });
  const research = options.researchRouter
    ? options.researchRouter({ chat, kb, embedder, registry, toolContext, prompts, today: () => TODAY, conversations })
    : createScriptedResearchRouter({ chat });
  const app = createApp({
    kb,
    embedder,
    llm: { mode: 'offline' },
    routers: [
      { path: '/search', router: createSearchRouter({ kb, embedder, today: () => TODAY }) },
      { path: '/tools', router: createToolsRouter({ registry, context: toolContext }) },
      ...(options.beforeChat ? [{ path: '/chat', router: Router().use(options.beforeChat) }] : []),
      { path: '/chat', router: createChatRouter({ chat }) },
      { path: '/conversations', router: createConversationsRouter({ conversations }) },
      { path: '/research', router: research },
    ],
    webDir: join(REPO, 'web'),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  return { app, chat, restoreSamples };
}
