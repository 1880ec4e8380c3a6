import { AppError } from '../../lib/errors.ts';
import type { PriceBar } from '../market/types.ts';
import { annualizeDailyVolatility, maxDrawdown, percentChange, populationStdDev, sampleStdDev, simpleReturns } from './metrics.ts';

/**
 * Which price a period return starts from.
 * - `prior_close`: the close of the session before the first one, so the first session's own move
 *   counts. What index providers and performance tables use ("YTD" starts at last year's close).
 * - `open`: the first session's open, so the whole first day counts too, from its first trade.
 * - `close`: the first session's close; the first day's move is left out.
 */
export const BASE_CONVENTIONS = ['prior_close', 'open', 'close'] as const;
export type BaseConvention = (typeof BASE_CONVENTIONS)[number];
export const STDEV_KINDS = ['sample', 'population'] as const;
export type StdDevKind = (typeof STDEV_KINDS)[number];

export interface PricePoint {
  date: string;
  price: number;
}

export interface WindowPerformance {
  base: PricePoint & { convention: BaseConvention };
  last: PricePoint;
  returnPct: number;
  pointChange: number;
  /** Close-to-close returns (fractions) of the sessions that make up the move; see `computeWindowPerformance`. */
  dailyReturns: number[];
  returnDates: string[];
  dailyVolatilityPct?: number;
  annualizedVolatilityPct?: number;
  drawdown: { pct: number; peak: PricePoint; trough: PricePoint };
  highestClose: PricePoint;
  lowestClose: PricePoint;
  intradayHigh?: PricePoint;
  intradayLow?: PricePoint;
  sessions: { from: string; to: string; count: number };
}

/**
 * Return, volatility and drawdown over sessions `start..end` (inclusive indices into `bars`).
 *
 * Daily returns are close-to-close, taken along the same price path as the return: from the
 * first session's close for `open`/`close` bases (n − 1 returns), from the prior close for
 * `prior_close` (n returns). The drawdown follows that path starting at the base price.
 */
export function computeWindowPerformance(bars: PriceBar[], start: number, end: number, convention: BaseConvention, stdev: StdDevKind): WindowPerformance {
  const first = bars[start]!;
  const lastBar = bars[end]!;
  const base = basePoint(bars, start, convention);
  const closesFrom = convention === 'prior_close' ? start - 1 : start;
  const closeBars = bars.slice(closesFrom, end + 1);
  const dailyReturns = simpleReturns(closeBars.map((bar) => bar.close));
  const returnDates = closeBars.slice(1).map((bar) => bar.date);

  const path: PricePoint[] =
    convention === 'open'
      ? [base, ...closeBars.map((bar) => ({ date: bar.date, price: bar.close }))]
      : closeBars.map((bar) => ({ date: bar.date, price: bar.close }));
  const drawdown = maxDrawdown(path.map((point) => point.price));

  const window = bars.slice(start, end + 1);
  const volatility =
    dailyReturns.length >= (stdev === 'sample' ? 2 : 1) ? (stdev === 'sample' ? sampleStdDev(dailyReturns) : populationStdDev(dailyReturns)) * 100 : undefined;

  return {
    base: { ...base, convention },
    last: { date: lastBar.date, price: lastBar.close },
    returnPct: percentChange(base.price, lastBar.close),
    pointChange: lastBar.close - base.price,
    dailyReturns,
    returnDates,
    ...(volatility === undefined ? {} : { dailyVolatilityPct: volatility, annualizedVolatilityPct: annualizeDailyVolatility(volatility) }),
    drawdown: { pct: drawdown.pct, peak: path[drawdown.peakIndex]!, trough: path[drawdown.troughIndex]! },
    highestClose: findExtreme(window, (bar) => bar.close, 'max')!,
    lowestClose: findExtreme(window, (bar) => bar.close, 'min')!,
    ...optional(
      'intradayHigh',
      findExtreme(window, (bar) => bar.high, 'max'),
    ),
    ...optional(
      'intradayLow',
      findExtreme(window, (bar) => bar.low, 'min'),
    ),
    sessions: { from: first.date, to: lastBar.date, count: end - start + 1 },
  };
}

export function describeBase(convention: BaseConvention): string {
  switch (convention) {
    case 'prior_close':
      return 'return measured from the close of the session before the first session (prior close) to the last close';
    case 'open':
      return 'return measured from the open of the first session to the last close';
    case 'close':
      return 'return measured from the close of the first session to the last close';
  }
}

function basePoint(bars: PriceBar[], start: number, convention: BaseConvention): PricePoint {
  const first = bars[start]!;
  if (convention === 'close') return { date: first.date, price: first.close };
  if (convention === 'open') {
    if (first.open === undefined) {
      throw new AppError('bad_request', `The series has no open price for ${first.date}; use base "close" or "prior_close".`);
    }
    return { date: first.date, price: first.open };
  }
  const prior = bars[start - 1];
  if (!prior) {
    throw new AppError('bad_request', `No session before ${first.date} in the data to take a prior close from; use base "open" or "close", or a later start.`);
  }
  return { date: prior.date, price: prior.close };
}

/** The highest or lowest value of a field with its date; the earliest date wins a tie. */
export function findExtreme(bars: PriceBar[], pick: (bar: PriceBar) => number | undefined, kind: 'max' | 'min'): PricePoint | undefined {
  let best: PricePoint | undefined;
  for (const bar of bars) {
    const price = pick(bar);
    if (price === undefined) continue;
    if (!best || (kind === 'max' ? price > best.price : price < best.price)) best = { date: bar.date, price };
  }
  return best;
}

function optional<K extends string>(key: K, value: PricePoint | undefined): Partial<Record<K, PricePoint>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, PricePoint>);
}
