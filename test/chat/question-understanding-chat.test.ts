import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
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
let kb: EmbeddedStore;
let chat: ChatService;
let embedderDeps: Awaited<ReturnType<typeof createLocalEmbedder>>;

beforeAll(async () => {
  embedderDeps = await createLocalEmbedder({ cacheDir: join(REPO, '.cache/word-vectors') });
  kb = await EmbeddedStore.open({ indexDir: join(tempDir(), 'index'), embedder: { id: embedderDeps.id, dim: embedderDeps.dim } });
  // One upload of the user's own, beside the sample corpus.
  const uploads = join(tempDir(), 'uploads');
  mkdirSync(uploads);
  writeFileSync(join(uploads, 'my-note.md'), UPLOAD);
  writeFileSync(join(uploads, 'my-note-zh.md'), UPLOAD_ZH);
  await ingestPaths([join(REPO, 'data/articles'), uploads], { kb, embedder: embedderDeps });
  const prompts = loadPromptLibrary(join(REPO, 'prompts'));
  const prices = createPriceStore({ dataDir: join(REPO, 'data') });
  const offline = createOfflineEngine({
    kb,
    embedder: embedderDeps,
    registry: createToolRegistry(),
    toolContext: () => ({ prices, today: PERIOD_TODAY }),
    prompts,
  });
  chat = createChatService({ offline, conversations: createConversationStore(), prompts, today: () => PERIOD_TODAY });
});

function boot(): Promise<RunningApp> {
  return start(createApp({ kb, embedder: embedderDeps, llm: { mode: 'offline' }, routers: [{ path: '/chat', router: createChatRouter({ chat }) }] }));
}

const UPLOAD_TITLE = 'Harvest Notes: Why Our Grain Elevator Co-op Trimmed Its Hedging Book';
const UPLOAD = `---
title: "${UPLOAD_TITLE}"
published: 2026-09-14
---

# ${UPLOAD_TITLE}

The co-op's board cut the share of next season's corn crop sold forward from sixty percent to forty percent after two dry summers left members short of grain to deliver.

Members who could not fill their forward contracts paid the difference in cash, and the board decided that a smaller hedging book was cheaper than another round of shortfall payments.

The treasurer expects storage fees to rise next year because the elevator will hold more unsold grain through the winter.
`;

const UPLOAD_ZH_TITLE = '茶园合作社削减远期销售比例';
const UPLOAD_ZH = `---
title: "${UPLOAD_ZH_TITLE}"
published: 2026-09-20
language: zh
---

# ${UPLOAD_ZH_TITLE}

连续两年春季干旱之后，茶园合作社理事会把明年春茶的远期销售比例从六成降到四成。

无法按合同交货的社员需要以现金补足差价，理事会认为缩小远期合同规模比再次支付违约补偿更划算。

合作社财务主管预计，由于仓库将在冬季储存更多未售出的茶叶，明年的仓储费用会上升。
`;

/** The Russell 2000 file ends on this session; periods past it stop there and say so. */
const DATA_END = '2026-08-21';

describe('each phrase of the period table, asked through the chat API', () => {
  it('computes the Russell 2000 over the period the phrase means, and says where the data stopped', async () => {
    const app = await boot();
    for (const { phrase, from, to } of PERIOD_PHRASES) {
      const message = /\p{Script=Han}/u.test(phrase) ? `罗素2000在${phrase}表现如何？` : `How did the Russell 2000 perform ${phrase}?`;
      const { status, body } = await app.json('/api/chat', { body: { message } });
      expect(status, phrase).toBe(200);
      const end = to > PERIOD_TODAY ? PERIOD_TODAY : to;
      // A year to date is answered once, by the year-to-date tool; every other period by its performance.
      const ytd = body.toolCalls.find((entry: { name: string }) => entry.name === 'ytd');
      const call = ytd ?? body.toolCalls.find((entry: { name: string }) => entry.name === 'performance');
      expect(
        body.toolCalls.filter((entry: { name: string }) => entry.name === 'ytd' || entry.name === 'performance'),
        phrase,
      ).toHaveLength(1);
      if (ytd) expect([from, ytd.arguments], phrase).toMatchObject([`${end.slice(0, 4)}-01-01`, { symbol: 'RUT', asOf: end }]);
      else expect(call?.arguments, phrase).toMatchObject({ symbol: 'RUT', from, to: end });
      if (from <= DATA_END && to > DATA_END) {
        expect(call.result.last.date, phrase).toBe(DATA_END);
        // A Chinese question is answered with its figures framed in Chinese (prompts/price-*-zh.md).
        expect(body.answer, phrase).toContain(/\p{Script=Han}/u.test(phrase) ? `价格数据截至 ${DATA_END}` : `data end at the session of ${DATA_END}`);
      }
    }
  });
});

