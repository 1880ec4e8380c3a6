import { describe, expect, it } from 'vitest';
import { createToolRegistry } from '../../server/tools/registry.ts';
import { createLocalContext } from './helpers.ts';

const registry = createToolRegistry();
const context = createLocalContext();
const run = (name: string, args: unknown) => registry.run(name, args, context);

describe('tool registry', () => {
  it('lists the tools with object JSON Schemas whose defaulted arguments are optional', () => {
    const tools = registry.list();
    expect(tools.map((tool) => tool.name)).toEqual([
      'price_history',
      'performance',
      'moving_average',
      'range_52w',
      'compare',
      'ytd',
      'valuation_gap',
      'calculator',
      'compute',
      'find_cells',
    ]);
    const performance = tools.find((tool) => tool.name === 'performance')!;
    expect(performance.parameters).toMatchObject({ type: 'object', required: ['symbol', 'from', 'to'] });
    expect(performance.parameters).not.toHaveProperty('$schema');
    expect((performance.parameters.properties as Record<string, unknown>).base).toMatchObject({
      enum: ['prior_close', 'open', 'close'],
      default: 'prior_close',
    });
    for (const tool of tools) expect(tool.description.length).toBeGreaterThan(40);
  });

  it('answers an unknown tool with not_found and bad arguments with bad_request naming the field', async () => {
    await expect(run('nope', {})).rejects.toMatchObject({ code: 'not_found', message: expect.stringMatching(/Unknown tool "nope"/) });
    await expect(run('performance', { symbol: 'RUT', from: '26-01-01', to: '2026-01-23' })).rejects.toMatchObject({
      code: 'bad_request',
      message: expect.stringMatching(/from: expected a date as YYYY-MM-DD/),
    });
    await expect(run('performance', { symbol: 'RUT', from: '2026-02-30', to: '2026-03-23' })).rejects.toMatchObject({
      message: expect.stringMatching(/from: not a calendar date/),
    });
    await expect(run('performance', { symbol: 'RUT', from: '2026-01-23', to: '2025-12-01' })).rejects.toMatchObject({
      code: 'bad_request',
      message: expect.stringMatching(/from: from is after to/),
    });
    await expect(run('moving_average', { symbol: 'RUT', window: 0 })).rejects.toMatchObject({
      message: expect.stringMatching(/window: window must be at least 1/),
    });
    await expect(run('moving_average', { symbol: 'RUT', window: 10000 })).rejects.toMatchObject({
      message: expect.stringMatching(/window: window must be at most 1000/),
    });
    await expect(run('moving_average', { symbol: 'RUT', window: 2.5 })).rejects.toMatchObject({ message: expect.stringMatching(/whole number/) });
    await expect(run('performance', { symbol: 'small caps', from: '2025-12-01', to: '2026-01-23' })).rejects.toMatchObject({
      code: 'bad_request',
      message: expect.stringMatching(/Unknown symbol "small caps"/),
    });
    await expect(run('performance', null)).rejects.toMatchObject({ code: 'bad_request' });
  });
});

describe('price_history', () => {
  it('returns the sessions between two dates with the columns the file has', async () => {
    const result = await run('price_history', { symbol: 'Russell 2000', from: '2026-01-17', to: '2026-01-21' });
    expect(result.sessions).toEqual([
      { date: '2026-01-20', open: 2636.84, high: 2670.32, low: 2632.36, close: 2645.36 },
      { date: '2026-01-21', open: 2662.12, high: 2703.75, low: 2651.47, close: 2698.17 },
    ]);
    expect(result.columns).toEqual(['date', 'open', 'high', 'low', 'close']);
    expect(result.provenance).toMatchObject({ source: 'local', sessions: { from: '2026-01-20', to: '2026-01-21', count: 2 } });
    expect(result.provenance.series![0]).toMatchObject({ id: 'RUT', origin: 'prices/RUT.csv', available: { from: '2018-01-02', to: '2026-08-21' } });
    expect(result.summary).toBe('Russell 2000 (^RUT, index level): 2 sessions from 2026-01-20 to 2026-01-21; first close 2,645.36, last close 2,698.17.');
  });

  it('refuses more than 500 sessions and dates outside the file', async () => {
    await expect(run('price_history', { symbol: 'SPY', from: '2018-01-01', to: '2026-01-01' })).rejects.toMatchObject({
      code: 'bad_request',
      message: expect.stringMatching(/spans \d+ sessions; price_history returns at most 500/),
    });
    await expect(run('price_history', { symbol: 'DJI', from: '2026-03-01', to: '2026-03-10' })).rejects.toMatchObject({
      code: 'bad_request',
      message: expect.stringMatching(/covers 2018-01-02 to 2026-02-23/),
    });
  });
});

