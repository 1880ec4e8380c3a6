import { describe, expect, it } from 'vitest';
import { describeFutex, explainGap, parseMaps, startStallExplainer } from '../../bench/suite/stall-explainer.ts';

describe('explainGap', () => {
  it('splits a stall into time run, time waiting for a core and the rest', () => {
    const gap = explainGap({ atMs: 100, ranNs: 5e6, waitedNs: 1e6 }, { atMs: 160, ranNs: 20e6, waitedNs: 33e6 });
    expect(gap).toEqual({ ms: 60, ranMs: 15, waitedForCoreMs: 32, offCoreMs: 13 });
  });
});

describe('describeFutex', () => {
  const maps = parseMaps(
    [
      '5581a000-5a000000 rw-p 00000000 00:00 0                          [heap]',
      '7f10a0000000-7f10a4000000 rw-p 00000000 00:00 0 ',
      '7f10cfbf1000-7f10cfbf3000 rw-p 001d3000 fe:00 339380             /usr/lib/x86_64-linux-gnu/libc.so.6',
      '7f10d0000000-7f10d0001000 rw-p 00000000 fe:00 1234               /opt/addon/better_sqlite3.node',
      'not a mapping line',
    ].join('\n'),
  );

  it('reads the ranges of /proc/<pid>/maps', () => {
    expect(maps).toHaveLength(4);
    expect(maps[0]).toEqual({ start: 0x5581a000, end: 0x5a000000, path: '[heap]' });
    expect(maps[1]!.path).toBe('');
  });

  it('tells a condition wait from a lock, and says where the lock lives', () => {
    // FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME: pthread_cond_wait.
    expect(describeFutex(0x189, 0x5581a100, maps)).toBe('futex: condition wait');
    // FUTEX_WAIT | FUTEX_PRIVATE_FLAG: a contended mutex.
    expect(describeFutex(0x80, 0x5581a100, maps)).toBe('futex: lock on the heap');
    expect(describeFutex(0x80, 0x7f10a0122868, maps)).toBe("futex: lock in an anonymous mapping (another thread's malloc arena)");
    expect(describeFutex(0x80, 0x7f10cfbf1c60, maps)).toBe('futex: lock in libc (the main malloc arena)');
    expect(describeFutex(0, 0x7f10d0000010, maps)).toBe('futex: lock in better_sqlite3.node');
    expect(describeFutex(0x80, 0x10, maps)).toBe('futex: lock');
    // FUTEX_WAKE: not a wait.
    expect(describeFutex(0x81, 0x5581a100, maps)).toBe('futex');
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
    // V8 waits in Atomics.wait on a condition variable.
    expect(longest.blockedIn?.['futex: condition wait']).toBeGreaterThan(40);
  });
});
