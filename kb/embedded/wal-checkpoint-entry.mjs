// The checkpoint thread's entry (see wal-checkpoints.ts). Plain JavaScript because a worker does not
// inherit the loader that runs the parent's TypeScript (tsx under `npm start`, Vite under vitest): it
// registers tsx itself, opens its own connection and checkpoints on a timer until told to stop.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { register } from 'tsx/esm/api';

const unregister = register();
const { WalCheckpointer } = await import('./wal-checkpointer.ts');
const { lowerThreadPriority } = await import('../../lib/thread-priority.ts');
await unregister();

// Upkeep nobody waits for: when both cores are busy, searches and chats go first.
lowerThreadPriority();
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma(`busy_timeout = ${workerData.busyTimeoutMs}`);
const checkpointer = new WalCheckpointer(db);
const timer = setInterval(() => checkpointer.tick(), workerData.intervalMs);

parentPort.on('message', (message) => {
  if (message?.type !== 'stop') return;
  clearInterval(timer);
  // What was committed since the last tick goes into the file now, so the store's close (the last
  // connection checkpoints what is left) has little to copy.
  checkpointer.tick();
  db.close();
  parentPort.close();
});
parentPort.postMessage({ ready: true });
