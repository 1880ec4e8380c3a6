import { createHistogram } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { countAbove } from '../../bench/suite/statistics.ts';

describe('countAbove', () => {
  it('counts the values a histogram recorded above a threshold', () => {
    const histogram = createHistogram();
    for (let index = 0; index < 997; index += 1) histogram.record(5_000_000 + index);
    for (const stall of [31_000_000, 45_000_000, 80_000_000]) histogram.record(stall);
    expect(countAbove(histogram, 30_000_000)).toBe(3);
    expect(countAbove(histogram, 50_000_000)).toBe(1);
    expect(countAbove(histogram, 90_000_000)).toBe(0);
    expect(countAbove(histogram, 1_000_000)).toBe(1000);
  });

  it('counts nothing in an empty histogram', () => {
    expect(countAbove(createHistogram(), 0)).toBe(0);
  });
});
