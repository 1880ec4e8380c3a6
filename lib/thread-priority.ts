import { readlinkSync } from 'node:fs';
import { constants, setPriority } from 'node:os';

/**
 * Lowers the scheduling priority of the calling thread alone, so that a worker doing write-side work
 * (parsing and embedding uploads) leaves the cores to the event loop answering searches and chats.
 * On Linux the nice value belongs to a thread and `setpriority` accepts a thread id; elsewhere, or
 * where the thread id cannot be read, nothing changes (never the whole process: that would slow the
 * event loop too). Returns whether the priority was lowered.
 */
export function lowerThreadPriority(io: { threadId?: () => number | undefined; set?: (threadId: number, priority: number) => void } = {}): boolean {
  const threadId = io.threadId ?? linuxThreadId;
  const set = io.set ?? setPriority;
  try {
    const id = threadId();
    if (id === undefined) return false;
    set(id, constants.priority.PRIORITY_BELOW_NORMAL);
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