describe('performance', () => {
  it('defaults to the prior close and sample volatility, and says so', async () => {
    const result = await run('performance', { symbol: '^RUT', from: '2025-12-01', to: '2026-01-23' });
    expect(result).toMatchObject({
      base: { convention: 'prior_close', date: '2025-11-28', price: 2500.43 },
      last: { date: '2026-01-23', price: 2669.16 },
      return_pct: 6.75,
      point_change: 168.73,
      daily_returns_used: 37,
      sessions: 37,
      max_drawdown_pct: -4.2,
      max_drawdown: { peak: { date: '2025-12-11', price: 2590.61 }, trough: { date: '2025-12-31', price: 2481.91 } },
    });
    expect(result.daily_volatility_pct).toBe(0.99);
    expect(result.annualized_volatility_pct).toBeCloseTo(0.9909 * Math.sqrt(252), 1);
    expect(result.provenance.conventions.join(' ')).toMatch(/prior close.*sample standard deviation/);
    expect(result.summary).toBe(
      'Russell 2000 (^RUT, index level): +6.75% (+168.73 points) from the close of 2025-11-28 (prior close, 2,500.43) to the close of 2026-01-23 (2,669.16), 37 sessions; daily volatility 0.99%.',
    );
  });

  it('reports an ETF in dollars and never as its index', async () => {
    const result = await run('performance', { symbol: 'IWM', from: '2025-12-01', to: '2026-01-23', base: 'open' });
    expect(result.symbol).toBe('IWM');
    expect(result.point_unit).toBe('USD');
    expect(result.summary).toMatch(/^iShares Russell 2000 ETF \(IWM, raw price, not dividend-adjusted\): [+−]\d+\.\d\d% \([+−]\$\d+\.\d\d\)/);
  });

  it('explains when a convention is impossible for a series', async () => {
    await expect(run('performance', { symbol: 'IJS', from: '2026-01-02', to: '2026-01-23', base: 'open' })).rejects.toMatchObject({
      message: expect.stringMatching(/no open price for 2026-01-02; use base "close" or "prior_close"/),
    });
    await expect(run('performance', { symbol: 'RUT', from: '2018-01-02', to: '2018-02-01' })).rejects.toMatchObject({
      message: expect.stringMatching(/No session before 2018-01-02/),
    });
  });
});

describe('moving_average', () => {
  it('computes a 50-session SMA as of a weekend from the sessions before it', async () => {
    const result = await run('moving_average', { symbol: 'SPY', window: 50, asOf: '2026-08-22' });
    expect(result).toMatchObject({ as_of: '2026-08-21', close: 765.72, sessions_used: { to: '2026-08-21', count: 50 } });
    expect(result.provenance.conventions[0]).toBe('simple average of the last 50 daily closes up to and including 2026-08-21');
  });

  it('uses the latest session when asOf is absent and notes how old it is', async () => {
    const result = await registry.run('moving_average', { symbol: 'DJI', window: 20 }, createLocalContext('2026-08-24'));
    expect(result.as_of).toBe('2026-02-23');
    expect(result.provenance.note).toBe('DJI data ends 2026-02-23, before today (2026-08-24); "latest" means 2026-02-23.');
  });

  it('refuses a window longer than the history before asOf', async () => {
    await expect(run('moving_average', { symbol: 'RUT', window: 200, asOf: '2018-03-01' })).rejects.toMatchObject({
      code: 'bad_request',
      message: expect.stringMatching(/needs 200 sessions; RUT has only 41 up to 2018-03-01/),
    });
  });
});

describe('range_52w', () => {
  it('finds close and intraday extremes with dates and the position of the last close', async () => {
    const result = await run('range_52w', { symbol: 'SPY', asOf: '2026-08-21' });
    expect(result.as_of).toBe('2026-08-21');
    expect(result.range_basis).toBe('intraday');
    expect(result.provenance.sessions).toMatchObject({ to: '2026-08-21' });
    expect((result.provenance.sessions as { from: string }).from > '2025-08-21').toBe(true);
    const high = result.high_intraday as { price: number };
    const low = result.low_intraday as { price: number };
    expect(((765.72 - low.price) / (high.price - low.price)) * 100).toBeCloseTo(result.position_pct as number, 1);
  });

  it('falls back to closes for a close-only series', async () => {
    const result = await run('range_52w', { symbol: 'IJS' });
    expect(result.range_basis).toBe('close');
    expect(result).not.toHaveProperty('high_intraday');
    expect(result.as_of).toBe('2026-07-13');
  });
});

