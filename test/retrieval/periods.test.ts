import { describe, expect, it } from 'vitest';
import { createPeriodParser, hasChineseScript } from '../../server/retrieval/finance-periods.ts';
import { findDates, readQuestionDates } from '../../server/retrieval/periods.ts';

const today = '2026-11-21';

describe('reading dates out of questions', () => {
  it('resolves a year-less date to its latest occurrence on or before today', () => {
    expect(findDates('What did it close at on January 21?', today).map((d) => d.date)).toEqual(['2026-01-21']);
    expect(findDates('on December 24', '2026-03-01').map((d) => d.date)).toEqual(['2025-12-24']);
  });

  it('reads a range with years on both ends, and gives a year-less start the year before when needed', () => {
    const full = readQuestionDates('How much did the Russell 2000 gain from December 1, 2025 to January 23, 2026?', today);
    expect(full.period).toMatchObject({ from: '2025-12-01', to: '2026-01-23' });
    const short = readQuestionDates('from December 1 through January 23, 2026', today);
    expect(short.period).toMatchObject({ from: '2025-12-01', to: '2026-01-23' });
  });

  it('reads "as of", single days, ISO and Chinese dates', () => {
    expect(readQuestionDates('What was the 20-day average as of January 23, 2026?', today).asOf).toBe('2026-01-23');
    expect(readQuestionDates('close on 2026-01-21', today).asOf).toBe('2026-01-21');
    expect(readQuestionDates('罗素2000在2026年1月21日收盘多少?', today).asOf).toBe('2026-01-21');
    expect(readQuestionDates('1月21日收盘', today).asOf).toBe('2026-01-21');
  });

  it('reads named periods: YTD, early/mid/late year, quarters, months and whole years', () => {
    expect(readQuestionDates('Russell 2000 YTD as of January 23, 2026', today).period).toMatchObject({ from: '2026-01-01', to: '2026-01-23' });
    expect(readQuestionDates('year-to-date return', today).period).toMatchObject({ from: '2026-01-01', to: today });
    expect(readQuestionDates('small caps in early 2026', today).period).toMatchObject({ from: '2026-01-01', to: '2026-04-30' });
    expect(readQuestionDates('Q1 2026 returns', today).period).toMatchObject({ from: '2026-01-01', to: '2026-03-31' });
    expect(readQuestionDates('in January 2026', today).period).toMatchObject({ from: '2026-01-01', to: '2026-01-31' });
    expect(readQuestionDates('How did the Nasdaq do in 2025?', today).period).toMatchObject({ from: '2025-01-01', to: '2025-12-31' });
  });

  it('never lets a period end after today and ignores impossible dates', () => {
    expect(readQuestionDates('in 2026', '2026-08-21').period).toMatchObject({ from: '2026-01-01', to: '2026-08-21' });
    expect(findDates('February 30, 2026', today)).toEqual([]);
  });
});

describe('which parsers read a text', () => {
  it('tells texts with Chinese characters or full-width forms from the rest', () => {
    expect(hasChineseScript('2026年1月21日')).toBe(true);
    expect(hasChineseScript('Revenue 10：30')).toBe(true);
    expect(hasChineseScript('Note 3: Balance Sheet Components (2017/18: £1.1m) — “record” €')).toBe(false);
  });

  it('reads no time of day out of note numbers and fiscal-year labels in English, and still reads Chinese times', () => {
    // chrono's Chinese time pattern takes "3:" for 03:00; English text no longer goes through it.
    const instant = { instant: new Date('2026-11-21T12:00:00Z'), timezone: 0 };
    expect(createPeriodParser({ chinese: false }).parse('Note 3: Balance Sheet Components (2017/18: 19.0%)', instant)).toEqual([]);
    expect(createPeriodParser().parse('Note 3: Balance Sheet Components (2017/18: 19.0%)', instant).length).toBeGreaterThan(0);
    expect(findDates('2026年1月21日下午3点收盘价', '2026-11-21').map((mention) => mention.date)).toContain('2026-01-21');
    expect(readQuestionDates('What does Note 3: say about revenue in 2019?', '2026-11-21').period).toMatchObject({ from: '2019-01-01', to: '2019-12-31' });
  });
});
