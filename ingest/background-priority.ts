import { readdirSync } from 'node:fs';
import { constants, setPriority } from 'node:os';

/**
 * Lowers this process's scheduling priority to the lowest so that a bulk ingest beside a running
 * server leaves the cores to the server's searches and chats (measured in `npm run bench -- --steps
 * store`: at 100k passages an ingest at normal priority made the server's search p99 5.6 times its
 * idle value on two cores). The lowest, not just below normal: Linux shares a core between runnable
 * threads by weight, and a thread at nice 10 still takes about a tenth of a core from the event loop
 * beside it (at nice 19 under 2 %). Store-bench runs alternating (seven and eight): beside the
 * ingest at nice 10 the server's main thread ran 11.9–13.0 s of the phase's 15 s, at nice 19
 * 12.3–14.0 (alone 14.5–14.8), while the ingest stored 739–1,348 articles against 1,093–1,428: it
 * runs on what the server leaves. (The p99 ratio these runs measured did not move: see the README.) On Linux a nice value belongs to a thread and `setpriority` on the process changes
 * the calling thread alone: the threads Node started before (V8's garbage-collection helpers,
 * libuv's pool, the module loader's) kept normal priority, and the ingest's collections then took a
 * core from the server. So every thread the process has is lowered; threads started later take their
 * creator's priority (call it before starting worker threads; `lowerThreadPriority` in a worker never
 * raises it back). Returns whether the priority could be lowered (it can fail in a sandbox; ingest
 * goes on regardless).
 */
export function lowerIngestPriority(io: { threadIds?: () => number[]; set?: (id: number, priority: number) => void } = {}): boolean {
  const set = io.set ?? ((id: number, priority: number) => setPriority(id, priority));
  const ids = (io.threadIds ?? processThreadIds)();
  let lowered = false;
  for (const id of ids) {
    try {
      set(id, constants.priority.PRIORITY_LOW);
      lowered = true;
    } catch {
      // Refused, or the thread ended meanwhile.
    }
  }
  return lowered;
}

/** Every thread of this process on Linux (`/proc/self/task`); elsewhere 0, the process as a whole. */
function processThreadIds(): number[] {
  if (process.platform !== 'linux') return [0];
  try {
    return readdirSync('/proc/self/task').map(Number);
  } catch {
    return [0];
  }
}
