import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sampleStandardDeviation, standardDeviation } from 'simple-statistics';
import { EMA, SMA } from 'technicalindicators';
import { describe, expect, it } from 'vitest';
import { parsePriceCsv } from '../../server/market/csv.ts';
import {
  annualizeDailyVolatility,
  exponentialMovingAverage,
  findStreaks,
  maxDrawdown,
  percentChange,
  populationStdDev,
  positionInRange,
  roundTo,
  sampleStdDev,
  simpleMovingAverage,
  simpleReturns,
} from '../../server/tools/metrics.ts';

const pricesDir = path.resolve(import.meta.dirname, '../../data/prices');
const rutCloses = parsePriceCsv(readFileSync(path.join(pricesDir, 'RUT.csv'), 'utf8')).map((bar) => bar.close);
const spyCloses = parsePriceCsv(readFileSync(path.join(pricesDir, 'SPY.csv'), 'utf8')).map((bar) => bar.close);

describe('metrics against independent implementations on the real files', () => {
  it.each([5, 20, 50, 200])('SMA(%i) matches technicalindicators at every point of the last 300 RUT sessions', (window) => {
    const input = rutCloses.slice(-300);
    const reference = SMA.calculate({ period: window, values: input });
    const ours = reference.map((_, index) => simpleMovingAverage(input.slice(0, window + index), window));
    ours.forEach((value, index) => expect(value).toBeCloseTo(reference[index]!, 8));
  });

  it.each([10, 20, 50])('EMA(%i) matches technicalindicators on SPY', (window) => {
    const input = spyCloses.slice(-400);
    const reference = EMA.calculate({ period: window, values: input });
    expect(exponentialMovingAverage(input, window)).toBeCloseTo(reference[reference.length - 1]!, 8);
    expect(exponentialMovingAverage(input.slice(0, window + 10), window)).toBeCloseTo(reference[10]!, 8);
  });

  it('sample and population std dev of daily returns match simple-statistics', () => {
    const returns = simpleReturns(rutCloses);
    expect(sampleStdDev(returns)).toBeCloseTo(sampleStandardDeviation(returns), 14);
    expect(populationStdDev(returns)).toBeCloseTo(standardDeviation(returns), 14);
    expect(sampleStdDev(returns)).toBeGreaterThan(populationStdDev(returns));
  });
});

describe('metrics by hand', () => {
  it('computes returns and percentage change', () => {
    expect(simpleReturns([100, 110, 99])).toEqual([0.10000000000000009, -0.09999999999999998]);
    expect(percentChange(2482.23, 2669.16)).toBeCloseTo(7.53073, 5);
  });

  it('computes std devs of a known list', () => {
    expect(sampleStdDev([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(2.138089935, 9);
    expect(populationStdDev([2, 4, 4, 4, 5, 5, 7, 9])).toBe(2);
    expect(() => sampleStdDev([1])).toThrow(RangeError);
    expect(annualizeDailyVolatility(1)).toBeCloseTo(15.8745, 4);
  });

  it('finds the worst peak-to-trough fall after the peak, not before it', () => {
    expect(maxDrawdown([100, 120, 90, 130, 117, 125])).toEqual({ pct: -25, peakIndex: 1, troughIndex: 2 });
    expect(maxDrawdown([1, 2, 3])).toEqual({ pct: 0, peakIndex: 0, troughIndex: 0 });
  });

  it('rejects windows that cannot be filled', () => {
    expect(simpleMovingAverage([1, 2, 3, 4], 2)).toBe(3.5);
    expect(() => simpleMovingAverage([1, 2], 3)).toThrow(/needs at least 3 values/);
    expect(() => exponentialMovingAverage([1, 2], 0)).toThrow(/positive integer/);
  });

  it('reports the longest (earliest on ties) and the current streak', () => {
    const flags = [true, true, false, true, true, false, true];
    expect(findStreaks(flags)).toEqual({ longest: { length: 2, start: 0, end: 1 }, current: { length: 1, start: 6, end: 6 } });
    expect(findStreaks([true, false])).toEqual({ longest: { length: 1, start: 0, end: 0 }, current: { length: 0, start: -1, end: -1 } });
    expect(findStreaks([])).toEqual({ longest: { length: 0, start: -1, end: -1 }, current: { length: 0, start: -1, end: -1 } });
  });

  it('places a value in a range and rounds half away from zero', () => {
    expect(positionInRange(2669.16, 1732.99, 2735.1)).toBeCloseTo(93.42, 2);
    expect(roundTo(2601.5759999)).toBe(2601.58);
    expect(roundTo(-1.005 * 1000, 0)).toBe(-1005);
    expect(roundTo(-0.001)).toBe(0);
    expect(Object.is(roundTo(-0.001), -0)).toBe(false);
  });
});
