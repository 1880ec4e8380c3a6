import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
import { createApp } from '../../server/app.ts';
import { createChatService, type ChatService } from '../../server/chat/chat-service.ts';
import { createConversationStore } from '../../server/chat/conversations.ts';
import { finalizeAnswer } from '../../server/chat/finalize-answer.ts';
import { chineseSeriesName, createPriceSentences } from '../../server/chat/offline/price-sentences.ts';
import { createOfflineEngine } from '../../server/chat/offline-engine.ts';
import { createPriceStore } from '../../server/market/price-store.ts';
import { loadPromptLibrary } from '../../server/prompts.ts';
import { createChatRouter } from '../../server/routes/chat.ts';
import { createToolRegistry } from '../../server/tools/registry.ts';
import type { ToolResult } from '../../server/tools/types.ts';
import { createFakeEmbedder } from '../helpers/fake-embedder.ts';
import { useApp, type RunningApp } from '../helpers/http.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const REPO = resolve(import.meta.dirname, '../..');
const TODAY = '2026-11-21';
const prompts = loadPromptLibrary(join(REPO, 'prompts'));
const prices = createPriceStore({ dataDir: join(REPO, 'data') });
const registry = createToolRegistry();
const tempDir = useTempDirs();
const start = useApp();
const english = createPriceSentences(prompts, 'en');
const chinese = createPriceSentences(prompts, 'zh');
/** Four lower-case Latin letters in a row: an English word (not a ticker) in what should be a Chinese sentence. */
const ENGLISH_WORD = /[a-z]{4,}/;
/** The computed part of an answer: the paragraph after the Chinese heading. */
const computed = (answer: string) => answer.replace(/^\*\*计算结果\*\*\n\n/, '').split('\n\n')[0]!;
const HAN = /\p{Script=Han}/u;

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

