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
   * A futex is told apart by what was waited for (`describeFutex`): a condition (a V8 job the
   * collector's helper thread runs) or a lock, and where the lock lives.
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
  const gaps: { before: SchedulerSample; after: SchedulerSample }[] = [];
  const timer = setInterval(() => {
    const sample = read();
    if (!sample || !last) return;
    if (sample.atMs - last.atMs > options.thresholdMs) gaps.push({ before: last, after: sample });
    last = sample;
  }, options.intervalMs);
  return {
    stop() {
      clearInterval(timer);
      // Attributed now, not as each stall ends: reading and parsing /proc/self/maps took ~10 ms of
      // the measured thread right after a stall (profiled), lengthening the next one.
      const stalls = gaps.map(({ before, after }) => {
        const gap = explainGap(before, after);
        const blockedIn = watcher?.blockedBetween(before.atMs, after.atMs);
        return blockedIn ? { ...gap, blockedIn } : gap;
      });
      void watcher?.stop();
      return stalls;
    },
  };
}

/** One line of /proc/<pid>/maps: an address range and what is mapped there ('' when anonymous). */
export interface MappedRange {
  start: number;
  end: number;
  path: string;
}

/** The ranges of a /proc/<pid>/maps text. Pure. */
export function parseMaps(text: string): MappedRange[] {
  return text.split('\n').flatMap((line) => {
    const match = /^([0-9a-f]+)-([0-9a-f]+)\s+\S+\s+\S+\s+\S+\s+\d+\s*(.*)$/.exec(line);
    return match ? [{ start: parseInt(match[1]!, 16), end: parseInt(match[2]!, 16), path: match[3]!.trim() }] : [];
  });
}

/**
 * What a thread blocked in futex(2) waits for, from the call's operation and address. glibc waits
 * on a condition variable with FUTEX_WAIT_BITSET (V8's jobs join that way: the event loop waiting
 * for the collector's helper thread to finish its share) and on a contended mutex with FUTEX_WAIT;
 * where a mutex lives tells whose it is: libc's own data holds the main malloc arena's, the `[heap]`
 * the mutexes the main thread allocated (Node's message ports and task queues, SQLite's), an
 * anonymous mapping another thread's malloc arena. Pure.
 */
export function describeFutex(operation: number, address: number, maps: readonly MappedRange[]): string {
  const command = operation & 0x7f;
  if (command === FUTEX_WAIT_BITSET) return 'futex: condition wait';
  if (command !== FUTEX_WAIT) return 'futex';
  const range = maps.find((candidate) => address >= candidate.start && address < candidate.end);
  if (!range) return 'futex: lock';
  if (range.path === '') return "futex: lock in an anonymous mapping (another thread's malloc arena)";
  if (range.path === '[heap]') return 'futex: lock on the heap';
  if (/\/libc[.-]/.test(range.path)) return 'futex: lock in libc (the main malloc arena)';
  return `futex: lock in ${range.path.split('/').at(-1)}`;
}

const FUTEX_WAIT = 0;
const FUTEX_WAIT_BITSET = 9;
const FUTEX = 202;

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
  232: 'epoll_wait',
  281: 'epoll_pwait',
};

/** About 30 s of samples at one a millisecond: a phase's stalls are attributed when it ends. */
const WATCHER_SLOTS = 32_768;

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
  // A futex call's address and operation (user addresses fit a double exactly).
  const addresses = new Float64Array(new SharedArrayBuffer(WATCHER_SLOTS * 8));
  const operations = new Int32Array(new SharedArrayBuffer(WATCHER_SLOTS * 4));
  const source = `
    const { workerData } = require('node:worker_threads');
    const { readFileSync } = require('node:fs');
    const times = new Float64Array(workerData.times);
    const codes = new Int32Array(workerData.codes);
    const addresses = new Float64Array(workerData.addresses);
    const operations = new Int32Array(workerData.operations);
    const slots = ${WATCHER_SLOTS};
    const sleep = new Int32Array(new SharedArrayBuffer(4));
    const base = '/proc/self/task/' + workerData.tid;
    let next = 0;
    while (Atomics.load(codes, slots) === 0) {
      let code = -2;
      try {
        const state = readFileSync(base + '/stat', 'utf8').split(') ')[1][0];
        if (state !== 'R') {
          const fields = readFileSync(base + '/syscall', 'utf8').split(' ');
          code = fields[0] === 'running' ? -2 : Number(fields[0]);
          if (code === ${FUTEX}) {
            addresses[next % slots] = Number(fields[1]);
            operations[next % slots] = Number(fields[2]);
          }
        }
      } catch {}
      times[next % slots] = performance.timeOrigin + performance.now();
      codes[next % slots] = code;
      next += 1;
      Atomics.store(codes, slots + 1, next);
      Atomics.wait(sleep, 0, 0, 1);
    }`;
  const worker = new Worker(source, {
    eval: true,
    workerData: { tid: Number(match[1]), times: times.buffer, codes: codes.buffer, addresses: addresses.buffer, operations: operations.buffer },
  });
  worker.unref();
  return {
    blockedBetween(fromMs, toMs) {
      const from = performance.timeOrigin + fromMs;
      const to = performance.timeOrigin + toMs;
      const written = Atomics.load(codes, WATCHER_SLOTS + 1);
      const blocked: Record<string, number> = {};
      let maps: MappedRange[] | undefined;
      let previous: number | undefined;
      for (let index = Math.max(0, written - WATCHER_SLOTS); index < written; index += 1) {
        const at = times[index % WATCHER_SLOTS]!;
        if (at < from || at > to) continue;
        const code = codes[index % WATCHER_SLOTS]!;
        // Each sample stands for the time since the one before it.
        if (previous !== undefined && code !== -2) {
          // Where the futex lives is read from the maps now, after the stall: a malloc arena a
          // thread created meanwhile is in them still.
          const name =
            code === -1
              ? 'page fault'
              : code === FUTEX
                ? describeFutex(operations[index % WATCHER_SLOTS]!, addresses[index % WATCHER_SLOTS]!, (maps ??= readMaps()))
                : (SYSCALL_NAMES[code] ?? `syscall ${code}`);
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

function readMaps(): MappedRange[] {
  try {
    return parseMaps(readFileSync('/proc/self/maps', 'utf8'));
  } catch {
    return [];
  }
}
