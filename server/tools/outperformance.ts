import type { PriceBar } from '../market/types.ts';
import { findStreaks } from './metrics.ts';

export interface DailyComparison {
  date: string;
  /** Close-to-close returns (fractions) of A and B for this session. */
  aReturn: number;
  bReturn: number;
  aBeat: boolean;
}

/**
 * Each session from `from` to `to` (inclusive) that both series hold, with A's and B's daily
 * return, close vs the previous session both hold (so the first session compares against the
 * session before `from`). A session counts as a win only when A's return is strictly greater.
 */
export function compareDailyReturns(a: PriceBar[], b: PriceBar[], from: string, to: string): DailyComparison[] {
  const bByDate = new Map(b.map((bar) => [bar.date, bar]));
  const rows: DailyComparison[] = [];
  let previous: { a: PriceBar; b: PriceBar } | undefined;
  for (const aBar of a) {
    if (aBar.date > to) break;
    const bBar = bByDate.get(aBar.date);
    if (!bBar) continue;
    if (previous && aBar.date >= from) {
      const aReturn = aBar.close / previous.a.close - 1;
      const bReturn = bBar.close / previous.b.close - 1;
      rows.push({ date: aBar.date, aReturn, bReturn, aBeat: aReturn > bReturn });
    }
    previous = { a: aBar, b: bBar };
  }
  return rows;
}

export interface StreakSpan {
  sessions: number;
  from: string | null;
  to: string | null;
}

/** Wins, the streak running at the last session, and the longest streak, with their dates. */
export function summarizeOutperformance(rows: DailyComparison[]): { wins: number; current: StreakSpan; longest: StreakSpan } {
  const { current, longest } = findStreaks(rows.map((row) => row.aBeat));
  const span = (streak: { length: number; start: number; end: number }): StreakSpan =>
    streak.length === 0 ? { sessions: 0, from: null, to: null } : { sessions: streak.length, from: rows[streak.start]!.date, to: rows[streak.end]!.date };
  return { wins: rows.filter((row) => row.aBeat).length, current: span(current), longest: span(longest) };
}
