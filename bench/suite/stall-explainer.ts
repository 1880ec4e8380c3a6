import { readFileSync } from 'node:fs';

/** The scheduler's counters of one thread: nanoseconds on a core, nanoseconds runnable and waiting for one. */
export interface SchedulerSample {
  atMs: number;
  ranNs: number;
  waitedNs: number;
}

/** Where the time of one event-loop stall went, from the main thread's point of view. */
export interface StallExplanation {
  ms: number;
  /** On a core: JavaScript, the collector's pauses, native calls. */
  ranMs: number;
  /** Runnable, but every core was taken by another thread or process. */
  waitedForCoreMs: number;
  /** Neither: blocked in a system call or on a lock (the rest of the stall). */
  offCoreMs: number;
}

/** Splits the time between two samples of the same thread. Pure. */
export function explainGap(before: SchedulerSample, after: SchedulerSample): StallExplanation {
  const ms = after.atMs - before.atMs;
  const ranMs = (after.ranNs - before.ranNs) / 1e6;
  const waitedForCoreMs = (after.waitedNs - before.waitedNs) / 1e6;
  return { ms, ranMs, waitedForCoreMs, offCoreMs: Math.max(0, ms - ranMs - waitedForCoreMs) };
}

/**
 * Samples the calling thread's scheduler counters (Linux: /proc/thread-self/schedstat) every
 * `intervalMs` on its event loop; a gap between two samples longer than `thresholdMs` is a stall,
 * and is split into time run, time waiting for a core and time off the core. Undefined where the
 * counters cannot be read. Opt-in for the store bench (`--explain-stalls`): the timer and the reads
 * cost the measured thread a little.
 */
export function startStallExplainer(options: { thresholdMs: number; intervalMs: number }): { stop(): StallExplanation[] } | undefined {
  const read = (): SchedulerSample | undefined => {
    try {
      const [ran, waited] = readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ');
      return { atMs: performance.now(), ranNs: Number(ran), waitedNs: Number(waited) };
    } catch {
      return undefined;
    }
  };
  let last = read();
  if (!last) return undefined;
  const stalls: StallExplanation[] = [];
  const timer = setInterval(() => {
    const sample = read();
    if (!sample || !last) return;
    if (sample.atMs - last.atMs > options.thresholdMs) stalls.push(explainGap(last, sample));
    last = sample;
  }, options.intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return stalls;
    },
  };
}
