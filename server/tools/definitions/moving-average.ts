import { z } from 'zod';
import { AppError } from '../../../lib/errors.ts';
import { describeInstrument, formatPrice } from '../format.ts';
import { exponentialMovingAverage, percentChange, roundTo, simpleMovingAverage } from '../metrics.ts';
import { buildProvenance, DateArgSchema, loadSeries, rangeEndingAt, resolveEnd, SymbolArgSchema } from '../series.ts';
import { defineTool } from '../types.ts';

export const MAX_WINDOW = 1000;
/** An EMA runs over this many windows of history, so its SMA seed weighs (1 − α)^(4·window) ≈ e^-8. */
const EMA_HISTORY_WINDOWS = 5;

export const MovingAverageArgsSchema = z.object({
  symbol: SymbolArgSchema,
  window: z
    .number()
    .int('window must be a whole number of sessions')
    .min(1, 'window must be at least 1 session')
    .max(MAX_WINDOW, `window must be at most ${MAX_WINDOW} sessions`)
    .describe('Number of sessions, e.g. 20, 50, 200.'),
  asOf: DateArgSchema.optional().describe('Use only sessions on or before this date (YYYY-MM-DD); default: the latest session.'),
  kind: z.enum(['sma', 'ema']).default('sma').describe('"sma" (default, simple average of closes) or "ema" (exponential).'),
});

/*
 * Seed figure: RUT 20-day average 2,601.57 "as of January 25, 2026" (a Sunday) reproduces as the
 * SMA of the 20 closes 2025-12-24 … 2026-01-23 = 2,601.576 (2,601.58 rounded; the article cut the
 * last digit). The close 2,669.16 is 2.60% above it, the article's "approximately 2.6%".
 */
export const movingAverageTool = defineTool({
  name: 'moving_average',
  description: 'Simple or exponential moving average of daily closes over a window of sessions, as of a date, and how far the close is above or below it.',
  schema: MovingAverageArgsSchema,
  async run(args, context) {
    const historySessions = args.kind === 'ema' ? args.window * EMA_HISTORY_WINDOWS : args.window;
    const series = await loadSeries(context, args.symbol, rangeEndingAt(args.asOf, context, historySessions));
    const { index: end, note } = resolveEnd(series, args.asOf);
    const available = end + 1;
    if (available < args.window) {
      throw new AppError(
        'bad_request',
        `A ${args.window}-session average needs ${args.window} sessions; ${series.instrument.id} has only ${available} up to ${series.bars[end]!.date} (data starts ${series.bars[0]!.date}).`,
      );
    }
    const used = series.bars.slice(Math.max(0, available - historySessions), available);
    const closes = used.map((bar) => bar.close);
    const value = args.kind === 'sma' ? simpleMovingAverage(closes, args.window) : exponentialMovingAverage(closes, args.window);
    const windowBars = args.kind === 'sma' ? used.slice(used.length - args.window) : used;
    const last = used[used.length - 1]!;
    const distance = percentChange(value, last.close);
    const kindWords = args.kind === 'sma' ? 'simple' : 'exponential';
    const instrument = series.instrument;
    return {
      symbol: instrument.id,
      name: instrument.name,
      kind: args.kind,
      window: args.window,
      as_of: last.date,
      value: roundTo(value),
      close: last.close,
      distance_pct: roundTo(distance),
      sessions_used: { from: windowBars[0]!.date, to: last.date, count: windowBars.length },
      provenance: buildProvenance({
        series: [series],
        sessions: { from: windowBars[0]!.date, to: last.date, count: windowBars.length },
        conventions: [
          args.kind === 'sma'
            ? `simple average of the last ${args.window} daily closes up to and including ${last.date}`
            : `exponential average of daily closes, α = 2/(${args.window}+1), seeded with the simple average of the first ${args.window} of ${windowBars.length} closes`,
          'distance = close / average − 1, in %',
        ],
        context,
        latestRequested: args.asOf === undefined,
        ...(note ? { notes: [note] } : {}),
      }),
      summary: `${describeInstrument(instrument)}: ${args.window}-session ${kindWords} moving average of closes as of ${last.date} is ${formatPrice(value, instrument)}; the close of ${formatPrice(last.close, instrument)} is ${Math.abs(roundTo(distance)).toFixed(2)}% ${distance >= 0 ? 'above' : 'below'} it.${note ? ` ${note}` : ''}`,
    };
  },
});
