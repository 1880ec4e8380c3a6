import { describe, expect, it } from 'vitest';
import { parsePriceCsv } from '../../server/market/csv.ts';

describe('parsePriceCsv', () => {
  it('reads full OHLCV rows as numbers', () => {
    const bars = parsePriceCsv('date,open,high,low,close,volume\n2026-01-22,6914.44,6934.75,6893.62,6913.35,5307580000\n');
    expect(bars).toEqual([{ date: '2026-01-22', open: 6914.44, high: 6934.75, low: 6893.62, close: 6913.35, volume: 5307580000 }]);
  });

  it('accepts files with only some columns, in any order, and ignores unknown ones', () => {
    expect(parsePriceCsv('close,date\n114.0216,2026-01-02\n115.6223,2026-01-05')).toEqual([
      { date: '2026-01-02', close: 114.0216 },
      { date: '2026-01-05', close: 115.6223 },
    ]);
    expect(parsePriceCsv('Date,Open,Close,Adj Close\r\n2026-01-02,1,2,3\r\n')).toEqual([{ date: '2026-01-02', open: 1, close: 2 }]);
  });

  it('treats an empty cell as a value the source did not publish', () => {
    expect(parsePriceCsv('date,open,high,low,close,volume\n2023-05-24,10,11,9,10.5,\n')).toEqual([
      { date: '2023-05-24', open: 10, high: 11, low: 9, close: 10.5 },
    ]);
  });

  it('rejects a header without date or close', () => {
    expect(() => parsePriceCsv('date,open\n2026-01-02,1')).toThrow(/no "close" column/);
    expect(() => parsePriceCsv('')).toThrow(/empty file/);
  });

  it('names the line of a malformed row', () => {
    expect(() => parsePriceCsv('date,close\n2026-01-02,1\n2026-01-05,abc', 'prices/X.csv')).toThrow(/prices\/X\.csv line 3: close "abc" is not a number/);
    expect(() => parsePriceCsv('date,close\n2026-02-30,1')).toThrow(/line 2: date/);
    expect(() => parsePriceCsv('date,close\n2026-01-02,')).toThrow(/line 2: close/);
    expect(() => parsePriceCsv('date,close\n2026-01-02,-5')).toThrow(/line 2: close/);
  });

  it('rejects dates that are not strictly ascending', () => {
    expect(() => parsePriceCsv('date,close\n2026-01-05,1\n2026-01-02,2')).toThrow(/line 3: date 2026-01-02 does not come after 2026-01-05/);
    expect(() => parsePriceCsv('date,close\n2026-01-05,1\n2026-01-05,2')).toThrow(/strictly ascending/);
  });

  it('rejects a file with a header and no rows', () => {
    expect(() => parsePriceCsv('date,close\n\n')).toThrow(/no price rows/);
  });
});
