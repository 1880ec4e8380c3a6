import { constants, setPriority } from 'node:os';

/**
 * Lowers this process's scheduling priority so that a bulk ingest beside a running server leaves the
 * cores to the server's searches and chats (measured in `npm run bench -- --steps store`: at 100k
 * passages an ingest at normal priority made the server's search p99 5.6 times its idle value on two
 * cores). Call it before starting worker threads: on Linux a thread takes its creator's priority.
 * Returns whether the priority could be lowered (it can fail in a sandbox; ingest goes on regardless).
 */
export function lowerIngestPriority(set: (priority: number) => void = (priority) => setPriority(priority)): boolean {
  try {
    set(constants.priority.PRIORITY_BELOW_NORMAL);
    return true;
  } catch {
    return false;
  }
}
