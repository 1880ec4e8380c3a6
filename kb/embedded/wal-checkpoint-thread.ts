import { workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { lowerThreadPriority } from '../../lib/thread-priority.ts';
import { COMMITS, STOP } from './wal-checkpoint-signals.ts';
import { WalCheckpointer } from './wal-checkpointer.ts';

/** What wal-checkpoints.ts hands the thread. */
export interface WalCheckpointThreadData {
  path: string;
  signals: SharedArrayBuffer;
  spacingMs: number;
  idleMs: number;
  busyTimeoutMs: number;
}

// The checkpoint thread's main module (see wal-checkpoints.ts; started through lib/thread-script.ts):
// opens its own connection and checkpoints until told to stop.
const data = workerData as WalCheckpointThreadData;
// Upkeep nobody waits for: when both cores are busy, searches and chats go first.
lowerThreadPriority();
const signals = new Int32Array(data.signals);
const stopped = () => Atomics.load(signals, STOP) !== 0;
const db = new Database(data.path, { fileMustExist: true });
db.pragma(`busy_timeout = ${data.busyTimeoutMs}`);
const checkpointer = new WalCheckpointer(db);

// This thread does nothing but wait and checkpoint, so it blocks in Atomics.wait rather than run an
// event loop. It sleeps until the store's connection commits, so that a checkpoint starts right after
// a commit and usually ends before the next one: only then can the next commit start the log over
// from its beginning (a checkpoint overtaken by commits leaves the log growing). Commits by other
// processes are seen when the wait times out. At most one checkpoint per `spacingMs`. The first
// copies what was committed before the thread was ready (or left by a process that was killed).
checkpointer.tick();
while (!stopped()) {
  Atomics.wait(signals, COMMITS, Atomics.load(signals, COMMITS), data.idleMs);
  if (stopped()) break;
  checkpointer.tick();
  Atomics.wait(signals, STOP, 0, data.spacingMs);
}
// What was committed since the last checkpoint goes into the file now, so the store's close (the
// last connection checkpoints what is left) has little to copy.
checkpointer.tick();
db.close();
