import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../lib/errors.ts';
import { createLocalPriceSource, createPriceStore, type LiveProvider } from '../../server/market/price-store.ts';
import { knownInstruments } from '../../server/market/symbols.ts';
import type { Instrument, PriceBar } from '../../server/market/types.ts';

const dataDir = path.resolve(import.meta.dirname, '../../data');
const clock = () => new Date('2026-08-24T12:00:00Z');

function createFakeLive(behaviour: (instrument: Instrument, range: { from: string; to: string }) => PriceBar[] | Error) {
  const calls: { symbol: string; from: string; to: string }[] = [];
  const live: LiveProvider = {
    name: 'fake live',
    async fetchBars(instrument, range) {
      calls.push({ symbol: instrument.yahooSymbol, ...range });
      const outcome = behaviour(instrument, range);
      if (outcome instanceof Error) throw outcome;
      return outcome;
    },
  };
  return { live, calls };
}

describe('local price source', () => {
  it('reads a real file once and remembers it', async () => {
    let reads = 0;
    const source = createLocalPriceSource({
      pricesDir: path.join(dataDir, 'prices'),
      readText: async (file) => {
        reads++;
        const { readFile } = await import('node:fs/promises');
        return readFile(file, 'utf8');
      },
    });
    const instrument = { id: 'RUT', yahooSymbol: '^RUT', name: 'Russell 2000', kind: 'index', unit: 'points', basis: 'index level' } as const;
    const first = await source.load(instrument);
    await source.load(instrument);
    expect(reads).toBe(1);
    expect(first?.origin).toBe('prices/RUT.csv');
    expect(first?.bars.length).toBe(2171);
    expect(first?.bars.find((bar) => bar.date === '2026-01-21')).toEqual({ date: '2026-01-21', open: 2662.12, high: 2703.75, low: 2651.47, close: 2698.17 });
  });

  it('reports a corrupt file as a server fault naming the file and line', async () => {
    const source = createLocalPriceSource({ pricesDir: '/nowhere', readText: async () => 'date,close\n2026-01-02,oops' });
    const instrument = { id: 'BAD', yahooSymbol: 'BAD', name: 'BAD', kind: 'other', unit: 'USD', basis: 'quoted price' } as const;
    await expect(source.load(instrument)).rejects.toMatchObject({ code: 'internal', message: expect.stringMatching(/prices\/BAD\.csv line 2/) });
  });
});

