import pRetry from 'p-retry';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AppError, isAppError } from '../../lib/errors.ts';
import { addDays } from './sessions.ts';
import type { LiveProvider } from './price-store.ts';
import { PriceBarSchema, type PriceBar } from './types.ts';

/**
 * The one call we make to yahoo-finance2: `chart(symbol, {period1, period2, interval: '1d',
 * return: 'array'})`. Injected so tests pass a fake and nothing here touches the network.
 */
export type ChartFetcher = (symbol: string, options: { period1: string; period2: string; interval: '1d' }, signal: AbortSignal) => Promise<unknown>;

export const YAHOO_DEFAULTS = {
  timeoutMs: 8_000,
  /** Retries after a 429, waiting `backoffMs · 2^attempt` before each. */
  maxRetries: 3,
  backoffMs: 1_000,
  /** Cache entries for ranges that reach today expire; closed ranges never change. */
  openRangeTtlMs: 15 * 60_000,
};

// Parse only what we use from chart(): the quotes, and the exchange's offset to date them.
const ChartResponseSchema = z.object({
  meta: z.object({ gmtoffset: z.number().optional() }).optional(),
  quotes: z.array(
    z.object({
      date: z.coerce.date(),
      open: z.number().nullish(),
      high: z.number().nullish(),
      low: z.number().nullish(),
      close: z.number().nullish(),
      volume: z.number().nullish(),
    }),
  ),
});

const CacheEntrySchema = z.object({
  fetchedAt: z.iso.datetime(),
  bars: z.array(PriceBarSchema),
});

export interface YahooProviderOptions {
  chart: ChartFetcher;
  /** Where fetched ranges are kept as JSON, e.g. `${dataDir}/cache/prices`. */
  cacheDir: string;
  now?: () => Date;
  /** Called with the delay before each retry (a 429 answered). */
  onRetry?: (delayMs: number) => void;
  timeoutMs?: number;
  maxRetries?: number;
  backoffMs?: number;
}

export function createYahooProvider(options: YahooProviderOptions): LiveProvider {
  const now = options.now ?? (() => new Date());
  const timeoutMs = options.timeoutMs ?? YAHOO_DEFAULTS.timeoutMs;
  const maxRetries = options.maxRetries ?? YAHOO_DEFAULTS.maxRetries;
  const backoffMs = options.backoffMs ?? YAHOO_DEFAULTS.backoffMs;

  async function fetchOnce(symbol: string, range: { from: string; to: string }, signal?: AbortSignal): Promise<unknown> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    // Race the abort too: a fetcher that ignores its signal must not hang the tool call.
    const aborted = new Promise<never>((_resolve, reject) => {
      const fail = () => reject(timeout.aborted ? new AppError('timeout', `Yahoo Finance did not answer within ${timeoutMs} ms.`) : combined.reason);
      if (combined.aborted) fail();
      else combined.addEventListener('abort', fail, { once: true });
    });
    // period2 is exclusive at Yahoo, so ask for the day after the last one wanted.
    const request = options.chart(symbol, { period1: range.from, period2: addDays(range.to, 1), interval: '1d' }, combined);
    return Promise.race([request, aborted]);
  }

  // One retry policy (p-retry): only 429s are retried, with exponential backoff; every other
  // failure is classified at once. Delays are observable through `onRetry` for tests and logs.
  async function fetchWithBackoff(symbol: string, range: { from: string; to: string }, signal?: AbortSignal): Promise<unknown> {
    try {
      return await pRetry(() => fetchOnce(symbol, range, signal), {
        retries: maxRetries,
        factor: 2,
        minTimeout: backoffMs,
        maxTimeout: backoffMs * 2 ** maxRetries,
        randomize: false,
        ...(signal ? { signal } : {}),
        shouldRetry: ({ error }) => isRateLimited(error),
        onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
          if (retriesLeft > 0 && isRateLimited(error)) options.onRetry?.(backoffMs * 2 ** (attemptNumber - 1));
        },
      });
    } catch (error) {
      if (signal?.aborted || isAppError(error)) throw error;
      const status = httpStatusOf(error);
      if (status === 429)
        throw new AppError('rate_limited', `Yahoo Finance kept answering 429 Too Many Requests after ${maxRetries} retries.`, { cause: error });
      if (status === 404) throw new AppError('not_found', `Yahoo Finance has no data for ${symbol}.`, { cause: error });
      throw new AppError('upstream_unavailable', status ? `Yahoo Finance answered HTTP ${status}.` : 'The Yahoo Finance request failed.', { cause: error });
    }
  }

  return {
    name: 'Yahoo Finance chart() daily bars',
    async fetchBars(instrument, range, signal) {
      const cacheFile = path.join(options.cacheDir, `${safeFileName(instrument.yahooSymbol)}_${range.from}_${range.to}.json`);
      const today = now().toISOString().slice(0, 10);
      const cached = await readCache(cacheFile);
      const rangeIsClosed = range.to < addDays(today, -1);
      if (cached && (rangeIsClosed || now().getTime() - Date.parse(cached.fetchedAt) < YAHOO_DEFAULTS.openRangeTtlMs)) {
        return cached.bars;
      }
      const response = ChartResponseSchema.safeParse(await fetchWithBackoff(instrument.yahooSymbol, range, signal));
      if (!response.success) throw new AppError('upstream_unavailable', 'Yahoo Finance sent chart data in an unexpected shape.');
      const bars = toBars(response.data, today).filter((bar) => bar.date >= range.from && bar.date <= range.to);
      if (bars.length > 0) await writeCache(cacheFile, { fetchedAt: now().toISOString(), bars });
      return bars;
    },
  };
}

