import { z } from 'zod';
import { AppError } from '../../../lib/errors.ts';
import { describeInstrument, formatPrice, pluralize } from '../format.ts';
import { buildProvenance, DateArgSchema, loadSeries, resolveWindow, SymbolArgSchema } from '../series.ts';
import { defineTool } from '../types.ts';

/** Keeps a result small enough to hand to an LLM; longer spans belong to the metric tools. */
export const MAX_HISTORY_SESSIONS = 500;

export const PriceHistoryArgsSchema = z
  .object({
    symbol: SymbolArgSchema,
    from: DateArgSchema.describe('First day, YYYY-MM-DD (a non-trading day moves to the next session).'),
    to: DateArgSchema.describe('Last day, YYYY-MM-DD (a non-trading day moves to the previous session).'),
  })
  .refine((args) => args.from <= args.to, { message: 'from is after to', path: ['from'] });

export const priceHistoryTool = defineTool({
  name: 'price_history',
  description: `Daily sessions (date, open, high, low, close, volume where published) of an index or fund between two dates, at most ${MAX_HISTORY_SESSIONS} sessions.`,
  schema: PriceHistoryArgsSchema,
  async run(args, context) {
    const series = await loadSeries(context, args.symbol, { from: args.from, to: args.to });
    const { start, end, note } = resolveWindow(series, args.from, args.to);
    const count = end.index - start.index + 1;
    if (count > MAX_HISTORY_SESSIONS) {
      throw new AppError(
        'bad_request',
        `${args.from} to ${args.to} spans ${count} sessions; price_history returns at most ${MAX_HISTORY_SESSIONS}. Narrow the dates or use performance/range_52w.`,
      );
    }
    const sessions = series.bars.slice(start.index, end.index + 1);
    const first = sessions[0]!;
    const last = sessions[sessions.length - 1]!;
    const columns = ['date', 'open', 'high', 'low', 'close', 'volume'].filter((column) => sessions.some((bar) => column in bar));
    return {
      symbol: series.instrument.id,
      name: series.instrument.name,
      columns,
      sessions,
      provenance: buildProvenance({
        series: [series],
        sessions: { from: first.date, to: last.date, count },
        conventions: ['daily bars as published by the source; dates are exchange session dates'],
        context,
        latestRequested: false,
        ...(note ? { notes: [note] } : {}),
      }),
      summary: `${describeInstrument(series.instrument)}: ${pluralize(count, 'session')} from ${first.date} to ${last.date}; first close ${formatPrice(first.close, series.instrument)}, last close ${formatPrice(last.close, series.instrument)}.${note ? ` ${note}` : ''}`,
    };
  },
});
