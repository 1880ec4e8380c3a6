import { describe, expect, it } from 'vitest';
import { readQuestionDates } from '../../server/retrieval/periods.ts';
import { PERIOD_PHRASES, PERIOD_TODAY } from '../fixtures/period-phrases.ts';

describe('calendar phrases read as the periods finance reporting means', () => {
  it.each(PERIOD_PHRASES)('"$phrase" is $from to $to', ({ phrase, from, to, label }) => {
    const period = readQuestionDates(`How did the Russell 2000 do ${phrase}?`, PERIOD_TODAY).period;
    expect(period).toMatchObject({ from, to: to > PERIOD_TODAY ? PERIOD_TODAY : to });
    if (label) expect(period?.label).toBe(label);
  });

  it('measures calendar spans from the close before they start, and the dates a user gives from the first session', () => {
    expect(readQuestionDates('the first half of 2026', PERIOD_TODAY).period?.named).toBe(true);
    expect(readQuestionDates('from December 1, 2025 to January 23, 2026', PERIOD_TODAY).period?.named).toBeUndefined();
    expect(readQuestionDates('since the end of 2025', PERIOD_TODAY).period?.startsAtClose).toBe(true);
  });

  it('reads "as of" a span\'s end, and a year-to-date that ends where the question says', () => {
    expect(readQuestionDates('the 52-week range as of the end of Q2 2026', PERIOD_TODAY).asOf).toBe('2026-06-30');
    expect(readQuestionDates('YTD at the end of June 2026', PERIOD_TODAY).period).toMatchObject({ from: '2026-01-01', to: '2026-06-30' });
  });

  it('leaves index names, windows and verbs alone', () => {
    for (const text of ['Russell 2000 vs S&P 500', 'the 20-day moving average', 'small caps may rally', 'the 52-week high', 'a 10-session streak']) {
      const dates = readQuestionDates(text, PERIOD_TODAY);
      expect(dates.period, text).toBeUndefined();
      expect(dates.dates, text).toEqual([]);
    }
  });
});
