import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
import { createLocalEmbedder } from '../../ingest/embed/local-embedder.ts';
import { ingestPaths } from '../../ingest/pipeline.ts';
import { createApp } from '../../server/app.ts';
import { createChatService } from '../../server/chat/chat-service.ts';
import { createConversationStore } from '../../server/chat/conversations.ts';
import { createOfflineEngine } from '../../server/chat/offline-engine.ts';
import { createPriceStore } from '../../server/market/price-store.ts';
import { loadPromptLibrary } from '../../server/prompts.ts';
import { createChatRouter } from '../../server/routes/chat.ts';
import { createToolRegistry } from '../../server/tools/registry.ts';
import { REPO_ROOT, SAMPLE_DIR, WORD_VECTOR_CACHE } from '../retrieval/corpus.ts';

/**
 * The chat API with the offline engine over the sample corpus, as server/main.ts wires it but
 * without live prices or rate limiting, listening on 127.0.0.1 on a free port. Run as a child process by the chat
 * load step (so the load generator does not share its event loop); it reports its port and,
 * when asked, its memory over the IPC channel.
 */
const TODAY = '2026-11-21';

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'copilot-bench-chat-'));
  const embedder = await createLocalEmbedder({ cacheDir: WORD_VECTOR_CACHE });
  const kb = await EmbeddedStore.open({ indexDir: join(work, 'index'), embedder: { id: embedder.id, dim: embedder.dim } });
  await ingestPaths([SAMPLE_DIR], { kb, embedder });
  const prompts = loadPromptLibrary(join(REPO_ROOT, 'prompts'));
  const prices = createPriceStore({ dataDir: join(REPO_ROOT, 'data') });
  const offline = createOfflineEngine({ kb, embedder, registry: createToolRegistry(), toolContext: () => ({ prices, today: TODAY }), prompts });
  const chat = createChatService({ offline, conversations: createConversationStore(), prompts, today: () => TODAY });
  // Rate limiting off: the load generator is one client on loopback, and we measure the engine.
  const app = createApp({
    kb,
    embedder,
    llm: { mode: 'offline' },
    routers: [{ path: '/chat', router: createChatRouter({ chat }) }],
    security: { rateLimit: false },
  });
  const { chunks } = await kb.stats();
  const server = app.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    process.send?.({ type: 'listening', port, chunks });
  });
  process.on('message', (message: unknown) => {
    if (typeof message === 'object' && message !== null && 'type' in message && message.type === 'memory') {
      process.send?.({ type: 'memory', rssMb: Math.round(process.memoryUsage().rss / 1024 / 1024) });
    }
  });
  process.on('disconnect', () => {
    server.close();
    rmSync(work, { recursive: true, force: true });
    process.exit(0);
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