/**
 * Converts quotes to session bars. A quote's timestamp is the session's open, so adding the
 * exchange's UTC offset gives its local trading date (Sydney opens on the previous UTC day).
 * Bars without a close, and today's bar (the session may still be trading: its "close" would
 * be an intraday price), are dropped.
 */
export function toBars(response: z.infer<typeof ChartResponseSchema>, today: string): PriceBar[] {
  const offsetMs = (response.meta?.gmtoffset ?? 0) * 1000;
  const byDate = new Map<string, PriceBar>();
  for (const quote of response.quotes) {
    if (quote.close == null || !(quote.close > 0)) continue;
    const date = new Date(quote.date.getTime() + offsetMs).toISOString().slice(0, 10);
    if (date >= today) continue;
    const bar: PriceBar = { date, close: quote.close };
    if (quote.open != null && quote.open > 0) bar.open = quote.open;
    if (quote.high != null && quote.high > 0) bar.high = quote.high;
    if (quote.low != null && quote.low > 0) bar.low = quote.low;
    if (quote.volume != null && quote.volume >= 0) bar.volume = quote.volume;
    byDate.set(date, bar);
  }
  return [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : 1));
}

/**
 * The production `chart()`: yahoo-finance2 loaded on first use, so importing this module does
 * nothing. Called from the composition root only.
 */
export function createYahooChartFetcher(): ChartFetcher {
  let client: Promise<{ chart: (...args: never[]) => Promise<unknown> }> | undefined;
  return async (symbol, chartOptions, signal) => {
    client ??= import('yahoo-finance2').then(({ default: YahooFinance }) => new YahooFinance());
    const yahoo = (await client) as unknown as {
      chart(symbol: string, query: object, moduleOptions: object): Promise<unknown>;
    };
    return yahoo.chart(symbol, { ...chartOptions, return: 'array' }, { fetchOptions: { signal } });
  };
}

// yahoo-finance2 puts the HTTP status on its HTTPError as `code`; fetch-style errors use `status`.
function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, status } = error as { code?: unknown; status?: unknown };
  if (typeof code === 'number') return code;
  if (typeof status === 'number') return status;
  return undefined;
}

async function readCache(file: string): Promise<z.infer<typeof CacheEntrySchema> | undefined> {
  try {
    const parsed = CacheEntrySchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

async function writeCache(file: string, entry: z.infer<typeof CacheEntrySchema>): Promise<void> {
  try {
    await mkdir(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(entry));
    await rename(temporary, file);
  } catch {
    // A cache that cannot be written only costs a refetch next time.
  }
}

function isRateLimited(error: unknown): boolean {
  return !isAppError(error) && httpStatusOf(error) === 429;
}

function safeFileName(symbol: string): string {
  return symbol.replace(/[^A-Za-z0-9.=-]/g, '_');
}
