import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fsyncDirectory } from './atomic-write.ts';

/**
 * JSON Lines files for the knowledge base's large structures: one header line, then one record
 * per line. Written and read a record at a time, so size is bounded by the disk, not by the
 * longest string V8 can hold (≈ 512 MB: one JSON document for 300k passages exceeds it).
 */
const FLUSH_BYTES = 4 * 1024 * 1024;

/** Writes header + records to `path` atomically (temporary file, fsync, rename, fsync of the folder). */
export function writeJsonLinesAtomic(path: string, header: unknown, records: Iterable<unknown>): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const descriptor = openSync(temporary, 'w', 0o644);
  try {
    let pending: string[] = [];
    let pendingBytes = 0;
    const flush = () => {
      if (pending.length === 0) return;
      const bytes = Buffer.from(pending.join(''), 'utf8');
      let offset = 0;
      while (offset < bytes.length) offset += writeSync(descriptor, bytes, offset, bytes.length - offset);
      pending = [];
      pendingBytes = 0;
    };
    const push = (value: unknown) => {
      const line = `${JSON.stringify(value)}\n`;
      pending.push(line);
      pendingBytes += line.length;
      if (pendingBytes >= FLUSH_BYTES) flush();
    };
    push(header);
    for (const record of records) push(record);
    flush();
    fsyncSync(descriptor);
  } catch (error) {
    closeSync(descriptor);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(descriptor);
  renameSync(temporary, path);
  fsyncDirectory(dirname(path));
}

/** Reads a JSON Lines file: the parsed header and a callback per record, in order. */
export function readJsonLines(path: string, onRecord: (record: unknown) => void): unknown {
  const bytes = readFileSync(path);
  let header: unknown;
  let start = 0;
  let first = true;
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end === -1) end = bytes.length;
    if (end > start) {
      const value: unknown = JSON.parse(bytes.toString('utf8', start, end));
      if (first) {
        header = value;
        first = false;
      } else onRecord(value);
    }
    start = end + 1;
  }
  if (first) throw new Error(`${path} is empty`);
  return header;
}
