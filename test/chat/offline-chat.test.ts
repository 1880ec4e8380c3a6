import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
import { createLocalEmbedder } from '../../ingest/embed/local-embedder.ts';
import type { Embedder } from '../../ingest/embed/embedder.ts';
import { ingestPaths } from '../../ingest/pipeline.ts';
import { createApp } from '../../server/app.ts';
import { createChatService, type ChatService } from '../../server/chat/chat-service.ts';
import { createConversationStore } from '../../server/chat/conversations.ts';
import { createOfflineEngine } from '../../server/chat/offline-engine.ts';
import { createPriceStore } from '../../server/market/price-store.ts';
import { loadPromptLibrary } from '../../server/prompts.ts';
import { createChatRouter } from '../../server/routes/chat.ts';
import { createToolRegistry } from '../../server/tools/registry.ts';
import { leansOnPrevious } from '../../lib/reference-words.ts';
import { useApp } from '../helpers/http.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const REPO = resolve(import.meta.dirname, '../..');
const TODAY = '2026-11-21';
const tempDir = useTempDirs();
const start = useApp();

let kb: EmbeddedStore;
let embedder: Embedder;
let chat: ChatService;

beforeAll(async () => {
  embedder = await createLocalEmbedder({ cacheDir: join(REPO, '.cache/word-vectors') });
  kb = await EmbeddedStore.open({ indexDir: join(tempDir(), 'index'), embedder: { id: embedder.id, dim: embedder.dim } });
  await ingestPaths([join(REPO, 'data/articles')], { kb, embedder });
  const prompts = loadPromptLibrary(join(REPO, 'prompts'));
  const prices = createPriceStore({ dataDir: join(REPO, 'data') });
  const offline = createOfflineEngine({ kb, embedder, registry: createToolRegistry(), toolContext: () => ({ prices, today: TODAY }), prompts });
  chat = createChatService({ offline, conversations: createConversationStore(), prompts, today: () => TODAY });
});

const ask = (message: string, conversationId?: string) =>
  chat.ask({ message, ...(conversationId ? { conversationId } : {}) }, { signal: new AbortController().signal });

describe('offline engine', () => {
  it('answers a closing level with the price tool, the session used and the convention, cited as data', async () => {
    const response = await ask('What did the Russell 2000 close at on January 21, 2026?');
    expect(response.mode).toBe('offline');
    expect(response.answer.split('\n')[0]).toMatch(
      /^The Russell 2000 \(\^RUT, index level\) closed at 2,698\.17 on 2026-01-21, up 2\.00% .* previous close of 2,645\.36 .*\[0\]\.$/,
    );
    expect(response.citations[0]).toMatchObject({ n: 0, kind: 'data', tool: 'performance' });
    expect(response.toolCalls.map((call) => call.name)).toEqual(['price_history', 'performance']);
    expect(response.grounding.grounded).toBe(response.grounding.figures);
    expect(response.answer).toMatch(/not investment advice/);
  });

  it('computes a period return from the open and both volatilities, and inherits the period in a follow-up', async () => {
    const first = await ask('How much did the Russell 2000 gain from December 1, 2025 to January 23, 2026, and how volatile was it versus the S&P 500?');
    expect(first.answer).toContain('gained 7.53% (+186.93 points) from the open of 2025-12-01');
    expect(first.answer).toMatch(/daily volatility \(sample standard deviation of daily returns\) was 0\.97%/);
    expect(first.answer).toMatch(/S&P 500 \(\^GSPC, index level\) gained 1\.52%/);
    const followUp = await ask('And the Nasdaq over the same period?', first.conversationId);
    expect(followUp.toolCalls[0]).toMatchObject({ name: 'performance', arguments: { symbol: 'IXIC', from: '2025-12-01', to: '2026-01-23' } });
  });

  it('computes the valuation premium from the multiples an article states and names the conflict', async () => {
    const response = await ask('What P/E premium does the S&P 500 carry over the Russell 2000?');
    const gaps = response.toolCalls.filter((call) => call.name === 'valuation_gap');
    expect(gaps.length).toBeGreaterThan(0);
    for (const gap of gaps) {
      const { a, b } = gap.arguments as { a: { label: string; value: number }; b: { label: string; value: number } };
      expect(a.label).toMatch(/S&P 500/);
      expect(b.label).toMatch(/Russell 2000/);
      const premium = ((a.value / b.value - 1) * 100).toFixed(2);
      expect(response.answer).toContain(`${premium}% premium`);
    }
    // The other readings of the small-cap multiple are shown beside it, with the reason they differ.
    expect(response.answer).toMatch(/Sources differ on Russell 2000's multiple: .*37x/);
    expect(response.answer).toMatch(/loss-making companies/);
  });

  it('says plainly when the knowledge base has nothing relevant, without padding', async () => {
    const response = await ask('What are the common side effects of ibuprofen?');
    expect(response.relevance).toBe('none');
    expect(response.answer).toMatch(/could not find anything/);
    expect(response.citations).toEqual([]);
  });

  it('frames a Chinese question in Chinese and still cites the English passages', async () => {
    const response = await ask('罗素2000在2026年1月21日收盘多少?');
    expect(response.answer).toContain('计算结果');
    expect(response.answer).toContain('2,698.17');
    expect(response.answer).toContain('不构成投资建议');
    expect(response.citations.some((citation) => citation.kind === 'article')).toBe(true);
  });

  it('shows no supporting point that leans on a sentence left out ("The answer … is no.", "It would also …")', async () => {
    for (const question of [
      'Did small caps beat large caps in the first half of 2026?',
      'Why are small caps outperforming?',
      'What are the risks to the small-cap rally?',
      'How did the Russell 2000 do in the first half of 2026?',
    ]) {
      const response = await ask(question);
      const points = response.answer
        .split('\n')
        .filter((line) => line.startsWith('- '))
        .map((line) => line.slice(2));
      expect(points.length, question).toBeGreaterThan(0);
      points.forEach((point, index) => {
        // A point that points back is shown only right after the point it points back to.
        if (leansOnPrevious(point)) expect(index, `${question}: ${point}`).toBeGreaterThan(0);
      });
      expect(response.answer, question).not.toMatch(/^- The answer, at least for the first half of 2026, is no\./m);
    }
  });

  it('keeps the supporting points of a period answer to articles about that period, and still shows two of them', async () => {
    for (const question of ['How did the Russell 2000 do in the first half of 2026?', 'Did small caps beat large caps in the first half of 2026?']) {
      const response = await ask(question);
      const points = response.answer.split('\n').filter((line) => line.startsWith('- '));
      expect(points.length, question).toBeGreaterThanOrEqual(2);
      const cited = new Set(points.flatMap((point) => [...point.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1]))));
      for (const citation of response.citations.filter((candidate) => cited.has(candidate.n) && candidate.kind === 'article')) {
        // The sample corpus also reviews the first half of 2025: none of it belongs in a 2026 answer.
        expect(citation.published?.slice(0, 4), `${question}: ${citation.title}`).toBe('2026');
      }
    }
  });

  it('answers a vague request for advice with the stance and what it can compute, never with fragments (both languages)', async () => {
    for (const [question, stance] of [
      ['What should I buy?', /^I can't tell you what to buy or sell: .*not investment advice/],
      ['我应该买什么？', /^我无法告诉您该买什么或卖什么：.*不构成投资建议/],
    ] as const) {
      const response = await ask(question);
      expect(response.answer, question).toMatch(stance);
      expect(response.answer, question).toMatch(/Russell 2000|罗素2000/);
      expect(response.citations, question).toEqual([]);
      expect(response.grounding.removed, question).toEqual([]);
    }
    const named = await ask('Should I buy small caps?');
    expect(named.answer).toMatch(/^I can't tell you whether to buy or sell; here is what your articles and the market data say/);
    expect(named.citations.length).toBeGreaterThan(0);
  });

  it('every marker in every answer resolves to exactly one citation', async () => {
    for (const question of [
      'Why are small caps outperforming?',
      'What are the risks to the small-cap rally?',
      'What is the 20-day moving average of the Russell 2000 as of January 23, 2026?',
    ]) {
      const response = await ask(question);
      const markers = [...new Set([...response.answer.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1])))].sort((a, b) => a - b);
      expect(markers).toEqual(response.citations.map((citation) => citation.n));
      expect(response.grounding.grounded).toBe(response.grounding.figures);
    }
  });
});

