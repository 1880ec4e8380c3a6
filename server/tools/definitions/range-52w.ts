import { z } from 'zod';
import { addYears } from '../../market/sessions.ts';
import { describeInstrument, formatPrice } from '../format.ts';
import { percentChange, positionInRange, roundTo } from '../metrics.ts';
import { buildProvenance, DateArgSchema, loadSeries, rangeEndingAt, resolveEnd, SymbolArgSchema } from '../series.ts';
import { defineTool } from '../types.ts';
import { findExtreme } from '../window-performance.ts';

export const Range52wArgsSchema = z.object({
  symbol: SymbolArgSchema,
  asOf: DateArgSchema.optional().describe('Use only sessions on or before this date (YYYY-MM-DD); default: the latest session.'),
});

/*
 * Seed figure: the 52-week range 1,732.99 to 2,735.10 reproduces for RUT as of 2026-01-23 (or the
 * article's 2026-01-25) as the intraday low of 2025-04-09 and the intraday high of 2026-01-22.
 */
export const range52wTool = defineTool({
  name: 'range_52w',
  description: '52-week high and low of an index or fund, by close and intraday, with their dates, and where the last close sits in that range.',
  schema: Range52wArgsSchema,
  async run(args, context) {
    const series = await loadSeries(context, args.symbol, rangeEndingAt(args.asOf, context, 260));
    const { index: end, note } = resolveEnd(series, args.asOf);
    const last = series.bars[end]!;
    const windowStart = addYears(last.date, -1);
    const window = series.bars.slice(0, end + 1).filter((bar) => bar.date > windowStart);
    const highClose = findExtreme(window, (bar) => bar.close, 'max')!;
    const lowClose = findExtreme(window, (bar) => bar.close, 'min')!;
    const highIntraday = findExtreme(window, (bar) => bar.high, 'max');
    const lowIntraday = findExtreme(window, (bar) => bar.low, 'min');
    const high = highIntraday ?? highClose;
    const low = lowIntraday ?? lowClose;
    const rangeBasis = highIntraday && lowIntraday ? 'intraday' : 'close';
    const position = positionInRange(last.close, low.price, high.price);
    const instrument = series.instrument;
    const shortHistory = series.bars[0]!.date > windowStart;

    const provenance = buildProvenance({
      series: [series],
      sessions: { from: window[0]!.date, to: last.date, count: window.length },
      conventions: [
        `52 weeks = the sessions after ${windowStart} (same day one year earlier) through ${last.date}`,
        `position in range uses the ${rangeBasis} high and low: 0% = at the low, 100% = at the high`,
      ],
      context,
      latestRequested: args.asOf === undefined,
      ...(note ? { notes: [note] } : {}),
    });
    if (shortHistory) {
      const shortNote = `The data starts ${series.bars[0]!.date}, so this range covers less than 52 weeks.`;
      provenance.note = provenance.note ? `${provenance.note} ${shortNote}` : shortNote;
    }

    return {
      symbol: instrument.id,
      name: instrument.name,
      as_of: last.date,
      last_close: last.close,
      high_close: highClose,
      low_close: lowClose,
      ...(highIntraday ? { high_intraday: highIntraday } : {}),
      ...(lowIntraday ? { low_intraday: lowIntraday } : {}),
      range_basis: rangeBasis,
      position_pct: roundTo(position),
      below_high_pct: roundTo(-percentChange(high.price, last.close)),
      above_low_pct: roundTo(percentChange(low.price, last.close)),
      provenance,
      summary: `${describeInstrument(instrument)}: 52-week range (${rangeBasis}) ${formatPrice(low.price, instrument)} on ${low.date} to ${formatPrice(high.price, instrument)} on ${high.date}, as of ${last.date}; the close of ${formatPrice(last.close, instrument)} sits at ${roundTo(position).toFixed(2)}% of that range.${note ? ` ${note}` : ''}`,
    };
  },
});
