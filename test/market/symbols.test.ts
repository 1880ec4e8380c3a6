import { describe, expect, it } from 'vitest';
import { resolveSymbol } from '../../server/market/symbols.ts';

describe('resolveSymbol', () => {
  it.each(['^RUT', 'RUT', 'rut', 'Russell 2000', 'russell 2000 index', '  Russell   2000 ', 'russell'])('resolves %j to the Russell 2000 index', (input) => {
    expect(resolveSymbol(input)).toMatchObject({ id: 'RUT', yahooSymbol: '^RUT', kind: 'index', unit: 'points' });
  });

  it.each([
    ['S&P 500', 'GSPC'],
    ['^GSPC', 'GSPC'],
    ['SPX', 'GSPC'],
    ['nasdaq composite', 'IXIC'],
    ['Dow Jones', 'DJI'],
    ['^VIX', 'VIX'],
  ])('resolves %j to %s', (input, id) => {
    expect(resolveSymbol(input).id).toBe(id);
  });

  it('keeps an ETF distinct from the index it tracks', () => {
    const fund = resolveSymbol('IWM');
    expect(fund).toMatchObject({ id: 'IWM', yahooSymbol: 'IWM', kind: 'etf', unit: 'USD' });
    expect(fund.id).not.toBe(resolveSymbol('Russell 2000').id);
    expect(resolveSymbol('spy')).toMatchObject({ id: 'SPY', kind: 'etf' });
    expect(resolveSymbol('IJS').basis).toMatch(/dividend-adjusted/);
  });

  it('passes an unknown ticker through for a local file or the live provider', () => {
    expect(resolveSymbol('aapl')).toEqual({ id: 'AAPL', yahooSymbol: 'AAPL', name: 'AAPL', kind: 'other', unit: 'USD', basis: 'quoted price' });
    expect(resolveSymbol('^ftse')).toMatchObject({ id: 'FTSE', yahooSymbol: '^FTSE', kind: 'index' });
  });

  it('rejects free text that names no series, listing the known ones', () => {
    expect(() => resolveSymbol('small caps')).toThrow(/Unknown symbol "small caps".*RUT \(Russell 2000, index\)/);
    expect(() => resolveSymbol('')).toThrow(/Unknown symbol/);
  });
});
