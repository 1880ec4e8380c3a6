import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { percentile, round } from './statistics.ts';

/**
 * What a page fault costs on this machine, measured with no code of the copilot involved: a fresh
 * buffer touched one 4 KB page at a time, the faults counted by the kernel. A machine without
 * nested virtualisation commonly takes about a microsecond or less; the nested VM of session 24
 * took 11 µs, and there a young collection's pause was mostly faults (it copies what survived into
 * fresh pages: 4–8 ms where the copying alone took under one; docs/performance-log.md, "6
 * December, early morning (session 24)"). Reported beside the store benchmarks so that their GC
 * pauses can be read against the machine's.
 */
export const PAGE_FAULT_DEFAULTS = {
  /** Size of each buffer touched. */
  megabytes: 32,
  /** Buffers touched; the median cost is reported. */
  rounds: 3,
};

export const PageFaultCostSchema = z.object({
  /** Faults counted in one round (about one per 4 KB page touched). */
  faults: z.number(),
  microsecondsEach: z.number(),
});
export type PageFaultCost = z.infer<typeof PageFaultCostSchema>;

/** The calling thread's minor page faults so far; undefined where the kernel does not say (not Linux). */
export function minorFaultsOfThisThread(read: () => string = () => readFileSync('/proc/thread-self/stat', 'utf8')): number | undefined {
  try {
    return minorFaultsOf(read());
  } catch {
    return undefined;
  }
}

/** The minor-fault count (the tenth field) of a `/proc/…/stat` line, whose command name may hold spaces and parentheses. */
export function minorFaultsOf(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
  const faults = Number(fields[7]);
  if (!Number.isInteger(faults)) throw new Error('not a /proc stat line');
  return faults;
}

/** The median cost of a page fault over `rounds` fresh buffers; undefined where faults cannot be counted. */
export function measurePageFaultCost(options: typeof PAGE_FAULT_DEFAULTS = PAGE_FAULT_DEFAULTS): PageFaultCost | undefined {
  const costs: number[] = [];
  let faults = 0;
  for (let round = 0; round < options.rounds; round += 1) {
    // Allocated zeroed but not yet touched: each page faults in on its first write.
    const bytes = new Uint8Array(options.megabytes * 1024 * 1024);
    const before = minorFaultsOfThisThread();
    if (before === undefined) return undefined;
    const started = performance.now();
    for (let offset = 0; offset < bytes.length; offset += 4096) bytes[offset] = 1;
    const elapsedMs = performance.now() - started;
    faults = (minorFaultsOfThisThread() ?? before) - before;
    if (faults > 0) costs.push((elapsedMs * 1000) / faults);
  }
  if (costs.length === 0) return undefined;
  return {
    faults,
    microsecondsEach: round(
      percentile(
        costs.sort((a, b) => a - b),
        0.5,
      ),
      2,
    ),
  };
}

export function describePageFaultCost(cost: PageFaultCost): string {
  return `a page fault costs ${cost.microsecondsEach} µs (median of ${PAGE_FAULT_DEFAULTS.rounds} buffers, ${cost.faults} faults each)`;
}
