import { describe, expect, it } from 'vitest';
import { addDays, addYears, isWithinData, resolveSession, resolveSessionRange } from '../../server/market/sessions.ts';
import type { PriceBar } from '../../server/market/types.ts';

// Thursday 2026-01-15 to Thursday 2026-01-22; Monday 2026-01-19 is a holiday (MLK Day).
const bars: PriceBar[] = ['2026-01-15', '2026-01-16', '2026-01-20', '2026-01-21', '2026-01-22'].map((date, index) => ({ date, close: 100 + index }));

describe('resolveSession', () => {
  it('returns a trading day as itself', () => {
    expect(resolveSession(bars, '2026-01-20', 'on_or_before')).toEqual({ index: 2, date: '2026-01-20', shifted: false });
  });

  it('moves a weekend or holiday to the nearest session in the stated direction', () => {
    expect(resolveSession(bars, '2026-01-17', 'on_or_before')).toEqual({ index: 1, date: '2026-01-16', shifted: true });
    expect(resolveSession(bars, '2026-01-17', 'on_or_after')).toEqual({ index: 2, date: '2026-01-20', shifted: true });
    expect(resolveSession(bars, '2026-01-19', 'on_or_after').date).toBe('2026-01-20');
    expect(resolveSession(bars, '2026-01-19', 'on_or_before').date).toBe('2026-01-16');
  });

  it('rejects a date outside the data, naming the range available', () => {
    expect(() => resolveSession(bars, '2026-02-10', 'on_or_before', 'RUT')).toThrow(
      '2026-02-10 is outside the data for RUT, which covers 2026-01-15 to 2026-01-22.',
    );
    expect(() => resolveSession(bars, '2025-12-01', 'on_or_after')).toThrow(/covers 2026-01-15 to 2026-01-22/);
  });

  it('accepts a date just past the end when only a weekend separates it', () => {
    const friday: PriceBar[] = [{ date: '2026-01-23', close: 1 }];
    expect(resolveSession(friday, '2026-01-25', 'on_or_before')).toEqual({ index: 0, date: '2026-01-23', shifted: true });
    expect(isWithinData(friday, '2026-01-26')).toBe(false);
    expect(() => resolveSession(friday, '2026-01-25', 'on_or_after')).toThrow(/outside the data/);
  });

  it("accepts New Year's Day before a file that starts on the first session of the year", () => {
    const firstOfYear: PriceBar[] = [{ date: '2018-01-02', close: 1 }];
    expect(resolveSession(firstOfYear, '2018-01-01', 'on_or_after').date).toBe('2018-01-02');
    expect(() => resolveSession(firstOfYear, '2017-12-29', 'on_or_after')).toThrow(/outside the data/);
  });
});

describe('resolveSessionRange', () => {
  it('spans the sessions inside the dates', () => {
    const { start, end } = resolveSessionRange(bars, '2026-01-17', '2026-01-21');
    expect([start.date, end.date]).toEqual(['2026-01-20', '2026-01-21']);
  });

  it('rejects from after to and a range with no session', () => {
    expect(() => resolveSessionRange(bars, '2026-01-21', '2026-01-20')).toThrow('from (2026-01-21) is after to (2026-01-20).');
    expect(() => resolveSessionRange(bars, '2026-01-17', '2026-01-19')).toThrow(/No sessions between 2026-01-17 and 2026-01-19/);
  });
});

describe('date arithmetic', () => {
  it('adds days and years across month ends and leap days', () => {
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addYears('2026-01-23', -1)).toBe('2025-01-23');
    expect(addYears('2024-02-29', -1)).toBe('2023-02-28');
  });
});
