// The checkpoint thread's entry (see wal-checkpoints.ts). Plain JavaScript because a worker does not
// inherit the loader that runs the parent's TypeScript (tsx under `npm start`, Vite under vitest): it
// registers tsx itself, opens its own connection and checkpoints until told to stop.
import { workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { register } from 'tsx/esm/api';

const unregister = register();
const { WalCheckpointer } = await import('./wal-checkpointer.ts');
const { lowerThreadPriority } = await import('../../lib/thread-priority.ts');
const { COMMITS, STOP } = await import('./wal-checkpoint-signals.ts');
await unregister();

// Upkeep nobody waits for: when both cores are busy, searches and chats go first.
lowerThreadPriority();
const signals = new Int32Array(workerData.signals);
const stopped = () => Atomics.load(signals, STOP) !== 0;
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma(`busy_timeout = ${workerData.busyTimeoutMs}`);
const checkpointer = new WalCheckpointer(db);

// This thread does nothing but wait and checkpoint, so it blocks in Atomics.wait rather than run an
// event loop. It sleeps until the store's connection commits, so that a checkpoint starts right after
// a commit and usually ends before the next one: only then can the next commit start the log over
// from its beginning (a checkpoint overtaken by commits leaves the log growing). Commits by other
// processes are seen when the wait times out. At most one checkpoint per `spacingMs`. The first
// copies what was committed before the thread was ready (or left by a process that was killed).
checkpointer.tick();
while (!stopped()) {
  Atomics.wait(signals, COMMITS, Atomics.load(signals, COMMITS), workerData.idleMs);
  if (stopped()) break;
  checkpointer.tick();
  Atomics.wait(signals, STOP, 0, workerData.spacingMs);
}
// What was committed since the last checkpoint goes into the file now, so the store's close (the
// last connection checkpoints what is left) has little to copy.
checkpointer.tick();
db.close();
