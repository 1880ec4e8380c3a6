import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createToolRegistry } from '../../server/tools/registry.ts';
import { createLocalContext, repoRoot } from './helpers.ts';

/*
 * Figures published in the seed articles, recomputed from data/prices. Each case names the
 * conventions that reproduce it; the figures that do not reproduce are pinned at the bottom with
 * the reason, so a change of data or convention shows up here.
 */
const registry = createToolRegistry();
const context = createLocalContext();
const run = (name: string, args: unknown) => registry.run(name, args, context);

describe('seed 001: Russell 2000 from 2025-12-01 to 2026-01-23', () => {
  it('+7.53% (+186.93 points) from the open of the first session', async () => {
    const result = await run('performance', { symbol: 'Russell 2000', from: '2025-12-01', to: '2026-01-23', base: 'open' });
    expect(result).toMatchObject({
      return_pct: 7.53,
      point_change: 186.93,
      base: { date: '2025-12-01', price: 2482.23 },
      last: { date: '2026-01-23', price: 2669.16 },
    });
  });

  it.each([
    ['DJI', 3.19],
    ['GSPC', 1.52],
    ['IXIC', 1.42],
  ])('%s gained %d% over the same window from the open', async (symbol, expected) => {
    const result = await run('performance', { symbol, from: '2025-12-01', to: '2026-01-23', base: 'open' });
    expect(result.return_pct).toBe(expected);
  });

  it('daily volatility 0.96% vs 0.62% for the S&P 500: population std dev of the 36 in-window returns', async () => {
    const [rut, spx] = await Promise.all(
      ['^RUT', '^GSPC'].map((symbol) => run('performance', { symbol, from: '2025-12-01', to: '2026-01-23', base: 'open', stdev: 'population' })),
    );
    expect(rut!.daily_volatility_pct).toBe(0.96);
    expect(spx!.daily_volatility_pct).toBe(0.62);
    expect(rut!.daily_returns_used).toBe(36);
    // The analysts' default (sample std dev) reads 0.97% / 0.63% on the same returns.
    const sample = await run('performance', { symbol: '^RUT', from: '2025-12-01', to: '2026-01-23', base: 'open' });
    expect(sample.daily_volatility_pct).toBe(0.97);
  });

  it('20-day moving average 2,601.57 "as of January 25" (a Sunday), close 2.6% above it', async () => {
    const result = await run('moving_average', { symbol: 'RUT', window: 20, asOf: '2026-01-25' });
    expect(result.as_of).toBe('2026-01-23');
    expect(Math.abs((result.value as number) - 2601.57)).toBeLessThanOrEqual(0.01);
    expect(result.distance_pct).toBe(2.6);
  });

  it('52-week range 1,732.99 to 2,735.10 (intraday low and high)', async () => {
    const result = await run('range_52w', { symbol: 'RUT', asOf: '2026-01-25' });
    expect(result.low_intraday).toEqual({ date: '2025-04-09', price: 1732.99 });
    expect(result.high_intraday).toEqual({ date: '2026-01-22', price: 2735.1 });
  });

  it('close 2,669.16, down 1.82% on the day (vs the prior close)', async () => {
    const result = await run('performance', { symbol: 'RUT', from: '2026-01-23', to: '2026-01-23' });
    expect(result).toMatchObject({ last: { price: 2669.16 }, return_pct: -1.82 });
  });
});

describe('seed 002: Russell 2000 from 2025-12-01 to 2026-01-16', () => {
  it('+7.88% (+195.51 points), volatility 0.86%, high 2,692.23 on January 16', async () => {
    const result = await run('performance', { symbol: 'RUT', from: '2025-12-01', to: '2026-01-16', base: 'open', stdev: 'population' });
    expect(result).toMatchObject({ return_pct: 7.88, point_change: 195.51, daily_volatility_pct: 0.86, intraday_high: { date: '2026-01-16', price: 2692.23 } });
  });

  it('the "11-day streak" is the run of sessions RUT beat the S&P 500, ending 2026-01-16', async () => {
    const result = await run('compare', { symbols: ['RUT', 'GSPC'], from: '2025-12-01', to: '2026-01-16' });
    expect(result.daily).toMatchObject({
      current_streak: { sessions: 11, from: '2026-01-02', to: '2026-01-16' },
      longest_streak: { sessions: 11, from: '2026-01-02', to: '2026-01-16' },
    });
  });

  it('P/E 31 vs 18 is a 72.2% premium and a 41.9% discount', async () => {
    const result = await run('valuation_gap', { a: { label: 'S&P 500 P/E', value: 31 }, b: { label: 'Russell 2000 P/E', value: 18 } });
    expect(result).toMatchObject({ premium_pct: 72.22, discount_pct: 41.94 });
  });
});

