import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createYahooProvider, toBars, type ChartFetcher } from '../../server/market/yahoo-provider.ts';
import type { Instrument } from '../../server/market/types.ts';

const RUT: Instrument = { id: 'RUT', yahooSymbol: '^RUT', name: 'Russell 2000', kind: 'index', unit: 'points', basis: 'index level' };
const now = () => new Date('2026-08-24T12:00:00Z');

// Two US sessions as yahoo-finance2 returns them: each timestamp is the 09:30 New York open.
const chartResponse = {
  meta: { gmtoffset: -14400 },
  quotes: [
    { date: new Date('2026-08-20T13:30:00Z'), open: 2500, high: 2510, low: 2490, close: 2505, volume: 0 },
    { date: new Date('2026-08-21T13:30:00Z'), open: 2505, high: 2520, low: 2500, close: 2515.5, volume: null },
    { date: new Date('2026-08-24T13:30:00Z'), open: 2515, high: 2516, low: 2514, close: null, volume: null },
  ],
};

class HttpStatusError extends Error {
  constructor(readonly code: number) {
    super(`HTTP ${code}`);
  }
}

let cacheDir: string;
beforeEach(async () => {
  cacheDir = await mkdtemp(path.join(tmpdir(), 'yahoo-cache-'));
});
afterEach(async () => {
  await rm(cacheDir, { recursive: true, force: true });
});

function countingChart(outcomes: (() => Promise<unknown>)[]) {
  const calls: { symbol: string; options: Parameters<ChartFetcher>[1] }[] = [];
  const chart: ChartFetcher = (symbol, options) => {
    calls.push({ symbol, options });
    const next = outcomes[Math.min(calls.length - 1, outcomes.length - 1)]!;
    return next();
  };
  return { chart, calls };
}

describe('createYahooProvider', () => {
  it('converts chart quotes to session bars and asks for the day after the range end', async () => {
    const { chart, calls } = countingChart([async () => chartResponse]);
    const provider = createYahooProvider({ chart, cacheDir, now });
    const bars = await provider.fetchBars(RUT, { from: '2026-08-01', to: '2026-08-21' });
    expect(bars).toEqual([
      { date: '2026-08-20', open: 2500, high: 2510, low: 2490, close: 2505, volume: 0 },
      { date: '2026-08-21', open: 2505, high: 2520, low: 2500, close: 2515.5 },
    ]);
    expect(calls).toEqual([{ symbol: '^RUT', options: { period1: '2026-08-01', period2: '2026-08-22', interval: '1d' } }]);
  });

  it('answers a repeated closed range from the disk cache without a second call', async () => {
    const { chart, calls } = countingChart([async () => chartResponse]);
    const first = createYahooProvider({ chart, cacheDir, now });
    await first.fetchBars(RUT, { from: '2026-08-01', to: '2026-08-21' });
    const second = createYahooProvider({ chart, cacheDir, now });
    const bars = await second.fetchBars(RUT, { from: '2026-08-01', to: '2026-08-21' });
    expect(calls).toHaveLength(1);
    expect(bars.map((bar) => bar.close)).toEqual([2505, 2515.5]);
    expect(await readdir(cacheDir)).toEqual(['_RUT_2026-08-01_2026-08-21.json']);
  });

  it('backs off after 429 and succeeds on the retry, waiting twice as long each time', async () => {
    const { chart, calls } = countingChart([
      async () => {
        throw new HttpStatusError(429);
      },
      async () => {
        throw new HttpStatusError(429);
      },
      async () => chartResponse,
    ]);
    const delays: number[] = [];
    const provider = createYahooProvider({ chart, cacheDir, now, backoffMs: 5, onRetry: (ms) => delays.push(ms) });
    const bars = await provider.fetchBars(RUT, { from: '2026-08-01', to: '2026-08-21' });
    expect(bars).toHaveLength(2);
    expect(calls).toHaveLength(3);
    expect(delays).toEqual([5, 10]);
  });

  it('gives up after the retries with rate_limited', async () => {
    const { chart, calls } = countingChart([
      async () => {
        throw new HttpStatusError(429);
      },
    ]);
    const provider = createYahooProvider({ chart, cacheDir, now, maxRetries: 2, backoffMs: 1 });
    await expect(provider.fetchBars(RUT, { from: '2026-08-01', to: '2026-08-21' })).rejects.toMatchObject({ code: 'rate_limited' });
    expect(calls).toHaveLength(3);
  });

  it('does not retry other failures and classifies them by status', async () => {
    const notFound = countingChart([
      async () => {
        throw new HttpStatusError(404);
      },
    ]);
    await expect(createYahooProvider({ chart: notFound.chart, cacheDir, now }).fetchBars(RUT, { from: '2026-08-01', to: '2026-08-21' })).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(notFound.calls).toHaveLength(1);
    const broken = countingChart([
      async () => {
        throw new TypeError('fetch failed');
      },
    ]);
    await expect(createYahooProvider({ chart: broken.chart, cacheDir, now }).fetchBars(RUT, { from: '2026-08-01', to: '2026-08-21' })).rejects.toMatchObject({
      code: 'upstream_unavailable',
      message: 'The Yahoo Finance request failed.',
    });
  });

  it('times out a call that never answers, even one that ignores its signal', async () => {
    const chart: ChartFetcher = () => new Promise(() => {});
    const provider = createYahooProvider({ chart, cacheDir, now, timeoutMs: 5 });
    await expect(provider.fetchBars(RUT, { from: '2026-08-01', to: '2026-08-21' })).rejects.toMatchObject({ code: 'timeout' });
  });

  it('rejects a response in an unexpected shape', async () => {
    const { chart } = countingChart([async () => ({ quotes: 'nope' })]);
    await expect(createYahooProvider({ chart, cacheDir, now }).fetchBars(RUT, { from: '2026-08-01', to: '2026-08-21' })).rejects.toMatchObject({
      code: 'upstream_unavailable',
    });
  });
});

describe('toBars', () => {
  it('dates a quote by the exchange clock, not UTC', () => {
    // Sydney opens at 10:00 local = 00:00 UTC in winter, 23:00 UTC the previous day in summer.
    const bars = toBars({ meta: { gmtoffset: 39600 }, quotes: [{ date: new Date('2026-01-14T23:00:00Z'), close: 8800 }] }, '2026-08-24');
    expect(bars).toEqual([{ date: '2026-01-15', close: 8800 }]);
  });

  it("drops today's bar, which may still be trading", () => {
    expect(toBars({ quotes: [{ date: new Date('2026-08-24T13:30:00Z'), close: 1 }] }, '2026-08-24')).toEqual([]);
  });
});
