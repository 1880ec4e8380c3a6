import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Writes a file so that a reader (or a process restarted after a kill) sees either the old
 * content or the new one, never a torn file: write a temporary sibling, fsync it, rename it over
 * the target (atomic on POSIX within one file system), then fsync the directory so the rename
 * itself survives a power cut. `produce` writes the content in as many pieces as it likes, so a
 * file larger than any one string can be written.
 */
export function writeFileAtomicWith(path: string, produce: (write: (bytes: Uint8Array) => void) => void): void {
  const temporary = temporaryPathFor(path);
  const descriptor = openSync(temporary, 'w', 0o644);
  try {
    produce((bytes) => {
      let offset = 0;
      while (offset < bytes.length) offset += writeSync(descriptor, bytes, offset, bytes.length - offset);
    });
    fsyncSync(descriptor);
  } catch (error) {
    closeSync(descriptor);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(descriptor);
  try {
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  fsyncDirectory(dirname(path));
}

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  writeFileAtomicWith(path, (write) => write(typeof data === 'string' ? Buffer.from(data, 'utf8') : data));
}

export function fsyncDirectory(path: string): void {
  const descriptor = openSync(path, 'r');
  try {
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
}

/**
 * `writeFileAtomic` with every step on libuv's threads, for a file written while requests are
 * served: its two fsyncs held the event loop 1-7 ms on this machine's disk (more while another
 * process wrote), and a slow or shared disk takes far longer.
 */
export async function writeFileAtomicAsync(path: string, data: string): Promise<void> {
  const temporary = temporaryPathFor(path);
  const handle = await open(temporary, 'w', 0o644);
  try {
    await handle.writeFile(data, 'utf8');
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncToDisk(dirname(path), 'r');
}

/**
 * fsync on a libuv thread: a file (opened `r+`) or a directory (`r`), whose sync waits on the file
 * system's journal, which other processes' writes keep busy.
 */
export async function syncToDisk(path: string, flags: 'r' | 'r+'): Promise<void> {
  const handle = await open(path, flags);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function temporaryPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}
