import { AppError } from '../../lib/errors.ts';
import type { PriceBar } from './types.ts';

/** Which session a non-trading date stands for: the last one before it or the first one after. */
export type SessionDirection = 'on_or_before' | 'on_or_after';

export interface ResolvedSession {
  index: number;
  date: string;
  /** True when the requested date was not itself a session (weekend, holiday). */
  shifted: boolean;
}

/**
 * Resolves a calendar date to a session of `bars` (ascending). A date past either end counts as
 * inside the data only when nothing but a weekend separates it from the end session (Saturday
 * after a Friday close, or New Year's Day before the first session): beyond that, the data cannot say whether sessions are missing, so it is
 * an error naming the range available.
 */
export function resolveSession(bars: PriceBar[], date: string, direction: SessionDirection, label = 'the series'): ResolvedSession {
  if (bars.length === 0) throw new AppError('bad_request', `No sessions in ${label}.`);
  const first = bars[0]!.date;
  const last = bars[bars.length - 1]!.date;
  const outside = () => new AppError('bad_request', `${date} is outside the data for ${label}, which covers ${first} to ${last}.`);
  if (!isWithinData(bars, date)) throw outside();

  const position = lowerBound(bars, date);
  if (position < bars.length && bars[position]!.date === date) return { index: position, date, shifted: false };
  const index = direction === 'on_or_before' ? position - 1 : position;
  if (index < 0 || index >= bars.length) throw outside();
  return { index, date: bars[index]!.date, shifted: true };
}

/** The sessions from `from` (on or after) to `to` (on or before), inclusive, as indices into `bars`. */
export function resolveSessionRange(bars: PriceBar[], from: string, to: string, label = 'the series'): { start: ResolvedSession; end: ResolvedSession } {
  if (from > to) throw new AppError('bad_request', `from (${from}) is after to (${to}).`);
  const start = resolveSession(bars, from, 'on_or_after', label);
  const end = resolveSession(bars, to, 'on_or_before', label);
  if (start.index > end.index) {
    throw new AppError('bad_request', `No sessions between ${from} and ${to} in ${label}.`);
  }
  return { start, end };
}

/**
 * Whether `date` falls inside the data by the same rule `resolveSession` applies, so a caller can
 * tell ahead of time whether a request needs data the series does not have.
 */
export function isWithinData(bars: PriceBar[], date: string): boolean {
  if (bars.length === 0) return false;
  return isWithinRange({ from: bars[0]!.date, to: bars[bars.length - 1]!.date }, date);
}

/** isWithinData for a series known only by its first and last session. */
export function isWithinRange(range: { from: string; to: string }, date: string): boolean {
  if (date > range.to) return allSurelyClosed(addDays(range.to, 1), date);
  if (date < range.from) return allSurelyClosed(date, addDays(range.from, -1));
  return true;
}

/** Shifts a YYYY-MM-DD date by whole days (UTC arithmetic, so no daylight-saving surprises). */
export function addDays(date: string, days: number): string {
  const time = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(time).toISOString().slice(0, 10);
}

/** The same calendar day `years` earlier or later; 29 February maps to 28 February. */
export function addYears(date: string, years: number): string {
  const year = Number(date.slice(0, 4)) + years;
  const monthDay = date.slice(5) === '02-29' ? '02-28' : date.slice(5);
  return `${String(year).padStart(4, '0')}-${monthDay}`;
}

/** True when no day from `first` to `last` (inclusive) can be a session. */
function allSurelyClosed(first: string, last: string): boolean {
  for (let day = first; day <= last; day = addDays(day, 1)) {
    if (!isSurelyClosed(day)) return false;
  }
  return true;
}

// Weekends and the NYSE's fixed-date holidays (Juneteenth since 2022); moving holidays and
// observed days are left out, so a gap that holds one still counts as possibly missing data.
function isSurelyClosed(date: string): boolean {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  if (weekday === 0 || weekday === 6) return true;
  const monthDay = date.slice(5);
  return monthDay === '01-01' || monthDay === '07-04' || monthDay === '12-25' || (monthDay === '06-19' && date >= '2022');
}

function lowerBound(bars: PriceBar[], date: string): number {
  let low = 0;
  let high = bars.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (bars[middle]!.date < date) low = middle + 1;
    else high = middle;
  }
  return low;
}
