import { readlinkSync } from 'node:fs';
import { constants, getPriority, setPriority } from 'node:os';

/**
 * Lowers the scheduling priority of the calling thread alone, so that a worker doing write-side work
 * (parsing and embedding uploads) leaves the cores to the event loop answering searches and chats.
 * On Linux the nice value belongs to a thread and `setpriority` accepts a thread id; elsewhere, or
 * where the thread id cannot be read, nothing changes (never the whole process: that would slow the
 * event loop too). It only ever lowers: a thread already below `priority` (started by `npm run
 * ingest`, whose every thread runs at the lowest priority) keeps its own, where setting it would
 * raise it for a process allowed to. Returns whether the thread now runs at `priority` or below.
 */
export function lowerThreadPriority(
  io: { threadId?: () => number | undefined; get?: (threadId: number) => number; set?: (threadId: number, priority: number) => void; priority?: number } = {},
): boolean {
  const threadId = io.threadId ?? linuxThreadId;
  const get = io.get ?? getPriority;
  const set = io.set ?? setPriority;
  const priority = io.priority ?? constants.priority.PRIORITY_BELOW_NORMAL;
  try {
    const id = threadId();
    if (id === undefined) return false;
    // A nice value: higher is lower priority.
    if (get(id) >= priority) return true;
    set(id, priority);
    return true;
  } catch {
    return false;
  }
}

/** The kernel's id of the calling thread: /proc/thread-self links to `<pid>/task/<tid>`. */
function linuxThreadId(): number | undefined {
  if (process.platform !== 'linux') return undefined;
  const match = /\/task\/(\d+)$/.exec(readlinkSync('/proc/thread-self'));
  return match ? Number(match[1]) : undefined;
}
