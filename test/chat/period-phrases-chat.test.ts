import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { KnowledgeBase } from '../../kb/knowledge-base.ts';
import { createLocalEmbedder } from '../../ingest/embed/local-embedder.ts';
import { ingestPaths } from '../../ingest/pipeline.ts';
import { createApp } from '../../server/app.ts';
import { createChatService, type ChatService } from '../../server/chat/chat-service.ts';
import { createConversationStore } from '../../server/chat/conversations.ts';
import { createOfflineEngine } from '../../server/chat/offline-engine.ts';
import { createPriceStore } from '../../server/market/price-store.ts';
import { loadPromptLibrary } from '../../server/prompts.ts';
import { createChatRouter } from '../../server/routes/chat.ts';
import { createToolRegistry } from '../../server/tools/registry.ts';
import { PERIOD_PHRASES, PERIOD_TODAY } from '../fixtures/period-phrases.ts';
import { useApp, type RunningApp } from '../helpers/http.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const REPO = resolve(import.meta.dirname, '../..');
const tempDir = useTempDirs();
const start = useApp();
let kb: KnowledgeBase;
let chat: ChatService;
let embedderDeps: Awaited<ReturnType<typeof createLocalEmbedder>>;

beforeAll(async () => {
  embedderDeps = await createLocalEmbedder({ cacheDir: join(REPO, '.cache/word-vectors') });
  kb = KnowledgeBase.open(join(tempDir(), 'index'), { id: embedderDeps.id, dim: embedderDeps.dim });
  await ingestPaths([join(REPO, 'data/articles')], { kb, embedder: embedderDeps });
  const prompts = loadPromptLibrary(join(REPO, 'prompts'));
  const prices = createPriceStore({ dataDir: join(REPO, 'data') });
  const offline = createOfflineEngine({ kb, embedder: embedderDeps, registry: createToolRegistry(), toolContext: () => ({ prices, today: PERIOD_TODAY }), prompts });
  chat = createChatService({ offline, conversations: createConversationStore(), prompts, today: () => PERIOD_TODAY });
});

function boot(): Promise<RunningApp> {
  return start(createApp({ kb, embedder: embedderDeps, llm: { mode: 'offline' }, routers: [{ path: '/chat', router: createChatRouter({ chat }) }] }));
}

/** The Russell 2000 file ends on this session; periods past it stop there and say so. */
const DATA_END = '2026-08-21';

describe('each phrase of the period table, asked through the chat API', () => {
  it('computes the Russell 2000 over the period the phrase means, and says where the data stopped', async () => {
    const app = await boot();
    for (const { phrase, from, to } of PERIOD_PHRASES) {
      const message = /\p{Script=Han}/u.test(phrase) ? `罗素2000在${phrase}表现如何？` : `How did the Russell 2000 perform ${phrase}?`;
      const { status, body } = await app.json('/api/chat', { body: { message } });
      expect(status, phrase).toBe(200);
      const call = body.toolCalls.find((entry: { name: string }) => entry.name === 'performance');
      expect(call?.arguments, phrase).toMatchObject({ symbol: 'RUT', from, to: to > PERIOD_TODAY ? PERIOD_TODAY : to });
      if (from <= DATA_END && to > DATA_END) {
        expect(call.result.last.date, phrase).toBe(DATA_END);
        expect(body.answer, phrase).toContain(`data end at the session of ${DATA_END}`);
      }
    }
  });
});