describe('price sentences come from templates in both languages (prompts/price-*.md)', () => {
  it('has an English and a Chinese template for every price sentence', () => {
    const ids = readdirSync(join(REPO, 'prompts'))
      .filter((name) => name.startsWith('price-'))
      .map((name) => name.replace(/-(?:en|zh)\.md$/, ''));
    for (const id of new Set(ids)) {
      expect(prompts.has(`${id}.en`), `${id}.en`).toBe(true);
      expect(prompts.has(`${id}.zh`), `${id}.zh`).toBe(true);
    }
  });

  it('names a series by its Chinese alias only when it is the entity’s own measure', () => {
    expect(chineseSeriesName({ name: 'Russell 2000', yahooSymbol: '^RUT', id: 'RUT' })).toBe('罗素2000（^RUT）');
    expect(chineseSeriesName({ name: 'S&P 500', yahooSymbol: '^GSPC', id: 'GSPC' })).toBe('标普500（^GSPC）');
    // An ETF that tracks the index is not the index.
    expect(chineseSeriesName({ name: 'iShares Russell 2000 ETF', yahooSymbol: 'IWM', id: 'IWM' })).toBe('iShares Russell 2000 ETF（IWM）');
  });

  it('states a close against the previous close', async () => {
    const args = { symbol: 'RUT', from: '2026-01-21', to: '2026-01-21', base: 'prior_close' };
    const result = await run('performance', args);
    const zh = chinese.describeClose(result, 0, '2026-01-21');
    expect(zh).toBe('罗素2000（^RUT）于 2026-01-21 收于 2,698.17，较 2026-01-20 的前收盘价 2,645.36 上涨 2.00%（+52.81 点）[0]。');
    expectGrounded(zh, 'performance', args, result);
    expect(chinese.describeClose(result, 0, '2026-01-24')).toContain('于 2026-01-21（2026-01-24 当日或之前的最后一个交易日） 收于');
    const en = english.describeClose(result, 0, '2026-01-24');
    expect(en).toBe(
      'The Russell 2000 (^RUT, index level) closed at 2,698.17 on 2026-01-21 (the last session on or before 2026-01-24), up 2.00% (+52.81 points) from the previous close of 2,645.36 on 2026-01-20 [0].',
    );
    expectGrounded(en, 'performance', args, result);
  });

  it('states a return over a period with its volatility and drawdown', async () => {
    const args = { symbol: 'RUT', from: '2025-12-01', to: '2026-01-23', base: 'open' };
    const result = await run('performance', args);
    const zh = chinese.describePerformance(result, 0);
    expect(zh).toMatch(/^罗素2000（\^RUT）从 2025-12-01 开盘（2,482\.23）到 2026-01-23 收盘（2,669\.16）上涨 7\.53%（\+186\.93 点），共 37 个交易日 \[0\]。/);
    expect(zh).toMatch(/其日波动率（日收益率的样本标准差）为 0\.97%，年化约 [\d.]+%，最大回撤 [\d.]+%（\d{4}-\d\d-\d\d 至 \d{4}-\d\d-\d\d） \[0\]。$/);
    expect(zh).not.toMatch(ENGLISH_WORD);
    expectGrounded(zh, 'performance', args, result);
    const en = english.describePerformance(result, 0);
    expect(en).toMatch(
      /^The Russell 2000 \(\^RUT, index level\) gained 7\.53% \(\+186\.93 points\) from the open of 2025-12-01 \(2,482\.23\) to the close of 2026-01-23/,
    );
    expectGrounded(en, 'performance', args, result);
  });

  it('leads a comparison with the spread, then both returns and the daily wins, and says where the data stopped', async () => {
    const args = { symbols: ['RUT', 'GSPC'], from: '2026-01-01', to: '2026-12-31' };
    const result = await run('compare', args);
    const zh = chinese.describeCompare(result, 0);
    expect(zh).toMatch(
      /^2026-01-02 至 2026-08-21，罗素2000（\^RUT）(跑赢|跑输)标普500（\^GSPC） [\d.]+ 个百分点：罗素2000 [+−][\d.]+%，标普500 [+−][\d.]+% \[0\]。/,
    );
    expect(zh).toMatch(/在 \d+ 个交易日中，罗素2000的日收益率有 \d+ 个交易日高于标普500/);
    expect(zh).toContain('价格数据截至 2026-08-21，计算到该交易日为止 [0]。');
    expect(zh).not.toMatch(ENGLISH_WORD);
    expectGrounded(zh, 'compare', args, result);
    const en = english.describeCompare(result, 0);
    expect(en).toMatch(
      /^The Russell 2000 \(\^RUT, index level\) (out|under)performed the S&P 500 \(\^GSPC, index level\) by [\d.]+ percentage points from 2026-01-02 to 2026-08-21: Russell 2000 [+−][\d.]+%, S&P 500 [+−][\d.]+% \[0\]\./,
    );
    expect(en).toContain('The Russell 2000 data end at the session of 2026-08-21');
    expectGrounded(en, 'compare', args, result);
  });

  it('states the spread to every further series of a comparison', async () => {
    const args = { symbols: ['RUT', 'GSPC', 'IXIC'], from: '2026-01-01', to: '2026-03-31' };
    const result = await run('compare', args);
    const en = english.describeCompare(result, 0);
    expect(en).toMatch(/The Russell 2000 outperformed the Nasdaq Composite by 7\.69 percentage points \[0\]\./);
    // A run of one session names its day once.
    expect(en).toContain('with a current streak of 1 session (2026-03-31); the longest streak ran 14 sessions (2026-01-02 to 2026-01-22) [0].');
    expectGrounded(en, 'compare', args, result);
  });

  it('states a year-to-date return', async () => {
    const args = { symbol: 'GSPC', asOf: '2026-06-30' };
    const result = await run('ytd', args);
    const zh = chinese.describeYtd(result, 0);
    expect(zh).toMatch(
      /^标普500（\^GSPC） 2026 年初至今(上涨|下跌) [\d.]+%（[+−][\d,.]+ 点），从 2025 年末 2025-12-31 的收盘价 [\d,.]+ 到 2026-06-30 的 [\d,.]+ \[0\]。$/,
    );
    expectGrounded(zh, 'ytd', args, result);
    const en = english.describeYtd(result, 0);
    expect(en).toMatch(
      /^The S&P 500 \(\^GSPC, index level\) was (up|down) [\d.]+% \([+−][\d,.]+ points\) in 2026 as of 2026-06-30, from the 2025 close of [\d,.]+ on 2025-12-31/,
    );
    expectGrounded(en, 'ytd', args, result);
  });

  it('states a moving average and where the close sits against it', async () => {
    const args = { symbol: 'RUT', window: 20, asOf: '2026-01-23' };
    const result = await run('moving_average', args);
    const zh = chinese.describeMovingAverage(result, 0);
    expect(zh).toBe('截至 2026-01-23，罗素2000（^RUT）的 20 日简单移动平均线为 2,601.58；收盘价 2,669.16 高于均线 2.60% [0]。');
    expectGrounded(zh, 'moving_average', args, result);
    const en = english.describeMovingAverage(result, 0);
    expect(en).toBe(
      'As of 2026-01-23, the 20-session simple moving average of the Russell 2000 (^RUT, index level) was 2,601.58; its close of 2,669.16 was 2.60% above it [0].',
    );
    expectGrounded(en, 'moving_average', args, result);
  });

  it('states the 52-week range, where the close sits in it, and the closing high and low', async () => {
    const args = { symbol: 'RUT', asOf: '2026-01-23' };
    const result = await run('range_52w', args);
    const zh = chinese.describeRange(result, 0);
    expect(zh).toMatch(/^截至 2026-01-23，罗素2000（\^RUT）的 52 周区间（盘中）为 2025-04-09 的 1,732\.99 至 2026-01-22 的 2,735\.10；/);
    expect(zh).toContain('按收盘价计，52 周最高 2,718.77（2026-01-22）');
    expect(zh).not.toMatch(ENGLISH_WORD);
    expectGrounded(zh, 'range_52w', args, result);
    const en = english.describeRange(result, 0);
    expect(en).toMatch(
      /^As of 2026-01-23, the 52-week range \(intraday\) of the Russell 2000 \(\^RUT, index level\) ran from 1,732\.99 on 2025-04-09 to 2,735\.10 on 2026-01-22/,
    );
    expect(en).not.toMatch(HAN);
    expectGrounded(en, 'range_52w', args, result);
  });
});

