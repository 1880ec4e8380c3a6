import { z } from 'zod';
import { formatSignedPct, pluralize } from '../format.ts';
import { roundTo } from '../metrics.ts';
import { compareDailyReturns, summarizeOutperformance } from '../outperformance.ts';
import { buildProvenance, DateArgSchema, loadSeries, lookbackStart, resolveWindow, SymbolArgSchema } from '../series.ts';
import { defineTool } from '../types.ts';
import { computeWindowPerformance, describeBase } from '../window-performance.ts';
import { BaseArgSchema } from './performance.ts';

export const MAX_COMPARE_SYMBOLS = 6;

export const CompareArgsSchema = z
  .object({
    symbols: z
      .array(SymbolArgSchema)
      .min(2, 'give at least two symbols to compare')
      .max(MAX_COMPARE_SYMBOLS, `compare at most ${MAX_COMPARE_SYMBOLS} symbols at once`)
      .describe('Two or more symbols; the first is compared against each of the others, e.g. ["^RUT", "^GSPC"].'),
    from: DateArgSchema.describe('First day, YYYY-MM-DD.'),
    to: DateArgSchema.describe('Last day, YYYY-MM-DD.'),
    base: BaseArgSchema,
  })
  .refine((args) => args.from <= args.to, { message: 'from is after to', path: ['from'] });

/*
 * Seed figures: RUT vs S&P 500 from 2025-12-01 to 2026-01-16 reports a current streak of 11
 * sessions (2026-01-02 … 2026-01-16) in which RUT's daily return beat the S&P 500's: the "11-day
 * streak" of seed 002. Up to 2026-01-12 the streak is 7 sessions: the "seven straight sessions" of
 * seed 003. It ran to 14 sessions (through 2026-01-22) and ended on 2026-01-23.
 */
export const compareTool = defineTool({
  name: 'compare',
  description:
    "Compares two or more indexes or funds over the same dates: each one's return, the gap in percentage points between the first and each other, " +
    "and for the first two the sessions in which the first one's daily return beat the second's, with the current and longest winning streaks and their dates.",
  schema: CompareArgsSchema,
  async run(args, context) {
    const range = { from: lookbackStart(args.from, 1), to: args.to };
    const allSeries = await Promise.all(args.symbols.map((symbol) => loadSeries(context, symbol, range)));
    // Every series is measured to the same session: when one file ends sooner, all stop there.
    const windows = allSeries.map((series) => resolveWindow(series, args.from, args.to));
    const commonEnd = windows.reduce((earliest, window) => (window.end.date < earliest ? window.end.date : earliest), args.to);
    const stopped = windows.find((window) => window.note && window.end.date === commonEnd)?.note;
    const performances = allSeries.map((series) => {
      const { start, end } = resolveWindow(series, args.from, commonEnd);
      return computeWindowPerformance(series.bars, start.index, end.index, args.base, 'sample');
    });
    const [seriesA, seriesB] = allSeries as [(typeof allSeries)[0], (typeof allSeries)[0]];
    const [first] = performances as [(typeof performances)[0]];
    const rows = compareDailyReturns(seriesA.bars, seriesB.bars, first.sessions.from, first.sessions.to);
    const outperformance = summarizeOutperformance(rows);
    const a = seriesA.instrument;
    const b = seriesB.instrument;
    const relative = allSeries.slice(1).map((series, index) => ({
      a: a.id,
      b: series.instrument.id,
      pp: roundTo(first.returnPct - performances[index + 1]!.returnPct),
    }));

    const kinds = new Set(allSeries.map((series) => series.instrument.kind));
    const conventions = [
      describeBase(args.base),
      "relative performance = return of the first symbol minus the other's, in percentage points",
      `daily return of a session = its close vs the previous session's close (the first session compares with the session before ${first.sessions.from}); a session counts for ${a.id} when its daily return is strictly greater than ${b.id}'s`,
      'current streak = consecutive winning sessions ending at the last session compared; longest streak = the longest run in the window (the earliest if tied)',
    ];
    if (kinds.has('etf') && kinds.has('index')) conventions.push('mixes index levels with ETF prices: ETF returns exclude dividends and include fund costs');
    const provenance = buildProvenance({
      series: allSeries,
      sessions: first.sessions,
      conventions,
      context,
      latestRequested: false,
      ...(stopped ? { notes: [stopped] } : {}),
    });

    const streakWords =
      outperformance.current.sessions > 0
        ? `a current streak of ${pluralize(outperformance.current.sessions, 'session')} (${outperformance.current.from} to ${outperformance.current.to})`
        : 'no current streak';
    const longestWords =
      outperformance.longest.sessions > 0
        ? `longest ${pluralize(outperformance.longest.sessions, 'session')} (${outperformance.longest.from} to ${outperformance.longest.to})`
        : 'no winning session';
    const returnsWords = allSeries
      .map((series, index) => `${series.instrument.name} (${series.instrument.yahooSymbol}) ${formatSignedPct(performances[index]!.returnPct)}`)
      .join(', ');

    return {
      symbols: allSeries.map((series) => series.instrument.id),
      performance: allSeries.map((series, index) => {
        const result = performances[index]!;
        return {
          symbol: series.instrument.id,
          name: series.instrument.name,
          kind: series.instrument.kind,
          base: { convention: result.base.convention, date: result.base.date, price: result.base.price },
          last: result.last,
          return_pct: roundTo(result.returnPct),
          point_change: roundTo(result.pointChange),
          daily_volatility_pct: result.dailyVolatilityPct === undefined ? null : roundTo(result.dailyVolatilityPct),
          sessions: result.sessions.count,
        };
      }),
      relative,
      daily: {
        a: a.id,
        b: b.id,
        sessions_compared: rows.length,
        sessions_a_beat_b: outperformance.wins,
        current_streak: outperformance.current,
        longest_streak: outperformance.longest,
      },
      provenance,
      summary: `From ${first.sessions.from} to ${first.sessions.to}: ${returnsWords}; ${a.id} ${relative[0]!.pp >= 0 ? 'ahead of' : 'behind'} ${b.id} by ${Math.abs(relative[0]!.pp).toFixed(2)} percentage points. ${a.id}'s daily return beat ${b.id}'s in ${outperformance.wins} of ${pluralize(rows.length, 'session')}, with ${streakWords}, ${longestWords}.${stopped ? ` ${stopped}` : ''}`,
    };
  },
});