describe('createPriceStore', () => {
  it("preloads every known symbol's file once, so the first question reads nothing", async () => {
    const read: string[] = [];
    const { readFile } = await import('node:fs/promises');
    const local = createLocalPriceSource({
      pricesDir: path.join(dataDir, 'prices'),
      readText: async (file) => {
        read.push(path.basename(file));
        return readFile(file, 'utf8');
      },
    });
    const store = createPriceStore({ dataDir, now: clock, local });
    // Each file waits for its turn (the server reads them between requests).
    const turns: number[] = [];
    const found = await store.preload!(async () => {
      turns.push(read.length);
    });
    expect(found).toBe(knownInstruments().length);
    expect(turns).toEqual(knownInstruments().map((_, index) => index));
    expect([...read].sort()).toEqual(
      knownInstruments()
        .map((instrument) => `${instrument.id}.csv`)
        .sort(),
    );
    read.length = 0;
    const series = await store.getSeries('RUT');
    expect(series.bars.length).toBe(2171);
    expect(read).toEqual([]);
  });

  it('preloading skips a broken file, whose error the question then reports', async () => {
    const local = createLocalPriceSource({ pricesDir: '/nowhere', readText: async () => 'date,close\n2026-01-02,oops' });
    const store = createPriceStore({ dataDir, now: clock, local });
    await expect(store.preload!()).resolves.toBe(0);
    await expect(store.getSeries('RUT')).rejects.toMatchObject({ code: 'internal', message: expect.stringMatching(/prices\/RUT\.csv line 2/) });
  });

  it('serves every alias of an index from the same local file', async () => {
    const store = createPriceStore({ dataDir, now: clock });
    const [a, b, c] = await Promise.all(['^RUT', 'russell 2000 index', 'RUT'].map((symbol) => store.getSeries(symbol)));
    expect(a!.instrument.id).toBe('RUT');
    expect(b!.bars).toBe(a!.bars);
    expect(c!.source).toBe('local');
  });

  it('uses local data and never calls the live provider when the file covers the request', async () => {
    const { live, calls } = createFakeLive(() => new Error('must not be called'));
    const store = createPriceStore({ dataDir, live, now: clock });
    const series = await store.getSeries('IWM', { from: '2025-12-01', to: '2026-01-23' });
    expect(series.source).toBe('local');
    expect(series.instrument.kind).toBe('etf');
    expect(calls).toEqual([]);
  });

  it('goes live for a symbol with no local file', async () => {
    const bars: PriceBar[] = [
      { date: '2026-08-20', close: 230.1 },
      { date: '2026-08-21', close: 231.5 },
    ];
    const { live, calls } = createFakeLive(() => bars);
    const store = createPriceStore({ dataDir, live, now: clock });
    const series = await store.getSeries('AAPL', { from: '2026-08-01', to: '2026-08-21' });
    expect(series).toMatchObject({ source: 'live', origin: 'fake live', bars });
    expect(calls).toEqual([{ symbol: 'AAPL', from: '2026-08-01', to: '2026-08-21' }]);
  });

  it('goes live for dates past the end of the local file', async () => {
    const { live, calls } = createFakeLive(() => [{ date: '2026-03-02', close: 48000 }]);
    const store = createPriceStore({ dataDir, live, now: clock });
    const series = await store.getSeries('DJI', { from: '2026-02-01', to: '2026-03-02' });
    expect(series.source).toBe('live');
    expect(series.note).toMatch(/prices\/DJI\.csv does not cover the request/);
    expect(calls).toHaveLength(1);
  });

  it('falls back to the local file, with a note, when the live call fails', async () => {
    const { live } = createFakeLive(() => new AppError('upstream_unavailable', 'Yahoo Finance answered HTTP 503.'));
    const store = createPriceStore({ dataDir, live, now: clock });
    const series = await store.getSeries('DJI', { from: '2026-02-01', to: '2026-03-02' });
    expect(series.source).toBe('local');
    expect(series.note).toBe('Live data unavailable (Yahoo Finance answered HTTP 503.); used the local file prices/DJI.csv (2018-01-02 to 2026-02-23).');
  });

  it('treats a stale local file as needing live data for "latest" requests only', async () => {
    const { live, calls } = createFakeLive(() => new Error('offline'));
    const store = createPriceStore({ dataDir, live, now: () => new Date('2026-11-21T00:00:00Z') });
    const latest = await store.getSeries('SPY');
    expect(latest.note).toMatch(/^Live data unavailable \(the live request failed\)/);
    await store.getSeries('SPY', { from: '2026-01-02', to: '2026-01-23' });
    expect(calls).toHaveLength(1);
  });

  it('answers an unknown symbol with a bad request when there is no live data', async () => {
    const store = createPriceStore({ dataDir, now: clock });
    await expect(store.getSeries('ZZZZ')).rejects.toMatchObject({
      code: 'bad_request',
      message: expect.stringMatching(/No price data for "ZZZZ".*live data is off/),
    });
  });

  it('answers a symbol the live provider does not know with a bad request, and an outage with upstream_unavailable', async () => {
    const unknown = createPriceStore({
      dataDir,
      now: clock,
      live: createFakeLive(() => new AppError('not_found', 'Yahoo Finance has no data for ZZZZ.')).live,
    });
    await expect(unknown.getSeries('ZZZZ')).rejects.toMatchObject({ code: 'bad_request', message: expect.stringMatching(/Unknown symbol "ZZZZ"/) });
    const down = createPriceStore({
      dataDir,
      now: clock,
      live: createFakeLive(() => new AppError('timeout', 'Yahoo Finance did not answer within 8000 ms.')).live,
    });
    await expect(down.getSeries('ZZZZ')).rejects.toMatchObject({ code: 'upstream_unavailable' });
  });
});

describe('price folders in layers', () => {
  it("reads the data dir's own file first and falls back to the bundled one for the other symbols", async () => {
    const { mkdtempSync, mkdirSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const userDir = mkdtempSync(path.join(tmpdir(), 'copilot-user-data-'));
    mkdirSync(path.join(userDir, 'prices'));
    writeFileSync(path.join(userDir, 'prices', 'RUT.csv'), 'date,close\n2026-09-01,3100.5\n2026-09-02,3120.25\n');
    const store = createPriceStore({ dataDir: userDir, pricesDirs: [path.join(userDir, 'prices'), path.join(dataDir, 'prices')], now: clock });
    const own = await store.getSeries('RUT', { from: '2026-09-01', to: '2026-09-02' });
    expect(own.bars.map((bar) => bar.close)).toEqual([3100.5, 3120.25]);
    const bundled = await store.getSeries('SPY', { from: '2026-01-20', to: '2026-01-21' });
    expect(bundled.bars.length).toBeGreaterThan(1000);
  });
});
