import { describe, expect, it } from 'vitest';
import { explainGap, startStallExplainer } from '../../bench/suite/stall-explainer.ts';

describe('explainGap', () => {
  it('splits a stall into time run, time waiting for a core and the rest', () => {
    const gap = explainGap({ atMs: 100, ranNs: 5e6, waitedNs: 1e6 }, { atMs: 160, ranNs: 20e6, waitedNs: 33e6 });
    expect(gap).toEqual({ ms: 60, ranMs: 15, waitedForCoreMs: 32, offCoreMs: 13 });
  });
});

describe.skipIf(process.platform !== 'linux')('startStallExplainer', () => {
  it('reports a stall of this thread as time run', async () => {
    const explainer = startStallExplainer({ thresholdMs: 30, intervalMs: 2 });
    expect(explainer).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 10));
    const until = performance.now() + 60;
    while (performance.now() < until) {
      // Busy: the event loop cannot turn.
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
    const stalls = explainer!.stop();
    expect(stalls.length).toBeGreaterThanOrEqual(1);
    const longest = stalls.reduce((a, b) => (b.ms > a.ms ? b : a));
    expect(longest.ms).toBeGreaterThanOrEqual(55);
    // Most of it on a core (a loaded machine may take some of it away).
    expect(longest.ranMs + longest.waitedForCoreMs).toBeGreaterThan(longest.ms * 0.8);
  });

  it('says which system call a blocked thread was in', async () => {
    const explainer = startStallExplainer({ thresholdMs: 30, intervalMs: 2 });
    // The watching thread takes a moment to start.
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Blocked on a futex for 60 ms: off the core, in no JavaScript.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const stalls = explainer!.stop();
    const longest = stalls.reduce((a, b) => (b.ms > a.ms ? b : a));
    expect(longest.offCoreMs).toBeGreaterThan(40);
    expect(longest.blockedIn?.futex).toBeGreaterThan(40);
  });
});
