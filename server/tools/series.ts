import { z } from 'zod';
import { AppError } from '../../lib/errors.ts';
import { addDays, isWithinData, resolveSession, type ResolvedSession } from '../market/sessions.ts';
import type { DateRange, PriceSeries } from '../market/types.ts';
import type { Provenance, SeriesProvenance, ToolContext } from './types.ts';

/** Argument schemas shared by the tools, so every tool words the same mistake the same way. */
export const SymbolArgSchema = z
  .string()
  .trim()
  .min(1, 'symbol is empty')
  .max(60)
  .describe('A ticker or index name: "^RUT", "RUT", "Russell 2000", "S&P 500", "IWM", "SPY".');
// A plain pattern rather than z.iso.date(): its JSON Schema regex is a screenful an LLM reads for nothing.
export const DateArgSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine((value) => isCalendarDate(value), 'not a calendar date');

/** Days after which a "latest" answer says how old its data is. */
const STALE_NOTE_AFTER_DAYS = 7;

export function loadSeries(context: ToolContext, symbol: string, range: DateRange): Promise<PriceSeries> {
  return context.prices.getSeries(symbol, range, context.signal);
}

/**
 * A calendar date early enough to hold `sessions` sessions before `date`: about 252 sessions a
 * year, plus slack for holidays, so a live fetch brings the history a window needs.
 */
export function lookbackStart(date: string, sessions: number): string {
  return addDays(date, -Math.ceil(sessions * 1.45) - 10);
}

/**
 * The range a tool asks the price store for when it needs `sessions` sessions up to `asOf` (or
 * up to the latest session): it only steers what a live fetch brings; local files are whole.
 */
export function rangeEndingAt(asOf: string | undefined, context: ToolContext, sessions: number): DateRange {
  const anchor = asOf ?? context.today;
  return {
    ...(anchor ? { from: lookbackStart(anchor, sessions) } : {}),
    ...(asOf ? { to: asOf } : {}),
  };
}

/** A resolved end session, with the note to show when the request ran past the data. */
export interface ResolvedEnd {
  index: number;
  note?: string;
}

/**
 * The last session on or before `asOf`, or the series' last session when `asOf` is absent. A date
 * past the end of the data ("year to date" asked after the file's last session) stops at the last
 * session, and the note says which one, so the answer cannot pass it off as today's figure.
 */
export function resolveEnd(series: PriceSeries, asOf: string | undefined): ResolvedEnd {
  const lastIndex = series.bars.length - 1;
  if (asOf === undefined) return { index: lastIndex };
  const last = series.bars[lastIndex]!.date;
  if (asOf > last && !isWithinData(series.bars, asOf)) {
    return { index: lastIndex, note: `The ${series.instrument.name} data end at the session of ${last}, before ${asOf}: the figures stop at that session.` };
  }
  return { index: resolveSession(series.bars, asOf, 'on_or_before', seriesLabel(series)).index };
}

/**
 * The sessions from `from` (on or after) to `to` (on or before). A window that starts inside the
 * data but runs past its end stops at the last session, with a note (see resolveEnd); one that
 * starts outside the data is an error naming the range available.
 */
export function resolveWindow(series: PriceSeries, from: string, to: string): { start: ResolvedSession; end: ResolvedSession; note?: string } {
  if (from > to) throw new AppError('bad_request', `from (${from}) is after to (${to}).`);
  const label = seriesLabel(series);
  const start = resolveSession(series.bars, from, 'on_or_after', label);
  const end = resolveEnd(series, to);
  if (start.index > end.index) throw new AppError('bad_request', `No sessions between ${from} and ${to} in ${label}.`);
  const date = series.bars[end.index]!.date;
  return { start, end: { index: end.index, date, shifted: date !== to }, ...(end.note ? { note: end.note } : {}) };
}

export function seriesLabel(series: PriceSeries): string {
  return `${series.instrument.id} (${series.origin})`;
}

export function describeSeriesProvenance(series: PriceSeries): SeriesProvenance {
  return {
    ...series.instrument,
    source: series.source,
    origin: series.origin,
    available: { from: series.bars[0]!.date, to: series.bars[series.bars.length - 1]!.date },
  };
}

/**
 * The provenance block shared by the price tools. When no `asOf` was given and the series ends
 * well before today, the note says so: "latest" from an old file must not read as today's price.
 */
export function buildProvenance(options: {
  series: PriceSeries[];
  sessions: { from: string; to: string; count: number };
  conventions: string[];
  context: ToolContext;
  latestRequested: boolean;
  /** Notes of the tool's own, such as a window that stopped at the end of the data. */
  notes?: string[];
}): Provenance {
  const notes = [...options.series.flatMap((series) => (series.note ? [series.note] : [])), ...(options.notes ?? [])];
  if (options.latestRequested && options.context.today) {
    const today = options.context.today;
    for (const series of options.series) {
      const last = series.bars[series.bars.length - 1]!.date;
      if (last < addDays(today, -STALE_NOTE_AFTER_DAYS)) {
        notes.push(`${series.instrument.id} data ends ${last}, before today (${today}); "latest" means ${last}.`);
      }
    }
  }
  return {
    series: options.series.map(describeSeriesProvenance),
    sessions: options.sessions,
    conventions: options.conventions,
    source: options.series.some((series) => series.source === 'live') ? 'live' : 'local',
    ...(notes.length > 0 ? { note: notes.join(' ') } : {}),
  };
}

function isCalendarDate(value: string): boolean {
  const time = Date.parse(`${value}T00:00:00Z`);
  return Number.isFinite(time) && new Date(time).toISOString().slice(0, 10) === value;
}
