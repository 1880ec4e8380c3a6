import { readFileSync, readlinkSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

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
  /**
   * Where the thread was blocked while off its core, as another thread saw it every millisecond or
   * so (`/proc/<tid>/syscall`): milliseconds by system call ("page fault" when blocked outside one).
   */
  blockedIn?: Record<string, number>;
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
  const watcher = startBlockedWatcher();
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
    if (sample.atMs - last.atMs > options.thresholdMs) {
      const gap = explainGap(last, sample);
      const blockedIn = watcher?.blockedBetween(last.atMs, sample.atMs);
      stalls.push(blockedIn ? { ...gap, blockedIn } : gap);
    }
    last = sample;
  }, options.intervalMs);
  return {
    stop() {
      clearInterval(timer);
      void watcher?.stop();
      return stalls;
    },
  };
}

/** x86-64 system call numbers worth naming (others are reported by number). */
const SYSCALL_NAMES: Record<number, string> = {
  0: 'read',
  1: 'write',
  7: 'poll',
  9: 'mmap',
  10: 'mprotect',
  11: 'munmap',
  17: 'pread64',
  18: 'pwrite64',
  25: 'mremap',
  28: 'madvise',
  74: 'fsync',
  75: 'fdatasync',
  202: 'futex',
  232: 'epoll_wait',
  281: 'epoll_pwait',
};

const WATCHER_SLOTS = 8192;

/**
 * A thread that reads the calling thread's state and current system call every millisecond into a
 * ring shared with it (time, state, system call), so a stall's off-core time can be attributed.
 */
function startBlockedWatcher(): { blockedBetween(fromMs: number, toMs: number): Record<string, number>; stop(): Promise<number> } | undefined {
  if (process.platform !== 'linux') return undefined;
  const match = /\/task\/(\d+)$/.exec(readlinkSync('/proc/thread-self'));
  if (!match) return undefined;
  const times = new Float64Array(new SharedArrayBuffer(WATCHER_SLOTS * 8));
  const codes = new Int32Array(new SharedArrayBuffer(WATCHER_SLOTS * 4 + 8));
  const source = `
    const { workerData } = require('node:worker_threads');
    const { readFileSync } = require('node:fs');
    const times = new Float64Array(workerData.times);
    const codes = new Int32Array(workerData.codes);
    const slots = ${WATCHER_SLOTS};
    const sleep = new Int32Array(new SharedArrayBuffer(4));
    const base = '/proc/self/task/' + workerData.tid;
    let next = 0;
    while (Atomics.load(codes, slots) === 0) {
      let code = -2;
      try {
        const state = readFileSync(base + '/stat', 'utf8').split(') ')[1][0];
        if (state !== 'R') {
          const call = readFileSync(base + '/syscall', 'utf8').split(' ')[0];
          code = call === 'running' ? -2 : Number(call);
        }
      } catch {}
      times[next % slots] = performance.timeOrigin + performance.now();
      codes[next % slots] = code;
      next += 1;
      Atomics.store(codes, slots + 1, next);
      Atomics.wait(sleep, 0, 0, 1);
    }`;
  const worker = new Worker(source, { eval: true, workerData: { tid: Number(match[1]), times: times.buffer, codes: codes.buffer } });
  worker.unref();
  return {
    blockedBetween(fromMs, toMs) {
      const from = performance.timeOrigin + fromMs;
      const to = performance.timeOrigin + toMs;
      const written = Atomics.load(codes, WATCHER_SLOTS + 1);
      const blocked: Record<string, number> = {};
      let previous: number | undefined;
      for (let index = Math.max(0, written - WATCHER_SLOTS); index < written; index += 1) {
        const at = times[index % WATCHER_SLOTS]!;
        if (at < from || at > to) continue;
        const code = codes[index % WATCHER_SLOTS]!;
        // Each sample stands for the time since the one before it.
        if (previous !== undefined && code !== -2) {
          const name = code === -1 ? 'page fault' : (SYSCALL_NAMES[code] ?? `syscall ${code}`);
          blocked[name] = Math.round(((blocked[name] ?? 0) + (at - previous)) * 10) / 10;
        }
        previous = at;
      }
      return blocked;
    },
    stop() {
      Atomics.store(codes, WATCHER_SLOTS, 1);
      return worker.terminate();
    },
  };
}
