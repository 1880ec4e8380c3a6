import type Database from 'better-sqlite3';
import { startThread } from '../../lib/thread-script.ts';
import { COMMITS, SIGNAL_SLOTS, STOP } from './wal-checkpoint-signals.ts';
import type { WalCheckpointThreadData } from './wal-checkpoint-thread.ts';

/** SQLite's own automatic checkpoint threshold, in pages (restored when the checkpoint thread fails). */
const SQLITE_AUTOCHECKPOINT_PAGES = 1000;

export const WAL_CHECKPOINT_DEFAULTS = {
  /** At most one checkpoint per this long: each syncs the log and the database file. */
  spacingMs: 250,
  /** With no commit of this process for this long, the thread looks for other processes' commits. */
  idleMs: 1_000,
  /**
   * The store's connection still checkpoints by itself once the log holds this many pages (about
   * 40 MB): the log starts over only when a commit finds every frame copied, which never happens
   * while commits follow one another faster than a checkpoint ends (a bulk ingest: the log reached
   * 192,667 pages while building 100k passages with the thread alone). Then this copies what the
   * thread has not (at most `spacingMs` of commits) and the next commit starts the log over.
   */
  backstopPages: 10_000,
  /** The thread's connection waits this long for a lock another connection holds. */
  busyTimeoutMs: 1_000,
  /** `close` waits this long for the thread's last checkpoint before stopping it regardless. */
  stopTimeoutMs: 5_000,
};

/** Who copies the write-ahead log into the database file for a store's connection. */
export interface WalCheckpoints {
  /** The store's connection committed (called after each write transaction). */
  committed(): void;
  /** Stops checkpointing (before the store's connection closes). */
  close(): Promise<void>;
}

export interface WalCheckpointsFactory {
  start(db: Database.Database, path: string): WalCheckpoints;
}

/** SQLite's default: the connection that commits checkpoints when the log is long (tests, tools). */
export const automaticWalCheckpoints: WalCheckpointsFactory = {
  start: () => ({ committed: () => undefined, close: async () => undefined }),
};

const ENTRY = new URL('./wal-checkpoint-thread.ts', import.meta.url);

/**
 * Checkpoints on a worker thread of its own (wal-checkpoint-thread.ts), for the server and the CLI:
 * the store's connection checkpoints only past `backstopPages`, so no upload's commit on the event
 * loop copies pages or waits for a checkpoint's fsyncs (strace over the store bench: the main
 * thread's fsyncs fell from 671 to 126, in the uploads phase only the small one of a commit that
 * starts the log over). Should the thread fail to start or stop unexpectedly, the
 * connection checkpoints by itself again as SQLite does by default.
 */
export function threadWalCheckpoints(options: Partial<typeof WAL_CHECKPOINT_DEFAULTS> & { entry?: URL } = {}): WalCheckpointsFactory {
  const settings = { ...WAL_CHECKPOINT_DEFAULTS, ...options };
  return {
    start(db, path) {
      db.pragma(`wal_autocheckpoint = ${settings.backstopPages}`);
      // Commits are signalled through shared memory: a message per commit would wake the thread's
      // event loop each time (0.35 ms of this thread's time per message on two busy cores, measured
      // for the graph's thread), where Atomics.notify costs a system call only while it waits.
      const signals = new Int32Array(new SharedArrayBuffer(SIGNAL_SLOTS * Int32Array.BYTES_PER_ELEMENT));
      const data: WalCheckpointThreadData = {
        path,
        signals: signals.buffer,
        spacingMs: settings.spacingMs,
        idleMs: settings.idleMs,
        busyTimeoutMs: settings.busyTimeoutMs,
      };
      const worker = startThread(options.entry ?? ENTRY, { workerData: data });
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
        committed() {
          Atomics.add(signals, COMMITS, 1);
          Atomics.notify(signals, COMMITS);
        },
        async close() {
          if (stopping) return;
          stopping = true;
          Atomics.store(signals, STOP, 1);
          Atomics.notify(signals, COMMITS);
          Atomics.notify(signals, STOP);
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