describe('POST /api/chat answers price questions in the question’s language, once per figure', () => {
  let chat: ChatService;
  let kb: EmbeddedStore;
  const embedder = createFakeEmbedder();
  beforeAll(async () => {
    kb = await EmbeddedStore.open({ indexDir: tempDir(), embedder: { id: embedder.id, dim: embedder.dim } });
    const offline = createOfflineEngine({ kb, embedder, registry, toolContext: () => ({ prices, today: TODAY }), prompts });
    chat = createChatService({ offline, conversations: createConversationStore(), prompts, today: () => TODAY });
  });
  let app: RunningApp | undefined;
  beforeEach(() => {
    app = undefined;
  });
  const ask = async (message: string, conversationId?: string) => {
    app ??= await start(createApp({ kb, embedder, llm: { mode: 'offline' }, routers: [{ path: '/chat', router: createChatRouter({ chat }) }] }));
    const { status, body } = await app.json('/api/chat', { body: { message, ...(conversationId ? { conversationId } : {}) } });
    expect(status).toBe(200);
    return body as {
      conversationId: string;
      answer: string;
      toolCalls: { name: string; arguments: Record<string, unknown> }[];
      grounding: { figures: number; grounded: number };
    };
  };

  it('answers a Chinese comparison with one comparison led by the spread, for any pair of indexes and period', async () => {
    const cases: [string, string[], string, string, RegExp][] = [
      [
        '2026年1月罗素2000和标普500相比',
        ['RUT', 'GSPC'],
        '2026-01-01',
        '2026-01-31',
        /^2026-01-02 至 2026-01-30，罗素2000（\^RUT）跑赢标普500（\^GSPC） 3\.95 个百分点/,
      ],
      [
        '2026年第一季度纳斯达克与标普500相比表现如何？',
        ['IXIC', 'GSPC'],
        '2026-01-01',
        '2026-03-31',
        /^2026-01-02 至 2026-03-31，纳斯达克（\^IXIC）跑输标普500（\^GSPC） [\d.]+ 个百分点/,
      ],
      [
        '对比2026年2月的标普500和罗素2000',
        ['GSPC', 'RUT'],
        '2026-02-01',
        '2026-02-28',
        /^2026-02-02 至 2026-02-27，标普500（\^GSPC）跑(赢|输)罗素2000（\^RUT） [\d.]+ 个百分点/,
      ],
      ['2026年3月罗素2000比较纳斯达克', ['RUT', 'IXIC'], '2026-03-01', '2026-03-31', /^2026-03-02 至 2026-03-31，罗素2000（\^RUT）跑(赢|输)纳斯达克（\^IXIC）/],
      ['2026年1月罗素2000跑赢标普500了吗？', ['RUT', 'GSPC'], '2026-01-01', '2026-01-31', /^2026-01-02 至 2026-01-30，罗素2000（\^RUT）跑赢标普500/],
      ['罗素2000 vs 纳斯达克，2026年1月', ['RUT', 'IXIC'], '2026-01-01', '2026-01-31', /^2026-01-02 至 2026-01-30，罗素2000（\^RUT）跑(赢|输)纳斯达克/],
    ];
    for (const [question, symbols, from, to, lead] of cases) {
      const body = await ask(question);
      expect(
        body.toolCalls.map((call) => call.name),
        question,
      ).toEqual(['compare']);
      expect(body.toolCalls[0]!.arguments, question).toMatchObject({ symbols, from, to });
      expect(computed(body.answer), question).toMatch(lead);
      expect(body.answer, question).not.toMatch(/outperformed|percentage points/);
      expect(body.grounding.grounded, question).toBe(body.grounding.figures);
    }
  });

  it('compares the last answer’s series with the one a follow-up sets against it, over the same period', async () => {
    for (const [first, followUp] of [
      ['How did the Russell 2000 do in the first half of 2026?', 'And versus the Nasdaq?'],
      ['罗素2000在2026年上半年表现如何？', '那和纳斯达克相比呢？'],
    ]) {
      const before = await ask(first!);
      const after = await ask(followUp!, before.conversationId);
      expect(
        after.toolCalls.map((call) => call.name),
        followUp,
      ).toEqual(['compare']);
      expect(after.toolCalls[0]!.arguments, followUp).toMatchObject({ symbols: ['RUT', 'IXIC'], from: '2026-01-01', to: '2026-06-30' });
    }
  });

  it('answers an English comparison the same way, spread first', async () => {
    const body = await ask('How did the Russell 2000 compare with the S&P 500 in January 2026?');
    expect(body.toolCalls.map((call) => call.name)).toEqual(['compare']);
    expect(body.answer).toMatch(/^The Russell 2000 \(\^RUT, index level\) outperformed the S&P 500 \(\^GSPC, index level\) by 3\.95 percentage points/);
  });

  it('states a year to date once, in either language', async () => {
    for (const [question, figure] of [
      ['标普500今年以来表现如何？', /上涨 12\.11%/g],
      ['How has the S&P 500 performed year to date?', /up 12\.11%/g],
    ] as const) {
      const body = await ask(question);
      expect(
        body.toolCalls.map((call) => call.name),
        question,
      ).toEqual(['ytd']);
      expect(body.answer.match(figure), question).toHaveLength(1);
      expect(body.answer.match(/12\.11%/g), question).toHaveLength(1);
    }
  });

  it('answers the moving average and the 52-week range of a Chinese question in Chinese', async () => {
    const average = await ask('罗素2000在2026年1月23日的20日均线是多少？');
    expect(average.toolCalls[0]).toMatchObject({ name: 'moving_average', arguments: { symbol: 'RUT', window: 20, asOf: '2026-01-23' } });
    expect(average.answer).toContain('截至 2026-01-23，罗素2000（^RUT）的 20 日简单移动平均线为 2,601.58');
    const range = await ask('标普500的52周区间是多少？');
    expect(range.toolCalls[0]).toMatchObject({ name: 'range_52w', arguments: { symbol: 'GSPC' } });
    expect(range.answer).toMatch(/标普500（\^GSPC）的 52 周区间（盘中）为/);
    for (const body of [average, range]) {
      expect(computed(body.answer)).not.toMatch(ENGLISH_WORD);
      expect(body.grounding.grounded).toBe(body.grounding.figures);
    }
  });

  it('answers the series with data when another one has none for the period, and says which and up to when (both languages)', async () => {
    // The bundled small-cap value fund file ends 2026-07-13 and nothing tracks it; the S&P 500 runs to 2026-08-21.
    const inEnglish = await ask('How did IJS compare with the S&P 500 in August 2026?');
    expect(inEnglish.answer).toMatch(
      /^The iShares S&P Small-Cap 600 Value ETF \(IJS, [^)]*\) has no data for 2026-08-01 to 2026-08-31: its prices run from 2018-01-02 to 2026-07-13\./,
    );
    expect(inEnglish.answer).toMatch(/cover only the series with data for that period \(S&P 500\)\. The S&P 500 \(\^GSPC, index level\) gained [\d.]+%/);
    expect(inEnglish.answer).not.toMatch(/outside the data/);
    const inChinese = await ask('2026年8月 IJS 和标普500相比表现如何？');
    const lead = computed(inChinese.answer);
    expect(lead).toMatch(
      /在 2026-08-01 至 2026-08-31 期间没有数据：现有数据为 2018-01-02 至 2026-07-13。以下仅计算该期间有数据的序列（标普500）。标普500（\^GSPC）从/,
    );
    expect(lead).not.toMatch(/outside|covers/);
    for (const body of [inEnglish, inChinese]) expect(body.grounding.grounded).toBe(body.grounding.figures);
  });

  it('measures an index without data for the period through the fund that tracks it, and says so (both languages)', async () => {
    // The bundled Dow file ends 2026-02-23; its fund (DIA) runs past mid-2026.
    const inEnglish = await ask('How did the Dow compare with the S&P 500 in Q2 2026?');
    expect(inEnglish.answer).toMatch(
      /^The Dow Jones Industrial Average \(\^DJI, index level\) has no data for 2026-04-01 to 2026-06-30: its prices run from 2018-01-02 to 2026-02-23\./,
    );
    expect(inEnglish.answer).toMatch(
      /The SPDR Dow Jones Industrial Average ETF, which tracks the Dow Jones Industrial Average, is measured in its place\. The SPDR Dow Jones Industrial Average ETF \(DIA, [^)]*\) (?:out|under)performed the S&P 500/,
    );
    expect(inEnglish.toolCalls.at(-1)).toMatchObject({ name: 'compare', arguments: { symbols: ['DIA', 'GSPC'] } });
    const inChinese = await ask('道琼斯指数和标普500在2026年第二季度的表现对比如何？');
    expect(computed(inChinese.answer)).toMatch(
      /^道琼斯（\^DJI）在 2026-04-01 至 2026-06-30 期间没有数据：现有数据为 2018-01-02 至 2026-02-23。改用跟踪道琼斯的.*（DIA）/,
    );
    // Three series, one without data and no fund asked: the other two are still compared, led by their spread.
    const three = await ask('Compare IJS, the Nasdaq and the S&P 500 in August 2026');
    expect(three.toolCalls.at(-1)).toMatchObject({ name: 'compare', arguments: { symbols: ['IXIC', 'GSPC'] } });
    expect(three.answer).toMatch(/\(Nasdaq Composite and S&P 500\)\. The Nasdaq Composite \(\^IXIC, index level\) (?:out|under)performed the S&P 500/);
    for (const body of [inEnglish, inChinese, three]) expect(body.grounding.grounded).toBe(body.grounding.figures);
  });

  it('never puts a tool’s English error in a Chinese answer', () => {
    const failure = { error: 'No price data for "XYZ" (no file prices/XYZ.csv, and live data is off).', code: 'bad_request' as const };
    expect(chinese.describeFailure('performance', 'XYZ', failure)).toBe('无法计算 XYZ 的涨跌幅：请求的日期或参数超出了现有数据的范围。');
    expect(chinese.describeFailure('comparison', 'XYZ', { error: 'boom', code: 'conflict' })).toBe('无法计算 XYZ 的对比：计算出错。');
    expect(english.describeFailure('performance', 'XYZ', failure)).toContain(failure.error);
  });

  it('keeps English figures for an English question', async () => {
    const close = await ask('What did the Russell 2000 close at on January 21, 2026?');
    expect(close.answer).toMatch(/The Russell 2000 \(\^RUT, index level\) closed at 2,698\.17 on 2026-01-21/);
    expect(close.answer).not.toMatch(/\p{Script=Han}{3}/u);
  });
});
