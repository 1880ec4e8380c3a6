import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describePageFaultCost, measurePageFaultCost, minorFaultsOf, minorFaultsOfThisThread } from '../../bench/suite/page-fault-cost.ts';
import { pageFaultSection } from '../../bench/suite/report.ts';

describe('minorFaultsOf', () => {
  it('reads the tenth field of a stat line, whatever the command name holds', () => {
    const line = '4242 (node (main) x) S 1 4242 4242 0 -1 4194560 3707 0 12 0 150 20 0 0 20 0 11 0 100 0 0';
    expect(minorFaultsOf(line)).toBe(3707);
    expect(() => minorFaultsOf('no stat here')).toThrow();
  });

  it('is undefined where the kernel does not say', () => {
    expect(
      minorFaultsOfThisThread(() => {
        throw new Error('ENOENT');
      }),
    ).toBeUndefined();
  });
});

describe('measurePageFaultCost', () => {
  it.skipIf(!existsSync('/proc/thread-self/stat'))('counts the faults of touching fresh pages and gives a cost for each', () => {
    const cost = measurePageFaultCost({ megabytes: 4, rounds: 1 })!;
    expect(cost.faults).toBeGreaterThan(0);
    expect(cost.microsecondsEach).toBeGreaterThan(0);
  });

  it('is printed in the suite report beside each store step that measured it', () => {
    const cost = { faults: 8192, microsecondsEach: 11.2 };
    expect(describePageFaultCost(cost)).toBe('a page fault costs 11.2 µs (median of 3 buffers, 8192 faults each)');
    const section = pageFaultSection([{ chunks: 100_000, pageFaultCost: cost }, { chunks: 10_000 }]);
    expect(section[0]).toContain('### Page faults on this machine');
    expect(section[1]).toBe(`- before the store step at 100,000 passages: ${describePageFaultCost(cost)}`);
    expect(pageFaultSection([{ chunks: 10_000 }])).toEqual([]);
  });
});