describe('plain ways of asking how a series did', () => {
  it('computes the period return for "how did X do" and "how has X fared", and leads with the figure', async () => {
    const app = await boot();
    for (const message of ['How did the Russell 2000 do in the first half of 2026?', 'How has the Russell 2000 fared in the first half of 2026?']) {
      const { body } = await app.json('/api/chat', { body: { message } });
      const call = body.toolCalls.find((entry: { name: string }) => entry.name === 'performance');
      expect(call?.arguments, message).toMatchObject({ symbol: 'RUT', to: '2026-06-30' });
      expect(body.answer.split('\n')[0], message).toMatch(/^The Russell 2000\b.*?\b(?:gained|rose|fell|lost) [\d.,]+%/);
    }
  });
});

describe('questions that quote or name an article', () => {
  it("answer from the article a quoted title, cut short with an ellipsis, names: a sample and an upload of one's own", async () => {
    const app = await boot();
    const sample = (await kb.listArticles()).articles.find((article) => article.title.startsWith('First Half 2026'))!;
    const upload = (await kb.listArticles()).articles.find((article) => article.title === UPLOAD_TITLE)!;
    for (const [message, article] of [
      ["What are the key points of 'First Half 2026: …'?", sample],
      [`What are the key points of “${sample.title}”?`, sample],
      ['Summarize "Harvest Notes: Why Our Grain Elevator…"', upload],
      [`What does ${UPLOAD_TITLE} say about storage?`, upload],
    ] as const) {
      const { status, body } = await app.json('/api/chat', { body: { message } });
      expect(status, message).toBe(200);
      expect(body.answer, message).not.toMatch(/could not find/i);
      const cited = body.citations.filter((citation: { kind: string }) => citation.kind === 'article');
      expect(cited.length, message).toBeGreaterThan(0);
      expect(
        cited.every((citation: { articleId: string }) => citation.articleId === article.id),
        message,
      ).toBe(true);
      // The bundled corpus is labelled as such in citations; one's own upload is not.
      expect(
        cited.every((citation: { sample?: boolean }) => citation.sample === (article === sample ? true : undefined)),
        message,
      ).toBe(true);
    }
  });
});

describe('a Chinese question about a Chinese upload', () => {
  it('is answered from that upload, in Chinese sentences, without the note for English originals', async () => {
    const app = await boot();
    const upload = (await kb.listArticles()).articles.find((article) => article.title === UPLOAD_ZH_TITLE)!;
    for (const message of ['茶园合作社明年的仓储费用会怎样变化？', '茶园合作社把远期销售比例降到了多少？']) {
      const { status, body } = await app.json('/api/chat', { body: { message } });
      expect(status, message).toBe(200);
      expect(body.answer, message).not.toMatch(/没有找到|could not find/);
      const cited = body.citations.filter((citation: { kind: string }) => citation.kind === 'article');
      expect(cited.length, message).toBeGreaterThan(0);
      expect(cited[0].articleId, message).toBe(upload.id);
      expect(body.answer, message).toMatch(/仓储费用|四成/);
      expect(body.answer, message).not.toContain('英文原文');
      expect(body.answer, message).toContain('不构成投资建议');
    }
  });
});
