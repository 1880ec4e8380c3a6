import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { AppError } from '../lib/errors.ts';

/**
 * One writer at a time per knowledge base, across processes (the server and `npm run ingest` may
 * run side by side). The lock is a file created with O_EXCL holding the owner's pid; a lock left
 * by a process that no longer exists (killed mid-ingest) is taken over.
 */
export interface WriteLock {
  release(): void;
}

const LOCK_FILE = 'write.lock';

export function acquireWriteLock(indexDir: string, purpose: string): WriteLock {
  const path = join(indexDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const descriptor = openSync(path, 'wx', 0o644);
      writeSync(descriptor, JSON.stringify({ pid: process.pid, host: hostname(), purpose, since: new Date().toISOString() }));
      closeSync(descriptor);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          rmSync(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readOwner(path);
      const abandoned = owner ? owner.host === hostname() && !isAlive(owner.pid) : isOlderThan(path, 10_000);
      if (abandoned) {
        rmSync(path, { force: true });
        continue;
      }
      throw new AppError(
        'conflict',
        `The knowledge base in ${indexDir} is being written by another process (${owner ? `pid ${owner.pid}, ${owner.purpose}` : 'unknown owner'}). Wait for it to finish and try again.`,
      );
    }
  }
  throw new AppError('conflict', `Could not lock the knowledge base in ${indexDir}.`);
}

function readOwner(path: string): { pid: number; host: string; purpose: string } | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { pid, host, purpose } = parsed as Record<string, unknown>;
    if (typeof pid !== 'number' || typeof host !== 'string') return undefined;
    return { pid, host, purpose: typeof purpose === 'string' ? purpose : 'unknown' };
  } catch {
    // A lock file being written right now, or garbage: treat the owner as unknown (alive).
    return undefined;
  }
}

/** A lock without a readable owner is a writer killed between creating and filling it. */
function isOlderThan(path: string, milliseconds: number): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs > milliseconds;
  } catch {
    return true;
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
