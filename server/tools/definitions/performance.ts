import { z } from 'zod';
import { describeInstrument, formatChange, formatPrice, formatSignedPct, pluralize } from '../format.ts';
import { roundTo } from '../metrics.ts';
import { buildProvenance, DateArgSchema, loadSeries, lookbackStart, resolveWindow, SymbolArgSchema } from '../series.ts';
import { defineTool, type ToolResult } from '../types.ts';
import { BASE_CONVENTIONS, computeWindowPerformance, describeBase, STDEV_KINDS, type WindowPerformance } from '../window-performance.ts';
import type { PriceSeries } from '../../market/types.ts';

export const BaseArgSchema = z
  .enum(BASE_CONVENTIONS)
  .default('prior_close')
  .describe(
    'Start price: "prior_close" (default, the close before the first session, as performance tables use), "open" (the first session\'s open), or "close" (the first session\'s close).',
  );

export const StdDevArgSchema = z
  .enum(STDEV_KINDS)
  .default('sample')
  .describe('Standard deviation of daily returns: "sample" (default, n − 1) or "population" (n).');

export const PerformanceArgsSchema = z
  .object({
    symbol: SymbolArgSchema,
    from: DateArgSchema.describe('First day of the period, YYYY-MM-DD; a non-trading day moves to the next session.'),
    to: DateArgSchema.describe('Last day of the period, YYYY-MM-DD; a non-trading day moves to the previous session.'),
    base: BaseArgSchema,
    stdev: StdDevArgSchema,
  })
  .refine((args) => args.from <= args.to, { message: 'from is after to', path: ['from'] });
export type PerformanceArgs = z.infer<typeof PerformanceArgsSchema>;

/*
 * Seed figures (tests in test/tools/seed-figures.test.ts):
 * - RUT +7.53% / +186.93 points from 2025-12-01 to 2026-01-23 reproduce with base "open"
 *   (2,482.23 → 2,669.16); so do DJI +3.19%, S&P 500 +1.52% and Nasdaq +1.42% over that window.
 *   The default "prior_close" gives RUT +6.75% (from 2,500.43 on 2025-11-28).
 * - Daily volatility 0.96% (RUT) and 0.62% (S&P 500) reproduce as the population std dev of the
 *   36 close-to-close returns inside the window (base "open" or "close", stdev "population");
 *   the sample std dev of the same returns is 0.97% / 0.63%.
 * - Seed 002: RUT +7.88% / +195.51 to 2026-01-16 (base "open"), volatility 0.86% (population;
 *   sample 0.87%), intraday high 2,692.23 on 2026-01-16.
 * - Seed 000: the 2026-01-21 day changes (RUT +1.35%, DJI +1.09%, S&P 500 +0.95%, Nasdaq +0.90%)
 *   are close vs that day's open (from = to = 2026-01-21, base "open"); vs the prior close RUT
 *   gained +2.00%. Seed 001's "−1.82%" on 2026-01-23 is vs the prior close (the default).
 * - Seed 004's levels (S&P 500 6,923.58, RUT 2,684.13, …) are intraday prices of 2026-01-23, not
 *   closes; its percentages are vs that day's open. Daily bars check them but cannot produce them.
 */
export function summarizePerformance(series: PriceSeries, result: WindowPerformance): string {
  const instrument = series.instrument;
  const baseWords =
    result.base.convention === 'prior_close'
      ? `the close of ${result.base.date} (prior close, ${formatPrice(result.base.price, instrument)})`
      : `the ${result.base.convention} of ${result.base.date} (${formatPrice(result.base.price, instrument)})`;
  const volatility = result.dailyVolatilityPct === undefined ? '' : `; daily volatility ${roundTo(result.dailyVolatilityPct).toFixed(2)}%`;
  return `${describeInstrument(instrument)}: ${formatSignedPct(result.returnPct)} (${formatChange(result.pointChange, instrument)}) from ${baseWords} to the close of ${result.last.date} (${formatPrice(result.last.price, instrument)}), ${pluralize(result.sessions.count, 'session')}${volatility}.`;
}

export function performanceConventions(base: PerformanceArgs['base'], stdev: PerformanceArgs['stdev']): string[] {
  return [
    describeBase(base),
    `daily returns are close-to-close along the same path (${base === 'prior_close' ? 'the first one is the first session vs the prior close' : 'the first one is the second session vs the first close'})`,
    `daily volatility = ${stdev} standard deviation of those daily returns; annualized = daily × √252`,
    'max drawdown = largest fall from a running peak to a later close along that path',
    'prices as published, not adjusted for dividends unless the series basis says so',
  ];
}

export function shapePerformance(result: WindowPerformance, series: PriceSeries): Record<string, unknown> {
  return {
    symbol: series.instrument.id,
    name: series.instrument.name,
    base: { convention: result.base.convention, date: result.base.date, price: result.base.price },
    last: { date: result.last.date, price: result.last.price },
    return_pct: roundTo(result.returnPct),
    point_change: roundTo(result.pointChange),
    point_unit: series.instrument.unit,
    daily_volatility_pct: result.dailyVolatilityPct === undefined ? null : roundTo(result.dailyVolatilityPct),
    annualized_volatility_pct: result.annualizedVolatilityPct === undefined ? null : roundTo(result.annualizedVolatilityPct),
    daily_returns_used: result.dailyReturns.length,
    max_drawdown_pct: roundTo(result.drawdown.pct),
    max_drawdown: { peak: result.drawdown.peak, trough: result.drawdown.trough },
    highest_close: result.highestClose,
    lowest_close: result.lowestClose,
    ...(result.intradayHigh ? { intraday_high: result.intradayHigh } : {}),
    ...(result.intradayLow ? { intraday_low: result.intradayLow } : {}),
    sessions: result.sessions.count,
  };
}

export const performanceTool = defineTool({
  name: 'performance',
  description:
    'Price performance of one index or fund between two dates, computed from daily closes: return in %, point change, ' +
    'daily and annualized volatility, max drawdown with peak and trough dates, highest/lowest close. ' +
    'Default start price is the prior close; pass base "open" to measure from the first session\'s open.',
  schema: PerformanceArgsSchema,
  async run(args, context): Promise<ToolResult> {
    const series = await loadSeries(context, args.symbol, { from: lookbackStart(args.from, 1), to: args.to });
    const { start, end, note } = resolveWindow(series, args.from, args.to);
    const result = computeWindowPerformance(series.bars, start.index, end.index, args.base, args.stdev);
    return {
      ...shapePerformance(result, series),
      provenance: buildProvenance({
        series: [series],
        sessions: result.sessions,
        conventions: performanceConventions(args.base, args.stdev),
        context,
        latestRequested: false,
        ...(note ? { notes: [note] } : {}),
      }),
      summary: note ? `${summarizePerformance(series, result)} ${note}` : summarizePerformance(series, result),
    };
  },
});