describe('seed 003: "seven straight sessions" of RUT beating the S&P 500', () => {
  it('is the streak as of 2026-01-12', async () => {
    const result = await run('compare', { symbols: ['^RUT', '^GSPC'], from: '2026-01-02', to: '2026-01-12' });
    expect(result.daily).toMatchObject({ sessions_compared: 7, sessions_a_beat_b: 7, current_streak: { sessions: 7, from: '2026-01-02', to: '2026-01-12' } });
  });
});

describe('seed 000: the session of 2026-01-21', () => {
  it("RUT closed at 2,698.17; the +1.35% (and DJI +1.09%, S&P +0.95%, Nasdaq +0.90%) are measured from that day's open", async () => {
    const expected: Record<string, number> = { RUT: 1.35, DJI: 1.09, GSPC: 0.95, IXIC: 0.9 };
    for (const [symbol, pct] of Object.entries(expected)) {
      const result = await run('performance', { symbol, from: '2026-01-21', to: '2026-01-21', base: 'open' });
      expect(result.return_pct, symbol).toBe(pct);
    }
    const rut = await run('performance', { symbol: 'RUT', from: '2026-01-21', to: '2026-01-21' });
    expect(rut).toMatchObject({ last: { price: 2698.17 }, return_pct: 2 });
  });
});

describe('seed 004: levels that are not closes', () => {
  // Its "prior session" levels (S&P 500 6,923.58, Nasdaq 23,555.85, Dow 49,162.07, RUT 2,684.13)
  // match no close in the files: they are intraday prices of 2026-01-23, and each percentage is
  // measured from that day's open. Daily bars can check them but not produce them.
  it.each([
    ['GSPC', 6923.58, 0.23],
    ['IXIC', 23555.85, 0.49],
    ['DJI', 49162.07, -0.21],
    ['RUT', 2684.13, -1.05],
  ])('%s %d lies inside the 2026-01-23 range and is %d% from its open', async (symbol, level, pct) => {
    const result = await run('price_history', { symbol, from: '2026-01-23', to: '2026-01-23' });
    const [bar] = result.sessions as { open: number; high: number; low: number; close: number }[];
    expect(bar!.close).not.toBe(level);
    expect(level).toBeGreaterThanOrEqual(bar!.low);
    expect(level).toBeLessThanOrEqual(bar!.high);
    expect(Math.round((level / bar!.open - 1) * 10_000) / 100).toBe(pct);
  });

  it('its year-to-date figures (RUT 8.2%, S&P 500 1.2%, Nasdaq 1.8%) match neither closes nor those levels', async () => {
    const results = await Promise.all(['RUT', 'GSPC', 'IXIC'].map((symbol) => run('ytd', { symbol, asOf: '2026-01-23' })));
    expect(results.map((result) => result.return_pct)).toEqual([7.54, 1.02, 1.12]);
    // From the 2025 close to the intraday levels: 8.15%, 1.14%, 1.35%.
    const bases = results.map((result) => (result.base as { price: number }).price);
    expect([2684.13, 6923.58, 23555.85].map((level, index) => Math.round((level / bases[index]! - 1) * 10_000) / 100)).toEqual([8.15, 1.14, 1.35]);
  });
});

const seedsDir = path.resolve(repoRoot, '../shared/seeds');

describe.skipIf(!existsSync(seedsDir))('the figures above are the ones the seeds publish', () => {
  const seedText = (prefix: string) => readFileSync(path.join(seedsDir, readdirSync(seedsDir).find((name) => name.startsWith(prefix))!), 'utf8');

  it.each([
    ['000', ['2,698.17', '+1.35%', '+1.09%', '+0.95%', '+0.90%']],
    ['001', ['7.53%', '186.93', '3.19%', '1.52%', '1.42%', '0.96%', '0.62%', '2,601.57', '1,732.99', '2,735.10', '2,669.16', '1.82%']],
    ['002', ['7.88%', '195.51', '0.86%', '2,692.23', '11-day', '72%']],
    ['003', ['seven straight sessions']],
    ['004', ['6,923.58', '23,555.85', '49,162.07', '2,684.13', '8.2%']],
  ])('seed %s', (prefix, figures) => {
    const text = seedText(prefix);
    for (const figure of figures) expect(text, figure).toContain(figure);
  });
});
