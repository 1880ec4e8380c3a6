import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
import { createChatService, type ChatService } from '../../server/chat/chat-service.ts';
import { createConversationStore } from '../../server/chat/conversations.ts';
import { finalizeAnswer } from '../../server/chat/finalize-answer.ts';
import { chineseSeriesName, describeCloseZh, describeCompareZh, describePerformanceZh, describeYtdZh } from '../../server/chat/offline/price-sentences-zh.ts';
import { createOfflineEngine } from '../../server/chat/offline-engine.ts';
import { createPriceStore } from '../../server/market/price-store.ts';
import { loadPromptLibrary } from '../../server/prompts.ts';
import { createToolRegistry } from '../../server/tools/registry.ts';
import type { ToolResult } from '../../server/tools/types.ts';
import { createFakeEmbedder } from '../helpers/fake-embedder.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const REPO = resolve(import.meta.dirname, '../..');
const TODAY = '2026-11-21';
const prompts = loadPromptLibrary(join(REPO, 'prompts'));
const prices = createPriceStore({ dataDir: join(REPO, 'data') });
const registry = createToolRegistry();
const tempDir = useTempDirs();

async function run(tool: string, args: Record<string, unknown>): Promise<ToolResult> {
  return registry.run(tool, args, { prices, today: TODAY });
}

/** Every figure of the sentence is found in the tool result it cites (the check every answer passes). */
function expectGrounded(text: string, tool: string, args: unknown, result: ToolResult) {
  const finalized = finalizeAnswer(text, [{ kind: 'data', tool, arguments: args, result }]);
  expect(finalized.grounding.removed).toEqual([]);
  expect(finalized.grounding.grounded).toBe(finalized.grounding.figures);
  expect(finalized.grounding.figures).toBeGreaterThan(2);
}

describe('computed figures framed in Chinese (prompts/price-*-zh.md)', () => {
  it('names a series by its Chinese alias only when it is the entity’s own measure', () => {
    expect(chineseSeriesName({ name: 'Russell 2000', yahooSymbol: '^RUT', id: 'RUT' })).toBe('罗素2000（^RUT）');
    expect(chineseSeriesName({ name: 'S&P 500', yahooSymbol: '^GSPC', id: 'GSPC' })).toBe('标普500（^GSPC）');
    // An ETF that tracks the index is not the index.
    expect(chineseSeriesName({ name: 'iShares Russell 2000 ETF', yahooSymbol: 'IWM', id: 'IWM' })).toBe('iShares Russell 2000 ETF（IWM）');
  });

  it('states a close against the previous close', async () => {
    const args = { symbol: 'RUT', from: '2026-01-21', to: '2026-01-21', base: 'prior_close' };
    const result = await run('performance', args);
    const text = describeCloseZh(prompts, result, 0, '2026-01-21');
    expect(text).toBe('罗素2000（^RUT）于 2026-01-21 收于 2,698.17，较 2026-01-20 的前收盘价 2,645.36 上涨 2.00%（+52.81 点）[0]。');
    expectGrounded(text, 'performance', args, result);
    expect(describeCloseZh(prompts, result, 0, '2026-01-24')).toContain('于 2026-01-21（2026-01-24 当日或之前的最后一个交易日） 收于');
  });

  it('states a return over a period with its volatility and drawdown', async () => {
    const args = { symbol: 'RUT', from: '2025-12-01', to: '2026-01-23', base: 'open' };
    const result = await run('performance', args);
    const text = describePerformanceZh(prompts, result, 2);
    expect(text).toMatch(/^罗素2000（\^RUT）从 2025-12-01 开盘（2,482\.23）到 2026-01-23 收盘（2,669\.16）上涨 7\.53%（\+186\.93 点），共 37 个交易日 \[2\]。/);
    expect(text).toMatch(/其日波动率（日收益率的样本标准差）为 0\.97%，年化约 [\d.]+%，最大回撤 [\d.]+% \[2\]。$/);
    expect(text).not.toMatch(/[A-Za-z]{4,}/);
    expectGrounded(text.replaceAll('[2]', '[0]'), 'performance', args, result);
  });

  it('states a comparison as both returns and the spread, and says where the data stopped', async () => {
    const args = { symbols: ['RUT', 'GSPC'], from: '2026-01-01', to: '2026-12-31' };
    const result = await run('compare', args);
    const text = describeCompareZh(prompts, result, 0);
    expect(text).toMatch(
      /^2026-01-02 至 2026-08-21：罗素2000（\^RUT） \+[\d.]+%，标普500（\^GSPC） \+[\d.]+%；罗素2000(领先|落后)标普500 [\d.]+ 个百分点 \[0\]。/,
    );
    expect(text).toMatch(/在 \d+ 个交易日中，罗素2000 的日收益率有 \d+ 个交易日高于 标普500 \[0\]。/);
    expect(text).toContain('价格数据截至 2026-08-21，计算到该交易日为止 [0]。');
    expectGrounded(text, 'compare', args, result);
  });

  it('states a year-to-date return', async () => {
    const args = { symbol: 'GSPC', asOf: '2026-06-30' };
    const result = await run('ytd', args);
    const text = describeYtdZh(prompts, result, 0);
    expect(text).toMatch(
      /^标普500（\^GSPC） 2026 年初至今(上涨|下跌) [\d.]+%（[+−][\d,.]+ 点），从 2025 年末 2025-12-31 的收盘价 [\d,.]+ 到 2026-06-30 的 [\d,.]+ \[0\]。$/,
    );
    expectGrounded(text, 'ytd', args, result);
  });
});

describe('the offline engine answers a Chinese question with Chinese figures', () => {
  let chat: ChatService;
  beforeAll(async () => {
    const embedder = createFakeEmbedder();
    const kb = await EmbeddedStore.open({ indexDir: tempDir(), embedder: { id: embedder.id, dim: embedder.dim } });
    const offline = createOfflineEngine({ kb, embedder, registry, toolContext: () => ({ prices, today: TODAY }), prompts });
    chat = createChatService({ offline, conversations: createConversationStore(), prompts, today: () => TODAY });
  });
  const ask = (message: string) => chat.ask({ message }, { signal: new AbortController().signal });

  it('frames the close, the period return (once, with its volatility) and the year to date in Chinese, all grounded', async () => {
    const close = await ask('罗素2000在2026年1月21日收盘多少?');
    expect(close.answer).toContain('罗素2000（^RUT）于 2026-01-21 收于 2,698.17');
    expect(close.answer).not.toContain('closed at');

    const period = await ask('罗素2000从2025年12月1日到2026年1月23日涨了多少，波动率多大？');
    expect(period.answer.match(/上涨 7\.53%/g)).toHaveLength(1);
    expect(period.answer).toContain('日波动率');
    expect(period.answer).not.toMatch(/gained|daily volatility/);

    const ytd = await ask('标普500今年以来表现如何？');
    expect(ytd.answer).toMatch(/标普500（\^GSPC） 2026 年初至今/);
    expect(ytd.answer).toContain('价格数据截至 2026-08-21');
    for (const response of [close, period, ytd]) expect(response.grounding.grounded).toBe(response.grounding.figures);
  });

  it('keeps English figures for an English question', async () => {
    const close = await ask('What did the Russell 2000 close at on January 21, 2026?');
    expect(close.answer).toMatch(/The Russell 2000 \(\^RUT, index level\) closed at 2,698\.17 on 2026-01-21/);
    expect(close.answer).not.toMatch(/\p{Script=Han}{3}/u);
  });
});