describe('POST /api/chat', () => {
  async function boot() {
    return start(createApp({ kb, embedder, llm: { mode: 'offline' }, routers: [{ path: '/chat', router: createChatRouter({ chat }) }] }));
  }

  it('answers JSON with the contract fields', async () => {
    const app = await boot();
    const { status, body } = await app.json('/api/chat', { body: { message: 'What is the 52-week range of the Russell 2000 as of January 23, 2026?' } });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      conversationId: expect.any(String),
      mode: 'offline',
      answer: expect.stringContaining('1,732.99'),
      grounding: { figures: expect.any(Number), grounded: expect.any(Number) },
    });
    expect(body.citations[0]).toMatchObject({ n: 0, kind: 'data', title: expect.any(String), snippet: expect.any(String) });
    expect(body.toolCalls[0]).toMatchObject({ name: 'range_52w', arguments: { symbol: 'RUT', asOf: '2026-01-23' } });
  });

  it('streams retrieval, tool, token and done events in order over SSE', async () => {
    const app = await boot();
    const response = await fetch(`${app.url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ message: 'How much did the Russell 2000 gain from December 1, 2025 to January 23, 2026?' }),
    });
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const text = await response.text();
    const events = [...text.matchAll(/^event: (\w+)$/gm)].map((match) => match[1]);
    expect(events[0]).toBe('retrieval');
    expect(events.indexOf('tool')).toBeGreaterThan(0);
    expect(events.indexOf('token')).toBeGreaterThan(events.indexOf('tool'));
    expect(events.at(-1)).toBe('done');
    const tokens = [...text.matchAll(/^event: token\ndata: (.*)$/gm)].map((match) => JSON.parse(match[1]!).text).join('');
    const done = JSON.parse(/event: done\ndata: (.*)/.exec(text)![1]!);
    expect(tokens).toBe(done.answer);
  });

  it('rejects bad bodies with 400 and a clear message', async () => {
    const app = await boot();
    for (const body of [
      {},
      { message: '' },
      { message: 'x'.repeat(4_001) },
      { message: 42 },
      { message: 'hi', conversationId: '../../etc' },
      { message: 'hi', filters: { from: '2026-13-40' } },
    ]) {
      const response = await app.json('/api/chat', { body });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('bad_request');
    }
  });
});
