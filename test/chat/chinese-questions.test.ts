import { cpSync, mkdirSync } from 'node:fs';
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
import { isSampleArticle } from '../../lib/samples.ts';
import { useApp, type RunningApp } from '../helpers/http.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

/**
 * Chinese questions, asked as a user would (why / what / how much / compare, with and without
 * tickers), over the bundled corpus's Chinese article and over a Chinese upload of our own prose
 * (test/fixtures/uploads/oil-majors-zh.md). Each must get a cited, non-refused answer framed in
 * Chinese that draws on the Chinese document it is about.
 */
const REPO = resolve(import.meta.dirname, '../..');
const TODAY = '2026-11-21';
const tempDir = useTempDirs();
const start = useApp();
let kb: EmbeddedStore;
let chat: ChatService;
let embedder: Awaited<ReturnType<typeof createLocalEmbedder>>;

beforeAll(async () => {
  embedder = await createLocalEmbedder({ cacheDir: join(REPO, '.cache/word-vectors') });
  kb = await EmbeddedStore.open({ indexDir: join(tempDir(), 'index'), embedder: { id: embedder.id, dim: embedder.dim } });
  const uploads = join(tempDir(), 'uploads');
  mkdirSync(uploads);
  cpSync(join(REPO, 'test/fixtures/uploads/oil-majors-zh.md'), join(uploads, 'oil-majors-zh.md'));
  await ingestPaths([join(REPO, 'data/articles'), uploads], { kb, embedder });
  const prompts = loadPromptLibrary(join(REPO, 'prompts'));
  const prices = createPriceStore({ dataDir: join(REPO, 'data') });
  const offline = createOfflineEngine({ kb, embedder, registry: createToolRegistry(), toolContext: () => ({ prices, today: TODAY }), prompts });
  chat = createChatService({ offline, conversations: createConversationStore(), prompts, today: () => TODAY });
});

function boot(): Promise<RunningApp> {
  return start(createApp({ kb, embedder, llm: { mode: 'offline' }, routers: [{ path: '/chat', router: createChatRouter({ chat }) }] }));
}

/** Which Chinese document a question is about: the bundled one, or the upload. */
type About = 'sample' | 'upload';

const QUESTIONS: [string, About][] = [
  // The bundled Chinese article: reasons, figures, risks, comparisons.
  ['为什么小盘股跑赢大盘股？', 'sample'],
  ['小盘股今年为什么表现这么好？', 'sample'],
  ['小盘股上涨的原因是什么？', 'sample'],
  ['罗素2000的远期市盈率是多少？', 'sample'],
  ['杰富瑞给罗素2000的年末目标是多少？', 'sample'],
  ['罗素2000中有多少成分股处于亏损状态？', 'sample'],
  ['小盘股面临哪些风险？', 'sample'],
  ['美联储降息对小盘股有什么影响？', 'sample'],
  ['IWM和IJS有什么区别？', 'sample'],
  // The upload of our own: named in Chinese or by ticker.
  ['埃克森美孚和雪佛龙的股价为什么分化？', 'upload'],
  ['XOM的市盈率是多少？', 'upload'],
  ['CVX和XOM哪个股息率更高？', 'upload'],
  ['雪佛龙面临哪些风险？', 'upload'],
  ['炼油业务对埃克森美孚有什么帮助？', 'upload'],
];

describe('Chinese questions over Chinese documents', () => {
  it('each gets a cited, non-refused answer in Chinese that draws on the Chinese document it is about', async () => {
    const app = await boot();
    const articles = (await kb.listArticles()).articles;
    const idOf: Record<About, string> = {
      sample: articles.find((article) => article.language === 'zh' && isSampleArticle(article))!.id,
      upload: articles.find((article) => article.title.startsWith('油价回落之后'))!.id,
    };
    for (const [message, about] of QUESTIONS) {
      const { status, body } = await app.json('/api/chat', { body: { message } });
      expect(status, message).toBe(200);
      expect(body.answer, message).not.toMatch(/没有找到|could not find/i);
      // Framed in Chinese: the Chinese headings and disclaimer, whatever language the points are quoted in.
      expect(body.answer, message).toMatch(/文章要点|计算结果/);
      expect(body.answer, message).toContain('不构成投资建议');
      const cited = body.citations.filter((citation: { kind: string }) => citation.kind === 'article');
      expect(
        cited.map((citation: { articleId: string }) => citation.articleId),
        message,
      ).toContain(idOf[about]);
      // A point quoted from that document is a Chinese sentence of it.
      const points = (body.answer as string).split('\n').filter((line) => line.startsWith('- '));
      expect(
        points.some((line) => /\p{Script=Han}{6}/u.test(line)),
        message,
      ).toBe(true);
    }
  });
});

describe('tickers glued to Chinese characters, through the chat API', () => {
  it('computes the series a ticker between Chinese characters names', async () => {
    const app = await boot();
    const { body } = await app.json('/api/chat', { body: { message: 'SPY和QQQ在2026年第二季度哪个涨得多？' } });
    const compare = body.toolCalls.find((call: { name: string }) => call.name === 'compare');
    expect(compare?.arguments).toMatchObject({ symbols: ['SPY', 'QQQ'], to: '2026-06-30' });
    expect(body.answer).toMatch(/QQQ/);
    const single = await app.json('/api/chat', { body: { message: '2026年7月IJS的表现如何？' } });
    const performance = single.body.toolCalls.find((call: { name: string }) => call.name === 'performance');
    expect(performance?.arguments).toMatchObject({ symbol: 'IJS', from: '2026-07-01' });
  });
});

describe('a comparison without a period, asked after the price data end', () => {
  it('is measured over the last month the data hold, not over a month with no data', async () => {
    const app = await boot();
    for (const message of ['小盘股跑赢大盘股了吗？', 'Are small caps beating large caps?']) {
      const { body } = await app.json('/api/chat', { body: { message } });
      const compare = body.toolCalls.find((call: { name: string }) => call.name === 'compare');
      expect(compare?.arguments, message).toMatchObject({ symbols: ['RUT', 'GSPC'], from: '2026-07-22', to: '2026-08-21' });
      expect(body.answer, message).not.toMatch(/没有数据|has no data/);
    }
  });

  it('is not computed for a "why": the reasons the articles give answer it', async () => {
    const app = await boot();
    for (const message of ['为什么小盘股跑赢大盘股？', 'Why did small caps beat large caps?']) {
      const { body } = await app.json('/api/chat', { body: { message } });
      expect(
        body.toolCalls.filter((call: { name: string }) => call.name === 'compare'),
        message,
      ).toEqual([]);
      expect(body.citations.filter((citation: { kind: string }) => citation.kind === 'article').length, message).toBeGreaterThan(0);
    }
  });
});