describe('ytd', () => {
  it('measures from the last close of the previous year', async () => {
    const result = await run('ytd', { symbol: 'RUT', asOf: '2026-01-23' });
    expect(result).toMatchObject({
      year: 2026,
      base: { date: '2025-12-31', price: 2481.91 },
      last: { date: '2026-01-23', price: 2669.16 },
      return_pct: 7.54,
      point_change: 187.25,
      sessions: 15,
    });
  });

  it("is zero on New Year's Day, before the first session of the year", async () => {
    const result = await run('ytd', { symbol: 'GSPC', asOf: '2026-01-01' });
    expect(result).toMatchObject({ year: 2026, return_pct: 0, last: { date: '2025-12-31' } });
  });
});

describe('compare', () => {
  it('gives returns, the gap in percentage points and the daily winning streaks', async () => {
    const result = await run('compare', { symbols: ['^RUT', 'S&P 500'], from: '2025-12-01', to: '2026-01-30', base: 'open' });
    expect(result.relative).toEqual([{ a: 'RUT', b: 'GSPC', pp: expect.any(Number) }]);
    expect(result.daily).toEqual({
      a: 'RUT',
      b: 'GSPC',
      sessions_compared: 42,
      sessions_a_beat_b: 23,
      current_streak: { sessions: 0, from: null, to: null },
      longest_streak: { sessions: 14, from: '2026-01-02', to: '2026-01-22' },
    });
  });

  it('warns when an index is compared with an ETF', async () => {
    const result = await run('compare', { symbols: ['RUT', 'IWM'], from: '2026-01-02', to: '2026-01-23' });
    expect(result.provenance.conventions.join(' ')).toMatch(/mixes index levels with ETF prices/);
  });

  it('needs at least two symbols', async () => {
    await expect(run('compare', { symbols: ['RUT'], from: '2026-01-02', to: '2026-01-23' })).rejects.toMatchObject({
      message: expect.stringMatching(/symbols: give at least two symbols/),
    });
  });
});

describe('valuation_gap and calculator', () => {
  it('rejects non-positive multiples', async () => {
    await expect(run('valuation_gap', { a: { label: 'A', value: -3 }, b: { label: 'B', value: 18 } })).rejects.toMatchObject({
      message: expect.stringMatching(/a\.value: value must be greater than 0/),
    });
  });

  it('answers with the value and the expression it evaluated', async () => {
    const result = await run('calculator', { expression: '31 / 18 - 1' });
    expect(result.value).toBeCloseTo(0.7222222, 6);
    expect(result.provenance.source).toBe('input');
    expect(result.summary).toBe('31 / 18 - 1 = 0.722222222222');
  });
});

describe('a request running past the end of the data', () => {
  it('stops at the last session and says which one, in the note and the summary', async () => {
    const performance = await run('performance', { symbol: 'RUT', from: '2026-07-01', to: '2026-12-31' });
    expect(performance.last).toEqual({ date: '2026-08-21', price: 3017.87 });
    const stopped = 'The Russell 2000 data end at the session of 2026-08-21, before 2026-12-31: the figures stop at that session.';
    expect(performance.provenance.note).toBe(stopped);
    expect(performance.summary.endsWith(stopped)).toBe(true);
    const ytd = await run('ytd', { symbol: 'RUT', asOf: '2026-11-21' });
    expect(ytd.provenance.note).toMatch(/data end at the session of 2026-08-21, before 2026-11-21/);
    expect(ytd.last).toEqual({ date: '2026-08-21', price: 3017.87 });
  });

  it('measures a comparison to the session every series has, naming the series that ends first', async () => {
    const result = await run('compare', { symbols: ['RUT', 'DJI'], from: '2026-02-02', to: '2026-03-31' });
    expect((result.performance as { last: { date: string } }[]).map((entry: { last: { date: string } }) => entry.last.date)).toEqual([
      '2026-02-23',
      '2026-02-23',
    ]);
    expect(result.summary).toMatch(/Dow Jones Industrial Average data end at the session of 2026-02-23, before 2026-03-31/);
  });

  it('still refuses a window that starts after the data end, and counts one session in the singular', async () => {
    await expect(run('performance', { symbol: 'RUT', from: '2026-09-01', to: '2026-12-31' })).rejects.toMatchObject({
      code: 'bad_request',
      message: expect.stringMatching(/outside the data for RUT/),
    });
    const one = await run('performance', { symbol: 'RUT', from: '2026-01-21', to: '2026-01-21' });
    expect(one.summary).toMatch(/, 1 session\./);
    const history = await run('price_history', { symbol: 'RUT', from: '2026-01-21', to: '2026-01-21' });
    expect(history.summary).toMatch(/: 1 session from 2026-01-21 to 2026-01-21;/);
  });
});
