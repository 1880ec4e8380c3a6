import type Database from 'better-sqlite3';

/** What one look at the write-ahead log did. */
export type CheckpointTick =
  | { action: 'idle' }
  | { action: 'checkpointed'; frames: number; copied: number; complete: boolean }
  | { action: 'failed'; message: string };

/**
 * Copies the write-ahead log back into the database file from a connection of its own, so that the
 * connection committing (the event loop's) never does it. SQLite's automatic checkpoint runs on the
 * committing connection once the log holds 1,000 pages: copying them and three fsyncs took 7–10 ms of
 * the main thread about once a second during uploads at 100k passages (strace), and up to 19 ms off
 * its core in one stall beside uploads. Each `tick` checkpoints only when some connection (of any
 * process) committed since the last one (`data_version` changes), or when the last one could not copy
 * every frame (a reader still used them).
 */
export class WalCheckpointer {
  private readonly db: Database.Database;
  private seenVersion: number;
  /** Frames the last checkpoint left in the log. */
  private incomplete = true;

  constructor(db: Database.Database) {
    this.db = db;
    // A checkpoint fsyncs the log and the database file alike under NORMAL and FULL (they differ on
    // commits only, which this connection never makes); set as the store's connection sets it.
    this.db.pragma('synchronous = NORMAL');
    this.seenVersion = this.dataVersion();
  }

  tick(): CheckpointTick {
    try {
      const version = this.dataVersion();
      if (version === this.seenVersion && !this.incomplete) return { action: 'idle' };
      this.seenVersion = version;
      // PASSIVE: copies what no reader still needs and never waits for readers or the writer.
      const [result] = this.db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
      const frames = result?.log ?? 0;
      const copied = result?.checkpointed ?? 0;
      this.incomplete = (result?.busy ?? 0) !== 0 || copied < frames;
      return { action: 'checkpointed', frames, copied, complete: !this.incomplete };
    } catch (error) {
      // Busy or locked by another process's checkpoint: the next tick tries again.
      this.incomplete = true;
      return { action: 'failed', message: error instanceof Error ? error.message : String(error) };
    }
  }

  private dataVersion(): number {
    return this.db.pragma('data_version', { simple: true }) as number;
  }
}
