import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/** SQLite's own automatic checkpoint threshold, in pages (restored when the checkpoint thread fails). */
const SQLITE_AUTOCHECKPOINT_PAGES = 1000;

export const WAL_CHECKPOINT_DEFAULTS = {
  /**
   * How often the thread looks for commits to copy into the database file. Uploads at 100k passages
   * filled SQLite's 1,000-page threshold about once a second; a bulk ingest lets the log grow to a
   * second of its writes (about 10 MB) between checkpoints.
   */
  intervalMs: 1_000,
  /** The thread's connection waits this long for a lock another connection holds. */
  busyTimeoutMs: 1_000,
  /** `close` waits this long for the thread's last checkpoint before stopping it regardless. */
  stopTimeoutMs: 5_000,
};

/** Who copies the write-ahead log into the database file for a store's connection. */
export interface WalCheckpoints {
  /** Stops checkpointing (before the store's connection closes). */
  close(): Promise<void>;
}

export interface WalCheckpointsFactory {
  start(db: Database.Database, path: string): WalCheckpoints;
}

/** SQLite's default: the connection that commits checkpoints when the log is long (tests, tools). */
export const automaticWalCheckpoints: WalCheckpointsFactory = {
  start: () => ({ close: async () => undefined }),
};

const ENTRY = new URL('./wal-checkpoint-entry.mjs', import.meta.url);

/**
 * Checkpoints on a worker thread of its own (wal-checkpoint-entry.mjs), for the server and the CLI:
 * the store's connection stops checkpointing, so no commit on the event loop copies pages or waits for
 * an fsync. Should the thread fail to start or stop unexpectedly, the connection checkpoints by itself
 * again as SQLite does by default: the log never grows without bound.
 */
export function threadWalCheckpoints(options: Partial<typeof WAL_CHECKPOINT_DEFAULTS> & { entry?: URL } = {}): WalCheckpointsFactory {
  const settings = { ...WAL_CHECKPOINT_DEFAULTS, ...options };
  return {
    start(db, path) {
      db.pragma('wal_autocheckpoint = 0');
      const worker = new Worker(options.entry ?? ENTRY, {
        workerData: { path, intervalMs: settings.intervalMs, busyTimeoutMs: settings.busyTimeoutMs },
      });
      // The thread never keeps a process alive (a CLI that forgot `close` still exits).
      worker.unref();
      let stopping = false;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      const fallBack = () => {
        if (!stopping && db.open) db.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`);
      };
      worker.on('error', fallBack);
      worker.on('exit', fallBack);
      return {
        async close() {
          if (stopping) return;
          stopping = true;
          worker.postMessage({ type: 'stop' });
          let timer: NodeJS.Timeout | undefined;
          const stopped = await Promise.race([
            exited.then(() => true),
            new Promise<boolean>((resolve) => {
              timer = setTimeout(() => resolve(false), settings.stopTimeoutMs);
            }),
          ]);
          clearTimeout(timer);
          if (!stopped) await worker.terminate();
        },
      };
    },
  };
}
