import { readdirSync } from 'node:fs';
import { constants, setPriority } from 'node:os';

/**
 * Lowers this process's scheduling priority so that a bulk ingest beside a running server leaves the
 * cores to the server's searches and chats (measured in `npm run bench -- --steps store`: at 100k
 * passages an ingest at normal priority made the server's search p99 5.6 times its idle value on two
 * cores). On Linux a nice value belongs to a thread and `setpriority` on the process changes the
 * calling thread alone: the threads Node started before (V8's garbage-collection helpers, libuv's
 * pool, the module loader's) kept normal priority, and the ingest's collections then took a core
 * from the server. So every thread the process has is lowered; threads started later take their
 * creator's priority (call it before starting worker threads). Returns whether the priority could
 * be lowered (it can fail in a sandbox; ingest goes on regardless).
 */
export function lowerIngestPriority(io: { threadIds?: () => number[]; set?: (id: number, priority: number) => void } = {}): boolean {
  const set = io.set ?? ((id: number, priority: number) => setPriority(id, priority));
  const ids = (io.threadIds ?? processThreadIds)();
  let lowered = false;
  for (const id of ids) {
    try {
      set(id, constants.priority.PRIORITY_BELOW_NORMAL);
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
